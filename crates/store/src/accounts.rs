//! Patient accounts: self-registration, e-mail confirmation, passwords and single-use secrets
//! (A1, A3, A6). Every change writes its audit rows, and its mail to the outbox, in the same
//! transaction.

use kabinet_core::access::{AccessLevel, Actor, BlockReason, Origin};
use kabinet_core::account::SecretPurpose;
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::consent::{ConsentKind, DocumentKind};
use kabinet_core::patient::PatientData;
use serde_json::json;

use crate::booking::OutboxMail;
use crate::calendar_feeds::REVOKE_FEED;
use crate::sql::{
    Conn, NewSecret, insert_audit, insert_audits, insert_mail, insert_message,
    insert_online_consents, insert_patient, insert_secret, void_secrets,
};
use crate::{AuditEntry, Result, Store, StoreError, dispatch, dispatch_write, unique_or};

/// A self-registration, validated by the service (A1).
#[derive(Debug, Clone)]
pub struct NewRegistration {
    /// Who registers.
    pub patient: PatientData,
    /// The login: the e-mail, lower case.
    pub login: String,
    /// Argon2id of the chosen password.
    pub password_hash: String,
    /// Consents given, each under the document version it refers to.
    pub consents: Vec<(ConsentKind, DocumentKind, i32)>,
    /// The e-mail confirmation link's secret.
    pub confirmation: NewSecret,
    /// The e-mail with the link.
    pub mail: OutboxMail,
    /// The first message in the cabinet's inbox: subject and text.
    pub welcome: (String, String),
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Why a registration was not stored.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    /// An account with this login exists.
    #[error("login taken")]
    LoginTaken,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for RegistrationError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

/// Blocking an account: why, who, and what to send.
#[derive(Debug, Clone)]
pub struct AccountBlock {
    /// Which account.
    pub account_id: i64,
    /// Why.
    pub reason: BlockReason,
    /// The clinic's reason in words (a suspension, a cancelled registration, the end of
    /// service), shown to the patient only after the right password.
    pub note: Option<String>,
    /// A reset link's secret to issue, if the patient may set new credentials by e-mail.
    pub reset: Option<NewSecret>,
    /// Mails to the patient and the clinic.
    pub mails: Vec<OutboxMail>,
    /// Who blocks it.
    pub actor: Actor,
    /// The hash of the `block_account` link it is blocked by, used up in the same transaction.
    pub by_link: Option<String>,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// The letter after a report of lost credentials on the public form: its two links' secrets,
/// and the letter itself. Nothing else changes until a link is used.
#[derive(Debug, Clone)]
pub struct LostReport {
    /// The account whose login was reported.
    pub account_id: i64,
    /// The link that blocks access at once, and the one that sets a new password.
    pub links: [NewSecret; 2],
    /// The letter with both.
    pub mail: OutboxMail,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// An account as sign-in and the cabinet need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    /// The account's id.
    pub id: i64,
    /// The patient's id.
    pub patient_id: i64,
    /// The login (e-mail).
    pub login: String,
    /// Argon2id PHC string, if a personal password is set.
    pub password_hash: Option<String>,
    /// When the e-mail was confirmed.
    pub email_confirmed_at: Option<i64>,
    /// When the account was blocked (lost credentials, suspension).
    pub blocked_at: Option<i64>,
    /// Why it was blocked.
    #[sqlx(try_from = "crate::NullableText")]
    pub blocked_reason: Option<BlockReason>,
    /// The clinic's reason in words, for a suspension or a closure.
    pub blocked_note: Option<String>,
    /// The access level.
    #[sqlx(try_from = "String")]
    pub access_level: AccessLevel,
    /// The patient's family name.
    pub last_name: String,
    /// The patient's given name.
    pub first_name: String,
    /// The patient's patronymic, or empty.
    pub middle_name: String,
    /// The patient's phone, E.164.
    pub phone: String,
}

impl Account {
    /// Whether the clinic blocked the account — suspended it, cancelled the registration or
    /// ended the service — rather than the patient's own report of a loss: only the clinic
    /// lifts it, so no link of the patient's does.
    pub fn is_suspended(&self) -> bool {
        matches!(
            self.blocked_reason,
            Some(
                BlockReason::Suspended
                    | BlockReason::RegistrationCancelled
                    | BlockReason::ServiceEnded
            )
        )
    }
}

/// The columns and join of an [`Account`], for `concat!` with a `WHERE`.
macro_rules! account_select {
    () => {
        "SELECT ac.id, ac.patient_id, ac.login, ac.password_hash, ac.email_confirmed_at, \
         ac.blocked_at, ac.blocked_reason, ac.blocked_note, p.access_level, p.last_name, p.first_name, \
         p.middle_name, p.phone FROM accounts ac JOIN patients p ON p.id = ac.patient_id"
    };
}

impl Store {
    /// Stores a self-registration: the patient (unconfirmed), the account, the consents, the
    /// confirmation secret and its e-mail, with their audit rows. Returns the account's id.
    pub async fn register(&self, r: &NewRegistration) -> Result<i64, RegistrationError> {
        const INSERT_ACCOUNT: &str = "INSERT INTO accounts (patient_id, login, password_hash, \
            created_at) VALUES ($1, $2, $3, $4) RETURNING id";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let patient_id = insert_patient(
                &mut tx,
                &r.patient,
                AccessLevel::Unconfirmed,
                Some(&r.login),
                r.now,
            )
            .await?;
            let account =
                [patient_id.into(), (&r.login).into(), (&r.password_hash).into(), r.now.into()];
            let account_id = tx
                .insert(INSERT_ACCOUNT, &account)
                .await
                .map_err(|e| unique_or(e, RegistrationError::LoginTaken))?;
            let entry = |action, object_kind, object_id, details| {
                AuditEntry::new(r.now, Actor::Visitor, action, object_kind, Some(object_id))
                    .patient(patient_id)
                    .origin(&r.origin)
                    .details(details)
            };
            let created = json!({"access_level": AccessLevel::Unconfirmed});
            insert_audit(
                &mut tx,
                &entry(AuditAction::PatientCreate, ObjectKind::Patient, patient_id, created),
            )
            .await?;
            insert_audit(
                &mut tx,
                &entry(AuditAction::AccountCreate, ObjectKind::Account, account_id, json!({})),
            )
            .await?;
            let consents =
                insert_online_consents(&mut tx, patient_id, &r.consents, &r.origin, r.now).await?;
            insert_audits(&mut tx, &consents).await?;
            insert_secret(&mut tx, account_id, &r.confirmation, r.now).await?;
            insert_mail(&mut tx, &r.mail, r.now).await?;
            insert_message(&mut tx, patient_id, (&r.welcome.0, &r.welcome.1), r.now).await?;
            tx.commit().await?;
            Ok(account_id)
        })
    }

    /// Replaces a self-registration whose address was never confirmed with a new one for the
    /// same login (issue 9, finding 9: whoever registered someone's e-mail first cannot keep
    /// it): the patient's data, the password, the consents, a new confirmation link (the older
    /// ones void) and its letter. `false` if the login's account is confirmed, blocked, or was
    /// issued at the clinic.
    pub async fn replace_registration(&self, r: &NewRegistration) -> Result<bool> {
        const ACCOUNT: &str = "UPDATE accounts SET password_hash = $1 WHERE login = $2 \
            AND email_confirmed_at IS NULL AND blocked_at IS NULL RETURNING id";
        const PATIENT: &str = "UPDATE patients SET last_name = $1, first_name = $2, \
            middle_name = $3, birth_date = $4, phone = $5 \
            WHERE id = (SELECT patient_id FROM accounts WHERE id = $6) \
            AND access_level = 'unconfirmed' RETURNING id";
        let p = &r.patient;
        let birth_date = p.birth_date.to_string();
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let args = [(&r.password_hash).into(), (&r.login).into()];
            let Some(account_id) = tx.fetch_i64(ACCOUNT, &args).await? else { return Ok(false) };
            let args = [
                p.last_name.as_str().into(),
                p.first_name.as_str().into(),
                p.middle_name.as_ref().map_or("", |m| m.as_str()).into(),
                (&birth_date).into(),
                p.phone.as_str().into(),
                account_id.into(),
            ];
            let Some(patient_id) = tx.fetch_i64(PATIENT, &args).await? else {
                return Ok(false);
            };
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            let consents =
                insert_online_consents(&mut tx, patient_id, &r.consents, &r.origin, r.now).await?;
            insert_audits(&mut tx, &consents).await?;
            void_secrets(&mut tx, account_id, SecretPurpose::ConfirmEmail, r.now).await?;
            insert_secret(&mut tx, account_id, &r.confirmation, r.now).await?;
            insert_mail(&mut tx, &r.mail, r.now).await?;
            let entry = AuditEntry::new(
                r.now,
                Actor::Visitor,
                AuditAction::AccountReplace,
                ObjectKind::Account,
                Some(account_id),
            )
            .patient(patient_id)
            .origin(&r.origin);
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Issues a new confirmation link for an account whose address is not confirmed yet
    /// (the older links void) and queues its letter. `false` if there is none to confirm.
    pub async fn reissue_confirmation(
        &self,
        account_id: i64,
        link: &NewSecret,
        mail: &OutboxMail,
        now: i64,
    ) -> Result<bool> {
        const OPEN: &str = "SELECT id FROM accounts WHERE id = $1 AND email_confirmed_at IS NULL";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            if tx.fetch_i64(OPEN, &[account_id.into()]).await?.is_none() {
                return Ok(false);
            }
            void_secrets(&mut tx, account_id, SecretPurpose::ConfirmEmail, now).await?;
            insert_secret(&mut tx, account_id, link, now).await?;
            insert_mail(&mut tx, mail, now).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The account with this login, if any.
    pub async fn account_by_login(&self, login: &str) -> Result<Option<Account>> {
        const SQL: &str = concat!(account_select!(), " WHERE ac.login = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(login).fetch_optional(pool).await?))
    }

    /// The account by its id.
    pub async fn account(&self, id: i64) -> Result<Option<Account>> {
        const SQL: &str = concat!(account_select!(), " WHERE ac.id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
    }

    /// Uses the live secret of `purpose` with this hash: marks it used and returns its
    /// account. A confirmation also marks the e-mail confirmed. `None` if no live secret
    /// has this hash (unknown, used, voided or expired).
    pub async fn use_link_secret(
        &self,
        purpose: SecretPurpose,
        hash: &str,
        origin: &Origin,
        now: i64,
    ) -> Result<Option<i64>> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let found: Option<(i64, i64)> = sqlx::query_as(
                "UPDATE account_secrets SET used_at = $1 WHERE secret_hash = $2 AND purpose = $3 \
                 AND used_at IS NULL AND expires_at > $1 RETURNING id, account_id",
            )
            .bind(now)
            .bind(hash)
            .bind(purpose.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((_, account_id)) = found else { return Ok(None) };
            // A link that reached the mailbox proves the address: a confirmation, and a reset
            // too (so a squatter's unconfirmed registration cannot hold an owner out).
            let proves_address =
                matches!(purpose, SecretPurpose::ConfirmEmail | SecretPurpose::ResetPassword);
            let patient_id: i64 = if proves_address {
                sqlx::query_scalar(
                    "UPDATE accounts SET email_confirmed_at = COALESCE(email_confirmed_at, $1) \
                    WHERE id = $2 RETURNING patient_id",
                )
                .bind(now)
                .bind(account_id)
                .fetch_one(&mut *tx)
                .await?
            } else {
                sqlx::query_scalar("SELECT patient_id FROM accounts WHERE id = $1")
                    .bind(account_id)
                    .fetch_one(&mut *tx)
                    .await?
            };
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    now,
                    Actor::Patient(patient_id),
                    if purpose == SecretPurpose::ConfirmEmail {
                        AuditAction::AccountConfirmEmail
                    } else {
                        AuditAction::AccountUseLink
                    },
                    ObjectKind::Account,
                    Some(account_id),
                )
                .patient(patient_id)
                .origin(origin)
                .details(json!({"purpose": purpose.as_str()})),
            )
            .await?;
            tx.commit().await?;
            Ok(Some(account_id))
        })
    }

    /// The account whose live secret of `purpose` has this hash, without using it.
    pub async fn live_secret_account(
        &self,
        purpose: SecretPurpose,
        hash: &str,
        now: i64,
    ) -> Result<Option<i64>> {
        const SQL: &str = "SELECT account_id FROM account_secrets WHERE secret_hash = $1 \
            AND purpose = $2 AND used_at IS NULL AND expires_at > $3";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(SQL)
            .bind(hash)
            .bind(purpose.as_str())
            .bind(now)
            .fetch_optional(pool)
            .await?))
    }

    /// The live one-time passwords of an account (normally one): secret id and Argon2id hash.
    pub async fn live_one_time_passwords(
        &self,
        account_id: i64,
        now: i64,
    ) -> Result<Vec<(i64, String)>> {
        const SQL: &str = "SELECT id, secret_hash FROM account_secrets WHERE account_id = $1 \
            AND purpose = 'one_time_password' AND used_at IS NULL AND expires_at > $2";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(account_id)
            .bind(now)
            .fetch_all(pool)
            .await?))
    }

    /// Uses a one-time password by its secret id, with its audit row. `false` if another
    /// sign-in used it first.
    pub async fn use_one_time_password(
        &self,
        secret_id: i64,
        account: &Account,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let used = sqlx::query(
                "UPDATE account_secrets SET used_at = $1 WHERE id = $2 \
                AND account_id = $3 AND used_at IS NULL AND expires_at > $1",
            )
            .bind(now)
            .bind(secret_id)
            .bind(account.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if used {
                insert_audit(
                    &mut tx,
                    &AuditEntry::new(
                        now,
                        Actor::Patient(account.patient_id),
                        AuditAction::AccountUseOneTimePassword,
                        ObjectKind::Account,
                        Some(account.id),
                    )
                    .patient(account.patient_id)
                    .origin(origin),
                )
                .await?;
            }
            tx.commit().await?;
            Ok(used)
        })
    }

    /// Queues a mail that no other change goes with.
    pub async fn queue_mail(&self, mail: &OutboxMail, now: i64) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_mail(&mut tx, mail, now).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sets a new personal password, ends every session of the account and queues the
    /// e-mail that tells the patient (A3, A6).
    pub async fn set_password(
        &self,
        account_id: i64,
        password_hash: &str,
        mail: Option<&OutboxMail>,
        origin: &Origin,
        now: i64,
    ) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let patient_id: i64 = sqlx::query_scalar(
                "UPDATE accounts SET password_hash = $1, blocked_at = NULL, blocked_reason = NULL \
                 WHERE id = $2 RETURNING patient_id",
            )
            .bind(password_hash)
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE account_secrets SET used_at = $1 WHERE account_id = $2 \
                AND purpose IN ('one_time_password', 'reset_password') AND used_at IS NULL",
            )
            .bind(now)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            if let Some(mail) = mail {
                insert_mail(&mut tx, mail, now).await?;
            }
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    now,
                    Actor::Patient(patient_id),
                    AuditAction::AccountSetPassword,
                    ObjectKind::Account,
                    Some(account_id),
                )
                .patient(patient_id)
                .origin(origin),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Blocks the account at once: every session ends, the clinic and the patient are told
    /// (the mails), and a reset link (the secret) lets the patient set new credentials (A6).
    /// `false` if it was to be blocked by a link that is no longer live.
    pub async fn block_account(&self, b: &AccountBlock) -> Result<bool> {
        const USE_LINK: &str = "UPDATE account_secrets SET used_at = $1 WHERE secret_hash = $2 \
            AND account_id = $3 AND purpose = 'block_account' AND used_at IS NULL \
            AND expires_at > $1";
        let AccountBlock { account_id, reason, note, reset, mails, actor, by_link, origin, now } =
            b;
        let (account_id, now, actor) = (*account_id, *now, *actor);
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            if let Some(hash) = by_link {
                let args = [now.into(), hash.into(), account_id.into()];
                if tx.execute(USE_LINK, &args).await? == 0 {
                    return Ok(false);
                }
            }
            let patient_id: i64 = sqlx::query_scalar(
                "UPDATE accounts SET blocked_at = $1, blocked_reason = $2, blocked_note = $4 \
                 WHERE id = $3 RETURNING patient_id",
            )
            .bind(now)
            .bind(reason.as_str())
            .bind(account_id)
            .bind(note.as_deref())
            .fetch_one(&mut *tx)
            .await?;
            let ended = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // A calendar feed's address may have been made by whoever held a session: it
            // stops with them, and the patient makes a new one when back in.
            let feed_revoked = sqlx::query(REVOKE_FEED)
                .bind(patient_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if let Some(secret) = reset {
                insert_secret(&mut tx, account_id, secret, now).await?;
            }
            for mail in mails {
                insert_mail(&mut tx, mail, now).await?;
            }
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    now,
                    actor,
                    match reason {
                        BlockReason::RegistrationCancelled => {
                            AuditAction::AccountCancelRegistration
                        }
                        BlockReason::ServiceEnded => AuditAction::AccountEndService,
                        BlockReason::Suspended | BlockReason::CredentialsLost => {
                            AuditAction::AccountBlock
                        }
                    },
                    ObjectKind::Account,
                    Some(account_id),
                )
                .patient(patient_id)
                .origin(origin)
                .details(json!({
                    "reason": reason,
                    "sessions_ended": ended,
                    "by_link": by_link.is_some(),
                    "calendar_feed_revoked": feed_revoked,
                })),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Sends the owner of a reported login the letter with its two links, audited; nothing
    /// else changes.
    pub async fn send_lost_report(&self, r: &LostReport) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let patient_id = tx
                .fetch_i64("SELECT patient_id FROM accounts WHERE id = $1", &[r.account_id.into()])
                .await?;
            for link in &r.links {
                insert_secret(&mut tx, r.account_id, link, r.now).await?;
            }
            insert_mail(&mut tx, &r.mail, r.now).await?;
            let entry = AuditEntry::new(
                r.now,
                Actor::Visitor,
                AuditAction::AccountLostReport,
                ObjectKind::Account,
                Some(r.account_id),
            )
            .patient(patient_id)
            .origin(&r.origin);
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

//! The registrar's work on patients (A2, A5, A9, N2): finding a patient, their record as the
//! clinic holds it, confirmed access after the rules were signed on paper, one-time passwords,
//! lifting a suspension, and the feed of patients' own changes. Every change is audited with
//! the member of staff as the actor, in its transaction.

use kabinet_core::access::{AccessLevel, Actor, BlockReason, Origin};
use kabinet_core::account::SecretPurpose;
use kabinet_core::audit::{AuditAction, FeedEvent, ObjectKind};
use kabinet_core::consent::{Channel, ConsentKind, DocumentKind};
use kabinet_core::patient::PatientData;
use serde_json::json;

use crate::sql::{
    Conn, NewConsent, NewSecret, insert_audit, insert_consent, insert_patient, insert_secret,
    void_secrets,
};
use crate::{AuditEntry, Result, Store, StoreError, dispatch, dispatch_write, unique_or};

/// Issues a one-time password: the secret (voiding older ones), no personal password and no
/// block, no sessions, and the audit row.
async fn issue_one_time_password_in(
    c: &mut impl Conn,
    account_id: i64,
    patient_id: i64,
    secret: &NewSecret,
    actor: Actor,
    origin: &Origin,
    now: i64,
) -> Result<()> {
    const RESET: &str = "UPDATE accounts SET password_hash = NULL, blocked_at = NULL, blocked_note = NULL, \
        blocked_reason = NULL WHERE id = $1";
    void_secrets(c, account_id, SecretPurpose::OneTimePassword, now).await?;
    insert_secret(c, account_id, secret, now).await?;
    c.execute(RESET, &[account_id.into()]).await?;
    let ended =
        c.execute("DELETE FROM sessions WHERE account_id = $1", &[account_id.into()]).await?;
    let entry = AuditEntry::new(
        now,
        actor,
        AuditAction::AccountIssueOneTimePassword,
        ObjectKind::Account,
        Some(account_id),
    )
    .patient(patient_id)
    .origin(origin)
    .details(json!({"expires_at": secret.expires_at, "sessions_ended": ended}));
    insert_audit(c, &entry).await
}

/// A patient as the registrar sees them, with the account if there is one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PatientRecord {
    /// The patient's id.
    pub id: i64,
    /// The access level.
    #[sqlx(try_from = "String")]
    pub access_level: AccessLevel,
    /// Фамилия.
    pub last_name: String,
    /// Имя.
    pub first_name: String,
    /// Отчество, or empty.
    pub middle_name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// E.164.
    pub phone: String,
    /// The e-mail the clinic holds.
    pub email: Option<String>,
    /// Номер медицинской карты.
    pub card_number: Option<String>,
    /// The account, if the patient has one.
    pub account_id: Option<i64>,
    /// The account's login.
    pub login: Option<String>,
    /// When the e-mail was confirmed.
    pub email_confirmed_at: Option<i64>,
    /// The rules version signed on paper.
    pub paper_rules_version: Option<i32>,
    /// The paper's reference.
    pub paper_reference: Option<String>,
    /// When the account was blocked.
    pub blocked_at: Option<i64>,
    /// Why it was blocked.
    #[sqlx(try_from = "crate::NullableText")]
    pub blocked_reason: Option<BlockReason>,
    /// Whether a personal password is set (not waiting for activation).
    pub has_password: bool,
    /// Почтовый адрес.
    pub postal_address: Option<String>,
    /// The reason the clinic gave for suspending, cancelling or ending the account.
    pub blocked_note: Option<String>,
    /// Since when the patient's personal data is blocked (G4).
    pub data_blocked_at: Option<i64>,
}

impl PatientRecord {
    /// Whether the clinic suspended the account (A5).
    pub fn is_suspended(&self) -> bool {
        self.blocked_reason == Some(BlockReason::Suspended)
    }

    /// Whether the clinic closed the account for good: a cancelled registration (R14) or
    /// the end of service (R21).
    pub fn is_closed(&self) -> bool {
        matches!(
            self.blocked_reason,
            Some(BlockReason::RegistrationCancelled | BlockReason::ServiceEnded)
        )
    }

    /// Whether the patient's personal data is blocked (G4).
    pub fn is_data_blocked(&self) -> bool {
        self.data_blocked_at.is_some()
    }

    /// «Фамилия Имя Отчество».
    pub fn full_name(&self) -> String {
        format!("{} {} {}", self.last_name, self.first_name, self.middle_name).trim().to_owned()
    }
}

macro_rules! record_select {
    () => {
        "SELECT p.id, p.access_level, p.last_name, p.first_name, p.middle_name, p.birth_date, \
         p.phone, p.email, p.card_number, ac.id AS account_id, ac.login, ac.email_confirmed_at, \
         ac.paper_rules_version, ac.paper_reference, ac.blocked_at, ac.blocked_reason, \
         (ac.password_hash IS NOT NULL) AS has_password, p.postal_address, ac.blocked_note, \
         p.data_blocked_at \
         FROM patients p LEFT JOIN accounts ac ON ac.patient_id = p.id"
    };
}

/// What the registrar searches by; the service normalises each form.
#[derive(Debug, Clone, Default)]
pub struct PatientQuery {
    /// Name patterns for `LIKE` (already with `%`).
    pub names: Vec<String>,
    /// A phone in E.164.
    pub phone: Option<String>,
    /// A card number or a login, exactly.
    pub exact: String,
    /// Whether patients whose data is blocked are found too (the responsible officer and
    /// the auditor); for everyone else they do not exist.
    pub include_blocked: bool,
}

/// Whose access the registrar confirms.
#[derive(Debug, Clone)]
pub enum AccessTarget {
    /// A patient the clinic does not know yet.
    New(PatientData),
    /// A known patient (a one-time booking, or a self-registration to upgrade).
    Existing(i64),
}

/// Confirmed access after the rules were signed on paper (A2, A9).
#[derive(Debug, Clone)]
pub struct NewConfirmedAccess {
    /// Whose.
    pub target: AccessTarget,
    /// The login (the e-mail, lower case), used when the patient has no account yet.
    pub login: String,
    /// Номер медицинской карты.
    pub card_number: String,
    /// The rules version the patient signed.
    pub rules_version: i32,
    /// The paper's reference (register number, scan id).
    pub paper_reference: String,
    /// The other consents the patient signed on paper, each under its document's version.
    pub paper_consents: Vec<(ConsentKind, DocumentKind, i32)>,
    /// The one-time password's Argon2id hash and expiry.
    pub one_time_password: NewSecret,
    /// The registrar.
    pub staff_id: i64,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Why confirmed access was not stored.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// Another account has this login.
    #[error("login taken")]
    LoginTaken,
    /// Another patient has this card number.
    #[error("card number taken")]
    CardTaken,
    /// No such patient.
    #[error("no such patient")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AccessError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

/// One entry of the registrar's feed (N2).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedEntry {
    /// The audit row's id.
    pub id: i64,
    /// When, Unix seconds.
    pub at: i64,
    /// What happened.
    #[sqlx(try_from = "String")]
    pub action: FeedEvent,
    /// Whose.
    pub patient_id: i64,
    /// The patient's full name.
    pub patient_name: String,
    /// The visit's start, for visit changes.
    pub starts_at: Option<i64>,
    /// The specialist's full name, for visit changes.
    pub specialist_name: Option<String>,
    /// The thread, for a patient's message.
    pub thread_id: Option<i64>,
}

fn staff_entry(
    a: &NewConfirmedAccess,
    action: AuditAction,
    kind: ObjectKind,
    id: i64,
    patient_id: i64,
    details: serde_json::Value,
) -> AuditEntry {
    AuditEntry::new(a.now, Actor::Staff(a.staff_id), action, kind, Some(id))
        .patient(patient_id)
        .origin(&a.origin)
        .details(details)
}

impl Store {
    /// Patients matching any of the query's forms, by name, at most 50.
    pub async fn find_patients(&self, q: &PatientQuery) -> Result<Vec<PatientRecord>> {
        const SQL: &str = concat!(
            record_select!(),
            " WHERE (p.card_number = $1 OR ac.login = $2 OR p.phone = $3 \
             OR TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) LIKE $4 \
             OR TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) LIKE $5) \
             AND (p.data_blocked_at IS NULL OR $6) \
             ORDER BY p.last_name, p.first_name, p.id LIMIT 50"
        );
        let exact = q.exact.trim();
        let login = exact.to_lowercase();
        // A missing form binds NULL, which matches nothing.
        let name = |i: usize| q.names.get(i).cloned();
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(exact)
            .bind(&login)
            .bind(q.phone.as_deref())
            .bind(name(0))
            .bind(name(1))
            .bind(q.include_blocked)
            .fetch_all(pool)
            .await?))
    }

    /// One patient's record.
    pub async fn patient_record(&self, patient_id: i64) -> Result<Option<PatientRecord>> {
        const SQL: &str = concat!(record_select!(), " WHERE p.id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(patient_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Confirms access (A2): the patient (created, or made confirmed) with the card number,
    /// the account (created, or upgraded) with the e-mail confirmed in person and the paper's
    /// version and reference, the paper consent to the rules, and a one-time password that
    /// voids older ones, replaces any personal password and ends every session. Returns the
    /// account's id.
    pub async fn confirm_access(&self, a: &NewConfirmedAccess) -> Result<i64, AccessError> {
        const UPDATE_PAPER: &str = "UPDATE accounts SET \
            email_confirmed_at = COALESCE(email_confirmed_at, $1), paper_rules_version = $2, \
            paper_reference = $3 WHERE id = $4";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (patient_id, created) = match &a.target {
                AccessTarget::New(p) => {
                    let level = AccessLevel::Confirmed;
                    (insert_patient(&mut tx, p, level, Some(&a.login), a.now).await?, true)
                }
                AccessTarget::Existing(id) => (*id, false),
            };
            let taken: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM patients WHERE card_number = $1 AND id <> $2",
            )
            .bind(&a.card_number)
            .bind(patient_id)
            .fetch_one(&mut *tx)
            .await?;
            if taken > 0 {
                return Err(AccessError::CardTaken);
            }
            let done = sqlx::query(
                "UPDATE patients SET access_level = 'confirmed', \
                card_number = $1, email = COALESCE(email, $2) WHERE id = $3",
            )
            .bind(&a.card_number)
            .bind(&a.login)
            .bind(patient_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_or(e, AccessError::CardTaken))?
            .rows_affected();
            if done == 0 {
                return Err(AccessError::NotFound);
            }
            let existing: Option<i64> =
                sqlx::query_scalar("SELECT id FROM accounts WHERE patient_id = $1")
                    .bind(patient_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let account_id = match existing {
                Some(id) => {
                    sqlx::query(UPDATE_PAPER)
                        .bind(a.now)
                        .bind(a.rules_version)
                        .bind(&a.paper_reference)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
                None => sqlx::query_scalar(
                    "INSERT INTO accounts (patient_id, login, password_hash, email_confirmed_at, \
                     paper_rules_version, paper_reference, created_at) \
                     VALUES ($1, $2, NULL, $3, $4, $5, $3) RETURNING id",
                )
                .bind(patient_id)
                .bind(&a.login)
                .bind(a.now)
                .bind(a.rules_version)
                .bind(&a.paper_reference)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| unique_or(e, AccessError::LoginTaken))?,
            };
            if created {
                let created = json!({"access_level": AccessLevel::Confirmed});
                let entry = staff_entry(
                    a,
                    AuditAction::PatientCreate,
                    ObjectKind::Patient,
                    patient_id,
                    patient_id,
                    created,
                );
                insert_audit(&mut tx, &entry).await?;
            }
            let consent = NewConsent {
                patient_id: Some(patient_id),
                visitor_ref: None,
                kind: ConsentKind::Rules,
                document: (DocumentKind::Rules, a.rules_version),
                channel: Channel::Paper,
                origin: &a.origin,
                recorded_by: Some(a.staff_id),
                now: a.now,
            };
            insert_consent(&mut tx, &consent, Actor::Staff(a.staff_id)).await?;
            for &(kind, document, version) in &a.paper_consents {
                let consent = NewConsent { kind, document: (document, version), ..consent };
                insert_consent(&mut tx, &consent, Actor::Staff(a.staff_id)).await?;
            }
            let details =
                json!({"rules_version": a.rules_version, "new_account": existing.is_none()});
            let entry = staff_entry(
                a,
                AuditAction::AccountConfirmAccess,
                ObjectKind::Account,
                account_id,
                patient_id,
                details,
            );
            insert_audit(&mut tx, &entry).await?;
            let actor = Actor::Staff(a.staff_id);
            issue_one_time_password_in(
                &mut tx,
                account_id,
                patient_id,
                &a.one_time_password,
                actor,
                &a.origin,
                a.now,
            )
            .await?;
            tx.commit().await?;
            Ok(account_id)
        })
    }

    /// Issues a new one-time password for an account (A2, A6): voids the older ones, removes
    /// the personal password and any block, ends every session. `false` if no such account.
    pub async fn issue_one_time_password(
        &self,
        account_id: i64,
        secret: &NewSecret,
        staff_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let patient_id: Option<i64> =
                sqlx::query_scalar("SELECT patient_id FROM accounts WHERE id = $1")
                    .bind(account_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(patient_id) = patient_id else { return Ok(false) };
            let actor = Actor::Staff(staff_id);
            issue_one_time_password_in(&mut tx, account_id, patient_id, secret, actor, origin, now)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The live one-time passwords of an account: Argon2id hash and expiry (the card shows
    /// until when the one issued works).
    pub async fn one_time_passwords_of(
        &self,
        account_id: i64,
        now: i64,
    ) -> Result<Vec<(String, i64)>> {
        const SQL: &str = "SELECT secret_hash, expires_at FROM account_secrets \
            WHERE account_id = $1 AND purpose = 'one_time_password' AND used_at IS NULL \
            AND expires_at > $2 ORDER BY expires_at DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(account_id)
            .bind(now)
            .fetch_all(pool)
            .await?))
    }

    /// What the clinic wrote to a patient's cabinet, newest first: subject, text, Unix
    /// seconds (the registrar's card shows it).
    pub async fn messages_sent_to(&self, patient_id: i64) -> Result<Vec<(String, String, i64)>> {
        const SQL: &str = "SELECT subject, body, created_at FROM messages \
            WHERE patient_id = $1 AND author = 'clinic' \
            ORDER BY created_at DESC, id DESC LIMIT 20";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// Lifts the clinic's suspension of an account (its reason goes too). `false` if it is
    /// not suspended.
    pub async fn lift_suspension(
        &self,
        account_id: i64,
        staff_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let patient_id: Option<i64> = sqlx::query_scalar(
                "UPDATE accounts SET blocked_at = NULL, blocked_reason = NULL, blocked_note = NULL \
                 WHERE id = $1 AND blocked_reason = 'suspended' RETURNING patient_id",
            )
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(patient_id) = patient_id else { return Ok(false) };
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    now,
                    Actor::Staff(staff_id),
                    AuditAction::AccountUnblock,
                    ObjectKind::Account,
                    Some(account_id),
                )
                .patient(patient_id)
                .origin(origin)
                .details(json!({"reason": BlockReason::Suspended})),
            )
            .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Patients' own visit changes, their messages to the clinic and reports of lost
    /// credentials, newest first (N2).
    pub async fn registrar_feed(&self, limit: i64) -> Result<Vec<FeedEntry>> {
        const SQL: &str = "SELECT l.id, l.at, l.action, p.id AS patient_id, \
            TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) AS patient_name, \
            a.starts_at, \
            TRIM(s.last_name || ' ' || s.first_name || ' ' || s.middle_name) AS specialist_name, \
            CASE WHEN l.object_kind = 'message_thread' THEN l.object_id END AS thread_id \
            FROM audit_log l JOIN patients p ON p.id = l.patient_id \
            LEFT JOIN appointments a ON l.object_kind = 'appointment' AND a.id = l.object_id \
            LEFT JOIN specialists s ON s.id = a.specialist_id \
            WHERE (l.actor_kind = 'patient' AND l.action LIKE 'appointment.%') \
               OR (l.actor_kind = 'patient' AND l.action = 'message.create') \
               OR (l.actor_kind = 'visitor' AND l.action = 'appointment.create') \
               OR (l.action = 'account.block' AND l.details LIKE '%\"credentials_lost\"%') \
            ORDER BY l.at DESC, l.id DESC LIMIT $1";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(limit).fetch_all(pool).await?))
    }
}

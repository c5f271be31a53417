//! Patient accounts (A1, A3, A6, K7): self-registration with e-mail confirmation, sign-in
//! with throttling, sessions with idle and absolute expiry, password change, sign-out
//! everywhere and the report of lost credentials.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use jiff::SignedDuration;
use kabinet_core::access::{AccessLevel, Actor, BlockReason, Origin};
use kabinet_core::account::SecretPurpose;
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::consent::{ConsentKind, DocumentKind};
use kabinet_core::mail::MailKind;
use kabinet_core::password;
use kabinet_core::patient::{Email, FieldErrors, PatientInput, age_on};
use kabinet_core::token::random_token;
use kabinet_store::accounts::{
    Account, AccountBlock, LostReport, NewRegistration, RegistrationError,
};
use kabinet_store::booking::OutboxMail;
use kabinet_store::sessions::{NewSession, Session, SessionOwner};
use kabinet_store::{AuditEntry, NewSecret};
use sha2::{Digest, Sha256};

use crate::limits::{Counted, LONGEST_WINDOW, Limit, Realm, letters_to};
use crate::{Error, Kabinet, Result};

/// How long an e-mail confirmation link works.
const CONFIRM_LINK_TTL: SignedDuration = SignedDuration::from_hours(72);
/// How long the link that blocks access after a report works.
const BLOCK_LINK_TTL: SignedDuration = SignedDuration::from_hours(24);
/// How long a password reset link works.
const RESET_LINK_TTL: SignedDuration = SignedDuration::from_hours(24);
/// A self-registration as typed (A1).
#[derive(Debug, Clone, Default)]
pub struct RegistrationRequest {
    /// The login: the patient's e-mail.
    pub login: String,
    /// The chosen password.
    pub password: String,
    /// Who registers.
    pub patient: PatientInput,
    /// Consent to processing of personal data: required.
    pub consent_personal_data: bool,
    /// Consent to processing of health data (152-FZ art. 10): required, asked apart.
    pub consent_health_data: bool,
    /// Consent to confirmation calls: optional.
    pub consent_calls: bool,
    /// Consent to advertising: optional.
    pub consent_advertising: bool,
    /// Acceptance of the portal's rules: required.
    pub accept_rules: bool,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
}

/// A signed-in patient, as every cabinet request sees them.
#[derive(Debug, Clone)]
pub struct Patient {
    /// The account.
    pub account: Account,
    /// The session's token hash.
    pub session_hash: String,
    /// The CSRF token of this session's forms.
    pub csrf_token: String,
    /// The dependent this session acts for (A8): then `account` carries the dependent's
    /// patient id, access level, name and phone (the account's own id, login and password
    /// stay the representative's), so every cabinet use case works on the dependent's data.
    pub acting: Option<crate::representatives::Acting>,
}

impl Patient {
    /// The access level.
    pub fn level(&self) -> AccessLevel {
        self.account.access_level
    }

    /// Whether the patient signed in with a one-time password and must set a personal
    /// password before anything else (A3).
    pub fn needs_activation(&self) -> bool {
        self.account.password_hash.is_none()
    }

    /// The patient, as the audit log names them: a representative acting for a dependent
    /// as such (A8).
    pub fn actor(&self) -> Actor {
        match &self.acting {
            Some(a) => Actor::Representative {
                representative: a.representative_id,
                dependent: self.account.patient_id,
            },
            None => Actor::Patient(self.account.patient_id),
        }
    }

    /// The signed-in person's own patient id, whoever the session acts for.
    pub fn own_patient_id(&self) -> i64 {
        self.acting.as_ref().map_or(self.account.patient_id, |a| a.representative_id)
    }
}

/// A new session: the token for the cookie or the `Authorization` header.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The secret token (only its hash is stored).
    pub token: String,
}

/// SHA-256 of a token, hex: what the database keeps of links and sessions.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hashes a password with Argon2id on a blocking thread (it takes tens of milliseconds on
/// purpose).
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(format!("argon2 task: {e}")))?
}

/// Checks a password against a stored hash, on a blocking thread. With no stored hash it
/// still spends the same time, so an unknown login answers as slowly as a wrong password.
pub(crate) async fn verify_password(password: String, hash: Option<String>) -> bool {
    static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        Argon2::default()
            .hash_password(b"no such account, same work")
            .map(|h| h.to_string())
            .unwrap_or_default()
    });
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY.clone());
        let ok = argon2::password_hash::phc::PasswordHash::new(&hash)
            .is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok());
        known && ok
    })
    .await
    .unwrap_or(false)
}

/// The patient's own words that a password must not contain: names, phone, the login's
/// local part.
fn own_words<'a>(
    last: &'a str,
    first: &'a str,
    middle: &'a str,
    phone: &'a str,
    login: &'a str,
) -> [&'a str; 5] {
    [last, first, middle, phone, login.split('@').next().unwrap_or("")]
}

fn account_words(a: &Account) -> [&str; 5] {
    own_words(&a.last_name, &a.first_name, &a.middle_name, &a.phone, &a.login)
}

impl Kabinet {
    /// Registers a patient online (unconfirmed access) and sends the confirmation link. An
    /// address that already has an account gets a mail saying so, and the caller gets the
    /// same answer, so nobody learns who is registered.
    pub async fn register(&self, request: RegistrationRequest) -> Result<()> {
        let mut errors = FieldErrors::default();
        let login = Email::parse(&request.login).map_err(|m| errors.add("login", m)).ok();
        let mut input = request.patient.clone();
        input.email = Some(request.login.clone());
        let patient = input.parse(self.today(), &mut errors);
        // Under 15 a patient's own consent does not count (323-FZ art. 54): a legal
        // representative acts for them, from their own account.
        let own_age = kabinet_core::representative::OWN_ACCOUNT_AGE;
        if patient.as_ref().is_some_and(|p| age_on(p.birth_date, self.today()) < own_age) {
            errors.add("birth_date", "error-register-under-15");
        }
        if !request.consent_personal_data {
            errors.add("consent_personal_data", "error-register-consent-required");
        }
        if !request.consent_health_data {
            errors.add("consent_health_data", "error-register-health-consent-required");
        }
        if !request.accept_rules {
            errors.add("accept_rules", "error-rules-required");
        }
        let p = &request.patient;
        let middle = p.middle_name.as_deref().unwrap_or("");
        let own = own_words(&p.last_name, &p.first_name, middle, &p.phone, &request.login);
        if let Err(message) = password::check(&request.password, &own, &self.settings.clinic_name) {
            errors.add("password", message);
        }
        // An address the mail server library refuses would be retried for ever: refused here.
        if login.as_ref().is_some_and(|l| l.as_str().parse::<lettre::Address>().is_err()) {
            errors.add("login", "error-email-invalid");
        }
        let (Some(login), Some(patient), true) = (login, patient, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let login = login.as_str().to_lowercase();
        let now = self.now();
        let privacy = self.document_version(DocumentKind::Privacy).await?;
        let rules = self.document_version(DocumentKind::Rules).await?;
        let mut consents = vec![
            (ConsentKind::PersonalData, DocumentKind::Privacy, privacy),
            (ConsentKind::HealthData, DocumentKind::Privacy, privacy),
            (ConsentKind::Rules, DocumentKind::Rules, rules),
        ];
        if request.consent_calls {
            consents.push((ConsentKind::Calls, DocumentKind::Rules, rules));
        }
        if request.consent_advertising {
            consents.push((ConsentKind::Advertising, DocumentKind::Rules, rules));
        }
        let (confirmation, token) = self.link_secret(SecretPurpose::ConfirmEmail, CONFIRM_LINK_TTL);
        let registration = NewRegistration {
            patient,
            login: login.clone(),
            password_hash: hash_password(request.password).await?,
            consents,
            confirmation,
            mail: self.address_confirmation_mail(&login, &token),
            welcome: (
                "Добро пожаловать в личный кабинет".to_owned(),
                format!(
                    "Здесь вы записываетесь на приём, переносите и отменяете визиты и читаете \
                     сообщения клиники.\n\nС онлайн-регистрацией можно иметь одну активную \
                     запись. Чтобы записываться без этого ограничения, подтвердите личность в \
                     регистратуре с паспортом: там же вы ознакомитесь с правилами и получите \
                     подтверждённый доступ.\n\nТелефон клиники: {}.",
                    self.settings.clinic_phone
                ),
            ),
            origin: request.origin,
            now: now.as_second(),
        };
        match self.store.register(&registration).await {
            Ok(_) => Ok(()),
            // Nobody holds an address by registering it first: an unconfirmed registration
            // gives way to the new one, whose letter reaches whoever owns the mailbox.
            Err(RegistrationError::LoginTaken)
                if self.store.replace_registration(&registration).await? =>
            {
                Ok(())
            }
            Err(RegistrationError::LoginTaken) => {
                // A stranger can make the portal write this letter: only a few an hour.
                let limit = [letters_to(&login)];
                let origin = &registration.origin;
                if self
                    .check_limits(Counted::ConfirmationLetter, &limit, None, origin)
                    .await
                    .is_err()
                {
                    return Ok(());
                }
                self.count(&limit, None).await?;
                let mail = OutboxMail {
                    kind: MailKind::AlreadyRegistered,
                    recipient: login,
                    subject: format!("Попытка регистрации — {}", self.settings.clinic_name),
                    body: self.letter(&format!(
                        "Кто-то пытался зарегистрироваться в личном кабинете с этим адресом, \
                         но у вас уже есть учётная запись.\n\nЕсли это были вы, войдите: {}/login\n\
                         Если вы не помните пароль, сообщите об этом на странице {}/account/lost",
                        self.public_url(),
                        self.public_url()
                    )),
                };
                self.store.queue_mail(&mail, now.as_second()).await?;
                Ok(())
            }
            Err(RegistrationError::Store(e)) => Err(e.into()),
        }
    }

    /// Sends the link that confirms an address again, for an account whose address is not
    /// confirmed (the older links void). Limited per login, per client and per mailbox; the
    /// same answer for every login.
    pub async fn resend_confirmation(&self, login: &str, origin: &Origin) -> Result<()> {
        let login = login.trim().to_lowercase();
        let hour = SignedDuration::from_hours(1);
        let limits = [
            Limit::on("confirmation", &login, 3, hour),
            Limit::per_client("confirmation", origin, 10, hour),
            letters_to(&login),
        ];
        let account = self.store.account_by_login(&login).await?;
        let subject = account.as_ref().map(|a| a.patient_id);
        self.check_limits(Counted::ConfirmationLetter, &limits, subject, origin).await?;
        self.count(&limits, None).await?;
        let Some(account) = account.filter(|a| a.email_confirmed_at.is_none()) else {
            return Ok(());
        };
        let (link, token) = self.link_secret(SecretPurpose::ConfirmEmail, CONFIRM_LINK_TTL);
        let mail = self.address_confirmation_mail(&account.login, &token);
        self.store.reissue_confirmation(account.id, &link, &mail, self.now().as_second()).await?;
        Ok(())
    }

    /// The letter with the link that confirms `login`.
    fn address_confirmation_mail(&self, login: &str, token: &str) -> OutboxMail {
        let link = format!("{}/account/confirm?token={token}", self.public_url());
        OutboxMail {
            kind: MailKind::ConfirmEmail,
            recipient: login.to_owned(),
            subject: format!("Подтвердите адрес почты — {}", self.settings.clinic_name),
            body: self.letter(&format!(
                "Вы зарегистрировались в личном кабинете пациента.\n\n\
                 Чтобы подтвердить адрес почты, откройте ссылку (она действует 72 часа):\n{link}\n\n\
                 Если вы не регистрировались, просто удалите это письмо."
            )),
        }
    }

    /// Confirms an e-mail address by the link's token. `NotFound` for an unknown, used or
    /// expired link.
    pub async fn confirm_email(&self, token: &str, origin: &Origin) -> Result<()> {
        let hash = token_hash(token.trim());
        self.store
            .use_link_secret(SecretPurpose::ConfirmEmail, &hash, origin, self.now().as_second())
            .await?
            .map(|_| ())
            .ok_or(Error::NotFound)
    }

    /// Signs a patient in. Unknown login and wrong password answer alike (`Unauthorized`);
    /// too many failures answer `Throttled` with the seconds to wait.
    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        origin: &Origin,
        user_agent: Option<String>,
    ) -> Result<SignedIn> {
        let login = login.trim().to_lowercase();
        let account = self.store.account_by_login(&login).await?;
        let subject = account.as_ref().map(|a| a.patient_id);
        let about = (account.as_ref().map(|a| (ObjectKind::Account, a.id)), subject);
        let limits = self.check_sign_in(Realm::Patient, &login, subject, origin).await?;
        let ok = match &account {
            // Access the registrar issued, or reissued: no personal password until activation.
            Some(a) if a.password_hash.is_none() => {
                self.use_one_time_password(a, password, &origin.clone()).await?
            }
            _ => {
                let hash = account.as_ref().and_then(|a| a.password_hash.clone());
                verify_password(password.to_owned(), hash).await
            }
        };
        // The clinic's reason is told only to whoever knows the password (A5, A7).
        if let Some(a) = account.as_ref().filter(|a| ok && a.is_suspended()) {
            return Err(Error::AccessClosed {
                reason: a.blocked_reason.unwrap_or(BlockReason::Suspended),
                note: a.blocked_note.clone(),
                phone: self.settings.clinic_phone.clone(),
            });
        }
        let Some(account) = account.filter(|a| ok && a.blocked_at.is_none()) else {
            return self.sign_in_failed(&limits, about, origin).await;
        };
        if account.email_confirmed_at.is_none() {
            return Err(Error::EmailUnconfirmed);
        }
        self.sign_in_passed(&limits).await?;
        self.open_session(&account, origin, user_agent).await
    }

    /// Checks a typed one-time password against the account's live ones and uses the one it
    /// matches. Spaces and dashes (the printed sheet groups the characters) and letter case
    /// do not matter.
    async fn use_one_time_password(
        &self,
        account: &Account,
        typed: &str,
        origin: &Origin,
    ) -> Result<bool> {
        let now = self.now().as_second();
        let typed: String =
            typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>();
        let live = self.store.live_one_time_passwords(account.id, now).await?;
        if live.is_empty() {
            // As slow as a real check, so the answer does not tell an issued password apart.
            verify_password(typed, None).await;
            return Ok(false);
        }
        // Codes are upper case: one check per live password (a reissue voids the one before),
        // so the answer takes as long as for an unknown login.
        let typed = typed.to_uppercase();
        for (id, hash) in live {
            if verify_password(typed.clone(), Some(hash)).await {
                return Ok(self.store.use_one_time_password(id, account, origin, now).await?);
            }
        }
        Ok(false)
    }

    /// Sets the first personal password of a patient who signed in with a one-time password
    /// (A3): nothing else is reachable before. Every session ends; the new one is returned.
    pub async fn activate(
        &self,
        patient: &Patient,
        new: &str,
        origin: &Origin,
        user_agent: Option<String>,
    ) -> Result<SignedIn> {
        let a = &patient.account;
        if !patient.needs_activation() {
            return Err(Error::Forbidden);
        }
        if let Err(message) = password::check(new, &account_words(a), &self.settings.clinic_name) {
            let mut errors = FieldErrors::default();
            errors.add("password", message);
            return Err(Error::Validation(errors));
        }
        let hash = hash_password(new.to_owned()).await?;
        let mail = OutboxMail {
            kind: MailKind::AccountActivated,
            recipient: a.login.clone(),
            subject: format!("Личный кабинет активирован — {}", self.settings.clinic_name),
            body: self.letter(&format!(
                "Вы задали личный пароль, и ваш личный кабинет готов к работе: {}/cabinet\n\n\
                 Если это сделали не вы, сразу сообщите об этом: {}/account/lost \
                 или по телефону {}.",
                self.public_url(),
                self.public_url(),
                self.settings.clinic_phone
            )),
        };
        self.store.set_password(a.id, &hash, Some(&mail), origin, self.now().as_second()).await?;
        self.open_session(a, origin, user_agent).await
    }

    async fn open_session(
        &self,
        account: &Account,
        origin: &Origin,
        user_agent: Option<String>,
    ) -> Result<SignedIn> {
        let owner = SessionOwner::Account(account.id);
        self.new_session(owner, Some(account.patient_id), origin, user_agent).await
    }

    /// Stores a new session with a fresh token and CSRF token: the token goes to the caller,
    /// its hash to the database.
    pub(crate) async fn new_session(
        &self,
        owner: SessionOwner,
        patient_id: Option<i64>,
        origin: &Origin,
        user_agent: Option<String>,
    ) -> Result<SignedIn> {
        let (signed, session) = self.session_record(owner, patient_id, origin, user_agent, false);
        self.store.create_session(&session).await?;
        Ok(signed)
    }

    /// A new session's token and the row to store (a staff session waiting for its code step
    /// when `second_factor_pending`).
    pub(crate) fn session_record(
        &self,
        owner: SessionOwner,
        patient_id: Option<i64>,
        origin: &Origin,
        user_agent: Option<String>,
        second_factor_pending: bool,
    ) -> (SignedIn, NewSession) {
        let token = random_token();
        let session = NewSession {
            token_hash: token_hash(&token),
            owner,
            patient_id,
            csrf_token: random_token(),
            origin: origin.clone(),
            user_agent: user_agent.map(|ua| ua.chars().take(200).collect()),
            now: self.now().as_second(),
            second_factor_pending,
        };
        (SignedIn { token }, session)
    }

    /// The patient a session token belongs to, if the session is alive: not idle longer than
    /// the idle timeout, not older than the absolute lifetime, account not blocked. A dead
    /// session is deleted.
    pub async fn patient_session(&self, token: &str) -> Result<Option<Patient>> {
        let hash = token_hash(token);
        let Some(session) = self.store.session(&hash).await? else { return Ok(None) };
        let Some(account_id) = session.account_id else { return Ok(None) };
        let now = self.now().as_second();
        if !self.session_alive(&session, now) {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        let Some(account) = self.store.account(account_id).await? else { return Ok(None) };
        if account.blocked_at.is_some() {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        // One write a minute is enough to track idleness.
        if now - session.last_seen_at >= 60 {
            self.store.touch_session(&hash, now).await?;
        }
        let patient =
            Patient { account, session_hash: hash, csrf_token: session.csrf_token, acting: None };
        match session.acting_patient_id {
            // A link that ended, or a dependent who came of age, leaves the session in the
            // representative's own cabinet at once.
            Some(dependent) => {
                Ok(Some(self.acting_for(patient.clone(), dependent).await?.unwrap_or(patient)))
            }
            None => Ok(Some(patient)),
        }
    }

    pub(crate) fn session_alive(&self, session: &Session, now: i64) -> bool {
        now - session.last_seen_at < self.settings.session_idle.as_secs()
            && now - session.created_at < self.settings.session_lifetime.as_secs()
    }

    /// Deletes dead sessions and failed sign-ins that no longer count (run now and then by
    /// the server). Returns how many rows went.
    pub async fn sweep(&self) -> Result<u64> {
        let now = self.now().as_second();
        let s = &self.settings;
        let idle_before = now - s.session_idle.as_secs();
        let opened_before = now - s.session_lifetime.as_secs();
        let failures_before = now - LONGEST_WINDOW.as_secs();
        Ok(self.store.sweep(idle_before, opened_before, failures_before).await?)
    }

    /// Ends this session (sign-out).
    pub async fn sign_out(&self, patient: &Patient, origin: &Origin) -> Result<()> {
        let a = &patient.account;
        let entry = AuditEntry::new(
            self.now().as_second(),
            patient.actor(),
            AuditAction::SessionDelete,
            ObjectKind::Account,
            Some(a.id),
        )
        .patient(a.patient_id)
        .origin(origin);
        Ok(self.store.end_session(&patient.session_hash, &entry).await?)
    }

    /// Records a form that came without its session's CSRF token: a security event.
    pub async fn record_forged_form(&self, actor: Actor, origin: &Origin) -> Result<()> {
        let entry = AuditEntry::new(
            self.now().as_second(),
            actor,
            AuditAction::RequestForged,
            ObjectKind::Request,
            None,
        )
        .patient(match actor {
            Actor::Patient(id) => Some(id),
            _ => None,
        })
        .origin(origin)
        .refused();
        Ok(self.store.record_access(&entry).await?)
    }

    /// Ends every session of the patient, this one included (K7).
    pub async fn sign_out_everywhere(&self, patient: &Patient, origin: &Origin) -> Result<u64> {
        let a = &patient.account;
        Ok(self
            .store
            .delete_sessions_of_account(a.id, a.patient_id, origin, self.now().as_second())
            .await?)
    }

    /// Ends one other session of the patient (a device they no longer use, K7), named by its
    /// token's hash as the list of sessions shows it. `NotFound` for this very session (that
    /// is signing out) and for a session that is not the patient's.
    pub async fn end_other_session(
        &self,
        patient: &Patient,
        token_hash: &str,
        origin: &Origin,
    ) -> Result<()> {
        if token_hash == patient.session_hash {
            return Err(Error::NotFound);
        }
        let a = &patient.account;
        let entry = AuditEntry::new(
            self.now().as_second(),
            patient.actor(),
            AuditAction::SessionEndOther,
            ObjectKind::Account,
            Some(a.id),
        )
        .patient(a.patient_id)
        .origin(origin);
        match self.store.end_session_of_account(a.id, token_hash, &entry).await? {
            true => Ok(()),
            false => Err(Error::NotFound),
        }
    }

    /// The live sessions of the patient, newest first (K7).
    pub async fn sessions(&self, patient: &Patient) -> Result<Vec<Session>> {
        let now = self.now().as_second();
        let sessions = self.store.sessions_of_account(patient.account.id).await?;
        Ok(sessions.into_iter().filter(|s| self.session_alive(s, now)).collect())
    }

    /// Changes the password after checking the current one. Every session ends and the
    /// patient is told by e-mail; the caller signs in again with the new password.
    pub async fn change_password(
        &self,
        patient: &Patient,
        current: &str,
        new: &str,
        origin: &Origin,
        user_agent: Option<String>,
    ) -> Result<SignedIn> {
        let a = &patient.account;
        // A wrong current password counts like a failed sign-in: a stolen session must not
        // become a way to guess the password.
        let limits =
            self.check_sign_in(Realm::Patient, &a.login, Some(a.patient_id), origin).await?;
        let mut errors = FieldErrors::default();
        if !verify_password(current.to_owned(), a.password_hash.clone()).await {
            let about = (Some((ObjectKind::Account, a.id)), Some(a.patient_id));
            self.count_failure(&limits, about, origin).await?;
            errors.add("current_password", "error-password-wrong");
        }
        if let Err(message) = password::check(new, &account_words(a), &self.settings.clinic_name) {
            errors.add("password", message);
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let hash = hash_password(new.to_owned()).await?;
        let mail = self.password_changed_mail(a);
        self.store.set_password(a.id, &hash, Some(&mail), origin, self.now().as_second()).await?;
        self.open_session(a, origin, user_agent).await
    }

    fn password_changed_mail(&self, a: &Account) -> OutboxMail {
        OutboxMail {
            kind: MailKind::PasswordChanged,
            recipient: a.login.clone(),
            subject: format!("Пароль изменён — {}", self.settings.clinic_name),
            body: self.letter(&format!(
                "Пароль от вашего личного кабинета только что изменён.\n\n\
                 Если это сделали не вы, сразу сообщите об этом: {}/account/lost \
                 или по телефону {}.",
                self.public_url(),
                self.settings.clinic_phone
            )),
        }
    }

    /// A report of lost or compromised credentials from the public form (A6, R17): it only
    /// sends the owner of the login a letter with two links — block access now, or set a new
    /// password — and changes nothing until one is used, so a stranger cannot lock anyone out.
    /// Limited per login, per client and per mailbox. An unknown login does nothing, and says
    /// nothing different.
    pub async fn report_lost_credentials(&self, login: &str, origin: &Origin) -> Result<()> {
        let login = login.trim().to_lowercase();
        let limits = [
            Limit::on("lost_report", &login, 3, SignedDuration::from_hours(1)),
            Limit::per_client("lost_report", origin, 10, SignedDuration::from_hours(1)),
            letters_to(&login),
        ];
        let account = self.store.account_by_login(&login).await?;
        let subject = account.as_ref().map(|a| a.patient_id);
        self.check_limits(Counted::LostReport, &limits, subject, origin).await?;
        self.count(&limits, None).await?;
        // A suspension is the clinic's to lift: no links around it. An unknown login or a
        // suspended account still writes one audit row, so that every answer costs the same
        // work and takes as long.
        let Some(account) = account.filter(|a| !a.is_suspended()) else {
            let entry = AuditEntry::new(
                self.now().as_second(),
                Actor::Visitor,
                AuditAction::AccountLostReport,
                ObjectKind::Account,
                None,
            )
            .origin(origin)
            .refused();
            self.store.record_access(&entry).await?;
            return Ok(());
        };
        let now = self.now();
        let (block, block_token) = self.link_secret(SecretPurpose::BlockAccount, BLOCK_LINK_TTL);
        let (reset, reset_token) = self.link_secret(SecretPurpose::ResetPassword, RESET_LINK_TTL);
        let url = self.public_url();
        let mail = OutboxMail {
            kind: MailKind::LostReport,
            recipient: account.login.clone(),
            subject: format!(
                "Сообщение об утрате данных для входа — {}",
                self.settings.clinic_name
            ),
            body: self.letter(&format!(
                "Нам сообщили, что данные для входа в ваш личный кабинет утрачены или стали \
                 известны постороннему.\n\n\
                 Если это так, заблокируйте доступ сейчас: все сеансы будут завершены, вход по \
                 старому паролю закроется (ссылка действует 24 часа):\n\
                 {url}/account/block?token={block_token}\n\n\
                 Или сразу задайте новый пароль — это тоже завершит все сеансы:\n\
                 {url}/account/reset?token={reset_token}\n\n\
                 Если вы ничего не сообщали, ничего не делайте: доступ остаётся как был. \
                 Вопросы — по телефону {}.",
                self.settings.clinic_phone
            )),
        };
        let report = LostReport {
            account_id: account.id,
            links: [block, reset],
            mail,
            origin: origin.clone(),
            now: now.as_second(),
        };
        Ok(self.store.send_lost_report(&report).await?)
    }

    /// A report of lost credentials by the signed-in patient (A6, R17, R18): access is blocked
    /// at once — every session ends, the password stops working — and a link to set a new
    /// one goes to the registered e-mail.
    pub async fn report_my_lost_credentials(
        &self,
        patient: &Patient,
        origin: &Origin,
    ) -> Result<()> {
        self.block_for_loss(&patient.account, patient.actor(), None, origin).await?;
        Ok(())
    }

    /// Blocks access by the letter's link (after a report on the public form). `NotFound`
    /// for an unknown, used or expired link.
    pub async fn block_by_link(&self, token: &str, origin: &Origin) -> Result<()> {
        let hash = token_hash(token.trim());
        let now = self.now().as_second();
        let account_id = self
            .store
            .live_secret_account(SecretPurpose::BlockAccount, &hash, now)
            .await?
            .ok_or(Error::NotFound)?;
        let account = self.store.account(account_id).await?.ok_or(Error::NotFound)?;
        let actor = Actor::Patient(account.patient_id);
        if self.block_for_loss(&account, actor, Some(hash), origin).await? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// Blocks an account after a loss (not a suspension, which only the registrar lifts),
    /// with the letter that says so and a link to set a new password. `false` if `by_link`
    /// was not live.
    async fn block_for_loss(
        &self,
        account: &Account,
        actor: Actor,
        by_link: Option<String>,
        origin: &Origin,
    ) -> Result<bool> {
        if account.is_suspended() {
            return Ok(by_link.is_none());
        }
        let (reset, token) = self.link_secret(SecretPurpose::ResetPassword, RESET_LINK_TTL);
        let link = format!("{}/account/reset?token={token}", self.public_url());
        let to_patient = OutboxMail {
            kind: MailKind::CredentialsLost,
            recipient: account.login.clone(),
            subject: format!(
                "Доступ к личному кабинету заблокирован — {}",
                self.settings.clinic_name
            ),
            body: self.letter(&format!(
                "Доступ к вашему личному кабинету заблокирован после сообщения об утрате или \
                 компрометации данных для входа. Все сеансы завершены, вход по старому паролю \
                 закрыт.\n\n\
                 Чтобы задать новый пароль, откройте ссылку (она действует 24 часа):\n{link}\n\n\
                 Вы также можете получить новый одноразовый пароль в регистратуре клиники, \
                 телефон {}.",
                self.settings.clinic_phone
            )),
        };
        let block = AccountBlock {
            account_id: account.id,
            reason: BlockReason::CredentialsLost,
            note: None,
            reset: Some(reset),
            mails: vec![to_patient],
            actor,
            by_link,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        Ok(self.store.block_account(&block).await?)
    }

    /// A new link secret of `purpose` that works for `ttl`, and its token for the letter.
    fn link_secret(&self, purpose: SecretPurpose, ttl: SignedDuration) -> (NewSecret, String) {
        let token = random_token();
        let expires_at = (self.now() + ttl).as_second();
        (NewSecret { purpose, hash: token_hash(&token), expires_at }, token)
    }

    /// Sets a new password by a reset link's token (after a loss was reported). `NotFound`
    /// for an unknown, used or expired link.
    pub async fn reset_password(&self, token: &str, new: &str, origin: &Origin) -> Result<()> {
        let hash = token_hash(token.trim());
        let now = self.now().as_second();
        let Some(account_id) =
            self.store.live_secret_account(SecretPurpose::ResetPassword, &hash, now).await?
        else {
            return Err(Error::NotFound);
        };
        let account = self.store.account(account_id).await?.ok_or(Error::NotFound)?;
        if account.is_suspended() {
            return Err(Error::NotFound);
        }
        if let Err(message) =
            password::check(new, &account_words(&account), &self.settings.clinic_name)
        {
            let mut errors = FieldErrors::default();
            errors.add("password", message);
            return Err(Error::Validation(errors));
        }
        let password_hash = hash_password(new.to_owned()).await?;
        // Used once: of two tabs racing with one link, the second finds it spent.
        self.store
            .use_link_secret(SecretPurpose::ResetPassword, &hash, origin, now)
            .await?
            .ok_or(Error::NotFound)?;
        let mail = self.password_changed_mail(&account);
        self.store.set_password(account.id, &password_hash, Some(&mail), origin, now).await?;
        Ok(())
    }

    pub(crate) fn public_url(&self) -> &str {
        self.settings.public_url.trim_end_matches('/')
    }

    /// A letter body: greeting, text, signature.
    pub(crate) fn letter(&self, text: &str) -> String {
        format!(
            "Здравствуйте!\n\n{text}\n\n{}\n{}\n{}\n",
            self.settings.clinic_name, self.settings.clinic_phone, self.settings.public_url
        )
    }
}

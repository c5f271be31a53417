//! Rate limits (G7, ASVS V2.2): how often a login, a client, a phone or a mailbox may try
//! something. Each limit counts events under a key — a SHA-256 of what is counted, so the
//! store holds no logins, phones or addresses — over a window. A client is its address (an
//! IPv6 client by its /64; behind a trusted proxy, the address the proxy saw). A refusal is a
//! security event: an audit row.

use jiff::SignedDuration;
use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::net::client_key;
use kabinet_store::AuditEntry;
use serde_json::json;

use crate::accounts::token_hash;
use crate::{Error, Kabinet, Result};

/// At most `max` events under one key in `window`.
#[derive(Debug, Clone)]
pub(crate) struct Limit {
    key: String,
    max: i64,
    window: SignedDuration,
}

impl Limit {
    /// A limit on `what` for `subject` (a login, a phone, an address…).
    pub(crate) fn on(what: &str, subject: &str, max: i64, window: SignedDuration) -> Self {
        Self { key: token_hash(&format!("{what}:{subject}")), max, window }
    }

    /// The key the limit counts under.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    /// A limit on `what` for the client the request came from.
    pub(crate) fn per_client(
        what: &str,
        origin: &Origin,
        max: i64,
        window: SignedDuration,
    ) -> Self {
        Self::on(what, &client_key(origin.ip.as_deref().unwrap_or("-")), max, window)
    }
}

/// Letters a stranger can make the portal send to one mailbox (loss reports, confirmation
/// links sent again) in an hour: a few, so the portal cannot be used to flood a mailbox.
pub(crate) fn letters_to(mailbox: &str) -> Limit {
    Limit::on("letters_to", mailbox, 3, SignedDuration::from_hours(1))
}

/// Messages a patient may write to the clinic in an hour: enough for any conversation, too
/// few to flood the front desk.
pub(crate) fn patient_messages(patient_id: i64) -> Limit {
    Limit::on(
        "patient_messages",
        &patient_id.to_string(),
        PATIENT_MESSAGES_PER_HOUR,
        SignedDuration::from_hours(1),
    )
}

/// How many messages a patient may write in an hour.
pub(crate) const PATIENT_MESSAGES_PER_HOUR: i64 = 10;

/// The longest window of any limit: what the sweep may forget.
pub(crate) const LONGEST_WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// Why a request was refused, as its audit row says.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Counted {
    /// Signing in (patients and staff).
    SignIn,
    /// A report of lost credentials from the public form.
    LostReport,
    /// A one-time booking.
    Booking,
    /// A letter with a confirmation link (sent again, or "already registered").
    ConfirmationLetter,
    /// A patient's message to the clinic.
    PatientMessage,
}

impl Counted {
    fn name(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::LostReport => "lost_report",
            Self::Booking => "booking",
            Self::ConfirmationLetter => "confirmation_letter",
            Self::PatientMessage => "patient_message",
        }
    }

    /// The refusal, with the seconds to wait.
    fn refusal(self, retry_after: i64) -> Error {
        match self {
            Self::SignIn => Error::Throttled { retry_after },
            Self::LostReport | Self::Booking | Self::ConfirmationLetter | Self::PatientMessage => {
                Error::RateLimited { retry_after }
            }
        }
    }
}

impl Kabinet {
    /// Refuses (429) when one of `limits` is full, recording the refusal in the audit log;
    /// `subject` is the patient it was about, where known.
    pub(crate) async fn check_limits(
        &self,
        what: Counted,
        limits: &[Limit],
        subject: Option<i64>,
        origin: &Origin,
    ) -> Result<()> {
        let now = self.now().as_second();
        let mut wait = 0;
        for limit in limits {
            let window = limit.window.as_secs();
            let counted = self.store.rate_counts(&[&limit.key], now - window).await?;
            if let Some(c) = counted.first()
                && c.count >= limit.max
            {
                // Room again when the oldest event counted leaves the window.
                wait = wait.max(c.first + window - now);
            }
        }
        self.refuse_after(what, wait, subject, origin).await
    }

    /// Refuses (429) when `wait` seconds remain, recording the refusal as a security event.
    pub(crate) async fn refuse_after(
        &self,
        what: Counted,
        wait: i64,
        subject: Option<i64>,
        origin: &Origin,
    ) -> Result<()> {
        if wait <= 0 {
            return Ok(());
        }
        self.refuse(what, subject, origin).await?;
        Err(what.refusal(wait.max(1)))
    }

    /// Records a refusal (429) as a security event.
    async fn refuse(&self, what: Counted, subject: Option<i64>, origin: &Origin) -> Result<()> {
        let entry = AuditEntry::new(
            self.now().as_second(),
            Actor::Visitor,
            AuditAction::RequestThrottle,
            ObjectKind::Request,
            None,
        )
        .patient(subject)
        .origin(origin)
        .refused()
        .details(json!({"what": what.name()}));
        Ok(self.store.record_access(&entry).await?)
    }

    /// Counts one event under each of `limits`, with `audit` in the same transaction.
    pub(crate) async fn count(&self, limits: &[Limit], audit: Option<&AuditEntry>) -> Result<()> {
        let keys: Vec<&str> = limits.iter().map(|l| l.key.as_str()).collect();
        Ok(self.store.record_rate_events(&keys, self.now().as_second(), audit).await?)
    }

    /// Forgets what `limit` counted (a sign-in that passed forgets its failures).
    pub(crate) async fn forget(&self, limit: &Limit) -> Result<()> {
        Ok(self.store.clear_rate_events(&limit.key).await?)
    }
}

/// Whose sign-in: patients and staff are counted apart.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Realm {
    /// A patient (the login is an e-mail).
    Patient,
    /// A member of staff.
    Staff,
    /// A member of staff's code step (TOTP or recovery code), after the password.
    StaffCode,
}

/// The failures a sign-in counts under: its login from its client, its client alone, and
/// its login from anywhere.
pub(crate) struct SignInLimits {
    login_from_client: Limit,
    client: Limit,
    login: Limit,
}

/// Sign-in failures counted over this long.
const SIGN_IN_WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// Failures allowed to one login from one client in the window.
const MAX_FAILURES_PER_LOGIN: i64 = 5;
/// Failures allowed to one client in the window, whatever the logins (one machine guessing
/// across many accounts).
const MAX_FAILURES_PER_CLIENT: i64 = 30;
/// Failures of one login, from anywhere, before each further attempt has to wait.
const FREE_FAILURES_PER_ACCOUNT: i64 = 5;
/// The longest such wait: it slows a guesser spread over many addresses to about one try a
/// minute, and never locks the owner out for longer.
const MAX_ACCOUNT_DELAY: i64 = 60;

impl Kabinet {
    /// Refuses a sign-in (`Throttled`) while its login from its client or its client has too
    /// many failures in the window, or while its login's progressive delay runs: after five
    /// failures from anywhere, each attempt waits 2, 4, 8 … up to 60 seconds after the last
    /// failure. `subject` is the patient whose login it is, where known.
    pub(crate) async fn check_sign_in(
        &self,
        realm: Realm,
        login: &str,
        subject: Option<i64>,
        origin: &Origin,
    ) -> Result<SignInLimits> {
        let realm = match realm {
            Realm::Patient => "sign_in",
            Realm::Staff => "staff_sign_in",
            Realm::StaffCode => "staff_code",
        };
        let client = client_key(origin.ip.as_deref().unwrap_or("-"));
        let limits = SignInLimits {
            login_from_client: Limit::on(
                realm,
                &format!("{login}|{client}"),
                MAX_FAILURES_PER_LOGIN,
                SIGN_IN_WINDOW,
            ),
            client: Limit::per_client(realm, origin, MAX_FAILURES_PER_CLIENT, SIGN_IN_WINDOW),
            login: Limit::on(realm, login, i64::MAX, SIGN_IN_WINDOW),
        };
        let both = [limits.login_from_client.clone(), limits.client.clone()];
        self.check_limits(Counted::SignIn, &both, subject, origin).await?;
        let now = self.now().as_second();
        let since = now - SIGN_IN_WINDOW.as_secs();
        let counted = self.store.rate_counts(&[&limits.login.key], since).await?;
        if let Some(c) = counted.first()
            && c.count >= FREE_FAILURES_PER_ACCOUNT
        {
            let exponent =
                u32::try_from(c.count - FREE_FAILURES_PER_ACCOUNT + 1).unwrap_or(u32::MAX);
            let delay = 2_i64.checked_pow(exponent).unwrap_or(i64::MAX).min(MAX_ACCOUNT_DELAY);
            self.refuse_after(Counted::SignIn, c.last + delay - now, subject, origin).await?;
        }
        Ok(limits)
    }

    /// Counts a failed sign-in (or a wrong current password) under its limits, with its
    /// audit row: about the account or member `object` where there is one, and the patient
    /// `subject`.
    pub(crate) async fn count_failure(
        &self,
        limits: &SignInLimits,
        (object, subject): (Option<(ObjectKind, i64)>, Option<i64>),
        origin: &Origin,
    ) -> Result<()> {
        let (kind, id) = object.map_or((ObjectKind::Request, None), |(k, id)| (k, Some(id)));
        let entry = AuditEntry::new(
            self.now().as_second(),
            Actor::Visitor,
            AuditAction::SessionRefuse,
            kind,
            id,
        )
        .patient(subject)
        .origin(origin)
        .refused();
        let all = [limits.login_from_client.clone(), limits.client.clone(), limits.login.clone()];
        self.count(&all, Some(&entry)).await
    }

    /// Counts a failed sign-in and answers `Unauthorized`.
    pub(crate) async fn sign_in_failed<T>(
        &self,
        limits: &SignInLimits,
        about: (Option<(ObjectKind, i64)>, Option<i64>),
        origin: &Origin,
    ) -> Result<T> {
        self.count_failure(limits, about, origin).await?;
        Err(Error::Unauthorized)
    }

    /// Forgets the login's failures from this client after a sign-in that passed.
    pub(crate) async fn sign_in_passed(&self, limits: &SignInLimits) -> Result<()> {
        self.forget(&limits.login_from_client).await
    }
}

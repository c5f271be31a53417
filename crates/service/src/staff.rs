//! The clinic's staff: the first administrator from a one-time bootstrap secret (`kabinet
//! staff`), colleagues an administrator adds (each sets a personal password by a one-time
//! link), sign-in with the same throttling as patients, sessions with the same expiry, and
//! suspension. No default passwords anywhere.

use jiff::SignedDuration;
use kabinet_core::access::{Actor, Origin, StaffRole};
use kabinet_core::account::StaffSecretPurpose;
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::password;
use kabinet_core::patient::{FieldErrors, NamePart};
use kabinet_core::roles::{self, Action};
use kabinet_core::token::random_token;
use kabinet_store::AuditEntry;
use kabinet_store::sessions::SessionOwner;
use kabinet_store::staff::{NewStaff, StaffError, StaffMember};

use crate::accounts::{SignedIn, hash_password, token_hash, verify_password};
use crate::limits::Realm;
use crate::{Error, Kabinet, Result};

/// How long the bootstrap link and a colleague's setup link work.
pub const STAFF_LINK_TTL: SignedDuration = SignedDuration::from_hours(24);

/// A signed-in member of staff, as every staff request sees them.
#[derive(Debug, Clone)]
pub struct StaffUser {
    /// The member.
    pub member: StaffMember,
    /// The role.
    pub role: StaffRole,
    /// The session's token hash.
    pub session_hash: String,
    /// The CSRF token of this session's forms.
    pub csrf_token: String,
    /// How many patients' messages no member of staff has opened: the menu shows it to
    /// those who answer patients (0 for the others).
    pub unread_messages: i64,
}

impl StaffUser {
    /// The member, as the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor::Staff(self.member.id)
    }

    /// Whether the member may do `action`, by the roles table ([`kabinet_core::roles`]): their
    /// role's actions, and the audit log's if they hold the auditor grant.
    pub fn may(&self, action: Action) -> bool {
        roles::may(self.role, self.member.auditor, action)
    }

    /// `Forbidden` unless the member may do `action`: the first line of every use case of
    /// the back office.
    pub fn require(&self, action: Action) -> Result<()> {
        if self.may(action) { Ok(()) } else { Err(Error::Forbidden) }
    }
}

/// A new member of staff as typed by the administrator (or by the first one at bootstrap).
#[derive(Debug, Clone, Default)]
pub struct StaffInput {
    /// The sign-in name.
    pub login: String,
    /// The full name.
    pub full_name: String,
}

impl StaffInput {
    fn parse(&self, errors: &mut FieldErrors, role: StaffRole) -> Option<NewStaff> {
        let login = self.login.trim().to_lowercase();
        let login_ok = (3..=40).contains(&login.chars().count())
            && login.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !login_ok {
            errors.add("login", "error-staff-login-invalid");
        }
        let full_name = errors.take("full_name", NamePart::parse(&self.full_name))?;
        login_ok.then(|| NewStaff { login, full_name: full_name.as_str().to_owned(), role })
    }
}

fn own_words(member: &NewStaff) -> Vec<&str> {
    let mut words: Vec<&str> = member.full_name.split_whitespace().collect();
    words.push(&member.login);
    words
}

fn staff_error(error: StaffError) -> Error {
    match error {
        StaffError::LoginTaken => {
            let mut errors = FieldErrors::default();
            errors.add("login", "error-staff-login-taken");
            Error::Validation(errors)
        }
        StaffError::NoSecret | StaffError::AdministratorExists => Error::NotFound,
        StaffError::Store(e) => e.into(),
    }
}

impl Kabinet {
    /// Issues the one-time bootstrap secret and returns the page's URL, which holds it.
    /// `Forbidden` when an administrator exists: the bootstrap is over.
    pub async fn issue_bootstrap(&self) -> Result<String> {
        if self.store.has_administrator().await? {
            return Err(Error::Forbidden);
        }
        let token = random_token();
        let now = self.now();
        let expires_at = (now + STAFF_LINK_TTL).as_second();
        self.store.issue_bootstrap_secret(&token_hash(&token), expires_at, now.as_second()).await?;
        Ok(format!(
            "{}/staff/bootstrap?token={token}",
            self.settings.public_url.trim_end_matches('/')
        ))
    }

    /// Whether a staff link's token (bootstrap or setup) is live. `NotFound` if not, or, for
    /// the bootstrap, when an administrator exists.
    pub async fn check_staff_link(&self, bootstrap: bool, token: &str) -> Result<()> {
        let purpose =
            if bootstrap { StaffSecretPurpose::Bootstrap } else { StaffSecretPurpose::Setup };
        let now = self.now().as_second();
        let live = self.store.live_staff_secret(purpose, &token_hash(token.trim()), now).await?;
        if live.is_none() || (bootstrap && self.store.has_administrator().await?) {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Creates the first administrator with a personal password, by the bootstrap token.
    /// Works once; `NotFound` for a used, expired or unknown token.
    pub async fn bootstrap_administrator(
        &self,
        token: &str,
        input: &StaffInput,
        password: &str,
        origin: &Origin,
    ) -> Result<()> {
        self.check_staff_link(true, token).await?;
        let mut errors = FieldErrors::default();
        let member = input.parse(&mut errors, StaffRole::Administrator);
        if let Some(m) = &member
            && let Err(message) =
                password::check(password, &own_words(m), &self.settings.clinic_name)
        {
            errors.add("password", message);
        }
        let (Some(member), true) = (member, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let hash = hash_password(password.to_owned()).await?;
        let now = self.now().as_second();
        self.store
            .bootstrap_administrator(&token_hash(token.trim()), &member, &hash, origin, now)
            .await
            .map_err(staff_error)?;
        Ok(())
    }

    /// An administrator adds a colleague; returns the one-time link (24 h) by which the
    /// colleague sets a personal password.
    pub async fn create_staff_member(
        &self,
        admin: &StaffUser,
        input: &StaffInput,
        role: StaffRole,
        origin: &Origin,
    ) -> Result<String> {
        admin.require(Action::ManageTeam)?;
        let mut errors = FieldErrors::default();
        let member = input.parse(&mut errors, role);
        let (Some(member), true) = (member, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let token = random_token();
        let now = self.now();
        let expires_at = (now + STAFF_LINK_TTL).as_second();
        self.store
            .create_staff(
                &member,
                &token_hash(&token),
                expires_at,
                admin.member.id,
                origin,
                now.as_second(),
            )
            .await
            .map_err(staff_error)?;
        Ok(format!("{}/staff/setup?token={token}", self.settings.public_url.trim_end_matches('/')))
    }

    /// A colleague sets a personal password by the setup link's token.
    pub async fn set_up_staff_password(
        &self,
        token: &str,
        password: &str,
        origin: &Origin,
    ) -> Result<()> {
        let hash = token_hash(token.trim());
        let now = self.now().as_second();
        let Some(Some(staff_id)) =
            self.store.live_staff_secret(StaffSecretPurpose::Setup, &hash, now).await?
        else {
            return Err(Error::NotFound);
        };
        let member = self.store.staff_member(staff_id).await?.ok_or(Error::NotFound)?;
        let mut words: Vec<&str> = member.full_name.split_whitespace().collect();
        words.push(&member.login);
        if let Err(message) = password::check(password, &words, &self.settings.clinic_name) {
            let mut errors = FieldErrors::default();
            errors.add("password", message);
            return Err(Error::Validation(errors));
        }
        let password_hash = hash_password(password.to_owned()).await?;
        self.store
            .set_staff_password_by_secret(&hash, &password_hash, origin, now)
            .await
            .map_err(staff_error)?;
        Ok(())
    }

    /// Takes a member of staff's password: the session it opens waits for the code step
    /// ([`Kabinet::pass_staff_code`], or enrolment first) and grants nothing until then.
    /// Unknown login, wrong password and a suspended member answer alike; too many failures
    /// answer `Throttled`, per login and address and per address.
    pub async fn staff_sign_in(
        &self,
        login: &str,
        password: &str,
        origin: &Origin,
        user_agent: Option<String>,
    ) -> Result<SignedIn> {
        let login = login.trim().to_lowercase();
        // The staff's logins are counted apart from patients' (which are e-mails anyway).
        let limits = self.check_sign_in(Realm::Staff, &login, None, origin).await?;
        let member = self.store.staff_by_login(&login).await?;
        let about = (member.as_ref().map(|m| (ObjectKind::Staff, m.id)), None);
        let hash = member.as_ref().map(|m| m.password_hash.clone()).filter(|h| !h.is_empty());
        let ok = verify_password(password.to_owned(), hash).await;
        let Some(member) = member.filter(|m| ok && m.suspended_at.is_none()) else {
            return self.sign_in_failed(&limits, about, origin).await;
        };
        self.sign_in_passed(&limits).await?;
        let (signed, session) =
            self.session_record(SessionOwner::Staff(member.id), None, origin, user_agent, true);
        self.store.create_session(&session).await?;
        Ok(signed)
    }

    /// The member a session token belongs to, if the session is alive and the member is not
    /// suspended. A dead session is deleted.
    pub async fn staff_session(&self, token: &str) -> Result<Option<StaffUser>> {
        let hash = token_hash(token);
        let Some(session) = self.store.session(&hash).await? else { return Ok(None) };
        let Some(staff_id) = session.staff_id else { return Ok(None) };
        if session.second_factor_pending {
            // The password alone grants nothing: the code step comes first.
            return Ok(None);
        }
        let now = self.now().as_second();
        let member = self.store.staff_member(staff_id).await?;
        let Some(member) = member.filter(|m| m.suspended_at.is_none()) else {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        };
        if !self.session_alive(&session, now) {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        if now - session.last_seen_at >= 60 {
            self.store.touch_session(&hash, now).await?;
        }
        let role = member.role;
        let unread_messages = if roles::may(role, member.auditor, Action::MessagePatients) {
            self.store.unread_patient_messages().await?
        } else {
            0
        };
        let csrf_token = session.csrf_token;
        Ok(Some(StaffUser { member, role, session_hash: hash, csrf_token, unread_messages }))
    }

    /// Ends this staff session.
    pub async fn staff_sign_out(&self, staff: &StaffUser, origin: &Origin) -> Result<()> {
        let entry = AuditEntry::new(
            self.now().as_second(),
            staff.actor(),
            AuditAction::SessionDelete,
            ObjectKind::Staff,
            Some(staff.member.id),
        )
        .origin(origin);
        Ok(self.store.end_session(&staff.session_hash, &entry).await?)
    }

    /// Every member of staff (to those who manage the team).
    pub async fn staff_members(&self, admin: &StaffUser) -> Result<Vec<StaffMember>> {
        admin.require(Action::ManageTeam)?;
        Ok(self.store.list_staff().await?)
    }

    /// Suspends a colleague (their sessions end at once) or lifts it. An administrator may
    /// not suspend themselves, so the portal always keeps one.
    pub async fn set_staff_suspended(
        &self,
        admin: &StaffUser,
        staff_id: i64,
        suspend: bool,
        origin: &Origin,
    ) -> Result<()> {
        admin.require(Action::ManageTeam)?;
        if staff_id == admin.member.id {
            return Err(Error::Forbidden);
        }
        let now = self.now().as_second();
        if !self.store.set_staff_suspended(staff_id, suspend, admin.member.id, origin, now).await? {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Makes a colleague an auditor (G6) or takes it back. An administrator may not change
    /// their own: reading the log is given by someone else, and the audit shows who.
    pub async fn set_staff_auditor(
        &self,
        admin: &StaffUser,
        staff_id: i64,
        auditor: bool,
        origin: &Origin,
    ) -> Result<()> {
        admin.require(Action::GrantAuditor)?;
        if staff_id == admin.member.id {
            return Err(Error::Forbidden);
        }
        let now = self.now().as_second();
        if !self.store.set_staff_auditor(staff_id, auditor, admin.member.id, origin, now).await? {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}

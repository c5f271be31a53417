//! The staff's second factor (ASVS 6.3.3): after the password, a staff session waits for a
//! code — a TOTP code from the member's app, or one of their ten recovery codes — and grants
//! nothing until then. A member without a second factor enrols first: a secret (shown as a QR
//! code and in base32), a right code to prove the app has it, then ten recovery codes shown
//! once. Wrong codes are throttled like passwords; a code is accepted once. Only an
//! administrator resets a colleague's second factor, audited; the colleague enrols again.

use jiff::SignedDuration;
use kabinet_core::access::Origin;
use kabinet_core::audit::ObjectKind;
use kabinet_core::roles::Action;
use kabinet_core::totp::{TotpSecret, is_totp_code, new_recovery_codes, normalize_recovery_code};
use kabinet_store::second_factor::SecondFactor;
use kabinet_store::sessions::SessionOwner;
use kabinet_store::staff::StaffMember;

use crate::accounts::{SignedIn, token_hash};
use crate::limits::Realm;
use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// How long a session opened by the password alone waits for its code.
pub const CODE_STEP_TTL: SignedDuration = SignedDuration::from_mins(10);

/// A member of staff who gave the right password and owes the code step.
#[derive(Debug, Clone)]
pub struct PendingStaff {
    /// The member.
    pub member: StaffMember,
    /// The waiting session's token hash.
    pub session_hash: String,
    /// The CSRF token of the code step's forms.
    pub csrf_token: String,
}

impl PendingStaff {
    /// Whether the member has a second factor already (else they enrol first).
    pub fn enrolled(&self) -> bool {
        self.member.totp_enrolled_at.is_some()
    }
}

/// What the enrolment page shows: the secret for the app, never in a URL of ours.
#[derive(Clone)]
pub struct Enrolment {
    /// The secret in base32, for typing into the app by hand.
    pub secret_base32: String,
    /// The `otpauth://` address the QR code holds.
    pub otpauth_url: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment(..)")
    }
}

/// A finished enrolment: the full session, and the recovery codes to show once.
#[derive(Debug)]
pub struct Enrolled {
    /// The new session (the waiting one is gone).
    pub signed_in: SignedIn,
    /// Ten recovery codes, `XXXX-XXXX-XXXX-XXXX`; only their hashes are kept.
    pub recovery_codes: Vec<String>,
}

impl Kabinet {
    /// The member whose session `token` waits for the code step, if it is alive (ten minutes
    /// from the password) and the member is not suspended.
    pub async fn staff_pending(&self, token: &str) -> Result<Option<PendingStaff>> {
        let hash = token_hash(token);
        let Some(session) = self.store.session(&hash).await? else { return Ok(None) };
        let (Some(staff_id), true) = (session.staff_id, session.second_factor_pending) else {
            return Ok(None);
        };
        let now = self.now().as_second();
        let member = self.store.staff_member(staff_id).await?;
        let alive = now - session.created_at < CODE_STEP_TTL.as_secs();
        let Some(member) = member.filter(|m| alive && m.suspended_at.is_none()) else {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        };
        Ok(Some(PendingStaff { member, session_hash: hash, csrf_token: session.csrf_token }))
    }

    /// The secret a member without a second factor enrols with (the same one until they
    /// finish). `Forbidden` for a member enrolled already.
    pub async fn totp_enrolment(&self, pending: &PendingStaff) -> Result<Enrolment> {
        let id = pending.member.id;
        if pending.enrolled() {
            return Err(Error::Forbidden);
        }
        let now = self.now().as_second();
        self.store.start_totp_enrolment(id, &TotpSecret::generate().to_base32(), now).await?;
        let stored = self.store.staff_totp(id).await?.ok_or(Error::NotFound)?;
        let secret = TotpSecret::from_base32(&stored.secret)
            .ok_or_else(|| Error::Internal(format!("staff {id}: a TOTP secret is not base32")))?;
        Ok(Enrolment {
            secret_base32: secret.to_base32(),
            otpauth_url: secret.otpauth_url(&pending.member.login, &self.settings.clinic_name),
        })
    }

    /// Ends the enrolment with a right code from the app: the full session and ten recovery
    /// codes. A wrong code counts as a failed sign-in (`Unauthorized`, then `Throttled`).
    pub async fn finish_totp_enrolment(
        &self,
        pending: &PendingStaff,
        code: &str,
        origin: &Origin,
        user_agent: Option<String>,
    ) -> Result<Enrolled> {
        let enrolment = self.totp_enrolment(pending).await?;
        let id = pending.member.id;
        let limits =
            self.check_sign_in(Realm::StaffCode, &pending.member.login, None, origin).await?;
        let now = self.now().as_second();
        let secret = TotpSecret::from_base32(&enrolment.secret_base32);
        let Some(step) = secret.and_then(|s| s.check(code, now)) else {
            return self
                .sign_in_failed(&limits, (Some((ObjectKind::Staff, id)), None), origin)
                .await;
        };
        let recovery_codes = new_recovery_codes();
        let hashes: Vec<String> = recovery_codes
            .iter()
            .filter_map(|c| normalize_recovery_code(c))
            .map(|c| token_hash(&c))
            .collect();
        let (signed_in, session) =
            self.session_record(SessionOwner::Staff(id), None, origin, user_agent, false);
        let store = &self.store;
        if !store.finish_totp_enrolment(id, step, &hashes, &pending.session_hash, &session).await? {
            return Err(Error::NotFound);
        }
        self.sign_in_passed(&limits).await?;
        Ok(Enrolled { signed_in, recovery_codes })
    }

    /// The code step of a staff sign-in: a TOTP code newer than the last one accepted, or an
    /// unused recovery code (used up now). A wrong or replayed code counts as a failed
    /// sign-in. The waiting session gives way to a new full one.
    pub async fn pass_staff_code(
        &self,
        pending: &PendingStaff,
        code: &str,
        origin: &Origin,
        user_agent: Option<String>,
    ) -> Result<SignedIn> {
        let id = pending.member.id;
        let limits =
            self.check_sign_in(Realm::StaffCode, &pending.member.login, None, origin).await?;
        let about = (Some((ObjectKind::Staff, id)), None);
        let stored = self.store.staff_totp(id).await?.filter(|t| t.enrolled_at.is_some());
        let Some(stored) = stored else { return Err(Error::Forbidden) };
        let now = self.now().as_second();
        let recovery_hash;
        let proof = if is_totp_code(code) {
            let step = TotpSecret::from_base32(&stored.secret).and_then(|s| s.check(code, now));
            match step {
                Some(step) if step > stored.last_step => SecondFactor::Totp { step },
                _ => return self.sign_in_failed(&limits, about, origin).await,
            }
        } else {
            let Some(normal) = normalize_recovery_code(code) else {
                return self.sign_in_failed(&limits, about, origin).await;
            };
            recovery_hash = token_hash(&normal);
            SecondFactor::RecoveryCode { hash: &recovery_hash }
        };
        let (signed_in, session) =
            self.session_record(SessionOwner::Staff(id), None, origin, user_agent, false);
        if !self.store.pass_second_factor(id, proof, &pending.session_hash, &session).await? {
            return self.sign_in_failed(&limits, about, origin).await;
        }
        self.sign_in_passed(&limits).await?;
        Ok(signed_in)
    }

    /// How many recovery codes the member has left.
    pub async fn unused_recovery_codes(&self, staff: &StaffUser) -> Result<i64> {
        Ok(self.store.unused_recovery_codes(staff.member.id).await?)
    }

    /// An administrator resets a colleague's second factor (a lost phone): their sessions
    /// end and they enrol again at the next sign-in. Audited. Not one's own: another
    /// administrator must do it, so a stolen session cannot remove the factor.
    pub async fn reset_staff_totp(
        &self,
        admin: &StaffUser,
        staff_id: i64,
        origin: &Origin,
    ) -> Result<()> {
        admin.require(Action::ResetSecondFactor)?;
        if staff_id == admin.member.id {
            return Err(Error::Forbidden);
        }
        let now = self.now().as_second();
        if !self.store.reset_staff_totp(staff_id, admin.member.id, origin, now).await? {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}

//! The staff's second factor: a TOTP secret per member (replaceable until enrolment ends),
//! the hashes of ten single-use recovery codes, and the step from a password-only session to
//! a full one. Passing the code step uses up what was shown (the code's time step, or one
//! recovery code) and swaps the waiting session for a new one, in one transaction.

use std::fmt;

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::AuditAction;
use serde_json::json;

use crate::sessions::{NewSession, insert_session};
use crate::sql::{Conn, insert_audit};
use crate::staff::staff_audit;
use crate::{Result, Store, dispatch, dispatch_write};

/// A member's TOTP record. `Debug` never shows the secret.
#[derive(Clone, sqlx::FromRow)]
pub struct StaffTotp {
    /// The secret, base32.
    pub secret: String,
    /// When the member typed their first right code; `None` while enrolling.
    pub enrolled_at: Option<i64>,
    /// The time step of the last code accepted.
    pub last_step: i64,
}

impl fmt::Debug for StaffTotp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaffTotp")
            .field("enrolled_at", &self.enrolled_at)
            .field("last_step", &self.last_step)
            .finish_non_exhaustive()
    }
}

/// What passed the code step.
#[derive(Debug, Clone, Copy)]
pub enum SecondFactor<'a> {
    /// A TOTP code of this time step; it must be newer than the last one accepted.
    Totp {
        /// The RFC 6238 time step.
        step: i64,
    },
    /// A recovery code, by its SHA-256; it must be unused.
    RecoveryCode {
        /// SHA-256 of the normalized code, hex.
        hash: &'a str,
    },
}

/// Swaps the waiting session for the full one. `false` if the waiting one is gone.
async fn swap_session(
    c: &mut impl Conn,
    pending_hash: &str,
    session: &NewSession,
    how: &str,
) -> Result<bool> {
    let gone = c
        .execute(
            "DELETE FROM sessions WHERE token_hash = $1 AND second_factor_pending",
            &[pending_hash.into()],
        )
        .await?;
    if gone != 1 {
        return Ok(false);
    }
    insert_session(c, session, json!({"second_factor": how})).await?;
    Ok(true)
}

impl Store {
    /// The member's TOTP record, if any.
    pub async fn staff_totp(&self, staff_id: i64) -> Result<Option<StaffTotp>> {
        const SQL: &str =
            "SELECT secret, enrolled_at, last_step FROM staff_totp WHERE staff_id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(staff_id).fetch_optional(pool).await?))
    }

    /// Keeps `secret` as the member's secret to enrol with, unless they have one already.
    pub async fn start_totp_enrolment(&self, staff_id: i64, secret: &str, now: i64) -> Result<()> {
        const SQL: &str = "INSERT INTO staff_totp (staff_id, secret, created_at) \
            VALUES ($1, $2, $3) ON CONFLICT (staff_id) DO NOTHING";
        dispatch_write!(self, |pool| {
            sqlx::query(SQL).bind(staff_id).bind(secret).bind(now).execute(pool).await?;
        });
        Ok(())
    }

    /// Ends the enrolment with the first right code (of `step`): stores the recovery codes'
    /// hashes (replacing any), swaps the waiting session for `session`, audited. `false` if
    /// the member is enrolled already or the waiting session is gone.
    pub async fn finish_totp_enrolment(
        &self,
        staff_id: i64,
        step: i64,
        code_hashes: &[String],
        pending_hash: &str,
        session: &NewSession,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let now = session.now;
            let enrolled = tx
                .execute(
                    "UPDATE staff_totp SET enrolled_at = $1, last_step = $2 \
                    WHERE staff_id = $3 AND enrolled_at IS NULL",
                    &[now.into(), step.into(), staff_id.into()],
                )
                .await?;
            if enrolled != 1 {
                return Ok(false);
            }
            tx.execute("DELETE FROM staff_recovery_codes WHERE staff_id = $1", &[staff_id.into()])
                .await?;
            for hash in code_hashes {
                tx.execute(
                    "INSERT INTO staff_recovery_codes (staff_id, code_hash, created_at) \
                    VALUES ($1, $2, $3)",
                    &[staff_id.into(), hash.into(), now.into()],
                )
                .await?;
            }
            if !swap_session(&mut tx, pending_hash, session, "enrolment").await? {
                return Ok(false);
            }
            let actor = Actor::Staff(staff_id);
            let entry =
                staff_audit(now, actor, AuditAction::StaffTotpEnrol, staff_id, &session.origin)
                    .details(json!({"recovery_codes": code_hashes.len()}));
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Passes the code step: uses up `proof` (a TOTP step newer than the last accepted, or an
    /// unused recovery code) and swaps the waiting session for `session`. `false` — and
    /// nothing changed — if the proof was used already or the waiting session is gone.
    pub async fn pass_second_factor(
        &self,
        staff_id: i64,
        proof: SecondFactor<'_>,
        pending_hash: &str,
        session: &NewSession,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let now = session.now;
            let (used, how) = match proof {
                SecondFactor::Totp { step } => {
                    let used = tx
                        .execute(
                            "UPDATE staff_totp SET last_step = $1 WHERE staff_id = $2 \
                            AND enrolled_at IS NOT NULL AND last_step < $1",
                            &[step.into(), staff_id.into()],
                        )
                        .await?;
                    (used, "totp")
                }
                SecondFactor::RecoveryCode { hash } => {
                    let used = tx
                        .execute(
                            "UPDATE staff_recovery_codes SET used_at = $1 WHERE staff_id = $2 \
                            AND code_hash = $3 AND used_at IS NULL",
                            &[now.into(), staff_id.into(), hash.into()],
                        )
                        .await?;
                    (used, "recovery_code")
                }
            };
            if used != 1 || !swap_session(&mut tx, pending_hash, session, how).await? {
                return Ok(false);
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// How many of the member's recovery codes are unused.
    pub async fn unused_recovery_codes(&self, staff_id: i64) -> Result<i64> {
        const SQL: &str = "SELECT COUNT(*) FROM staff_recovery_codes \
            WHERE staff_id = $1 AND used_at IS NULL";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(SQL).bind(staff_id).fetch_one(pool).await?))
    }

    /// Removes a member's second factor and recovery codes and ends their sessions, audited
    /// as done `by` an administrator: at the next sign-in they enrol again. `false` if there
    /// is no such member.
    pub async fn reset_staff_totp(
        &self,
        staff_id: i64,
        by: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let found =
                tx.fetch_i64("SELECT id FROM staff WHERE id = $1", &[staff_id.into()]).await?;
            if found.is_none() {
                return Ok(false);
            }
            tx.execute("DELETE FROM staff_recovery_codes WHERE staff_id = $1", &[staff_id.into()])
                .await?;
            let had = tx
                .execute("DELETE FROM staff_totp WHERE staff_id = $1", &[staff_id.into()])
                .await?;
            let ended =
                tx.execute("DELETE FROM sessions WHERE staff_id = $1", &[staff_id.into()]).await?;
            let entry =
                staff_audit(now, Actor::Staff(by), AuditAction::StaffTotpReset, staff_id, origin)
                    .details(json!({"was_enrolled": had > 0, "sessions_ended": ended}));
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok(true)
        })
    }
}

//! The clinic's staff (registrars and administrators): members, their single-use secrets —
//! the bootstrap that creates the first administrator, the link a new colleague sets a
//! password with — and suspension, which ends a member's sessions at once.

use kabinet_core::access::{Actor, Origin, StaffRole};
use kabinet_core::account::StaffSecretPurpose;
use kabinet_core::audit::{AuditAction, ObjectKind};
use serde_json::json;

use crate::sql::{Conn, insert_audit};
use crate::{AuditEntry, Result, Store, StoreError, dispatch, dispatch_write, unique_or};

/// A member of staff.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffMember {
    /// The member's id.
    pub id: i64,
    /// The sign-in name.
    pub login: String,
    /// The full name, as colleagues and the audit know it.
    pub full_name: String,
    /// The role.
    #[sqlx(try_from = "String")]
    pub role: StaffRole,
    /// Argon2id PHC string; empty until the member sets a password by the setup link.
    pub password_hash: String,
    /// Unix seconds.
    pub created_at: i64,
    /// When an administrator suspended the member.
    pub suspended_at: Option<i64>,
    /// Whether the member reads the audit log (held besides the role).
    pub auditor: bool,
    /// When the member enrolled their second factor; `None` until they do (or after a reset).
    pub totp_enrolled_at: Option<i64>,
}

/// Why a staff change was not made.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// Another member has this login.
    #[error("login taken")]
    LoginTaken,
    /// The secret is unknown, used, voided or expired.
    #[error("no live secret")]
    NoSecret,
    /// An administrator exists already: the bootstrap is over.
    #[error("an administrator exists")]
    AdministratorExists,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for StaffError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

/// A new member of staff.
#[derive(Debug, Clone)]
pub struct NewStaff {
    /// The sign-in name, lower case.
    pub login: String,
    /// The full name.
    pub full_name: String,
    /// The role.
    pub role: StaffRole,
}

macro_rules! staff_select {
    () => {
        "SELECT s.id, s.login, s.full_name, s.role, s.password_hash, s.created_at, \
         s.suspended_at, s.auditor, t.enrolled_at AS totp_enrolled_at \
         FROM staff s LEFT JOIN staff_totp t ON t.staff_id = s.id"
    };
}

/// Inserts a member; a taken login becomes [`StaffError::LoginTaken`]. Returns the id.
async fn insert_staff(
    c: &mut impl Conn,
    member: &NewStaff,
    password_hash: &str,
    now: i64,
) -> Result<i64, StaffError> {
    const SQL: &str = "INSERT INTO staff (login, full_name, role, password_hash, created_at) \
        VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let args = [
        (&member.login).into(),
        (&member.full_name).into(),
        member.role.as_str().into(),
        password_hash.into(),
        now.into(),
    ];
    c.insert(SQL, &args).await.map_err(|e| unique_or(e, StaffError::LoginTaken))
}

/// An audit row about a member of staff, from `origin`.
pub(crate) fn staff_audit(
    at: i64,
    actor: Actor,
    action: AuditAction,
    staff_id: i64,
    origin: &Origin,
) -> AuditEntry {
    AuditEntry::new(at, actor, action, ObjectKind::Staff, Some(staff_id)).origin(origin)
}

impl Store {
    /// Whether any administrator exists (suspended ones count: the bootstrap is over).
    pub async fn has_administrator(&self) -> Result<bool> {
        let n: i64 = dispatch!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM staff WHERE role = 'administrator'"
        )
        .fetch_one(pool)
        .await?);
        Ok(n > 0)
    }

    /// Issues the bootstrap secret, voiding any earlier one that was not used.
    pub async fn issue_bootstrap_secret(
        &self,
        hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE staff_secrets SET used_at = $1 WHERE purpose = 'bootstrap' \
                AND used_at IS NULL",
            )
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO staff_secrets (purpose, secret_hash, \
                expires_at, created_at) VALUES ('bootstrap', $1, $2, $3) RETURNING id",
            )
            .bind(hash)
            .bind(expires_at)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    now,
                    Actor::System,
                    AuditAction::StaffBootstrapIssue,
                    ObjectKind::StaffSecret,
                    Some(id),
                ),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The live secret of `purpose` with this hash, without using it: `Some(staff_id)` (no
    /// member for a bootstrap), `None` if there is none.
    pub async fn live_staff_secret(
        &self,
        purpose: StaffSecretPurpose,
        hash: &str,
        now: i64,
    ) -> Result<Option<Option<i64>>> {
        const SQL: &str = "SELECT staff_id FROM staff_secrets WHERE secret_hash = $1 \
            AND purpose = $2 AND used_at IS NULL AND expires_at > $3";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(SQL)
            .bind(hash)
            .bind(purpose.as_str())
            .bind(now)
            .fetch_optional(pool)
            .await?))
    }

    /// Uses the bootstrap secret and creates the first administrator, once: the secret works
    /// once, and not at all when an administrator exists. Returns the new member's id.
    pub async fn bootstrap_administrator(
        &self,
        hash: &str,
        member: &NewStaff,
        password_hash: &str,
        origin: &Origin,
        now: i64,
    ) -> Result<i64, StaffError> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let used = sqlx::query(
                "UPDATE staff_secrets SET used_at = $1 WHERE secret_hash = $2 \
                AND purpose = 'bootstrap' AND used_at IS NULL AND expires_at > $1",
            )
            .bind(now)
            .bind(hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if used != 1 {
                return Err(StaffError::NoSecret);
            }
            let admins: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role = 'administrator'")
                    .fetch_one(&mut *tx)
                    .await?;
            if admins > 0 {
                return Err(StaffError::AdministratorExists);
            }
            let id = insert_staff(&mut tx, member, password_hash, now).await?;
            insert_audit(
                &mut tx,
                &staff_audit(now, Actor::Staff(id), AuditAction::StaffBootstrap, id, origin),
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Creates a member whose password is still to be set, with the setup link's secret.
    pub async fn create_staff(
        &self,
        member: &NewStaff,
        setup_hash: &str,
        expires_at: i64,
        by: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<i64, StaffError> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = insert_staff(&mut tx, member, "", now).await?;
            sqlx::query(
                "INSERT INTO staff_secrets (staff_id, purpose, secret_hash, expires_at, \
                created_at) VALUES ($1, 'setup', $2, $3, $4)",
            )
            .bind(id)
            .bind(setup_hash)
            .bind(expires_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let mut entry =
                staff_audit(now, Actor::Staff(by), AuditAction::StaffCreate, id, origin);
            entry.details = json!({"role": member.role});
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Uses a setup secret and sets the member's password. Returns the member's id.
    pub async fn set_staff_password_by_secret(
        &self,
        hash: &str,
        password_hash: &str,
        origin: &Origin,
        now: i64,
    ) -> Result<i64, StaffError> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            const USE_SETUP: &str = "UPDATE staff_secrets SET used_at = $1 WHERE secret_hash = $2 \
                AND purpose = 'setup' AND used_at IS NULL AND expires_at > $1 RETURNING staff_id";
            let staff_id: Option<Option<i64>> =
                sqlx::query_scalar(USE_SETUP).bind(now).bind(hash).fetch_optional(&mut *tx).await?;
            let Some(Some(id)) = staff_id else { return Err(StaffError::NoSecret) };
            sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            insert_audit(
                &mut tx,
                &staff_audit(now, Actor::Staff(id), AuditAction::StaffSetPassword, id, origin),
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The member with this login.
    pub async fn staff_by_login(&self, login: &str) -> Result<Option<StaffMember>> {
        const SQL: &str = concat!(staff_select!(), " WHERE s.login = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(login).fetch_optional(pool).await?))
    }

    /// The member by id.
    pub async fn staff_member(&self, id: i64) -> Result<Option<StaffMember>> {
        const SQL: &str = concat!(staff_select!(), " WHERE s.id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
    }

    /// Every member, by name.
    pub async fn list_staff(&self) -> Result<Vec<StaffMember>> {
        const SQL: &str = concat!(staff_select!(), " ORDER BY s.full_name, s.id");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).fetch_all(pool).await?))
    }

    /// Suspends a member (every session ends at once) or lifts the suspension. `false` if
    /// there is no such member.
    pub async fn set_staff_suspended(
        &self,
        id: i64,
        suspend: bool,
        by: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("UPDATE staff SET suspended_at = $1 WHERE id = $2")
                .bind(suspend.then_some(now))
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 0 {
                return Ok(false);
            }
            let ended = if suspend {
                sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            } else {
                0
            };
            let action =
                if suspend { AuditAction::StaffSuspend } else { AuditAction::StaffUnsuspend };
            let mut entry = staff_audit(now, Actor::Staff(by), action, id, origin);
            entry.details = json!({"sessions_ended": ended});
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Makes a colleague an auditor or takes it back, audited in the same transaction.
    /// False when no such member exists.
    pub async fn set_staff_auditor(
        &self,
        id: i64,
        auditor: bool,
        by: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("UPDATE staff SET auditor = $1 WHERE id = $2")
                .bind(auditor)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 0 {
                return Ok(false);
            }
            let action = if auditor {
                AuditAction::StaffAuditorGrant
            } else {
                AuditAction::StaffAuditorRevoke
            };
            insert_audit(&mut tx, &staff_audit(now, Actor::Staff(by), action, id, origin)).await?;
            tx.commit().await?;
            Ok(true)
        })
    }
}

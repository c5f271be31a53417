//! Server-side sessions of patients and staff (K7, ASVS V7). Only the SHA-256 of a token is
//! stored; expiry is decided by the service from `created_at` and `last_seen_at`.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use serde_json::json;

use crate::sql::{Conn, insert_audit};
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// Whose session it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionOwner {
    /// A patient's account.
    Account(i64),
    /// A member of staff.
    Staff(i64),
}

/// A session to create.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// Whose.
    pub owner: SessionOwner,
    /// The patient whose account it is, for the audit.
    pub patient_id: Option<i64>,
    /// The CSRF token of its forms.
    pub csrf_token: String,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// The browser, as it says, shortened.
    pub user_agent: Option<String>,
    /// Now, Unix seconds.
    pub now: i64,
    /// A staff session opened by the password alone: it waits for the code step and grants
    /// nothing until then.
    pub second_factor_pending: bool,
}

/// A stored session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// The patient's account, for a patient's session.
    pub account_id: Option<i64>,
    /// The member of staff, for a staff session.
    pub staff_id: Option<i64>,
    /// The CSRF token of its forms.
    pub csrf_token: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub last_seen_at: i64,
    /// From where it was opened.
    pub ip: Option<String>,
    /// The browser.
    pub user_agent: Option<String>,
    /// Whether it still waits for the staff's code step.
    pub second_factor_pending: bool,
    /// The dependent a representative's session acts for (A8), if any.
    pub acting_patient_id: Option<i64>,
}

macro_rules! session_select {
    () => {
        "SELECT token_hash, account_id, staff_id, csrf_token, created_at, last_seen_at, ip, \
         user_agent, second_factor_pending, acting_patient_id FROM sessions"
    };
}

impl Store {
    /// Opens a session and audits the sign-in.
    pub async fn create_session(&self, s: &NewSession) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_session(&mut tx, s, json!({})).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The session with this token hash, if it exists.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        const SQL: &str = concat!(session_select!(), " WHERE token_hash = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(token_hash)
            .fetch_optional(pool)
            .await?))
    }

    /// The sessions of a patient's account, newest first.
    pub async fn sessions_of_account(&self, account_id: i64) -> Result<Vec<Session>> {
        const SQL: &str =
            concat!(session_select!(), " WHERE account_id = $1 ORDER BY created_at DESC");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(account_id).fetch_all(pool).await?))
    }

    /// Notes that the session was used now.
    pub async fn touch_session(&self, token_hash: &str, now: i64) -> Result<()> {
        dispatch_write!(self, |pool| {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Ends one session on sign-out, audited.
    pub async fn end_session(&self, token_hash: &str, entry: &AuditEntry) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
            insert_audit(&mut tx, entry).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Ends one session of an account (another device), audited. The session is found by its
    /// hash *and* the account, so nobody ends another account's session; `false` when there
    /// is no such session of this account (nothing is written then).
    pub async fn end_session_of_account(
        &self,
        account_id: i64,
        token_hash: &str,
        entry: &AuditEntry,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let ended =
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND account_id = $2")
                    .bind(token_hash)
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if ended == 0 {
                return Ok(false);
            }
            insert_audit(&mut tx, entry).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Deletes a session that can no longer be used (expired, or its account blocked).
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        dispatch_write!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Ends every session of an account ("sign out everywhere"), audited. Returns how many.
    pub async fn delete_sessions_of_account(
        &self,
        account_id: i64,
        patient_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<u64> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let ended = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    now,
                    Actor::Patient(patient_id),
                    AuditAction::SessionEndAll,
                    ObjectKind::Account,
                    Some(account_id),
                )
                .patient(patient_id)
                .origin(origin)
                .details(json!({"sessions_ended": ended})),
            )
            .await?;
            tx.commit().await?;
            Ok(ended)
        })
    }
}

impl Store {
    /// Deletes what no request can use any more: sessions idle since `idle_before` or opened
    /// before `opened_before`, and rate events from before `failures_before`. Returns how
    /// many rows went.
    pub async fn sweep(
        &self,
        idle_before: i64,
        opened_before: i64,
        failures_before: i64,
    ) -> Result<u64> {
        dispatch_write!(self, |pool| {
            let sessions =
                sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
                    .bind(idle_before)
                    .bind(opened_before)
                    .execute(pool)
                    .await?
                    .rows_affected();
            let failures = sqlx::query("DELETE FROM rate_events WHERE at < $1")
                .bind(failures_before)
                .execute(pool)
                .await?
                .rows_affected();
            Ok(sessions + failures)
        })
    }
}

/// Inserts a session and its audit row (`details` added to the row, e.g. how the staff's code
/// step was passed) in the caller's transaction.
pub(crate) async fn insert_session(
    c: &mut impl Conn,
    s: &NewSession,
    mut details: serde_json::Value,
) -> Result<()> {
    let (account_id, staff_id, actor) = match (s.owner, s.patient_id) {
        (SessionOwner::Account(id), Some(patient)) => (Some(id), None, Actor::Patient(patient)),
        (SessionOwner::Account(id), None) => (Some(id), None, Actor::System),
        (SessionOwner::Staff(id), _) => (None, Some(id), Actor::Staff(id)),
    };
    const SQL: &str = "INSERT INTO sessions (token_hash, account_id, staff_id, csrf_token, \
        created_at, last_seen_at, ip, user_agent, second_factor_pending) \
        VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)";
    let args = [
        (&s.token_hash).into(),
        account_id.into(),
        staff_id.into(),
        (&s.csrf_token).into(),
        s.now.into(),
        s.origin.ip.as_deref().into(),
        s.user_agent.as_deref().into(),
        s.second_factor_pending.into(),
    ];
    c.execute(SQL, &args).await?;
    if s.second_factor_pending
        && let Some(map) = details.as_object_mut()
    {
        map.insert("second_factor".into(), "pending".into());
    }
    let entry = AuditEntry::new(
        s.now,
        actor,
        AuditAction::SessionCreate,
        if staff_id.is_some() { ObjectKind::Staff } else { ObjectKind::Account },
        account_id.or(staff_id),
    )
    .patient(s.patient_id)
    .origin(&s.origin)
    .details(details);
    insert_audit(c, &entry).await
}

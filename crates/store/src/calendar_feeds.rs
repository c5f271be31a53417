//! A patient's private calendar feed (B8): the hash of its secret, the patient's choice of
//! what its events say, and when a calendar last read it. Every change is audited in its
//! transaction; a read of the feed only moves `last_fetched_at`.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use serde_json::json;

use crate::booking::{Visit, visit_select};
use crate::sql::insert_audit;
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// A patient's calendar feed as the cabinet shows it (never its secret).
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct CalendarFeed {
    /// When the live address was made; `None`: no live feed.
    pub created_at: Option<i64>,
    /// When a calendar last read the live feed.
    pub last_fetched_at: Option<i64>,
    /// Whether events name the specialist and the service.
    pub show_details: bool,
}

/// The owner of a live feed, found by its secret's hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedOwner {
    /// Whose visits the feed lists.
    pub patient_id: i64,
    /// Whether events name the specialist and the service.
    pub show_details: bool,
    /// When a calendar last read it.
    pub last_fetched_at: Option<i64>,
}

/// What making a feed's secret did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretChange {
    /// No feed was live: this one is the first (or the first since a revocation).
    Created,
    /// A live feed's address was replaced by the new one.
    Replaced,
    /// A feed was live and was kept: nothing changed.
    Kept,
}

/// Who changes a patient's feed, from where, when.
#[derive(Debug, Clone)]
pub struct FeedChange {
    /// Whose feed.
    pub patient_id: i64,
    /// Who changes it (the patient).
    pub actor: Actor,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

impl FeedChange {
    fn audit(&self, action: AuditAction) -> AuditEntry {
        AuditEntry::new(
            self.now,
            self.actor,
            action,
            ObjectKind::CalendarFeed,
            Some(self.patient_id),
        )
        .patient(self.patient_id)
        .origin(&self.origin)
    }
}

/// Revokes a patient's live feed (`$1` the patient, `$2` now): by the patient, and when their
/// account is blocked.
pub(crate) const REVOKE_FEED: &str = "UPDATE calendar_feeds SET secret_hash = NULL, \
    created_at = NULL, last_fetched_at = NULL, updated_at = $2 \
    WHERE patient_id = $1 AND secret_hash IS NOT NULL";

/// A read of a feed moves `last_fetched_at` only when it is older than this many seconds:
/// calendars poll, and each poll need not be a write.
const FETCH_GRAIN: i64 = 60;

impl Store {
    /// The patient's feed: whether one is live, since when, and what its events say.
    pub async fn calendar_feed(&self, patient_id: i64) -> Result<CalendarFeed> {
        const SQL: &str = "SELECT created_at, last_fetched_at, show_details \
            FROM calendar_feeds WHERE patient_id = $1";
        let feed: Option<CalendarFeed> = dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(patient_id)
            .fetch_optional(pool)
            .await?);
        Ok(feed.unwrap_or_default())
    }

    /// Makes the patient's feed live under `secret_hash`. A live one is replaced (its address
    /// stops working at once) when `replace`, else kept, and nothing is written. Audited as a
    /// creation or a replacement.
    pub async fn set_calendar_secret(
        &self,
        c: &FeedChange,
        secret_hash: &str,
        replace: bool,
    ) -> Result<SecretChange> {
        // Without `replace`, the upsert leaves a live secret alone: two first calls at once
        // make one feed, not two that replace each other.
        const SET: &str = "INSERT INTO calendar_feeds (patient_id, secret_hash, created_at, \
            updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT (patient_id) DO UPDATE SET \
            secret_hash = excluded.secret_hash, created_at = excluded.created_at, \
            last_fetched_at = NULL, updated_at = excluded.updated_at \
            WHERE $4 OR calendar_feeds.secret_hash IS NULL";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let live: Option<i64> = sqlx::query_scalar(
                "SELECT created_at FROM calendar_feeds \
                 WHERE patient_id = $1 AND secret_hash IS NOT NULL",
            )
            .bind(c.patient_id)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
            let set = sqlx::query(SET)
                .bind(c.patient_id)
                .bind(secret_hash)
                .bind(c.now)
                .bind(replace)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let (done, action) = match (set, live) {
                (0, _) => return Ok(SecretChange::Kept),
                (_, Some(_)) => (SecretChange::Replaced, AuditAction::CalendarFeedReplace),
                (_, None) => (SecretChange::Created, AuditAction::CalendarFeedCreate),
            };
            insert_audit(&mut tx, &c.audit(action)).await?;
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Revokes the patient's live feed: its address stops working. `false` (and nothing
    /// written) when none is live.
    pub async fn revoke_calendar_feed(&self, c: &FeedChange) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let revoked = sqlx::query(REVOKE_FEED)
                .bind(c.patient_id)
                .bind(c.now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if revoked == 0 {
                return Ok(false);
            }
            insert_audit(&mut tx, &c.audit(AuditAction::CalendarFeedRevoke)).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Sets whether the patient's calendar names the specialist and the service, audited
    /// when it changes. Kept while no feed is live, for the next one.
    pub async fn set_calendar_details(&self, c: &FeedChange, show: bool) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "INSERT INTO calendar_feeds (patient_id, show_details, updated_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (patient_id) DO UPDATE SET \
                 show_details = excluded.show_details, updated_at = excluded.updated_at \
                 WHERE calendar_feeds.show_details <> excluded.show_details",
            )
            .bind(c.patient_id)
            .bind(show)
            .bind(c.now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed > 0 {
                let entry = c
                    .audit(AuditAction::CalendarFeedDetails)
                    .details(json!({"show_details": show}));
                insert_audit(&mut tx, &entry).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The owner of the live feed with this secret hash, if their account may still be
    /// served (not blocked) and their data is not blocked (G4). Nothing for an unknown or
    /// revoked secret.
    pub async fn calendar_feed_owner(&self, secret_hash: &str) -> Result<Option<FeedOwner>> {
        const SQL: &str = "SELECT f.patient_id, f.show_details, f.last_fetched_at \
            FROM calendar_feeds f JOIN accounts ac ON ac.patient_id = f.patient_id \
            JOIN patients p ON p.id = f.patient_id \
            WHERE f.secret_hash = $1 AND ac.blocked_at IS NULL AND p.data_blocked_at IS NULL";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(secret_hash)
            .fetch_optional(pool)
            .await?))
    }

    /// Records that a calendar read the feed now, unless it did within the last minute.
    pub async fn mark_calendar_fetched(
        &self,
        owner: &FeedOwner,
        secret_hash: &str,
        now: i64,
    ) -> Result<()> {
        if owner.last_fetched_at.is_some_and(|at| now - at < FETCH_GRAIN) {
            return Ok(());
        }
        dispatch_write!(self, |pool| {
            sqlx::query(
                "UPDATE calendar_feeds SET last_fetched_at = $1 \
                 WHERE secret_hash = $2 AND (last_fetched_at IS NULL OR last_fetched_at < $3)",
            )
            .bind(now)
            .bind(secret_hash)
            .bind(now - FETCH_GRAIN)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The patient's visits that start at or after `since`, soonest first: what the feed
    /// lists, cancelled ones included.
    pub async fn visits_of_patient_since(&self, patient_id: i64, since: i64) -> Result<Vec<Visit>> {
        const SQL: &str = concat!(
            visit_select!(),
            " WHERE a.patient_id = $1 AND a.starts_at >= $2 ORDER BY a.starts_at, a.id"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(patient_id)
            .bind(since)
            .fetch_all(pool)
            .await?))
    }
}

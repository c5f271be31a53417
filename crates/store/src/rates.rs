//! Rate events: what the rate limits count — failed sign-ins, one-time bookings, loss reports,
//! confirmation letters — under keys the service makes (hashed, so the table holds no logins,
//! phones or addresses). Refusals and failures write their audit row in the same transaction.

use crate::sql::insert_audit;
use crate::{AuditEntry, Result, Store, dispatch_write};

/// How many events a key has had since a given time, and when the first and last were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct RateCount {
    /// How many.
    pub count: i64,
    /// The oldest, Unix seconds (or the asked time when there is none).
    pub first: i64,
    /// The newest, Unix seconds (or the asked time when there is none).
    pub last: i64,
}

/// How many events a key (`$1`) has had after `$2`, and the first and last.
pub(crate) const RATE_COUNT: &str =
    "SELECT COUNT(*), MIN(at), MAX(at) FROM rate_events WHERE key_hash = $1 AND at > $2";

impl Store {
    /// Counts the events under each key since `since`.
    pub async fn rate_counts(&self, keys: &[&str], since: i64) -> Result<Vec<RateCount>> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let count = match &self.backend {
                // Every booking asks: the fast path's reader, not sqlx's worker thread.
                crate::Backend::Sqlite { fast, .. } => fast.rate_count(key, since)?,
                crate::Backend::Postgres(pool) => {
                    let (count, first, last): (i64, Option<i64>, Option<i64>) =
                        sqlx::query_as(RATE_COUNT).bind(key).bind(since).fetch_one(pool).await?;
                    RateCount { count, first: first.unwrap_or(since), last: last.unwrap_or(since) }
                }
            };
            out.push(count);
        }
        Ok(out)
    }

    /// Records an event under each key at `now`, and `audit` with it: one transaction.
    pub async fn record_rate_events(
        &self,
        keys: &[&str],
        now: i64,
        audit: Option<&AuditEntry>,
    ) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for key in keys {
                sqlx::query("INSERT INTO rate_events (key_hash, at) VALUES ($1, $2)")
                    .bind(key)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(entry) = audit {
                insert_audit(&mut tx, entry).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Forgets the events under `key` (a sign-in that passed forgets its failures).
    pub async fn clear_rate_events(&self, key: &str) -> Result<()> {
        dispatch_write!(self, |pool| {
            sqlx::query("DELETE FROM rate_events WHERE key_hash = $1")
                .bind(key)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

//! Visit statistics (O3): page views of visitors who allowed statistics cookies, written in
//! batches, read back only as aggregates, and deleted after the retention period.

use crate::{Result, Store, dispatch, dispatch_write};

/// One page view to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageView {
    /// When, Unix seconds.
    pub at: i64,
    /// The path, without the query string.
    pub path: String,
    /// The answer's status.
    pub status: i32,
    /// Where from: origin and path only.
    pub referrer: Option<String>,
    /// The client's address, full (shown only truncated).
    pub ip: Option<String>,
    /// The browser's user agent.
    pub user_agent: Option<String>,
}

/// The raw rows of a period, for the service to aggregate: time, path, status, referrer, IP,
/// user agent.
pub type ViewRow = (i64, String, i32, Option<String>, Option<String>, Option<String>);

impl Store {
    /// Records page views, one transaction for the batch.
    pub async fn record_page_views(&self, views: &[PageView]) -> Result<()> {
        const SQL: &str = "INSERT INTO page_views (at, path, status, referrer, ip, user_agent) \
            VALUES ($1, $2, $3, $4, $5, $6)";
        if views.is_empty() {
            return Ok(());
        }
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for v in views {
                sqlx::query(SQL)
                    .bind(v.at)
                    .bind(&v.path)
                    .bind(v.status)
                    .bind(&v.referrer)
                    .bind(&v.ip)
                    .bind(&v.user_agent)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The page views of `from..until` (Unix seconds), oldest first, at most `limit`.
    pub async fn page_views(&self, from: i64, until: i64, limit: i64) -> Result<Vec<ViewRow>> {
        const SQL: &str = "SELECT at, path, status, referrer, ip, user_agent FROM page_views \
            WHERE at >= $1 AND at < $2 ORDER BY at, id LIMIT $3";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(from)
            .bind(until)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// Deletes page views older than `before` (Unix seconds); returns how many.
    pub async fn purge_page_views(&self, before: i64) -> Result<u64> {
        const SQL: &str = "DELETE FROM page_views WHERE at < $1";
        Ok(dispatch_write!(self, |pool| sqlx::query(SQL)
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected()))
    }
}

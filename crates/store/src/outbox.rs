//! Delivery of the outbox: mail rows are written in the transaction of the change they tell
//! about (see [`crate::booking::OutboxMail`]); a worker claims the due ones for a lease, sends
//! them and marks each delivered or failed. A claim is one atomic statement, so two workers —
//! in one process or in several instances on one PostgreSQL database — never hold one row at
//! the same time.

use kabinet_core::mail::MailKind;

use crate::{Backend, Result, Store, dispatch, dispatch_write};

/// How much of an error text is kept in `last_error`.
const MAX_ERROR_CHARS: usize = 500;

/// A message claimed for sending: the caller holds it until its lease ends.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimedMail {
    /// The outbox row's id.
    pub id: i64,
    /// What the letter is about.
    #[sqlx(try_from = "String")]
    pub kind: MailKind,
    /// The address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// When the row was written, Unix seconds.
    pub created_at: i64,
    /// Failed attempts before this one.
    pub attempts: i32,
}

/// Where a message stands, for staff and tests: never its recipient or text.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MailStatus {
    /// Failed attempts so far.
    pub attempts: i32,
    /// When it may be tried next, Unix seconds.
    pub next_attempt_at: i64,
    /// Until when a worker holds it, if one does.
    pub locked_until: Option<i64>,
    /// When it was delivered, if it was.
    pub delivered_at: Option<i64>,
    /// What went wrong the last time, if anything did.
    pub last_error: Option<String>,
    /// When the mail server refused it for good: it is not tried again.
    pub failed_at: Option<i64>,
}

/// A message the mail server refused for good, for the back office.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FailedMail {
    /// The outbox row's id.
    pub id: i64,
    /// What the letter was about.
    #[sqlx(try_from = "String")]
    pub kind: MailKind,
    /// The address it could not reach.
    pub recipient: String,
    /// When it was written, Unix seconds.
    pub created_at: i64,
    /// When it was refused for good, Unix seconds.
    pub failed_at: i64,
    /// The mail server's answer.
    pub last_error: Option<String>,
}

/// Claims due rows: undelivered, due, and not held by a live lease. `$lock` is empty on SQLite
/// (the statement runs on the one writer connection, so it is atomic as it stands) and
/// `FOR UPDATE SKIP LOCKED` on PostgreSQL, where concurrent claimers pass over each other's
/// rows instead of waiting; a row another claimer committed meanwhile is re-checked against the
/// `WHERE` and dropped, since its lease now lies in the future.
macro_rules! claim_due {
    ($lock:literal) => {
        concat!(
            "WITH due AS (SELECT id FROM outbox \
             WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
             AND (locked_until IS NULL OR locked_until <= $1) \
             ORDER BY next_attempt_at, id LIMIT $3",
            $lock,
            ") UPDATE outbox SET locked_until = $2 WHERE id IN (SELECT id FROM due) \
             RETURNING id, kind, recipient, subject, body, created_at, attempts"
        )
    };
}

const CLAIM_DUE_SQLITE: &str = claim_due!("");
const CLAIM_DUE_POSTGRES: &str = claim_due!(" FOR UPDATE SKIP LOCKED");

/// Cuts `text` to at most [`MAX_ERROR_CHARS`] characters, on a character boundary.
fn truncate_error(text: &str) -> &str {
    match text.char_indices().nth(MAX_ERROR_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

impl Store {
    /// Claims up to `limit` messages due at `now` for `lease_secs` seconds, oldest due first.
    /// Until the lease ends no other claim returns them; if the holder dies, they come back
    /// when it does. Pick a lease longer than sending a message can take.
    pub async fn claim_due_mail(
        &self,
        now: i64,
        lease_secs: i64,
        limit: i64,
    ) -> Result<Vec<ClaimedMail>> {
        let until = now.saturating_add(lease_secs.max(1));
        let mut claimed: Vec<ClaimedMail> = match &self.backend {
            Backend::Sqlite { writer, .. } => {
                sqlx::query_as(CLAIM_DUE_SQLITE)
                    .bind(now)
                    .bind(until)
                    .bind(limit)
                    .fetch_all(writer)
                    .await?
            }
            Backend::Postgres(pool) => {
                sqlx::query_as(CLAIM_DUE_POSTGRES)
                    .bind(now)
                    .bind(until)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
            }
        };
        // RETURNING promises no order.
        claimed.sort_by_key(|m| m.id);
        Ok(claimed)
    }

    /// Records that a message was handed to the mail server (or written to its folder). The
    /// first delivery time stays if it is marked twice.
    pub async fn mark_mail_delivered(&self, id: i64, now: i64) -> Result<()> {
        const SQL: &str = "UPDATE outbox SET delivered_at = $2, locked_until = NULL, \
            last_error = NULL WHERE id = $1 AND delivered_at IS NULL";
        dispatch_write!(self, |pool| {
            sqlx::query(SQL).bind(id).bind(now).execute(pool).await?;
        });
        Ok(())
    }

    /// Records a failed attempt: one more attempt, the lease released, the next try not before
    /// `next_attempt_at`. `error` is the mail server's answer or the local failure, cut to a
    /// few hundred characters; callers keep personal data out of it.
    pub async fn mark_mail_failed(&self, id: i64, error: &str, next_attempt_at: i64) -> Result<()> {
        const SQL: &str = "UPDATE outbox SET attempts = attempts + 1, locked_until = NULL, \
            last_error = $2, next_attempt_at = $3 WHERE id = $1 AND delivered_at IS NULL";
        dispatch_write!(self, |pool| {
            sqlx::query(SQL)
                .bind(id)
                .bind(truncate_error(error))
                .bind(next_attempt_at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Records that the mail server refused a message for good (a 5xx answer, an address it
    /// will never take): it is never claimed again, and the back office lists it.
    pub async fn mark_mail_given_up(&self, id: i64, error: &str, now: i64) -> Result<()> {
        const SQL: &str = "UPDATE outbox SET attempts = attempts + 1, locked_until = NULL, \
            last_error = $2, failed_at = $3 WHERE id = $1 AND delivered_at IS NULL";
        dispatch_write!(self, |pool| {
            sqlx::query(SQL).bind(id).bind(truncate_error(error)).bind(now).execute(pool).await?;
        });
        Ok(())
    }

    /// The messages refused for good, newest first.
    pub async fn failed_mail(&self, limit: i64) -> Result<Vec<FailedMail>> {
        const SQL: &str = "SELECT id, kind, recipient, created_at, failed_at, last_error \
            FROM outbox WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT $1";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(limit).fetch_all(pool).await?))
    }

    /// Where one message stands.
    pub async fn mail_status(&self, id: i64) -> Result<Option<MailStatus>> {
        const SQL: &str = "SELECT attempts, next_attempt_at, locked_until, delivered_at, \
            last_error, failed_at FROM outbox WHERE id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_cut_on_a_character_boundary() {
        let long = "ошибка ".repeat(200);
        let cut = truncate_error(&long);
        assert_eq!(cut.chars().count(), MAX_ERROR_CHARS);
        assert_eq!(truncate_error("421 busy"), "421 busy");
    }
}

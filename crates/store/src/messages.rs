//! Messages from the clinic in a patient's cabinet (K3).

use crate::booking::OutboxMail;
use crate::{Result, Store, dispatch, dispatch_write};

/// Tells a patient of a change the clinic made for them (N2): a message in the cabinet and,
/// when the clinic has their e-mail, a letter. Written in the change's transaction.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The message's subject line.
    pub subject: String,
    /// The message's text.
    pub body: String,
    /// The letter, if the patient has an e-mail.
    pub mail: Option<OutboxMail>,
    /// Whether the message also goes to the cabinet's inbox.
    pub inbox: bool,
}

/// One message to a patient.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Message {
    /// The message's id.
    pub id: i64,
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
    /// When the patient opened it, Unix seconds.
    pub read_at: Option<i64>,
}

impl Store {
    /// A patient's messages, newest first.
    pub async fn messages_of_patient(&self, patient_id: i64) -> Result<Vec<Message>> {
        const SQL: &str = "SELECT id, subject, body, created_at, read_at FROM messages \
            WHERE patient_id = $1 ORDER BY created_at DESC, id DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// How many of a patient's messages are unread.
    pub async fn unread_messages(&self, patient_id: i64) -> Result<i64> {
        const SQL: &str = "SELECT COUNT(*) FROM messages WHERE patient_id = $1 AND read_at IS NULL";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(SQL).bind(patient_id).fetch_one(pool).await?))
    }

    /// Opens one of the patient's messages, marking it read the first time. `None` if it is
    /// not theirs.
    pub async fn open_message(
        &self,
        patient_id: i64,
        message_id: i64,
        now: i64,
    ) -> Result<Option<Message>> {
        dispatch_write!(self, |pool| {
            sqlx::query(
                "UPDATE messages SET read_at = $1 WHERE id = $2 AND patient_id = $3 \
                AND read_at IS NULL",
            )
            .bind(now)
            .bind(message_id)
            .bind(patient_id)
            .execute(pool)
            .await?;
            Ok(sqlx::query_as(
                "SELECT id, subject, body, created_at, read_at FROM messages \
                WHERE id = $1 AND patient_id = $2",
            )
            .bind(message_id)
            .bind(patient_id)
            .fetch_optional(pool)
            .await?)
        })
    }
}

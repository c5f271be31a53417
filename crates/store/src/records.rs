//! Reading back what the compliance records hold: a patient's audit trail and consents, and
//! the mail waiting in the outbox.

use kabinet_core::consent::{Channel, ConsentKind, DocumentKind};
use kabinet_core::mail::MailKind;

use crate::audit::{AuditRow, audit_select};
use crate::{Result, Store, dispatch};

/// One consent of the ledger.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsentRow {
    /// What it covers.
    #[sqlx(try_from = "String")]
    pub kind: ConsentKind,
    /// The document it refers to.
    #[sqlx(try_from = "String")]
    pub document_kind: DocumentKind,
    /// The document's version.
    pub document_version: i32,
    /// Online or on paper.
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    /// From where.
    pub ip: Option<String>,
    /// When, Unix seconds.
    pub given_at: i64,
    /// When withdrawn, if it was.
    pub withdrawn_at: Option<i64>,
}

/// A message waiting to be sent.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    /// Id.
    pub id: i64,
    /// What the letter is about.
    #[sqlx(try_from = "String")]
    pub kind: MailKind,
    /// Address.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
}

impl Store {
    /// Every audit row about a patient's data, oldest first.
    pub async fn audit_trail(&self, patient_id: i64) -> Result<Vec<AuditRow>> {
        const SQL: &str = concat!(audit_select!(), " WHERE patient_id = $1 ORDER BY id");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// A patient's consents, oldest first.
    pub async fn consents_of(&self, patient_id: i64) -> Result<Vec<ConsentRow>> {
        let sql = "SELECT kind, document_kind, document_version, channel, ip, given_at, \
            withdrawn_at FROM consents WHERE patient_id = $1 ORDER BY id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(patient_id).fetch_all(pool).await?))
    }

    /// Consents recorded for a visitor without an account.
    pub async fn visitor_consents(&self, visitor_ref: &str) -> Result<Vec<ConsentRow>> {
        let sql = "SELECT kind, document_kind, document_version, channel, ip, given_at, \
            withdrawn_at FROM consents WHERE visitor_ref = $1 ORDER BY id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(visitor_ref).fetch_all(pool).await?))
    }

    /// Messages not yet delivered, oldest first.
    pub async fn pending_outbox(&self, limit: i64) -> Result<Vec<OutboxRow>> {
        let sql = "SELECT id, kind, recipient, subject, body FROM outbox \
            WHERE delivered_at IS NULL ORDER BY id LIMIT $1";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(limit).fetch_all(pool).await?))
    }

    /// The patient a booking belongs to.
    pub async fn patient_of_visit(&self, appointment_id: i64) -> Result<Option<i64>> {
        let sql = "SELECT patient_id FROM appointments WHERE id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(sql)
            .bind(appointment_id)
            .fetch_optional(pool)
            .await?))
    }
}

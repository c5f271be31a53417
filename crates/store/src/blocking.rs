//! Blocking of a patient's personal data (G4): the mark on the patient that every query
//! processing patients checks (`data_blocked_at IS NULL`), and the history of blockings with
//! their unblocking, each written with its audit row and the patient's notice in one
//! transaction.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::blocking::RequestedBy;
use serde_json::json;

use crate::messages::Notice;
use crate::sql::{insert_audit, insert_notice};
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// A blocking to store.
#[derive(Debug, Clone)]
pub struct NewDataBlock {
    /// Whose data.
    pub patient_id: i64,
    /// On whose request.
    pub requested_by: RequestedBy,
    /// The authority's name, when an authority asked.
    pub authority: Option<String>,
    /// The basis.
    pub basis: String,
    /// The document's type.
    pub document_type: String,
    /// Its number or reference.
    pub document_ref: String,
    /// Its date, `YYYY-MM-DD`.
    pub document_date: String,
    /// The registrar.
    pub staff_id: i64,
    /// What the patient is told.
    pub notice: Notice,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// An unblocking to store.
#[derive(Debug, Clone)]
pub struct DataUnblock {
    /// Whose data.
    pub patient_id: i64,
    /// Why the data may be processed again.
    pub reason: String,
    /// The registrar.
    pub staff_id: i64,
    /// What the patient is told.
    pub notice: Notice,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// One blocking of the history, with its unblocking if there was one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DataBlockRow {
    /// The row's id.
    pub id: i64,
    /// On whose request.
    #[sqlx(try_from = "String")]
    pub requested_by: RequestedBy,
    /// The authority's name.
    pub authority: Option<String>,
    /// The basis.
    pub basis: String,
    /// The document's type.
    pub document_type: String,
    /// Its number or reference.
    pub document_ref: String,
    /// Its date, `YYYY-MM-DD`.
    pub document_date: String,
    /// When, Unix seconds.
    pub blocked_at: i64,
    /// Who blocked it.
    pub blocked_by_name: String,
    /// When it was unblocked.
    pub unblocked_at: Option<i64>,
    /// Who unblocked it.
    pub unblocked_by_name: Option<String>,
    /// Why.
    pub unblock_reason: Option<String>,
}

impl Store {
    /// Blocks a patient's data: the mark, the history row, the patient's notice and the audit
    /// row. `false` if the data is already blocked (or there is no such patient).
    pub async fn block_patient_data(&self, b: &NewDataBlock) -> Result<bool> {
        const MARK: &str = "UPDATE patients SET data_blocked_at = $1 \
            WHERE id = $2 AND data_blocked_at IS NULL";
        const INSERT: &str = "INSERT INTO data_blocks (patient_id, requested_by, authority, \
            basis, document_type, document_ref, document_date, blocked_at, blocked_by) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let marked = sqlx::query(MARK).bind(b.now).bind(b.patient_id).execute(&mut *tx).await?;
            if marked.rows_affected() == 0 {
                return Ok(false);
            }
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(b.patient_id)
                .bind(b.requested_by.as_str())
                .bind(b.authority.as_deref())
                .bind(&b.basis)
                .bind(&b.document_type)
                .bind(&b.document_ref)
                .bind(&b.document_date)
                .bind(b.now)
                .bind(b.staff_id)
                .fetch_one(&mut *tx)
                .await?;
            insert_notice(&mut tx, b.patient_id, &b.notice, b.now).await?;
            let entry = AuditEntry::new(
                b.now,
                Actor::Staff(b.staff_id),
                AuditAction::PatientDataBlock,
                ObjectKind::Patient,
                Some(b.patient_id),
            )
            .patient(b.patient_id)
            .origin(&b.origin)
            .details(json!({"block": id, "requested_by": b.requested_by}));
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Unblocks a patient's data with a reason, audited, the patient told. `false` if it was
    /// not blocked.
    pub async fn unblock_patient_data(&self, u: &DataUnblock) -> Result<bool> {
        const UNMARK: &str = "UPDATE patients SET data_blocked_at = NULL \
            WHERE id = $1 AND data_blocked_at IS NOT NULL";
        const CLOSE: &str = "UPDATE data_blocks SET unblocked_at = $1, unblocked_by = $2, \
            unblock_reason = $3 WHERE patient_id = $4 AND unblocked_at IS NULL";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(UNMARK).bind(u.patient_id).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            sqlx::query(CLOSE)
                .bind(u.now)
                .bind(u.staff_id)
                .bind(&u.reason)
                .bind(u.patient_id)
                .execute(&mut *tx)
                .await?;
            insert_notice(&mut tx, u.patient_id, &u.notice, u.now).await?;
            let entry = AuditEntry::new(
                u.now,
                Actor::Staff(u.staff_id),
                AuditAction::PatientDataUnblock,
                ObjectKind::Patient,
                Some(u.patient_id),
            )
            .patient(u.patient_id)
            .origin(&u.origin);
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Whether the patient's data is blocked now: the one check every use case that
    /// processes a patient (and the data copy) asks.
    pub async fn is_data_blocked(&self, patient_id: i64) -> Result<bool> {
        const SQL: &str = "SELECT COUNT(*) FROM patients \
            WHERE id = $1 AND data_blocked_at IS NOT NULL";
        let count: i64 = dispatch!(self, |pool| sqlx::query_scalar(SQL)
            .bind(patient_id)
            .fetch_one(pool)
            .await?);
        Ok(count > 0)
    }

    /// The patient's blockings, newest first.
    pub async fn data_blocks_of(&self, patient_id: i64) -> Result<Vec<DataBlockRow>> {
        const SQL: &str = "SELECT b.id, b.requested_by, b.authority, b.basis, b.document_type, \
            b.document_ref, b.document_date, b.blocked_at, s.full_name AS blocked_by_name, \
            b.unblocked_at, u.full_name AS unblocked_by_name, b.unblock_reason \
            FROM data_blocks b JOIN staff s ON s.id = b.blocked_by \
            LEFT JOIN staff u ON u.id = b.unblocked_by \
            WHERE b.patient_id = $1 ORDER BY b.blocked_at DESC, b.id DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }
}

//! Audit rows (G6), written inside the transaction of the change they describe
//! ([`crate::sql::insert_audit`]).

use kabinet_core::access::Actor;
use kabinet_core::audit::{AuditAction, ObjectKind};

use crate::sql::insert_audit;

/// One audited event. Details hold ids and codes, never personal data itself.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// When, Unix seconds.
    pub at: i64,
    /// Who.
    pub actor: Actor,
    /// What happened.
    pub action: AuditAction,
    /// What kind of object.
    pub object_kind: ObjectKind,
    /// Which object.
    pub object_id: Option<i64>,
    /// Whose personal data it touches.
    pub patient_id: Option<i64>,
    /// From where (the client's IP address).
    pub ip: Option<String>,
    /// Anything else worth keeping, as JSON.
    pub details: serde_json::Value,
}

impl crate::Store {
    /// Records an access that changes nothing (a member of staff opening a patient's record,
    /// G6): one audit row on its own.
    pub async fn record_access(&self, entry: &AuditEntry) -> crate::Result<()> {
        crate::dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_audit(&mut tx, entry).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

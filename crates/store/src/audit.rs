//! Audit rows (G6), written inside the transaction of the change they describe.

use kabinet_core::access::Actor;

/// One audited event. Details hold ids and codes, never personal data itself.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// When, Unix seconds.
    pub at: i64,
    /// Who.
    pub actor: Actor,
    /// What happened, e.g. `appointment.create`.
    pub action: &'static str,
    /// What kind of object, e.g. `appointment`.
    pub object_kind: &'static str,
    /// Which object.
    pub object_id: Option<i64>,
    /// Whose personal data it touches.
    pub patient_id: Option<i64>,
    /// From where (the client's IP address).
    pub ip: Option<String>,
    /// Anything else worth keeping, as JSON.
    pub details: serde_json::Value,
}

pub(crate) const INSERT_AUDIT: &str = "INSERT INTO audit_log \
    (at, actor_kind, actor_id, action, object_kind, object_id, patient_id, ip, details) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Inserts an [`AuditEntry`] on `$conn` (a `&mut` connection or transaction of either backend).
macro_rules! insert_audit {
    ($conn:expr, $entry:expr) => {{
        let entry: &$crate::AuditEntry = $entry;
        sqlx::query($crate::audit::INSERT_AUDIT)
            .bind(entry.at)
            .bind(entry.actor.kind())
            .bind(entry.actor.id())
            .bind(entry.action)
            .bind(entry.object_kind)
            .bind(entry.object_id)
            .bind(entry.patient_id)
            .bind(entry.ip.as_deref())
            .bind(entry.details.to_string())
            .execute($conn)
            .await
    }};
}

pub(crate) use insert_audit;

impl crate::Store {
    /// Records an access that changes nothing (a member of staff opening a patient's record,
    /// G6): one audit row on its own.
    pub async fn record_access(&self, entry: &AuditEntry) -> crate::Result<()> {
        crate::dispatch_write!(self, pool => {
            insert_audit!(pool, entry)?;
        });
        Ok(())
    }
}

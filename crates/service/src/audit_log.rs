//! The audit log in the back office (G6): only an auditor reads it — an administrator too only
//! if also an auditor — filtered by patient, actor, action and time, newest first, a page at a
//! time. Every reading is itself an audit row with the filter it used.

use std::collections::BTreeMap;

use jiff::civil::Date;
use kabinet_core::access::{ActorKind, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::roles::Action;
use kabinet_store::AuditEntry;
use kabinet_store::audit::{AuditFilter, AuditRow};
use serde_json::json;

use crate::staff::StaffUser;
use crate::{Kabinet, Result};

/// Rows on one page of the log.
pub const AUDIT_PAGE: i64 = 50;

/// Who did it, as the auditor asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorQuery {
    /// Anyone of this kind (patients, visitors, the system, any staff).
    Kind(ActorKind),
    /// This member of staff.
    Staff(i64),
}

/// What the auditor asks for. Dates are civil dates in the clinic's zone, both included.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// About this patient.
    pub patient_id: Option<i64>,
    /// By whom.
    pub actor: Option<ActorQuery>,
    /// This action.
    pub action: Option<AuditAction>,
    /// From this day.
    pub from: Option<Date>,
    /// To this day.
    pub to: Option<Date>,
    /// Rows older than this one (the next page).
    pub before_id: Option<i64>,
}

/// A page of the log with the names it mentions.
#[derive(Debug, Clone, Default)]
pub struct AuditPage {
    /// The rows, newest first.
    pub rows: Vec<AuditRow>,
    /// The id to ask for the next (older) page with, when there is one.
    pub next_before: Option<i64>,
    /// Staff members' names by id.
    pub staff_names: BTreeMap<i64, String>,
    /// Patients' names by id.
    pub patient_names: BTreeMap<i64, String>,
}

impl Kabinet {
    /// A page of the audit log (auditors only), recorded as an `audit.view` row.
    pub async fn audit_page(
        &self,
        staff: &StaffUser,
        query: &AuditQuery,
        origin: &Origin,
    ) -> Result<AuditPage> {
        staff.require(Action::ReadAuditLog)?;
        let zone = &self.settings.time_zone;
        let start_of =
            |day: Date| day.to_zoned(zone.clone()).ok().map(|z| z.timestamp().as_second());
        let (actor_kind, actor_id) = match query.actor {
            None => (None, None),
            Some(ActorQuery::Kind(kind)) => (Some(kind), None),
            Some(ActorQuery::Staff(id)) => (Some(ActorKind::Staff), Some(id)),
        };
        let filter = AuditFilter {
            patient_id: query.patient_id,
            actor_kind,
            actor_id,
            action: query.action,
            from: query.from.and_then(start_of),
            until: query.to.and_then(|day| day.tomorrow().ok()).and_then(start_of),
            before_id: query.before_id,
            limit: AUDIT_PAGE + 1,
        };
        let mut entry = AuditEntry::new(
            self.now().as_second(),
            staff.actor(),
            AuditAction::AuditView,
            ObjectKind::AuditLog,
            None,
        )
        .origin(origin);
        entry.details = json!({
            "patient_id": query.patient_id,
            "actor_kind": actor_kind.map(ActorKind::as_str),
            "actor_id": actor_id,
            "action": query.action.map(AuditAction::as_str),
            "from": filter.from,
            "until": filter.until,
            "before_id": query.before_id,
        });
        self.store.record_access(&entry).await?;
        let mut rows = self.store.audit_log(&filter).await?;
        let next_before = (rows.len() as i64 > AUDIT_PAGE).then(|| {
            rows.truncate(AUDIT_PAGE as usize);
            rows.last().map(|r| r.id)
        });
        let staff_names = self.audit_staff_names(staff).await?;
        let mut patient_names = BTreeMap::new();
        // The subjects, and the patients who acted (a representative for a dependent).
        let actors =
            rows.iter().filter(|r| r.actor_kind == ActorKind::Patient).filter_map(|r| r.actor_id);
        let ids: Vec<i64> = rows.iter().filter_map(|r| r.patient_id).chain(actors).collect();
        for id in ids {
            if patient_names.contains_key(&id) {
                continue;
            }
            if let Some(p) = self.store.patient_record(id).await? {
                let name = [p.last_name, p.first_name, p.middle_name].join(" ");
                patient_names.insert(id, name.trim().to_owned());
            }
        }
        Ok(AuditPage { rows, next_before: next_before.flatten(), staff_names, patient_names })
    }

    /// Every member's name by id, for the auditor's choice of actor.
    pub async fn audit_staff_names(&self, staff: &StaffUser) -> Result<BTreeMap<i64, String>> {
        staff.require(Action::ReadAuditLog)?;
        Ok(self.store.list_staff().await?.into_iter().map(|m| (m.id, m.full_name)).collect())
    }
}

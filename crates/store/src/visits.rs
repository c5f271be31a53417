//! A signed-in patient's own visits: book, list, cancel, move (B3, B4, K1). Every method takes
//! the patient's id and touches only that patient's appointments; the cap on active visits is
//! checked inside the booking's transaction, so two tabs cannot both pass it.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::visit::VisitSource;
use serde_json::json;

use crate::booking::{BookingError, Visit, spend_discount, visit_select};
use crate::discounts::{VisitPrice, return_certificate};
use crate::messages::Notice;
use crate::sql::{
    Conn, NewAppointment, insert_appointment, insert_audit, insert_notice, time_taken,
};
use crate::waitlist::close_held_offer;
use crate::{AuditEntry, Backend, Result, Store, dispatch, dispatch_write, unique_or};

/// A visit a patient (or the registrar for them) books.
#[derive(Debug, Clone)]
pub struct NewVisit {
    /// Whose.
    pub patient_id: i64,
    /// With whom.
    pub specialist_id: i64,
    /// Slot start, Unix seconds.
    pub starts_at: i64,
    /// Slot end, Unix seconds.
    pub ends_at: i64,
    /// The booking code.
    pub code: String,
    /// The service and the price it is booked at.
    pub price: Option<VisitPrice>,
    /// The patient in the cabinet, or the registrar.
    pub source: VisitSource,
    /// How many future visits the patient may hold, this one included.
    pub max_active: usize,
    /// Who books.
    pub actor: Actor,
    /// What tells the patient, when the clinic books for them.
    pub notice: Option<Notice>,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Who changes a visit, from where, when.
#[derive(Debug, Clone)]
pub struct VisitChange {
    /// Whose visit.
    pub patient_id: i64,
    /// Which visit.
    pub visit_id: i64,
    /// Who changes it.
    pub actor: Actor,
    /// What tells the patient, when the clinic changes it for them.
    pub notice: Option<Notice>,
    /// Why the clinic changes it, for the audit log (the patient's notice says it too).
    pub reason: Option<String>,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

const ACTIVE_FUTURE: &str = "SELECT COUNT(*) FROM appointments \
    WHERE patient_id = $1 AND status = 'booked' AND starts_at > $2";

impl Store {
    /// Books a visit for a known patient, unless the slot is taken or the patient already
    /// holds `max_active` future visits.
    pub async fn book_visit(&self, v: &NewVisit) -> Result<Visit, BookingError> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            if matches!(self.backend, Backend::Postgres(_)) {
                // Serialises the bookings of one patient: the count below stays true until
                // commit. SQLite has one writer, so its transactions are serial already.
                sqlx::query("SELECT id FROM patients WHERE id = $1 FOR UPDATE")
                    .bind(v.patient_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let active: i64 = sqlx::query_scalar(ACTIVE_FUTURE)
                .bind(v.patient_id)
                .bind(v.now)
                .fetch_one(&mut *tx)
                .await?;
            if usize::try_from(active).unwrap_or(usize::MAX) >= v.max_active {
                return Err(BookingError::LimitReached);
            }
            let time = (v.starts_at, v.ends_at);
            if time_taken(&mut tx, v.specialist_id, time, None, Some(v.patient_id)).await? {
                return Err(BookingError::SlotTaken);
            }
            let appointment = NewAppointment {
                specialist_id: v.specialist_id,
                patient_id: v.patient_id,
                starts_at: v.starts_at,
                ends_at: v.ends_at,
                source: v.source,
                code: &v.code,
                request: (None, None),
                price: v.price.as_ref(),
                now: v.now,
            };
            let id = insert_appointment(&mut tx, &appointment)
                .await
                .map_err(|e| unique_or(e, BookingError::SlotTaken))?;
            spend_discount(&mut tx, v.price.as_ref(), id, v.now).await?;
            let details = json!({
                "specialist_id": v.specialist_id,
                "starts_at": v.starts_at,
                "source": v.source,
                "service_id": v.price.as_ref().map(|p| p.service_id),
                "price_kopecks": v.price.as_ref().map(|p| p.price_kopecks),
            });
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    v.now,
                    v.actor,
                    AuditAction::AppointmentCreate,
                    ObjectKind::Appointment,
                    Some(id),
                )
                .patient(v.patient_id)
                .origin(&v.origin)
                .details(details),
            )
            .await?;
            if let Some(notice) = &v.notice {
                insert_notice(&mut tx, v.patient_id, notice, v.now).await?;
            }
            close_held_offer(&mut tx, v, id).await?;
            let visit = tx.visit(id).await?;
            tx.commit().await?;
            self.free_time_changed(&[v.specialist_id]);
            Ok(visit)
        })
    }

    /// How many booked visits of the patient start after `now`: what the cap counts.
    pub async fn active_visit_count(&self, patient_id: i64, now: i64) -> Result<usize> {
        let count: i64 = dispatch!(self, |pool| sqlx::query_scalar(ACTIVE_FUTURE)
            .bind(patient_id)
            .bind(now)
            .fetch_one(pool)
            .await?);
        Ok(usize::try_from(count).unwrap_or(usize::MAX))
    }

    /// A patient's visits, soonest first.
    pub async fn visits_of_patient(&self, patient_id: i64) -> Result<Vec<Visit>> {
        const SQL: &str = concat!(visit_select!(), " WHERE a.patient_id = $1 ORDER BY a.starts_at");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// One visit, only if it is this patient's.
    pub async fn visit_of_patient(&self, patient_id: i64, visit_id: i64) -> Result<Option<Visit>> {
        const SQL: &str = concat!(visit_select!(), " WHERE a.id = $1 AND a.patient_id = $2");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(visit_id)
            .bind(patient_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Cancels a booked visit of the patient. `None` if there is no such booked visit.
    pub async fn cancel_visit(&self, c: &VisitChange) -> Result<Option<Visit>> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE appointments SET status = 'cancelled', cancelled_at = $1, updated_at = $1 \
                 WHERE id = $2 AND patient_id = $3 AND status = 'booked'",
            )
            .bind(c.now)
            .bind(c.visit_id)
            .bind(c.patient_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Ok(None);
            }
            return_certificate(&mut tx, c.visit_id, c.now).await?;
            let visit = tx.visit(c.visit_id).await?;
            tx.announce_free_time(visit.specialist_id).await?;
            let details = json!({"reason": c.reason});
            insert_audit(&mut tx, &change_audit(c, AuditAction::AppointmentCancel, details))
                .await?;
            if let Some(notice) = &c.notice {
                insert_notice(&mut tx, c.patient_id, notice, c.now).await?;
            }
            tx.commit().await?;
            self.free_time_changed(&[visit.specialist_id]);
            Ok(Some(visit))
        })
    }

    /// Moves a booked visit of the patient to a time of `specialist_id` (the same specialist,
    /// as the patient moves it, or another, as the clinic may). `Ok(None)` if there is no such
    /// booked visit; `SlotTaken` if a live booking overlaps the new time.
    pub async fn move_visit(
        &self,
        c: &VisitChange,
        specialist_id: i64,
        starts_at: i64,
        ends_at: i64,
    ) -> Result<Option<Visit>, BookingError> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            const BEFORE: &str = "SELECT specialist_id, starts_at FROM appointments \
                WHERE id = $1 AND patient_id = $2 AND status = 'booked'";
            const MOVE: &str = "UPDATE appointments SET specialist_id = $1, starts_at = $2, \
                ends_at = $3, updated_at = $4 WHERE id = $5";
            let before: Option<(i64, i64)> = sqlx::query_as(BEFORE)
                .bind(c.visit_id)
                .bind(c.patient_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((was_with, was_at)) = before else { return Ok(None) };
            let (time, holder) = ((starts_at, ends_at), Some(c.patient_id));
            if time_taken(&mut tx, specialist_id, time, Some(c.visit_id), holder).await? {
                return Err(BookingError::SlotTaken);
            }
            sqlx::query(MOVE)
                .bind(specialist_id)
                .bind(starts_at)
                .bind(ends_at)
                .bind(c.now)
                .bind(c.visit_id)
                .execute(&mut *tx)
                .await
                .map_err(|e| unique_or(e, BookingError::SlotTaken))?;
            tx.announce_free_time(was_with).await?;
            tx.announce_free_time(specialist_id).await?;
            let details = json!({
                "from": was_at,
                "to": starts_at,
                "from_specialist": was_with,
                "to_specialist": specialist_id,
                "reason": c.reason,
            });
            insert_audit(&mut tx, &change_audit(c, AuditAction::AppointmentReschedule, details))
                .await?;
            if let Some(notice) = &c.notice {
                insert_notice(&mut tx, c.patient_id, notice, c.now).await?;
            }
            let visit = tx.visit(c.visit_id).await?;
            tx.commit().await?;
            self.free_time_changed(&[was_with, specialist_id]);
            Ok(Some(visit))
        })
    }
}

fn change_audit(c: &VisitChange, action: AuditAction, details: serde_json::Value) -> AuditEntry {
    AuditEntry::new(c.now, c.actor, action, ObjectKind::Appointment, Some(c.visit_id))
        .patient(c.patient_id)
        .origin(&c.origin)
        .details(details)
}

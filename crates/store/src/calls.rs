//! The front desk's day (B7, R10): the visits of a period with what the registrar needs to
//! call and receive the patients, the call attempts about each visit, what happened to a
//! visit once its time came, the no-show count that closes online booking and its lift, and
//! the patient's consent to calls (given again or withdrawn in the ledger).

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::visit::{CallOutcome, VisitOutcome};
use serde_json::json;

use crate::messages::Notice;
use crate::sql::{insert_audit, insert_notice};
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// A booked visit of the period, as the call list and the day's visits show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeskVisit {
    /// The visit.
    pub id: i64,
    /// Whose.
    pub patient_id: i64,
    /// Start, Unix seconds.
    pub starts_at: i64,
    /// The patient's full name.
    pub patient_name: String,
    /// The patient's phone, as stored (+7…).
    pub phone: String,
    /// The specialist's full name.
    pub specialist_name: String,
    /// The branch's name.
    pub branch_name: String,
    /// Whether the patient's consent to calls is in force now (the ledger, read now).
    pub calls_consent: bool,
    /// What happened once its time came, if marked.
    #[sqlx(try_from = "crate::NullableText")]
    pub outcome: Option<VisitOutcome>,
    /// Whether the patient's data is blocked (G4): no name, no phone, no call.
    pub data_blocked: bool,
}

/// One call about a visit.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallAttempt {
    /// The visit.
    pub appointment_id: i64,
    /// How it went.
    #[sqlx(try_from = "String")]
    pub outcome: CallOutcome,
    /// Who called.
    pub staff_name: String,
    /// When, Unix seconds.
    pub called_at: i64,
}

/// A call the registrar records.
#[derive(Debug, Clone)]
pub struct NewCall {
    /// Whose visit.
    pub patient_id: i64,
    /// The visit.
    pub visit_id: i64,
    /// How it went.
    pub outcome: CallOutcome,
    /// The registrar who called.
    pub staff_id: i64,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// An outcome the registrar marks on a visit whose time has come.
#[derive(Debug, Clone)]
pub struct NewOutcome {
    /// Whose visit.
    pub patient_id: i64,
    /// The visit.
    pub visit_id: i64,
    /// What happened.
    pub outcome: VisitOutcome,
    /// The registrar.
    pub staff_id: i64,
    /// No-shows of visits that started at or after this (Unix seconds) count.
    pub no_shows_since: i64,
    /// How many of them close online booking (0: never).
    pub no_show_limit: u32,
    /// What tells the patient, when this no-show closes online booking.
    pub closed_notice: Notice,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Why an outcome was not marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeRefusal {
    /// No such booked visit of the patient.
    NotFound,
    /// Its time has not come.
    TooEarly,
}

/// A visit of a patient whose data is blocked (G4) stays on the day's list, since the
/// visit is not cancelled behind the patient's back, but without name or phone, and is never
/// called about.
const DESK_VISITS: &str = "SELECT a.id, a.patient_id, a.starts_at, \
    CASE WHEN p.data_blocked_at IS NULL \
        THEN TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) ELSE '' END \
        AS patient_name, \
    CASE WHEN p.data_blocked_at IS NULL THEN p.phone ELSE '' END AS phone, \
    TRIM(s.last_name || ' ' || s.first_name || ' ' || s.middle_name) \
    AS specialist_name, b.name AS branch_name, \
    p.data_blocked_at IS NULL AND EXISTS (SELECT 1 FROM consents c \
        WHERE c.patient_id = a.patient_id AND c.kind = 'calls' \
        AND c.withdrawn_at IS NULL) AS calls_consent, a.outcome, \
    p.data_blocked_at IS NOT NULL AS data_blocked \
    FROM appointments a \
    JOIN patients p ON p.id = a.patient_id \
    JOIN specialists s ON s.id = a.specialist_id \
    JOIN branches b ON b.id = s.branch_id \
    WHERE a.status = 'booked' AND a.starts_at >= $1 AND a.starts_at < $2 \
    ORDER BY a.starts_at, a.id";

const CALLS_BETWEEN: &str = "SELECT c.appointment_id, c.outcome, st.full_name AS staff_name, \
    c.called_at FROM call_attempts c \
    JOIN appointments a ON a.id = c.appointment_id \
    JOIN staff st ON st.id = c.staff_id \
    WHERE a.status = 'booked' AND a.starts_at >= $1 AND a.starts_at < $2 ORDER BY c.id";

/// No-shows of the patient's visits that started at or after `$2` and after the last lift.
const NO_SHOWS: &str = "SELECT COUNT(*) FROM appointments a JOIN patients p ON p.id = a.patient_id \
    WHERE a.patient_id = $1 AND a.outcome = 'no_show' AND a.starts_at >= $2 \
    AND (p.no_shows_lifted_at IS NULL OR a.starts_at > p.no_shows_lifted_at)";

impl Store {
    /// Booked visits that start in `[from, to)` (Unix seconds), soonest first.
    pub async fn desk_visits(&self, from: i64, to: i64) -> Result<Vec<DeskVisit>> {
        Ok(dispatch!(self, |pool| sqlx::query_as(DESK_VISITS)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }

    /// The calls about the booked visits that start in `[from, to)`, oldest first.
    pub async fn calls_between(&self, from: i64, to: i64) -> Result<Vec<CallAttempt>> {
        Ok(dispatch!(self, |pool| sqlx::query_as(CALLS_BETWEEN)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }

    /// Whether the clinic works on the day `[from, to)` (Unix seconds; `day` as
    /// `YYYY-MM-DD`, `weekday` 1 = Monday): a weekly template of some specialist applies on
    /// it and no vacation, sick leave or day off of theirs covers it, or some specialist has
    /// an extra day on it, or some visit is booked on it. A holiday the clinic entered as a
    /// day off of everyone is so not a working day.
    pub async fn clinic_works(
        &self,
        day: &str,
        weekday: i8,
        (from, to): (i64, i64),
    ) -> Result<bool> {
        const SQL: &str = "SELECT EXISTS (SELECT 1 FROM work_rules r WHERE r.weekday = $1 \
            AND r.valid_from <= $2 AND (r.valid_until IS NULL OR r.valid_until >= $2) \
            AND NOT EXISTS (SELECT 1 FROM schedule_exceptions e \
                WHERE e.specialist_id = r.specialist_id \
                AND e.kind IN ('vacation', 'sick_leave', 'day_off') \
                AND e.from_day <= $2 AND e.until_day >= $2)) \
            OR EXISTS (SELECT 1 FROM schedule_exceptions WHERE kind = 'extra_day' \
                AND from_day <= $2 AND until_day >= $2) \
            OR EXISTS (SELECT 1 FROM appointments WHERE status = 'booked' \
            AND starts_at >= $3 AND starts_at < $4)";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(SQL)
            .bind(i32::from(weekday))
            .bind(day)
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await?))
    }

    /// Records a call about a visit of the patient (any status: a call that cancelled it is
    /// recorded after the cancel), audited in its transaction. `false` if the patient has no
    /// such visit.
    pub async fn record_call(&self, call: &NewCall) -> Result<bool> {
        const OWNED: &str = "SELECT COUNT(*) FROM appointments WHERE id = $1 AND patient_id = $2";
        const INSERT: &str = "INSERT INTO call_attempts (appointment_id, outcome, staff_id, \
            called_at) VALUES ($1, $2, $3, $4)";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let owned: i64 = sqlx::query_scalar(OWNED)
                .bind(call.visit_id)
                .bind(call.patient_id)
                .fetch_one(&mut *tx)
                .await?;
            if owned == 0 {
                return Ok(false);
            }
            sqlx::query(INSERT)
                .bind(call.visit_id)
                .bind(call.outcome.as_str())
                .bind(call.staff_id)
                .bind(call.now)
                .execute(&mut *tx)
                .await?;
            let entry = AuditEntry::new(
                call.now,
                Actor::Staff(call.staff_id),
                AuditAction::AppointmentCall,
                ObjectKind::Appointment,
                Some(call.visit_id),
            )
            .patient(call.patient_id)
            .origin(&call.origin)
            .details(json!({"outcome": call.outcome}));
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Marks what happened to a booked visit of the patient whose start has come, audited;
    /// when this no-show reaches the limit, online booking closes for the patient in the
    /// same transaction (audited, and the patient told by `closed_notice`).
    pub async fn mark_outcome(&self, m: &NewOutcome) -> Result<Result<(), OutcomeRefusal>> {
        const VISIT: &str = "SELECT starts_at FROM appointments \
            WHERE id = $1 AND patient_id = $2 AND status = 'booked'";
        const UPDATE: &str = "UPDATE appointments SET outcome = $2, outcome_at = $3, \
            outcome_by = $4 WHERE id = $1";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let starts_at: Option<i64> = sqlx::query_scalar(VISIT)
                .bind(m.visit_id)
                .bind(m.patient_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(starts_at) = starts_at else {
                return Ok(Err(OutcomeRefusal::NotFound));
            };
            if starts_at > m.now {
                return Ok(Err(OutcomeRefusal::TooEarly));
            }
            let before: i64 = sqlx::query_scalar(NO_SHOWS)
                .bind(m.patient_id)
                .bind(m.no_shows_since)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(UPDATE)
                .bind(m.visit_id)
                .bind(m.outcome.as_str())
                .bind(m.now)
                .bind(m.staff_id)
                .execute(&mut *tx)
                .await?;
            let after: i64 = sqlx::query_scalar(NO_SHOWS)
                .bind(m.patient_id)
                .bind(m.no_shows_since)
                .fetch_one(&mut *tx)
                .await?;
            let actor = Actor::Staff(m.staff_id);
            let entry = AuditEntry::new(
                m.now,
                actor,
                AuditAction::AppointmentOutcome,
                ObjectKind::Appointment,
                Some(m.visit_id),
            )
            .patient(m.patient_id)
            .origin(&m.origin)
            .details(json!({"outcome": m.outcome}));
            insert_audit(&mut tx, &entry).await?;
            let closed = |n: i64| {
                kabinet_core::visit::online_booking_closed(
                    u32::try_from(n).unwrap_or(u32::MAX),
                    m.no_show_limit,
                )
            };
            if closed(after) && !closed(before) {
                let entry = AuditEntry::new(
                    m.now,
                    actor,
                    AuditAction::PatientOnlineBookingClose,
                    ObjectKind::Patient,
                    Some(m.patient_id),
                )
                .patient(m.patient_id)
                .origin(&m.origin)
                .details(json!({"no_shows": after}));
                insert_audit(&mut tx, &entry).await?;
                insert_notice(&mut tx, m.patient_id, &m.closed_notice, m.now).await?;
            }
            tx.commit().await?;
            Ok(Ok(()))
        })
    }

    /// How many no-shows of the patient count now: visits that started at or after `since`
    /// and after the last lift.
    pub async fn no_show_count(&self, patient_id: i64, since: i64) -> Result<u32> {
        let n: i64 = dispatch!(self, |pool| sqlx::query_scalar(NO_SHOWS)
            .bind(patient_id)
            .bind(since)
            .fetch_one(pool)
            .await?);
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Reopens online booking for the patient: no-shows of visits that started until now no
    /// longer count. Audited. `false` for an unknown patient.
    pub async fn reopen_online_booking(
        &self,
        patient_id: i64,
        staff_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        const SQL: &str = "UPDATE patients SET no_shows_lifted_at = $2 WHERE id = $1";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(SQL)
                .bind(patient_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            let entry = AuditEntry::new(
                now,
                Actor::Staff(staff_id),
                AuditAction::PatientOnlineBookingReopen,
                ObjectKind::Patient,
                Some(patient_id),
            )
            .patient(patient_id)
            .origin(origin);
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Whether the patient's consent to calls is in force.
    pub async fn calls_consent(&self, patient_id: i64) -> Result<bool> {
        const SQL: &str = "SELECT COUNT(*) FROM consents \
            WHERE patient_id = $1 AND kind = 'calls' AND withdrawn_at IS NULL";
        let n: i64 = dispatch!(self, |pool| sqlx::query_scalar(SQL)
            .bind(patient_id)
            .fetch_one(pool)
            .await?);
        Ok(n > 0)
    }
}

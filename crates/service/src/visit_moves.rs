//! The clinic moves a visit (B5): the registrar picks another free time of the same
//! specialist or of another one, with a reason, and the patient gets a cabinet message and a
//! letter; or cancels it with a reason. The visits a schedule change took the time of are
//! listed for this ([`Kabinet::visits_to_move`]): none silently disappears.

use jiff::Timestamp;
use kabinet_core::access::Origin;
use kabinet_core::lang::Lang;
use kabinet_core::patient::FieldErrors;
use kabinet_store::booking::Visit;
use kabinet_store::schedules::VisitToMove;
use kabinet_store::visits::VisitChange;

use crate::booking::parse_start;
use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};
use kabinet_core::roles::Action;

/// The longest reason the patient is told, in characters.
const REASON_MAX: usize = 500;

/// A reason as typed: required, trimmed, at most [`REASON_MAX`] characters.
fn parse_reason(reason: &str, errors: &mut FieldErrors) -> Option<String> {
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.is_empty() {
        errors.add("reason", "error-move-reason-missing");
        None
    } else if reason.chars().count() > REASON_MAX {
        errors.add("reason", "error-move-reason-long");
        None
    } else {
        Some(reason)
    }
}

impl Kabinet {
    /// Booked visits whose time a schedule change took away, soonest first, of one specialist
    /// or of all; a visit whose time came back (the change undone) is left out.
    pub async fn visits_to_move(
        &self,
        staff: &StaffUser,
        specialist_id: Option<i64>,
    ) -> Result<Vec<VisitToMove>> {
        staff.require(Action::MoveVisits)?;
        let listed = self.store.visits_to_move(specialist_id, self.now().as_second()).await?;
        let mut still = Vec::with_capacity(listed.len());
        for visit in listed {
            let start = Timestamp::from_second(visit.starts_at).unwrap_or_default();
            if !self.is_working_start(visit.specialist_id, start).await? {
                still.push(visit);
            }
        }
        Ok(still)
    }

    /// Whether `start` begins a slot of the specialist's schedule (booked or not).
    pub(crate) async fn is_working_start(
        &self,
        specialist_id: i64,
        start: Timestamp,
    ) -> Result<bool> {
        let tz = &self.settings.time_zone;
        let day = start.to_zoned(tz.clone()).date();
        let schedule = self.schedule(specialist_id, day, day).await?;
        let slots = kabinet_core::schedule::working_slots(
            &schedule.rules,
            &schedule.exceptions,
            day,
            day,
            tz,
        );
        Ok(slots.iter().any(|s| s.start == start))
    }

    /// The registrar moves a planned visit of the patient to a free slot starting at `start`
    /// of `specialist_id` (the same specialist or another), with `reason`; the patient gets a
    /// cabinet message and a letter, in the move's transaction.
    pub async fn move_for_patient(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        visit_id: i64,
        (specialist_id, start): (i64, &str),
        reason: &str,
        origin: &Origin,
    ) -> Result<Visit> {
        staff.require(Action::MoveVisits)?;
        self.check_data_not_blocked(patient_id).await?;
        let mut errors = FieldErrors::default();
        let start = parse_start(start);
        if start.is_none() {
            errors.add("start", "error-slot-invalid");
        }
        let reason = parse_reason(reason, &mut errors);
        let (Some(start), Some(reason), true) = (start, reason, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let record = self.record_of(patient_id).await?;
        let visit = self.planned_visit(patient_id, visit_id).await?;
        // The visit keeps its length (its service's) at the new time.
        let minutes = i32::try_from((visit.ends_at - visit.starts_at) / 60).ok();
        let slot = self.offered_time(specialist_id, start, minutes).await?;
        let specialist = self.catalog_specialist(specialist_id, Lang::Ru).await?;
        let place = self.place_with(&specialist).await?;
        let was = Timestamp::from_second(visit.starts_at).unwrap_or_default();
        let text = format!(
            "Клиника перенесла вашу запись.\nПричина: {reason}\n\nБыло: {}, {}\nСтало:\n{}",
            was.to_zoned(self.settings.time_zone.clone()).strftime("%d.%m.%Y, %H:%M"),
            visit.specialist_name,
            self.visit_details(&place, slot.start, &visit.code)
        );
        let change = VisitChange {
            patient_id,
            visit_id,
            actor: staff.actor(),
            notice: Some(self.notice(&record, "Запись на приём перенесена", &text)),
            reason: Some(reason),
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        self.store
            .move_visit(&change, specialist_id, slot.start.as_second(), slot.end.as_second())
            .await?
            .ok_or(Error::NotFound)
    }

    /// The registrar cancels a planned visit of the patient with `reason`, which the patient
    /// is told.
    pub async fn cancel_with_reason(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        visit_id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<Visit> {
        staff.require(Action::MoveVisits)?;
        let mut errors = FieldErrors::default();
        let Some(reason) = parse_reason(reason, &mut errors) else {
            return Err(Error::Validation(errors));
        };
        self.planned_visit(patient_id, visit_id).await?;
        self.cancel_for_patient(staff, patient_id, visit_id, Some(&reason), origin).await
    }

    /// A booked visit of the patient that has not begun; `NotFound` otherwise.
    pub async fn planned_visit(&self, patient_id: i64, visit_id: i64) -> Result<Visit> {
        let visit =
            self.store.visit_of_patient(patient_id, visit_id).await?.ok_or(Error::NotFound)?;
        if visit.is_planned(self.now().as_second()) { Ok(visit) } else { Err(Error::NotFound) }
    }
}

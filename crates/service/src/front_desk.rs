//! The front desk's day (B7, R10, issue 12 points 1–2): the list of confirmation calls for the
//! next working days, each call's outcome, the day's visits marked arrived, completed or not
//! attended, and the no-show policy that closes online booking.
//!
//! The call list reads the consent ledger at request time: a patient whose consent to calls
//! is not in force (never given, or withdrawn a moment ago) is listed apart, not to be called.
//!
//! A working day is a day on which some specialist works by their schedule (a weekly template
//! not covered by their vacation, sick leave or day off, or an extra day) or some visit is
//! booked; the list covers the next `call_window_days` of them after today (Friday's list is
//! Saturday's when someone works on Saturdays, else Monday's; the eve of a holiday entered as
//! everyone's day off looks past it).

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use kabinet_core::access::Origin;
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::roles::Action;
use kabinet_core::visit::{CallOutcome, VisitOutcome, online_booking_closed};
use kabinet_store::AuditEntry;
use kabinet_store::calls::{CallAttempt, DeskVisit, NewCall, NewOutcome, OutcomeRefusal};

use crate::accounts::Patient;
use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// How far ahead the next working day is looked for.
const WORKING_DAY_SEARCH: i32 = 14;

/// The reason a visit cancelled by a call is given, as the patient's notice says it.
const CANCELLED_BY_CALL: &str = "вы отменили запись по телефону";

/// A visit of the front desk's lists with the calls made about it.
#[derive(Debug, Clone)]
pub struct DeskRow {
    /// The visit.
    pub visit: DeskVisit,
    /// The calls about it, oldest first.
    pub calls: Vec<CallAttempt>,
}

impl DeskRow {
    /// The visit's confirmation state: how the last call went.
    pub fn confirmation(&self) -> Option<CallOutcome> {
        self.calls.last().map(|c| c.outcome)
    }
}

/// The call list of some days.
#[derive(Debug, Clone)]
pub struct CallList {
    /// The days it covers.
    pub days: Vec<Date>,
    /// Visits of patients whose consent to calls is in force.
    pub to_call: Vec<DeskRow>,
    /// Visits of patients without it: not to be called.
    pub no_consent: Vec<DeskRow>,
}

impl Kabinet {
    /// The next `call_window_days` working days after today.
    pub async fn next_working_days(&self) -> Result<Vec<Date>> {
        let wanted = usize::try_from(self.settings.call_window_days.max(1)).unwrap_or(1);
        let today = self.today();
        let mut days = Vec::new();
        for ahead in 1..=WORKING_DAY_SEARCH {
            let day = today.saturating_add(ahead.days());
            let weekday = day.weekday().to_monday_one_offset();
            let (from, to) = self.day_bounds(day);
            let bounds = (from.as_second(), to.as_second());
            if self.store.clinic_works(&day.to_string(), weekday, bounds).await? {
                days.push(day);
                if days.len() == wanted {
                    break;
                }
            }
        }
        if days.is_empty() {
            days.push(today.saturating_add(1.day()));
        }
        Ok(days)
    }

    /// The call list of `day`, or of the next working days when none is asked for. Audited
    /// (it shows names and phones).
    pub async fn call_list(
        &self,
        staff: &StaffUser,
        day: Option<Date>,
        origin: &Origin,
    ) -> Result<CallList> {
        staff.require(Action::CallPatients)?;
        let days = match day {
            Some(day) => vec![day],
            None => self.next_working_days().await?,
        };
        let first = days.first().copied().unwrap_or_else(|| self.today());
        let last = days.last().copied().unwrap_or(first);
        let rows = self.desk_rows(staff, (first, last), "calls", origin).await?;
        // A patient whose data is blocked is on neither list: they are not called (G4).
        let rows = rows.into_iter().filter(|r| !r.visit.data_blocked);
        let (to_call, no_consent) = rows.partition(|r| r.visit.calls_consent);
        Ok(CallList { days, to_call, no_consent })
    }

    /// The booked visits of `day`, with the calls made about them. Audited.
    pub async fn day_visits(
        &self,
        staff: &StaffUser,
        day: Date,
        origin: &Origin,
    ) -> Result<Vec<DeskRow>> {
        staff.require(Action::MarkVisitOutcomes)?;
        self.desk_rows(staff, (day, day), "day", origin).await
    }

    async fn desk_rows(
        &self,
        staff: &StaffUser,
        (first, last): (Date, Date),
        list: &str,
        origin: &Origin,
    ) -> Result<Vec<DeskRow>> {
        let from = self.day_bounds(first).0.as_second();
        let to = self.day_bounds(last).1.as_second();
        let visits = self.store.desk_visits(from, to).await?;
        let mut calls: HashMap<i64, Vec<CallAttempt>> = HashMap::new();
        for call in self.store.calls_between(from, to).await? {
            calls.entry(call.appointment_id).or_default().push(call);
        }
        let entry = AuditEntry::new(
            self.now().as_second(),
            staff.actor(),
            AuditAction::VisitListView,
            ObjectKind::Appointment,
            None,
        )
        .origin(origin)
        .details(serde_json::json!({
            "list": list,
            "from": first.to_string(),
            "to": last.to_string(),
            "visits": visits.len(),
        }));
        self.store.record_access(&entry).await?;
        Ok(visits
            .into_iter()
            .map(|visit| DeskRow { calls: calls.remove(&visit.id).unwrap_or_default(), visit })
            .collect())
    }

    /// Records a confirmation call about the patient's booked visit. «Отменил» cancels the
    /// visit first (the patient is told, as for any cancel by the clinic); «перенёс» is only
    /// recorded: the registrar moves the visit on the move page next.
    pub async fn record_call(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        visit_id: i64,
        outcome: CallOutcome,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::CallPatients)?;
        let visit =
            self.store.visit_of_patient(patient_id, visit_id).await?.ok_or(Error::NotFound)?;
        if !visit.is_planned(self.now().as_second()) {
            return Err(Error::NotFound);
        }
        if outcome == CallOutcome::Cancelled {
            self.cancel_for_patient(staff, patient_id, visit_id, Some(CANCELLED_BY_CALL), origin)
                .await?;
        }
        let call = NewCall {
            patient_id,
            visit_id,
            outcome,
            staff_id: staff.member.id,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        if self.store.record_call(&call).await? { Ok(()) } else { Err(Error::NotFound) }
    }

    /// Marks what happened to the patient's booked visit, once its start has come
    /// (`TooEarly` before). A no-show that reaches the policy's limit closes online booking
    /// for the patient, who is told why and how to book by phone.
    pub async fn mark_visit_outcome(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        visit_id: i64,
        outcome: VisitOutcome,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::MarkVisitOutcomes)?;
        let record = self.record_of(patient_id).await?;
        let text = format!(
            "Вы несколько раз не пришли на приём, на который были записаны, поэтому онлайн-запись \
             для вас закрыта. Записаться можно по телефону клиники {}. Регистратура может снова \
             открыть онлайн-запись — спросите об этом при звонке или визите.",
            self.settings.clinic_phone
        );
        let mark = NewOutcome {
            patient_id,
            visit_id,
            outcome,
            staff_id: staff.member.id,
            no_shows_since: self.no_shows_since(),
            no_show_limit: self.settings.no_show_limit,
            closed_notice: self.notice(&record, "Онлайн-запись закрыта", &text),
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        match self.store.mark_outcome(&mark).await? {
            Ok(()) => Ok(()),
            Err(OutcomeRefusal::NotFound) => Err(Error::NotFound),
            Err(OutcomeRefusal::TooEarly) => Err(Error::TooEarly),
        }
    }

    /// The start (Unix seconds) from which no-shows count now.
    fn no_shows_since(&self) -> i64 {
        let days = i64::from(self.settings.no_show_days);
        self.now().as_second().saturating_sub(days.saturating_mul(86_400))
    }

    /// How many no-shows closed online booking for the patient, or `None` while it is open.
    pub(crate) async fn online_booking_closure(&self, patient_id: i64) -> Result<Option<u32>> {
        let count = self.store.no_show_count(patient_id, self.no_shows_since()).await?;
        Ok(online_booking_closed(count, self.settings.no_show_limit).then_some(count))
    }

    /// Refuses online booking to a patient it is closed for.
    pub(crate) async fn check_online_booking_open(&self, patient_id: i64) -> Result<()> {
        match self.online_booking_closure(patient_id).await? {
            Some(_) => {
                Err(Error::OnlineBookingClosed { phone: self.settings.clinic_phone.clone() })
            }
            None => Ok(()),
        }
    }

    /// Whether online booking is closed for the signed-in patient (the cabinet's banner).
    pub async fn my_online_booking_closed(&self, patient: &Patient) -> Result<bool> {
        Ok(self.online_booking_closure(patient.account.patient_id).await?.is_some())
    }

    /// How many no-shows closed online booking for the patient, for the card; `None` while
    /// it is open.
    pub async fn patient_online_booking_closure(
        &self,
        staff: &StaffUser,
        patient_id: i64,
    ) -> Result<Option<u32>> {
        staff.require(Action::ViewPatientCard)?;
        self.online_booking_closure(patient_id).await
    }

    /// Reopens online booking for the patient: the no-shows so far no longer count.
    pub async fn reopen_online_booking(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::MarkVisitOutcomes)?;
        let now = self.now().as_second();
        if self.store.reopen_online_booking(patient_id, staff.member.id, origin, now).await? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// Whether the patient's consent to confirmation calls is in force.
    pub async fn my_calls_consent(&self, patient: &Patient) -> Result<bool> {
        Ok(self.store.calls_consent(patient.account.patient_id).await?)
    }
}

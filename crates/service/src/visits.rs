//! A signed-in patient's own visits (B3, B4, K1): book, list, cancel, move, within the rules
//! of their access level. The registrar's feed (N2) reads these changes from the audit log.

use jiff::Timestamp;
use kabinet_core::access::Origin;
use kabinet_core::mail::MailKind;
use kabinet_core::token::random_code;
use kabinet_core::visit::{VisitSource, VisitStatus};
use kabinet_core::visit_rules::{self, Change, Refusal};
use kabinet_store::booking::Visit;
use kabinet_store::messages::Notice;
use kabinet_store::visits::{NewVisit, VisitChange};

use crate::accounts::Patient;
use crate::booking::parse_start;
use crate::offers::cost_line;
use crate::visit_letters::VisitPlace;
use crate::{Error, Kabinet, Result};
use kabinet_core::lang::Lang;

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::LimitReached => Self::LimitReached,
            Refusal::TooLate => Self::TooLate,
            Refusal::Forbidden => Self::Forbidden,
        }
    }
}

/// A visit a patient asks to book in the cabinet.
#[derive(Debug, Clone, Default)]
pub struct WantedVisit {
    /// With whom.
    pub specialist_id: i64,
    /// For which service; none: the specialist's first (a consultation, where there is one).
    pub service_id: Option<i64>,
    /// When: the start of a free time, as sent.
    pub start: String,
    /// A discount card, certificate or promotion code, if the patient has one.
    pub discount_code: Option<String>,
}

impl Kabinet {
    /// The patient's visits, soonest first.
    pub async fn my_visits(&self, patient: &Patient) -> Result<Vec<Visit>> {
        Ok(self.store.visits_of_patient(patient.account.patient_id).await?)
    }

    /// One of the patient's visits; `NotFound` if it is not theirs.
    pub async fn my_visit(&self, patient: &Patient, visit_id: i64) -> Result<Visit> {
        self.store
            .visit_of_patient(patient.account.patient_id, visit_id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Refuses (`OnlineBookingClosed`, `LimitReached`, `Forbidden`) when the patient may not hold one more future
    /// visit now, so a page can say so before the patient picks a time. The booking checks
    /// again in its transaction.
    pub async fn check_room_for_visit(&self, patient: &Patient) -> Result<()> {
        self.check_data_not_blocked(patient.account.patient_id).await?;
        self.check_online_booking_open(patient.account.patient_id).await?;
        let cap = visit_rules::active_cap(patient.level(), &self.settings.visit_limits)?;
        let now = self.now().as_second();
        let active = self.store.active_visit_count(patient.account.patient_id, now).await?;
        if active >= cap { Err(Error::LimitReached) } else { Ok(()) }
    }

    /// Books a free time for the patient for a service (the specialist's first when none is
    /// asked for), at its price with the code typed, if any, within the access level's cap
    /// on future visits.
    pub async fn book_my_visit(
        &self,
        patient: &Patient,
        wanted: &WantedVisit,
        origin: &Origin,
    ) -> Result<Visit> {
        self.check_data_not_blocked(patient.account.patient_id).await?;
        self.check_online_booking_open(patient.account.patient_id).await?;
        let specialist_id = wanted.specialist_id;
        let start = self.parse_slot_start(&wanted.start)?;
        let limits = &self.settings.visit_limits;
        let max_active = visit_rules::active_cap(patient.level(), limits)?;
        let service = self.bookable_service(specialist_id, wanted.service_id, Lang::Ru).await?;
        let slot = match self.held_for(patient, specialist_id, start, &service).await? {
            Some(held) => held,
            None => self.offered_time(specialist_id, start, Some(service.duration_minutes)).await?,
        };
        let specialist = self.catalog_specialist(specialist_id, Lang::Ru).await?;
        let day = start.to_zoned(self.settings.time_zone.clone()).date();
        let priced =
            self.price_visit(&specialist, service, wanted.discount_code.as_deref(), day).await?;
        let code = random_code(8);
        let place = self.place_with(&specialist).await?;
        let text = format!(
            "Вы записались на приём.\n\n{}\n{}",
            self.visit_details(&place, slot.start, &code),
            cost_line(&priced.price)
        );
        let visit = NewVisit {
            patient_id: patient.account.patient_id,
            specialist_id,
            starts_at: slot.start.as_second(),
            ends_at: slot.end.as_second(),
            code,
            price: Some(priced.price),
            source: VisitSource::Cabinet,
            max_active,
            actor: patient.actor(),
            notice: Some(self.own_notice(patient, "Вы записаны на приём", &text)),
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        Ok(self.store.book_visit(&visit).await?)
    }

    /// Cancels the patient's visit, if the cancel cut-off has not passed.
    pub async fn cancel_my_visit(
        &self,
        patient: &Patient,
        visit_id: i64,
        origin: &Origin,
    ) -> Result<Visit> {
        let visit = self.my_visit(patient, visit_id).await?;
        self.check_change(patient, &visit, Change::Cancel)?;
        let text = format!(
            "Вы отменили запись на приём.\n\n{}",
            self.visit_details(&VisitPlace::of(&visit), visit_start(&visit)?, &visit.code)
        );
        let notice = self.own_notice(patient, "Запись на приём отменена", &text);
        let change = self.change(patient, visit_id, notice, origin);
        self.store.cancel_visit(&change).await?.ok_or(Error::NotFound)
    }

    /// Moves the patient's visit to another free slot of the same specialist, if the
    /// reschedule cut-off has not passed.
    pub async fn reschedule_my_visit(
        &self,
        patient: &Patient,
        visit_id: i64,
        start: &str,
        origin: &Origin,
    ) -> Result<Visit> {
        self.check_data_not_blocked(patient.account.patient_id).await?;
        let start = self.parse_slot_start(start)?;
        let visit = self.my_visit(patient, visit_id).await?;
        self.check_change(patient, &visit, Change::Reschedule)?;
        // The visit keeps its length (its service's) at the new time.
        let minutes = i32::try_from((visit.ends_at - visit.starts_at) / 60).ok();
        let slot = self.offered_time(visit.specialist_id, start, minutes).await?;
        let when = |at: Timestamp| {
            at.to_zoned(self.settings.time_zone.clone()).strftime("%d.%m.%Y, %H:%M").to_string()
        };
        let text = format!(
            "Вы перенесли запись на приём.\n\nБыло: {}\nСтало:\n{}",
            when(visit_start(&visit)?),
            self.visit_details(&VisitPlace::of(&visit), slot.start, &visit.code)
        );
        let notice = self.own_notice(patient, "Запись на приём перенесена", &text);
        let change = self.change(patient, visit_id, notice, origin);
        self.store
            .move_visit(&change, visit.specialist_id, slot.start.as_second(), slot.end.as_second())
            .await?
            .ok_or(Error::NotFound)
    }

    fn parse_slot_start(&self, start: &str) -> Result<Timestamp> {
        parse_start(start).ok_or_else(|| {
            let mut errors = kabinet_core::patient::FieldErrors::default();
            errors.add("start", "error-slot-invalid");
            Error::Validation(errors)
        })
    }

    fn check_change(&self, patient: &Patient, visit: &Visit, change: Change) -> Result<()> {
        if visit.status != VisitStatus::Booked {
            return Err(Error::NotFound);
        }
        let limits = &self.settings.visit_limits;
        Ok(visit_rules::may_change(
            patient.level(),
            change,
            visit_start(visit)?,
            self.now(),
            limits,
        )?)
    }

    fn change(
        &self,
        patient: &Patient,
        visit_id: i64,
        notice: Notice,
        origin: &Origin,
    ) -> VisitChange {
        VisitChange {
            patient_id: patient.account.patient_id,
            visit_id,
            actor: patient.actor(),
            notice: Some(notice),
            reason: None,
            origin: origin.clone(),
            now: self.now().as_second(),
        }
    }

    /// The letter of the patient's own change, to their login (no inbox message: they
    /// know what they just did).
    fn own_notice(&self, patient: &Patient, subject: &str, text: &str) -> Notice {
        let to = Some(patient.account.login.clone());
        self.visit_notice(MailKind::VisitChanged, to, subject, text, false)
    }
}

fn visit_start(visit: &Visit) -> Result<Timestamp> {
    Timestamp::from_second(visit.starts_at)
        .map_err(|e| Error::Internal(format!("visit start: {e}")))
}

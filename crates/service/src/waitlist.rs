//! The fair waiting list (B8): a signed-in patient waits for a fully booked specialist (and
//! a service) between two days; when a matching time is free, the first in line has it held
//! for `waitlist_hold` and is told by letter and cabinet message; booking it closes the place.
//!
//! Why a pass and not a hook in every cancel: times free up along many paths (a patient's
//! cancel or move, the registrar's, a schedule change, an expired hold). The pass
//! ([`Kabinet::offer_waitlist_times`], run before each outbox pass like the reminders') looks at
//! the free time of every specialist someone waits for, so no path can forget the line. The
//! line is fair: its entries are served in the order of joining, each with the earliest free
//! time in its days that its patient's access level lets them book (the cap on planned
//! visits; the horizon is the free time's). A hold that runs out unused is `missed`: the
//! patient keeps their place (one missed letter should not cost it) but is never offered that
//! time again, so it goes to the next in line.
//!
//! The letter names no specialist, specialty or service (323-FZ art. 13); the cabinet message
//! does.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use kabinet_core::access::{AccessLevel, Origin};
use kabinet_core::lang::{Lang, MONTHS_RU_GENITIVE};
use kabinet_core::mail::MailKind;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_core::schedule::{Slot, fit_service};
use kabinet_core::visit_rules;
use kabinet_core::waitlist::WaitlistStatus;
use kabinet_store::booking::{OutboxMail, Visit};
use kabinet_store::catalog::Service;
use kabinet_store::messages::Notice;
use kabinet_store::waitlist::{InLine, JoinError, NewEntry, NewOffer, WaitlistEntry};

use crate::accounts::Patient;
use crate::staff::StaffUser;
use crate::visits::WantedVisit;
use crate::{Error, Kabinet, Result};

/// A place in the waiting list a patient asks for, as sent.
#[derive(Debug, Clone, Default)]
pub struct WaitFor {
    /// For which specialist.
    pub specialist_id: i64,
    /// For which service, if any.
    pub service_id: Option<i64>,
    /// The first day, YYYY-MM-DD.
    pub from: String,
    /// The last day, YYYY-MM-DD.
    pub to: String,
}

impl From<JoinError> for Error {
    fn from(error: JoinError) -> Self {
        match error {
            JoinError::AlreadyWaiting => Self::AlreadyWaiting,
            JoinError::Store(e) => Self::Store(e),
        }
    }
}

impl Kabinet {
    /// Puts the patient in line for a specialist (and service) on the days `from..=to`, which
    /// must lie within today's booking horizon; `AlreadyWaiting` when they wait for it on
    /// some of these days already.
    pub async fn join_waitlist(
        &self,
        patient: &Patient,
        wanted: &WaitFor,
        origin: &Origin,
    ) -> Result<WaitlistEntry> {
        self.check_data_not_blocked(patient.account.patient_id).await?;
        visit_rules::active_cap(patient.level(), &self.settings.visit_limits)?;
        let (from, to) = self.waitlist_days(wanted)?;
        // The specialist (and the service) must be one booked online.
        self.bookable_service(wanted.specialist_id, wanted.service_id, Lang::Ru).await?;
        let entry = NewEntry {
            patient_id: patient.account.patient_id,
            specialist_id: wanted.specialist_id,
            service_id: wanted.service_id,
            from_day: from.to_string(),
            to_day: to.to_string(),
            actor: patient.actor(),
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        let id = self.store.join_waitlist(&entry).await?;
        self.my_waitlist_entry(patient, id).await
    }

    /// The days asked for, checked: dates, in order, from today to the horizon's last day.
    fn waitlist_days(&self, wanted: &WaitFor) -> Result<(Date, Date)> {
        let mut errors = FieldErrors::default();
        let (today, last) = (self.today(), self.bookable_days().1);
        let mut day = |field: &'static str, raw: &str| match raw.trim().parse::<Date>() {
            Ok(day) if day < today => {
                errors.add(field, "error-waitlist-past");
                None
            }
            Ok(day) if day > last => {
                errors.add(field, "error-waitlist-horizon");
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.add(field, "error-waitlist-day");
                None
            }
        };
        let (from, to) = (day("from", &wanted.from), day("to", &wanted.to));
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.add("to", "error-waitlist-order");
        }
        match (from, to) {
            (Some(from), Some(to)) if errors.is_empty() => Ok((from, to)),
            _ => Err(Error::Validation(errors)),
        }
    }

    /// The patient's places in the waiting list, newest first.
    pub async fn my_waitlist(&self, patient: &Patient) -> Result<Vec<WaitlistEntry>> {
        Ok(self.store.waitlist_of_patient(patient.account.patient_id).await?)
    }

    /// One of the patient's places; `NotFound` if it is not theirs.
    pub async fn my_waitlist_entry(&self, patient: &Patient, id: i64) -> Result<WaitlistEntry> {
        self.store
            .waitlist_entry_of_patient(patient.account.patient_id, id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Takes the patient out of the line; a time held for them goes to the next at once.
    /// Leaving a place that is no longer waiting does nothing; another's is `NotFound`.
    pub async fn leave_waitlist(&self, patient: &Patient, id: i64, origin: &Origin) -> Result<()> {
        let entry = self.my_waitlist_entry(patient, id).await?;
        if entry.status == WaitlistStatus::Waiting {
            let now = self.now().as_second();
            let patient_id = patient.account.patient_id;
            self.store.leave_waitlist(patient_id, id, patient.actor(), origin, now).await?;
        }
        Ok(())
    }

    /// Books the time held for the patient's place, through the cabinet's booking; the place
    /// leaves the line with it. `SlotTaken` when no time is held for it now (the hold ran
    /// out, or it was booked already).
    pub async fn book_waitlist_offer(
        &self,
        patient: &Patient,
        id: i64,
        origin: &Origin,
    ) -> Result<Visit> {
        let entry = self.my_waitlist_entry(patient, id).await?;
        let now = self.now().as_second();
        let (Some(start), Some(expires)) = (entry.offer_starts_at, entry.offer_expires_at) else {
            return Err(Error::SlotTaken);
        };
        if expires <= now {
            return Err(Error::SlotTaken);
        }
        let wanted = WantedVisit {
            specialist_id: entry.specialist_id,
            service_id: entry.service_id,
            start: start.to_string(),
            discount_code: None,
        };
        self.book_my_visit(patient, &wanted, origin).await
    }

    /// The time held for the patient at `start` with the specialist, if the hold is still on
    /// and fits the service: the cabinet's booking books it though everyone else sees it
    /// taken.
    pub(crate) async fn held_for(
        &self,
        patient: &Patient,
        specialist_id: i64,
        start: Timestamp,
        service: &Service,
    ) -> Result<Option<Slot>> {
        let now = self.now().as_second();
        let patient_id = patient.account.patient_id;
        let held = self.store.held_time(patient_id, specialist_id, start.as_second(), now).await?;
        let length = i64::from(service.duration_minutes) * 60;
        Ok(held
            .filter(|&(s, e)| e - s == length)
            .and_then(|(_, e)| Timestamp::from_second(e).ok().map(|end| Slot { start, end })))
    }

    /// Every line, for staff who book visits for patients (the line is who wants one): by
    /// specialist, in the order of joining.
    pub async fn waitlist_lines(&self, staff: &StaffUser) -> Result<Vec<WaitlistEntry>> {
        staff.require(Action::BookVisits)?;
        Ok(self.store.waitlist_lines(&self.today().to_string()).await?)
    }

    /// The waiting-list pass: lets the holds that ran out go, then holds a free time for the
    /// first entries in line that have one; returns how many were offered. Several instances
    /// may run it at once: each time and each entry gets one open offer.
    pub async fn offer_waitlist_times(&self) -> Result<usize> {
        self.store.expire_waitlist_offers(self.now().as_second()).await?;
        let today = self.today().to_string();
        let mut offered = 0;
        for specialist_id in self.store.waited_specialists(&today).await? {
            match self.offer_times_of(specialist_id, &today).await {
                Ok(count) => offered += count,
                // A specialist hidden or closed for online booking meanwhile: nothing to offer.
                Err(Error::NotFound | Error::BookingClosed) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(offered)
    }

    /// Offers the specialist's free times to their line, first come first served.
    async fn offer_times_of(&self, specialist_id: i64, today: &str) -> Result<usize> {
        let line = self.store.waitlist_line(specialist_id, today).await?;
        if line.is_empty() {
            return Ok(0);
        }
        let free = self.free_time(specialist_id).await?;
        let earliest = self.window().earliest;
        let mut held: Vec<Slot> = Vec::new();
        for entry in line {
            if !self.may_book_another(&entry).await? {
                continue;
            }
            let service =
                match self.bookable_service(specialist_id, entry.service_id, Lang::Ru).await {
                    Ok(service) => service,
                    // The service is no longer booked online: the entry waits for nothing now.
                    Err(Error::NotFound) => continue,
                    Err(error) => return Err(error),
                };
            let (Ok(from), Ok(to)) = (entry.from_day.parse::<Date>(), entry.to_day.parse::<Date>())
            else {
                continue;
            };
            let (start, end) = (self.day_start(from), self.day_start(to.saturating_add(1.day())));
            let offered_before = self.store.offered_starts(entry.id).await?;
            let slot = fit_service(free.between(earliest, start, end), service.duration_minutes)
                .into_iter()
                .find(|s| {
                    !offered_before.contains(&s.start.as_second())
                        && !held.iter().any(|h| h.start < s.end && s.start < h.end)
                });
            let Some(slot) = slot else { continue };
            let offer = self.offer(&entry, specialist_id, slot).await?;
            if self.store.hold_for_waitlist(&offer).await? {
                tracing::info!(entry_id = entry.id, "waiting-list time held");
                held.push(slot);
            }
        }
        Ok(held.len())
    }

    /// Whether the entry's patient may hold one more planned visit now.
    async fn may_book_another(&self, entry: &InLine) -> Result<bool> {
        let Ok(level) = entry.access_level.parse::<AccessLevel>() else { return Ok(false) };
        let Ok(cap) = visit_rules::active_cap(level, &self.settings.visit_limits) else {
            return Ok(false);
        };
        let now = self.now().as_second();
        Ok(self.store.active_visit_count(entry.patient_id, now).await? < cap)
    }

    /// The hold of `slot` for the entry, with its cabinet message (the specialist, the time,
    /// the link) and its neutral letter.
    async fn offer(&self, entry: &InLine, specialist_id: i64, slot: Slot) -> Result<NewOffer> {
        let now = self.now();
        let expires = now + self.settings.waitlist_hold;
        let tz = self.settings.time_zone.clone();
        let when = slot.start.to_zoned(tz.clone());
        let until = expires.to_zoned(tz).strftime("%H:%M").to_string();
        let month =
            MONTHS_RU_GENITIVE[usize::from(when.month().unsigned_abs()).saturating_sub(1) % 12];
        let moment = format!("{} {month} в {}", when.day(), when.strftime("%H:%M"));
        let link = format!("{}/cabinet/waitlist/{}", self.public_url(), entry.id);
        let specialist = self.catalog_specialist(specialist_id, Lang::Ru).await?;
        let place = self.place_with(&specialist).await?;
        let subject = "Освободилось время для записи";
        let body = format!(
            "Освободилось время, которого вы ждали в листе ожидания.\n\n\
             Врач: {}\nДата и время: {moment}\nФилиал: {}\n\n\
             Мы держим это время для вас до {until}. Записаться: {link}\n\
             Если не успеете, время перейдёт следующему в листе, а вы останетесь в нём.",
            place.specialist, place.branch,
        );
        let mail = entry.login.clone().map(|recipient| OutboxMail {
            kind: MailKind::WaitlistOffer,
            recipient,
            subject: format!("{subject} — {}", self.settings.clinic_name),
            body: self.letter(&format!(
                "Для вас освободилось время приёма: {moment}.\n\n\
                 Мы держим его для вас до {until}. Записаться можно в личном кабинете: {link}\n\n\
                 Если не успеете, время перейдёт следующему, а вы останетесь в листе ожидания.",
            )),
        });
        Ok(NewOffer {
            entry_id: entry.id,
            patient_id: entry.patient_id,
            specialist_id,
            starts_at: slot.start.as_second(),
            ends_at: slot.end.as_second(),
            expires_at: expires.as_second(),
            notice: Notice { subject: subject.to_owned(), body, mail, inbox: true },
            now: now.as_second(),
        })
    }
}

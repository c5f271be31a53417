//! One-time online booking (B2): once per phone number, one visit with one specialist, no
//! online cancel or reschedule. Consents are recorded with the document versions (G1), and the
//! database makes two patients in one slot impossible (B6).

use jiff::{SignedDuration, Timestamp};
use kabinet_core::access::Origin;
use kabinet_core::consent::ConsentKind;
use kabinet_core::mail::MailKind;
use kabinet_core::net::client_key;
use kabinet_core::patient::{FieldErrors, PatientData, PatientInput, Phone};
use kabinet_core::schedule::{Slot, fit_service, working_slots};
use kabinet_core::token::{random_code, random_token};
use kabinet_store::booking::{NewOneTimeBooking, OutboxMail, Visit};
use sha2::{Digest, Sha256};

use crate::limits::{Counted, Limit};
use crate::offers::{PricedVisit, cost_line};
use crate::visit_letters::VisitPlace;
use crate::{Error, Kabinet, Result};
use kabinet_core::consent::DocumentKind;
use kabinet_core::lang::Lang;

/// How long a browser can show the confirmation of its one-time booking.
const RECEIPT_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 30);

/// A one-time booking as asked, before any checks.
#[derive(Debug, Clone, Default)]
pub struct OneTimeRequest {
    /// Which specialist.
    pub specialist_id: i64,
    /// Which service; none: the specialist's first (a consultation, where there is one).
    pub service_id: Option<i64>,
    /// A discount card, certificate or promotion code, if the patient has one.
    pub discount_code: Option<String>,
    /// The slot's start, as sent (RFC 3339, or Unix seconds from our own forms).
    pub start: String,
    /// Who is coming.
    pub patient: PatientInput,
    /// Consent to processing of personal data: required.
    pub consent_personal_data: bool,
    /// Consent to processing of health data (152-FZ art. 10): required, asked apart.
    pub consent_health_data: bool,
    /// Consent to confirmation calls: optional.
    pub consent_calls: bool,
    /// Consent to advertising: optional.
    pub consent_advertising: bool,
    /// Sent again with a repeated request, to get the same booking back.
    pub request_key: Option<String>,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
}

/// A booking made: the visit and a token for this browser's receipt.
#[derive(Debug, Clone)]
pub struct Booked {
    /// The visit.
    pub visit: Visit,
    /// A secret that shows this visit again (kept in a cookie; only its hash is stored);
    /// none for a repeated request.
    pub receipt_token: Option<String>,
}

/// One-time booking attempts one phone may make in an hour.
const BOOKINGS_PER_PHONE: i64 = 5;

/// SHA-256 of who asked (the client, by [`client_key`]) and what: the request a key is bound
/// to.
fn request_hash(request: &OneTimeRequest, start: Timestamp, p: &PatientData) -> String {
    let asked = serde_json::json!([
        client_key(request.origin.ip.as_deref().unwrap_or("-")),
        request.specialist_id,
        request.service_id,
        request.discount_code.as_deref().map(str::trim),
        start.as_second(),
        p.last_name.as_str(),
        p.first_name.as_str(),
        p.middle_name.as_ref().map(|m| m.as_str()),
        p.birth_date.to_string(),
        p.phone.as_str(),
        p.email.as_ref().map(|e| e.as_str()),
        request.consent_personal_data,
        request.consent_calls,
        request.consent_health_data,
        request.consent_advertising,
    ]);
    hex::encode(Sha256::digest(asked.to_string().as_bytes()))
}

/// The hash under which a receipt token is stored.
pub fn receipt_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Parses a slot start: RFC 3339 with an offset, or Unix seconds.
pub fn parse_start(raw: &str) -> Option<Timestamp> {
    let raw = raw.trim();
    raw.parse::<Timestamp>()
        .ok()
        .or_else(|| raw.parse::<i64>().ok().and_then(|s| Timestamp::from_second(s).ok()))
}

impl Kabinet {
    /// Books a slot without registration, or says why not.
    pub async fn book_one_time(&self, request: OneTimeRequest) -> Result<Booked> {
        let mut errors = FieldErrors::default();
        let patient = request.patient.parse(self.today(), &mut errors);
        if !request.consent_personal_data {
            errors.add("consent_personal_data", "error-consent-required");
        }
        if !request.consent_health_data {
            errors.add("consent_health_data", "error-health-consent-required");
        }
        let start = parse_start(&request.start);
        if start.is_none() {
            errors.add("start", "error-slot-invalid");
        }
        let (Some(patient), Some(start), true) = (patient, start, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let service =
            self.bookable_service(request.specialist_id, request.service_id, Lang::Ru).await?;
        let minutes = service.duration_minutes;
        // A booked slot is not refused here: a repeated request must get its first booking
        // back, and the store knows it by the request key.
        let (Slot { end, .. }, _) =
            self.bookable_slot(request.specialist_id, start, Some(minutes)).await?;
        let specialist = self.specialist(request.specialist_id).await?;
        let day = start.to_zoned(self.settings.time_zone.clone()).date();
        let priced =
            self.price_visit(&specialist, service, request.discount_code.as_deref(), day).await?;

        let place = self.place_with(&specialist).await?;
        let now = self.now();
        let rules = self.document_version(DocumentKind::Rules).await?;
        let privacy = self.document_version(DocumentKind::Privacy).await?;
        let mut consents = vec![
            (ConsentKind::PersonalData, DocumentKind::Privacy, privacy),
            (ConsentKind::HealthData, DocumentKind::Privacy, privacy),
        ];
        if request.consent_calls {
            consents.push((ConsentKind::Calls, DocumentKind::Rules, rules));
        }
        if request.consent_advertising {
            consents.push((ConsentKind::Advertising, DocumentKind::Rules, rules));
        }
        let limits = self.booking_limits(&patient.phone, &request.origin);
        self.check_limits(Counted::Booking, &limits, None, &request.origin).await?;
        let request_hash = request_hash(&request, start, &patient);
        let receipt_token = random_token();
        let code = random_code(8);
        let mail = patient.email.as_ref().map(|email| OutboxMail {
            kind: MailKind::BookingConfirmation,
            recipient: email.as_str().to_owned(),
            subject: format!("Запись подтверждена — {}", self.settings.clinic_name),
            body: self.confirmation_mail(&place, start, &code, &priced),
        });
        let booking = NewOneTimeBooking {
            specialist_id: request.specialist_id,
            starts_at: start.as_second(),
            ends_at: end.as_second(),
            patient,
            consents,
            code,
            price: Some(priced.price),
            request_key: request.request_key.clone().filter(|k| !k.is_empty() && k.len() <= 64),
            request_hash: Some(request_hash),
            rate_keys: limits.iter().map(|l| l.key().to_owned()).collect(),
            receipt_hash: Some(receipt_hash(&receipt_token)),
            receipt_expires_at: now.as_second() + RECEIPT_LIFETIME.as_secs(),
            mail,
            origin: request.origin,
            now: now.as_second(),
        };
        let booked = match self.store.book_one_time(&booking).await {
            Ok(booked) => booked,
            Err(refused) => {
                // A refused try counts too (it rolled back with the booking's transaction):
                // the limits are there against trying phones and slots.
                self.count(&limits, None).await?;
                return Err(refused.into());
            }
        };
        // A repeat gets its booking back but no receipt: the first answer carried it, and a
        // key alone must never show someone else's booking in this browser.
        let receipt_token = (!booked.replayed).then_some(receipt_token);
        Ok(Booked { visit: booked.visit, receipt_token })
    }

    /// What one-time bookings count under: the phone (a few an hour), and the client
    /// (`KABINET_BOOKING_RATE_LIMIT` an hour; 0 for none, as for a call centre booking through
    /// the API from one address).
    fn booking_limits(&self, phone: &Phone, origin: &Origin) -> Vec<Limit> {
        let hour = SignedDuration::from_hours(1);
        let mut limits = vec![Limit::on("booking", phone.as_str(), BOOKINGS_PER_PHONE, hour)];
        let per_client = i64::from(self.settings.booking_rate_limit);
        if per_client > 0 {
            limits.push(Limit::per_client("booking", origin, per_client, hour));
        }
        limits
    }

    /// Checks that a visit of `minutes` (a slot's own length when `None`) may start at
    /// `start` in the specialist's schedule inside the booking window, and returns its time
    /// and whether `start` is booked. The database has the last word on
    /// a free time: its unique index and the overlap check in the booking's transaction.
    async fn bookable_slot(
        &self,
        specialist_id: i64,
        start: Timestamp,
        minutes: Option<i32>,
    ) -> Result<(Slot, bool)> {
        let tz = &self.settings.time_zone;
        let day = start.to_zoned(tz.clone()).date();
        // Most times asked for are free: the availability index, where it is current, knows
        // them without a read (a booking makes it stale, and a whole horizon is no day's read).
        let window = self.window();
        if let Some(free) = self.kept_free_time(specialist_id) {
            let (day_start, day_end) = self.day_bounds(day);
            let free = free.between(window.earliest, day_start, day_end);
            let fitted = match minutes {
                Some(minutes) => fit_service(free, minutes),
                None => free.to_vec(),
            };
            if let Some(slot) = fitted.into_iter().find(|s| s.start == start) {
                return Ok((slot, false));
            }
        }
        // Booked, closed, or not a time of the schedule: the schedule tells which.
        let schedule = self.schedule(specialist_id, day, day).await?;
        if !schedule.online_booking {
            return Err(Error::BookingClosed);
        }
        if start < window.earliest || day > window.last_day {
            return Err(Error::SlotTaken);
        }
        let slots = working_slots(&schedule.rules, &schedule.exceptions, day, day, tz);
        let slots = match minutes {
            Some(minutes) => fit_service(&slots, minutes),
            None => slots,
        };
        let slot = slots.into_iter().find(|s| s.start == start).ok_or(Error::SlotTaken)?;
        let booked = schedule.booked.iter().any(|&(taken, _)| taken == start.as_second());
        Ok((slot, booked))
    }

    /// The one-time booking's letter: when and where, the code and the price; no doctor and
    /// no service (323-FZ art. 13), which the booking's own page showed.
    fn confirmation_mail(
        &self,
        place: &VisitPlace,
        start: Timestamp,
        code: &str,
        priced: &PricedVisit,
    ) -> String {
        format!(
            "Здравствуйте!\n\nВы записаны на приём.\n\n{}\n{}\n\n\
             Разовую запись нельзя отменить или перенести онлайн. Если планы изменились, \
             позвоните нам: {}.\n\n{}\n{}\n",
            self.visit_details(place, start, code),
            cost_line(&priced.price),
            self.settings.clinic_phone,
            self.settings.clinic_name,
            self.settings.public_url,
        )
    }

    /// The slot starting at `start`, if a patient may book it now (C2, B1).
    pub async fn offered_slot(&self, specialist_id: i64, start: Timestamp) -> Result<Slot> {
        self.offered_time(specialist_id, start, None).await
    }

    /// The time of a visit of `minutes` (a slot's length when `None`) starting at `start`,
    /// if a patient may book it now.
    pub async fn offered_time(
        &self,
        specialist_id: i64,
        start: Timestamp,
        minutes: Option<i32>,
    ) -> Result<Slot> {
        match self.bookable_slot(specialist_id, start, minutes).await? {
            (_, true) => Err(Error::SlotTaken),
            (slot, false) => Ok(slot),
        }
    }

    /// Records a visitor's consent to cookies and the privacy policy in force (G1, G2).
    pub async fn record_cookie_consent(&self, visitor: &str, origin: &Origin) -> Result<()> {
        let privacy = self.document_version(DocumentKind::Privacy).await?;
        self.store
            .record_visitor_consent(
                visitor,
                ConsentKind::Cookies,
                (DocumentKind::Privacy, privacy),
                origin,
                self.now().as_second(),
            )
            .await?;
        Ok(())
    }

    /// The booking a receipt token shows, if the token is valid.
    pub async fn visit_by_receipt(&self, token: &str) -> Result<Visit> {
        self.store
            .visit_by_receipt(&receipt_hash(token), self.now().as_second())
            .await?
            .ok_or(Error::NotFound)
    }
}

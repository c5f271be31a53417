//! Booking a slot: the insert that the unique index guards (B6), with the patient, consents,
//! audit rows, outbox mail and receipt of the booking written in the same transaction.

use kabinet_core::access::{AccessLevel, Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::consent::{Channel, ConsentKind, DocumentKind};
use kabinet_core::mail::MailKind;
use kabinet_core::patient::PatientData;
use kabinet_core::pricing::DiscountKind;
use kabinet_core::visit::{CallOutcome, VisitOutcome, VisitSource, VisitStatus};
use serde_json::json;

use crate::discounts::{VisitPrice, spend_certificate};
use crate::sql::{
    Conn, NewAppointment, NewConsent, insert_appointment, insert_audits, insert_consent,
    insert_mail, insert_online_consents, insert_patient, time_taken,
};
use crate::{AuditEntry, Backend, Result, Store, StoreError, dispatch, dispatch_write, unique_or};

/// A message to send later through the outbox (N3).
#[derive(Debug, Clone)]
pub struct OutboxMail {
    /// What the letter is about.
    pub kind: MailKind,
    /// The address.
    pub recipient: String,
    /// Subject line: never a diagnosis or a specialty.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// A one-time booking, validated by the service and ready to store.
#[derive(Debug, Clone)]
pub struct NewOneTimeBooking {
    /// Which specialist.
    pub specialist_id: i64,
    /// Slot start, Unix seconds.
    pub starts_at: i64,
    /// Slot end, Unix seconds.
    pub ends_at: i64,
    /// Who is coming.
    pub patient: PatientData,
    /// Consents given with the booking, each under the document version it refers to.
    pub consents: Vec<(ConsentKind, DocumentKind, i32)>,
    /// The booking code the patient is given.
    pub code: String,
    /// The service and the price it is booked at.
    pub price: Option<VisitPrice>,
    /// A key the client sends again when it repeats the same request.
    pub request_key: Option<String>,
    /// SHA-256 of the caller and of what the request asked: a repeat must match it.
    pub request_hash: Option<String>,
    /// Rate-limit keys this booking counts under (per phone, per client), recorded in its
    /// transaction.
    pub rate_keys: Vec<String>,
    /// The hash of the receipt token that lets this browser see the booking again.
    pub receipt_hash: Option<String>,
    /// When the receipt stops working.
    pub receipt_expires_at: i64,
    /// The confirmation e-mail, if the patient gave an address.
    pub mail: Option<OutboxMail>,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Why a booking was not made.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    /// Somebody else holds that slot.
    #[error("the slot is taken")]
    SlotTaken,
    /// This phone number already made its one-time booking.
    #[error("this phone number already used its one-time booking")]
    OneTimeUsed,
    /// The patient already holds as many future visits as allowed.
    #[error("limit of active visits reached")]
    LimitReached,
    /// The request key was used by another caller or for another request.
    #[error("the request key belongs to another request")]
    IdempotencyMismatch,
    /// The certificate was used up meanwhile by another booking.
    #[error("the certificate is used up")]
    CertificateSpent,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BookingError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

/// A one-time booking stored, or found again for a repeated request.
#[derive(Debug, Clone)]
pub struct Booked {
    /// The visit.
    pub visit: Visit,
    /// Whether this answers a repeat of the request that made it (no new receipt then).
    pub replayed: bool,
}

/// A stored booking as its patient sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Visit {
    /// The appointment's id.
    pub id: i64,
    /// The booking code.
    pub code: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: VisitStatus,
    /// Start, Unix seconds.
    pub starts_at: i64,
    /// End, Unix seconds.
    pub ends_at: i64,
    /// The specialist's id.
    pub specialist_id: i64,
    /// The specialist's full name.
    pub specialist_name: String,
    /// The branch's name.
    pub branch_name: String,
    /// The branch's address.
    pub branch_address: String,
    /// The branch's phone.
    pub branch_phone: String,
    /// The patient's full name.
    pub patient_name: String,
    /// The patient's access level.
    #[sqlx(try_from = "String")]
    pub access_level: AccessLevel,
    /// The service booked (none for visits booked before services were).
    pub service_id: Option<i64>,
    /// Its name.
    pub service_name: Option<String>,
    /// Its name in English, where written.
    pub service_name_en: Option<String>,
    /// The price-list price it was booked at, kopecks.
    pub base_price_kopecks: Option<i64>,
    /// What the patient pays, kopecks.
    pub price_kopecks: Option<i64>,
    /// The discount applied.
    #[sqlx(try_from = "crate::NullableText")]
    pub discount_kind: Option<DiscountKind>,
    /// The card or code used, masked.
    pub discount_code: Option<String>,
    /// What the patient was told about the discount, in Russian.
    pub discount_reason: Option<String>,
    /// What happened once its time came, as the registrar marked it.
    #[sqlx(try_from = "crate::NullableText")]
    pub outcome: Option<VisitOutcome>,
    /// How the last confirmation call about it went: its confirmation state.
    #[sqlx(try_from = "crate::NullableText")]
    pub confirmation: Option<CallOutcome>,
}

impl Visit {
    /// Booked and not over yet at `now` (Unix seconds): a planned visit.
    pub fn is_planned(&self, now: i64) -> bool {
        self.status == VisitStatus::Booked && self.ends_at > now
    }
}

/// The columns and joins of a [`Visit`], for `concat!` with a `WHERE`.
macro_rules! visit_select {
    () => {
        "SELECT a.id, a.code, a.status, a.starts_at, a.ends_at, a.specialist_id, \
         TRIM(s.last_name || ' ' || s.first_name || ' ' || s.middle_name) AS specialist_name, \
         b.name AS branch_name, b.address AS branch_address, b.phone AS branch_phone, \
         TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) AS patient_name, \
         p.access_level, a.service_id, sv.name AS service_name, sv.name_en AS service_name_en, \
         a.base_price_kopecks, a.price_kopecks, a.discount_kind, a.discount_code, \
         a.discount_reason, a.outcome, \
         (SELECT c.outcome FROM call_attempts c WHERE c.appointment_id = a.id \
          ORDER BY c.id DESC LIMIT 1) AS confirmation \
         FROM appointments a \
         JOIN specialists s ON s.id = a.specialist_id \
         JOIN branches b ON b.id = s.branch_id \
         JOIN patients p ON p.id = a.patient_id \
         LEFT JOIN services sv ON sv.id = a.service_id"
    };
}
pub(crate) use visit_select;

pub(crate) const VISIT_BY_ID: &str = concat!(visit_select!(), " WHERE a.id = $1");
/// The times of live bookings, and the times the waiting list holds for someone (B8): nobody
/// else may see those as free.
pub(crate) const TAKEN_TIMES: &str = "SELECT starts_at, ends_at FROM appointments \
    WHERE specialist_id = $1 AND starts_at >= $2 AND starts_at < $3 AND status = 'booked' \
    UNION ALL SELECT starts_at, ends_at FROM waitlist_offers \
    WHERE specialist_id = $1 AND starts_at >= $2 AND starts_at < $3 AND status = 'open'";

/// The one description of a one-time booking's transaction, on either path (sqlx on
/// PostgreSQL, rusqlite on SQLite's fast path): the patient (once per phone, R4), the
/// appointment (once per slot, B6), the consents, the audit rows, the letter and the receipt.
pub(crate) async fn write_one_time(
    c: &mut impl Conn,
    b: &NewOneTimeBooking,
) -> Result<Visit, BookingError> {
    const COUNT: &str = "INSERT INTO rate_events (key_hash, at) VALUES ($1, $2)";
    for key in &b.rate_keys {
        c.execute(COUNT, &[key.into(), b.now.into()]).await?;
    }
    // The slot is decided first: a taken slot is `SlotTaken` for everyone, so the answer
    // never tells whether a phone booked here before (323-FZ art. 13).
    if time_taken(c, b.specialist_id, (b.starts_at, b.ends_at), None, None).await? {
        return Err(BookingError::SlotTaken);
    }
    let email = b.patient.email.as_ref().map(|e| e.as_str());
    let patient_id = insert_patient(c, &b.patient, AccessLevel::OneTime, email, b.now)
        .await
        .map_err(|e| unique_or(e, BookingError::OneTimeUsed))?;
    let appointment = NewAppointment {
        specialist_id: b.specialist_id,
        patient_id,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        source: VisitSource::OneTime,
        code: &b.code,
        request: (b.request_key.as_deref(), b.request_hash.as_deref()),
        price: b.price.as_ref(),
        now: b.now,
    };
    let appointment_id = insert_appointment(c, &appointment)
        .await
        .map_err(|e| unique_or(e, BookingError::SlotTaken))?;
    spend_discount(c, b.price.as_ref(), appointment_id, b.now).await?;
    let entry = |action, object_kind, object_id, details| {
        AuditEntry::new(b.now, Actor::Visitor, action, object_kind, Some(object_id))
            .patient(patient_id)
            .origin(&b.origin)
            .details(details)
    };
    let created = json!({"access_level": AccessLevel::OneTime});
    let mut audit =
        vec![entry(AuditAction::PatientCreate, ObjectKind::Patient, patient_id, created)];
    audit.extend(insert_online_consents(c, patient_id, &b.consents, &b.origin, b.now).await?);
    let details = json!({
        "specialist_id": b.specialist_id,
        "starts_at": b.starts_at,
        "source": VisitSource::OneTime,
        "service_id": b.price.as_ref().map(|p| p.service_id),
        "price_kopecks": b.price.as_ref().map(|p| p.price_kopecks),
    });
    audit.push(entry(
        AuditAction::AppointmentCreate,
        ObjectKind::Appointment,
        appointment_id,
        details,
    ));
    if let Some(mail) = &b.mail {
        insert_mail(c, mail, b.now).await?;
    }
    if let Some(hash) = &b.receipt_hash {
        const RECEIPT: &str =
            "INSERT INTO receipts (token_hash, appointment_id, expires_at) VALUES ($1, $2, $3)";
        c.execute(RECEIPT, &[hash.into(), appointment_id.into(), b.receipt_expires_at.into()])
            .await?;
    }
    let visit = c.visit(appointment_id).await?;
    // Last: the chain's head stays locked from here until the commit (on PostgreSQL every
    // writer of audit rows waits for it), so the rest of the work is done before.
    insert_audits(c, &audit).await?;
    Ok(visit)
}

/// Takes a booking's share of the certificate its price used, if any.
pub(crate) async fn spend_discount(
    c: &mut impl Conn,
    price: Option<&VisitPrice>,
    appointment_id: i64,
    now: i64,
) -> Result<(), BookingError> {
    let Some(spend) = price.and_then(|p| p.certificate) else { return Ok(()) };
    spend_certificate(c, &spend, appointment_id, now)
        .await?
        .map_err(|_| BookingError::CertificateSpent)
}

impl Store {
    /// Starts of the live bookings of a specialist in `[from, to)`, Unix seconds.
    pub async fn taken_starts(&self, specialist_id: i64, from: i64, to: i64) -> Result<Vec<i64>> {
        let times = self.taken_times(specialist_id, from, to).await?;
        Ok(times.into_iter().map(|(start, _)| start).collect())
    }

    /// The times (start, end) of the live bookings of a specialist that start in
    /// `[from, to)`, Unix seconds.
    pub async fn taken_times(
        &self,
        specialist_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, i64)>> {
        match &self.backend {
            Backend::Sqlite { fast, .. } => fast.taken_times(specialist_id, from, to),
            Backend::Postgres(pool) => Ok(sqlx::query_as(TAKEN_TIMES)
                .bind(specialist_id)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await?),
        }
    }

    /// Stores a one-time booking, or says why not. A repeated request (the same key, caller
    /// and content: the same `request_hash`) gets the booking the first one made, marked
    /// as a replay; the key with anything else is `IdempotencyMismatch`.
    pub async fn book_one_time(&self, booking: &NewOneTimeBooking) -> Result<Booked, BookingError> {
        if let Some(replay) = self.replay(booking).await? {
            return Ok(replay);
        }
        match self.insert_one_time(booking).await {
            Ok(visit) => {
                self.free_time_changed(&[visit.specialist_id]);
                Ok(Booked { visit, replayed: false })
            }
            // A twin of this request may have won the race: give the patient its booking.
            Err(error) => self.replay(booking).await?.ok_or(error),
        }
    }

    /// The booking an earlier request with this key made, if there is one and it was this
    /// same request.
    async fn replay(&self, b: &NewOneTimeBooking) -> Result<Option<Booked>, BookingError> {
        const SQL: &str = "SELECT id, request_hash FROM appointments WHERE request_key = $1";
        let Some(key) = b.request_key.as_deref() else { return Ok(None) };
        let found: Option<(i64, Option<String>)> =
            dispatch!(self, |pool| sqlx::query_as(SQL).bind(key).fetch_optional(pool).await?);
        let Some((id, hash)) = found else { return Ok(None) };
        if hash.is_none() || hash != b.request_hash {
            return Err(BookingError::IdempotencyMismatch);
        }
        let visit = self.visit(id).await?.ok_or(BookingError::IdempotencyMismatch)?;
        Ok(Some(Booked { visit, replayed: true }))
    }

    async fn insert_one_time(&self, b: &NewOneTimeBooking) -> Result<Visit, BookingError> {
        match &self.backend {
            Backend::Sqlite { fast, .. } => fast.book_one_time(b.clone()).await,
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let visit = write_one_time(&mut tx, b).await?;
                tx.commit().await?;
                Ok(visit)
            }
        }
    }

    /// Records a consent of someone without an account, known by a random visitor id.
    pub async fn record_visitor_consent(
        &self,
        visitor_ref: &str,
        kind: ConsentKind,
        document: (DocumentKind, i32),
        origin: &Origin,
        now: i64,
    ) -> Result<()> {
        let consent = NewConsent {
            patient_id: None,
            visitor_ref: Some(visitor_ref),
            kind,
            document,
            channel: Channel::Online,
            origin,
            recorded_by: None,
            now,
        };
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_consent(&mut tx, &consent, Actor::Visitor).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Lets another browser token see a booking (a repeated form gets its own receipt).
    pub async fn add_receipt(
        &self,
        appointment_id: i64,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<()> {
        let sql = "INSERT INTO receipts (token_hash, appointment_id, expires_at) \
            VALUES ($1, $2, $3) ON CONFLICT (token_hash) DO NOTHING";
        dispatch_write!(self, |pool| {
            sqlx::query(sql)
                .bind(token_hash)
                .bind(appointment_id)
                .bind(expires_at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The booking a receipt token (by its hash) shows, while the receipt is valid.
    pub async fn visit_by_receipt(&self, token_hash: &str, now: i64) -> Result<Option<Visit>> {
        const SQL: &str = "SELECT a.id FROM receipts r \
            JOIN appointments a ON a.id = r.appointment_id \
            WHERE r.token_hash = $1 AND r.expires_at > $2";
        let id: Option<i64> = dispatch!(self, |pool| sqlx::query_scalar(SQL)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?);
        match id {
            Some(id) => self.visit(id).await,
            None => Ok(None),
        }
    }

    /// One booking by its id (callers check that it belongs to whoever asks).
    pub async fn visit(&self, id: i64) -> Result<Option<Visit>> {
        Ok(dispatch!(self, |pool| sqlx::query_as(VISIT_BY_ID)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }
}

//! Booking a slot: the insert that the unique index guards (B6), with the patient, consents,
//! audit rows, outbox mail and receipt of the booking written in the same transaction.

use kabinet_core::access::Actor;
use kabinet_core::consent::{Channel, ConsentKind};
use kabinet_core::patient::PatientData;
use serde_json::json;

use crate::audit::insert_audit;
use crate::{
    AuditEntry, Backend, Result, Store, StoreError, dispatch, dispatch_write, is_unique_violation,
};

/// A message to send later through the outbox (N3).
#[derive(Debug, Clone)]
pub struct OutboxMail {
    /// What kind of message, e.g. `booking_confirmation`.
    pub kind: &'static str,
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
    pub consents: Vec<(ConsentKind, &'static str, i32)>,
    /// The booking code the patient is given.
    pub code: String,
    /// A key the client sends again when it repeats the same request.
    pub request_key: Option<String>,
    /// The hash of the receipt token that lets this browser see the booking again.
    pub receipt_hash: Option<String>,
    /// When the receipt stops working.
    pub receipt_expires_at: i64,
    /// The confirmation e-mail, if the patient gave an address.
    pub mail: Option<OutboxMail>,
    /// The client's address.
    pub ip: Option<String>,
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
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BookingError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

/// A stored booking as its patient sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Visit {
    /// The appointment's id.
    pub id: i64,
    /// The booking code.
    pub code: String,
    /// `booked` or `cancelled`.
    pub status: String,
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
    /// The patient's access level when booking.
    pub access_level: String,
}

impl Visit {
    /// Booked and not over yet at `now` (Unix seconds): a planned visit.
    pub fn is_planned(&self, now: i64) -> bool {
        self.status == "booked" && self.ends_at > now
    }
}

/// The columns and joins of a [`Visit`], for `concat!` with a `WHERE`.
macro_rules! visit_select {
    () => {
        "SELECT a.id, a.code, a.status, a.starts_at, a.ends_at, a.specialist_id, \
         TRIM(s.last_name || ' ' || s.first_name || ' ' || s.middle_name) AS specialist_name, \
         b.name AS branch_name, b.address AS branch_address, b.phone AS branch_phone, \
         TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) AS patient_name, \
         p.access_level \
         FROM appointments a \
         JOIN specialists s ON s.id = a.specialist_id \
         JOIN branches b ON b.id = s.branch_id \
         JOIN patients p ON p.id = a.patient_id"
    };
}
pub(crate) use visit_select;

pub(crate) const INSERT_PATIENT: &str = "INSERT INTO patients (access_level, last_name, \
    first_name, middle_name, birth_date, phone, email, created_at) \
    VALUES ('one_time', $1, $2, $3, $4, $5, $6, $7) RETURNING id";
pub(crate) const INSERT_APPOINTMENT: &str = "INSERT INTO appointments (specialist_id, patient_id, \
    starts_at, ends_at, status, source, code, request_key, created_at) \
    VALUES ($1, $2, $3, $4, 'booked', 'one_time', $5, $6, $7) RETURNING id";
pub(crate) const INSERT_CONSENT: &str = "INSERT INTO consents (patient_id, kind, document_kind, \
    document_version, channel, ip, given_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
pub(crate) const INSERT_OUTBOX: &str = "INSERT INTO outbox (kind, recipient, subject, body, \
    created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)";

/// Queues an [`OutboxMail`] on `$conn` (a `&mut` connection or transaction, or a pool, of
/// either backend), to be sent from `$now` on.
macro_rules! insert_mail {
    ($conn:expr, $mail:expr, $now:expr) => {{
        let mail: &$crate::booking::OutboxMail = $mail;
        sqlx::query($crate::booking::INSERT_OUTBOX)
            .bind(mail.kind)
            .bind(&mail.recipient)
            .bind(&mail.subject)
            .bind(&mail.body)
            .bind($now)
            .execute($conn)
            .await
    }};
}
pub(crate) use insert_mail;

pub(crate) const INSERT_RECEIPT: &str =
    "INSERT INTO receipts (token_hash, appointment_id, expires_at) VALUES ($1, $2, $3)";
pub(crate) const VISIT_BY_ID: &str = concat!(visit_select!(), " WHERE a.id = $1");
pub(crate) const TAKEN_STARTS: &str = "SELECT starts_at FROM appointments WHERE specialist_id = $1 \
    AND starts_at >= $2 AND starts_at < $3 AND status = 'booked'";

/// The audit rows of a one-time booking: the patient, each consent, the appointment.
pub(crate) fn booking_audit(
    b: &NewOneTimeBooking,
    patient_id: i64,
    appointment_id: i64,
    consent_ids: &[i64],
) -> Vec<AuditEntry> {
    let entry = |action, object_kind, object_id, details| AuditEntry {
        at: b.now,
        actor: Actor::Visitor,
        action,
        object_kind,
        object_id: Some(object_id),
        patient_id: Some(patient_id),
        ip: b.ip.clone(),
        details,
    };
    let mut entries =
        vec![entry("patient.create", "patient", patient_id, json!({"access_level": "one_time"}))];
    for ((kind, document, version), id) in b.consents.iter().zip(consent_ids) {
        entries.push(entry(
            "consent.give",
            "consent",
            *id,
            json!({"kind": kind.as_str(), "document": document, "version": version}),
        ));
    }
    entries.push(entry(
        "appointment.create",
        "appointment",
        appointment_id,
        json!({"specialist_id": b.specialist_id, "starts_at": b.starts_at, "source": "one_time"}),
    ));
    entries
}

impl Store {
    /// Starts of the live bookings of a specialist in `[from, to)`, Unix seconds.
    pub async fn taken_starts(&self, specialist_id: i64, from: i64, to: i64) -> Result<Vec<i64>> {
        match &self.backend {
            Backend::Sqlite { fast, .. } => fast.taken_starts(specialist_id, from, to),
            Backend::Postgres(pool) => Ok(sqlx::query_scalar(TAKEN_STARTS)
                .bind(specialist_id)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await?),
        }
    }

    /// Stores a one-time booking, or says why not. A repeated request (same `request_key`)
    /// returns the booking the first one made.
    pub async fn book_one_time(&self, booking: &NewOneTimeBooking) -> Result<Visit, BookingError> {
        if let Some(visit) = self.visit_by_request_key(booking.request_key.as_deref()).await? {
            return Ok(visit);
        }
        match self.insert_one_time(booking).await {
            Ok(visit) => Ok(visit),
            Err(error) => {
                // A twin of this request may have won the race: give the patient its booking.
                match self.visit_by_request_key(booking.request_key.as_deref()).await? {
                    Some(visit) => Ok(visit),
                    None => Err(error),
                }
            }
        }
    }

    async fn insert_one_time(&self, b: &NewOneTimeBooking) -> Result<Visit, BookingError> {
        let pool = match &self.backend {
            Backend::Sqlite { fast, .. } => return fast.book_one_time(b.clone()).await,
            Backend::Postgres(pool) => pool,
        };
        let p = &b.patient;
        let mut tx = pool.begin().await?;
        let patient_id: i64 = sqlx::query_scalar(INSERT_PATIENT)
            .bind(p.last_name.as_str())
            .bind(p.first_name.as_str())
            .bind(p.middle_name.as_ref().map_or("", |m| m.as_str()))
            .bind(p.birth_date.to_string())
            .bind(p.phone.as_str())
            .bind(p.email.as_ref().map(|e| e.as_str()))
            .bind(b.now)
            .fetch_one(&mut *tx)
            .await
            .map_err(
                |e| if is_unique_violation(&e) { BookingError::OneTimeUsed } else { e.into() },
            )?;
        let appointment_id: i64 = sqlx::query_scalar(INSERT_APPOINTMENT)
            .bind(b.specialist_id)
            .bind(patient_id)
            .bind(b.starts_at)
            .bind(b.ends_at)
            .bind(&b.code)
            .bind(b.request_key.as_deref())
            .bind(b.now)
            .fetch_one(&mut *tx)
            .await
            .map_err(
                |e| if is_unique_violation(&e) { BookingError::SlotTaken } else { e.into() },
            )?;
        let mut consent_ids = Vec::with_capacity(b.consents.len());
        for (kind, document_kind, version) in &b.consents {
            let id: i64 = sqlx::query_scalar(INSERT_CONSENT)
                .bind(patient_id)
                .bind(kind.as_str())
                .bind(*document_kind)
                .bind(*version)
                .bind(Channel::Online.as_str())
                .bind(b.ip.as_deref())
                .bind(b.now)
                .fetch_one(&mut *tx)
                .await?;
            consent_ids.push(id);
        }
        for entry in booking_audit(b, patient_id, appointment_id, &consent_ids) {
            insert_audit!(&mut *tx, &entry)?;
        }
        if let Some(mail) = &b.mail {
            insert_mail!(&mut *tx, mail, b.now)?;
        }
        if let Some(hash) = &b.receipt_hash {
            sqlx::query(INSERT_RECEIPT)
                .bind(hash)
                .bind(appointment_id)
                .bind(b.receipt_expires_at)
                .execute(&mut *tx)
                .await?;
        }
        let visit = sqlx::query_as(VISIT_BY_ID).bind(appointment_id).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(visit)
    }

    /// Records a consent of someone without an account, known by a random visitor id.
    pub async fn record_visitor_consent(
        &self,
        visitor_ref: &str,
        kind: ConsentKind,
        document_kind: &str,
        document_version: i32,
        ip: Option<String>,
        now: i64,
    ) -> Result<()> {
        dispatch_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO consents (visitor_ref, kind, document_kind, document_version, channel, ip, given_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(visitor_ref).bind(kind.as_str()).bind(document_kind).bind(document_version)
                .bind(Channel::Online.as_str()).bind(ip.as_deref()).bind(now)
                .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, &AuditEntry {
                at: now,
                actor: Actor::Visitor,
                action: "consent.give",
                object_kind: "consent",
                object_id: Some(id),
                patient_id: None,
                ip,
                details: json!({"kind": kind.as_str(), "document": document_kind, "version": document_version}),
            })?;
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
        let sql = "INSERT INTO receipts (token_hash, appointment_id, expires_at) VALUES ($1, $2, $3) \
            ON CONFLICT (token_hash) DO NOTHING";
        dispatch_write!(self, pool => {
            sqlx::query(sql).bind(token_hash).bind(appointment_id).bind(expires_at).execute(pool).await?;
        });
        Ok(())
    }

    /// The booking a receipt token (by its hash) shows, while the receipt is valid.
    pub async fn visit_by_receipt(&self, token_hash: &str, now: i64) -> Result<Option<Visit>> {
        const SQL: &str = "SELECT a.id FROM receipts r JOIN appointments a ON a.id = r.appointment_id \
            WHERE r.token_hash = $1 AND r.expires_at > $2";
        let id: Option<i64> = dispatch!(self, pool => sqlx::query_scalar(SQL)
            .bind(token_hash).bind(now).fetch_optional(pool).await?);
        match id {
            Some(id) => self.visit(id).await,
            None => Ok(None),
        }
    }

    /// One booking by its id (callers check that it belongs to whoever asks).
    pub async fn visit(&self, id: i64) -> Result<Option<Visit>> {
        Ok(
            dispatch!(self, pool => sqlx::query_as(VISIT_BY_ID).bind(id).fetch_optional(pool).await?),
        )
    }

    async fn visit_by_request_key(&self, key: Option<&str>) -> Result<Option<Visit>> {
        let Some(key) = key else { return Ok(None) };
        const SQL: &str = concat!(visit_select!(), " WHERE a.request_key = $1");
        Ok(dispatch!(self, pool => sqlx::query_as(SQL).bind(key).fetch_optional(pool).await?))
    }
}

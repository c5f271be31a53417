//! Patients' requests to change their personal data (K4, R14, P6.1.2): filed online, taking
//! effect only when the registrar completes them after checking documents in person. The
//! decision, the change itself, the message to the cabinet and the e-mail go in one
//! transaction.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::change_request::ChangeStatus;
use kabinet_core::representative::IdDocumentKind;
use serde_json::json;

use crate::booking::OutboxMail;
use crate::sql::{insert_audit, insert_mail, insert_message};
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// A stored change request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangeRequest {
    /// The request's id.
    pub id: i64,
    /// Whose data.
    pub patient_id: i64,
    /// The patient's full name now, before the change.
    pub patient_name: String,
    /// The requested values, a JSON object (see [`ChangeValues`]).
    pub fields: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: ChangeStatus,
    /// Unix seconds.
    pub created_at: i64,
    /// When the registrar decided.
    pub decided_at: Option<i64>,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// The identity document the registrar saw before completing it.
    #[sqlx(try_from = "crate::NullableText")]
    pub document_kind: Option<IdDocumentKind>,
    /// Its number, whole: show it masked only.
    pub document_number: Option<String>,
    /// The patient's data as it stands now, beside the requested values.
    #[sqlx(flatten)]
    pub current: ChangeValues,
}

/// The new values of a patient's data; `None` leaves a field as it is. Values are valid and
/// normalised by the service (a phone in E.164, a date as `YYYY-MM-DD`). Read beside a
/// request, the same shape holds the patient's values now.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow,
)]
pub struct ChangeValues {
    /// Фамилия.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Имя.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Отчество.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// Дата рождения, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// Телефон, E.164.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Почтовый адрес.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<String>,
}

impl ChangeValues {
    /// These values, only for the fields `changed` sets (what they were before a change).
    pub fn only(&self, changed: &ChangeValues) -> ChangeValues {
        let pick = |now: &Option<String>, new: &Option<String>| {
            new.as_ref().map(|_| now.clone().unwrap_or_default())
        };
        ChangeValues {
            last_name: pick(&self.last_name, &changed.last_name),
            first_name: pick(&self.first_name, &changed.first_name),
            middle_name: pick(&self.middle_name, &changed.middle_name),
            birth_date: pick(&self.birth_date, &changed.birth_date),
            phone: pick(&self.phone, &changed.phone),
            email: pick(&self.email, &changed.email),
            postal_address: pick(&self.postal_address, &changed.postal_address),
        }
    }
}

impl ChangeRequest {
    /// The requested values, read back.
    pub fn values(&self) -> Result<ChangeValues> {
        serde_json::from_str(&self.fields)
            .map_err(|e| crate::StoreError::Corrupt(format!("change request {}: {e}", self.id)))
    }
}

/// A registrar's decision on a request.
#[derive(Debug, Clone)]
pub struct ChangeDecision {
    /// Which request.
    pub request_id: i64,
    /// Complete (apply the values) or reject.
    pub complete: bool,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// The identity document seen, for a completion: its kind and number.
    pub document: Option<(IdDocumentKind, String)>,
    /// The registrar.
    pub staff_id: i64,
    /// The message to the patient's cabinet: subject and text.
    pub message: (String, String),
    /// The e-mails to the patient: to the address on file and, after a change of it, to the
    /// new one too.
    pub mails: Vec<OutboxMail>,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

macro_rules! request_select {
    () => {
        "SELECT r.id, r.patient_id, \
         TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) AS patient_name, \
         r.fields, r.status, r.created_at, r.decided_at, r.reason, r.document_kind, \
         r.document_number, p.last_name, p.first_name, p.middle_name, p.birth_date, p.phone, \
         p.email, p.postal_address \
         FROM change_requests r JOIN patients p ON p.id = r.patient_id"
    };
}

impl Store {
    /// Files a patient's change request, audited. Returns its id.
    pub async fn file_change_request(
        &self,
        patient_id: i64,
        actor: Actor,
        values: &ChangeValues,
        origin: &Origin,
        now: i64,
    ) -> Result<i64> {
        let fields = serde_json::to_string(values)
            .map_err(|e| crate::StoreError::Corrupt(format!("change values: {e}")))?;
        let names: Vec<&str> = fields_named(values);
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO change_requests (patient_id, fields, \
                status, created_at) VALUES ($1, $2, 'pending', $3) RETURNING id",
            )
            .bind(patient_id)
            .bind(&fields)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    now,
                    actor,
                    AuditAction::ChangeRequestCreate,
                    ObjectKind::ChangeRequest,
                    Some(id),
                )
                .patient(patient_id)
                .origin(origin)
                // Which fields, never their values: the audit holds no personal data itself.
                .details(json!({"fields": names})),
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A patient's change requests, newest first.
    pub async fn change_requests_of(&self, patient_id: i64) -> Result<Vec<ChangeRequest>> {
        const SQL: &str = concat!(
            request_select!(),
            " WHERE r.patient_id = $1 ORDER BY r.created_at DESC, r.id DESC"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// Requests waiting for the registrar, oldest first.
    pub async fn pending_change_requests(&self) -> Result<Vec<ChangeRequest>> {
        const SQL: &str =
            concat!(request_select!(), " WHERE r.status = 'pending' ORDER BY r.created_at, r.id");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).fetch_all(pool).await?))
    }

    /// One request.
    pub async fn change_request(&self, id: i64) -> Result<Option<ChangeRequest>> {
        const SQL: &str = concat!(request_select!(), " WHERE r.id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
    }

    /// Completes (applying the values to the patient) or rejects a pending request, with the
    /// message, the e-mail and the audit rows. `false` if it is not pending any more.
    pub async fn decide_change_request(&self, d: &ChangeDecision) -> Result<bool> {
        const APPLY: &str = "UPDATE patients SET last_name = COALESCE($1, last_name), \
            first_name = COALESCE($2, first_name), middle_name = COALESCE($3, middle_name), \
            birth_date = COALESCE($4, birth_date), phone = COALESCE($5, phone), \
            email = COALESCE($6, email), postal_address = COALESCE($7, postal_address) \
            WHERE id = $8";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let found: Option<(i64, String)> = sqlx::query_as(
                "UPDATE change_requests SET status = $1, decided_at = $2, decided_by = $3, \
                 reason = $4, document_kind = $5, document_number = $6 \
                 WHERE id = $7 AND status = 'pending' RETURNING patient_id, fields",
            )
            .bind(
                if d.complete { ChangeStatus::Completed } else { ChangeStatus::Rejected }.as_str(),
            )
            .bind(d.now)
            .bind(d.staff_id)
            .bind(d.reason.as_deref())
            .bind(d.document.as_ref().map(|(kind, _)| kind.as_str()))
            .bind(d.document.as_ref().map(|(_, number)| number.as_str()))
            .bind(d.request_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((patient_id, fields)) = found else { return Ok(false) };
            let values: ChangeValues = serde_json::from_str(&fields).map_err(|e| {
                crate::StoreError::Corrupt(format!("change request {}: {e}", d.request_id))
            })?;
            let mut details = json!({"fields": fields_named(&values)});
            if d.complete {
                // Before and after of the changed fields: the audit log, read only by the
                // auditor, is where the change of personal data is kept (152-FZ); the
                // document's kind, never its number.
                let before: ChangeValues = sqlx::query_as(
                    "SELECT last_name, first_name, middle_name, birth_date, phone, email, \
                     postal_address FROM patients WHERE id = $1",
                )
                .bind(patient_id)
                .fetch_one(&mut *tx)
                .await?;
                details["before"] = json!(before.only(&values));
                details["after"] = json!(values);
                if let Some((kind, _)) = &d.document {
                    details["document_kind"] = json!(kind.as_str());
                }
                sqlx::query(APPLY)
                    .bind(&values.last_name)
                    .bind(&values.first_name)
                    .bind(&values.middle_name)
                    .bind(&values.birth_date)
                    .bind(&values.phone)
                    .bind(&values.email)
                    .bind(&values.postal_address)
                    .bind(patient_id)
                    .execute(&mut *tx)
                    .await?;
                // The login is the e-mail: it follows the change.
                if let Some(email) = &values.email {
                    sqlx::query("UPDATE accounts SET login = $1 WHERE patient_id = $2")
                        .bind(email.to_lowercase())
                        .bind(patient_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            insert_message(&mut tx, patient_id, (&d.message.0, &d.message.1), d.now).await?;
            for mail in &d.mails {
                insert_mail(&mut tx, mail, d.now).await?;
            }
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    d.now,
                    Actor::Staff(d.staff_id),
                    if d.complete {
                        AuditAction::ChangeRequestComplete
                    } else {
                        AuditAction::ChangeRequestReject
                    },
                    ObjectKind::ChangeRequest,
                    Some(d.request_id),
                )
                .patient(patient_id)
                .origin(&d.origin)
                .details(details),
            )
            .await?;
            tx.commit().await?;
            Ok(true)
        })
    }
}

/// The names of the fields a request changes.
pub fn fields_named(values: &ChangeValues) -> Vec<&'static str> {
    [
        ("last_name", &values.last_name),
        ("first_name", &values.first_name),
        ("middle_name", &values.middle_name),
        ("birth_date", &values.birth_date),
        ("phone", &values.phone),
        ("email", &values.email),
        ("postal_address", &values.postal_address),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_some())
    .map(|(name, _)| name)
    .collect()
}

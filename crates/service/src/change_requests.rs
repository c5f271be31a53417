//! Changes of a patient's personal data (K4, R14, P6.1.2). Online the patient only files a
//! request; it takes effect when the registrar completes it after checking the documents in
//! person, or the registrar rejects it with a reason. Either way the patient gets a message in
//! the cabinet and an e-mail that says nothing personal.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::change_request::ChangeStatus;
use kabinet_core::mail::MailKind;
use kabinet_core::patient::{Email, FieldErrors, NamePart, Phone, PostalAddress, parse_birth_date};
use kabinet_core::representative::{DocumentNumber, IdDocumentKind};
use kabinet_core::roles::Action;
use kabinet_store::booking::OutboxMail;
use kabinet_store::change_requests::{ChangeDecision, ChangeRequest, ChangeValues};
use kabinet_store::registrar::PatientRecord;
use serde::Deserialize;

use crate::accounts::Patient;
use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// The new values a patient asks for, as typed. A field left empty (or absent) stays as it
/// is; at least one must be filled. Each is checked by the rules of `core::patient`:
/// `last_name`, `first_name`, `middle_name` (letters, spaces, hyphens, ≤ 60), `birth_date`
/// (`YYYY-MM-DD` or `DD.MM.YYYY`, in the past), `phone` (any usual Russian or `+`
/// international form, stored as E.164), `email`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChangeFields {
    /// Новая фамилия.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Новое имя.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Новое отчество.
    #[serde(default)]
    pub middle_name: Option<String>,
    /// Новая дата рождения.
    #[serde(default)]
    pub birth_date: Option<String>,
    /// Новый телефон.
    #[serde(default)]
    pub phone: Option<String>,
    /// Новый адрес почты.
    #[serde(default)]
    pub email: Option<String>,
    /// Новый почтовый адрес.
    #[serde(default)]
    pub postal_address: Option<String>,
}

/// The identity document the registrar saw before completing a change, as typed: `kind` one
/// of [`IdDocumentKind::IDENTITY`], the number 4–30 letters or digits (kept whole, shown
/// masked).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IdentityDocument {
    /// `passport_rf`, `birth_certificate`, `foreign_passport`, `residence_permit`, `other`.
    #[serde(default)]
    pub document_kind: String,
    /// The document's number.
    #[serde(default)]
    pub document_number: String,
}

impl IdentityDocument {
    fn parse(&self) -> Result<(IdDocumentKind, String)> {
        let mut errors = FieldErrors::default();
        let kind = errors.take(
            "document_kind",
            self.document_kind
                .parse::<IdDocumentKind>()
                .ok()
                .filter(|k| IdDocumentKind::IDENTITY.contains(k))
                .ok_or("error-document-kind-required"),
        );
        let number = errors.take("document_number", DocumentNumber::parse(&self.document_number));
        match (kind, number) {
            (Some(kind), Some(number)) => Ok((kind, number.as_str().to_owned())),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A filled field's trimmed text, or `None` for an empty one.
fn filled(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl ChangeFields {
    /// Checks every filled field, collecting all problems.
    fn parse(&self, today: jiff::civil::Date) -> Result<ChangeValues> {
        let mut errors = FieldErrors::default();
        let mut name = |field, value: &Option<String>| {
            filled(value)
                .and_then(|v| errors.take(field, NamePart::parse(v)))
                .map(|n| n.as_str().to_owned())
        };
        let values = ChangeValues {
            last_name: name("last_name", &self.last_name),
            first_name: name("first_name", &self.first_name),
            middle_name: name("middle_name", &self.middle_name),
            birth_date: filled(&self.birth_date)
                .and_then(|v| errors.take("birth_date", parse_birth_date(v, today)))
                .map(|d| d.to_string()),
            phone: filled(&self.phone)
                .and_then(|v| errors.take("phone", Phone::parse(v)))
                .map(|p| p.as_str().to_owned()),
            email: filled(&self.email)
                .and_then(|v| errors.take("email", Email::parse(v)))
                .map(|e| e.as_str().to_owned()),
            postal_address: filled(&self.postal_address)
                .and_then(|v| errors.take("postal_address", PostalAddress::parse(v)))
                .map(|a| a.as_str().to_owned()),
        };
        if errors.is_empty() && values == ChangeValues::default() {
            errors.add("fields", "error-change-empty");
        }
        if errors.is_empty() { Ok(values) } else { Err(Error::Validation(errors)) }
    }
}

impl Kabinet {
    /// Files the patient's request to change their data (K4); returns its id. The caller
    /// passes the signed-in patient's own id.
    pub async fn request_change(
        &self,
        patient_id: i64,
        fields: &ChangeFields,
        origin: &Origin,
    ) -> Result<i64> {
        let values = fields.parse(self.today())?;
        let actor = Actor::Patient(patient_id);
        let now = self.now().as_second();
        Ok(self.store.file_change_request(patient_id, actor, &values, origin, now).await?)
    }

    /// Files a change request of the signed-in cabinet's patient (a representative's for the
    /// dependent they act for, audited as such); returns its id.
    pub async fn request_my_change(
        &self,
        patient: &Patient,
        fields: &ChangeFields,
        origin: &Origin,
    ) -> Result<i64> {
        let values = fields.parse(self.today())?;
        let id = patient.account.patient_id;
        let now = self.now().as_second();
        Ok(self.store.file_change_request(id, patient.actor(), &values, origin, now).await?)
    }

    /// The signed-in patient's own data as the clinic holds it (K4).
    pub async fn my_record(&self, patient: &Patient) -> Result<PatientRecord> {
        let id = patient.account.patient_id;
        self.store.patient_record(id).await?.ok_or(Error::NotFound)
    }

    /// The patient's change requests, newest first, with their status and any reason.
    pub async fn change_requests_of(&self, patient_id: i64) -> Result<Vec<ChangeRequest>> {
        Ok(self.store.change_requests_of(patient_id).await?)
    }

    /// Requests waiting for the registrar, oldest first.
    pub async fn pending_change_requests(&self, staff: &StaffUser) -> Result<Vec<ChangeRequest>> {
        staff.require(Action::HandleChangeRequests)?;
        Ok(self.store.pending_change_requests().await?)
    }

    /// Completes a pending request after the registrar recorded the identity document seen
    /// (K4): the new values go into the patient's record, the audit row keeps before and
    /// after.
    pub async fn complete_change_request(
        &self,
        staff: &StaffUser,
        request_id: i64,
        document: &IdentityDocument,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::HandleChangeRequests)?;
        let document = document.parse()?;
        let text = "Ваш запрос на изменение персональных данных выполнен: \
            сведения в вашей карте обновлены.";
        self.decide(staff, request_id, None, Some(document), text.to_owned(), origin).await
    }

    /// Rejects a pending request with a reason the patient reads in the cabinet.
    pub async fn reject_change_request(
        &self,
        staff: &StaffUser,
        request_id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::HandleChangeRequests)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            let mut errors = FieldErrors::default();
            errors.add("reason", "error-reason-required");
            return Err(Error::Validation(errors));
        }
        let text = format!(
            "Ваш запрос на изменение персональных данных отклонён.\n\nПричина: {reason}\n\n\
             Данные в карте не изменились. Если у вас есть вопросы, позвоните нам: {}.",
            self.settings.clinic_phone
        );
        self.decide(staff, request_id, Some(reason.to_owned()), None, text, origin).await
    }

    async fn decide(
        &self,
        staff: &StaffUser,
        request_id: i64,
        reason: Option<String>,
        document: Option<(IdDocumentKind, String)>,
        text: String,
        origin: &Origin,
    ) -> Result<()> {
        let request = self.store.change_request(request_id).await?.ok_or(Error::NotFound)?;
        if request.status != ChangeStatus::Pending {
            return Err(Error::NotFound);
        }
        let record = self.store.patient_record(request.patient_id).await?.ok_or(Error::NotFound)?;
        let new_email = request.values()?.email.filter(|_| reason.is_none());
        if let Some(email) = &new_email {
            let holder = self.store.account_by_login(&email.to_lowercase()).await?;
            if holder.is_some_and(|a| a.patient_id != request.patient_id) {
                let mut errors = FieldErrors::default();
                errors.add("email", "error-login-taken");
                return Err(Error::Validation(errors));
            }
        }
        let address = record.login.clone().or(record.email.clone());
        let base = self.settings.public_url.trim_end_matches('/');
        // The address on file hears of the change; a new address hears of it too.
        let to_new =
            new_email.filter(|e| record.login.as_ref().or(record.email.as_ref()) != Some(e));
        let mails = address
            .into_iter()
            .chain(to_new)
            .map(|recipient| OutboxMail {
                kind: MailKind::ChangeRequestDecided,
                recipient,
                subject: format!(
                    "Ответ на запрос об изменении данных — {}",
                    self.settings.clinic_name
                ),
                body: self.letter(&format!(
                    "Регистратура рассмотрела ваш запрос на изменение персональных данных. \
                 Ответ — в разделе сообщений личного кабинета: {base}/cabinet"
                )),
            })
            .collect();
        let subject = if reason.is_some() {
            "Запрос на изменение данных отклонён"
        } else {
            "Запрос на изменение данных выполнен"
        };
        let decision = ChangeDecision {
            request_id,
            complete: reason.is_none(),
            reason,
            document,
            staff_id: staff.member.id,
            message: (subject.to_owned(), text),
            mails,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        if !self.store.decide_change_request(&decision).await? {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}

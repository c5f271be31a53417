//! The registrar's use cases (A2, A5, A9, B5, N2): find a patient, see their record and
//! visits, confirm access after the rules were signed on paper (a new patient, a one-time
//! booking's patient, or a self-registration to upgrade), issue one-time passwords, suspend,
//! book and cancel for the patient, and read the feed of patients' own changes. Every method
//! takes the signed-in [`StaffUser`]; every change is audited with them as the actor.

use jiff::Timestamp;
use jiff::civil::Date;
use kabinet_core::access::{AccessLevel, Origin};
use kabinet_core::account::SecretPurpose;
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::lang::Lang;
use kabinet_core::mail::MailKind;
use kabinet_core::patient::{Email, FieldErrors, PatientInput, Phone, age_on};
use kabinet_core::roles::Action;
use kabinet_core::token::random_code;
use kabinet_core::visit::VisitSource;
use kabinet_store::AuditEntry;
use kabinet_store::NewSecret;
use kabinet_store::booking::Visit;
use kabinet_store::messages::Notice;
use kabinet_store::registrar::{
    AccessError, AccessTarget, FeedEntry, NewConfirmedAccess, PatientQuery, PatientRecord,
};
use kabinet_store::visits::{NewVisit, VisitChange};

use crate::accounts::hash_password;
use crate::booking::parse_start;
use crate::catalog::SpecialistCard;
use crate::model::FailedMail;
use crate::staff::StaffUser;
use crate::visit_letters::VisitPlace;
use crate::{Error, Kabinet, Result};

/// Letters refused for good that the front desk's page lists.
const FAILED_MAIL_SHOWN: i64 = 50;
use kabinet_core::consent::{ConsentKind, DocumentKind};

/// Characters of a one-time password, from the unambiguous alphabet (no 0/O, 1/I/L).
pub const ONE_TIME_PASSWORD_LENGTH: usize = 10;

/// Confirmed access as the registrar types it.
#[derive(Debug, Clone, Default)]
pub struct AccessRequest {
    /// A known patient, or `None` for a new one described by `patient`.
    pub patient_id: Option<i64>,
    /// The new patient's data (ignored for a known patient).
    pub patient: PatientInput,
    /// The login: the patient's e-mail (ignored when the patient has an account).
    pub login: String,
    /// Номер медицинской карты.
    pub card_number: String,
    /// The version of the rules the patient signed, as typed.
    pub rules_version: String,
    /// The paper's reference.
    pub paper_reference: String,
    /// The consents besides the rules the patient signed on paper (G1): personal data,
    /// health data, calls, advertising.
    pub paper_consents: Vec<ConsentKind>,
}

/// What the printed sheet shows: the one-time password is never stored in clear, so this is
/// the only time anyone sees it.
#[derive(Debug, Clone)]
pub struct IssuedAccess {
    /// Whose.
    pub patient_id: i64,
    /// The patient's full name.
    pub patient_name: String,
    /// The login.
    pub login: String,
    /// The one-time password.
    pub one_time_password: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A specialist the registrar may book a patient with, and whether their specialties see
/// the patient's age: a mismatch is a warning for the registrar, never a refusal.
#[derive(Debug, Clone)]
pub struct SpecialistChoice {
    /// The specialist, with their specialties.
    pub card: SpecialistCard,
    /// Whether one of the specialties sees the patient's age (true when it is unknown).
    pub fits_age: bool,
}

/// The registrar's choice of specialists for one patient.
#[derive(Debug, Clone)]
pub struct BookingChoices {
    /// The patient's age today, full years (`None` if the stored date cannot be read).
    pub age: Option<i16>,
    /// Every specialist, in directory order.
    pub specialists: Vec<SpecialistChoice>,
}

fn field_error(field: &'static str, message: &'static str) -> Error {
    let mut errors = FieldErrors::default();
    errors.add(field, message);
    Error::Validation(errors)
}

/// Title case of each word, as names are written: «иванова анна» → «Иванова Анна».
fn title_case(text: &str) -> String {
    text.split_whitespace()
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Kabinet {
    /// Patients found by name (part of «Фамилия Имя Отчество»), phone, card number or login.
    /// Each search is audited with how many it found (never the words searched: they are
    /// names and phones).
    pub async fn find_patients(
        &self,
        staff: &StaffUser,
        text: &str,
        origin: &Origin,
    ) -> Result<Vec<PatientRecord>> {
        staff.require(Action::SearchPatients)?;
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() < 2 {
            return Ok(Vec::new());
        }
        let like = |t: &str| format!("%{}%", t.replace(['%', '_'], ""));
        let query = PatientQuery {
            names: vec![like(&text), like(&title_case(&text))],
            phone: Phone::parse(&text).ok().map(|p| p.as_str().to_owned()),
            exact: text.clone(),
            include_blocked: staff.may(Action::ViewBlockedPatients),
        };
        let found = self.store.find_patients(&query).await?;
        let entry = AuditEntry::new(
            self.now().as_second(),
            staff.actor(),
            AuditAction::PatientSearch,
            ObjectKind::Patient,
            None,
        )
        .origin(origin)
        .details(serde_json::json!({"found": found.len()}));
        self.store.record_access(&entry).await?;
        Ok(found)
    }

    /// A patient's record as the clinic holds it. Each look is audited (G6).
    pub async fn patient_record(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        origin: &Origin,
    ) -> Result<PatientRecord> {
        staff.require(Action::ViewPatientCard)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        let entry = AuditEntry::new(
            self.now().as_second(),
            staff.actor(),
            AuditAction::PatientView,
            ObjectKind::Patient,
            Some(patient_id),
        )
        .patient(patient_id)
        .origin(origin);
        self.store.record_access(&entry).await?;
        Ok(record)
    }

    /// A patient's record for an action that writes its own audit row.
    pub(crate) async fn record_of(&self, patient_id: i64) -> Result<PatientRecord> {
        self.store.patient_record(patient_id).await?.ok_or(Error::NotFound)
    }

    /// Until when the one-time password issued for the patient's account works, while the
    /// patient has not set a personal password.
    pub async fn one_time_password_expiry(
        &self,
        staff: &StaffUser,
        record: &PatientRecord,
    ) -> Result<Option<i64>> {
        staff.require(Action::ViewPatientCard)?;
        let Some(account) = record.account_id.filter(|_| !record.has_password) else {
            return Ok(None);
        };
        let now = self.now().as_second();
        let live = self.store.one_time_passwords_of(account, now).await?;
        Ok(live.first().map(|(_, expires)| *expires))
    }

    /// Letters the mail server refused for good, newest first: the front desk asks those
    /// patients for a working address.
    pub async fn failed_mail(&self, staff: &StaffUser) -> Result<Vec<FailedMail>> {
        staff.require(Action::ReadFailedMail)?;
        Ok(self.store.failed_mail(FAILED_MAIL_SHOWN).await?)
    }

    /// The specialists to book `patient` with, their texts in `lang`, each marked whether they
    /// see the patient's age today (a pediatrician for a 64-year-old, a therapist for a child
    /// do not).
    pub async fn booking_choices(
        &self,
        staff: &StaffUser,
        patient: &PatientRecord,
        lang: Lang,
    ) -> Result<BookingChoices> {
        staff.require(Action::BookVisits)?;
        let age = patient.birth_date.parse::<Date>().ok().map(|birth| age_on(birth, self.today()));
        let specialists = self
            .all_specialists(lang)
            .await?
            .into_iter()
            .map(|card| SpecialistChoice {
                fits_age: age.is_none_or(|age| card.sees_age(age)),
                card,
            })
            .collect();
        Ok(BookingChoices { age, specialists })
    }

    /// A patient's visits, soonest first.
    pub async fn patient_visits(&self, staff: &StaffUser, patient_id: i64) -> Result<Vec<Visit>> {
        staff.require(Action::ViewPatientCard)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        Ok(self.store.visits_of_patient(patient_id).await?)
    }

    /// Confirms access for a patient who signed the rules on paper (A2, A9), and issues the
    /// first one-time password.
    pub async fn confirm_access(
        &self,
        staff: &StaffUser,
        request: &AccessRequest,
        origin: &Origin,
    ) -> Result<IssuedAccess> {
        staff.require(Action::IssueAccess)?;
        let mut errors = FieldErrors::default();
        let existing = match request.patient_id {
            Some(id) => Some(self.record_of(id).await?),
            None => None,
        };
        if let Some(record) = &existing {
            if record.access_level == AccessLevel::Confirmed && record.account_id.is_some() {
                return Err(Error::Forbidden);
            }
            if record.is_suspended() || record.is_closed() {
                return Err(Error::Forbidden);
            }
            self.check_data_not_blocked(record.id).await?;
        }
        let login = match existing.as_ref().and_then(|r| r.login.clone()) {
            Some(login) => Some(login),
            None => errors
                .take("login", Email::parse(&request.login))
                .map(|e| e.as_str().to_lowercase()),
        };
        let target = match &existing {
            Some(record) => Some(AccessTarget::Existing(record.id)),
            None => {
                let mut input = request.patient.clone();
                input.email = Some(request.login.clone());
                input.parse(self.today(), &mut errors).map(AccessTarget::New)
            }
        };
        // Under 15 the patient's own account does not count (323-FZ art. 54): the registrar
        // links a legal representative instead.
        let birth = match (&target, &existing) {
            (Some(AccessTarget::New(p)), _) => Some(p.birth_date),
            (_, Some(record)) => record.birth_date.parse().ok(),
            _ => None,
        };
        let own_age = kabinet_core::representative::OWN_ACCOUNT_AGE;
        if birth.is_some_and(|b| age_on(b, self.today()) < own_age) {
            errors.add("birth_date", "error-access-under-15");
        }
        let card_number = request.card_number.trim().to_owned();
        let card_ok = (1..=32).contains(&card_number.chars().count())
            && card_number.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '.'));
        if !card_ok {
            errors.add("card_number", "error-card-number-invalid");
        }
        let rules = self.document_version(DocumentKind::Rules).await?;
        let rules_version = request.rules_version.trim().parse::<i32>().ok();
        let rules_version = rules_version.filter(|v| (1..=rules).contains(v));
        if rules_version.is_none() {
            errors.add("rules_version", "error-rules-version-invalid");
        }
        let paper_reference = request.paper_reference.trim().to_owned();
        if paper_reference.is_empty() || paper_reference.chars().count() > 100 {
            errors.add("paper_reference", "error-paper-reference-invalid");
        }
        let (Some(login), Some(target), Some(rules_version), true) =
            (login, target, rules_version, errors.is_empty())
        else {
            return Err(Error::Validation(errors));
        };
        let privacy = self.document_version(DocumentKind::Privacy).await?;
        let mut paper_consents = Vec::new();
        for &kind in &request.paper_consents {
            let paper = matches!(
                kind,
                ConsentKind::PersonalData
                    | ConsentKind::HealthData
                    | ConsentKind::Calls
                    | ConsentKind::Advertising
            );
            let version = match kind.document() {
                DocumentKind::Rules => rules,
                DocumentKind::Privacy => privacy,
            };
            if paper && !paper_consents.iter().any(|&(k, _, _)| k == kind) {
                paper_consents.push((kind, kind.document(), version));
            }
        }
        let (secret, password, expires_at) = self.new_one_time_password().await?;
        let access = NewConfirmedAccess {
            paper_consents,
            target,
            login: login.clone(),
            card_number,
            rules_version,
            paper_reference,
            one_time_password: secret,
            staff_id: staff.member.id,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        let account_id = self.store.confirm_access(&access).await.map_err(|e| match e {
            AccessError::LoginTaken => field_error("login", "error-patient-login-taken"),
            AccessError::CardTaken => field_error("card_number", "error-card-number-taken"),
            AccessError::NotFound => Error::NotFound,
            AccessError::Store(e) => e.into(),
        })?;
        let account = self.store.account(account_id).await?.ok_or(Error::NotFound)?;
        let record = self.record_of(account.patient_id).await?;
        Ok(IssuedAccess {
            patient_id: record.id,
            patient_name: record.full_name(),
            login: account.login,
            one_time_password: password,
            expires_at,
        })
    }

    /// Issues a new one-time password for a confirmed patient's account; the previous one
    /// stops working, and so does the personal password and every session (A2, A6).
    pub async fn reissue_one_time_password(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        origin: &Origin,
    ) -> Result<IssuedAccess> {
        staff.require(Action::IssueAccess)?;
        let record = self.record_of(patient_id).await?;
        let (Some(account_id), Some(login)) = (record.account_id, record.login.clone()) else {
            return Err(Error::NotFound);
        };
        if record.access_level != AccessLevel::Confirmed
            || record.is_suspended()
            || record.is_closed()
        {
            return Err(Error::Forbidden);
        }
        let (secret, password, expires_at) = self.new_one_time_password().await?;
        let now = self.now().as_second();
        if !self
            .store
            .issue_one_time_password(account_id, &secret, staff.member.id, origin, now)
            .await?
        {
            return Err(Error::NotFound);
        }
        Ok(IssuedAccess {
            patient_id,
            patient_name: record.full_name(),
            login,
            one_time_password: password,
            expires_at,
        })
    }

    /// A one-time password from the OS random source, its Argon2id hash and its expiry.
    async fn new_one_time_password(&self) -> Result<(NewSecret, String, Timestamp)> {
        let password = random_code(ONE_TIME_PASSWORD_LENGTH);
        let expires_at = self.now() + self.settings.one_time_password_ttl;
        let secret = NewSecret {
            purpose: SecretPurpose::OneTimePassword,
            hash: hash_password(password.clone()).await?,
            expires_at: expires_at.as_second(),
        };
        Ok((secret, password, expires_at))
    }

    /// Lifts the clinic's suspension of a patient's account.
    pub async fn lift_patient_suspension(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::SuspendPatients)?;
        let record = self.record_of(patient_id).await?;
        let account_id = record.account_id.ok_or(Error::NotFound)?;
        let now = self.now().as_second();
        if !self.store.lift_suspension(account_id, staff.member.id, origin, now).await? {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Books a free slot for the patient at the front desk or by phone (no online cap).
    pub async fn book_for_patient(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        specialist_id: i64,
        start: &str,
        origin: &Origin,
    ) -> Result<Visit> {
        staff.require(Action::BookVisits)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        self.check_data_not_blocked(patient_id).await?;
        let start = parse_start(start).ok_or_else(|| field_error("start", "error-slot-invalid"))?;
        let slot = self.offered_slot(specialist_id, start).await?;
        let specialist = self
            .store
            .specialist(specialist_id, kabinet_core::lang::Lang::Ru)
            .await?
            .ok_or(Error::NotFound)?;
        let code = random_code(8);
        let place = self.place_with(&specialist).await?;
        let text = format!(
            "Регистратура записала вас на приём.\n\n{}",
            self.visit_details(&place, slot.start, &code)
        );
        let visit = NewVisit {
            patient_id,
            specialist_id,
            starts_at: slot.start.as_second(),
            ends_at: slot.end.as_second(),
            code,
            // A booking by the front desk is priced at the clinic, not online.
            price: None,
            source: VisitSource::Registrar,
            max_active: usize::MAX,
            actor: staff.actor(),
            notice: Some(self.notice(&record, "Вы записаны на приём", &text)),
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        Ok(self.store.book_visit(&visit).await?)
    }

    /// Cancels a booked visit of the patient on their behalf, with the reason the patient is
    /// told, if one is given.
    pub async fn cancel_for_patient(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        visit_id: i64,
        reason: Option<&str>,
        origin: &Origin,
    ) -> Result<Visit> {
        staff.require(Action::CancelVisits)?;
        let record = self.record_of(patient_id).await?;
        let visit =
            self.store.visit_of_patient(patient_id, visit_id).await?.ok_or(Error::NotFound)?;
        let at = Timestamp::from_second(visit.starts_at).unwrap_or_default();
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let why = reason.map(|r| format!("\nПричина: {r}")).unwrap_or_default();
        let text = format!(
            "Регистратура отменила вашу запись.{why}\n\n{}\n\n\
             Чтобы записаться снова, выберите время в личном кабинете или позвоните нам.",
            self.visit_details(&VisitPlace::of(&visit), at, &visit.code)
        );
        let change = VisitChange {
            patient_id,
            visit_id,
            actor: staff.actor(),
            notice: Some(self.notice(&record, "Запись на приём отменена", &text)),
            reason: reason.map(str::to_owned),
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        self.store.cancel_visit(&change).await?.ok_or(Error::NotFound)
    }

    /// A change the clinic made, for the patient's inbox and, if there is an address, their
    /// mailbox (N2).
    pub(crate) fn notice(&self, record: &PatientRecord, subject: &str, text: &str) -> Notice {
        let to = record.login.clone().or_else(|| record.email.clone());
        self.visit_notice(MailKind::VisitChangedByClinic, to, subject, text, true)
    }

    /// Patients' own visit changes and lost-credential reports, newest first (N2).
    pub async fn registrar_feed(&self, staff: &StaffUser) -> Result<Vec<FeedEntry>> {
        staff.require(Action::ReadFeed)?;
        Ok(self.store.registrar_feed(100).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::title_case;

    #[test]
    fn names_are_searched_as_they_are_written() {
        assert_eq!(title_case("иванова  анна"), "Иванова Анна");
        assert_eq!(title_case("ПЕТРОВ"), "Петров");
    }
}

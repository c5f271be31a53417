//! A patient's requests to the clinic (issue 13, points 3, 7, 8).
//!
//! Subject requests (G8; 152-FZ art. 14, 20, 21): access, correction, stop of processing,
//! deletion, each due by the law's period counted in Russian working days from the production
//! calendar (shipped, overlaid by the administrator's upload). Withdrawing the personal-data
//! consent files a request in the same transaction rather than deleting anything silently.
//! Staff open (in progress), answer, refuse with a reason, or extend an access request once by
//! 5 working days with a reason; the patient is told each time in the cabinet and by a
//! neutral letter. Written requests and complaints (K6) work the same way, with a category
//! and attachments. The disclosure register (G3) records giving a patient's data to someone
//! with a legal basis. The copy of one's data gathers everything the clinic holds.

use jiff::civil::Date;
use kabinet_core::access::Origin;
use kabinet_core::lang::MONTHS_RU_GENITIVE;
use kabinet_core::mail::MailKind;
use kabinet_core::patient::{FieldErrors, NamePart, parse_birth_date};
use kabinet_core::requests::{
    AppealCategory, DisclosureBasis, RequestKind, RequestStatus, Taxpayer, WithdrawableConsent,
};
use kabinet_core::roles::Action;
use kabinet_core::working_days::{Calendar, LineError, Period};
use kabinet_store::booking::OutboxMail;
use kabinet_store::files::FileInfo;
use kabinet_store::messages::Notice;
use kabinet_store::records::ConsentRow;
use kabinet_store::registrar::PatientRecord;
use kabinet_store::requests::{
    AccessRow, Appeal, AppealAnswer, Disclosure, ExportMessage, ExportVisit, NewAppeal,
    NewDisclosure, NewSubjectRequest, RequestStep, SubjectRequest,
};

use crate::accounts::Patient;
use crate::files::{MAX_FILES, Upload, check};
use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// The longest text a patient or staff may write in a request or an answer.
const MAX_TEXT: usize = 5000;

/// A written request as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AppealForm {
    /// `tax_certificate`, `complaint`, `gratitude`, `question`, `medical_copies`, `other`.
    #[serde(default)]
    pub category: String,
    /// The text.
    #[serde(default)]
    pub text: String,
    /// For a tax certificate: the year of the payments.
    #[serde(default)]
    pub tax_year: String,
    /// For a tax certificate: `self` or `relative`.
    #[serde(default)]
    pub taxpayer: String,
    /// The relative's full name.
    #[serde(default)]
    pub taxpayer_name: String,
    /// The relative's birth date.
    #[serde(default)]
    pub taxpayer_birth_date: String,
    /// Who they are to the patient.
    #[serde(default)]
    pub taxpayer_relation: String,
}

/// A disclosure as typed by staff.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DisclosureForm {
    /// To whom.
    #[serde(default)]
    pub recipient: String,
    /// What data.
    #[serde(default)]
    pub data_given: String,
    /// The basis (required).
    #[serde(default)]
    pub basis: String,
    /// The basis in words (required for `other`).
    #[serde(default)]
    pub basis_text: String,
    /// When, YYYY-MM-DD.
    #[serde(default)]
    pub disclosed_on: String,
    /// The document's reference.
    #[serde(default)]
    pub document_ref: String,
}

/// A written request with its files.
#[derive(Debug, Clone)]
pub struct AppealWithFiles {
    /// The request.
    pub appeal: Appeal,
    /// Its attachments, the patient's and the clinic's.
    pub files: Vec<FileInfo>,
}

/// The staff queue: subject requests and written requests, each by due date.
#[derive(Debug, Clone)]
pub struct Queue {
    /// Subject requests.
    pub requests: Vec<SubjectRequest>,
    /// Written requests and complaints.
    pub appeals: Vec<Appeal>,
    /// Today, in the clinic's zone: what is overdue or due soon is counted from it.
    pub today: Date,
}

/// Everything the clinic holds about a patient: the copy of their data (G8).
#[derive(Debug, Clone)]
pub struct DataCopy {
    /// The profile and the account.
    pub profile: PatientRecord,
    /// The consent ledger.
    pub consents: Vec<ConsentRow>,
    /// Visits.
    pub visits: Vec<ExportVisit>,
    /// Messages.
    pub messages: Vec<ExportMessage>,
    /// Subject requests.
    pub requests: Vec<SubjectRequest>,
    /// Written requests.
    pub appeals: Vec<Appeal>,
    /// Disclosures to third parties.
    pub disclosures: Vec<Disclosure>,
    /// Who accessed or changed the data, when.
    pub accesses: Vec<AccessRow>,
    /// When the copy was made, Unix seconds.
    pub made_at: i64,
}

/// A date as a Russian letter writes it: «3 декабря 2026».
pub fn date_ru(day: &str) -> String {
    match day.parse::<Date>() {
        Ok(d) => {
            let month =
                MONTHS_RU_GENITIVE[usize::from(d.month().unsigned_abs()).saturating_sub(1) % 12];
            format!("{} {month} {}", d.day(), d.year())
        }
        Err(_) => day.to_owned(),
    }
}

fn text_field(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    key: &'static str,
) -> String {
    let text = raw.trim();
    if text.is_empty() {
        errors.add(field, key);
    } else if text.chars().count() > MAX_TEXT {
        errors.add(field, "error-request-text-long");
    }
    text.to_owned()
}

impl Kabinet {
    /// The production calendar in force: the shipped one with the uploaded years over it.
    pub async fn production_calendar(&self) -> Result<Calendar> {
        let rows = self.store.uploaded_calendar().await?;
        let text: String = rows.iter().map(|(d, k)| format!("{d},{k}\n")).collect();
        let shipped = Calendar::shipped();
        Ok(match Calendar::parse(&text) {
            Ok(uploaded) => shipped.overlaid(&uploaded),
            Err(_) => shipped,
        })
    }

    /// The due date of a period starting today.
    async fn due_from_today(&self, period: Period) -> Result<(Date, Date)> {
        let today = self.today();
        Ok((today, self.production_calendar().await?.due_date(today, period)))
    }

    /// Files a subject request (G8); with `withdraw`, that consent is withdrawn in the same
    /// transaction. The text is required.
    pub async fn file_subject_request(
        &self,
        patient: &Patient,
        kind: &str,
        text: &str,
        withdraw: Option<&str>,
        origin: &Origin,
    ) -> Result<SubjectRequest> {
        let mut errors = FieldErrors::default();
        let kind = kind.trim().parse::<RequestKind>().ok();
        if kind.is_none() {
            errors.add("kind", "error-request-kind");
        }
        let withdraw = match withdraw.map(str::trim).filter(|w| !w.is_empty()) {
            None => None,
            Some(w) => match w.parse::<WithdrawableConsent>() {
                Ok(w) => Some(w),
                Err(_) => {
                    errors.add("withdraw_consent", "error-request-consent");
                    None
                }
            },
        };
        let text = text_field(&mut errors, "text", text, "error-request-text");
        let Some(kind) = kind.filter(|_| errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let (today, due) = self.due_from_today(self.settings.request_periods.of(kind)).await?;
        let request = NewSubjectRequest {
            patient_id: patient.account.patient_id,
            kind,
            text,
            received_on: today.to_string(),
            due_on: due.to_string(),
            withdraw,
            actor: patient.actor(),
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        let id = self.store.file_subject_request(&request).await?;
        self.my_subject_request(patient, id).await
    }

    /// The patient's subject requests, newest first.
    pub async fn my_subject_requests(&self, patient: &Patient) -> Result<Vec<SubjectRequest>> {
        Ok(self.store.subject_requests_of(patient.account.patient_id).await?)
    }

    /// One of the patient's subject requests; another's is `NotFound`.
    pub async fn my_subject_request(&self, patient: &Patient, id: i64) -> Result<SubjectRequest> {
        let patient_id = Some(patient.account.patient_id);
        self.store.subject_request(id, patient_id).await?.ok_or(Error::NotFound)
    }

    /// The queue for staff: open (or closed) subject and written requests, by due date.
    pub async fn request_queue(&self, staff: &StaffUser, open: bool) -> Result<Queue> {
        staff.require(Action::HandleSubjectRequests)?;
        Ok(Queue {
            requests: self.store.subject_request_queue(open).await?,
            appeals: self.store.appeal_queue(open).await?,
            today: self.today(),
        })
    }

    /// Opens a subject request for staff (audited; a new one becomes in progress).
    pub async fn open_subject_request(
        &self,
        staff: &StaffUser,
        id: i64,
        origin: &Origin,
    ) -> Result<SubjectRequest> {
        staff.require(Action::HandleSubjectRequests)?;
        let request = self.store.subject_request(id, None).await?.ok_or(Error::NotFound)?;
        let now = self.now().as_second();
        self.store
            .open_subject_request(id, request.patient_id, staff.member.id, origin, now)
            .await?;
        self.store.subject_request(id, None).await?.ok_or(Error::NotFound)
    }

    /// The notice that tells a patient the clinic answered: the cabinet message with the
    /// text, and a neutral letter that names nothing (323-FZ art. 13).
    async fn answer_notice(&self, patient_id: i64, subject: &str, body: String) -> Result<Notice> {
        let record = self.store.patient_record(patient_id).await?.ok_or(Error::NotFound)?;
        let link = format!("{}/cabinet/requests", self.public_url());
        let mail = record.login.or(record.email).map(|recipient| OutboxMail {
            kind: MailKind::RequestAnswered,
            recipient,
            subject: "Ответ на ваш запрос в личном кабинете".to_owned(),
            body: self.letter(&format!(
                "Клиника ответила на ваш запрос. Ответ — в личном кабинете: {link}"
            )),
        });
        Ok(Notice { subject: subject.to_owned(), body, mail, inbox: true })
    }

    /// Answers, refuses or extends a subject request.
    async fn step(
        &self,
        staff: &StaffUser,
        id: i64,
        status: RequestStatus,
        text: &str,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::HandleSubjectRequests)?;
        let request = self.store.subject_request(id, None).await?.ok_or(Error::NotFound)?;
        let mut errors = FieldErrors::default();
        let key = match status {
            RequestStatus::Answered => "error-answer-required",
            _ => "error-reason-required",
        };
        let text = text_field(&mut errors, "text", text, key);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        if !request.status.is_open()
            || (status == RequestStatus::Extended
                && (request.kind != RequestKind::Access || request.extension_reason.is_some()))
        {
            return Err(Error::RequestClosed);
        }
        let received = date_ru(&request.received_on);
        let deletion_note = if request.kind == RequestKind::Deletion {
            "\n\nМедицинская документация хранится в сроки, установленные законодательством \
             (323-ФЗ), и удалению по запросу не подлежит."
        } else {
            ""
        };
        let (subject, body, extension) = match status {
            RequestStatus::Extended => {
                let calendar = self.production_calendar().await?;
                let due = request.due_on.parse::<Date>().unwrap_or(self.today());
                let new_due = calendar.due_date(
                    due,
                    Period::WorkingDays(self.settings.request_periods.access_extension),
                );
                let body = format!(
                    "Срок ответа на ваш запрос от {received} продлён до {}.\n\nПричина: {text}",
                    date_ru(&new_due.to_string())
                );
                ("Срок ответа на запрос продлён", body, Some((text.clone(), new_due.to_string())))
            }
            RequestStatus::Refused => {
                let body =
                    format!("Клиника отказала в вашем запросе от {received}.\n\nПричина: {text}");
                ("Отказ по вашему запросу", body, None)
            }
            _ => {
                let body = format!("Ответ на ваш запрос от {received}:\n\n{text}{deletion_note}");
                ("Ответ на ваш запрос", body, None)
            }
        };
        let notice = self.answer_notice(request.patient_id, subject, body).await?;
        let step = RequestStep {
            id,
            status,
            answer: (status != RequestStatus::Extended).then(|| text.clone()),
            extension,
            notice,
            staff_id: staff.member.id,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        if !self.store.step_subject_request(&step).await? {
            return Err(Error::RequestClosed);
        }
        Ok(())
    }

    /// Answers a subject request: the patient reads it in the cabinet.
    pub async fn answer_subject_request(
        &self,
        staff: &StaffUser,
        id: i64,
        text: &str,
        origin: &Origin,
    ) -> Result<()> {
        self.step(staff, id, RequestStatus::Answered, text, origin).await
    }

    /// Refuses a subject request with a reason.
    pub async fn refuse_subject_request(
        &self,
        staff: &StaffUser,
        id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<()> {
        self.step(staff, id, RequestStatus::Refused, reason, origin).await
    }

    /// Extends an access request once by the extension's working days, with a reason.
    pub async fn extend_subject_request(
        &self,
        staff: &StaffUser,
        id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<()> {
        self.step(staff, id, RequestStatus::Extended, reason, origin).await
    }

    /// Files a written request or complaint with up to three files (PDF, JPEG, PNG).
    pub async fn file_appeal(
        &self,
        patient: &Patient,
        form: &AppealForm,
        uploads: &[Upload],
        origin: &Origin,
    ) -> Result<AppealWithFiles> {
        let mut errors = FieldErrors::default();
        let category = form.category.trim().parse::<AppealCategory>().ok();
        if category.is_none() {
            errors.add("category", "error-appeal-category");
        }
        let text = text_field(&mut errors, "text", &form.text, "error-request-text");
        let mut details = serde_json::Map::new();
        if category == Some(AppealCategory::TaxCertificate) {
            let this_year = self.today().year();
            match form.tax_year.trim().parse::<i16>() {
                Ok(y) if (2000..=this_year).contains(&y) => {
                    details.insert("tax_year".into(), y.into());
                }
                _ => errors.add("tax_year", "error-tax-year"),
            }
            match form.taxpayer.trim().parse::<Taxpayer>() {
                Ok(Taxpayer::Patient) => {
                    details.insert("taxpayer".into(), "self".into());
                }
                Ok(Taxpayer::Relative) => {
                    details.insert("taxpayer".into(), "relative".into());
                    let name: Vec<&str> = form.taxpayer_name.split_whitespace().collect();
                    if name.len() < 2 || name.iter().any(|p| NamePart::parse(p).is_err()) {
                        errors.add("taxpayer_name", "error-taxpayer-name");
                    } else {
                        details.insert("taxpayer_name".into(), name.join(" ").into());
                    }
                    match parse_birth_date(&form.taxpayer_birth_date, self.today()) {
                        Ok(d) => {
                            details.insert("taxpayer_birth_date".into(), d.to_string().into());
                        }
                        Err(key) => errors.add("taxpayer_birth_date", key),
                    }
                    let relation = form.taxpayer_relation.trim();
                    if relation.is_empty() || relation.chars().count() > 60 {
                        errors.add("taxpayer_relation", "error-taxpayer-relation");
                    } else {
                        details.insert("taxpayer_relation".into(), relation.into());
                    }
                }
                Err(_) => errors.add("taxpayer", "error-taxpayer"),
            }
        }
        let mut files = Vec::new();
        if uploads.len() > MAX_FILES {
            errors.add("files", "error-file-count");
        } else {
            for upload in uploads.iter().filter(|u| !u.bytes.is_empty()) {
                match check(upload, self.settings.attachment_max_kb) {
                    Ok(file) => files.push(file),
                    Err(key) => {
                        errors.add("files", key);
                        break;
                    }
                }
            }
        }
        let Some(category) = category.filter(|_| errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let period = Period::CalendarDays(self.settings.request_periods.appeal);
        let (_, due) = self.due_from_today(period).await?;
        let appeal = NewAppeal {
            patient_id: patient.account.patient_id,
            category,
            text,
            details: serde_json::Value::Object(details).to_string(),
            due_on: due.to_string(),
            files,
            actor: patient.actor(),
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        let id = self.store.file_appeal(&appeal).await?;
        self.my_appeal(patient, id).await
    }

    /// The patient's written requests, newest first.
    pub async fn my_appeals(&self, patient: &Patient) -> Result<Vec<Appeal>> {
        Ok(self.store.appeals_of(patient.account.patient_id).await?)
    }

    /// One of the patient's written requests with its files; another's is `NotFound`.
    pub async fn my_appeal(&self, patient: &Patient, id: i64) -> Result<AppealWithFiles> {
        let appeal = self
            .store
            .appeal(id, Some(patient.account.patient_id))
            .await?
            .ok_or(Error::NotFound)?;
        let files = self.store.files_of("appeal", id).await?;
        Ok(AppealWithFiles { appeal, files })
    }

    /// Opens a written request for staff (audited; a new one becomes in progress).
    pub async fn open_appeal(
        &self,
        staff: &StaffUser,
        id: i64,
        origin: &Origin,
    ) -> Result<AppealWithFiles> {
        staff.require(Action::HandleSubjectRequests)?;
        let appeal = self.store.appeal(id, None).await?.ok_or(Error::NotFound)?;
        let now = self.now().as_second();
        self.store.open_appeal(id, appeal.patient_id, staff.member.id, origin, now).await?;
        let appeal = self.store.appeal(id, None).await?.ok_or(Error::NotFound)?;
        let files = self.store.files_of("appeal", id).await?;
        Ok(AppealWithFiles { appeal, files })
    }

    /// Answers a written request, with an optional file; the patient is told.
    pub async fn answer_appeal(
        &self,
        staff: &StaffUser,
        id: i64,
        text: &str,
        upload: Option<&Upload>,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::HandleSubjectRequests)?;
        let appeal = self.store.appeal(id, None).await?.ok_or(Error::NotFound)?;
        let mut errors = FieldErrors::default();
        let text = text_field(&mut errors, "text", text, "error-answer-required");
        let file = match upload.filter(|u| !u.bytes.is_empty()) {
            Some(u) => errors.take("file", check(u, self.settings.attachment_max_kb)),
            None => None,
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let body = format!(
            "Ответ на ваше обращение от {}:\n\n{text}",
            date_ru(&self.day_of(appeal.created_at).to_string())
        );
        let notice = self.answer_notice(appeal.patient_id, "Ответ на ваше обращение", body).await?;
        let answer = AppealAnswer {
            id,
            answer: text,
            file,
            notice,
            staff_id: staff.member.id,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        if !self.store.answer_appeal(&answer).await? {
            return Err(Error::RequestClosed);
        }
        Ok(())
    }

    /// The day of an instant in the clinic's zone.
    fn day_of(&self, secs: i64) -> Date {
        jiff::Timestamp::from_second(secs)
            .unwrap_or_default()
            .to_zoned(self.settings.time_zone.clone())
            .date()
    }

    /// One of the patient's files: (media type, bytes); another's is `NotFound`.
    pub async fn my_file(&self, patient: &Patient, name: &str) -> Result<(String, Vec<u8>)> {
        let found = self.store.stored_file(name, Some(patient.account.patient_id)).await?;
        let (_, content_type, bytes) = found.ok_or(Error::NotFound)?;
        Ok((content_type, bytes))
    }

    /// A patient's file for staff who work requests (audited).
    pub async fn staff_file(
        &self,
        staff: &StaffUser,
        name: &str,
        origin: &Origin,
    ) -> Result<(String, Vec<u8>)> {
        staff.require(Action::HandleSubjectRequests)?;
        let (patient_id, content_type, bytes) =
            self.store.stored_file(name, None).await?.ok_or(Error::NotFound)?;
        let now = self.now().as_second();
        self.store.audit_file_view(name, patient_id, staff.member.id, origin, now).await?;
        Ok((content_type, bytes))
    }

    /// Records a disclosure of the patient's data with its legal basis (G3).
    pub async fn record_disclosure(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        form: &DisclosureForm,
        origin: &Origin,
    ) -> Result<i64> {
        staff.require(Action::RecordDisclosures)?;
        self.store.patient_record(patient_id).await?.ok_or(Error::NotFound)?;
        let mut errors = FieldErrors::default();
        let short = |errors: &mut FieldErrors, field, raw: &str, required: bool| {
            let text = raw.trim();
            if required && text.is_empty() {
                errors.add(field, "error-disclosure-required");
            } else if text.chars().count() > 500 {
                errors.add(field, "error-request-text-long");
            }
            text.to_owned()
        };
        let recipient = short(&mut errors, "recipient", &form.recipient, true);
        let data_given = short(&mut errors, "data_given", &form.data_given, true);
        let document_ref = short(&mut errors, "document_ref", &form.document_ref, false);
        let basis = form.basis.parse::<DisclosureBasis>().ok();
        let basis_text = short(
            &mut errors,
            "basis_text",
            &form.basis_text,
            basis == Some(DisclosureBasis::Other),
        );
        if basis.is_none() {
            errors.add("basis", "error-disclosure-basis");
        }
        let disclosed_on = match form.disclosed_on.trim().parse::<Date>() {
            Ok(d) if d <= self.today() => Some(d),
            _ => {
                errors.add("disclosed_on", "error-disclosure-date");
                None
            }
        };
        let (Some(basis), Some(disclosed_on)) = (basis, disclosed_on) else {
            return Err(Error::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let d = NewDisclosure {
            patient_id,
            recipient,
            data_given,
            basis,
            basis_text,
            disclosed_on: disclosed_on.to_string(),
            document_ref,
            staff_id: staff.member.id,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        Ok(self.store.record_disclosure(&d).await?)
    }

    /// The disclosures of a patient's data, for the card.
    pub async fn disclosures_of(
        &self,
        staff: &StaffUser,
        patient_id: i64,
    ) -> Result<Vec<Disclosure>> {
        staff.require(Action::ViewPatientCard)?;
        Ok(self.store.disclosures_of(patient_id).await?)
    }

    /// Reads an uploaded production calendar and puts it in force for the years it covers;
    /// the problems of its lines otherwise. Returns the years.
    pub async fn upload_calendar(
        &self,
        staff: &StaffUser,
        bytes: &[u8],
        origin: &Origin,
    ) -> Result<std::result::Result<Vec<i16>, Vec<LineError>>> {
        staff.require(Action::ManageCalendar)?;
        if bytes.len() > kabinet_core::working_days::MAX_FILE_BYTES {
            return Ok(Err(vec![LineError { line: 1, message: "calendar-error-size" }]));
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Ok(Err(vec![LineError { line: 1, message: "calendar-error-encoding" }]));
        };
        let calendar = match Calendar::parse(text) {
            Ok(c) => c,
            Err(errors) => return Ok(Err(errors)),
        };
        let years: Vec<i16> = calendar.years().into_iter().collect();
        let days: Vec<(String, &'static str)> =
            calendar.days().map(|(d, k)| (d.to_string(), k.as_str())).collect();
        let now = self.now().as_second();
        self.store.upload_calendar(&years, &days, staff.member.id, origin, now).await?;
        Ok(Ok(years))
    }

    /// The years the calendar in force covers, and whether each comes from an upload.
    pub async fn calendar_years(&self, staff: &StaffUser) -> Result<Vec<(i16, bool)>> {
        staff.require(Action::ManageCalendar)?;
        let uploaded: std::collections::BTreeSet<i16> = self
            .store
            .uploaded_calendar()
            .await?
            .iter()
            .filter_map(|(d, _)| d.get(..4).and_then(|y| y.parse().ok()))
            .collect();
        let all = self.production_calendar().await?.years();
        Ok(all.into_iter().map(|y| (y, uploaded.contains(&y))).collect())
    }

    /// The copy of the patient's own data (audited `data_export.view`).
    pub async fn my_data_copy(&self, patient: &Patient, origin: &Origin) -> Result<DataCopy> {
        let id = patient.account.patient_id;
        // Blocked data is not processed (G4), a copy of it included, until it is unblocked.
        self.check_data_not_blocked(id).await?;
        let copy = DataCopy {
            profile: self.store.patient_record(id).await?.ok_or(Error::NotFound)?,
            consents: self.store.consents_of(id).await?,
            visits: self.store.visits_for_export(id).await?,
            messages: self.store.messages_for_export(id).await?,
            requests: self.store.subject_requests_of(id).await?,
            appeals: self.store.appeals_of(id).await?,
            disclosures: self.store.disclosures_of(id).await?,
            accesses: self.store.accesses_to(id).await?,
            made_at: self.now().as_second(),
        };
        self.store.audit_export(id, patient.actor(), origin, copy.made_at).await?;
        Ok(copy)
    }
}

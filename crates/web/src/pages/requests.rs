//! The cabinet's «Запросы и обращения» (issue 13, points 3 and 8): subject requests under
//! 152-FZ with their due dates (`/cabinet/requests`, a form preselected by `?kind=` and, from
//! the consent ledger's «Отозвать», `?consent=` to withdraw a consent with the request), written
//! requests and complaints with attachments (`/cabinet/appeals`), their files, and the copy of
//! one's data (`/cabinet/export`, printable, with its JSON download).

use std::borrow::Borrow;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use kabinet_core::patient::FieldErrors;
use kabinet_core::requests::{
    AppealCategory, AppealStatus, RequestKind, RequestStatus, WithdrawableConsent,
};
use kabinet_service::Error;
use kabinet_service::accounts::Patient;
use kabinet_service::files::Upload;
use kabinet_service::model::{Appeal, FileInfo, SubjectRequest};
use kabinet_service::requests::{AppealForm, DataCopy};
use serde::Deserialize;

use super::NO_STORE;
use super::cabinet::CabinetFrame;
use super::error_summary::{ErrorLink, error_links};
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, refusal_message, status_of};
use crate::export::data_copy_json;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::session::CabinetPatient;

/// The largest body the appeal form's route reads; the CSRF check holds it to the setting.
const MAX_APPEAL_BODY: usize = 3 * 20 * 1024 * 1024 + 256 * 1024;

const REQUEST_FIELDS: [(&str, &str); 2] = [("kind", "request-kind"), ("text", "request-text")];
const APPEAL_FIELDS: [(&str, &str); 8] = [
    ("category", "appeal-category"),
    ("text", "appeal-text"),
    ("tax_year", "appeal-tax-year"),
    ("taxpayer", "appeal-taxpayer"),
    ("taxpayer_name", "appeal-taxpayer-name"),
    ("taxpayer_birth_date", "appeal-taxpayer-birth-date"),
    ("taxpayer_relation", "appeal-taxpayer-relation"),
    ("files", "appeal-files"),
];

/// Words for the states and kinds, shared by the cabinet's and staff's templates.
pub fn kind_key(kind: impl Borrow<RequestKind>) -> &'static str {
    match *kind.borrow() {
        RequestKind::Access => "request-kind-access",
        RequestKind::Correction => "request-kind-correction",
        RequestKind::Stop => "request-kind-stop",
        RequestKind::Deletion => "request-kind-deletion",
    }
}

pub fn status_key(status: impl Borrow<RequestStatus>) -> &'static str {
    match *status.borrow() {
        RequestStatus::New => "request-status-new",
        RequestStatus::InProgress => "request-status-in-progress",
        RequestStatus::Extended => "request-status-extended",
        RequestStatus::Answered => "request-status-answered",
        RequestStatus::Refused => "request-status-refused",
    }
}

pub fn category_key(category: impl Borrow<AppealCategory>) -> &'static str {
    match *category.borrow() {
        AppealCategory::TaxCertificate => "appeal-category-tax-certificate",
        AppealCategory::Complaint => "appeal-category-complaint",
        AppealCategory::Gratitude => "appeal-category-gratitude",
        AppealCategory::Question => "appeal-category-question",
        AppealCategory::MedicalCopies => "appeal-category-medical-copies",
        AppealCategory::Other => "appeal-category-other",
    }
}

pub fn appeal_status_key(status: impl Borrow<AppealStatus>) -> &'static str {
    match *status.borrow() {
        AppealStatus::New => "request-status-new",
        AppealStatus::InProgress => "request-status-in-progress",
        AppealStatus::Answered => "request-status-answered",
    }
}

/// «16 декабря 2026» of a stored `YYYY-MM-DD`.
pub fn day(c: &Chrome, day: &str) -> String {
    day.parse::<Date>().map_or_else(|_| day.to_owned(), |d| c.t.date(&d))
}

/// The details of a tax certificate, as lines for people.
pub fn tax_lines(c: &Chrome, details: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(details) else { return Vec::new() };
    let mut lines = Vec::new();
    if let Some(year) = v["tax_year"].as_i64() {
        lines.push(c.t.a("appeal-tax-year-line", "year", year.to_string()));
    }
    match v["taxpayer"].as_str() {
        Some("self") => lines.push(c.t.s("appeal-taxpayer-self-line")),
        Some("relative") => {
            let name = v["taxpayer_name"].as_str().unwrap_or_default();
            let birth = day(c, v["taxpayer_birth_date"].as_str().unwrap_or_default());
            let relation = v["taxpayer_relation"].as_str().unwrap_or_default();
            lines.push(format!(
                "{}: {name}, {birth}, {relation}",
                c.t.s("appeal-taxpayer-relative")
            ));
        }
        _ => {}
    }
    lines
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_requests.html")]
struct ListTemplate {
    c: Chrome,
    f: CabinetFrame,
    requests: Vec<SubjectRequest>,
    appeals: Vec<Appeal>,
    done: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_request_new.html")]
struct RequestFormTemplate {
    c: Chrome,
    f: CabinetFrame,
    form: RequestForm,
    errors: FieldErrors,
    links: Vec<ErrorLink>,
    problem: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_request.html")]
struct RequestTemplate {
    c: Chrome,
    f: CabinetFrame,
    r: SubjectRequest,
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_appeal_new.html")]
struct AppealFormTemplate {
    c: Chrome,
    f: CabinetFrame,
    form: AppealForm,
    errors: FieldErrors,
    links: Vec<ErrorLink>,
    max_kb: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_appeal.html")]
struct AppealTemplate {
    c: Chrome,
    f: CabinetFrame,
    a: Appeal,
    files: Vec<FileInfo>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_export.html")]
struct ExportTemplate {
    c: Chrome,
    f: CabinetFrame,
    d: DataCopy,
}

impl ListTemplate {
    fn day(&self, d: &str) -> String {
        day(&self.c, d)
    }
}
impl RequestTemplate {
    fn day(&self, d: &str) -> String {
        day(&self.c, d)
    }
    fn withdrawn_key(&self) -> &'static str {
        match self.r.withdrawn_consent {
            Some(WithdrawableConsent::HealthData) => "request-consent-health-data",
            _ => "request-consent-personal-data",
        }
    }
}
impl AppealTemplate {
    fn day(&self, d: &str) -> String {
        day(&self.c, d)
    }
    fn tax(&self) -> Vec<String> {
        tax_lines(&self.c, &self.a.details)
    }
    fn kb(&self, size: &i64) -> i64 {
        (size + 1023) / 1024
    }
}
impl ExportTemplate {
    fn day(&self, d: &str) -> String {
        day(&self.c, d)
    }
    fn when(&self, secs: &i64) -> String {
        self.c.t.moment(secs)
    }
    /// A consent's kind, a visit's status, an actor: their words (`export-*-<name>`).
    fn word(&self, prefix: &str, name: &str) -> String {
        self.c.t.s(&format!("export-{prefix}-{}", name.replace('_', "-")))
    }
    fn action(&self, action: &kabinet_core::audit::AuditAction) -> String {
        self.c.t.s(&super::staff::audit_action_key(*action))
    }
}
impl AppealFormTemplate {
    fn chosen(&self, value: &str) -> bool {
        self.form.category == value
    }
}
impl RequestFormTemplate {
    fn chosen(&self, value: &str) -> bool {
        self.form.kind == value
    }
    /// The consent's words, when one is withdrawn with the request.
    fn consent_key(&self) -> &'static str {
        match self.form.consent.as_str() {
            "personal_data" => "request-consent-personal-data",
            "health_data" => "request-consent-health-data",
            _ => "",
        }
    }
}

/// The subject request form, as typed (and as a link fills it in).
#[derive(Debug, Default, Clone, Deserialize)]
struct RequestForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    /// The consent withdrawn with it (`personal_data`, `health_data`).
    #[serde(default)]
    consent: String,
}

#[derive(Default, Deserialize)]
struct DoneParam {
    done: Option<String>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/cabinet/requests", get(list_requests).post(create_request))
        .route("/cabinet/requests/new", get(show_request_form))
        .route("/cabinet/requests/{id}", get(show_request))
        .route(
            "/cabinet/appeals",
            post(create_appeal).layer(DefaultBodyLimit::max(MAX_APPEAL_BODY)),
        )
        .route("/cabinet/appeals/new", get(show_appeal_form))
        .route("/cabinet/appeals/{id}", get(show_appeal))
        .route("/cabinet/files/{name}", get(show_file))
        .route("/cabinet/export", get(show_export))
        .route("/cabinet/export.json", get(show_export_json))
}

async fn list_requests(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Query(q): Query<DoneParam>,
) -> Result<Response, PageError> {
    let f = CabinetFrame::of(&state, &patient, "requests").await?;
    let requests = state.kabinet.my_subject_requests(&patient).await?;
    let appeals = state.kabinet.my_appeals(&patient).await?;
    let done = match q.done.as_deref() {
        Some("request") => "request-done",
        Some("appeal") => "appeal-done",
        _ => "",
    };
    Ok(([NO_STORE], ListTemplate { c, f, requests, appeals, done }).into_response())
}

async fn request_form(
    state: &AppState,
    c: Chrome,
    patient: &Patient,
    form: RequestForm,
    errors: FieldErrors,
    problem: &'static str,
) -> Result<RequestFormTemplate, PageError> {
    let f = CabinetFrame::of(state, patient, "requests").await?;
    let links = error_links(&c.t, &errors, REQUEST_FIELDS);
    Ok(RequestFormTemplate { c, f, form, errors, links, problem })
}

async fn show_request_form(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Query(mut form): Query<RequestForm>,
) -> Result<Response, PageError> {
    if !matches!(form.consent.as_str(), "personal_data" | "health_data") {
        form.consent.clear();
    } else if form.kind.is_empty() {
        form.kind = "deletion".into();
    }
    let page = request_form(&state, c, &patient, form, FieldErrors::default(), "").await?;
    Ok(([NO_STORE], page).into_response())
}

async fn create_request(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Form(form): Form<RequestForm>,
) -> Result<Response, PageError> {
    let withdraw = Some(form.consent.as_str()).filter(|c| !c.is_empty());
    let result = state
        .kabinet
        .file_subject_request(&patient, &form.kind, &form.text, withdraw, &origin)
        .await;
    let (status, errors, problem) = match result {
        Ok(_) => return Ok(Redirect::to("/cabinet/requests?done=request").into_response()),
        Err(Error::Validation(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors, "error-validation")
        }
        Err(e) => (status_of(&e), FieldErrors::default(), refusal_message(&e).ok_or(e)?),
    };
    let page = request_form(&state, c, &patient, form, errors, problem).await?;
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_request(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = state.kabinet.my_subject_request(&patient, id).await?;
    let f = CabinetFrame::of(&state, &patient, "requests").await?;
    Ok(([NO_STORE], RequestTemplate { c, f, r }).into_response())
}

async fn show_appeal_form(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Query(form): Query<AppealForm>,
) -> Result<Response, PageError> {
    let f = CabinetFrame::of(&state, &patient, "requests").await?;
    let max_kb = i64::from(state.kabinet.settings.attachment_max_kb);
    let page =
        AppealFormTemplate { c, f, form, errors: FieldErrors::default(), links: vec![], max_kb };
    Ok(([NO_STORE], page).into_response())
}

/// The appeal form's fields and files (the token was checked before).
async fn read_appeal(multipart: &mut Multipart) -> (AppealForm, Vec<Upload>) {
    let mut form = AppealForm::default();
    let mut files = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" {
            if let Ok(bytes) = field.bytes().await
                && !bytes.is_empty()
            {
                files.push(Upload { bytes: bytes.to_vec() });
            }
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "category" => form.category = text,
            "text" => form.text = text,
            "tax_year" => form.tax_year = text,
            "taxpayer" => form.taxpayer = text,
            "taxpayer_name" => form.taxpayer_name = text,
            "taxpayer_birth_date" => form.taxpayer_birth_date = text,
            "taxpayer_relation" => form.taxpayer_relation = text,
            _ => {}
        }
    }
    (form, files)
}

async fn create_appeal(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let (form, files) = read_appeal(&mut multipart).await;
    let errors = match state.kabinet.file_appeal(&patient, &form, &files, &origin).await {
        Ok(_) => return Ok(Redirect::to("/cabinet/requests?done=appeal").into_response()),
        Err(Error::Validation(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let f = CabinetFrame::of(&state, &patient, "requests").await?;
    let links = error_links(&c.t, &errors, APPEAL_FIELDS);
    let max_kb = i64::from(state.kabinet.settings.attachment_max_kb);
    let page = AppealFormTemplate { c, f, form, errors, links, max_kb };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page).into_response())
}

async fn show_appeal(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let found = state.kabinet.my_appeal(&patient, id).await?;
    let f = CabinetFrame::of(&state, &patient, "requests").await?;
    let page = AppealTemplate { c, f, a: found.appeal, files: found.files };
    Ok(([NO_STORE], page).into_response())
}

async fn show_file(
    State(state): State<AppState>,
    CabinetPatient(patient): CabinetPatient,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let (content_type, bytes) = state.kabinet.my_file(&patient, &name).await?;
    Ok(super::file_download(&name, &content_type, bytes))
}

async fn show_export(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
) -> Result<Response, PageError> {
    let d = state.kabinet.my_data_copy(&patient, &origin).await?;
    let f = CabinetFrame::of(&state, &patient, "requests").await?;
    Ok(([NO_STORE], ExportTemplate { c, f, d }).into_response())
}

async fn show_export_json(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
) -> Result<Response, PageError> {
    let copy = state.kabinet.my_data_copy(&patient, &origin).await?;
    let json = data_copy_json(&copy, &state.kabinet.settings.time_zone);
    let body = serde_json::to_vec_pretty(&json).unwrap_or_default();
    let headers = [
        (header::CONTENT_TYPE, "application/json; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"my-data.json\""),
        (header::CACHE_CONTROL, "no-store"),
    ];
    Ok((headers, body).into_response())
}

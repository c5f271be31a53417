//! The queue of patients' requests (issue 13, points 3 and 8): subject requests under 152-FZ
//! and written requests, each sorted by due date, overdue ones marked red and those due in two
//! days marked; a request's page with the patient, the text and the actions (answer, extend an
//! access request once, refuse with a reason), a written request's with its files and the
//! answer form (an optional file). Opening either is audited. Also the disclosure register on
//! the patient's card (point 7) and the production calendar's upload (administrator).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::ToSpan;
use jiff::civil::Date;
use kabinet_core::patient::FieldErrors;
use kabinet_core::requests::{AppealStatus, RequestKind};
use kabinet_core::roles::Action;
use kabinet_core::working_days::LineError;
use kabinet_service::Error;
use kabinet_service::files::Upload;
use kabinet_service::model::{Appeal, Disclosure, FileInfo, SubjectRequest};
use kabinet_service::requests::{DisclosureForm, Queue};
use serde::Deserialize;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, refusal_message, status_of};
use crate::pages::NO_STORE;
use crate::pages::requests::{day, tax_lines};
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

const MAX_BODY: usize = 3 * 20 * 1024 * 1024 + 256 * 1024;

#[derive(Template, WebTemplate)]
#[template(path = "staff_subject_requests.html")]
struct QueueTemplate {
    c: Chrome,
    nav: Option<Nav>,
    q: Queue,
    open: bool,
}

impl QueueTemplate {
    fn day(&self, d: &str) -> String {
        day(&self.c, d)
    }
    /// `overdue`, `soon` (due within two days) or empty, for an open item due on `due`.
    fn urgency(&self, due: &str) -> &'static str {
        let Ok(due) = due.parse::<Date>() else { return "" };
        if !self.open {
            ""
        } else if due < self.q.today {
            "overdue"
        } else if due <= self.q.today.saturating_add(2.days()) {
            "soon"
        } else {
            ""
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_subject_request.html")]
struct RequestTemplate {
    c: Chrome,
    nav: Option<Nav>,
    r: SubjectRequest,
    text: String,
    errors: FieldErrors,
    problem: &'static str,
}

impl RequestTemplate {
    fn day(&self, d: &str) -> String {
        day(&self.c, d)
    }
    fn may_extend(&self) -> bool {
        self.r.kind == RequestKind::Access
            && self.r.extension_reason.is_none()
            && self.r.status.is_open()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_appeal.html")]
struct AppealTemplate {
    c: Chrome,
    nav: Option<Nav>,
    a: Appeal,
    files: Vec<FileInfo>,
    text: String,
    errors: FieldErrors,
}

impl AppealTemplate {
    fn day(&self, d: &str) -> String {
        day(&self.c, d)
    }
    fn tax(&self) -> Vec<String> {
        tax_lines(&self.c, &self.a.details)
    }
    fn open(&self) -> bool {
        self.a.status != AppealStatus::Answered
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_disclosures.html")]
struct DisclosuresTemplate {
    c: Chrome,
    nav: Option<Nav>,
    patient_id: i64,
    patient_name: String,
    list: Vec<Disclosure>,
    form: DisclosureForm,
    errors: FieldErrors,
}

impl DisclosuresTemplate {
    fn day(&self, d: &str) -> String {
        day(&self.c, d)
    }
    fn basis_key(&self, basis: &str) -> String {
        format!("export-basis-{}", basis.replace('_', "-"))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_calendar.html")]
struct CalendarTemplate {
    c: Chrome,
    nav: Option<Nav>,
    years: Vec<(i16, bool)>,
    line_errors: Vec<LineError>,
    done: String,
}

#[derive(Default, Deserialize)]
struct QueueQuery {
    state: Option<String>,
}

#[derive(Default, Deserialize)]
struct TextForm {
    #[serde(default)]
    text: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/subject-requests", get(list_requests))
        .route("/staff/subject-requests/{id}", get(show_request))
        .route("/staff/subject-requests/{id}/answer", post(answer_request))
        .route("/staff/subject-requests/{id}/extend", post(extend_request))
        .route("/staff/subject-requests/{id}/refuse", post(refuse_request))
        .route("/staff/appeals/{id}", get(show_appeal))
        .route(
            "/staff/appeals/{id}/answer",
            post(answer_appeal).layer(DefaultBodyLimit::max(MAX_BODY)),
        )
        .route("/staff/files/{name}", get(show_file))
        .route("/staff/patients/{id}/disclosures", get(show_disclosures).post(create_disclosure))
        .route(
            "/staff/calendar",
            get(show_calendar).post(upload_calendar).layer(DefaultBodyLimit::max(MAX_BODY)),
        )
}

async fn list_requests(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Response, PageError> {
    staff.require(Action::HandleSubjectRequests)?;
    let open = q.state.as_deref() != Some("closed");
    let q = state.kabinet.request_queue(&staff.0, open).await?;
    Ok(([NO_STORE], QueueTemplate { c, nav: Nav::of(&staff), q, open }).into_response())
}

async fn request_page(
    state: &AppState,
    (c, staff, origin): (Chrome, &Staff, &kabinet_core::access::Origin),
    id: i64,
    (text, errors, problem): (String, FieldErrors, &'static str),
) -> Result<Response, PageError> {
    let r = state.kabinet.open_subject_request(&staff.0, id, origin).await?;
    let status = if !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if problem.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    let page = RequestTemplate { c, nav: Nav::of(staff), r, text, errors, problem };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_request(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::HandleSubjectRequests)?;
    request_page(&state, (c, &staff, &origin), id, (String::new(), FieldErrors::default(), ""))
        .await
}

/// Which step a form takes.
#[derive(Clone, Copy)]
enum Step {
    Answer,
    Extend,
    Refuse,
}

async fn step(
    state: AppState,
    (c, staff, origin): (Chrome, Staff, kabinet_core::access::Origin),
    id: i64,
    form: TextForm,
    step: Step,
) -> Result<Response, PageError> {
    staff.require(Action::HandleSubjectRequests)?;
    let k = &state.kabinet;
    let result = match step {
        Step::Answer => k.answer_subject_request(&staff.0, id, &form.text, &origin).await,
        Step::Extend => k.extend_subject_request(&staff.0, id, &form.text, &origin).await,
        Step::Refuse => k.refuse_subject_request(&staff.0, id, &form.text, &origin).await,
    };
    let (errors, problem) = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/staff/subject-requests/{id}")).into_response()),
        Err(Error::Validation(errors)) => (errors, ""),
        Err(e) => {
            let _ = status_of(&e);
            (FieldErrors::default(), refusal_message(&e).ok_or(e)?)
        }
    };
    request_page(&state, (c, &staff, &origin), id, (form.text, errors, problem)).await
}

async fn answer_request(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> Result<Response, PageError> {
    step(state, (c, staff, origin), id, form, Step::Answer).await
}

async fn extend_request(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> Result<Response, PageError> {
    step(state, (c, staff, origin), id, form, Step::Extend).await
}

async fn refuse_request(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> Result<Response, PageError> {
    step(state, (c, staff, origin), id, form, Step::Refuse).await
}

async fn appeal_page(
    state: &AppState,
    (c, staff, origin): (Chrome, &Staff, &kabinet_core::access::Origin),
    id: i64,
    (text, errors): (String, FieldErrors),
) -> Result<Response, PageError> {
    let found = state.kabinet.open_appeal(&staff.0, id, origin).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = AppealTemplate {
        c,
        nav: Nav::of(staff),
        a: found.appeal,
        files: found.files,
        text,
        errors,
    };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_appeal(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::HandleSubjectRequests)?;
    appeal_page(&state, (c, &staff, &origin), id, (String::new(), FieldErrors::default())).await
}

async fn answer_appeal(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    staff.require(Action::HandleSubjectRequests)?;
    let (mut text, mut file) = (String::new(), None);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("text") => text = field.text().await.unwrap_or_default(),
            Some("file") => {
                file = field.bytes().await.ok().map(|b| Upload { bytes: b.to_vec() });
            }
            _ => {}
        }
    }
    let k = &state.kabinet;
    match k.answer_appeal(&staff.0, id, &text, file.as_ref(), &origin).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/appeals/{id}")).into_response()),
        Err(Error::Validation(errors)) => {
            appeal_page(&state, (c, &staff, &origin), id, (text, errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn show_file(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    staff.require(Action::HandleSubjectRequests)?;
    let (content_type, bytes) = state.kabinet.staff_file(&staff.0, &name, &origin).await?;
    Ok(crate::pages::file_download(&name, &content_type, bytes))
}

async fn disclosures_page(
    state: &AppState,
    (c, staff, origin): (Chrome, &Staff, &kabinet_core::access::Origin),
    patient_id: i64,
    (form, errors): (DisclosureForm, FieldErrors),
) -> Result<Response, PageError> {
    let k = &state.kabinet;
    let p = k.patient_record(&staff.0, patient_id, origin).await?;
    let list = k.disclosures_of(&staff.0, patient_id).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = DisclosuresTemplate {
        c,
        nav: Nav::of(staff),
        patient_id,
        patient_name: p.full_name(),
        list,
        form,
        errors,
    };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_disclosures(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::RecordDisclosures)?;
    let form =
        DisclosureForm { disclosed_on: state.kabinet.today().to_string(), ..Default::default() };
    disclosures_page(&state, (c, &staff, &origin), id, (form, FieldErrors::default())).await
}

async fn create_disclosure(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<DisclosureForm>,
) -> Result<Response, PageError> {
    staff.require(Action::RecordDisclosures)?;
    match state.kabinet.record_disclosure(&staff.0, id, &form, &origin).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/patients/{id}#disclosures")).into_response()),
        Err(Error::Validation(errors)) => {
            disclosures_page(&state, (c, &staff, &origin), id, (form, errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Default, Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn show_calendar(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCalendar)?;
    let years = state.kabinet.calendar_years(&staff.0).await?;
    let done = q
        .done
        .filter(|d| d.len() <= 40 && d.chars().all(|c| c.is_ascii_digit() || c == ','))
        .unwrap_or_default();
    let page = CalendarTemplate { c, nav: Nav::of(&staff), years, line_errors: vec![], done };
    Ok(([NO_STORE], page).into_response())
}

async fn upload_calendar(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCalendar)?;
    let mut bytes = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        }
    }
    let line_errors = match state.kabinet.upload_calendar(&staff.0, &bytes, &origin).await? {
        Ok(years) => {
            let list: Vec<String> = years.iter().map(i16::to_string).collect();
            return Ok(
                Redirect::to(&format!("/staff/calendar?done={}", list.join(","))).into_response()
            );
        }
        Err(errors) => errors,
    };
    let years = state.kabinet.calendar_years(&staff.0).await?;
    let page =
        CalendarTemplate { c, nav: Nav::of(&staff), years, line_errors, done: String::new() };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page).into_response())
}

impl RequestTemplate {
    fn csrf(&self) -> &str {
        self.nav.as_ref().map_or("", |n| n.csrf.as_str())
    }
}

impl AppealTemplate {
    fn csrf(&self) -> &str {
        self.nav.as_ref().map_or("", |n| n.csrf.as_str())
    }
}

impl DisclosuresTemplate {
    fn csrf(&self) -> &str {
        self.nav.as_ref().map_or("", |n| n.csrf.as_str())
    }
}

impl CalendarTemplate {
    fn csrf(&self) -> &str {
        self.nav.as_ref().map_or("", |n| n.csrf.as_str())
    }
}

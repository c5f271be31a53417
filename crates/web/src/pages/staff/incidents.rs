//! Incidents with personal data (G5): the administrator's list, the form that records one
//! (with the count of affected patients shown before saving), the incident's page with the
//! deadlines of the two notices to the supervisory authority (red when overdue), the
//! investigation's results, and the notices themselves as printable documents.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use kabinet_core::incident::{AffectedInput, DataCategory, IncidentInput, Notice, Selection};
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::incidents::categories_of;
use kabinet_service::model::IncidentRow;
use serde::Deserialize;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// A notice not sent yet, for the home page and the incident's page.
#[derive(Debug, Clone)]
pub struct DueNotice {
    /// The incident.
    pub id: i64,
    /// The key naming it («Уведомление за 24 часа»).
    pub label: &'static str,
    /// When it is due, Unix seconds.
    pub due: i64,
    /// Whether the deadline passed.
    pub overdue: bool,
}

fn label(notice: Notice) -> &'static str {
    match notice {
        Notice::First => "incident-notice-24",
        Notice::Second => "incident-notice-72",
    }
}

fn due_of(state: &AppState, row: &IncidentRow) -> Vec<DueNotice> {
    let now = state.kabinet.now();
    Notice::ALL
        .iter()
        .filter(|n| row.sent(**n).is_none())
        .map(|n| {
            let due = state.kabinet.notice_due(row, *n);
            DueNotice { id: row.id, label: label(*n), due: due.as_second(), overdue: due < now }
        })
        .collect()
}

/// The notices not sent yet of every incident, for a member who keeps incidents.
pub(super) async fn due_notices(
    state: &AppState,
    staff: &Staff,
) -> Result<Vec<DueNotice>, PageError> {
    if !staff.0.may(Action::ManageIncidents) {
        return Ok(Vec::new());
    }
    let rows = state.kabinet.incidents_with_open_notices(&staff.0).await?;
    Ok(rows.iter().flat_map(|r| due_of(state, r)).collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_incidents.html")]
struct ListTemplate {
    c: Chrome,
    nav: Option<Nav>,
    incidents: Vec<IncidentRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_incident_form.html")]
struct FormTemplate {
    c: Chrome,
    nav: Option<Nav>,
    form: IncidentForm,
    errors: FieldErrors,
    /// The count of patients the selection finds, after «Посчитать».
    preview: Option<i64>,
}

impl FormTemplate {
    fn categories(&self) -> &'static [DataCategory] {
        DataCategory::ALL
    }

    fn category_key(&self, c: &DataCategory) -> String {
        self.c.t.s(&category_key(*c))
    }

    fn checked(&self, c: &DataCategory) -> bool {
        self.form.categories.iter().any(|typed| typed == c.as_str())
    }

    fn selections(&self) -> &'static [Selection] {
        Selection::ALL
    }

    fn selection_key(&self, s: &Selection) -> String {
        self.c.t.s(&format!("incident-selection-{}", s.as_str()))
    }

    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }

    fn preview_text(&self, count: &i64) -> String {
        self.c.t.a("incident-preview", "count", *count)
    }
}

fn category_key(c: DataCategory) -> String {
    format!("incident-category-{}", c.as_str().replace('_', "-"))
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_incident.html")]
struct PageTemplate {
    c: Chrome,
    nav: Option<Nav>,
    i: IncidentRow,
    notices: Vec<NoticeLine>,
    investigation: String,
    responsible: String,
    errors: FieldErrors,
}

/// One notice on the incident's page: due, sent or not, overdue or not.
struct NoticeLine {
    notice: Notice,
    label: &'static str,
    due: i64,
    sent: Option<(i64, String)>,
    overdue: bool,
}

impl PageTemplate {
    fn categories(&self) -> String {
        categories_text(&self.c, &self.i)
    }

    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }

    fn patients(&self) -> String {
        self.c.t.a("incident-patients-count", "count", self.i.patient_count)
    }
}

fn categories_text(c: &Chrome, i: &IncidentRow) -> String {
    categories_of(i).into_iter().map(|cat| c.t.s(&category_key(cat))).collect::<Vec<_>>().join(", ")
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_incident_notice.html")]
struct NoticeTemplate {
    c: Chrome,
    nav: Option<Nav>,
    i: IncidentRow,
    second: bool,
    clinic: String,
    due: i64,
}

impl NoticeTemplate {
    fn categories(&self) -> String {
        categories_text(&self.c, &self.i)
    }

    fn patients(&self) -> String {
        self.c.t.a("incident-patients-count", "count", self.i.patient_count)
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct IncidentForm {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    found_date: String,
    #[serde(default)]
    found_time: String,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    causes: String,
    #[serde(default)]
    harm: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    selection: String,
    #[serde(default)]
    chosen: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// Set by the «Посчитать» button: count, do not save.
    #[serde(default)]
    preview: Option<String>,
}

impl IncidentForm {
    fn affected(&self) -> AffectedInput {
        AffectedInput {
            selection: self.selection.clone(),
            chosen: self.chosen.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }

    fn input(&self) -> IncidentInput {
        IncidentInput {
            summary: self.summary.clone(),
            found_date: self.found_date.clone(),
            found_time: self.found_time.clone(),
            categories: self.categories.clone(),
            causes: self.causes.clone(),
            harm: self.harm.clone(),
            measures: self.measures.clone(),
            contact: self.contact.clone(),
            affected: self.affected(),
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct InvestigationForm {
    #[serde(default)]
    investigation: String,
    #[serde(default)]
    responsible: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/incidents", get(list_incidents).post(create_incident))
        .route("/staff/incidents/new", get(show_new_incident))
        .route("/staff/incidents/{id}", get(show_incident))
        .route("/staff/incidents/{id}/investigation", post(update_investigation))
        .route("/staff/incidents/{id}/notices/{notice}", get(show_notice))
        .route("/staff/incidents/{id}/notices/{notice}/sent", post(mark_notice_sent))
}

async fn list_incidents(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManageIncidents)?;
    let incidents = state.kabinet.incidents(&staff.0).await?;
    let page = ListTemplate { c, nav: Nav::of(&staff), incidents };
    Ok(([NO_STORE], page).into_response())
}

async fn show_new_incident(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManageIncidents)?;
    let now = state.kabinet.now().to_zoned(state.kabinet.settings.time_zone.clone());
    let form = IncidentForm {
        found_date: now.date().to_string(),
        found_time: now.strftime("%H:%M").to_string(),
        selection: "visits".into(),
        ..IncidentForm::default()
    };
    let page = FormTemplate {
        c,
        nav: Nav::of(&staff),
        form,
        errors: FieldErrors::default(),
        preview: None,
    };
    Ok(([NO_STORE], page).into_response())
}

async fn create_incident(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<IncidentForm>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageIncidents)?;
    let k = &state.kabinet;
    let nav = Nav::of(&staff);
    if form.preview.is_some() {
        return Ok(match k.preview_incident_patients(&staff.0, &form.affected()).await {
            Ok(count) => {
                let errors = FieldErrors::default();
                ([NO_STORE], FormTemplate { c, nav, form, errors, preview: Some(count) })
                    .into_response()
            }
            Err(Error::Validation(errors)) => {
                let page = FormTemplate { c, nav, form, errors, preview: None };
                (StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page).into_response()
            }
            Err(other) => return Err(other.into()),
        });
    }
    match k.create_incident(&staff.0, &form.input(), &origin).await {
        Ok(id) => Ok(Redirect::to(&format!("/staff/incidents/{id}")).into_response()),
        Err(Error::Validation(errors)) => {
            let page = FormTemplate { c, nav, form, errors, preview: None };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

async fn incident_page(
    state: &AppState,
    (c, staff): (Chrome, &Staff),
    id: i64,
    (form, errors): (InvestigationForm, FieldErrors),
) -> Result<Response, PageError> {
    let k = &state.kabinet;
    let i = k.incident(&staff.0, id).await?;
    let now = k.now();
    let notices = Notice::ALL
        .iter()
        .map(|n| {
            let due = k.notice_due(&i, *n);
            let sent = i.sent(*n).map(|(at, by)| (at, by.to_owned()));
            let overdue = sent.is_none() && due < now;
            NoticeLine { notice: *n, label: label(*n), due: due.as_second(), sent, overdue }
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let investigation = if form.investigation.is_empty() {
        i.investigation.clone().unwrap_or_default()
    } else {
        form.investigation
    };
    let responsible = if form.responsible.is_empty() {
        i.responsible.clone().unwrap_or_default()
    } else {
        form.responsible
    };
    let page =
        PageTemplate { c, nav: Nav::of(staff), i, notices, investigation, responsible, errors };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_incident(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageIncidents)?;
    let empty = (InvestigationForm::default(), FieldErrors::default());
    incident_page(&state, (c, &staff), id, empty).await
}

async fn update_investigation(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<InvestigationForm>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageIncidents)?;
    let texts = (form.investigation.as_str(), form.responsible.as_str());
    match state.kabinet.record_incident_investigation(&staff.0, id, texts, &origin).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/incidents/{id}")).into_response()),
        Err(Error::Validation(errors)) => {
            incident_page(&state, (c, &staff), id, (form, errors)).await
        }
        Err(other) => Err(other.into()),
    }
}

fn notice_of(text: &str) -> Result<Notice, PageError> {
    text.parse().map_err(|_| PageError::NotFound)
}

async fn show_notice(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Path((id, notice)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageIncidents)?;
    let notice = notice_of(&notice)?;
    let k = &state.kabinet;
    let i = k.incident(&staff.0, id).await?;
    let due = k.notice_due(&i, notice).as_second();
    let clinic = k.settings.clinic_name.clone();
    let page = NoticeTemplate {
        c,
        nav: Nav::of(&staff),
        i,
        second: notice == Notice::Second,
        clinic,
        due,
    };
    Ok(([NO_STORE], page).into_response())
}

async fn mark_notice_sent(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, notice)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageIncidents)?;
    let notice = notice_of(&notice)?;
    state.kabinet.mark_incident_notice_sent(&staff.0, id, notice, &origin).await?;
    Ok(Redirect::to(&format!("/staff/incidents/{id}")).into_response())
}

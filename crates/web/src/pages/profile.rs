//! The cabinet's personal data (K4): the data as the clinic holds it, and a request to change
//! it. A request changes nothing by itself: the registrar completes it after checking the
//! documents in person, or rejects it with a reason, and the patient gets a message.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_core::change_request::ChangeStatus;
use kabinet_core::patient::FieldErrors;
use kabinet_service::Error;
use kabinet_service::accounts::Patient;
use kabinet_service::change_requests::ChangeFields;
use kabinet_service::model::ChangeRequest;
use kabinet_service::model::PatientRecord;
use kabinet_service::representatives::DoneOnBehalf;
use serde::Deserialize;

use super::NO_STORE;
use super::cabinet::CabinetFrame;
use super::error_summary::{ErrorLink, error_links, labels};
use super::patient_form::{FieldView, PatientForm};
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::session::CabinetPatient;

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_profile.html")]
struct ProfileTemplate {
    c: Chrome,
    f: CabinetFrame,
    record: PatientRecord,
    requests: Vec<ChangeRequest>,
    fields: Vec<FieldView>,
    errors: FieldErrors,
    done: bool,
    /// What representatives did on the patient's behalf (a dependent with their own account).
    on_behalf: Vec<DoneOnBehalf>,
}

impl ProfileTemplate {
    /// The summary's headline: the form's own problem (nothing asked) or the fields'.
    fn problem(&self) -> &'static str {
        self.errors.get("fields").unwrap_or("error-validation")
    }

    fn error_links(&self) -> Vec<ErrorLink> {
        error_links(&self.c.t, &self.errors, labels(&self.fields))
    }

    /// «3 февраля 1990», as the date is held.
    fn birth_date(&self) -> String {
        let held = &self.record.birth_date;
        held.parse().map_or_else(|_| held.clone(), |date| self.c.t.date(&date))
    }

    /// «3 декабря 2026, 10:00 — Иванова Анна Петровна: визит записан».
    fn done_line(&self, d: &DoneOnBehalf) -> String {
        let key = format!("audit-action-{}", d.action.as_str().replace(['.', '_'], "-"));
        format!("{} — {}: {}", self.c.t.moment(&d.at), d.representative_name, self.c.t.s(&key))
    }

    fn status_key(request: &ChangeRequest) -> &'static str {
        match request.status {
            ChangeStatus::Pending => "change-status-pending",
            ChangeStatus::Completed => "change-status-completed",
            ChangeStatus::Rejected => "change-status-rejected",
        }
    }

    /// The requested values, as one line.
    fn asked(request: &ChangeRequest) -> String {
        let Ok(v) = request.values() else { return String::new() };
        [v.last_name, v.first_name, v.middle_name, v.birth_date, v.phone, v.email, v.postal_address]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Deserialize)]
struct RequestForm {
    #[serde(flatten)]
    fields: ChangeFields,
}

#[derive(Default, Deserialize)]
struct DoneParam {
    done: Option<String>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/cabinet/profile", get(show_profile))
        .route("/cabinet/profile/requests", post(create_change_request))
}

/// The empty (or as typed) request form: every field optional.
fn request_fields(typed: &ChangeFields) -> Vec<FieldView> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let form = PatientForm {
        last_name: text(&typed.last_name),
        first_name: text(&typed.first_name),
        middle_name: text(&typed.middle_name),
        birth_date: text(&typed.birth_date),
        phone: text(&typed.phone),
        email: text(&typed.email),
        postal_address: text(&typed.postal_address),
    };
    let mut fields = form.fields(true);
    fields.push(form.postal_address_field());
    for field in &mut fields {
        field.required = false;
    }
    fields
}

async fn page(
    state: &AppState,
    c: Chrome,
    patient: &Patient,
    typed: &ChangeFields,
    errors: FieldErrors,
    done: bool,
) -> Result<ProfileTemplate, PageError> {
    let f = CabinetFrame::of(state, patient, "profile").await?;
    let record = state.kabinet.my_record(patient).await?;
    let requests = state.kabinet.change_requests_of(patient.account.patient_id).await?;
    let fields = request_fields(typed);
    let (_, on_behalf) = state.kabinet.my_representatives(patient).await?;
    Ok(ProfileTemplate { c, f, record, requests, fields, errors, done, on_behalf })
}

async fn show_profile(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Query(q): Query<DoneParam>,
) -> Result<Response, PageError> {
    let done = q.done.as_deref() == Some("requested");
    let page =
        page(&state, c, &patient, &ChangeFields::default(), FieldErrors::default(), done).await?;
    Ok(([NO_STORE], page).into_response())
}

async fn create_change_request(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Form(form): Form<RequestForm>,
) -> Result<Response, PageError> {
    let errors = match state.kabinet.request_my_change(&patient, &form.fields, &origin).await {
        Ok(_) => return Ok(Redirect::to("/cabinet/profile?done=requested").into_response()),
        Err(Error::Validation(errors)) => errors,
        Err(other) => return Err(other.into()),
    };
    let page = page(&state, c, &patient, &form.fields, errors, false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page).into_response())
}

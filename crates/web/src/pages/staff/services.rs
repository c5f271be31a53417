//! The administrator's services: every service by group (hidden ones marked), and a form to
//! add or change one — code, group, names, kind, length, its own online discount and the
//! specialists who provide it; a service is hidden, never deleted, so the visits that name it
//! keep it. Prices change by price lists. Who may is the roles table
//! (`Action::ManagePrices`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use kabinet_core::access::Origin;
use kabinet_core::catalog::ServiceKind;
use kabinet_core::patient::FieldErrors;
use kabinet_core::pricing::Money;
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::model::ServiceRecord;
use kabinet_service::services::{ServiceChoices, ServiceInput, ServiceSheet};

use super::{Nav, TextField};
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::pages::error_summary::{ErrorLink, error_links};
use crate::pages::specialists::kind_heading;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

#[derive(Template, WebTemplate)]
#[template(path = "staff_services.html")]
struct ListTemplate {
    c: Chrome,
    nav: Option<Nav>,
    sheet: ServiceSheet,
}

impl ListTemplate {
    fn in_group(&self, group_id: &i64) -> Vec<&ServiceRecord> {
        self.sheet.services.iter().filter(|s| s.group_id == *group_id).collect()
    }

    fn kind_name(&self, kind: &ServiceKind) -> String {
        self.c.t.s(kind_heading(*kind))
    }

    fn money(&self, kopecks: &i64) -> String {
        Money(*kopecks).display()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_service.html")]
struct FormTemplate {
    c: Chrome,
    nav: Option<Nav>,
    /// The service changed; none for a new one.
    record: Option<ServiceRecord>,
    choices: ServiceChoices,
    form: ServiceInput,
    errors: FieldErrors,
    kinds: &'static [ServiceKind],
}

impl FormTemplate {
    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }

    fn kind_name(&self, kind: &ServiceKind) -> String {
        self.c.t.s(kind_heading(*kind))
    }

    fn text_fields(&self) -> Vec<TextField> {
        let f = &self.form;
        vec![
            TextField::required("code", "staff-prices-col-code", "text", &f.code),
            TextField::required("name", "staff-prices-col-name", "text", &f.name),
            TextField::optional("name_en", "staff-services-name-en", "text", &f.name_en),
            TextField::required(
                "duration_minutes",
                "staff-services-duration",
                "text",
                &f.duration_minutes,
            ),
            TextField::optional(
                "online_discount_percent",
                "staff-services-online",
                "text",
                &f.online_discount_percent,
            ),
        ]
    }

    /// The summary's lines: each field with a problem, «Label: message», linked to it.
    fn error_links(&self) -> Vec<ErrorLink> {
        let mut fields: Vec<(&'static str, &'static str)> =
            self.text_fields().iter().map(|f| (f.name, f.label)).collect();
        fields.extend([
            ("price", "staff-services-price"),
            ("group_id", "staff-services-group"),
            ("kind", "staff-services-kind"),
        ]);
        error_links(&self.c.t, &self.errors, fields)
    }

    fn provides(&self, id: &i64) -> bool {
        self.form.specialists.iter().any(|s| *s == id.to_string())
    }

    fn action(&self) -> String {
        match &self.record {
            Some(r) => format!("/staff/services/{}", r.id),
            None => "/staff/services".to_owned(),
        }
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/services", get(list_services).post(create_service))
        .route("/staff/services/new", get(new_service))
        .route("/staff/services/{id}", get(show_service).post(update_service))
        .route("/staff/services/{id}/archive", post(archive_service))
        .route("/staff/services/{id}/restore", post(restore_service))
}

async fn list_services(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    let sheet = state.kabinet.service_sheet(&staff.0, c.t.lang).await?;
    let page = ListTemplate { c, nav: Nav::of(&staff), sheet };
    Ok(([NO_STORE], page).into_response())
}

async fn form_page(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    record: Option<ServiceRecord>,
    form: ServiceInput,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let choices = state.kabinet.service_choices(&staff.0, c.t.lang).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let kinds = ServiceKind::ALL;
    let page = FormTemplate { c, nav: Nav::of(staff), record, choices, form, errors, kinds };
    Ok((status, [NO_STORE], page).into_response())
}

async fn new_service(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    let form = ServiceInput {
        kind: ServiceKind::Consultation.as_str().into(),
        duration_minutes: "30".into(),
        ..ServiceInput::default()
    };
    form_page(&state, c, &staff, None, form, FieldErrors::default()).await
}

async fn show_service(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    let (record, who) = state.kabinet.service_record(&staff.0, id).await?;
    let form = ServiceInput::of(&record, &who);
    form_page(&state, c, &staff, Some(record), form, FieldErrors::default()).await
}

async fn create_service(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<ServiceInput>,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    match state.kabinet.save_service(&staff.0, None, &form, &origin).await {
        Ok(_) => Ok(Redirect::to("/staff/services").into_response()),
        Err(Error::Validation(errors)) => form_page(&state, c, &staff, None, form, errors).await,
        Err(other) => Err(other.into()),
    }
}

async fn update_service(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<ServiceInput>,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    match state.kabinet.save_service(&staff.0, Some(id), &form, &origin).await {
        Ok(_) => Ok(Redirect::to("/staff/services").into_response()),
        Err(Error::Validation(errors)) => {
            let (record, _) = state.kabinet.service_record(&staff.0, id).await?;
            form_page(&state, c, &staff, Some(record), form, errors).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn archive_service(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_archived(&state, &staff, &origin, id, true).await
}

async fn restore_service(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_archived(&state, &staff, &origin, id, false).await
}

async fn set_archived(
    state: &AppState,
    staff: &Staff,
    origin: &Origin,
    id: i64,
    archived: bool,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    state.kabinet.set_service_archived(&staff.0, id, archived, origin).await?;
    Ok(Redirect::to(&format!("/staff/services/{id}")).into_response())
}

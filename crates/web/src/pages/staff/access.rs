//! Confirmed access (A2, A9): the form for a patient who signed the rules on paper — a new
//! patient, or a known one (a one-time booking, or a self-registration to upgrade) — and the
//! printable sheet with the portal address, login and one-time password. The sheet is the
//! answer to the POST itself: the password is never in a URL, a log or the database in clear,
//! and nobody can open it again.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kabinet_core::consent::DocumentKind;
use kabinet_core::patient::{FieldErrors, PatientInput};
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::model::PatientRecord;
use kabinet_service::registrar::{AccessRequest, IssuedAccess};
use serde::Deserialize;

use super::Nav;
use super::patients::card_page;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::pages::error_summary::{ErrorLink, error_links, labels};
use crate::pages::patient_form::{FieldView, PatientForm};
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// The access form as typed; every field comes back on an error.
#[derive(Debug, Default, Clone, Deserialize)]
pub(super) struct AccessForm {
    /// A known patient's id, or empty for a new patient.
    #[serde(default)]
    patient: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    middle_name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    card_number: String,
    #[serde(default)]
    rules_version: String,
    #[serde(default)]
    paper_reference: String,
    /// The consents signed on paper besides the rules, each ticked apart (G1).
    paper_personal_data: Option<String>,
    paper_health_data: Option<String>,
    paper_calls: Option<String>,
    paper_advertising: Option<String>,
}

impl AccessForm {
    /// The paper consents ticked: (field, label key, ticked).
    fn paper_consents(&self) -> [(&'static str, &'static str, bool); 4] {
        [
            (
                "paper_personal_data",
                "consents-purpose-personal-data",
                self.paper_personal_data.is_some(),
            ),
            ("paper_health_data", "consents-purpose-health-data", self.paper_health_data.is_some()),
            ("paper_calls", "consents-purpose-calls", self.paper_calls.is_some()),
            ("paper_advertising", "consents-purpose-advertising", self.paper_advertising.is_some()),
        ]
    }

    /// The paper consents ticked, as kinds.
    fn paper_kinds(&self) -> Vec<kabinet_core::consent::ConsentKind> {
        use kabinet_core::consent::ConsentKind;
        let kinds = [
            ConsentKind::PersonalData,
            ConsentKind::HealthData,
            ConsentKind::Calls,
            ConsentKind::Advertising,
        ];
        kinds
            .into_iter()
            .zip(self.paper_consents())
            .filter(|(_, (_, _, on))| *on)
            .map(|(k, _)| k)
            .collect()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_access.html")]
struct AccessTemplate {
    c: Chrome,
    nav: Option<Nav>,
    record: Option<PatientRecord>,
    form: AccessForm,
    patient_fields: Vec<FieldView>,
    access_fields: Vec<FieldView>,
    errors: FieldErrors,
}

impl AccessTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        let fields = labels(&self.patient_fields).chain(labels(&self.access_fields));
        error_links(&self.c.t, &self.errors, fields)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_sheet.html")]
struct SheetTemplate {
    c: Chrome,
    nav: Option<Nav>,
    issued: IssuedAccess,
    portal: String,
}

#[derive(Debug, Default, Deserialize)]
struct NewQuery {
    patient: Option<i64>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/access/new", get(show_access_form))
        .route("/staff/access", post(create_access))
}

impl AccessForm {
    fn fields(&self, with_login: bool) -> (Vec<FieldView>, Vec<FieldView>) {
        let f = |name, label, kind, value: &String| FieldView::new(name, label, kind, value, true);
        let patient = PatientForm {
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            middle_name: self.middle_name.clone(),
            birth_date: self.birth_date.clone(),
            phone: self.phone.clone(),
            email: String::new(),
            postal_address: String::new(),
        };
        let mut access = Vec::new();
        if with_login {
            access.push(f("login", "staff-field-patient-login", "email", &self.login));
        }
        access.push(f("card_number", "staff-field-card-number", "text", &self.card_number));
        access.push(f("rules_version", "staff-field-rules-version", "number", &self.rules_version));
        access.push(f(
            "paper_reference",
            "staff-field-paper-reference",
            "text",
            &self.paper_reference,
        ));
        let mut patient = patient.fields(false);
        // The registrar types someone else's data: the browser must not offer their own.
        for field in &mut patient {
            field.autocomplete = "off";
        }
        (patient, access)
    }
}

async fn access_form_page(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    record: Option<PatientRecord>,
    mut form: AccessForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    if form.rules_version.is_empty() {
        let rules = state.kabinet.document_version(DocumentKind::Rules).await?;
        form.rules_version = rules.to_string();
    }
    let with_login = record.as_ref().is_none_or(|r| r.login.is_none());
    let (patient_fields, access_fields) = form.fields(with_login);
    let page = AccessTemplate {
        c,
        nav: Nav::of(staff),
        record,
        form,
        patient_fields,
        access_fields,
        errors,
    };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_access_form(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    staff.require(Action::IssueAccess)?;
    let record = match q.patient {
        Some(id) => Some(state.kabinet.patient_record(&staff.0, id, &origin).await?),
        None => None,
    };
    let form = AccessForm {
        patient: q.patient.map(|id| id.to_string()).unwrap_or_default(),
        ..AccessForm::default()
    };
    access_form_page(&state, c, &staff, record, form, FieldErrors::default(), StatusCode::OK).await
}

async fn create_access(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<AccessForm>,
) -> Result<Response, PageError> {
    staff.require(Action::IssueAccess)?;
    let patient_id = match form.patient.trim() {
        "" => None,
        id => Some(id.parse::<i64>().map_err(|_| PageError::NotFound)?),
    };
    let request = AccessRequest {
        patient_id,
        patient: PatientInput {
            last_name: form.last_name.clone(),
            first_name: form.first_name.clone(),
            middle_name: Some(form.middle_name.clone()),
            birth_date: form.birth_date.clone(),
            phone: form.phone.clone(),
            email: None,
            postal_address: None,
        },
        login: form.login.clone(),
        card_number: form.card_number.clone(),
        rules_version: form.rules_version.clone(),
        paper_reference: form.paper_reference.clone(),
        paper_consents: form.paper_kinds(),
    };
    match state.kabinet.confirm_access(&staff.0, &request, &origin).await {
        Ok(issued) => Ok(sheet(&state, c, &staff, issued)),
        Err(Error::Validation(errors)) => {
            let record = match patient_id {
                Some(id) => Some(state.kabinet.patient_record(&staff.0, id, &origin).await?),
                None => None,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            access_form_page(&state, c, &staff, record, form, errors, status).await
        }
        Err(Error::Forbidden) => match patient_id {
            Some(id) => {
                card_page(&state, (c, &origin), &staff, id, Some("staff-access-refused")).await
            }
            None => Err(PageError::Forbidden),
        },
        Err(other) => Err(other.into()),
    }
}

/// The printable sheet of a one-time password: shown once, never stored, never cached.
pub(super) fn sheet(state: &AppState, c: Chrome, staff: &Staff, issued: IssuedAccess) -> Response {
    let portal = format!("{}/login", state.kabinet.settings.public_url.trim_end_matches('/'));
    let page = SheetTemplate { c, nav: Nav::of(staff), issued, portal };
    ([NO_STORE], page).into_response()
}

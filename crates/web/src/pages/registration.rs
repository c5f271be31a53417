//! Self-registration in the browser (A1): the form, then a page that asks to open the link
//! in the e-mail. A login that is taken gets the same page (and its owner a letter), so the
//! form does not tell who is registered.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use kabinet_core::patient::FieldErrors;
use kabinet_service::Error;
use kabinet_service::accounts::RegistrationRequest;
use serde::Deserialize;

use super::NO_STORE;
use super::patient_form::{FieldView, PatientForm};
use super::sign_in::NewPasswordForm;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::request::ClientOrigin;
use crate::routes::Routes;

#[derive(Default, Deserialize)]
struct RegistrationForm {
    #[serde(flatten)]
    patient: PatientForm,
    #[serde(default)]
    login: String,
    #[serde(flatten)]
    password: NewPasswordForm,
    consent_personal_data: Option<String>,
    consent_calls: Option<String>,
    accept_rules: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "register.html")]
struct RegisterTemplate {
    c: Chrome,
    form: RegistrationForm,
    fields: Vec<FieldView>,
    errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "register_sent.html")]
struct SentTemplate {
    c: Chrome,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/register", get(show_registration_form).post(create_registration))
        .route("/register/sent", get(|c: Chrome| async { SentTemplate { c } }))
}

fn page(c: Chrome, form: RegistrationForm, errors: FieldErrors) -> RegisterTemplate {
    RegisterTemplate { c, fields: form.patient.fields(false), form, errors }
}

async fn show_registration_form(c: Chrome) -> Response {
    ([NO_STORE], page(c, RegistrationForm::default(), FieldErrors::default())).into_response()
}

async fn create_registration(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<RegistrationForm>,
) -> Result<Response, PageError> {
    let request = RegistrationRequest {
        login: form.login.clone(),
        password: form.password.password.clone(),
        patient: form.patient.input(),
        consent_personal_data: form.consent_personal_data.is_some(),
        consent_calls: form.consent_calls.is_some(),
        accept_rules: form.accept_rules.is_some(),
        origin,
    };
    let mut errors = match form.password.mismatch() {
        Some(errors) => errors,
        None => match state.kabinet.register(request).await {
            Ok(()) => return Ok(Redirect::to("/register/sent").into_response()),
            Err(Error::Validation(errors)) => errors,
            Err(other) => return Err(other.into()),
        },
    };
    // The service checks the e-mail twice, as the login and as the patient's address; on
    // this form they are one field.
    errors.0.retain(|e| e.field != "email");
    Ok((StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page(c, form, errors)).into_response())
}

//! Self-registration in the browser (A1): the form, then a page that asks to open the link
//! in the e-mail. A login that is taken gets the same page (and its owner a letter), so the
//! form does not tell who is registered.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_core::patient::FieldErrors;
use kabinet_service::Error;
use kabinet_service::accounts::RegistrationRequest;
use serde::Deserialize;

use super::NO_STORE;
use super::error_summary::{ErrorLink, NEW_PASSWORD, error_links, labels};
use super::patient_form::{FieldView, PatientForm};
use super::sign_in::NewPasswordForm;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, status_of};
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
    consent_health_data: Option<String>,
    consent_calls: Option<String>,
    consent_advertising: Option<String>,
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

impl RegisterTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        let account = [("login", "field-login")].into_iter().chain(NEW_PASSWORD);
        let consents = [
            ("consent_personal_data", "consents-legend"),
            ("consent_health_data", "consents-legend"),
            ("accept_rules", "consents-legend"),
        ];
        let fields = labels(&self.fields).chain(account).chain(consents);
        error_links(&self.c.t, &self.errors, fields)
    }
}

/// The page that asks to open the letter, with a form that sends the link again.
#[derive(Template, WebTemplate)]
#[template(path = "register_sent.html")]
struct SentTemplate {
    c: Chrome,
    login: String,
    resent: bool,
    problem: &'static str,
    errors: FieldErrors,
}

#[derive(Default, Deserialize)]
struct ResendForm {
    #[serde(default)]
    login: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/register", get(show_registration_form).post(create_registration))
        .route("/register/sent", get(show_sent))
        .route("/account/confirm/resend", post(resend_confirmation))
}

async fn show_sent(c: Chrome) -> SentTemplate {
    SentTemplate {
        c,
        login: String::new(),
        resent: false,
        problem: "",
        errors: FieldErrors::default(),
    }
}

/// Sends the confirmation link again; the same answer whether or not the login exists.
async fn resend_confirmation(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<ResendForm>,
) -> Result<Response, PageError> {
    let page = |resent, problem| SentTemplate {
        c,
        login: form.login.clone(),
        resent,
        problem,
        errors: FieldErrors::default(),
    };
    match state.kabinet.resend_confirmation(&form.login, &origin).await {
        Ok(()) => Ok(([NO_STORE], page(true, "")).into_response()),
        Err(error @ Error::RateLimited { .. }) => {
            let mut response =
                (status_of(&error), [NO_STORE], page(false, error.message_key())).into_response();
            if let Some(seconds) = error.retry_after() {
                response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
            }
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

fn page(c: Chrome, form: RegistrationForm, errors: FieldErrors) -> RegisterTemplate {
    let mut fields = form.patient.fields(false);
    fields.push(form.patient.postal_address_field());
    RegisterTemplate { c, fields, form, errors }
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
        consent_health_data: form.consent_health_data.is_some(),
        consent_calls: form.consent_calls.is_some(),
        consent_advertising: form.consent_advertising.is_some(),
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

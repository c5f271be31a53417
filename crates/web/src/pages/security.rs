//! The cabinet's security page (A6, K7): the live sessions, signing out everywhere, the
//! password change, and the report of lost or compromised credentials.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use kabinet_core::patient::FieldErrors;
use kabinet_service::Error;
use kabinet_service::accounts::Patient;
use kabinet_service::model::Session;
use serde::Deserialize;

use super::NO_STORE;
use super::cabinet::CabinetFrame;
use super::error_summary::{ErrorLink, NEW_PASSWORD, error_links};
use super::sign_in::NewPasswordForm;
use crate::AppState;
use crate::chrome::Chrome;
use crate::device;
use crate::error::PageError;
use crate::request::{ClientOrigin, UserAgent};
use crate::routes::Routes;
use crate::session::{CabinetPatient, expired_session_cookie, session_cookie};

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_security.html")]
struct SecurityTemplate {
    c: Chrome,
    f: CabinetFrame,
    sessions: Vec<Session>,
    this_session: String,
    errors: FieldErrors,
    /// What was just done here (another session ended).
    done: &'static str,
}

impl SecurityTemplate {
    /// The device of a session as people name it: «Chrome на Linux».
    fn device(&self, session: &Session) -> String {
        let t = &self.c.t;
        let found = device::parse(session.user_agent.as_deref().unwrap_or_default());
        let browser = found.browser.map(|b| b.name(t.lang).to_owned());
        match (browser, found.os) {
            (Some(browser), None) => browser,
            (None, None) => t.s("security-device-unknown"),
            (browser, Some(os)) => {
                let browser = browser.unwrap_or_else(|| t.s("security-browser-unknown"));
                t.args("security-device", [("browser", browser.into()), ("os", os.name().into())])
            }
        }
    }
}

#[derive(Deserialize)]
struct SessionForm {
    /// The session to end, by its token's hash as the page lists it.
    #[serde(default)]
    session: String,
}

#[derive(Default, Deserialize)]
struct DoneParam {
    done: Option<String>,
}

impl SecurityTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        let fields =
            [("current_password", "field-current-password")].into_iter().chain(NEW_PASSWORD);
        error_links(&self.c.t, &self.errors, fields)
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(flatten)]
    new: NewPasswordForm,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/cabinet/security", get(show_security))
        .route("/cabinet/password", post(change_password))
        .route("/cabinet/sessions/end", post(delete_all_sessions))
        .route("/cabinet/sessions/end-other", post(delete_other_session))
        .route("/cabinet/lost", post(report_lost_credentials))
}

async fn page(
    state: &AppState,
    c: Chrome,
    patient: &Patient,
    errors: FieldErrors,
) -> Result<SecurityTemplate, PageError> {
    let f = CabinetFrame::of(state, patient, "security").await?;
    let sessions = state.kabinet.sessions(patient).await?;
    let this_session = patient.session_hash.clone();
    Ok(SecurityTemplate { c, f, sessions, this_session, errors, done: "" })
}

async fn show_security(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Query(q): Query<DoneParam>,
) -> Result<Response, PageError> {
    let mut page = page(&state, c, &patient, FieldErrors::default()).await?;
    // Only known words reach the page.
    if q.done.as_deref() == Some("ended") {
        page.done = "security-ended";
    }
    Ok(([NO_STORE], page).into_response())
}

async fn change_password(
    State(state): State<AppState>,
    c: Chrome,
    jar: CookieJar,
    UserAgent(agent): UserAgent,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let errors = match form.new.mismatch() {
        Some(errors) => errors,
        None => {
            let kabinet = &state.kabinet;
            match kabinet
                .change_password(
                    &patient,
                    &form.current_password,
                    &form.new.password,
                    &origin,
                    agent,
                )
                .await
            {
                Ok(signed_in) => {
                    let jar = jar.add(session_cookie(&state, &signed_in.token));
                    return Ok((jar, Redirect::to("/cabinet?done=password")).into_response());
                }
                Err(Error::Validation(errors)) => errors,
                Err(other) => return Err(other.into()),
            }
        }
    };
    let page = page(&state, c, &patient, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page).into_response())
}

async fn delete_all_sessions(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
) -> Result<Response, PageError> {
    state.kabinet.sign_out_everywhere(&patient, &origin).await?;
    let jar = jar.add(expired_session_cookie(&state));
    Ok((jar, Redirect::to("/login?done=everywhere")).into_response())
}

/// Ends one other session of the patient's (a device they left signed in); the store finds it
/// among the caller's own sessions only, so another account's session is a 404.
async fn delete_other_session(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Form(form): Form<SessionForm>,
) -> Result<Response, PageError> {
    state.kabinet.end_other_session(&patient, &form.session, &origin).await?;
    Ok(Redirect::to("/cabinet/security?done=ended").into_response())
}

async fn report_lost_credentials(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
) -> Result<Response, PageError> {
    state.kabinet.report_my_lost_credentials(&patient, &origin).await?;
    let jar = jar.add(expired_session_cookie(&state));
    Ok((jar, Redirect::to("/account/lost/blocked")).into_response())
}

//! Signing in and out of the cabinet (A3, K7), and the activation that follows a one-time
//! password: a new session token each time, kept only in an `HttpOnly` cookie.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use kabinet_core::patient::FieldErrors;
use kabinet_service::Error;
use serde::Deserialize;

use super::NO_STORE;
use super::error_summary::{ErrorLink, NEW_PASSWORD, error_links};
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, status_of};
use crate::links::safe_return;
use crate::request::{ClientOrigin, UserAgent};
use crate::routes::Routes;
use crate::session::{SignedInPatient, expired_session_cookie, patient_of, session_cookie};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginTemplate {
    c: Chrome,
    login: String,
    next: String,
    errors: FieldErrors,
    problem: &'static str,
    /// What the patient just did elsewhere that led here (signed out everywhere).
    done: &'static str,
    /// The clinic's reason and phone, after the right password of an account the clinic
    /// suspended or closed (A5, A7); empty otherwise.
    closed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "activate.html")]
struct ActivateTemplate {
    c: Chrome,
    csrf: String,
    errors: FieldErrors,
}

impl ActivateTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        error_links(&self.c.t, &self.errors, NEW_PASSWORD)
    }
}

#[derive(Default, Deserialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Default, Deserialize)]
struct NextParam {
    next: Option<String>,
    done: Option<String>,
}

/// A new password typed twice, with the form's CSRF token.
#[derive(Default, Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_repeat: String,
}

impl NewPasswordForm {
    /// The error of a repeat that differs, under the repeat field.
    pub fn mismatch(&self) -> Option<FieldErrors> {
        (self.password != self.password_repeat).then(|| {
            let mut errors = FieldErrors::default();
            errors.add("password_repeat", "error-password-mismatch");
            errors
        })
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/login", get(show_login).post(create_session))
        .route("/logout", post(delete_session))
        .route("/account/activate", get(show_activation).post(activate_account))
}

async fn show_login(c: Chrome, Query(q): Query<NextParam>) -> Response {
    let next = q.next.unwrap_or_default();
    // Only known words reach the page.
    let done = match q.done.as_deref() {
        Some("everywhere") => "login-done-everywhere",
        _ => "",
    };
    let page = LoginTemplate {
        c,
        login: String::new(),
        next,
        errors: FieldErrors::default(),
        problem: "",
        done,
        closed: String::new(),
    };
    ([NO_STORE], page).into_response()
}

async fn create_session(
    State(state): State<AppState>,
    c: Chrome,
    jar: CookieJar,
    headers: HeaderMap,
    UserAgent(agent): UserAgent,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let mut closed = String::new();
    let (status, problem, retry) =
        match state.kabinet.sign_in(&form.login, &form.password, &origin, agent).await {
            Ok(signed_in) => {
                // A session this browser still had (another account, say) ends here.
                if let Some(old) = patient_of(&headers, &state, false).await? {
                    state.kabinet.sign_out(&old, &origin).await?;
                }
                let next = safe_return(Some(&form.next));
                let next = if next == "/" { "/cabinet".to_owned() } else { next };
                let jar = jar.add(session_cookie(&state, &signed_in.token));
                return Ok((jar, Redirect::to(&next)).into_response());
            }
            Err(
                error @ (Error::Unauthorized | Error::EmailUnconfirmed | Error::Throttled { .. }),
            ) => (status_of(&error), error.message_key(), error.retry_after()),
            Err(error @ Error::AccessClosed { .. }) => {
                if let Error::AccessClosed { note, phone, .. } = &error {
                    let reason = note.clone().unwrap_or_default();
                    closed = c.t.args(
                        "access-closed-details",
                        [("reason", reason.into()), ("phone", phone.clone().into())],
                    );
                }
                (status_of(&error), error.message_key(), None)
            }
            Err(other) => return Err(other.into()),
        };
    let page = LoginTemplate {
        c,
        login: form.login,
        next: form.next,
        errors: FieldErrors::default(),
        problem,
        done: "",
        closed,
    };
    let mut response = (status, [NO_STORE], page).into_response();
    if let Some(seconds) = retry {
        response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
    }
    Ok(response)
}

async fn delete_session(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientOrigin(origin): ClientOrigin,
    SignedInPatient(patient): SignedInPatient,
) -> Result<Response, PageError> {
    state.kabinet.sign_out(&patient, &origin).await?;
    Ok((jar.add(expired_session_cookie(&state)), Redirect::to("/")).into_response())
}

async fn show_activation(c: Chrome, SignedInPatient(patient): SignedInPatient) -> Response {
    if !patient.needs_activation() {
        return Redirect::to("/cabinet").into_response();
    }
    let page = ActivateTemplate { c, csrf: patient.csrf_token, errors: FieldErrors::default() };
    ([NO_STORE], page).into_response()
}

async fn activate_account(
    State(state): State<AppState>,
    c: Chrome,
    jar: CookieJar,
    UserAgent(agent): UserAgent,
    ClientOrigin(origin): ClientOrigin,
    SignedInPatient(patient): SignedInPatient,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, PageError> {
    let errors = match form.mismatch() {
        Some(errors) => errors,
        None => match state.kabinet.activate(&patient, &form.password, &origin, agent).await {
            Ok(signed_in) => {
                let jar = jar.add(session_cookie(&state, &signed_in.token));
                return Ok((jar, Redirect::to("/cabinet?done=activated")).into_response());
            }
            Err(Error::Validation(errors)) => errors,
            Err(Error::Forbidden) => return Ok(Redirect::to("/cabinet").into_response()),
            Err(other) => return Err(other.into()),
        },
    };
    let page = ActivateTemplate { c, csrf: patient.csrf_token, errors };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page).into_response())
}

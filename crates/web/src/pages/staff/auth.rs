//! Staff sign-in and sign-out, the first administrator's bootstrap page (the link `kabinet
//! staff` prints) and a new colleague's password setup page (the link an administrator
//! hands over). Both links work once.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use kabinet_core::patient::FieldErrors;
use kabinet_service::Error;
use kabinet_service::staff::StaffInput;
use serde::Deserialize;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, status_of};
use crate::pages::NO_STORE;
use crate::pages::error_summary::{ErrorLink, error_links};
use crate::request::{ClientOrigin, UserAgent};
use crate::routes::Routes;
use crate::staff_session::{Staff, expired_staff_cookie, staff_cookie};

#[derive(Template, WebTemplate)]
#[template(path = "staff_login.html")]
struct LoginTemplate {
    c: Chrome,
    nav: Option<Nav>,
    login: String,
    problem: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// What the bootstrap or setup page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Form,
    Done,
    Invalid,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_link.html")]
struct LinkTemplate {
    c: Chrome,
    nav: Option<Nav>,
    bootstrap: bool,
    outcome: Outcome,
    form: LinkForm,
    errors: FieldErrors,
}

impl LinkTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        let fields = [
            ("login", "staff-field-login"),
            ("full_name", "staff-field-full-name"),
            ("password", "staff-field-new-password"),
        ];
        error_links(&self.c.t, &self.errors, fields)
    }

    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct LinkForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    password: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/login", get(show_staff_login).post(create_staff_session))
        .route("/staff/logout", post(delete_staff_session))
        .route("/staff/bootstrap", get(show_bootstrap).post(create_administrator))
        .route("/staff/setup", get(show_setup).post(set_staff_password))
}

async fn show_staff_login(c: Chrome) -> Response {
    ([NO_STORE], LoginTemplate { c, nav: None, login: String::new(), problem: None })
        .into_response()
}

async fn create_staff_session(
    State(state): State<AppState>,
    c: Chrome,
    jar: CookieJar,
    UserAgent(agent): UserAgent,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let result = state.kabinet.staff_sign_in(&form.login, &form.password, &origin, agent).await;
    let (status, problem, retry) = match result {
        Ok(signed) => {
            let jar = jar.add(staff_cookie(&state, &signed.token));
            return Ok((jar, Redirect::to("/staff/code")).into_response());
        }
        Err(error @ (Error::Unauthorized | Error::Throttled { .. })) => {
            (status_of(&error), error.message_key(), error.retry_after())
        }
        Err(other) => return Err(other.into()),
    };
    let page = LoginTemplate { c, nav: None, login: form.login, problem: Some(problem) };
    let mut response = (status, [NO_STORE], page).into_response();
    if let Some(seconds) = retry {
        response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
    }
    Ok(response)
}

async fn delete_staff_session(
    State(state): State<AppState>,
    staff: Staff,
    jar: CookieJar,
    ClientOrigin(origin): ClientOrigin,
) -> Result<Response, PageError> {
    state.kabinet.staff_sign_out(&staff.0, &origin).await?;
    let jar = jar.add(expired_staff_cookie(&state));
    Ok((jar, Redirect::to("/staff/login")).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

async fn link_page(state: &AppState, c: Chrome, bootstrap: bool, token: String) -> Response {
    let outcome = match state.kabinet.check_staff_link(bootstrap, &token).await {
        Ok(()) => Outcome::Form,
        Err(_) => Outcome::Invalid,
    };
    let status = if outcome == Outcome::Invalid { StatusCode::NOT_FOUND } else { StatusCode::OK };
    let form = LinkForm { token, ..LinkForm::default() };
    let page =
        LinkTemplate { c, nav: None, bootstrap, outcome, form, errors: FieldErrors::default() };
    (status, [NO_STORE], page).into_response()
}

async fn show_bootstrap(
    State(state): State<AppState>,
    c: Chrome,
    Query(q): Query<TokenQuery>,
) -> Response {
    link_page(&state, c, true, q.token).await
}

async fn show_setup(
    State(state): State<AppState>,
    c: Chrome,
    Query(q): Query<TokenQuery>,
) -> Response {
    link_page(&state, c, false, q.token).await
}

async fn create_administrator(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<LinkForm>,
) -> Result<Response, PageError> {
    let input = StaffInput { login: form.login.clone(), full_name: form.full_name.clone() };
    let result =
        state.kabinet.bootstrap_administrator(&form.token, &input, &form.password, &origin).await;
    link_result(c, true, form, result)
}

async fn set_staff_password(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<LinkForm>,
) -> Result<Response, PageError> {
    let result = state.kabinet.set_up_staff_password(&form.token, &form.password, &origin).await;
    link_result(c, false, form, result)
}

fn link_result(
    c: Chrome,
    bootstrap: bool,
    mut form: LinkForm,
    result: Result<(), Error>,
) -> Result<Response, PageError> {
    // A password never comes back into a page.
    form.password.clear();
    let (status, outcome, errors) = match result {
        Ok(()) => (StatusCode::OK, Outcome::Done, FieldErrors::default()),
        Err(Error::Validation(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, Outcome::Form, errors),
        Err(Error::NotFound) => (StatusCode::NOT_FOUND, Outcome::Invalid, FieldErrors::default()),
        Err(other) => return Err(other.into()),
    };
    let page = LinkTemplate { c, nav: None, bootstrap, outcome, form, errors };
    Ok((status, [NO_STORE], page).into_response())
}

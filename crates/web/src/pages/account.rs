//! The account's public pages: the e-mail confirmation link of a self-registration (A1),
//! the report of lost credentials and the reset link that follows it (A6). Opening a link
//! asks for one click, so a mail scanner that fetches links cannot use it on its own.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use kabinet_core::patient::FieldErrors;
use kabinet_service::Error;
use serde::Deserialize;

use super::NO_STORE;
use super::error_summary::{ErrorLink, NEW_PASSWORD, error_links};
use super::sign_in::NewPasswordForm;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::request::ClientOrigin;
use crate::routes::Routes;

/// What the page says.
enum Outcome {
    /// Asks to confirm; carries the link's token into the form.
    Ask(String),
    /// The address is confirmed.
    Done,
    /// The link is unknown, used or expired.
    Invalid,
}

#[derive(Template, WebTemplate)]
#[template(path = "account_confirm.html")]
struct ConfirmTemplate {
    c: Chrome,
    outcome: Outcome,
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    token: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/account/confirm", get(show_confirmation).post(confirm_email))
        .route("/account/lost", get(show_lost_form).post(report_lost_credentials))
        .route("/account/lost/sent", get(|c: Chrome| async { lost_page(c, Lost::Sent) }))
        .route("/account/lost/blocked", get(|c: Chrome| async { lost_page(c, Lost::Blocked) }))
        .route("/account/block", get(show_block).post(block_account))
        .route("/account/reset", get(show_reset_form).post(reset_password))
}

async fn show_confirmation(
    c: Chrome,
    Query(query): Query<TokenForm>,
) -> ([(axum::http::HeaderName, &'static str); 1], ConfirmTemplate) {
    let outcome = if query.token.is_empty() { Outcome::Invalid } else { Outcome::Ask(query.token) };
    ([NO_STORE], ConfirmTemplate { c, outcome })
}

async fn confirm_email(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<TokenForm>,
) -> Result<ConfirmTemplate, PageError> {
    let outcome = match state.kabinet.confirm_email(&form.token, &origin).await {
        Ok(()) => Outcome::Done,
        Err(kabinet_service::Error::NotFound) => Outcome::Invalid,
        Err(e) => return Err(e.into()),
    };
    Ok(ConfirmTemplate { c, outcome })
}

#[derive(Template, WebTemplate)]
#[template(path = "account_lost.html")]
struct LostTemplate {
    c: Chrome,
    step: Lost,
}

/// Where a report of lost credentials stands.
enum Lost {
    /// The public form.
    Form,
    /// The letter went out (if the login is known).
    Sent,
    /// The letter's link asks to confirm the block.
    AskBlock(String),
    /// Access is blocked.
    Blocked,
    /// The link is no longer good.
    Invalid,
}

fn lost_page(c: Chrome, step: Lost) -> impl IntoResponse {
    ([NO_STORE], LostTemplate { c, step })
}

#[derive(Deserialize)]
struct LostForm {
    #[serde(default)]
    login: String,
}

/// The public form for lost or compromised credentials (A6). Known or not, the login gets
/// the same answer: a letter to its owner, which changes nothing until they act on it.
async fn show_lost_form(c: Chrome) -> impl IntoResponse {
    lost_page(c, Lost::Form)
}

async fn report_lost_credentials(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<LostForm>,
) -> Result<Redirect, PageError> {
    state.kabinet.report_lost_credentials(&form.login, &origin).await?;
    Ok(Redirect::to("/account/lost/sent"))
}

/// The letter's "block my access now" link: a button, so that a mail scanner following the
/// link blocks nothing.
async fn show_block(c: Chrome, Query(query): Query<TokenForm>) -> impl IntoResponse {
    let step = if query.token.is_empty() { Lost::Invalid } else { Lost::AskBlock(query.token) };
    lost_page(c, step)
}

async fn block_account(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    let step = match state.kabinet.block_by_link(&form.token, &origin).await {
        Ok(()) => Lost::Blocked,
        Err(kabinet_service::Error::NotFound) => Lost::Invalid,
        Err(e) => return Err(e.into()),
    };
    Ok(lost_page(c, step).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "account_reset.html")]
struct ResetTemplate {
    c: Chrome,
    /// The link's token; `None` once the password is set.
    token: Option<String>,
    invalid: bool,
    errors: FieldErrors,
}

impl ResetTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        error_links(&self.c.t, &self.errors, NEW_PASSWORD)
    }
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(flatten)]
    password: NewPasswordForm,
}

async fn show_reset_form(c: Chrome, Query(query): Query<TokenForm>) -> Response {
    let invalid = query.token.is_empty();
    let page =
        ResetTemplate { c, token: Some(query.token), invalid, errors: FieldErrors::default() };
    ([NO_STORE], page).into_response()
}

async fn reset_password(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<ResetForm>,
) -> Result<Response, PageError> {
    let result = match form.password.mismatch() {
        Some(errors) => Err(Error::Validation(errors)),
        None => state.kabinet.reset_password(&form.token, &form.password.password, &origin).await,
    };
    let (status, token, invalid, errors) = match result {
        Ok(()) => (StatusCode::OK, None, false, FieldErrors::default()),
        Err(Error::Validation(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Some(form.token), false, errors)
        }
        Err(Error::NotFound) => {
            (StatusCode::NOT_FOUND, Some(form.token), true, FieldErrors::default())
        }
        Err(other) => return Err(other.into()),
    };
    Ok((status, [NO_STORE], ResetTemplate { c, token, invalid, errors }).into_response())
}

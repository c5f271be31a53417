//! The e-mail confirmation link of a self-registration (A1). Opening the link asks for one
//! click, so a mail scanner that fetches links cannot confirm an address on its own.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::routing::get;
use serde::Deserialize;

use super::{Chrome, NO_STORE};
use crate::AppState;
use crate::error::PageError;
use crate::middleware::ClientIp;

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

pub fn routes() -> Router<AppState> {
    Router::new().route("/account/confirm", get(show_confirmation).post(confirm_email))
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
    ClientIp(ip): ClientIp,
    Form(form): Form<TokenForm>,
) -> Result<ConfirmTemplate, PageError> {
    let outcome = match state.kabinet.confirm_email(&form.token, ip).await {
        Ok(()) => Outcome::Done,
        Err(kabinet_service::Error::NotFound) => Outcome::Invalid,
        Err(e) => return Err(e.into()),
    };
    Ok(ConfirmTemplate { c, outcome })
}

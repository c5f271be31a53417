//! The rules of the portal and the privacy policy (O2), the cookie and policy notice (G2),
//! and the language switch.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use kabinet_core::consent::DocumentKind;
use kabinet_core::lang::Localized;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::cookies::LANG_COOKIE;
use crate::cookies::NOTICE_COOKIE;
use crate::cookies::cookie;
use crate::links::safe_return;

const YEAR: i64 = 365 * 24 * 3600;
use crate::error::PageError;
use crate::markdown::to_html;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::{AppState, Lang};

#[derive(Template, WebTemplate)]
#[template(path = "document.html")]
struct DocumentTemplate {
    c: Chrome,
    title: Localized,
    version: i32,
    published: String,
    html: String,
    /// Whether the text is the Russian one, for want of a translation.
    body_fallback: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notice_declined.html")]
struct DeclinedTemplate {
    c: Chrome,
}

#[derive(Debug, Deserialize)]
struct ReturnTo {
    next: Option<String>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/rules", get(show_rules))
        .route("/privacy", get(show_privacy))
        .route("/notice", post(accept_notice))
        .route("/notice/declined", get(show_notice_declined))
        .route("/lang/{code}", get(switch_language))
}

async fn show_document(
    state: &AppState,
    c: Chrome,
    kind: DocumentKind,
) -> Result<DocumentTemplate, PageError> {
    let document = state.kabinet.document(kind, c.t.lang).await?;
    let published = jiff::Timestamp::from_second(document.published_at)
        .map(|at| c.t.date(&at.to_zoned(c.t.tz.clone()).date()))
        .unwrap_or_default();
    Ok(DocumentTemplate {
        title: document.title,
        version: document.version,
        published,
        html: to_html(document.body.as_str()),
        body_fallback: document.body.fallback,
        c,
    })
}

async fn show_rules(
    State(state): State<AppState>,
    c: Chrome,
) -> Result<DocumentTemplate, PageError> {
    show_document(&state, c, DocumentKind::Rules).await
}

async fn show_privacy(
    State(state): State<AppState>,
    c: Chrome,
) -> Result<DocumentTemplate, PageError> {
    show_document(&state, c, DocumentKind::Privacy).await
}

/// The visitor agreed to cookies and the privacy policy: remember it and record it in the
/// consent ledger under the policy's current version (G1, G2).
async fn accept_notice(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<ReturnTo>,
) -> Result<Response, PageError> {
    let visitor = kabinet_core::token::random_token();
    state.kabinet.record_cookie_consent(&visitor, &origin).await?;
    let jar = jar.add(cookie(NOTICE_COOKIE, &visitor, YEAR, "/", state.secure_cookies()));
    Ok((jar, Redirect::to(&safe_return(form.next.as_deref()))).into_response())
}

async fn show_notice_declined(c: Chrome) -> DeclinedTemplate {
    DeclinedTemplate { c }
}

async fn switch_language(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(code): Path<String>,
    Query(back): Query<ReturnTo>,
) -> Response {
    let lang = Lang::parse(&code);
    let jar = jar.add(cookie(LANG_COOKIE, lang.code(), YEAR, "/", state.secure_cookies()));
    (jar, Redirect::to(&safe_return(back.next.as_deref()))).into_response()
}

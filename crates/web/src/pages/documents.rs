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
use crate::statistics::WITHDRAWN;
use crate::{AppState, Lang};

#[derive(Template, WebTemplate)]
#[template(path = "document.html")]
struct DocumentTemplate {
    c: Chrome,
    kind: DocumentKind,
    title: Localized,
    version: i32,
    published: String,
    html: String,
    /// Whether the text is the Russian one, for want of a translation.
    body_fallback: bool,
    /// Every version: number, effective date, and whether it is the one shown.
    versions: Vec<(i32, String, bool)>,
    /// The version in force, when another one is shown.
    in_force: Option<i32>,
    /// Whether the version shown is in force now.
    shown_in_force: bool,
    /// Whether the version shown is announced, not yet in force.
    shown_upcoming: bool,
    /// The next version announced: its number and the date it takes effect.
    upcoming: Option<(i32, String)>,
}

impl DocumentTemplate {
    fn href(&self, version: &i32) -> String {
        crate::pages::consents::version_href(&self.kind, version)
    }
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
        .route("/rules/v/{version}", get(show_rules_version))
        .route("/privacy/v/{version}", get(show_privacy_version))
        .route("/notice/withdraw", post(withdraw_notice))
        .route("/notice", post(accept_notice))
        .route("/notice/declined", get(show_notice_declined))
        .route("/lang/{code}", get(switch_language))
}

async fn show_document(
    state: &AppState,
    c: Chrome,
    kind: DocumentKind,
    version: Option<i32>,
) -> Result<DocumentTemplate, PageError> {
    let history = state.kabinet.document_history(kind).await?;
    let shown = match version.or(history.in_force) {
        Some(v) => v,
        None => return Err(kabinet_service::Error::NotFound.into()),
    };
    let document = state.kabinet.document_at_version(kind, shown, c.t.lang).await?;
    let day = |secs: i64| {
        jiff::Timestamp::from_second(secs)
            .map(|at| c.t.date(&at.to_zoned(c.t.tz.clone()).date()))
            .unwrap_or_default()
    };
    let versions = history
        .versions
        .iter()
        .map(|v| (v.version, day(v.effective_at), v.version == shown))
        .collect();
    let upcoming = history.upcoming().map(|v| (v.version, day(v.effective_at)));
    let shown_upcoming = history.in_force.is_none_or(|f| shown > f);
    Ok(DocumentTemplate {
        kind,
        title: document.title,
        version: document.version,
        published: day(document.published_at),
        html: to_html(document.body.as_str()),
        body_fallback: document.body.fallback,
        versions,
        in_force: history.in_force.filter(|f| *f != shown),
        shown_in_force: history.in_force == Some(shown),
        shown_upcoming,
        upcoming: upcoming.filter(|(v, _)| *v != shown),
        c,
    })
}

async fn show_rules(
    State(state): State<AppState>,
    c: Chrome,
) -> Result<DocumentTemplate, PageError> {
    show_document(&state, c, DocumentKind::Rules, None).await
}

async fn show_privacy(
    State(state): State<AppState>,
    c: Chrome,
) -> Result<DocumentTemplate, PageError> {
    show_document(&state, c, DocumentKind::Privacy, None).await
}

async fn show_rules_version(
    State(state): State<AppState>,
    c: Chrome,
    Path(version): Path<String>,
) -> Result<DocumentTemplate, PageError> {
    let version = version.parse().map_err(|_| kabinet_service::Error::NotFound)?;
    show_document(&state, c, DocumentKind::Rules, Some(version)).await
}

async fn show_privacy_version(
    State(state): State<AppState>,
    c: Chrome,
    Path(version): Path<String>,
) -> Result<DocumentTemplate, PageError> {
    let version = version.parse().map_err(|_| kabinet_service::Error::NotFound)?;
    show_document(&state, c, DocumentKind::Privacy, Some(version)).await
}

/// The visitor withdraws their consent to statistics cookies (G1, O3): the ledger row of
/// this browser is withdrawn, and the notice cookie says so, so nothing is recorded from now.
async fn withdraw_notice(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<ReturnTo>,
) -> Result<Response, PageError> {
    if let Some(visitor) = jar.get(NOTICE_COOKIE).map(|c| c.value().to_owned())
        && !visitor.is_empty()
        && visitor != WITHDRAWN
    {
        state.kabinet.withdraw_cookie_consent(&visitor, &origin).await?;
    }
    let jar = jar.add(cookie(NOTICE_COOKIE, WITHDRAWN, YEAR, "/", state.secure_cookies()));
    Ok((jar, Redirect::to(&safe_return(form.next.as_deref()))).into_response())
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

//! The cabinet's consents (G1): the ledger in words, withdrawing an optional consent or
//! giving it again in one step with a confirmation page, and the way to withdraw the
//! consent to processing of personal or health data — a request (the requests page). Also the
//! page a patient must pass when a new version of the rules or the policy requires
//! acceptance (O2).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use kabinet_core::consent::{Channel, ConsentKind, DocumentKind, RecordedAs};
use kabinet_core::lang::Localized;
use kabinet_service::consents::{Ledger, optional};
use kabinet_service::model::LedgerRow;
use serde::Deserialize;

use super::NO_STORE;
use super::cabinet::CabinetFrame;
use crate::AppState;
use crate::chrome::Chrome;
use crate::cookies::{NOTICE_COOKIE, cookie};
use crate::error::PageError;
use crate::markdown::to_html;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::session::{CabinetPatient, SignedInPatient};
use crate::statistics::WITHDRAWN;

const YEAR: i64 = 365 * 24 * 3600;

/// One purpose as the page shows it: whether it is in force, and every row of it.
pub struct Purpose {
    pub kind: ConsentKind,
    pub in_force: bool,
    pub rows: Vec<LedgerRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_consents.html")]
struct ConsentsTemplate {
    c: Chrome,
    f: CabinetFrame,
    purposes: Vec<Purpose>,
    /// The rules' acceptances, apart from the purposes.
    rules: Vec<LedgerRow>,
    done: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_consent_confirm.html")]
struct ConfirmTemplate {
    c: Chrome,
    f: CabinetFrame,
    kind: ConsentKind,
    /// `withdraw` or `give`.
    action: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_accept.html")]
struct AcceptTemplate {
    c: Chrome,
    csrf: String,
    kind: DocumentKind,
    version: i32,
    title: Localized,
    html: String,
    body_fallback: bool,
    effective: String,
}

#[derive(Default, Deserialize)]
struct DoneParam {
    done: Option<String>,
}

#[derive(Default, Deserialize)]
struct AcceptForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    version: i32,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/cabinet/consents", get(list_consents))
        .route("/cabinet/consents/{kind}/withdraw", get(show_withdraw).post(withdraw_consent))
        .route("/cabinet/consents/{kind}/give", get(show_give).post(give_consent))
        .route("/cabinet/accept", get(show_acceptance).post(accept_document))
}

/// The message key of a purpose.
pub fn purpose_key(kind: &ConsentKind) -> &'static str {
    match kind {
        ConsentKind::PersonalData => "consents-purpose-personal-data",
        ConsentKind::HealthData => "consents-purpose-health-data",
        ConsentKind::Calls => "consents-purpose-calls",
        ConsentKind::Advertising => "consents-purpose-advertising",
        ConsentKind::Cookies => "consents-purpose-cookies",
        ConsentKind::Rules => "consents-purpose-rules",
    }
}

/// The message key of a channel.
pub fn channel_key(channel: &Channel) -> &'static str {
    match channel {
        Channel::Online => "consents-channel-online",
        Channel::Paper => "consents-channel-paper",
    }
}

/// The message key of who recorded a consent.
pub fn recorded_key(recorded: &RecordedAs) -> &'static str {
    match recorded {
        RecordedAs::Patient => "consents-recorded-patient",
        RecordedAs::Representative => "consents-recorded-representative",
        RecordedAs::Registrar => "consents-recorded-registrar",
    }
}

/// The message key of a document's name.
pub fn document_key(kind: &DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Rules => "consents-document-rules",
        DocumentKind::Privacy => "consents-document-privacy",
    }
}

/// The public address of a version of a document.
pub fn version_href(kind: &DocumentKind, version: &i32) -> String {
    match kind {
        DocumentKind::Rules => format!("/rules/v/{version}"),
        DocumentKind::Privacy => format!("/privacy/v/{version}"),
    }
}

/// Where the patient withdraws a required consent: a request to delete the data or stop
/// processing it (the requests page, another part of the cabinet).
pub fn request_href(kind: &ConsentKind) -> String {
    format!("/cabinet/requests/new?kind=deletion&consent={}", kind.as_str())
}

fn purposes(ledger: Ledger) -> (Vec<Purpose>, Vec<LedgerRow>) {
    let purposes = ConsentKind::PURPOSES
        .iter()
        .map(|&kind| Purpose {
            kind,
            in_force: ledger.in_force(kind),
            rows: ledger.rows.iter().filter(|r| r.kind == kind).cloned().collect(),
        })
        .collect();
    let rules = ledger.rows.into_iter().filter(|r| r.kind == ConsentKind::Rules).collect();
    (purposes, rules)
}

impl ConsentsTemplate {
    fn optional(&self, kind: &ConsentKind) -> bool {
        optional(*kind)
    }

    /// «Политика конфиденциальности, редакция 2».
    fn version_label(&self, r: &LedgerRow) -> String {
        let document = self.c.t.s(document_key(&r.document_kind));
        self.c.t.args(
            "consents-version",
            [("document", document.into()), ("version", (&r.document_version).into())],
        )
    }
}

/// A consent kind from the address; an unknown one is a 404.
fn kind_of(text: &str) -> Result<ConsentKind, PageError> {
    text.parse::<ConsentKind>()
        .ok()
        .filter(|k| ConsentKind::PURPOSES.contains(k))
        .ok_or_else(|| kabinet_service::Error::NotFound.into())
}

async fn list_consents(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Query(q): Query<DoneParam>,
) -> Result<Response, PageError> {
    let f = CabinetFrame::of(&state, &patient, "consents").await?;
    let ledger = state.kabinet.my_consents(&patient).await?;
    let (purposes, rules) = purposes(ledger);
    let done = match q.done.as_deref() {
        Some("withdrawn") => "consents-done-withdrawn",
        Some("given") => "consents-done-given",
        _ => "",
    };
    let page = ConsentsTemplate { c, f, purposes, rules, done };
    Ok(([NO_STORE], page).into_response())
}

async fn confirm_page(
    state: &AppState,
    c: Chrome,
    patient: &kabinet_service::accounts::Patient,
    kind: &str,
    action: &'static str,
) -> Result<Response, PageError> {
    let kind = kind_of(kind)?;
    if !optional(kind) {
        // The required ones are withdrawn by a request.
        return Ok(Redirect::to(&request_href(&kind)).into_response());
    }
    let f = CabinetFrame::of(state, patient, "consents").await?;
    Ok(([NO_STORE], ConfirmTemplate { c, f, kind, action }).into_response())
}

async fn show_withdraw(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(kind): Path<String>,
) -> Result<Response, PageError> {
    confirm_page(&state, c, &patient, &kind, "withdraw").await
}

async fn show_give(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(kind): Path<String>,
) -> Result<Response, PageError> {
    confirm_page(&state, c, &patient, &kind, "give").await
}

/// The notice cookie after a change of the consent to statistics cookies: this browser
/// stops (or starts) being counted at once (O3).
fn statistics_cookie(state: &AppState, jar: CookieJar, kind: ConsentKind, give: bool) -> CookieJar {
    if kind != ConsentKind::Cookies {
        return jar;
    }
    let value = if give { kabinet_core::token::random_token() } else { WITHDRAWN.to_owned() };
    jar.add(cookie(NOTICE_COOKIE, &value, YEAR, "/", state.secure_cookies()))
}

async fn withdraw_consent(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Path(kind): Path<String>,
) -> Result<Response, PageError> {
    let kind = kind_of(&kind)?;
    state.kabinet.withdraw_my_consent(&patient, kind, &origin).await?;
    let jar = statistics_cookie(&state, jar, kind, false);
    Ok((jar, Redirect::to("/cabinet/consents?done=withdrawn")).into_response())
}

async fn give_consent(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Path(kind): Path<String>,
) -> Result<Response, PageError> {
    let kind = kind_of(&kind)?;
    state.kabinet.give_my_consent(&patient, kind, &origin).await?;
    let jar = statistics_cookie(&state, jar, kind, true);
    Ok((jar, Redirect::to("/cabinet/consents?done=given")).into_response())
}

/// The new version awaiting the patient's acceptance; nothing pending: the cabinet.
async fn show_acceptance(
    State(state): State<AppState>,
    c: Chrome,
    SignedInPatient(patient): SignedInPatient,
) -> Result<Response, PageError> {
    if patient.needs_activation() {
        return Ok(Redirect::to("/account/activate").into_response());
    }
    let Some((kind, version)) = state.kabinet.pending_acceptance(&patient).await? else {
        return Ok(Redirect::to("/cabinet").into_response());
    };
    let document = state.kabinet.document_at_version(kind, version, c.t.lang).await?;
    let effective = c.t.moment(&document.published_at);
    let page = AcceptTemplate {
        csrf: patient.csrf_token.clone(),
        kind,
        version,
        html: to_html(document.body.as_str()),
        body_fallback: document.body.fallback,
        title: document.title,
        effective,
        c,
    };
    Ok(([NO_STORE], page).into_response())
}

async fn accept_document(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    SignedInPatient(patient): SignedInPatient,
    Form(form): Form<AcceptForm>,
) -> Result<Response, PageError> {
    if patient.needs_activation() {
        return Ok(Redirect::to("/account/activate").into_response());
    }
    let kind = form.kind.parse::<DocumentKind>().map_err(|_| kabinet_service::Error::NotFound)?;
    state.kabinet.accept_document(&patient, kind, form.version, &origin).await?;
    // Another version may wait too (the rules and the policy together).
    Ok(Redirect::to("/cabinet/accept").into_response())
}

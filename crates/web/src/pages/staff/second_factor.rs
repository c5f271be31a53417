//! The staff's second step after the password (ASVS 6.3.3): the code from the member's app or
//! a recovery code; and, for a member without a second factor, the enrolment — a QR code
//! (an SVG drawn here, never a third party; the secret is in no URL), the secret in base32
//! for typing by hand, a code to prove the app has it, then ten recovery codes shown once.
//! Until this step passes, the staff cookie opens nothing else; an administrator resets a
//! colleague's second factor on the team page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use kabinet_core::access::Origin;
use kabinet_service::Error;
use kabinet_service::second_factor::PendingStaff;
use qrcode::QrCode;
use qrcode::render::svg;
use serde::Deserialize;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::csrf::same_token;
use crate::error::{PageError, status_of};
use crate::pages::NO_STORE;
use crate::request::{ClientOrigin, UserAgent};
use crate::routes::Routes;
use crate::staff_session::{Pending, staff_cookie};

#[derive(Template, WebTemplate)]
#[template(path = "staff_code.html")]
struct CodeTemplate {
    c: Chrome,
    nav: Option<Nav>,
    csrf: String,
    problem: Option<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_enrol.html")]
struct EnrolTemplate {
    c: Chrome,
    nav: Option<Nav>,
    csrf: String,
    secret: String,
    problem: Option<&'static str>,
    recovery_codes: Vec<String>,
}

impl EnrolTemplate {
    /// The secret in groups of four, easier to type by hand (apps ignore the spaces).
    fn secret_grouped(&self) -> String {
        let chars: Vec<char> = self.secret.chars().collect();
        chars.chunks(4).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
    }
}

#[derive(Debug, Default, Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/code", get(show_code_step).post(pass_code_step))
        .route("/staff/enrol", get(show_enrolment).post(finish_enrolment))
        .route("/staff/enrol/qr.svg", get(show_enrolment_qr))
}

async fn show_code_step(c: Chrome, Pending(pending): Pending) -> Response {
    if !pending.enrolled() {
        return Redirect::to("/staff/enrol").into_response();
    }
    let page = CodeTemplate { c, nav: None, csrf: pending.csrf_token, problem: None };
    ([NO_STORE], page).into_response()
}

/// A refused code: the status, the message and the seconds to wait, if throttled.
fn refusal(error: Error) -> Result<(StatusCode, &'static str, Option<i64>), PageError> {
    match error {
        error @ (Error::Unauthorized | Error::Throttled { .. }) => {
            let key = if matches!(error, Error::Unauthorized) {
                "staff-code-wrong"
            } else {
                error.message_key()
            };
            Ok((status_of(&error), key, error.retry_after()))
        }
        other => Err(other.into()),
    }
}

fn with_retry(mut response: Response, retry: Option<i64>) -> Response {
    if let Some(seconds) = retry {
        response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
    }
    response
}

/// Refuses a form of the code step without its session's token, as [`crate::csrf`] does.
async fn check_token(
    state: &AppState,
    pending: &PendingStaff,
    sent: &str,
    origin: &Origin,
) -> Result<(), PageError> {
    if same_token(&pending.csrf_token, sent) {
        return Ok(());
    }
    let actor = kabinet_core::access::Actor::Staff(pending.member.id);
    state.kabinet.record_forged_form(actor, origin).await?;
    Err(PageError::Forbidden)
}

async fn pass_code_step(
    State(state): State<AppState>,
    c: Chrome,
    jar: CookieJar,
    UserAgent(agent): UserAgent,
    ClientOrigin(origin): ClientOrigin,
    Pending(pending): Pending,
    Form(form): Form<CodeForm>,
) -> Result<Response, PageError> {
    check_token(&state, &pending, &form.csrf, &origin).await?;
    if !pending.enrolled() {
        return Ok(Redirect::to("/staff/enrol").into_response());
    }
    match state.kabinet.pass_staff_code(&pending, &form.code, &origin, agent).await {
        Ok(signed) => {
            let jar = jar.add(staff_cookie(&state, &signed.token));
            Ok((jar, Redirect::to("/staff")).into_response())
        }
        Err(error) => {
            let (status, problem, retry) = refusal(error)?;
            let page =
                CodeTemplate { c, nav: None, csrf: pending.csrf_token, problem: Some(problem) };
            Ok(with_retry((status, [NO_STORE], page).into_response(), retry))
        }
    }
}

async fn show_enrolment(
    State(state): State<AppState>,
    c: Chrome,
    Pending(pending): Pending,
) -> Result<Response, PageError> {
    if pending.enrolled() {
        return Ok(Redirect::to("/staff/code").into_response());
    }
    let enrolment = state.kabinet.totp_enrolment(&pending).await?;
    let page = EnrolTemplate {
        c,
        nav: None,
        csrf: pending.csrf_token,
        secret: enrolment.secret_base32,
        problem: None,
        recovery_codes: Vec::new(),
    };
    Ok(([NO_STORE], page).into_response())
}

/// The QR code of the enrolment's `otpauth://` address, as SVG, for the waiting session only.
async fn show_enrolment_qr(
    State(state): State<AppState>,
    Pending(pending): Pending,
) -> Result<Response, PageError> {
    if pending.enrolled() {
        return Err(PageError::from(Error::NotFound));
    }
    let enrolment = state.kabinet.totp_enrolment(&pending).await?;
    let code = QrCode::new(enrolment.otpauth_url.as_bytes())
        .map_err(|e| Error::Internal(format!("qr code: {e}")))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let headers = [(header::CONTENT_TYPE, "image/svg+xml"), NO_STORE];
    Ok((headers, image).into_response())
}

async fn finish_enrolment(
    State(state): State<AppState>,
    c: Chrome,
    jar: CookieJar,
    UserAgent(agent): UserAgent,
    ClientOrigin(origin): ClientOrigin,
    Pending(pending): Pending,
    Form(form): Form<CodeForm>,
) -> Result<Response, PageError> {
    check_token(&state, &pending, &form.csrf, &origin).await?;
    if pending.enrolled() {
        return Ok(Redirect::to("/staff/code").into_response());
    }
    match state.kabinet.finish_totp_enrolment(&pending, &form.code, &origin, agent).await {
        Ok(enrolled) => {
            let jar = jar.add(staff_cookie(&state, &enrolled.signed_in.token));
            let page = EnrolTemplate {
                c,
                nav: None,
                csrf: String::new(),
                secret: String::new(),
                problem: None,
                recovery_codes: enrolled.recovery_codes,
            };
            Ok((jar, [NO_STORE], page).into_response())
        }
        Err(error) => {
            let (status, problem, retry) = refusal(error)?;
            let enrolment = state.kabinet.totp_enrolment(&pending).await?;
            let page = EnrolTemplate {
                c,
                nav: None,
                csrf: pending.csrf_token,
                secret: enrolment.secret_base32,
                problem: Some(problem),
                recovery_codes: Vec::new(),
            };
            Ok(with_retry((status, [NO_STORE], page).into_response(), retry))
        }
    }
}

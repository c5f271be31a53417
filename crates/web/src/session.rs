//! Who is signed in (K7, ASVS V7): `Authorization: Bearer` for apps, or the session cookie
//! for the browser. The cookie is `__Host-` prefixed and `Secure` behind TLS, `HttpOnly`,
//! `SameSite=Lax`. Cabinet forms also carry the session's CSRF token, checked by
//! [`crate::csrf`]; the API's cookie requests are guarded by the same-origin check of
//! [`crate::middleware`].

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use kabinet_service::accounts::Patient;

use crate::AppState;
use crate::cookies::{cookie, session_cookie_name};
use crate::error::{ApiError, PageError};
use crate::links::encode;

fn cookie_name(state: &AppState) -> &'static str {
    session_cookie_name(state.secure_cookies())
}

/// The cookie of a new session. It lives as long as the session may; the server ends it
/// sooner when idle.
pub fn session_cookie(state: &AppState, token: &str) -> Cookie<'static> {
    let max_age = state.kabinet.settings.session_lifetime.as_secs();
    cookie(cookie_name(state), token, max_age, "/", state.secure_cookies())
}

/// A cookie that removes the session cookie.
pub fn expired_session_cookie(state: &AppState) -> Cookie<'static> {
    cookie(cookie_name(state), "", 0, "/", state.secure_cookies())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim().to_owned())
}

/// The patient of the request's session cookie (or, with `allow_bearer`, bearer token), if
/// the session is alive.
pub async fn patient_of(
    headers: &HeaderMap,
    state: &AppState,
    allow_bearer: bool,
) -> Result<Option<Patient>, kabinet_service::Error> {
    let token = match bearer(headers).filter(|_| allow_bearer) {
        Some(token) => token,
        None => match CookieJar::from_headers(headers).get(cookie_name(state)) {
            Some(c) => c.value().to_owned(),
            None => return Ok(None),
        },
    };
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    state.kabinet.patient_session(&token).await
}

/// A signed-in patient in the API, by bearer token or session cookie; else 401. One who
/// signed in with a one-time password gets 403 `activation_required` until they set a
/// personal password; one who has a new version of the rules or the policy to accept gets
/// 403 `acceptance_required` (with the document's kind) until they accept it in the cabinet.
pub struct ApiPatient(pub Patient);

impl FromRequestParts<AppState> for ApiPatient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ApiSignedIn(patient) = ApiSignedIn::from_request_parts(parts, state).await?;
        if patient.needs_activation() {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "activation_required",
                "error-activation-required",
            ));
        }
        // A new version of the rules or the policy that requires acceptance comes first.
        if let Some((kind, _)) = state.kabinet.pending_acceptance(&patient).await? {
            return Err(ApiError::acceptance_required(kind.as_str()));
        }
        Ok(Self(patient))
    }
}

/// The header by which an API client of a legal representative names the patient it acts
/// for (A8): a dependent's patient id, or the representative's own. Without it, the session
/// acts for whom `POST /cabinet/act-for` last chose (its own patient by default).
pub const ACT_FOR: &str = "x-act-for";

/// A signed-in patient in the API, activated or not: for sign-out and setting the password.
/// With `X-Act-For`, the dependent's (a live link of this account), else 404.
pub struct ApiSignedIn(pub Patient);

impl FromRequestParts<AppState> for ApiSignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(patient) = patient_of(&parts.headers, state, true).await? else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "error-unauthorized",
            ));
        };
        let Some(value) = parts.headers.get(ACT_FOR) else { return Ok(Self(patient)) };
        let Some(id) = value.to_str().ok().and_then(|v| v.trim().parse::<i64>().ok()) else {
            return Err(kabinet_service::Error::NotFound.into());
        };
        Ok(Self(state.kabinet.acting_for_request(patient, id).await?))
    }
}

/// A signed-in patient on a cabinet page: the dependent's, when a representative's session
/// acts for one (decided once, in [`kabinet_service::Kabinet::patient_session`]). Not signed
/// in: to the sign-in page, which comes back here. Signed in with a one-time password: to the activation page, because nothing
/// else is reachable before a personal password is set (A3).
pub struct CabinetPatient(pub Patient);

impl FromRequestParts<AppState> for CabinetPatient {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let SignedInPatient(patient) = SignedInPatient::from_request_parts(parts, state).await?;
        if patient.needs_activation() {
            return Err(Redirect::to("/account/activate").into_response());
        }
        // A new version of the rules or the policy that requires acceptance comes first: every
        // cabinet page leads to it until the patient accepts.
        match state.kabinet.pending_acceptance(&patient).await {
            Ok(None) => {}
            Ok(Some(_)) => return Err(Redirect::to("/cabinet/accept").into_response()),
            Err(e) => return Err(PageError::from(e).into_response()),
        }
        Ok(Self(patient))
    }
}

/// A signed-in patient, activated or not: the activation page and sign-out.
pub struct SignedInPatient(pub Patient);

impl FromRequestParts<AppState> for SignedInPatient {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(patient) = parts.extensions.remove::<Patient>() {
            // Found by the CSRF check of this request already.
            return Ok(Self(patient));
        }
        match patient_of(&parts.headers, state, false).await {
            Ok(Some(patient)) => Ok(Self(patient)),
            Ok(None) => {
                let here = parts.uri.path_and_query().map_or("/cabinet", |p| p.as_str());
                let back = if parts.method == axum::http::Method::GET { here } else { "/cabinet" };
                Err(Redirect::to(&format!("/login?next={}", encode(back))).into_response())
            }
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

/// The CSRF token of a form, as [`crate::csrf`] reads it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

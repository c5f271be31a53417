//! Who is signed in (K7, ASVS V7): `Authorization: Bearer` for apps, or the session cookie.
//! The cookie is `__Host-` prefixed and `Secure` behind TLS. The pages that set it (sign-in
//! form, cabinet) are still to come; the API's cookie requests are guarded by the same-origin
//! check.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum_extra::extract::CookieJar;
use kabinet_service::accounts::Patient;

use crate::AppState;
use crate::error::ApiError;

/// The session cookie's name. Browsers accept a `__Host-` cookie only with `Secure`, so the
/// plain-HTTP demo uses the bare name.
fn cookie_name(state: &AppState) -> &'static str {
    if state.secure_cookies() { "__Host-session" } else { "session" }
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim().to_owned())
}

async fn patient_of(
    parts: &Parts,
    state: &AppState,
    allow_bearer: bool,
) -> Result<Option<Patient>, kabinet_service::Error> {
    let token = match bearer(parts).filter(|_| allow_bearer) {
        Some(token) => token,
        None => match CookieJar::from_headers(&parts.headers).get(cookie_name(state)) {
            Some(c) => c.value().to_owned(),
            None => return Ok(None),
        },
    };
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    state.kabinet.patient_session(&token).await
}

/// A signed-in patient in the API, by bearer token or session cookie; else 401.
pub struct ApiPatient(pub Patient);

impl FromRequestParts<AppState> for ApiPatient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match patient_of(parts, state, true).await? {
            Some(patient) => Ok(Self(patient)),
            None => {
                Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "error-unauthorized"))
            }
        }
    }
}

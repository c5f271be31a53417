//! Who of the staff is signed in: a cookie of its own (`__Host-staff` behind TLS, else
//! `staff`; `HttpOnly`, `SameSite=Lax`, `Secure` over TLS), separate from the patients'
//! session. A staff page without a live session redirects to `/staff/login`; every staff
//! form carries the session's CSRF token, checked by [`crate::csrf`].

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use kabinet_core::roles::Action;
use kabinet_service::second_factor::PendingStaff;
use kabinet_service::staff::StaffUser;

use crate::AppState;
use crate::cookies::cookie;
use crate::error::PageError;

/// The staff cookie's name. Browsers accept a `__Host-` cookie only with `Secure`.
fn cookie_name(state: &AppState) -> &'static str {
    if state.secure_cookies() { "__Host-staff" } else { "staff" }
}

/// The cookie of a new staff session.
pub fn staff_cookie(state: &AppState, token: &str) -> Cookie<'static> {
    let max_age = state.kabinet.settings.session_lifetime.as_secs();
    cookie(cookie_name(state), token, max_age, "/", state.secure_cookies())
}

/// A cookie that removes the staff cookie.
pub fn expired_staff_cookie(state: &AppState) -> Cookie<'static> {
    cookie(cookie_name(state), "", 0, "/", state.secure_cookies())
}

/// The member of staff of the request's staff cookie, if the session is alive.
pub async fn staff_of(
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Option<StaffUser>, kabinet_service::Error> {
    let jar = CookieJar::from_headers(headers);
    let token = jar.get(cookie_name(state)).map(|c| c.value().to_owned()).unwrap_or_default();
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    state.kabinet.staff_session(&token).await
}

/// A signed-in member of staff; pages that take it redirect to the sign-in page without one.
pub struct Staff(pub StaffUser);

impl Staff {
    /// The CSRF token for this session's forms.
    pub fn csrf(&self) -> &str {
        &self.0.csrf_token
    }

    /// The 403 page unless the roles table lets the member do `action`. Handlers ask before
    /// anything else, so a refusal reads nothing and is never mistaken for another one.
    pub fn require(&self, action: Action) -> Result<(), PageError> {
        if self.0.may(action) { Ok(()) } else { Err(PageError::Forbidden) }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(user) = parts.extensions.remove::<StaffUser>() {
            // Found by the CSRF check of this request already.
            return Ok(Self(user));
        }
        match staff_of(&parts.headers, state).await {
            Ok(Some(user)) => Ok(Self(user)),
            Ok(None) => Err(Redirect::to("/staff/login").into_response()),
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

/// The member of staff whose session (by the staff cookie) waits for the code step, if any.
pub async fn pending_staff_of(
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Option<PendingStaff>, kabinet_service::Error> {
    let jar = CookieJar::from_headers(headers);
    let token = jar.get(cookie_name(state)).map(|c| c.value().to_owned()).unwrap_or_default();
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    state.kabinet.staff_pending(&token).await
}

/// A member of staff who gave the right password and owes the code step; pages that take it
/// send anyone else back to the sign-in page.
pub struct Pending(pub PendingStaff);

impl FromRequestParts<AppState> for Pending {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match pending_staff_of(&parts.headers, state).await {
            Ok(Some(pending)) => Ok(Self(pending)),
            Ok(None) => Err(Redirect::to("/staff/login").into_response()),
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

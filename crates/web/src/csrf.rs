//! CSRF (ASVS V3.5): every state-changing form of the cabinet and of the back office carries
//! its session's token (a file upload's multipart form too), and it is checked here, once, before any handler runs — by the path,
//! so a new route under `/cabinet/` or `/staff/` cannot forget it. Cross-site posts are
//! refused before this by the same-origin check of [`crate::middleware`]. The session found
//! here rides on the request, so the handler's extractor does not read it again. A multipart
//! form (a photo's upload) carries the token as its first field, read before the file.

use axum::body::{Body, to_bytes};
use axum::extract::{Form, FromRequest, Multipart, Request};
use axum::http::{HeaderMap, Method, StatusCode, header};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::PageError;
use crate::request::origin_of;
use crate::session::{CsrfForm, patient_of};
use crate::staff_session::staff_of;

/// The largest form body the check reads.
const MAX_FORM_BYTES: usize = 64 * 1024;
/// The part of a multipart body its token is looked for in.
const MULTIPART_HEAD_BYTES: usize = 8 * 1024;
/// The largest multipart body the check reads: a photo's upload.
const MAX_MULTIPART_BYTES: usize = crate::pages::MAX_UPLOAD_BODY;

/// Whose session a state-changing form belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Realm {
    /// A patient's cabinet (and sign-out, and setting the first personal password).
    Patient,
    /// The back office.
    Staff,
}

/// Which session's token a state-changing request to `path` must carry; `None` for the
/// public forms, which have no session (sign-in, registration, booking, the notice).
pub fn realm_of(path: &str) -> Option<Realm> {
    if path.starts_with("/cabinet/") || matches!(path, "/logout" | "/account/activate") {
        Some(Realm::Patient)
    } else if path.starts_with("/staff")
        && !matches!(path, "/staff/login" | "/staff/bootstrap" | "/staff/setup")
    {
        Some(Realm::Staff)
    } else {
        None
    }
}

/// Passes `request` on when it changes nothing, has no session of its realm (its handler
/// sends it to sign in), or carries its session's token; else the 403 page.
pub async fn check_form_token(state: &AppState, request: Request) -> Result<Request, PageError> {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let Some(realm) = realm_of(request.uri().path()).filter(|_| !safe) else {
        return Ok(request);
    };
    let (mut parts, body) = request.into_parts();
    let expected = match realm {
        Realm::Patient => patient_of(&parts.headers, state, false).await?.map(|patient| {
            let found = (patient.csrf_token.clone(), patient.actor());
            parts.extensions.insert(patient);
            found
        }),
        Realm::Staff => staff_of(&parts.headers, state).await?.map(|staff| {
            let found = (staff.csrf_token.clone(), staff.actor());
            parts.extensions.insert(staff);
            found
        }),
    };
    let Some((expected, actor)) = expected else {
        return Ok(Request::from_parts(parts, body));
    };
    let multipart = is_multipart(&parts.headers);
    let bytes = if multipart {
        let too_large = PageError::Refused {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            key: "error-photo-too-large",
        };
        // A written request's attachments may be larger than a photo.
        let limit = MAX_MULTIPART_BYTES.max(crate::pages::attachments_body(state));
        to_bytes(body, limit).await.map_err(|_| too_large)?
    } else {
        to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| PageError::Forbidden)?
    };
    let sent = if multipart {
        // The token is in the first field: the head of the body holds it (and a whole photo
        // would pass the extractor's default limit).
        let head = bytes.slice(..bytes.len().min(MULTIPART_HEAD_BYTES));
        multipart_token(Request::from_parts(parts.clone(), Body::from(head)), state).await
    } else {
        let copy = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
        Form::<CsrfForm>::from_request(copy, state).await.map(|Form(f)| f.csrf).ok()
    };
    if !same_token(&expected, &sent.unwrap_or_default()) {
        let origin = origin_of(&parts, &state.kabinet.settings.trusted_proxies);
        state.kabinet.record_forged_form(actor, &origin).await?;
        return Err(PageError::Forbidden);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn is_multipart(headers: &HeaderMap) -> bool {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    content_type.is_some_and(|t| t.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// The token of a multipart form: its first field, named `csrf` (the file comes after it).
async fn multipart_token(request: Request, state: &AppState) -> Option<String> {
    let mut form = Multipart::from_request(request, state).await.ok()?;
    let field = form.next_field().await.ok()??;
    if field.name() != Some("csrf") {
        return None;
    }
    field.text().await.ok()
}

/// Compares tokens as digests, so the time taken says nothing about the expected one.
pub(crate) fn same_token(expected: &str, sent: &str) -> bool {
    Sha256::digest(sent.as_bytes()) == Sha256::digest(expected.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cabinet_and_back_office_forms_need_a_token_public_forms_do_not() {
        assert_eq!(realm_of("/cabinet/visits"), Some(Realm::Patient));
        assert_eq!(realm_of("/logout"), Some(Realm::Patient));
        assert_eq!(realm_of("/staff/patients/1/suspend"), Some(Realm::Staff));
        assert_eq!(realm_of("/staff"), Some(Realm::Staff));
        for public in ["/login", "/register", "/booking", "/notice", "/staff/login", "/staff/setup"]
        {
            assert_eq!(realm_of(public), None, "{public}");
        }
    }
}

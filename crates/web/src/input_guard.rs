//! Text no field may hold: a NUL character. PostgreSQL refuses it in any text value (the
//! request would end in a 500 after the work was half done), and no name, phone or message
//! needs it. It is refused here, before any handler, wherever it may come in: the path, the
//! query, a form or a JSON body, with the error every other bad input gets. And the answers
//! the router gives on its own (a wrong method, a body too large) get the same format as
//! every other error.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, PageError};

/// The largest body this check reads; larger ones are refused (no form or JSON of ours
/// comes near).
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The message key of the refusal.
const KEY: &str = "error-bad-characters";

/// Passes `request` on unless it carries a NUL; then the refusal, in the API's error format
/// under `/api/` and as the error page elsewhere.
pub async fn without_nul(request: Request, api: bool) -> Result<Request, Response> {
    let refuse = || {
        if api {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", KEY).into_response()
        } else {
            PageError::Refused { status: StatusCode::UNPROCESSABLE_ENTITY, key: KEY }
                .into_response()
        }
    };
    let uri = request.uri();
    if uri.path().contains("%00") || uri.query().is_some_and(|q| q.contains("%00")) {
        return Err(refuse());
    }
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let escaped_nul: &[u8] = match content_type.map(str::to_ascii_lowercase) {
        Some(t) if t.starts_with("application/x-www-form-urlencoded") => b"%00",
        Some(t) if t.starts_with("application/json") => b"\\u0000",
        _ => return Ok(request),
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return Err(in_error_format(StatusCode::PAYLOAD_TOO_LARGE.into_response(), api));
    };
    let has_nul = bytes.contains(&0)
        || bytes.windows(escaped_nul.len()).any(|w| w.eq_ignore_ascii_case(escaped_nul));
    if has_nul {
        return Err(refuse());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Gives a refusal of the router or an extractor (405 with no body, 413 in plain text) the
/// API's error format or the error page; any other response passes as it is. A 405 keeps its `Allow` header.
pub fn in_error_format(response: Response, api: bool) -> Response {
    let (code, key) = match response.status() {
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "error-method-not-allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "error-too-large"),
        _ => return response,
    };
    let json =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|t| t == "application/json");
    if json {
        return response;
    }
    let status = response.status();
    let mut formatted = if api {
        ApiError::new(status, code, key).into_response()
    } else {
        PageError::Refused { status, key }.into_response()
    };
    if let Some(allow) = response.headers().get(header::ALLOW) {
        formatted.headers_mut().insert(header::ALLOW, allow.clone());
    }
    formatted
}

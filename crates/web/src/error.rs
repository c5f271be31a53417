//! One error type for pages and one for the API, both rendered from what the service layer's
//! error says of itself (`status`, `code`, `message_key`): pages get a Russian (or English)
//! error page with the request id, never a trace; the API gets
//! `{"error": {"code", "message", "fields"}}`. The detail of an internal error travels in the
//! response to [`crate::middleware::frame`], which logs it with the request id.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use kabinet_core::patient::FieldErrors;
use kabinet_service::Error;
use serde_json::json;

use crate::AppState;
use crate::chrome::Chrome;
use crate::i18n::{I18n, Lang};
use crate::request::RequestId;

/// What went wrong for a page request.
#[derive(Debug)]
pub enum PageError {
    /// No such page or object, or not the caller's.
    NotFound,
    /// Not allowed, or a form without this session's CSRF token.
    Forbidden,
    /// The service refused what was asked (a taken slot, a limit): the page says why.
    Refused {
        /// The status, 4xx.
        status: StatusCode,
        /// The message key.
        key: &'static str,
    },
    /// Something broke; the detail is logged, never shown.
    Internal(String),
}

/// Marks a response that [`ErrorPageContext::render`] replaces by the error page.
#[derive(Debug, Clone)]
struct ErrorPage {
    message: Option<&'static str>,
}

/// The detail of an internal error, for the log line of [`crate::middleware::frame`].
#[derive(Debug, Clone)]
pub struct InternalDetail(pub String);

/// The HTTP status of a service error.
pub fn status_of(error: &Error) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The one-line message a page shows above its form when the service refuses: the error's
/// own message, or for invalid input the first field's. `None` for what is not a refusal (not
/// found, or the system failing): that goes to the error page.
pub fn refusal_message(error: &Error) -> Option<&'static str> {
    match error {
        Error::NotFound => None,
        Error::Validation(errors) => errors.0.first().map(|e| e.message),
        error if error.is_internal() => None,
        error => Some(error.message_key()),
    }
}

impl From<Error> for PageError {
    fn from(error: Error) -> Self {
        match error {
            Error::NotFound => Self::NotFound,
            Error::Forbidden => Self::Forbidden,
            error if error.is_internal() => Self::Internal(error.to_string()),
            error => Self::Refused { status: status_of(&error), key: error.message_key() },
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> Self {
        Self::Internal(format!("template: {error}"))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message, internal) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, None, None),
            Self::Forbidden => (StatusCode::FORBIDDEN, None, None),
            Self::Refused { status, key } => (status, Some(key), None),
            Self::Internal(detail) => (StatusCode::INTERNAL_SERVER_ERROR, None, Some(detail)),
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage { message });
        if let Some(detail) = internal {
            response.extensions_mut().insert(InternalDetail(detail));
        }
        response
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorTemplate {
    c: Chrome,
    status: u16,
    message: Option<&'static str>,
    request_id: String,
}

/// What the error page needs of the request, kept while the handler runs.
pub struct ErrorPageContext {
    headers: HeaderMap,
    uri: Uri,
}

impl ErrorPageContext {
    /// Keeps the cookies (the language) and the address of `request`.
    pub fn of(request: &Request) -> Self {
        let mut headers = HeaderMap::new();
        if let Some(cookie) = request.headers().get(header::COOKIE) {
            headers.insert(header::COOKIE, cookie.clone());
        }
        Self { headers, uri: request.uri().clone() }
    }

    /// Replaces a response marked as a page error by the error page, in the visitor's
    /// language, with the request id; the page is built only when there is an error.
    pub fn render(self, response: Response, state: &AppState, id: &RequestId) -> Response {
        let Some(page) = response.extensions().get::<ErrorPage>() else { return response };
        let c = Chrome::new(&self.headers, &self.uri, state);
        let status = response.status();
        let template = ErrorTemplate {
            c,
            status: status.as_u16(),
            message: page.message,
            request_id: id.0.clone(),
        };
        let mut rendered = template.into_response();
        *rendered.status_mut() = status;
        if let Some(detail) = response.extensions().get::<InternalDetail>() {
            rendered.extensions_mut().insert(detail.clone());
        }
        rendered
    }
}

/// What went wrong for an API request.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    fields: BTreeMap<&'static str, String>,
    retry_after: Option<i64>,
    internal: Option<String>,
}

impl ApiError {
    /// An error with a code and a message key, in Russian.
    pub fn new(status: StatusCode, code: &'static str, key: &str) -> Self {
        Self {
            status,
            code,
            message: russian().s(key),
            fields: BTreeMap::new(),
            retry_after: None,
            internal: None,
        }
    }

    /// A 422 naming every bad field.
    pub fn validation(errors: &FieldErrors) -> Self {
        let t = russian();
        let mut error =
            Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", "error-validation");
        error.fields = errors.0.iter().map(|e| (e.field, t.s(e.message))).collect();
        error
    }
}

fn russian() -> I18n {
    I18n { lang: Lang::Ru, tz: jiff::tz::TimeZone::UTC }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let mut api = match &error {
            Error::Validation(errors) => Self::validation(errors),
            other => Self::new(status_of(other), other.code(), other.message_key()),
        };
        api.retry_after = error.retry_after();
        if error.is_internal() {
            api.internal = Some(error.to_string());
        }
        api
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({"code": self.code, "message": self.message});
        if !self.fields.is_empty() {
            error["fields"] = json!(self.fields);
        }
        let mut response = (self.status, Json(json!({ "error": error }))).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
        }
        if let Some(detail) = self.internal {
            response.extensions_mut().insert(InternalDetail(detail));
        }
        response
    }
}

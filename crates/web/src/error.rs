//! One error type for pages and one for the API, both from the service layer's errors.
//! Pages get a Russian (or English) error page with the request id, never a trace; the API
//! gets `{"error": {"code", "message", "fields"}}`.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use kabinet_core::patient::FieldErrors;
use serde_json::json;

use crate::AppState;
use crate::i18n::{I18n, Lang};
use crate::middleware::RequestId;
use crate::pages::Chrome;

/// What went wrong for a page request.
#[derive(Debug)]
pub enum PageError {
    /// No such page or object, or not the caller's.
    NotFound,
    /// A form without this session's CSRF token.
    Forbidden,
    /// Something broke; the detail is logged, never shown.
    Internal(String),
}

/// Marks a response that [`ErrorPageContext::render`] replaces by the error page.
#[derive(Debug, Clone)]
struct ErrorPage {
    internal: Option<String>,
}

impl From<kabinet_service::Error> for PageError {
    fn from(error: kabinet_service::Error) -> Self {
        match error {
            kabinet_service::Error::NotFound => Self::NotFound,
            kabinet_service::Error::Forbidden => Self::Forbidden,
            other => Self::Internal(other.to_string()),
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
        let (status, internal) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, None),
            Self::Forbidden => (StatusCode::FORBIDDEN, None),
            Self::Internal(detail) => (StatusCode::INTERNAL_SERVER_ERROR, Some(detail)),
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage { internal });
        response
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorTemplate {
    c: Chrome,
    status: u16,
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
        if let Some(detail) = &page.internal {
            tracing::error!(request_id = %id.0, error = %detail, "internal error");
        }
        let c = Chrome::new(&self.headers, &self.uri, state);
        let status = response.status();
        let template = ErrorTemplate { c, status: status.as_u16(), request_id: id.0.clone() };
        let mut rendered = template.into_response();
        *rendered.status_mut() = status;
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
}

impl ApiError {
    /// An error with a code and a message key, in Russian.
    pub fn new(status: StatusCode, code: &'static str, key: &str) -> Self {
        Self { status, code, message: russian().s(key), fields: BTreeMap::new(), retry_after: None }
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

impl From<kabinet_service::Error> for ApiError {
    fn from(error: kabinet_service::Error) -> Self {
        use kabinet_service::Error as E;
        match error {
            E::NotFound => Self::new(StatusCode::NOT_FOUND, "not_found", "error-not-found"),
            E::Validation(errors) => Self::validation(&errors),
            E::SlotTaken => Self::new(StatusCode::CONFLICT, "slot_taken", "error-slot-taken"),
            E::OneTimeUsed => {
                Self::new(StatusCode::CONFLICT, "one_time_used", "error-one-time-used")
            }
            E::BookingClosed => {
                Self::new(StatusCode::CONFLICT, "booking_closed", "error-booking-closed")
            }
            E::Unauthorized => {
                Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "error-unauthorized")
            }
            E::EmailUnconfirmed => {
                Self::new(StatusCode::FORBIDDEN, "email_unconfirmed", "error-email-unconfirmed")
            }
            E::Throttled { retry_after } => {
                let mut error = Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    "error-throttled",
                );
                error.retry_after = Some(retry_after);
                error
            }
            E::LimitReached => {
                Self::new(StatusCode::CONFLICT, "limit_reached", "error-limit-reached")
            }
            E::TooLate => Self::new(StatusCode::CONFLICT, "too_late", "error-too-late"),
            E::Forbidden => Self::new(StatusCode::FORBIDDEN, "forbidden", "error-forbidden"),
            E::Store(e) => {
                tracing::error!(error = %e, "internal error in the API");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "error-internal")
            }
            E::Internal(e) => {
                tracing::error!(error = %e, "internal error in the API");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "error-internal")
            }
        }
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
        response
    }
}

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

/// Every `code` an API error may carry, with when. The document's `ErrorCode` schema lists
/// them; a test checks that the service's errors and the extractors use no other.
pub const ERROR_CODES: &[(&str, &str)] = &[
    (
        "validation",
        "422 (415 without a JSON content type): bad or missing input; `fields` names it.",
    ),
    ("not_found", "404: no such object, not the caller's, or an unknown path."),
    ("slot_taken", "409: the slot is taken, passed, inside the lead time or not in the schedule."),
    ("one_time_used", "409: this phone number already made its one-time booking."),
    (
        "idempotency_mismatch",
        "409: the `Idempotency-Key` (or form `request_key`) was used by another caller or for \
         another request.",
    ),
    ("booking_closed", "409: the clinic closed online booking for this specialist."),
    ("limit_reached", "409: the patient holds as many planned visits as their access allows."),
    ("too_late", "409: too close to the visit to cancel or move it online."),
    ("too_early", "409: the visit has not started yet, so its outcome cannot be marked."),
    (
        "online_booking_closed",
        "403: online booking is closed for the patient after no-shows; the message gives the \
         clinic's phone to book by.",
    ),
    (
        "already_waiting",
        "409: the patient already waits for this specialist (and service) on some of these days.",
    ),
    ("unauthorized", "401: no valid session, or a wrong login or password."),
    ("email_unconfirmed", "403: the right password, but the e-mail is not confirmed yet."),
    ("activation_required", "403: signed in with a one-time password; set a personal one first."),
    ("forbidden", "403: not allowed, or a browser request from another site."),
    ("too_many_attempts", "429: too many failed sign-ins; `Retry-After` says when to try again."),
    (
        "too_many_requests",
        "429: too many one-time bookings or loss reports from one client, phone or mailbox; \
         `Retry-After` says when to try again.",
    ),
    (
        "method_not_allowed",
        "405: the path exists, the method does not; `Allow` lists those that do.",
    ),
    ("too_large", "413: the body is larger than any request of this API needs."),
    ("internal", "500: the system failed; the request id (`x-request-id`) is in the log."),
    (
        "use_request",
        "409: the consent to processing of personal or health data is withdrawn by a request \
         (kind `deletion` or `stop`, `POST /api/v1/me/requests`), not by a switch.",
    ),
    (
        "acceptance_required",
        "403: a new version of the rules or the privacy policy must be accepted first (in the \
         cabinet, `/cabinet/accept`); `fields.document` is `rules` or `privacy`.",
    ),
    (
        "request_closed",
        "409: the request was answered or refused already, or its period was extended once \
         already.",
    ),
    (
        "data_blocked",
        "423: the patient's personal data is blocked on a request (152-FZ art. 21): no booking, \
         message or copy until the clinic unblocks it; the message gives the clinic's phone.",
    ),
    (
        "access_closed",
        "403: the right password, but the clinic suspended the account, cancelled the \
         registration or ended the service; the message gives the clinic's reason and phone.",
    ),
];

/// The `code` of an API error: one of [`ERROR_CODES`].
pub struct ErrorCode;

impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let when: Vec<String> =
            ERROR_CODES.iter().map(|(code, when)| format!("- `{code}`: {when}")).collect();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(ERROR_CODES.iter().map(|(code, _)| *code)))
            .description(Some(format!("The kind of error:\n\n{}", when.join("\n"))))
            .into()
    }
}

impl utoipa::ToSchema for ErrorCode {}

/// The body of every API error.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"error": {"code": "validation", "message": "Проверьте выделенные поля.",
    "fields": {"phone": "Укажите номер телефона, например +7 900 123-45-67."}}}))]
pub struct ErrorBody {
    /// What went wrong.
    error: ErrorDetail,
}

/// What went wrong, for programs (`code`, the keys of `fields`) and for people (`message`).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    #[schema(value_type = ErrorCode)]
    code: &'static str,
    /// A message in Russian, ready to show.
    message: String,
    /// For `validation`: each bad input's name, with a message in Russian. For
    /// `acceptance_required`: `document`, the kind of document to accept.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(required = false)]
    fields: BTreeMap<&'static str, String>,
}

/// What went wrong for an API request.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: ErrorDetail,
    retry_after: Option<i64>,
    internal: Option<String>,
}

impl ApiError {
    /// An error with a code and a message key, in Russian.
    pub fn new(status: StatusCode, code: &'static str, key: &str) -> Self {
        let detail = ErrorDetail { code, message: russian().s(key), fields: BTreeMap::new() };
        Self { status, detail, retry_after: None, internal: None }
    }

    /// A 422 naming every bad field.
    pub fn validation(errors: &FieldErrors) -> Self {
        let t = russian();
        let mut error =
            Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", "error-validation");
        error.detail.fields = errors.0.iter().map(|e| (e.field, t.s(e.message))).collect();
        error
    }

    /// A 403: a new version of the rules (`rules`) or the policy (`privacy`) requires the
    /// patient's acceptance first; `fields.document` names which.
    pub fn acceptance_required(document: &'static str) -> Self {
        let mut error =
            Self::new(StatusCode::FORBIDDEN, "acceptance_required", "error-acceptance-required");
        error.detail.fields.insert("document", document.to_owned());
        error
    }

    /// A 404: no such object, or an unknown path.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "error-not-found")
    }

    /// The error's code.
    #[cfg(test)]
    pub fn code(&self) -> &'static str {
        self.detail.code
    }
}

fn russian() -> I18n {
    I18n { lang: Lang::Ru, tz: jiff::tz::TimeZone::UTC }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let mut api = match &error {
            Error::Validation(errors) => Self::validation(errors),
            // The message gives the phone to book by.
            Error::OnlineBookingClosed { phone } => {
                let mut api = Self::new(status_of(&error), error.code(), error.message_key());
                api.detail.message =
                    russian().a("error-online-booking-closed-phone", "phone", phone.clone());
                api
            }
            Error::DataBlocked { phone } => {
                let mut api = Self::new(status_of(&error), error.code(), error.message_key());
                api.detail.message =
                    russian().a("error-data-blocked-phone", "phone", phone.clone());
                api
            }
            Error::AccessClosed { note, phone, .. } => {
                let mut api = Self::new(status_of(&error), error.code(), error.message_key());
                let reason = note.clone().unwrap_or_default();
                let details = russian().args(
                    "access-closed-details",
                    [("reason", reason.into()), ("phone", phone.clone().into())],
                );
                api.detail.message = format!("{} {details}", russian().s(error.message_key()));
                api
            }
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
        let mut response = (self.status, Json(ErrorBody { error: self.detail })).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
        }
        if let Some(detail) = self.internal {
            response.extensions_mut().insert(InternalDetail(detail));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of each kind the service layer has. The match has no wildcard, so a new
    /// kind does not compile until it is listed here, and then its code is checked below.
    fn every_service_error() -> Vec<Error> {
        let all = vec![
            Error::NotFound,
            Error::Validation(FieldErrors::default()),
            Error::SlotTaken,
            Error::OneTimeUsed,
            Error::IdempotencyMismatch,
            Error::BookingClosed,
            Error::Unauthorized,
            Error::EmailUnconfirmed,
            Error::Throttled { retry_after: 1 },
            Error::RateLimited { retry_after: 1 },
            Error::LimitReached,
            Error::TooLate,
            Error::TooEarly,
            Error::OnlineBookingClosed { phone: "+7 (495) 555-01-00".to_owned() },
            Error::Forbidden,
            Error::AlreadyWaiting,
            Error::Internal("broken".to_owned()),
            Error::UseRequest,
            Error::RequestClosed,
            Error::DataBlocked { phone: "+7 (495) 555-01-00".to_owned() },
            Error::AccessClosed {
                reason: kabinet_core::access::BlockReason::Suspended,
                note: Some("Проверка документов".to_owned()),
                phone: "+7 (495) 555-01-00".to_owned(),
            },
        ];
        for error in &all {
            match error {
                Error::NotFound
                | Error::Validation(_)
                | Error::SlotTaken
                | Error::OneTimeUsed
                | Error::IdempotencyMismatch
                | Error::BookingClosed
                | Error::Unauthorized
                | Error::EmailUnconfirmed
                | Error::Throttled { .. }
                | Error::RateLimited { .. }
                | Error::LimitReached
                | Error::TooLate
                | Error::TooEarly
                | Error::OnlineBookingClosed { .. }
                | Error::Forbidden
                | Error::AlreadyWaiting
                | Error::Internal(_)
                | Error::RequestClosed
                // Its code is that of `Internal`; building one needs the store.
                | Error::Store(_)
                | Error::UseRequest => {}
                | Error::DataBlocked { .. }
                | Error::AccessClosed { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_error_code_the_api_answers_is_documented() {
        let documented: Vec<&str> = ERROR_CODES.iter().map(|(code, _)| *code).collect();
        for error in every_service_error() {
            let code = ApiError::from(error).code();
            assert!(documented.contains(&code), "{code} is not in ERROR_CODES");
        }
        // The codes the web layer gives itself (session.rs, api/mod.rs, middleware.rs).
        for code in ["activation_required", "unauthorized", "validation", "not_found", "forbidden"]
        {
            assert!(documented.contains(&code), "{code} is not in ERROR_CODES");
        }
    }
}

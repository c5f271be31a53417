//! The JSON API under `/api/v1` for the clinic's other systems and apps (I1): the same use
//! cases as the pages, errors as `{"error": {"code", "message", "fields"}}`.

use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::routing::{get, post};
use kabinet_core::visit::VisitStatus;
use kabinet_service::model::Visit;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::ApiError;

mod accounts;
mod bookings;
mod me;
mod specialists;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/specialists", get(specialists::list_specialists))
        .route("/specialists/{id}", get(specialists::show_specialist))
        .route("/specialists/{id}/slots", get(specialists::list_slots))
        .route("/bookings", post(bookings::create_booking))
        .route("/registrations", post(accounts::create_registration))
        .route("/session", post(accounts::create_session).delete(accounts::delete_session))
        .route("/me/visits", get(me::list_visits).post(me::create_visit))
        .route("/me/visits/{id}", get(me::show_visit))
        .route("/me/visits/{id}/cancel", post(me::cancel_visit))
        .route("/me/visits/{id}/reschedule", post(me::reschedule_visit))
        .route("/me/password", post(accounts::change_password))
        .route("/me/messages", get(me::list_messages))
        .route("/me/messages/{id}/read", post(me::read_message))
        .route("/account/lost", post(accounts::report_lost))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "error-not-found") })
}

/// A JSON body whose rejections speak our error format.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "validation",
                "error-json-content-type",
            )),
            Err(_) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "error-json-body",
            )),
        }
    }
}

/// A list answer: `{"items": [...]}`.
#[derive(Serialize)]
pub struct Items<T> {
    items: Vec<T>,
}

/// Consents sent with a booking or a registration, each unticked unless sent.
#[derive(Deserialize, Default)]
pub struct ConsentsJson {
    #[serde(default)]
    personal_data: bool,
    #[serde(default)]
    calls: bool,
    /// Acceptance of the portal's rules; a registration needs it.
    #[serde(default)]
    rules: bool,
}

/// A visit in API answers.
#[derive(Serialize)]
pub struct VisitJson {
    /// The visit's id, for a patient's own visits. A one-time booking gets none: no route
    /// of a one-time patient takes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    code: String,
    status: VisitStatus,
    specialist_id: i64,
    specialist_name: String,
    start: ClinicTime,
    end: ClinicTime,
    branch: String,
    address: String,
    phone: String,
}

impl VisitJson {
    /// A visit as its patient sees it, times in the clinic's zone.
    fn of(v: Visit, tz: &jiff::tz::TimeZone) -> Self {
        let at = |s: i64| {
            ClinicTime::new(
                jiff::Timestamp::from_second(s).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                tz,
            )
        };
        Self {
            id: Some(v.id),
            code: v.code,
            status: v.status,
            specialist_id: v.specialist_id,
            specialist_name: v.specialist_name,
            start: at(v.starts_at),
            end: at(v.ends_at),
            branch: v.branch_name,
            address: v.branch_address,
            phone: v.branch_phone,
        }
    }
}

/// An instant as RFC 3339 with the clinic's offset, e.g. `2026-11-24T09:30:00+03:00`.
/// Written by hand: jiff's general `strftime` dominated the cost of a week of slots.
#[derive(Debug, Clone, Copy)]
pub struct ClinicTime {
    at: jiff::Timestamp,
    offset: jiff::tz::Offset,
}

impl ClinicTime {
    /// `at` as the clinic's clocks show it.
    pub fn new(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> Self {
        Self { at, offset: tz.to_offset(at) }
    }
}

impl ClinicTime {
    /// `YYYY-MM-DDTHH:MM:SS+HH:MM`, written digit by digit into a fixed buffer.
    fn bytes(&self) -> [u8; 25] {
        fn put(dst: &mut [u8], value: i32) {
            let mut n = value.unsigned_abs();
            for digit in dst.iter_mut().rev() {
                *digit = b'0' + u8::try_from(n % 10).unwrap_or(0);
                n /= 10;
            }
        }
        let t = self.offset.to_datetime(self.at);
        let offset = self.offset.seconds();
        let mut out = *b"0000-00-00T00:00:00+00:00";
        put(&mut out[0..4], i32::from(t.year()));
        put(&mut out[5..7], i32::from(t.month()));
        put(&mut out[8..10], i32::from(t.day()));
        put(&mut out[11..13], i32::from(t.hour()));
        put(&mut out[14..16], i32::from(t.minute()));
        put(&mut out[17..19], i32::from(t.second()));
        if offset < 0 {
            out[19] = b'-';
        }
        put(&mut out[20..22], offset.abs() / 3600);
        put(&mut out[23..25], offset.abs() % 3600 / 60);
        out
    }
}

impl std::fmt::Display for ClinicTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(std::str::from_utf8(&self.bytes()).map_err(|_| std::fmt::Error)?)
    }
}

impl serde::Serialize for ClinicTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = self.bytes();
        serializer.serialize_str(std::str::from_utf8(&bytes).map_err(serde::ser::Error::custom)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clinic_times_print_as_rfc3339_with_the_offset() {
        let at: jiff::Timestamp = "2026-11-24T06:30:00Z".parse().unwrap();
        let moscow = jiff::tz::TimeZone::get("Europe/Moscow").unwrap();
        assert_eq!(ClinicTime::new(at, &moscow).to_string(), "2026-11-24T09:30:00+03:00");
        let ny = jiff::tz::TimeZone::get("America/New_York").unwrap();
        assert_eq!(ClinicTime::new(at, &ny).to_string(), "2026-11-24T01:30:00-05:00");
        let back: jiff::Timestamp = ClinicTime::new(at, &ny).to_string().parse().unwrap();
        assert_eq!(back, at);
    }
}

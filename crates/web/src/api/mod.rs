//! The JSON API under `/api/v1` for the clinic's other systems and apps (I1): the same use
//! cases as the pages, errors as `{"error": {"code", "message", "fields"}}`.

use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

mod bookings;
mod specialists;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/specialists", get(specialists::list_specialists))
        .route("/specialists/{id}", get(specialists::show_specialist))
        .route("/specialists/{id}/slots", get(specialists::list_slots))
        .route("/bookings", post(bookings::create_booking))
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

/// An instant as RFC 3339 with the clinic's offset, e.g. `2026-11-24T09:30:00+03:00`.
pub fn rfc3339(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

//! `POST /api/v1/bookings`: a one-time booking (B2) for apps and the clinic's systems.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kabinet_service::booking::OneTimeRequest;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, BookingConsentsJson, PatientJson, VisitJson};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::request::ClientOrigin;

/// A one-time booking: a slot of a specialist, the patient and their consents.
#[derive(Deserialize, ToSchema)]
pub struct BookingJson {
    /// The specialist.
    specialist_id: i64,
    /// The service, from the specialist's `services`; the first of them (a consultation,
    /// where there is one) if not given.
    service_id: Option<i64>,
    /// A discount card number, a certificate or a promotion code.
    discount_code: Option<String>,
    /// The start of a free time for the service, as `start` of its slots (RFC 3339 with an
    /// offset).
    #[schema(format = DateTime, examples("2026-11-25T14:00:00+03:00"))]
    start: String,
    #[serde(default)]
    patient: PatientJson,
    #[serde(default)]
    consents: BookingConsentsJson,
}

/// The headers a booking reads.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[expect(dead_code, reason = "describes the header that `create_booking` reads by name")]
pub struct BookingHeaders {
    /// A key of at most 64 characters: a repeat with the same key answers the first booking.
    #[param(rename = "Idempotency-Key")]
    idempotency_key: Option<String>,
}

/// Books a visit without an account (one-time booking).
///
/// A phone number makes one one-time booking; it cannot be cancelled or moved online. A
/// repeat with the same `Idempotency-Key` from the same client with the same body answers the
/// first booking; the key with anything else is refused (`idempotency_mismatch`). A taken
/// slot is `slot_taken` whatever the phone did before. Limited per phone and per client
/// address (`KABINET_BOOKING_RATE_LIMIT` an hour).
#[utoipa::path(
    post,
    path = "/bookings",
    tag = "booking",
    params(BookingHeaders),
    request_body = BookingJson,
    responses(
        (status = 201, description = "Booked. A one-time booking carries no `id`.",
            body = VisitJson),
        (status = 403, description = "`forbidden`: a browser request from another site.",
            body = ErrorBody),
        (status = 404, description = "`not_found`: no such specialist.", body = ErrorBody),
        (status = 409, description = "`slot_taken`: the slot is taken, passed, inside the lead \
            time or not in the schedule; `one_time_used`: this phone number already made its \
            one-time booking; `booking_closed`: online booking is closed for this specialist; \
            `idempotency_mismatch`: the key was used by another client or for another request.",
            body = ErrorBody),
        (status = 429, description = "`too_many_requests`: too many one-time bookings from this \
            phone or this client address.", body = ErrorBody,
            headers(("Retry-After" = i64, description = "Seconds to wait."))),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 422, description = "`validation`: bad or missing input, named in `fields`: \
            a service the specialist does not give online (`service_id`), a discount code that \
            is unknown, expired, used up or not for this service (`discount_code`).",
            body = ErrorBody),
    )
)]
pub async fn create_booking(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    headers: HeaderMap,
    ApiJson(body): ApiJson<BookingJson>,
) -> Result<(StatusCode, Json<VisitJson>), ApiError> {
    let request_key =
        headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let booked = state
        .kabinet
        .book_one_time(OneTimeRequest {
            specialist_id: body.specialist_id,
            service_id: body.service_id,
            discount_code: body.discount_code,
            start: body.start,
            patient: body.patient.into(),
            consent_personal_data: body.consents.personal_data,
            consent_health_data: body.consents.health_data(),
            consent_calls: body.consents.calls,
            consent_advertising: body.consents.advertising,
            request_key,
            origin,
        })
        .await?;
    let visit = VisitJson::of(booked.visit, &state.kabinet.settings.time_zone);
    Ok((StatusCode::CREATED, Json(VisitJson { id: None, ..visit })))
}

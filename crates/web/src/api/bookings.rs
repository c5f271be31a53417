//! `POST /api/v1/bookings`: a one-time booking (B2) for apps and the clinic's systems.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kabinet_core::patient::PatientInput;
use kabinet_service::booking::OneTimeRequest;
use serde::Deserialize;

use super::{ApiJson, ConsentsJson, VisitJson};
use crate::AppState;
use crate::error::ApiError;
use crate::request::ClientIp;

#[derive(Deserialize)]
pub struct BookingJson {
    specialist_id: i64,
    start: String,
    #[serde(default)]
    patient: PatientInput,
    #[serde(default)]
    consents: ConsentsJson,
}

pub async fn create_booking(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<BookingJson>,
) -> Result<(StatusCode, Json<VisitJson>), ApiError> {
    let request_key =
        headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let booked = state
        .kabinet
        .book_one_time(OneTimeRequest {
            specialist_id: body.specialist_id,
            start: body.start,
            patient: body.patient,
            consent_personal_data: body.consents.personal_data,
            consent_calls: body.consents.calls,
            request_key,
            ip,
        })
        .await?;
    let visit = VisitJson::of(booked.visit, &state.kabinet.settings.time_zone);
    Ok((StatusCode::CREATED, Json(VisitJson { id: None, ..visit })))
}

//! `POST /api/v1/bookings`: a one-time booking (B2) for apps and the clinic's systems.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kabinet_core::patient::PatientInput;
use kabinet_service::booking::OneTimeRequest;
use serde::{Deserialize, Serialize};

use super::{ApiJson, ClinicTime};
use crate::AppState;
use crate::error::ApiError;
use crate::middleware::ClientIp;

#[derive(Deserialize)]
pub struct BookingJson {
    specialist_id: i64,
    start: String,
    #[serde(default)]
    patient: PatientInput,
    #[serde(default)]
    consents: ConsentsJson,
}

#[derive(Deserialize, Default)]
pub struct ConsentsJson {
    #[serde(default)]
    personal_data: bool,
    #[serde(default)]
    calls: bool,
}

#[derive(Serialize)]
pub struct BookedJson {
    code: String,
    status: String,
    specialist_id: i64,
    specialist_name: String,
    start: ClinicTime,
    end: ClinicTime,
    branch: String,
    address: String,
    phone: String,
}

pub async fn create_booking(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<BookingJson>,
) -> Result<(StatusCode, Json<BookedJson>), ApiError> {
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
    let v = booked.visit;
    let tz = &state.kabinet.settings.time_zone;
    let at = |s: i64| {
        ClinicTime::new(jiff::Timestamp::from_second(s).unwrap_or(jiff::Timestamp::UNIX_EPOCH), tz)
    };
    Ok((
        StatusCode::CREATED,
        Json(BookedJson {
            code: v.code,
            status: v.status,
            specialist_id: v.specialist_id,
            specialist_name: v.specialist_name,
            start: at(v.starts_at),
            end: at(v.ends_at),
            branch: v.branch_name,
            address: v.branch_address,
            phone: v.branch_phone,
        }),
    ))
}

//! `/api/v1/me/visits`: a signed-in patient's own visits (B3, B4, K1). Every route with an id
//! answers 404 for a visit that is not the caller's.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kabinet_store::booking::Visit;
use serde::{Deserialize, Serialize};

use super::{ApiJson, ClinicTime};
use crate::AppState;
use crate::error::ApiError;
use crate::middleware::ClientIp;
use crate::session::ApiPatient;

#[derive(Serialize)]
pub struct VisitJson {
    id: i64,
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

impl VisitJson {
    fn new(v: Visit, tz: &jiff::tz::TimeZone) -> Self {
        let at = |s: i64| {
            ClinicTime::new(
                jiff::Timestamp::from_second(s).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                tz,
            )
        };
        Self {
            id: v.id,
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

#[derive(Serialize)]
pub struct VisitsJson {
    items: Vec<VisitJson>,
}

pub async fn list_visits(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<VisitsJson>, ApiError> {
    let tz = &state.kabinet.settings.time_zone;
    let visits = state.kabinet.my_visits(&patient).await?;
    Ok(Json(VisitsJson { items: visits.into_iter().map(|v| VisitJson::new(v, tz)).collect() }))
}

pub async fn show_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    Path(id): Path<i64>,
) -> Result<Json<VisitJson>, ApiError> {
    let visit = state.kabinet.my_visit(&patient, id).await?;
    Ok(Json(VisitJson::new(visit, &state.kabinet.settings.time_zone)))
}

#[derive(Deserialize)]
pub struct NewVisitJson {
    specialist_id: i64,
    #[serde(default)]
    start: String,
}

pub async fn create_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<NewVisitJson>,
) -> Result<(StatusCode, Json<VisitJson>), ApiError> {
    let visit = state.kabinet.book_my_visit(&patient, body.specialist_id, &body.start, ip).await?;
    Ok((StatusCode::CREATED, Json(VisitJson::new(visit, &state.kabinet.settings.time_zone))))
}

pub async fn cancel_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Json<VisitJson>, ApiError> {
    let visit = state.kabinet.cancel_my_visit(&patient, id, ip).await?;
    Ok(Json(VisitJson::new(visit, &state.kabinet.settings.time_zone)))
}

#[derive(Deserialize)]
pub struct RescheduleJson {
    #[serde(default)]
    start: String,
}

pub async fn reschedule_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RescheduleJson>,
) -> Result<Json<VisitJson>, ApiError> {
    let visit = state.kabinet.reschedule_my_visit(&patient, id, &body.start, ip).await?;
    Ok(Json(VisitJson::new(visit, &state.kabinet.settings.time_zone)))
}

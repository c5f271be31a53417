//! `/api/v1/me/visits`: a signed-in patient's own visits (B3, B4, K1). Every route with an id
//! answers 404 for a visit that is not the caller's.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::{ApiJson, Items, VisitJson};
use crate::AppState;
use crate::error::ApiError;
use crate::middleware::ClientIp;
use crate::session::ApiPatient;

pub async fn list_visits(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<Items<VisitJson>>, ApiError> {
    let tz = &state.kabinet.settings.time_zone;
    let visits = state.kabinet.my_visits(&patient).await?;
    Ok(Json(Items { items: visits.into_iter().map(|v| VisitJson::of(v, tz)).collect() }))
}

pub async fn show_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    Path(id): Path<i64>,
) -> Result<Json<VisitJson>, ApiError> {
    let visit = state.kabinet.my_visit(&patient, id).await?;
    Ok(Json(VisitJson::of(visit, &state.kabinet.settings.time_zone)))
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
    Ok((StatusCode::CREATED, Json(VisitJson::of(visit, &state.kabinet.settings.time_zone))))
}

pub async fn cancel_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Json<VisitJson>, ApiError> {
    let visit = state.kabinet.cancel_my_visit(&patient, id, ip).await?;
    Ok(Json(VisitJson::of(visit, &state.kabinet.settings.time_zone)))
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
    Ok(Json(VisitJson::of(visit, &state.kabinet.settings.time_zone)))
}

//! `/api/v1/me/visits`: a signed-in patient's own visits (B3, B4, K1). Every route with an id
//! answers 404 for a visit that is not the caller's.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kabinet_service::model::Message;
use serde::{Deserialize, Serialize};

use super::{ApiJson, Items, VisitJson};
use crate::AppState;
use crate::error::ApiError;
use crate::request::ClientIp;
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

/// A message from the clinic in API answers.
#[derive(Serialize)]
pub struct MessageJson {
    id: i64,
    subject: String,
    body: String,
    /// RFC 3339, UTC.
    created_at: String,
    read: bool,
}

impl From<Message> for MessageJson {
    fn from(m: Message) -> Self {
        let created = jiff::Timestamp::from_second(m.created_at).unwrap_or_default();
        Self {
            id: m.id,
            subject: m.subject,
            body: m.body,
            created_at: created.to_string(),
            read: m.read_at.is_some(),
        }
    }
}

/// `GET /api/v1/me/messages`: the inbox, newest first (K3).
pub async fn list_messages(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<Items<MessageJson>>, ApiError> {
    let messages = state.kabinet.my_messages(&patient).await?;
    Ok(Json(Items { items: messages.into_iter().map(MessageJson::from).collect() }))
}

/// `POST /api/v1/me/messages/{id}/read`: marks one of the caller's messages read.
pub async fn read_message(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    Path(id): Path<i64>,
) -> Result<Json<MessageJson>, ApiError> {
    Ok(Json(state.kabinet.open_message(&patient, id).await?.into()))
}

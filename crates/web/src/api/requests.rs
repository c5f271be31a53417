//! `/api/v1/me/requests`, `/me/appeals`, `/me/files/{name}` and `/me/export`: the caller's
//! subject requests under 152-FZ with their due dates (G8), written requests and complaints
//! (K6) with their attachments, and the copy of their data. Every route with an id answers
//! 404 for what is not the caller's.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use kabinet_service::model::SubjectRequest;
use kabinet_service::requests::{AppealForm, AppealWithFiles};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath, ClinicTime, Items};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::export::{DataCopySchema, data_copy_json};
use crate::request::ClientOrigin;
use crate::session::ApiPatient;

/// A subject request to make.
#[derive(Deserialize, ToSchema)]
pub struct NewRequestJson {
    /// `access` (a copy of one's data; 10 working days, extendable once by 5), `correction`
    /// (7 working days), `stop` of processing (10 working days), `deletion` (30 days; medical
    /// records are kept as 323-FZ requires).
    #[serde(default)]
    #[schema(example = "access")]
    kind: String,
    /// What the caller asks for, in their words.
    #[serde(default)]
    text: String,
    /// A consent withdrawn with the request, in the same step: `personal_data` or
    /// `health_data`.
    #[serde(default)]
    withdraw_consent: Option<String>,
}

/// A subject request.
#[derive(Serialize, ToSchema)]
pub struct RequestJson {
    /// Its id.
    id: i64,
    /// `access`, `correction`, `stop` or `deletion`.
    kind: &'static str,
    /// The caller's words.
    text: String,
    /// `new`, `in_progress`, `extended`, `answered` or `refused`.
    #[schema(example = "new")]
    status: &'static str,
    /// The day it was received, in the clinic's zone.
    #[schema(format = Date)]
    received_on: String,
    /// The last day of the law's period, counted in working days of the Russian production
    /// calendar.
    #[schema(format = Date, example = "2026-12-16")]
    due_date: String,
    /// The consent withdrawn with it.
    withdrawn_consent: Option<&'static str>,
    /// Why the period was extended.
    extension_reason: Option<String>,
    /// The clinic's answer, or the reason of a refusal.
    answer: Option<String>,
    /// When it was made.
    created_at: ClinicTime,
}

fn time(secs: i64, tz: &TimeZone) -> ClinicTime {
    ClinicTime::new(Timestamp::from_second(secs).unwrap_or_default(), tz)
}

impl RequestJson {
    fn of(r: SubjectRequest, tz: &TimeZone) -> Self {
        Self {
            id: r.id,
            kind: r.kind.as_str(),
            text: r.text,
            status: r.status.as_str(),
            received_on: r.received_on,
            due_date: r.due_on,
            withdrawn_consent: r.withdrawn_consent.map(|c| c.as_str()),
            extension_reason: r.extension_reason,
            answer: r.answer,
            created_at: time(r.created_at, tz),
        }
    }
}

/// Makes a subject request (152-FZ art. 14, 20, 21); its due date is counted from the day
/// after today in Russian working days (holidays and transfers included).
#[utoipa::path(
    post,
    path = "/me/requests",
    tag = "requests",
    security(("bearer" = [])),
    request_body = NewRequestJson,
    responses(
        (status = 201, description = "Received.", body = RequestJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: a browser request from another site.", body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 422, description = "`validation`: an unknown `kind` or `withdraw_consent`, \
            or an empty or too long `text`.", body = ErrorBody),
    )
)]
pub async fn create_request(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiJson(body): ApiJson<NewRequestJson>,
) -> Result<(StatusCode, Json<RequestJson>), ApiError> {
    let request = state
        .kabinet
        .file_subject_request(
            &patient,
            &body.kind,
            &body.text,
            body.withdraw_consent.as_deref(),
            &origin,
        )
        .await?;
    let tz = &state.kabinet.settings.time_zone;
    Ok((StatusCode::CREATED, Json(RequestJson::of(request, tz))))
}

/// The caller's subject requests, newest first.
#[utoipa::path(
    get,
    path = "/me/requests",
    tag = "requests",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The requests.", body = Items<RequestJson>),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first.",
            body = ErrorBody),
    )
)]
pub async fn list_requests(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<Items<RequestJson>>, ApiError> {
    let tz = &state.kabinet.settings.time_zone;
    let requests = state.kabinet.my_subject_requests(&patient).await?;
    Ok(Json(Items { items: requests.into_iter().map(|r| RequestJson::of(r, tz)).collect() }))
}

/// One of the caller's subject requests, with the clinic's answer when given.
#[utoipa::path(
    get,
    path = "/me/requests/{id}",
    tag = "requests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The request's id.")),
    responses(
        (status = 200, description = "The request.", body = RequestJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first.",
            body = ErrorBody),
        (status = 404, description = "`not_found`: no such request of the caller's.",
            body = ErrorBody),
    )
)]
pub async fn show_request(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RequestJson>, ApiError> {
    let request = state.kabinet.my_subject_request(&patient, id).await?;
    Ok(Json(RequestJson::of(request, &state.kabinet.settings.time_zone)))
}

/// The copy of the caller's data, machine-readable (G8). Each export is audited.
#[utoipa::path(
    get,
    path = "/me/export",
    tag = "requests",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The copy.", body = DataCopySchema),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first.",
            body = ErrorBody),
    )
)]
pub async fn show_export(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
) -> Result<Response, ApiError> {
    let copy = state.kabinet.my_data_copy(&patient, &origin).await?;
    let json = data_copy_json(&copy, &state.kabinet.settings.time_zone);
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(json)).into_response())
}

/// A written request or complaint to file. Attachments are added with the cabinet's form.
#[derive(Deserialize, ToSchema)]
pub struct NewAppealJson {
    /// `tax_certificate` (a certificate of paid medical services for the tax deduction),
    /// `complaint`, `gratitude`, `question`, `medical_copies`, `other`.
    #[serde(default)]
    #[schema(example = "question")]
    category: String,
    /// The text.
    #[serde(default)]
    text: String,
    /// For `tax_certificate`: the year of the payments.
    #[serde(default)]
    tax_year: Option<i32>,
    /// For `tax_certificate`: `self` or `relative`.
    #[serde(default)]
    taxpayer: Option<String>,
    /// The relative's full name.
    #[serde(default)]
    taxpayer_name: Option<String>,
    /// The relative's birth date, `YYYY-MM-DD`.
    #[serde(default)]
    taxpayer_birth_date: Option<String>,
    /// Who the relative is to the caller («супруг», «мать»…).
    #[serde(default)]
    taxpayer_relation: Option<String>,
}

/// A written request or complaint.
#[derive(Serialize, ToSchema)]
pub struct AppealJson {
    /// Its id.
    id: i64,
    /// The category.
    category: &'static str,
    /// The text.
    text: String,
    /// For a tax certificate: `tax_year`, `taxpayer` and the relative's details.
    #[schema(value_type = Object)]
    details: serde_json::Value,
    /// `new`, `in_progress` or `answered`.
    status: &'static str,
    /// The last day to answer (30 days by default).
    #[schema(format = Date)]
    due_date: String,
    /// The clinic's answer.
    answer: Option<String>,
    /// The attachments, each with its download URL.
    attachments: Vec<AttachmentJson>,
    /// When it was filed.
    created_at: ClinicTime,
}

/// An attached file.
#[derive(Serialize, ToSchema)]
pub struct AttachmentJson {
    /// The name the clinic gave it.
    name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    content_type: String,
    /// Bytes.
    size: i64,
    /// Attached by the clinic to its answer.
    from_clinic: bool,
    /// Where to download it (with the same bearer token).
    url: String,
}

impl AppealJson {
    fn of(a: AppealWithFiles, tz: &TimeZone) -> Self {
        let attachments = a
            .files
            .into_iter()
            .map(|f| AttachmentJson {
                url: format!("/api/v1/me/files/{}", f.name),
                name: f.name,
                content_type: f.content_type,
                size: f.size,
                from_clinic: f.by_staff,
            })
            .collect();
        let a_ = a.appeal;
        Self {
            id: a_.id,
            category: a_.category.as_str(),
            text: a_.text,
            details: serde_json::from_str(&a_.details).unwrap_or_default(),
            status: a_.status.as_str(),
            due_date: a_.due_on,
            answer: a_.answer,
            attachments,
            created_at: time(a_.created_at, tz),
        }
    }
}

/// Files a written request or complaint; due in 30 days by default.
#[utoipa::path(
    post,
    path = "/me/appeals",
    tag = "requests",
    security(("bearer" = [])),
    request_body = NewAppealJson,
    responses(
        (status = 201, description = "Filed.", body = AppealJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: a browser request from another site.", body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 422, description = "`validation`: an unknown `category`, an empty `text`, \
            or a tax certificate without its year or taxpayer.", body = ErrorBody),
    )
)]
pub async fn create_appeal(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiJson(body): ApiJson<NewAppealJson>,
) -> Result<(StatusCode, Json<AppealJson>), ApiError> {
    let form = AppealForm {
        category: body.category,
        text: body.text,
        tax_year: body.tax_year.map(|y| y.to_string()).unwrap_or_default(),
        taxpayer: body.taxpayer.unwrap_or_default(),
        taxpayer_name: body.taxpayer_name.unwrap_or_default(),
        taxpayer_birth_date: body.taxpayer_birth_date.unwrap_or_default(),
        taxpayer_relation: body.taxpayer_relation.unwrap_or_default(),
    };
    let appeal = state.kabinet.file_appeal(&patient, &form, &[], &origin).await?;
    let tz = &state.kabinet.settings.time_zone;
    Ok((StatusCode::CREATED, Json(AppealJson::of(appeal, tz))))
}

/// The caller's written requests and complaints, newest first.
#[utoipa::path(
    get,
    path = "/me/appeals",
    tag = "requests",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The written requests.", body = Items<AppealJson>),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first.",
            body = ErrorBody),
    )
)]
pub async fn list_appeals(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<Items<AppealJson>>, ApiError> {
    let tz = &state.kabinet.settings.time_zone;
    let mut items = Vec::new();
    for a in state.kabinet.my_appeals(&patient).await? {
        items.push(AppealJson::of(state.kabinet.my_appeal(&patient, a.id).await?, tz));
    }
    Ok(Json(Items { items }))
}

/// One of the caller's written requests, with its attachments and the answer.
#[utoipa::path(
    get,
    path = "/me/appeals/{id}",
    tag = "requests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The written request's id.")),
    responses(
        (status = 200, description = "The written request.", body = AppealJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first.",
            body = ErrorBody),
        (status = 404, description = "`not_found`: no such written request of the caller's.",
            body = ErrorBody),
    )
)]
pub async fn show_appeal(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AppealJson>, ApiError> {
    let appeal = state.kabinet.my_appeal(&patient, id).await?;
    Ok(Json(AppealJson::of(appeal, &state.kabinet.settings.time_zone)))
}

/// One of the caller's attachments (or the clinic's attachment to an answer to them).
#[utoipa::path(
    get,
    path = "/me/files/{name}",
    tag = "requests",
    security(("bearer" = [])),
    params(("name" = String, Path, description = "The file's name, from `attachments`.")),
    responses(
        (status = 200, description = "The file, as an attachment.", content_type = "application/octet-stream"),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first.",
            body = ErrorBody),
        (status = 404, description = "`not_found`: no such file of the caller's.",
            body = ErrorBody),
    )
)]
pub async fn show_file(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ApiPath(name): ApiPath<String>,
) -> Result<Response, ApiError> {
    let (content_type, bytes) = state.kabinet.my_file(&patient, &name).await?;
    Ok(crate::pages::file_download(&name, &content_type, bytes))
}

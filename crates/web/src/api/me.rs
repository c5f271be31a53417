//! `/api/v1/me/visits`: a signed-in patient's own visits (B3, B4, K1). Every route with an id
//! answers 404 for one that is not the caller's.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kabinet_service::visits::WantedVisit;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiJson, ApiPath, Items, VisitJson};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::request::ClientOrigin;
use crate::session::ApiPatient;

/// The caller's visits, planned and past, soonest first.
#[utoipa::path(
    get,
    path = "/me/visits",
    tag = "visits",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The visits.", body = Items<VisitJson>),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: signed in with a one-time \
            password; set a personal one first.", body = ErrorBody),
    )
)]
pub async fn list_visits(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<Items<VisitJson>>, ApiError> {
    let tz = &state.kabinet.settings.time_zone;
    let visits = state.kabinet.my_visits(&patient).await?;
    Ok(Json(Items { items: visits.into_iter().map(|v| VisitJson::of(v, tz)).collect() }))
}

/// One of the caller's visits.
#[utoipa::path(
    get,
    path = "/me/visits/{id}",
    tag = "visits",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The visit's id.")),
    responses(
        (status = 200, description = "The visit.", body = VisitJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: signed in with a one-time \
            password; set a personal one first.", body = ErrorBody),
        (status = 404, description = "`not_found`: no such visit of the caller's.",
            body = ErrorBody),
    )
)]
pub async fn show_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VisitJson>, ApiError> {
    let visit = state.kabinet.my_visit(&patient, id).await?;
    Ok(Json(VisitJson::of(visit, &state.kabinet.settings.time_zone)))
}

/// A visit to book.
#[derive(Deserialize, ToSchema)]
pub struct NewVisitJson {
    /// The specialist.
    specialist_id: i64,
    /// The service, from the specialist's `services`; the first of them (a consultation,
    /// where there is one) if not given.
    service_id: Option<i64>,
    /// A discount card number, a certificate or a promotion code.
    discount_code: Option<String>,
    /// The start of a free time for the service, as `start` of its slots (RFC 3339 with an
    /// offset).
    #[serde(default)]
    #[schema(format = DateTime, examples("2026-11-25T14:00:00+03:00"))]
    start: String,
}

/// Books a visit for the caller.
///
/// Unconfirmed access holds one planned visit; confirmed access up to the clinic's cap (5 by
/// default).
#[utoipa::path(
    post,
    path = "/me/visits",
    tag = "visits",
    security(("bearer" = [])),
    request_body = NewVisitJson,
    responses(
        (status = 201, description = "Booked.", body = VisitJson,
            links(
                ("show" = (operation_id = "show_visit",
                    parameters(("id" = "$response.body#/id")))),
                ("cancel" = (operation_id = "cancel_visit",
                    parameters(("id" = "$response.body#/id")))),
                ("reschedule" = (operation_id = "reschedule_visit",
                    parameters(("id" = "$response.body#/id")))),
            )),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: not allowed for this access, or a browser request from another site; \
            `online_booking_closed`: online booking is closed for the caller after no-shows \
            (the message gives the clinic's phone to book by).",
            body = ErrorBody),
        (status = 404, description = "`not_found`: no such specialist.", body = ErrorBody),
        (status = 409, description = "`slot_taken`: the slot is not free; `booking_closed`: \
            online booking is closed for this specialist; `limit_reached`: the caller holds as \
            many planned visits as their access allows.", body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 423, description = "`data_blocked`: the caller's personal data is blocked \
            on a request; the message gives the clinic's phone.", body = ErrorBody),
        (status = 422, description = "`validation`: bad or missing input, named in `fields`: \
            a service the specialist does not give online (`service_id`), a discount code that \
            is unknown, expired, used up or not for this service (`discount_code`).",
            body = ErrorBody),
    )
)]
pub async fn create_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiJson(body): ApiJson<NewVisitJson>,
) -> Result<(StatusCode, Json<VisitJson>), ApiError> {
    let wanted = WantedVisit {
        specialist_id: body.specialist_id,
        service_id: body.service_id,
        start: body.start,
        discount_code: body.discount_code,
    };
    let visit = state.kabinet.book_my_visit(&patient, &wanted, &origin).await?;
    Ok((StatusCode::CREATED, Json(VisitJson::of(visit, &state.kabinet.settings.time_zone))))
}

/// Cancels one of the caller's planned visits.
///
/// Online cancelling closes at the clinic's cut-off (3 hours before the visit by default).
#[utoipa::path(
    post,
    path = "/me/visits/{id}/cancel",
    tag = "visits",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The visit's id.")),
    responses(
        (status = 200, description = "The cancelled visit.", body = VisitJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: not allowed for this access, or a browser request from another site.",
            body = ErrorBody),
        (status = 404, description = "`not_found`: no such planned visit of the caller's.",
            body = ErrorBody),
        (status = 409, description = "`too_late`: too close to the visit to cancel it online.",
            body = ErrorBody),
    )
)]
pub async fn cancel_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VisitJson>, ApiError> {
    let visit = state.kabinet.cancel_my_visit(&patient, id, &origin).await?;
    Ok(Json(VisitJson::of(visit, &state.kabinet.settings.time_zone)))
}

/// A new time for a visit.
#[derive(Deserialize, ToSchema)]
pub struct RescheduleJson {
    /// The new slot's start, as `start` of a free slot of the same specialist.
    #[serde(default)]
    #[schema(format = DateTime, examples("2026-11-26T10:00:00+03:00"))]
    start: String,
}

/// Moves one of the caller's planned visits.
///
/// The new time is a free slot of the same specialist. Online moving closes at the clinic's
/// cut-off (12 hours before the visit by default).
#[utoipa::path(
    post,
    path = "/me/visits/{id}/reschedule",
    tag = "visits",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The visit's id.")),
    request_body = RescheduleJson,
    responses(
        (status = 200, description = "The visit at its new time.", body = VisitJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: not allowed for this access, or a browser request from another site.",
            body = ErrorBody),
        (status = 404, description = "`not_found`: no such planned visit of the caller's.",
            body = ErrorBody),
        (status = 409, description = "`too_late`: too close to the visit to move it online; \
            `slot_taken`: the new slot is not free; `booking_closed`: online booking is closed \
            for this specialist.", body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 423, description = "`data_blocked`: the caller's personal data is blocked \
            on a request; the message gives the clinic's phone.", body = ErrorBody),
        (status = 422, description = "`validation`: bad or missing `start`.", body = ErrorBody),
    )
)]
pub async fn reschedule_visit(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RescheduleJson>,
) -> Result<Json<VisitJson>, ApiError> {
    let visit = state.kabinet.reschedule_my_visit(&patient, id, &body.start, &origin).await?;
    Ok(Json(VisitJson::of(visit, &state.kabinet.settings.time_zone)))
}

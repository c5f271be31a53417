//! `/api/v1/me/waitlist`: the caller's places in the waiting list for fully booked specialists
//! (B8). Every route with an id answers 404 for a place that is not the caller's.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use kabinet_service::model::WaitlistEntry;
use kabinet_service::waitlist::WaitFor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath, ClinicTime, Items, ServiceRefJson};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::request::ClientOrigin;
use crate::session::ApiPatient;

/// A place in the waiting list to take.
#[derive(Deserialize, ToSchema)]
pub struct NewWaitlistEntryJson {
    /// The specialist.
    specialist_id: i64,
    /// The service, from the specialist's `services`; none: any time the specialist's first
    /// service (a consultation, where there is one) fits.
    service_id: Option<i64>,
    /// The first day the caller can come, in the clinic's time zone, from today.
    #[serde(default)]
    #[schema(format = Date, examples("2026-12-07"))]
    from: String,
    /// The last day, within the booking horizon.
    #[serde(default)]
    #[schema(format = Date, examples("2026-12-11"))]
    to: String,
}

/// A place in the waiting list.
#[derive(Serialize, ToSchema)]
pub struct WaitlistEntryJson {
    /// The place's id.
    id: i64,
    /// The specialist.
    specialist_id: i64,
    /// The specialist's full name.
    specialist_name: String,
    /// The service, if one was chosen.
    service_id: Option<i64>,
    /// Its name.
    service: Option<ServiceRefJson>,
    /// The first day, YYYY-MM-DD.
    #[schema(format = Date)]
    from: String,
    /// The last day, YYYY-MM-DD.
    #[schema(format = Date)]
    to: String,
    /// `waiting` (in line), `booked` (a time offered was booked) or `left`.
    #[schema(example = "waiting")]
    status: &'static str,
    /// When the caller joined: the line's order.
    created_at: ClinicTime,
    /// The time held for the caller now, if any: book it with `POST /me/visits` (its
    /// `specialist_id`, `service_id` and `start`) before `held_until`.
    offer: Option<WaitlistOfferJson>,
}

/// A free time held for the caller.
#[derive(Serialize, ToSchema)]
pub struct WaitlistOfferJson {
    /// When the visit would start.
    start: ClinicTime,
    /// When it would end.
    end: ClinicTime,
    /// Until when nobody else can book it.
    held_until: ClinicTime,
}

impl WaitlistEntryJson {
    fn of(e: WaitlistEntry, tz: &TimeZone) -> Self {
        let at = |s: i64| ClinicTime::new(Timestamp::from_second(s).unwrap_or_default(), tz);
        let offer = match (e.offer_starts_at, e.offer_ends_at, e.offer_expires_at) {
            (Some(start), Some(end), Some(until)) => {
                Some(WaitlistOfferJson { start: at(start), end: at(end), held_until: at(until) })
            }
            _ => None,
        };
        Self {
            id: e.id,
            specialist_id: e.specialist_id,
            specialist_name: e.specialist_name,
            service_id: e.service_id,
            service: e.service_id.zip(e.service_name).map(|(id, name)| ServiceRefJson { id, name }),
            from: e.from_day,
            to: e.to_day,
            status: e.status.as_str(),
            created_at: at(e.created_at),
            offer,
        }
    }
}

/// Joins the waiting list for a specialist (and a service) on the days `from`..`to`.
///
/// When a matching time frees up, the first in line (by the time of joining) whose access
/// allows one more planned visit has it held for them (15 minutes by default) and gets a
/// letter and a cabinet message; the entry then shows it as `offer`.
#[utoipa::path(
    post,
    path = "/me/waitlist",
    tag = "waitlist",
    security(("bearer" = [])),
    request_body = NewWaitlistEntryJson,
    responses(
        (status = 201, description = "In line.", body = WaitlistEntryJson,
            links(
                ("show" = (operation_id = "show_waitlist_entry",
                    parameters(("id" = "$response.body#/id")))),
                ("leave" = (operation_id = "delete_waitlist_entry",
                    parameters(("id" = "$response.body#/id")))),
            )),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: a browser request from another site.", body = ErrorBody),
        (status = 404, description = "`not_found`: no such specialist, or a service they do \
            not give online.", body = ErrorBody),
        (status = 409, description = "`already_waiting`: the caller already waits for this \
            specialist (and service) on some of these days.", body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 423, description = "`data_blocked`: the caller's personal data is blocked \
            on a request; the message gives the clinic's phone.", body = ErrorBody),
        (status = 422, description = "`validation`: bad or missing `from` or `to` (not a \
            date, before today, past the booking horizon, or `to` before `from`).",
            body = ErrorBody),
    )
)]
pub async fn create_waitlist_entry(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiJson(body): ApiJson<NewWaitlistEntryJson>,
) -> Result<(StatusCode, Json<WaitlistEntryJson>), ApiError> {
    let wanted = WaitFor {
        specialist_id: body.specialist_id,
        service_id: body.service_id,
        from: body.from,
        to: body.to,
    };
    let entry = state.kabinet.join_waitlist(&patient, &wanted, &origin).await?;
    let tz = &state.kabinet.settings.time_zone;
    Ok((StatusCode::CREATED, Json(WaitlistEntryJson::of(entry, tz))))
}

/// The caller's places in the waiting list, newest first.
#[utoipa::path(
    get,
    path = "/me/waitlist",
    tag = "waitlist",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The places.", body = Items<WaitlistEntryJson>),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: signed in with a one-time \
            password; set a personal one first.", body = ErrorBody),
    )
)]
pub async fn list_waitlist(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<Items<WaitlistEntryJson>>, ApiError> {
    let tz = &state.kabinet.settings.time_zone;
    let entries = state.kabinet.my_waitlist(&patient).await?;
    Ok(Json(Items { items: entries.into_iter().map(|e| WaitlistEntryJson::of(e, tz)).collect() }))
}

/// One of the caller's places in the waiting list, with the time held for them, if any.
#[utoipa::path(
    get,
    path = "/me/waitlist/{id}",
    tag = "waitlist",
    operation_id = "show_waitlist_entry",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The place's id.")),
    responses(
        (status = 200, description = "The place.", body = WaitlistEntryJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: signed in with a one-time \
            password; set a personal one first.", body = ErrorBody),
        (status = 404, description = "`not_found`: no such place of the caller's.",
            body = ErrorBody),
    )
)]
pub async fn show_waitlist_entry(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<WaitlistEntryJson>, ApiError> {
    let entry = state.kabinet.my_waitlist_entry(&patient, id).await?;
    Ok(Json(WaitlistEntryJson::of(entry, &state.kabinet.settings.time_zone)))
}

/// Leaves the waiting list; a time held for the caller goes to the next in line at once.
#[utoipa::path(
    delete,
    path = "/me/waitlist/{id}",
    tag = "waitlist",
    operation_id = "delete_waitlist_entry",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The place's id.")),
    responses(
        (status = 204, description = "Out of the line (also when it was already)."),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: a browser request from another site.", body = ErrorBody),
        (status = 404, description = "`not_found`: no such place of the caller's.",
            body = ErrorBody),
    )
)]
pub async fn delete_waitlist_entry(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.kabinet.leave_waitlist(&patient, id, &origin).await?;
    Ok(StatusCode::NO_CONTENT)
}

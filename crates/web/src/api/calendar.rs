//! `/api/v1/me/calendar`: the caller's private calendar feed (B8). Only a hash of the feed's
//! secret is kept, so its address is in the one answer that made it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::ClinicTime;
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::request::ClientOrigin;
use crate::session::ApiPatient;

/// The caller's calendar feed.
#[derive(Serialize, ToSchema)]
pub struct CalendarJson {
    /// The feed's address, `https://…/calendar/<secret>.ics`, in the answer that made the
    /// feed only; null when it was made before (the address is not kept: revoke the feed and
    /// ask again for a new one).
    #[schema(examples("https://kabinet.example/calendar/0123456789abcdef0123456789abcdef.ics"))]
    url: Option<String>,
    /// The same address with the `webcal://` scheme, which calendars open as a subscription;
    /// null with `url`.
    webcal_url: Option<String>,
    /// When the feed's address was made.
    created_at: ClinicTime,
    /// When a calendar last read the feed; null before the first read.
    last_fetched_at: Option<ClinicTime>,
    /// Whether events name the specialist and the service (chosen in the cabinet); without
    /// it they read «Приём в клинике …» only.
    show_details: bool,
}

/// The caller's calendar feed, made on the first call.
///
/// The first call (or the first after `DELETE`) makes the feed and answers its address in
/// `url` and `webcal_url`. Later calls answer the same feed with `url: null`: the portal keeps
/// only a hash of the address's secret, and a read never replaces it (a calendar subscribed
/// to it keeps working). To get a new address, `DELETE` the feed and call this again.
#[utoipa::path(
    get,
    path = "/me/calendar",
    tag = "calendar",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The feed; its address only when this call made it.",
            body = CalendarJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: signed in with a one-time \
            password; set a personal one first.", body = ErrorBody),
    )
)]
pub async fn show_calendar(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
) -> Result<Json<CalendarJson>, ApiError> {
    let made = state.kabinet.ensure_my_calendar_feed(&patient, &origin).await?;
    let feed = state.kabinet.my_calendar_feed(&patient).await?;
    let tz = &state.kabinet.settings.time_zone;
    let at = |s: i64| {
        ClinicTime::new(jiff::Timestamp::from_second(s).unwrap_or(jiff::Timestamp::UNIX_EPOCH), tz)
    };
    let (url, webcal_url) = made.map(|a| (a.https, a.webcal)).unzip();
    Ok(Json(CalendarJson {
        url,
        webcal_url,
        created_at: at(feed.created_at.unwrap_or_default()),
        last_fetched_at: feed.last_fetched_at.map(at),
        show_details: feed.show_details,
    }))
}

/// Revokes the caller's calendar feed.
///
/// Its address stops working at once (404). Answers 204 whether or not a feed existed.
#[utoipa::path(
    delete,
    path = "/me/calendar",
    tag = "calendar",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "No feed now."),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: a browser request from another site.", body = ErrorBody),
    )
)]
pub async fn delete_calendar(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
) -> Result<StatusCode, ApiError> {
    state.kabinet.revoke_my_calendar_feed(&patient, &origin).await?;
    Ok(StatusCode::NO_CONTENT)
}

//! `/api/v1/me/preferences`: what the portal sends the caller (B8: reminders before visits).

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::request::ClientOrigin;
use crate::session::ApiPatient;

/// The caller's preferences.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PreferencesJson {
    /// Whether a reminder letter goes out before each planned visit (24 hours before by
    /// default; none for a visit booked closer to its start). On unless switched off.
    reminders: bool,
}

/// The caller's preferences.
#[utoipa::path(
    get,
    path = "/me/preferences",
    tag = "preferences",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The preferences.", body = PreferencesJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: signed in with a one-time \
            password; set a personal one first.", body = ErrorBody),
    )
)]
pub async fn show_preferences(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<PreferencesJson>, ApiError> {
    let prefs = state.kabinet.my_preferences(&patient).await?;
    Ok(Json(PreferencesJson { reminders: prefs.reminders }))
}

/// Sets the caller's preferences.
///
/// `reminders: false` stops reminders for visits not yet reminded of; `true` brings them back
/// for planned visits whose reminder time is still ahead. A change is audited.
#[utoipa::path(
    put,
    path = "/me/preferences",
    tag = "preferences",
    security(("bearer" = [])),
    request_body = PreferencesJson,
    responses(
        (status = 200, description = "The preferences now.", body = PreferencesJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: a browser request from another site.", body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 422, description = "`validation`: bad or missing `reminders`.",
            body = ErrorBody),
    )
)]
pub async fn update_preferences(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiJson(body): ApiJson<PreferencesJson>,
) -> Result<Json<PreferencesJson>, ApiError> {
    let prefs = state.kabinet.set_my_reminders(&patient, body.reminders, &origin).await?;
    Ok(Json(PreferencesJson { reminders: prefs.reminders }))
}

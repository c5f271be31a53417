//! `/api/v1/me/consents`: the caller's consent ledger (G1), withdrawing an optional consent
//! and giving it again. The consents to processing of personal and health data are withdrawn
//! by a request (`use_request`), never by a switch.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use kabinet_core::consent::ConsentKind;
use kabinet_service::model::LedgerRow;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiPath, ClinicTime, Items};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::request::ClientOrigin;
use crate::session::ApiPatient;

/// One row of the ledger.
#[derive(Serialize, ToSchema)]
pub struct ConsentJson {
    /// The row's id.
    id: i64,
    /// The purpose: `personal_data`, `health_data`, `calls`, `advertising`, `cookies`, or
    /// `rules` (acceptance of the portal's rules).
    #[schema(example = "calls")]
    kind: &'static str,
    /// The document it refers to: `rules` or `privacy`.
    #[schema(example = "rules")]
    document: &'static str,
    /// The document's version.
    document_version: i32,
    /// SHA-256 (hex) of that version's text.
    document_hash: Option<String>,
    /// `online` or `paper`.
    #[schema(example = "online")]
    channel: &'static str,
    /// Who entered it: `patient`, `representative` or `registrar`.
    #[schema(example = "patient")]
    recorded_as: &'static str,
    /// When it was given.
    given_at: ClinicTime,
    /// When it was withdrawn; absent while in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    withdrawn_at: Option<ClinicTime>,
    /// Whether it is in force.
    in_force: bool,
}

impl ConsentJson {
    fn of(r: LedgerRow, tz: &TimeZone) -> Self {
        let at = |s: i64| ClinicTime::new(Timestamp::from_second(s).unwrap_or_default(), tz);
        Self {
            id: r.id,
            kind: r.kind.as_str(),
            document: r.document_kind.as_str(),
            document_version: r.document_version,
            document_hash: r.document_hash,
            channel: r.channel.as_str(),
            recorded_as: r.recorded_as.as_str(),
            given_at: at(r.given_at),
            withdrawn_at: r.withdrawn_at.map(at),
            in_force: r.withdrawn_at.is_none(),
        }
    }
}

/// A purpose from the path; one the ledger does not know names nothing.
fn purpose(kind: &str) -> Result<ConsentKind, ApiError> {
    kind.parse::<ConsentKind>()
        .ok()
        .filter(|k| ConsentKind::PURPOSES.contains(k))
        .ok_or_else(ApiError::not_found)
}

async fn ledger(
    state: &AppState,
    patient: &kabinet_service::accounts::Patient,
) -> Result<Json<Items<ConsentJson>>, ApiError> {
    let tz = &state.kabinet.settings.time_zone;
    let ledger = state.kabinet.my_consents(patient).await?;
    Ok(Json(Items { items: ledger.rows.into_iter().map(|r| ConsentJson::of(r, tz)).collect() }))
}

/// The caller's consent ledger, newest first: every consent given or entered on paper, with
/// the document version and hash it was given under, and its withdrawal.
#[utoipa::path(
    get,
    path = "/me/consents",
    tag = "consents",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ledger.", body = Items<ConsentJson>),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `acceptance_required`: accept the new rules or policy in the cabinet first.",
            body = ErrorBody),
    )
)]
pub async fn list_consents(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<Items<ConsentJson>>, ApiError> {
    ledger(&state, &patient).await
}

/// Gives an optional consent (`calls`, `advertising`, `cookies`) under the version of its
/// document in force; nothing changes when it is in force already. Answers the ledger.
#[utoipa::path(
    post,
    path = "/me/consents/{kind}",
    tag = "consents",
    security(("bearer" = [])),
    params(("kind" = String, Path, description = "`calls`, `advertising` or `cookies`.")),
    responses(
        (status = 200, description = "Given; the ledger.", body = Items<ConsentJson>),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`forbidden`: a required consent (given when \
            registering) or a browser request from another site; `activation_required`, \
            `acceptance_required`.", body = ErrorBody),
        (status = 404, description = "`not_found`: no such purpose.", body = ErrorBody),
    )
)]
pub async fn give_consent(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiPath(kind): ApiPath<String>,
) -> Result<Json<Items<ConsentJson>>, ApiError> {
    let kind = purpose(&kind)?;
    state.kabinet.give_my_consent(&patient, kind, &origin).await?;
    ledger(&state, &patient).await
}

/// Withdraws an optional consent at once: processing that relied on it (the confirmation
/// call list, advertising, visit statistics) stops from now. Booking never depends on them.
/// The consents to processing of personal or health data answer 409 `use_request`: file a
/// request of kind `deletion` or `stop` instead.
#[utoipa::path(
    post,
    path = "/me/consents/{kind}/withdraw",
    tag = "consents",
    security(("bearer" = [])),
    params(("kind" = String, Path, description = "`calls`, `advertising` or `cookies`; \
        `personal_data` and `health_data` answer 409.")),
    responses(
        (status = 200, description = "Withdrawn; the ledger.", body = Items<ConsentJson>),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`, `acceptance_required`, or \
            `forbidden`: a browser request from another site.", body = ErrorBody),
        (status = 404, description = "`not_found`: no such purpose.", body = ErrorBody),
        (status = 409, description = "`use_request`: the consent to processing of personal \
            or health data is withdrawn by a request (kind `deletion` or `stop`).",
            body = ErrorBody),
    )
)]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiPath(kind): ApiPath<String>,
) -> Result<Json<Items<ConsentJson>>, ApiError> {
    let kind = purpose(&kind)?;
    state.kabinet.withdraw_my_consent(&patient, kind, &origin).await?;
    ledger(&state, &patient).await
}

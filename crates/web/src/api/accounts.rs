//! `POST /api/v1/registrations`, `POST /api/v1/session`, `DELETE /api/v1/session`: accounts
//! for apps (A1, K7). The session token goes in `Authorization: Bearer`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kabinet_core::patient::PatientInput;
use kabinet_service::accounts::RegistrationRequest;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{ApiJson, ConsentsJson};
use crate::AppState;
use crate::error::ApiError;
use crate::request::{ClientIp, UserAgent};
use crate::session::ApiSignedIn;

#[derive(Deserialize)]
pub struct RegistrationJson {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    patient: PatientInput,
    #[serde(default)]
    consents: ConsentsJson,
}

pub async fn create_registration(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<RegistrationJson>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    state
        .kabinet
        .register(RegistrationRequest {
            login: body.login,
            password: body.password,
            patient: body.patient,
            consent_personal_data: body.consents.personal_data,
            consent_calls: body.consents.calls,
            accept_rules: body.consents.rules,
            ip,
        })
        .await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "confirmation_sent"}))))
}

#[derive(Deserialize)]
pub struct SessionJson {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

#[derive(Serialize)]
pub struct TokenJson {
    token: String,
}

pub async fn create_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    UserAgent(agent): UserAgent,
    ApiJson(body): ApiJson<SessionJson>,
) -> Result<Json<TokenJson>, ApiError> {
    let signed_in = state.kabinet.sign_in(&body.login, &body.password, ip, agent).await?;
    Ok(Json(TokenJson { token: signed_in.token }))
}

pub async fn delete_session(
    State(state): State<AppState>,
    ApiSignedIn(patient): ApiSignedIn,
) -> Result<StatusCode, ApiError> {
    state.kabinet.sign_out(&patient).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct PasswordJson {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// `POST /api/v1/me/password`: sets a new password. After a one-time password this is the
/// activation, and the current password is not asked again. Every session ends; the answer
/// carries the new session's token.
pub async fn change_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    UserAgent(agent): UserAgent,
    ApiSignedIn(patient): ApiSignedIn,
    ApiJson(body): ApiJson<PasswordJson>,
) -> Result<Json<TokenJson>, ApiError> {
    let kabinet = &state.kabinet;
    let signed_in = if patient.needs_activation() {
        kabinet.activate(&patient, &body.new_password, ip, agent).await?
    } else {
        kabinet
            .change_password(&patient, &body.current_password, &body.new_password, ip, agent)
            .await?
    };
    Ok(Json(TokenJson { token: signed_in.token }))
}

#[derive(Deserialize)]
pub struct LostJson {
    #[serde(default)]
    login: String,
}

/// `POST /api/v1/account/lost`: the report of lost or compromised credentials (A6). The
/// same 202 whether the login exists or not.
pub async fn report_lost(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LostJson>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    state.kabinet.report_lost_credentials(&body.login, None, ip).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "reported"}))))
}

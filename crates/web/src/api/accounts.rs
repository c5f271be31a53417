//! `POST /api/v1/registrations`, `POST /api/v1/session`, `DELETE /api/v1/session`, the
//! password and the report of lost credentials: accounts for apps (A1, A6, K7). The session
//! token goes in `Authorization: Bearer`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kabinet_service::accounts::RegistrationRequest;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, PatientJson};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::request::{ClientOrigin, UserAgent};
use crate::session::{ApiSignedIn, patient_of};

/// A self-registration: the login (an e-mail), a password, the patient and their consents.
#[derive(Deserialize, ToSchema)]
pub struct RegistrationJson {
    /// The e-mail that becomes the login; the confirmation link goes there.
    #[serde(default)]
    #[schema(format = Email)]
    login: String,
    /// At least 10 characters, not a common password, and not containing the patient's
    /// name, phone or login.
    #[serde(default)]
    #[schema(format = Password)]
    password: String,
    #[serde(default)]
    patient: PatientJson,
    #[serde(default)]
    consents: RegistrationConsentsJson,
}

/// Consents sent with a registration, each unticked unless sent.
#[derive(Deserialize, Default, ToSchema)]
pub struct RegistrationConsentsJson {
    /// Consent to the processing of personal data: must be `true`.
    #[serde(default)]
    personal_data: bool,
    /// Acceptance of the portal's rules: must be `true`.
    #[serde(default)]
    rules: bool,
    /// Consent to calls about visits.
    #[serde(default)]
    calls: bool,
    /// Consent to the processing of health data: must be `true`. When left out,
    /// `personal_data` stands for it, as it covered health data before they were asked apart.
    #[serde(default)]
    health_data: Option<bool>,
    /// Consent to advertising.
    #[serde(default)]
    advertising: bool,
}

/// What an accepted request led to.
#[derive(Serialize, ToSchema)]
pub struct AcceptedJson {
    status: AcceptedStatus,
}

/// What an accepted request led to.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AcceptedStatus {
    /// A letter went to the login: a confirmation link, or, for a registered login, a note
    /// saying so.
    ConfirmationSent,
    /// The report is taken; for a known login every session ended and a link went out.
    Reported,
}

/// Registers a patient.
///
/// The access is unconfirmed until the link in the letter is followed (A1). A login that is
/// already registered gets the same answer (and a letter saying so), so the API does not
/// reveal who is registered.
#[utoipa::path(
    post,
    path = "/registrations",
    tag = "accounts",
    request_body = RegistrationJson,
    responses(
        (status = 202, description = "A letter went to the login.", body = AcceptedJson),
        (status = 403, description = "`forbidden`: a browser request from another site.",
            body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 422, description = "`validation`: bad or missing input, named in `fields`.",
            body = ErrorBody),
    )
)]
pub async fn create_registration(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiJson(body): ApiJson<RegistrationJson>,
) -> Result<(StatusCode, Json<AcceptedJson>), ApiError> {
    state
        .kabinet
        .register(RegistrationRequest {
            login: body.login,
            password: body.password,
            patient: body.patient.into(),
            consent_personal_data: body.consents.personal_data,
            consent_health_data: body.consents.health_data.unwrap_or(body.consents.personal_data),
            consent_calls: body.consents.calls,
            consent_advertising: body.consents.advertising,
            accept_rules: body.consents.rules,
            origin,
        })
        .await?;
    Ok((StatusCode::ACCEPTED, Json(AcceptedJson { status: AcceptedStatus::ConfirmationSent })))
}

/// Sends the letter that confirms a registration's address again.
///
/// For a login whose address is not confirmed yet a new link goes out and the older ones
/// stop working. The same answer whether the login exists or not; three letters an hour per
/// login and mailbox, ten per client.
#[utoipa::path(
    post,
    path = "/registrations/confirmation",
    tag = "accounts",
    request_body = LoginJson,
    responses(
        (status = 202, description = "Taken; a letter went out if the address waits to be \
            confirmed.", body = AcceptedJson),
        (status = 403, description = "`forbidden`: a browser request from another site.",
            body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 422, description = "`validation`: the body is not a login.", body = ErrorBody),
        (status = 429, description = "`too_many_requests`: too many letters for this login, \
            from this client or to this mailbox.", body = ErrorBody,
            headers(("Retry-After" = i64, description = "Seconds to wait."))),
    )
)]
pub async fn resend_confirmation(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiJson(body): ApiJson<LoginJson>,
) -> Result<(StatusCode, Json<AcceptedJson>), ApiError> {
    state.kabinet.resend_confirmation(&body.login, &origin).await?;
    Ok((StatusCode::ACCEPTED, Json(AcceptedJson { status: AcceptedStatus::ConfirmationSent })))
}

/// A sign-in.
#[derive(Deserialize, ToSchema)]
pub struct SessionJson {
    #[serde(default)]
    login: String,
    /// The password, or the one-time password the registrar issued.
    #[serde(default)]
    #[schema(format = Password)]
    password: String,
}

/// A new session.
#[derive(Serialize, ToSchema)]
pub struct TokenJson {
    /// Send it as `Authorization: Bearer <token>`.
    token: String,
}

/// Signs in.
///
/// After 5 failures for one login from one address, or 30 from one address, in 15 minutes,
/// sign-ins are refused for a while (429). Access issued by the registrar starts with a
/// one-time password: every `/me` route but `POST /me/password` answers 403
/// `activation_required` until a personal password is set.
#[utoipa::path(
    post,
    path = "/session",
    tag = "accounts",
    request_body = SessionJson,
    responses(
        (status = 200, description = "Signed in.", body = TokenJson),
        (status = 401, description = "`unauthorized`: unknown login or wrong password.",
            body = ErrorBody),
        (status = 403, description = "`email_unconfirmed`: the right password before the \
            e-mail is confirmed; `access_closed`: the right password of an account the clinic \
            suspended, cancelled or ended, the message with its reason and phone; `forbidden`: \
            a browser request from another site.", body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 422, description = "`validation`: the body is not a sign-in.",
            body = ErrorBody),
        (status = 429, description = "`too_many_attempts`: too many failed sign-ins.",
            body = ErrorBody,
            headers(("Retry-After" = i64, description = "Seconds to wait."))),
    )
)]
pub async fn create_session(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    UserAgent(agent): UserAgent,
    ApiJson(body): ApiJson<SessionJson>,
) -> Result<Json<TokenJson>, ApiError> {
    let signed_in = state.kabinet.sign_in(&body.login, &body.password, &origin, agent).await?;
    Ok(Json(TokenJson { token: signed_in.token }))
}

/// Ends this session.
#[utoipa::path(
    delete,
    path = "/session",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out."),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`forbidden`: a browser request from another site.",
            body = ErrorBody),
    )
)]
pub async fn delete_session(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiSignedIn(patient): ApiSignedIn,
) -> Result<StatusCode, ApiError> {
    state.kabinet.sign_out(&patient, &origin).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new password.
#[derive(Deserialize, ToSchema)]
pub struct PasswordJson {
    /// The current password; not needed right after a one-time password (activation).
    #[serde(default)]
    #[schema(format = Password)]
    current_password: String,
    /// The new password, by the rules of registration.
    #[serde(default)]
    #[schema(format = Password)]
    new_password: String,
}

/// Sets a new password.
///
/// After a one-time password this is the activation, and the current password is not asked
/// again. Every session ends; the answer carries the new session's token, and the patient
/// gets a letter.
#[utoipa::path(
    post,
    path = "/me/password",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = PasswordJson,
    responses(
        (status = 200, description = "The password is set; the new session.", body = TokenJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`forbidden`: a browser request from another site.",
            body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 422, description = "`validation`: `fields` names `current_password` or \
            `password`.", body = ErrorBody),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    UserAgent(agent): UserAgent,
    ApiSignedIn(patient): ApiSignedIn,
    ApiJson(body): ApiJson<PasswordJson>,
) -> Result<Json<TokenJson>, ApiError> {
    let kabinet = &state.kabinet;
    let signed_in = if patient.needs_activation() {
        kabinet.activate(&patient, &body.new_password, &origin, agent).await?
    } else {
        kabinet
            .change_password(&patient, &body.current_password, &body.new_password, &origin, agent)
            .await?
    };
    Ok(Json(TokenJson { token: signed_in.token }))
}

/// A report of lost credentials.
#[derive(Deserialize, ToSchema)]
pub struct LoginJson {
    /// The login (e-mail).
    #[serde(default)]
    login: String,
}

/// Reports lost or compromised credentials.
///
/// Signed in (a bearer token of the account): access is blocked at once — every session
/// ends, the password stops working — and a link for a new one goes to the registered e-mail
/// (A6, R17). Without a session: the owner of the login only gets a letter with two links,
/// block access now or set a new password, and nothing changes until one is used, so nobody
/// can lock a stranger out. The same answer whether the login exists or not; a few reports
/// an hour per login, client and mailbox.
#[utoipa::path(
    post,
    path = "/account/lost",
    tag = "accounts",
    request_body = LoginJson,
    security((), ("bearer" = [])),
    responses(
        (status = 202, description = "The report is taken.", body = AcceptedJson),
        (status = 403, description = "`forbidden`: a browser request from another site.",
            body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 422, description = "`validation`: the body is not a report.",
            body = ErrorBody),
        (status = 429, description = "`too_many_requests`: too many reports for this login, \
            from this client or to this mailbox.", body = ErrorBody,
            headers(("Retry-After" = i64, description = "Seconds to wait."))),
    )
)]
pub async fn report_lost(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientOrigin(origin): ClientOrigin,
    ApiJson(body): ApiJson<LoginJson>,
) -> Result<(StatusCode, Json<AcceptedJson>), ApiError> {
    match patient_of(&headers, &state, true).await? {
        Some(patient) => state.kabinet.report_my_lost_credentials(&patient, &origin).await?,
        None => state.kabinet.report_lost_credentials(&body.login, &origin).await?,
    }
    Ok((StatusCode::ACCEPTED, Json(AcceptedJson { status: AcceptedStatus::Reported })))
}

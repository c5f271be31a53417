//! `/api/v1/me/messages`: the caller's threads with the clinic (K3, N2) — the clinic's notices
//! and messages, and the caller's own — and writing to the clinic. A thread of another
//! patient's answers 404.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kabinet_core::messages::Author;
use kabinet_service::inbox::ThreadView;
use kabinet_service::model::Message;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath, Items};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::request::ClientOrigin;
use crate::session::ApiPatient;

/// RFC 3339, UTC.
fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).unwrap_or_default().to_string()
}

/// One message of a thread.
#[derive(Serialize, ToSchema)]
pub struct MessageJson {
    id: i64,
    /// Who wrote it: `clinic` or `patient` (the caller).
    #[schema(examples("clinic"))]
    author: String,
    /// The text; paragraphs are separated by an empty line.
    text: String,
    /// When it was written: RFC 3339, UTC.
    #[schema(format = DateTime, examples("2026-11-23T06:00:00Z"))]
    created_at: String,
    /// Whether the other side has opened it: for the clinic's messages, the caller; for the
    /// caller's, the clinic.
    read: bool,
}

impl From<Message> for MessageJson {
    fn from(m: Message) -> Self {
        Self {
            id: m.id,
            author: m.author.as_str().to_owned(),
            text: m.body,
            created_at: rfc3339(m.created_at),
            read: m.read_at.is_some(),
        }
    }
}

/// A thread between the clinic and the caller. The clinic's notices (a visit it booked,
/// moved or cancelled) are threads of one message.
#[derive(Serialize, ToSchema)]
pub struct ThreadJson {
    id: i64,
    subject: String,
    /// Who started it: `clinic` or `patient`.
    #[schema(examples("clinic"))]
    started_by: String,
    /// The newest message's time: RFC 3339, UTC.
    #[schema(format = DateTime, examples("2026-11-23T06:00:00Z"))]
    last_message_at: String,
    /// How many of the clinic's messages in it the caller has not opened.
    unread: i64,
    /// Its messages, oldest first.
    messages: Vec<MessageJson>,
}

impl From<ThreadView> for ThreadJson {
    fn from(v: ThreadView) -> Self {
        let unread =
            v.messages.iter().filter(|m| m.author == Author::Clinic && m.read_at.is_none()).count();
        Self {
            id: v.thread.id,
            subject: v.thread.subject,
            started_by: v.thread.started_by.as_str().to_owned(),
            last_message_at: rfc3339(v.thread.last_message_at),
            unread: i64::try_from(unread).unwrap_or(i64::MAX),
            messages: v.messages.into_iter().map(MessageJson::from).collect(),
        }
    }
}

/// A message to the clinic.
#[derive(Deserialize, ToSchema)]
pub struct NewMessageJson {
    /// The text, at most 4000 characters.
    text: String,
    /// The thread to answer; without it the message starts a thread.
    thread_id: Option<i64>,
    /// The new thread's subject (required without `thread_id`, ignored with it), at most
    /// 150 characters.
    subject: Option<String>,
}

/// The caller's threads with the clinic, the latest activity first.
#[utoipa::path(
    get,
    path = "/me/messages",
    tag = "messages",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The threads, each with its messages.",
            body = Items<ThreadJson>),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: signed in with a one-time \
            password; set a personal one first.", body = ErrorBody),
    )
)]
pub async fn list_messages(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<Items<ThreadJson>>, ApiError> {
    let threads = state.kabinet.my_threads_with_messages(&patient).await?;
    Ok(Json(Items { items: threads.into_iter().map(ThreadJson::from).collect() }))
}

/// Writes to the clinic: an answer in one of the caller's threads, or a new thread.
///
/// The text stays in the portal: no letter carries it. A patient may write 10 messages an
/// hour.
#[utoipa::path(
    post,
    path = "/me/messages",
    tag = "messages",
    security(("bearer" = [])),
    request_body = NewMessageJson,
    responses(
        (status = 201, description = "The thread, with the new message last.", body = ThreadJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: a browser request from another site.", body = ErrorBody),
        (status = 404, description = "`not_found`: no such thread of the caller's.",
            body = ErrorBody),
        (status = 415, description = "`validation`: the body is not JSON.", body = ErrorBody),
        (status = 423, description = "`data_blocked`: the caller's personal data is blocked \
            on a request; the message gives the clinic's phone.", body = ErrorBody),
        (status = 422, description = "`validation`: an empty or too long `text`, a missing or \
            too long `subject` for a new thread, named in `fields`.", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many messages in the last hour; \
            `Retry-After` says when to try again.", body = ErrorBody),
    )
)]
pub async fn create_message(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ClientOrigin(origin): ClientOrigin,
    ApiJson(body): ApiJson<NewMessageJson>,
) -> Result<(StatusCode, Json<ThreadJson>), ApiError> {
    let k = &state.kabinet;
    let to = (body.thread_id, body.subject.as_deref());
    let written = k.write_to_clinic(&patient, to, &body.text, &origin).await?;
    let thread = k.my_thread(&patient, written.thread_id).await?;
    Ok((StatusCode::CREATED, Json(thread.into())))
}

/// Opens one of the caller's threads: the clinic's messages in it are read from now on.
#[utoipa::path(
    post,
    path = "/me/messages/{id}/read",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The thread's id.")),
    responses(
        (status = 200, description = "The thread, now read.", body = ThreadJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: set a personal password first; \
            `forbidden`: a browser request from another site.", body = ErrorBody),
        (status = 404, description = "`not_found`: no such thread of the caller's.",
            body = ErrorBody),
    )
)]
pub async fn read_message(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ThreadJson>, ApiError> {
    Ok(Json(state.kabinet.open_my_thread(&patient, id).await?.into()))
}

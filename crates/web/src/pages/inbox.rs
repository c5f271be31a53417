//! The cabinet's inbox (K3): the clinic's messages, newest first; opening one marks it read.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kabinet_service::model::Message;

use super::NO_STORE;
use super::cabinet::CabinetFrame;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::routes::Routes;
use crate::session::CabinetPatient;

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_messages.html")]
struct InboxTemplate {
    c: Chrome,
    f: CabinetFrame,
    messages: Vec<Message>,
    /// The message opened, if any.
    open: Option<Message>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/cabinet/messages", get(list_messages))
        .route("/cabinet/messages/{id}", get(show_message))
}

async fn list_messages(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
) -> Result<Response, PageError> {
    let f = CabinetFrame::of(&state, &patient, "messages").await?;
    let messages = state.kabinet.my_messages(&patient).await?;
    Ok(([NO_STORE], InboxTemplate { c, f, messages, open: None }).into_response())
}

async fn show_message(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let open = state.kabinet.open_message(&patient, id).await?;
    // The frame after opening, so the unread count already leaves this message out.
    let f = CabinetFrame::of(&state, &patient, "messages").await?;
    let messages = state.kabinet.my_messages(&patient).await?;
    Ok(([NO_STORE], InboxTemplate { c, f, messages, open: Some(open) }).into_response())
}

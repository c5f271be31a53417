//! The cabinet's messages (K3, N2): the patient's threads with the clinic, the latest
//! activity first, with a form to write to the clinic; a thread, opened (which marks the
//! clinic's messages in it read), with a form to answer. Only the patient's own threads open
//! (another's id is a 404).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use kabinet_core::messages::{Author, MAX_SUBJECT, MAX_TEXT};
use kabinet_core::patient::FieldErrors;
use kabinet_service::Error;
use kabinet_service::accounts::Patient;
use kabinet_service::inbox::ThreadView;
use kabinet_service::model::Thread;
use serde::Deserialize;

use super::NO_STORE;
use super::cabinet::CabinetFrame;
use super::error_summary::{ErrorLink, error_links};
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::session::CabinetPatient;

/// What a message form holds: kept as typed when it comes back.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MessageForm {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub text: String,
}

/// A form sent back: what was wrong, and the form as typed.
#[derive(Default)]
pub(crate) struct FormState {
    pub form: MessageForm,
    pub errors: FieldErrors,
    /// A refusal that is not a field's (too many messages).
    pub problem: &'static str,
}

impl FormState {
    /// The form sent back after `error`; `None` for an error that is not about the form.
    pub(crate) fn after(form: MessageForm, error: &Error) -> Option<Self> {
        match error {
            Error::Validation(errors) => Some(Self { form, errors: errors.clone(), problem: "" }),
            Error::RateLimited { .. } => {
                Some(Self { form, errors: FieldErrors::default(), problem: "error-message-rate" })
            }
            _ => None,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_messages.html")]
struct InboxTemplate {
    c: Chrome,
    f: CabinetFrame,
    threads: Vec<Thread>,
    /// The thread opened, if any.
    open: Option<ThreadView>,
    sent: FormState,
    links: Vec<ErrorLink>,
}

impl InboxTemplate {
    fn is_clinic(&self, author: &Author) -> bool {
        *author == Author::Clinic
    }

    fn max_text(&self) -> i64 {
        MAX_TEXT as i64
    }

    fn max_subject(&self) -> i64 {
        MAX_SUBJECT as i64
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/cabinet/messages", get(list_threads).post(start_thread))
        .route("/cabinet/messages/{id}", get(show_thread).post(answer_thread))
}

async fn page(
    state: &AppState,
    c: Chrome,
    patient: &Patient,
    open: Option<ThreadView>,
    sent: FormState,
) -> Result<Response, PageError> {
    // The frame after opening, so the unread count already leaves this thread out.
    let f = CabinetFrame::of(state, patient, "messages").await?;
    let threads =
        if open.is_some() { Vec::new() } else { state.kabinet.my_threads(patient).await? };
    let fields = [("subject", "messages-subject"), ("text", "messages-text")];
    let links = error_links(&c.t, &sent.errors, fields);
    let status = match (sent.problem, sent.errors.is_empty()) {
        ("", true) => StatusCode::OK,
        ("", false) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::TOO_MANY_REQUESTS,
    };
    let page = InboxTemplate { c, f, threads, open, sent, links };
    Ok((status, [NO_STORE], page).into_response())
}

async fn list_threads(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
) -> Result<Response, PageError> {
    page(&state, c, &patient, None, FormState::default()).await
}

async fn show_thread(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let open = state.kabinet.open_my_thread(&patient, id).await?;
    page(&state, c, &patient, Some(open), FormState::default()).await
}

async fn start_thread(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<MessageForm>,
) -> Result<Response, PageError> {
    let k = &state.kabinet;
    match k.write_to_clinic(&patient, (None, Some(&form.subject)), &form.text, &origin).await {
        Ok(w) => Ok(Redirect::to(&format!("/cabinet/messages/{}", w.thread_id)).into_response()),
        Err(e) => match FormState::after(form, &e) {
            Some(sent) => page(&state, c, &patient, None, sent).await,
            None => Err(e.into()),
        },
    }
}

async fn answer_thread(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<MessageForm>,
) -> Result<Response, PageError> {
    let k = &state.kabinet;
    match k.write_to_clinic(&patient, (Some(id), None), &form.text, &origin).await {
        Ok(w) => Ok(Redirect::to(&format!("/cabinet/messages/{}", w.thread_id)).into_response()),
        Err(e) => match FormState::after(form, &e) {
            Some(sent) => {
                let open = k.open_my_thread(&patient, id).await?;
                page(&state, c, &patient, Some(open), sent).await
            }
            None => Err(e.into()),
        },
    }
}

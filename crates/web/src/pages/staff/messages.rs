//! Staff's threads with a patient (K3, N2): a new message from the patient's card, a thread
//! page (opening it marks the patient's messages read and is audited) with a form to answer.
//! A thread of another patient's is a 404 under this patient's card.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use kabinet_core::access::Origin;
use kabinet_core::messages::{Author, MAX_SUBJECT, MAX_TEXT};
use kabinet_core::roles::Action;
use kabinet_service::inbox::ThreadView;
use kabinet_service::model::PatientRecord;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::pages::error_summary::{ErrorLink, error_links};
use crate::pages::inbox::{FormState, MessageForm};
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

#[derive(Template, WebTemplate)]
#[template(path = "staff_thread.html")]
struct ThreadTemplate {
    c: Chrome,
    nav: Option<Nav>,
    p: PatientRecord,
    /// The thread opened; `None`: the new message's form came back.
    open: Option<ThreadView>,
    sent: FormState,
    links: Vec<ErrorLink>,
}

impl ThreadTemplate {
    fn is_patient(&self, author: &Author) -> bool {
        *author == Author::Patient
    }

    fn max_text(&self) -> i64 {
        MAX_TEXT as i64
    }

    fn max_subject(&self) -> i64 {
        MAX_SUBJECT as i64
    }
}

pub fn routes() -> Routes {
    Routes::default().route("/staff/patients/{id}/messages", post(start_thread)).route(
        "/staff/patients/{id}/messages/{thread}",
        axum::routing::get(show_thread).post(answer_thread),
    )
}

async fn page(
    state: &AppState,
    (c, origin): (Chrome, &Origin),
    staff: &Staff,
    (patient_id, thread_id): (i64, Option<i64>),
    sent: FormState,
) -> Result<Response, PageError> {
    let k = &state.kabinet;
    let p = k.patient_record(&staff.0, patient_id, origin).await?;
    let open = match thread_id {
        Some(id) => Some(k.open_patient_thread(&staff.0, (patient_id, id), origin).await?),
        None => None,
    };
    let fields = [("subject", "messages-subject"), ("text", "messages-text")];
    let links = error_links(&c.t, &sent.errors, fields);
    let status =
        if sent.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    // The menu's count after opening, so it already leaves this thread's messages out.
    let mut nav = Nav::of(staff);
    if let Some(nav) = nav.as_mut() {
        nav.unread_messages = k.unread_patient_messages(&staff.0).await?;
    }
    let page = ThreadTemplate { c, nav, p, open, sent, links };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_thread(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, thread)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    staff.require(Action::MessagePatients)?;
    page(&state, (c, &origin), &staff, (id, Some(thread)), FormState::default()).await
}

async fn start_thread(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<MessageForm>,
) -> Result<Response, PageError> {
    staff.require(Action::MessagePatients)?;
    let k = &state.kabinet;
    match k.write_to_patient(&staff.0, (id, None), Some(&form.subject), &form.text, &origin).await {
        Ok(w) => {
            Ok(Redirect::to(&format!("/staff/patients/{id}/messages/{}", w.thread_id))
                .into_response())
        }
        Err(e) => match FormState::after(form, &e) {
            Some(sent) => page(&state, (c, &origin), &staff, (id, None), sent).await,
            None => Err(e.into()),
        },
    }
}

async fn answer_thread(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, thread)): Path<(i64, i64)>,
    Form(form): Form<MessageForm>,
) -> Result<Response, PageError> {
    staff.require(Action::MessagePatients)?;
    let k = &state.kabinet;
    match k.write_to_patient(&staff.0, (id, Some(thread)), None, &form.text, &origin).await {
        Ok(w) => {
            Ok(Redirect::to(&format!("/staff/patients/{id}/messages/{}", w.thread_id))
                .into_response())
        }
        Err(e) => match FormState::after(form, &e) {
            Some(sent) => page(&state, (c, &origin), &staff, (id, Some(thread)), sent).await,
            None => Err(e.into()),
        },
    }
}

//! The registrar's queues: patients' change requests (K4), completed or rejected with a
//! reason, and the feed of patients' own visit changes, their messages and lost-credential
//! reports (N2).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_core::audit::FeedEvent;
use kabinet_core::patient::FieldErrors;
use kabinet_core::representative::IdDocumentKind;
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::change_requests::IdentityDocument;
use kabinet_service::model::ChangeRequest;
use kabinet_service::model::FeedEntry;
use serde::Deserialize;

use super::Nav;
use super::patients::when;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// One field of a request as people read it: its label, the value now and the one asked for.
struct Change {
    label: &'static str,
    was: String,
    becomes: String,
}

/// A pending request as the list shows it: the fields asked to change.
struct RequestView {
    request: ChangeRequest,
    changes: Vec<Change>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_requests.html")]
struct RequestsTemplate {
    c: Chrome,
    nav: Option<Nav>,
    requests: Vec<RequestView>,
    problem: Option<&'static str>,
    /// The request whose completion was refused, with the document as typed and its errors.
    failed: Option<(i64, IdentityDocument, FieldErrors)>,
    /// The kinds of identity document (K4).
    document_kinds: &'static [IdDocumentKind],
}

impl RequestsTemplate {
    fn when(&self, at: &i64) -> String {
        when(&self.c, *at)
    }

    /// The document as typed for request `id`, after a refusal.
    fn typed(&self, id: &i64) -> IdentityDocument {
        self.failed.as_ref().filter(|f| f.0 == *id).map(|f| f.1.clone()).unwrap_or_default()
    }

    /// The message of `field` of request `id`'s document, after a refusal.
    fn field_error(&self, id: &i64, field: &str) -> Option<String> {
        let (_, _, errors) = self.failed.as_ref().filter(|f| f.0 == *id)?;
        errors.get(field).map(|key| self.c.t.s(key))
    }

    fn kind_name(&self, kind: &IdDocumentKind) -> String {
        self.c.t.s(crate::pages::representation::document_key(*kind))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_feed.html")]
struct FeedTemplate {
    c: Chrome,
    nav: Option<Nav>,
    entries: Vec<FeedEntry>,
}

impl FeedTemplate {
    fn when(&self, at: &i64) -> String {
        when(&self.c, *at)
    }

    fn action(&self, action: &FeedEvent) -> String {
        self.c.t.s(match action {
            FeedEvent::Booked => "staff-feed-booked",
            FeedEvent::Moved => "staff-feed-moved",
            FeedEvent::Cancelled => "staff-feed-cancelled",
            FeedEvent::CredentialsLost => "staff-feed-credentials-lost",
            FeedEvent::PatientMessage => "staff-feed-message",
        })
    }
}

#[derive(Debug, Default, Deserialize)]
struct DecisionForm {
    #[serde(default)]
    reason: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/requests", get(list_change_requests))
        .route("/staff/requests/{id}/complete", post(complete_change_request))
        .route("/staff/requests/{id}/reject", post(reject_change_request))
        .route("/staff/feed", get(show_feed))
}

async fn requests_page(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    problem: Option<&'static str>,
    failed: Option<(i64, IdentityDocument, FieldErrors)>,
) -> Result<Response, PageError> {
    let mut requests = Vec::new();
    let date = |value: Option<String>| value.map(|d| c.t.civil(&d));
    let phone = |value: Option<String>| value.map(|p| c.phone(&p));
    for request in state.kabinet.pending_change_requests(&staff.0).await? {
        let v = request.values().map_err(Error::from)?;
        let now = request.current.clone();
        let changes = [
            ("field-last-name", now.last_name, v.last_name),
            ("field-first-name", now.first_name, v.first_name),
            ("field-middle-name", now.middle_name, v.middle_name),
            ("field-birth-date", date(now.birth_date), date(v.birth_date)),
            ("field-phone", phone(now.phone), phone(v.phone)),
            ("field-email", now.email, v.email),
            ("field-postal-address", now.postal_address, v.postal_address),
        ]
        .into_iter()
        .filter_map(|(label, was, becomes)| {
            let was = was.filter(|w| !w.is_empty()).unwrap_or_else(|| "—".into());
            becomes.map(|becomes| Change { label, was, becomes })
        })
        .collect();
        requests.push(RequestView { request, changes });
    }
    let refused = problem.is_some() || failed.is_some();
    let status = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let document_kinds = IdDocumentKind::IDENTITY;
    let nav = Nav::of(staff);
    let page = RequestsTemplate { c, nav, requests, problem, failed, document_kinds };
    Ok((status, [NO_STORE], page).into_response())
}

async fn list_change_requests(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::HandleChangeRequests)?;
    requests_page(&state, c, &staff, None, None).await
}

async fn complete_change_request(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(document): Form<IdentityDocument>,
) -> Result<Response, PageError> {
    staff.require(Action::HandleChangeRequests)?;
    match state.kabinet.complete_change_request(&staff.0, id, &document, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/requests").into_response()),
        Err(Error::Validation(errors)) if errors.get("email").is_some() => {
            requests_page(&state, c, &staff, Some("error-login-taken"), None).await
        }
        Err(Error::Validation(errors)) => {
            requests_page(&state, c, &staff, None, Some((id, document, errors))).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn reject_change_request(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    staff.require(Action::HandleChangeRequests)?;
    match state.kabinet.reject_change_request(&staff.0, id, &form.reason, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/requests").into_response()),
        Err(Error::Validation(_)) => {
            requests_page(&state, c, &staff, Some("error-reason-required"), None).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn show_feed(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ReadFeed)?;
    let entries = state.kabinet.registrar_feed(&staff.0).await?;
    Ok(([NO_STORE], FeedTemplate { c, nav: Nav::of(&staff), entries }).into_response())
}

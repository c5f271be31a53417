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
use kabinet_core::roles::Action;
use kabinet_service::Error;
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
}

impl RequestsTemplate {
    fn when(&self, at: &i64) -> String {
        when(&self.c, *at)
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
        ]
        .into_iter()
        .filter_map(|(label, was, becomes)| {
            let was = was.filter(|w| !w.is_empty()).unwrap_or_else(|| "—".into());
            becomes.map(|becomes| Change { label, was, becomes })
        })
        .collect();
        requests.push(RequestView { request, changes });
    }
    let status = if problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = RequestsTemplate { c, nav: Nav::of(staff), requests, problem };
    Ok((status, [NO_STORE], page).into_response())
}

async fn list_change_requests(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::HandleChangeRequests)?;
    requests_page(&state, c, &staff, None).await
}

async fn complete_change_request(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::HandleChangeRequests)?;
    match state.kabinet.complete_change_request(&staff.0, id, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/requests").into_response()),
        Err(Error::Validation(_)) => {
            requests_page(&state, c, &staff, Some("error-login-taken")).await
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
            requests_page(&state, c, &staff, Some("error-reason-required")).await
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

//! The private calendar feed (B8): the cabinet's calendar page, where the patient makes,
//! replaces and revokes the feed's address and chooses what its events say, and the feed
//! itself at `/calendar/<secret>.ics`, which calendars read without a session. The page also
//! holds the switch for reminders before visits, and says whether the consent to calls is in
//! force, with a link to the consents page, where it is given or withdrawn.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_service::Error;
use kabinet_service::calendar::neutral_summary;
use kabinet_service::calendar_feeds::FeedAddress;
use kabinet_service::model::CalendarFeed;
use serde::Deserialize;

use super::NO_STORE;
use super::cabinet::CabinetFrame;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::session::CabinetPatient;

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_calendar.html")]
struct CalendarTemplate {
    c: Chrome,
    f: CabinetFrame,
    feed: CalendarFeed,
    /// The address just made: the only time the page shows it.
    address: Option<FeedAddress>,
    /// The neutral summary events have when details are off.
    neutral: String,
    /// Whether reminders before visits are on.
    reminders: bool,
    /// How many hours before a visit its reminder goes out; 0: the clinic sends none.
    reminder_hours: i64,
    /// Whether the patient's consent to confirmation calls is in force (R10); changed on the
    /// consents page.
    calls: bool,
    /// What was just done here.
    done: &'static str,
}

#[derive(Default, Deserialize)]
struct DoneParam {
    done: Option<String>,
}

#[derive(Default, Deserialize)]
struct RemindersForm {
    /// Present (`yes`) when the box is ticked.
    reminders: Option<String>,
}

#[derive(Default, Deserialize)]
struct DetailsForm {
    /// Present (`yes`) when the box is ticked.
    show_details: Option<String>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/cabinet/calendar", get(show_calendar_feed).post(create_calendar_feed))
        .route("/cabinet/calendar/revoke", post(revoke_calendar_feed))
        .route("/cabinet/calendar/details", post(update_calendar_details))
        .route("/cabinet/calendar/reminders", post(update_reminders))
        .route("/calendar/{file}", get(show_calendar_feed_file))
}

/// The confirmation after a change; only known words reach the page.
fn done_key(done: Option<&str>) -> &'static str {
    match done {
        Some("revoked") => "calendar-done-revoked",
        Some("details") => "calendar-done-details",
        Some("reminders") => "reminders-done",
        _ => "",
    }
}

async fn page(
    state: &AppState,
    c: Chrome,
    patient: &kabinet_service::accounts::Patient,
    address: Option<FeedAddress>,
    done: &'static str,
) -> Result<CalendarTemplate, PageError> {
    let f = CabinetFrame::of(state, patient, "calendar").await?;
    let feed = state.kabinet.my_calendar_feed(patient).await?;
    let neutral = neutral_summary(&state.kabinet.settings.clinic_name);
    let reminders = state.kabinet.my_preferences(patient).await?.reminders;
    let reminder_hours = state.kabinet.settings.reminder_before.as_hours();
    let calls = state.kabinet.my_calls_consent(patient).await?;
    Ok(CalendarTemplate { c, f, feed, address, neutral, reminders, reminder_hours, calls, done })
}

async fn show_calendar_feed(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Query(q): Query<DoneParam>,
) -> Result<Response, PageError> {
    let page = page(&state, c, &patient, None, done_key(q.done.as_deref())).await?;
    Ok(([NO_STORE], page).into_response())
}

/// Makes the feed's address (replacing a live one) and answers with the page that shows it:
/// the address is never kept, so this answer is the only place it appears.
async fn create_calendar_feed(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
) -> Result<Response, PageError> {
    let made = state.kabinet.create_my_calendar_feed(&patient, &origin).await?;
    let done = if made.replaced { "calendar-done-replaced" } else { "calendar-done-created" };
    let page = page(&state, c, &patient, Some(made.address), done).await?;
    Ok(([NO_STORE], page).into_response())
}

async fn revoke_calendar_feed(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
) -> Result<Response, PageError> {
    state.kabinet.revoke_my_calendar_feed(&patient, &origin).await?;
    Ok(Redirect::to("/cabinet/calendar?done=revoked").into_response())
}

async fn update_calendar_details(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Form(form): Form<DetailsForm>,
) -> Result<Response, PageError> {
    let show = form.show_details.as_deref() == Some("yes");
    state.kabinet.set_my_calendar_details(&patient, show, &origin).await?;
    Ok(Redirect::to("/cabinet/calendar?done=details").into_response())
}

/// The patient's switch for reminders before visits (B8).
async fn update_reminders(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Form(form): Form<RemindersForm>,
) -> Result<Response, PageError> {
    let on = form.reminders.as_deref() == Some("yes");
    state.kabinet.set_my_reminders(&patient, on, &origin).await?;
    Ok(Redirect::to("/cabinet/calendar?done=reminders").into_response())
}

/// The feed as calendars read it: no session, no cookie. An unknown, revoked or blocked
/// secret gets one bare 404, the same for each: nothing says which, and no page echoes the
/// address back.
async fn show_calendar_feed_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let not_found = || {
        let headers = [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), NO_STORE];
        (StatusCode::NOT_FOUND, headers, "Not found\n").into_response()
    };
    let Some(secret) = file.strip_suffix(".ics") else { return Ok(not_found()) };
    match state.kabinet.calendar_feed(secret).await {
        Ok(ics) => {
            let headers = [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "inline; filename=\"calendar.ics\""),
                NO_STORE,
            ];
            Ok((headers, ics).into_response())
        }
        Err(Error::NotFound) => Ok(not_found()),
        Err(other) => Err(other.into()),
    }
}

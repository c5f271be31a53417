//! The front desk's day (B7, R10): the confirmation call list of the next working day (or a
//! day picked), each call's outcome recorded with a button, a day's visits marked arrived,
//! completed or not attended, and reopening online booking that no-shows closed.
//!
//! «Отменил» cancels the visit at once (the patient is told, as for any cancel by the
//! clinic); «перенёс» records the call and opens the visit's move page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use kabinet_core::roles::Action;
use kabinet_core::visit::{CallOutcome, VisitOutcome};
use kabinet_service::front_desk::{CallList, DeskRow};
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

#[derive(Template, WebTemplate)]
#[template(path = "staff_calls.html")]
struct CallsTemplate {
    c: Chrome,
    nav: Option<Nav>,
    list: CallList,
    /// The day asked for, as typed (`YYYY-MM-DD`), for the picker and the forms' way back.
    date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_visits.html")]
struct VisitsTemplate {
    c: Chrome,
    nav: Option<Nav>,
    day: Date,
    rows: Vec<DeskRow>,
    now: i64,
}

/// Words of the front desk's codes, for both pages.
trait DeskWords {
    fn chrome(&self) -> &Chrome;

    fn when(&self, at: &i64) -> String {
        when(self.chrome(), *at)
    }

    fn time(&self, at: &i64) -> String {
        let at = jiff::Timestamp::from_second(*at).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        self.chrome().t.time(&at)
    }

    fn call_word(&self, outcome: &CallOutcome) -> String {
        self.chrome().t.s(call_key(*outcome))
    }

    fn outcome_word(&self, outcome: &VisitOutcome) -> String {
        self.chrome().t.s(outcome_key(*outcome))
    }

    /// The visit's confirmation state: the last call's outcome, or «не звонили».
    fn state_word(&self, row: &DeskRow) -> String {
        self.chrome().t.s(row.confirmation().map_or("call-outcome-none", call_key))
    }
}

impl DeskWords for CallsTemplate {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

impl DeskWords for VisitsTemplate {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

impl CallsTemplate {
    fn calls() -> &'static [CallOutcome] {
        CallOutcome::ALL
    }

    fn is_cancel(outcome: &CallOutcome) -> bool {
        *outcome == CallOutcome::Cancelled
    }
}

impl VisitsTemplate {
    fn outcomes() -> &'static [VisitOutcome] {
        VisitOutcome::ALL
    }

    fn is_no_show(outcome: &VisitOutcome) -> bool {
        *outcome == VisitOutcome::NoShow
    }
}

/// The message key of a call's outcome: `call-outcome-no-answer`.
pub(super) fn call_key(outcome: CallOutcome) -> &'static str {
    match outcome {
        CallOutcome::Confirmed => "call-outcome-confirmed",
        CallOutcome::NoAnswer => "call-outcome-no-answer",
        CallOutcome::Cancelled => "call-outcome-cancelled",
        CallOutcome::Moved => "call-outcome-moved",
        CallOutcome::WrongNumber => "call-outcome-wrong-number",
    }
}

/// The message key of a visit's outcome, as staff read it: `visit-outcome-no-show`.
pub(super) fn outcome_key(outcome: VisitOutcome) -> &'static str {
    match outcome {
        VisitOutcome::Arrived => "visit-outcome-arrived",
        VisitOutcome::Completed => "visit-outcome-completed",
        VisitOutcome::NoShow => "visit-outcome-no-show",
    }
}

#[derive(Debug, Default, Deserialize)]
struct DayQuery {
    #[serde(default)]
    date: String,
}

#[derive(Debug, Deserialize)]
struct CallForm {
    outcome: String,
    #[serde(default)]
    date: String,
}

#[derive(Debug, Deserialize)]
struct OutcomeForm {
    outcome: String,
    #[serde(default)]
    date: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/calls", get(show_calls))
        .route("/staff/patients/{id}/visits/{visit}/calls", post(record_call))
        .route("/staff/visits", get(show_visits))
        .route("/staff/patients/{id}/visits/{visit}/outcome", post(mark_outcome))
        .route("/staff/patients/{id}/online-booking", post(reopen_online_booking))
}

/// A day typed as `YYYY-MM-DD`; anything else is no day.
fn day_of(text: &str) -> Option<Date> {
    text.trim().parse().ok()
}

/// `?date=…` of a day typed, or nothing.
fn date_query(text: &str) -> String {
    day_of(text).map(|d| format!("?date={d}")).unwrap_or_default()
}

async fn show_calls(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Query(q): Query<DayQuery>,
) -> Result<Response, PageError> {
    staff.require(Action::CallPatients)?;
    let day = day_of(&q.date);
    let list = state.kabinet.call_list(&staff.0, day, &origin).await?;
    let date = day.map(|d| d.to_string()).unwrap_or_default();
    let page = CallsTemplate { c, nav: Nav::of(&staff), list, date };
    Ok(([NO_STORE], page).into_response())
}

async fn record_call(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, visit)): Path<(i64, i64)>,
    Form(form): Form<CallForm>,
) -> Result<Response, PageError> {
    staff.require(Action::CallPatients)?;
    let outcome: CallOutcome = form.outcome.parse().map_err(|_| PageError::NotFound)?;
    state.kabinet.record_call(&staff.0, id, visit, outcome, &origin).await?;
    let to = match outcome {
        CallOutcome::Moved => format!("/staff/patients/{id}/visits/{visit}/move"),
        _ => format!("/staff/calls{}#visit-{visit}", date_query(&form.date)),
    };
    Ok(Redirect::to(&to).into_response())
}

async fn show_visits(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Query(q): Query<DayQuery>,
) -> Result<Response, PageError> {
    staff.require(Action::MarkVisitOutcomes)?;
    let k = &state.kabinet;
    let day = day_of(&q.date).unwrap_or_else(|| k.today());
    let rows = k.day_visits(&staff.0, day, &origin).await?;
    let now = k.now().as_second();
    let page = VisitsTemplate { c, nav: Nav::of(&staff), day, rows, now };
    Ok(([NO_STORE], page).into_response())
}

async fn mark_outcome(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, visit)): Path<(i64, i64)>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, PageError> {
    staff.require(Action::MarkVisitOutcomes)?;
    let outcome: VisitOutcome = form.outcome.parse().map_err(|_| PageError::NotFound)?;
    state.kabinet.mark_visit_outcome(&staff.0, id, visit, outcome, &origin).await?;
    let to = format!("/staff/visits{}#visit-{visit}", date_query(&form.date));
    Ok(Redirect::to(&to).into_response())
}

async fn reopen_online_booking(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::MarkVisitOutcomes)?;
    state.kabinet.reopen_online_booking(&staff.0, id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/patients/{id}")).into_response())
}

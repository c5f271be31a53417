//! Moving a visit at the clinic's side (B5): the list of booked visits a schedule change took
//! the time of (patient, phone, specialist, time), and for any planned visit of a patient a
//! page to move it to a free time of the same or another specialist, or to cancel it, each
//! with a reason the patient is told.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::ToSpan;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_core::schedule::Slot;
use kabinet_service::Error;
use kabinet_service::catalog::SpecialistCard;
use kabinet_service::model::{PatientRecord, Visit, VisitToMove};
use serde::Deserialize;

use super::Nav;
use super::patients::when;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, refusal_message};
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

#[derive(Template, WebTemplate)]
#[template(path = "staff_moves.html")]
struct ListTemplate {
    c: Chrome,
    nav: Option<Nav>,
    visits: Vec<VisitToMove>,
}

impl ListTemplate {
    fn when(&self, at: &i64) -> String {
        when(&self.c, *at)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_move.html")]
struct MoveTemplate {
    c: Chrome,
    nav: Option<Nav>,
    p: PatientRecord,
    visit: Visit,
    specialists: Vec<SpecialistCard>,
    chosen: i64,
    slots: Vec<Slot>,
    form: MoveForm,
    move_errors: FieldErrors,
    cancel_reason: String,
    cancel_errors: FieldErrors,
    problem: Option<&'static str>,
}

impl MoveTemplate {
    fn when(&self, at: &i64) -> String {
        when(&self.c, *at)
    }

    fn move_error(&self, field: &str) -> Option<String> {
        self.move_errors.get(field).map(|key| self.c.t.s(key))
    }

    fn cancel_error(&self, field: &str) -> Option<String> {
        self.cancel_errors.get(field).map(|key| self.c.t.s(key))
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct MoveForm {
    #[serde(default)]
    specialist: Option<i64>,
    #[serde(default)]
    start: String,
    #[serde(default)]
    reason: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct CancelForm {
    #[serde(default)]
    reason: String,
}

#[derive(Debug, Default, Deserialize)]
struct MoveQuery {
    specialist: Option<i64>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/moves", get(list_moves))
        .route("/staff/patients/{id}/visits/{visit}/move", get(show_visit_move).post(move_visit))
        .route("/staff/patients/{id}/visits/{visit}/cancel-with-reason", post(cancel_visit))
}

async fn list_moves(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::MoveVisits)?;
    let visits = state.kabinet.visits_to_move(&staff.0, None).await?;
    let page = ListTemplate { c, nav: Nav::of(&staff), visits };
    Ok(([NO_STORE], page).into_response())
}

/// What the move page shows besides the forms.
struct Typed {
    form: MoveForm,
    move_errors: FieldErrors,
    cancel_reason: String,
    cancel_errors: FieldErrors,
    problem: Option<&'static str>,
}

impl Typed {
    fn none(specialist: Option<i64>) -> Self {
        Self {
            form: MoveForm { specialist, ..MoveForm::default() },
            move_errors: FieldErrors::default(),
            cancel_reason: String::new(),
            cancel_errors: FieldErrors::default(),
            problem: None,
        }
    }
}

async fn move_page(
    state: &AppState,
    (c, origin): (Chrome, &kabinet_core::access::Origin),
    staff: &Staff,
    (id, visit_id): (i64, i64),
    typed: Typed,
) -> Result<Response, PageError> {
    let k = &state.kabinet;
    let p = k.patient_record(&staff.0, id, origin).await?;
    let now = k.now().as_second();
    let visit = k
        .patient_visits(&staff.0, id)
        .await?
        .into_iter()
        .find(|v| v.id == visit_id && v.is_planned(now))
        .ok_or(PageError::NotFound)?;
    let specialists: Vec<SpecialistCard> = k
        .all_specialists(c.t.lang)
        .await?
        .into_iter()
        .filter(|card| card.specialist.online_booking)
        .collect();
    let chosen = typed
        .form
        .specialist
        .filter(|s| specialists.iter().any(|card| card.specialist.id == *s))
        .unwrap_or(visit.specialist_id);
    let today = k.today();
    let slots = k.free_slots(chosen, today, today.saturating_add(13.days())).await?;
    let status = if typed.move_errors.is_empty()
        && typed.cancel_errors.is_empty()
        && typed.problem.is_none()
    {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = MoveTemplate {
        c,
        nav: Nav::of(staff),
        p,
        visit,
        specialists,
        chosen,
        slots,
        form: typed.form,
        move_errors: typed.move_errors,
        cancel_reason: typed.cancel_reason,
        cancel_errors: typed.cancel_errors,
        problem: typed.problem,
    };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_visit_move(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, visit)): Path<(i64, i64)>,
    Query(q): Query<MoveQuery>,
) -> Result<Response, PageError> {
    staff.require(Action::MoveVisits)?;
    move_page(&state, (c, &origin), &staff, (id, visit), Typed::none(q.specialist)).await
}

async fn move_visit(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, visit)): Path<(i64, i64)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, PageError> {
    staff.require(Action::MoveVisits)?;
    let specialist = form.specialist.ok_or(PageError::NotFound)?;
    let k = &state.kabinet;
    let target = (specialist, form.start.as_str());
    let result = k.move_for_patient(&staff.0, id, visit, target, &form.reason, &origin).await;
    let typed = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/staff/patients/{id}")).into_response()),
        Err(Error::Validation(errors)) => {
            Typed { form, move_errors: errors, ..Typed::none(Some(specialist)) }
        }
        Err(error) => {
            let problem = refusal_message(&error).ok_or(error)?;
            Typed { form, problem: Some(problem), ..Typed::none(Some(specialist)) }
        }
    };
    move_page(&state, (c, &origin), &staff, (id, visit), typed).await
}

async fn cancel_visit(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, visit)): Path<(i64, i64)>,
    Form(form): Form<CancelForm>,
) -> Result<Response, PageError> {
    staff.require(Action::MoveVisits)?;
    match state.kabinet.cancel_with_reason(&staff.0, id, visit, &form.reason, &origin).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/patients/{id}")).into_response()),
        Err(Error::Validation(errors)) => {
            let typed =
                Typed { cancel_reason: form.reason, cancel_errors: errors, ..Typed::none(None) };
            move_page(&state, (c, &origin), &staff, (id, visit), typed).await
        }
        Err(other) => Err(other.into()),
    }
}

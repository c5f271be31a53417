//! The cabinet's visits (B3, B4, K1): planned and past visits with a print layout and an
//! .ics per visit, booking a chosen slot, moving and cancelling within the clinic's rules.
//! Every route that takes a visit id finds it among the caller's own visits only.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_core::access::AccessLevel;
use kabinet_core::lang::Lang;
use kabinet_core::patient::FieldErrors;
use kabinet_core::visit::{VisitOutcome, VisitStatus};
use kabinet_service::Error;
use kabinet_service::accounts::Patient;
use kabinet_service::catalog::DaySlots;
use kabinet_service::model::Visit;
use kabinet_service::offers::PricedVisit;
use kabinet_service::visits::WantedVisit;
use serde::Deserialize;

use super::price_view::PriceView;
use super::{NO_STORE, SlotForm};
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, refusal_message};
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::session::CabinetPatient;

/// The cabinet's frame: whose it is, the tab, the unread count, the forms' CSRF token.
pub struct CabinetFrame {
    pub name: String,
    pub level: AccessLevel,
    pub unread: i64,
    pub csrf: String,
    pub tab: &'static str,
    /// Whether no-shows closed online booking for the patient (a banner says so).
    pub booking_closed: bool,
    /// Whom a representative's session acts for now: the dependent's full name (A8).
    pub acting: Option<String>,
    /// The signed-in person's own patient id (the switcher's "my cabinet").
    pub own_id: i64,
    /// The dependents the person may switch to: patient id and full name.
    pub dependents: Vec<(i64, String)>,
    /// Those who act for this patient (a dependent with their own account): name and the
    /// message key of the basis.
    pub represented_by: Vec<(String, &'static str)>,
}

impl CabinetFrame {
    /// The frame of a cabinet page for `patient`.
    pub async fn of(
        state: &AppState,
        patient: &Patient,
        tab: &'static str,
    ) -> Result<Self, PageError> {
        let a = &patient.account;
        let name = [a.first_name.as_str(), a.middle_name.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let k = &state.kabinet;
        let acting = patient.acting.as_ref().map(|_| {
            format!("{} {} {}", a.last_name, a.first_name, a.middle_name).trim().to_owned()
        });
        let dependents = k
            .my_dependents(patient)
            .await?
            .into_iter()
            .map(|l| (l.dependent_id, l.dependent_name))
            .collect();
        let represented_by = k
            .my_representative_links(patient)
            .await?
            .into_iter()
            .map(|l| (l.representative_name, super::representation::basis_key(l.basis)))
            .collect();
        Ok(Self {
            name,
            level: patient.level(),
            unread: k.unread_messages(patient).await?,
            csrf: patient.csrf_token.clone(),
            tab,
            booking_closed: k.my_online_booking_closed(patient).await?,
            acting,
            own_id: patient.own_patient_id(),
            dependents,
            represented_by,
        })
    }

    /// The message key that explains the access level.
    pub fn level_key(&self) -> &'static str {
        match self.level {
            AccessLevel::OneTime => "level-one-time",
            AccessLevel::Unconfirmed => "level-unconfirmed",
            AccessLevel::Confirmed => "level-confirmed",
        }
    }

    /// `aria-current` for the tab's link.
    pub fn current(&self, tab: &str) -> &'static str {
        if self.tab == tab { "page" } else { "false" }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet.html")]
struct CabinetTemplate {
    c: Chrome,
    f: CabinetFrame,
    planned: Vec<Visit>,
    past: Vec<Visit>,
    done: &'static str,
    /// Why the patient may not book one more visit now (the limit of their level), if so.
    full: &'static str,
}

impl CabinetTemplate {
    fn price(&self, visit: &Visit) -> Option<PriceView> {
        PriceView::of_visit(visit, self.c.t.lang)
    }

    fn status_key(visit: &Visit) -> &'static str {
        match (visit.status, visit.outcome) {
            (VisitStatus::Cancelled, _) => "visit-status-cancelled",
            (VisitStatus::Booked, Some(VisitOutcome::Arrived)) => "cabinet-outcome-arrived",
            (VisitStatus::Booked, Some(VisitOutcome::Completed)) => "cabinet-outcome-completed",
            (VisitStatus::Booked, Some(VisitOutcome::NoShow)) => "cabinet-outcome-no-show",
            (VisitStatus::Booked, None) => "visit-status-booked",
        }
    }
}

/// A page about one visit: the booking of a slot, the cancel, the move.
#[derive(Template, WebTemplate)]
#[template(path = "cabinet_visit.html")]
struct VisitTemplate {
    c: Chrome,
    f: CabinetFrame,
    action: VisitAction,
    /// The visit, or the slot to book as a visit-to-be.
    visit: Visit,
    /// The free days to move to, of the week shown (0 is the one starting today).
    days: Vec<DaySlots>,
    week: i32,
    has_next: bool,
    problem: &'static str,
    /// The new start asked to confirm (Unix seconds), for [`VisitAction::ConfirmMove`].
    new_start: i64,
    /// The service and its price: of the visit, or of the visit to book with the code typed.
    price: Option<PriceView>,
    /// The booking form's service and code, as sent.
    wanted: (String, String),
    /// Why the code typed gives nothing, if so.
    code_error: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VisitAction {
    Book,
    Cancel,
    Reschedule,
    /// A new time chosen: old → new, and the button that moves the visit.
    ConfirmMove,
}

#[derive(Default, Deserialize)]
struct DoneParam {
    done: Option<String>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/cabinet", get(show_cabinet))
        .route("/cabinet/visits", post(create_visit))
        .route("/cabinet/visits/{id}/calendar.ics", get(show_visit_calendar))
        .route("/cabinet/visits/{id}/cancel", get(show_visit_cancel).post(cancel_visit))
        .route("/cabinet/visits/{id}/reschedule", get(show_visit_reschedule).post(reschedule_visit))
}

/// The confirmation above the visits after a change; only known words reach the page.
fn done_key(done: Option<&str>) -> &'static str {
    match done {
        Some("booked") => "cabinet-done-booked",
        Some("cancelled") => "cabinet-done-cancelled",
        Some("moved") => "cabinet-done-moved",
        Some("activated") => "cabinet-done-activated",
        Some("password") => "cabinet-done-password",
        _ => "",
    }
}

async fn show_cabinet(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Query(q): Query<DoneParam>,
) -> Result<Response, PageError> {
    let f = CabinetFrame::of(&state, &patient, "visits").await?;
    let now = state.kabinet.now().as_second();
    let (planned, past) = state
        .kabinet
        .my_visits(&patient)
        .await?
        .into_iter()
        .partition::<Vec<_>, _>(|v| v.is_planned(now));
    let mut past = past;
    past.reverse();
    let done = done_key(q.done.as_deref());
    let full = match state.kabinet.check_room_for_visit(&patient).await {
        Ok(()) => "",
        Err(Error::LimitReached) => "cabinet-book-more-limit",
        Err(e) => refusal_message(&e).ok_or(e)?,
    };
    Ok(([NO_STORE], CabinetTemplate { c, f, planned, past, done, full }).into_response())
}

async fn show_visit_calendar(
    State(state): State<AppState>,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let visit = state.kabinet.my_visit(&patient, id).await?;
    Ok(super::calendar_file(&state, &visit))
}

/// The booking form of a signed-in patient for a chosen slot (from a specialist's page), with
/// the price of the service and the code typed.
pub async fn booking_page(
    state: &AppState,
    c: Chrome,
    patient: &Patient,
    wanted: &WantedVisit,
) -> Result<Response, PageError> {
    let page = booking_template(state, c, patient, wanted, "").await?;
    Ok(([NO_STORE], page).into_response())
}

async fn booking_template(
    state: &AppState,
    c: Chrome,
    patient: &Patient,
    wanted: &WantedVisit,
    refusal: &'static str,
) -> Result<VisitTemplate, PageError> {
    let (visit, mut problem, priced, code_error) = slot_visit(state, patient, wanted).await?;
    if !refusal.is_empty() && problem != OWN_VISIT {
        problem = refusal;
    }
    if let (true, Err(e)) = (problem.is_empty(), state.kabinet.check_room_for_visit(patient).await)
    {
        problem = refusal_message(&e).ok_or(e)?;
    }
    let f = CabinetFrame::of(state, patient, "visits").await?;
    let mut page = VisitTemplate::booking(c, f, visit, problem);
    page.price = priced.map(|p| PriceView::quoted(&p, page.c.t.lang));
    page.wanted = (
        wanted.service_id.map(|id| id.to_string()).unwrap_or_default(),
        wanted.discount_code.clone().unwrap_or_default(),
    );
    page.code_error = code_error;
    Ok(page)
}

/// The problem that is no problem: the slot is the patient's own visit (Back after booking).
const OWN_VISIT: &str = "booking-yours";

/// A slot shown as the (booked) visit it would become for `patient`, or why it cannot be
/// booked; the patient's own visit when it is theirs already ([`OWN_VISIT`]). With it, the
/// service's price with the code typed, and why the code gives nothing, if so.
async fn slot_visit(
    state: &AppState,
    patient: &Patient,
    wanted: &WantedVisit,
) -> Result<(Visit, &'static str, Option<PricedVisit>, Option<&'static str>), PageError> {
    let specialist_id = wanted.specialist_id;
    // A visit's place reads as the patient's other visits do: in Russian.
    let (specialist, branch) =
        state.kabinet.specialist_at_branch(specialist_id, kabinet_core::lang::Lang::Ru).await?;
    let service =
        state.kabinet.bookable_service(specialist_id, wanted.service_id, Lang::Ru).await?;
    let minutes = Some(service.duration_minutes);
    let mut errors = FieldErrors::default();
    let code = wanted.discount_code.as_deref().unwrap_or_default();
    let priced =
        super::booking::quote_for(state, &specialist, service, code, &wanted.start, &mut errors)
            .await?;
    let code_error = errors.get("discount_code");
    let start = kabinet_service::booking::parse_start(&wanted.start).ok_or(PageError::NotFound)?;
    let problem = match state.kabinet.offered_time(specialist_id, start, minutes).await {
        Ok(_) => "",
        Err(e @ Error::SlotTaken) => {
            let mine = state.kabinet.my_visits(patient).await?.into_iter().find(|v| {
                v.specialist_id == specialist_id
                    && v.starts_at == start.as_second()
                    && v.status == VisitStatus::Booked
            });
            if let Some(visit) = mine {
                return Ok((visit, OWN_VISIT, None, None));
            }
            refusal_message(&e).ok_or(e)?
        }
        Err(e) => refusal_message(&e).ok_or(e)?,
    };
    let visit = Visit {
        id: 0,
        code: String::new(),
        status: VisitStatus::Booked,
        starts_at: start.as_second(),
        ends_at: start.as_second(),
        specialist_id,
        specialist_name: specialist.full_name(),
        branch_name: branch.name.text,
        branch_address: branch.address.text,
        branch_phone: branch.phone,
        patient_name: String::new(),
        access_level: patient.level(),
        service_id: None,
        service_name: None,
        service_name_en: None,
        base_price_kopecks: None,
        price_kopecks: None,
        discount_kind: None,
        discount_code: None,
        discount_reason: None,
        outcome: None,
        confirmation: None,
    };
    Ok((visit, problem, priced, code_error))
}

async fn create_visit(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Form(form): Form<SlotForm>,
) -> Result<Response, PageError> {
    let wanted = WantedVisit {
        specialist_id: form.specialist,
        service_id: super::booking::service_param(&form.service),
        start: form.start.clone(),
        discount_code: Some(form.discount_code.clone()),
    };
    if form.recalculate.is_some() {
        return booking_page(&state, c, &patient, &wanted).await;
    }
    let error = match state.kabinet.book_my_visit(&patient, &wanted, &origin).await {
        Ok(_) => return Ok(Redirect::to("/cabinet?done=booked").into_response()),
        Err(e) => e,
    };
    let (status, refusal) = match &error {
        // A code that gives nothing is told beside its field.
        Error::Validation(errors) if errors.get("discount_code").is_some() => {
            (StatusCode::UNPROCESSABLE_ENTITY, "")
        }
        _ => (StatusCode::CONFLICT, refusal_message(&error).ok_or(error)?),
    };
    let page = booking_template(&state, c, &patient, &wanted, refusal).await?;
    Ok((status, [NO_STORE], page).into_response())
}

/// A page about one of the patient's visits that is still booked.
async fn visit_page(
    state: &AppState,
    c: Chrome,
    patient: &Patient,
    id: i64,
    action: VisitAction,
    problem: &'static str,
    week: i32,
) -> Result<VisitTemplate, PageError> {
    let visit = state.kabinet.my_visit(patient, id).await?;
    if visit.status != VisitStatus::Booked {
        return Err(PageError::NotFound);
    }
    let (days, week, has_next) = if action == VisitAction::Reschedule {
        let page = state
            .kabinet
            .specialist_page(visit.specialist_id, week, visit.service_id, c.t.lang)
            .await?;
        let days = page.days.into_iter().filter(|d| !d.slots.is_empty()).collect();
        (days, page.week, page.has_next)
    } else {
        (vec![], week, false)
    };
    let f = CabinetFrame::of(state, patient, "visits").await?;
    let price = PriceView::of_visit(&visit, c.t.lang);
    Ok(VisitTemplate {
        c,
        f,
        action,
        visit,
        days,
        week,
        has_next,
        problem,
        new_start: 0,
        price,
        wanted: (String::new(), String::new()),
        code_error: None,
    })
}

async fn show_visit_cancel(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let page = visit_page(&state, c, &patient, id, VisitAction::Cancel, "", 0).await?;
    Ok(([NO_STORE], page).into_response())
}

async fn cancel_visit(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let error = match state.kabinet.cancel_my_visit(&patient, id, &origin).await {
        Ok(_) => return Ok(Redirect::to("/cabinet?done=cancelled").into_response()),
        Err(e) => e,
    };
    let problem = refusal_message(&error).ok_or(error)?;
    let page = visit_page(&state, c, &patient, id, VisitAction::Cancel, problem, 0).await?;
    Ok((StatusCode::CONFLICT, [NO_STORE], page).into_response())
}

#[derive(Default, Deserialize)]
struct WeekParam {
    #[serde(default)]
    week: i32,
    /// A new time chosen on the week's list, to confirm.
    start: Option<String>,
}

async fn show_visit_reschedule(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
    Query(q): Query<WeekParam>,
) -> Result<Response, PageError> {
    let Some(start) = q.start else {
        let page = visit_page(&state, c, &patient, id, VisitAction::Reschedule, "", q.week).await?;
        return Ok(([NO_STORE], page).into_response());
    };
    // A time chosen (a plain GET form, so no script is needed): the move waits for a yes.
    let start = kabinet_service::booking::parse_start(&start).ok_or(PageError::NotFound)?;
    let mut page =
        visit_page(&state, c, &patient, id, VisitAction::ConfirmMove, "", q.week).await?;
    if let Err(e) = state.kabinet.offered_slot(page.visit.specialist_id, start).await {
        page.problem = refusal_message(&e).ok_or(e)?;
    }
    page.new_start = start.as_second();
    Ok(([NO_STORE], page).into_response())
}

async fn reschedule_visit(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
    Form(form): Form<SlotForm>,
) -> Result<Response, PageError> {
    let error = match state.kabinet.reschedule_my_visit(&patient, id, &form.start, &origin).await {
        Ok(_) => return Ok(Redirect::to("/cabinet?done=moved").into_response()),
        Err(e) => e,
    };
    let problem = refusal_message(&error).ok_or(error)?;
    let page = visit_page(&state, c, &patient, id, VisitAction::Reschedule, problem, 0).await?;
    Ok((StatusCode::CONFLICT, [NO_STORE], page).into_response())
}

impl VisitTemplate {
    /// The one-click booking of a slot.
    fn booking(c: Chrome, f: CabinetFrame, visit: Visit, problem: &'static str) -> Self {
        Self {
            c,
            f,
            action: VisitAction::Book,
            visit,
            days: vec![],
            week: 0,
            has_next: false,
            problem,
            new_start: 0,
            price: None,
            wanted: (String::new(), String::new()),
            code_error: None,
        }
    }
}

//! The registrar's patient screens: search (by POST, so no name or phone stands in a URL),
//! a patient's card with their data, access and visits, booking (warned when the specialist
//! does not see the patient's age) and cancelling on their behalf, suspension, and a new
//! one-time password. Cancelling, suspending and a new password are asked to confirm first.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use kabinet_core::access::{AccessLevel, BlockReason, Origin};
use kabinet_core::blocking::RequestedBy;
use kabinet_core::catalog::AgeRange;
use kabinet_core::mail::MailKind;
use kabinet_core::messages::{MAX_SUBJECT, MAX_TEXT};
use kabinet_core::patient::age_on;
use kabinet_core::representative::mask_number;
use kabinet_core::roles::Action;
use kabinet_core::schedule::Slot;
use kabinet_core::visit::VisitStatus;
use kabinet_service::Error;
use kabinet_service::model::Visit;
use kabinet_service::model::{DataBlockRow, FailedMail, PatientRecord, Thread};
use kabinet_service::registrar::{BookingChoices, SpecialistChoice};
use kabinet_service::representatives::LinkView;
use serde::Deserialize;

use super::Nav;
use super::access::sheet;
use super::confirm::Confirm;
use super::front_desk::{call_key, outcome_key};
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, refusal_message};
use crate::pages::inbox::FormState;
use crate::pages::representation::{basis_key, document_key};
use crate::pages::{NO_STORE, SlotForm};
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

#[derive(Template, WebTemplate)]
#[template(path = "staff_home.html")]
struct HomeTemplate {
    c: Chrome,
    nav: Option<Nav>,
    q: String,
    searched: bool,
    found: Vec<PatientRecord>,
    failed_mail: Vec<FailedMail>,
    /// Back from blocking a patient's data the member may no longer see.
    blocked: bool,
    /// The notices to the supervisory authority not sent yet (the administrator's).
    incidents: Vec<super::incidents::DueNotice>,
}

impl HomeTemplate {
    fn when(&self, at: &i64) -> String {
        self.c.t.moment(at)
    }

    fn kind(&self, kind: &MailKind) -> String {
        self.c.t.s(&format!("mail-kind-{}", kind.as_str().replace('_', "-")))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_patient.html")]
struct CardTemplate {
    c: Chrome,
    nav: Option<Nav>,
    p: PatientRecord,
    planned: Vec<Visit>,
    past: Vec<Visit>,
    choices: BookingChoices,
    otp_expires_at: Option<i64>,
    /// The patient's threads with the clinic, for those who answer patients.
    threads: Vec<Thread>,
    /// The "write to the patient" form (empty: it comes back on its own page).
    sent: FormState,
    problem: Option<&'static str>,
    /// How many no-shows closed online booking for the patient; `None` while it is open.
    closure: Option<u32>,
    /// The disclosures of the patient's data (G3), for who records them.
    disclosures: Vec<kabinet_service::model::Disclosure>,
    /// Links where the patient is the dependent, and where the representative (A8).
    links: (Vec<LinkView>, Vec<LinkView>),
    /// The blockings of the patient's data (G4), newest first.
    blocks: Vec<DataBlockRow>,
}

/// Dates and times of Unix seconds, for the staff templates.
pub(super) fn when(c: &Chrome, at: i64) -> String {
    Timestamp::from_second(at).map(|t| c.t.when(&t)).unwrap_or_default()
}

impl CardTemplate {
    fn when(&self, at: &i64) -> String {
        when(&self.c, *at)
    }

    fn day(&self, d: &str) -> String {
        crate::pages::requests::day(&self.c, d)
    }

    fn basis_key(&self, basis: &str) -> String {
        format!("export-basis-{}", basis.replace('_', "-"))
    }

    fn age(&self, age: &i16) -> String {
        self.c.t.a("staff-age", "age", i64::from(*age))
    }

    fn age_of_patient(&self, age: &i16) -> String {
        self.c.t.a("staff-age-of-patient", "age", i64::from(*age))
    }

    fn max_text(&self) -> i64 {
        MAX_TEXT as i64
    }

    fn max_subject(&self) -> i64 {
        MAX_SUBJECT as i64
    }

    /// «подтверждение: не дозвонились» of a planned visit called about.
    fn confirmation(&self, v: &Visit) -> Option<String> {
        v.confirmation.map(|o| {
            format!("{}: {}", self.c.t.s("staff-card-confirmation"), self.c.t.s(call_key(o)))
        })
    }

    /// «пришёл», «не пришёл» of a visit marked.
    fn outcome(&self, v: &Visit) -> Option<String> {
        v.outcome.map(|o| self.c.t.s(outcome_key(o)))
    }

    /// «Иванова Анна Петровна — родитель; свидетельство о рождении •••• 1234».
    fn link_line(&self, v: &LinkView, name: &str) -> String {
        let t = &self.c.t;
        let l = &v.link;
        let mut line = format!(
            "{name} — {}; {} {}",
            t.s(basis_key(l.basis)),
            t.s(document_key(l.document_kind)),
            mask_number(&l.document_number)
        );
        if !v.live {
            line.push_str(&format!(" ({})", t.s("staff-representatives-ended-short")));
        }
        line
    }

    fn requested_key(&self, r: &RequestedBy) -> String {
        self.c.t.s(&format!("block-requested-by-{}", r.as_str()))
    }

    fn closed(&self, count: &u32) -> String {
        self.c.t.a("staff-online-booking-closed", "count", i64::from(*count))
    }
}

/// «от 0 до 17 лет»: the ages a specialty sees, in words.
fn ages(c: &Chrome, range: AgeRange) -> String {
    match (range.from, range.to) {
        (Some(from), Some(to)) => c.t.args(
            "staff-ages-between",
            [("from", i64::from(from).into()), ("to", i64::from(to).into())],
        ),
        (Some(from), None) => c.t.a("staff-ages-from", "from", i64::from(from)),
        (None, Some(to)) => c.t.a("staff-ages-to", "to", i64::from(to)),
        (None, None) => c.t.s("staff-ages-any"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_book.html")]
struct BookTemplate {
    c: Chrome,
    nav: Option<Nav>,
    p: PatientRecord,
    age: Option<i16>,
    choice: SpecialistChoice,
    slots: Vec<Slot>,
    csrf: String,
}

impl BookTemplate {
    fn age_of_patient(&self, age: &i16) -> String {
        self.c.t.a("staff-age-of-patient", "age", i64::from(*age))
    }

    fn ages(&self, range: &AgeRange) -> String {
        ages(&self.c, *range)
    }
}

#[derive(Debug, Default, Deserialize)]
struct SearchForm {
    #[serde(default)]
    q: String,
}

#[derive(Debug, Default, Deserialize)]
struct BookQuery {
    specialist: Option<i64>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff", get(show_staff_home))
        .route("/staff/search", post(search_patients))
        .route("/staff/patients/{id}", get(show_patient))
        .route("/staff/patients/{id}/book", get(show_patient_booking))
        .route("/staff/patients/{id}/visits", post(create_visit))
        .route(
            "/staff/patients/{id}/visits/{visit}/cancel",
            get(show_visit_cancel).post(cancel_visit),
        )
        .route("/staff/patients/{id}/unsuspend", post(unsuspend_patient))
        .route(
            "/staff/patients/{id}/one-time-password",
            get(show_one_time_password).post(create_one_time_password),
        )
}

#[derive(Debug, Default, Deserialize)]
struct HomeQuery {
    #[serde(default)]
    blocked: Option<String>,
}

async fn show_staff_home(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Query(q): Query<HomeQuery>,
) -> Result<Response, PageError> {
    // The home page is every member's; what it shows is what the member may see.
    let failed_mail = if staff.0.may(Action::ReadFailedMail) {
        state.kabinet.failed_mail(&staff.0).await?
    } else {
        Vec::new()
    };
    let incidents = super::incidents::due_notices(&state, &staff).await?;
    let nav = Nav::of(&staff);
    let page = HomeTemplate {
        c,
        nav,
        q: String::new(),
        searched: false,
        found: vec![],
        failed_mail,
        blocked: q.blocked.is_some(),
        incidents,
    };
    Ok(([NO_STORE], page).into_response())
}

async fn search_patients(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<SearchForm>,
) -> Result<Response, PageError> {
    staff.require(Action::SearchPatients)?;
    let found = state.kabinet.find_patients(&staff.0, &form.q, &origin).await?;
    let nav = Nav::of(&staff);
    let page = HomeTemplate {
        c,
        nav,
        q: form.q,
        searched: true,
        found,
        failed_mail: vec![],
        blocked: false,
        incidents: vec![],
    };
    Ok(([NO_STORE], page).into_response())
}

/// The card page, with a problem above it when an action was refused.
pub(super) async fn card_page(
    state: &AppState,
    (c, origin): (Chrome, &Origin),
    staff: &Staff,
    patient_id: i64,
    problem: Option<&'static str>,
) -> Result<Response, PageError> {
    let k = &state.kabinet;
    let p = k.patient_record(&staff.0, patient_id, origin).await?;
    let now = k.now().as_second();
    let (planned, past): (Vec<Visit>, Vec<Visit>) =
        k.patient_visits(&staff.0, patient_id).await?.into_iter().partition(|v| v.is_planned(now));
    let choices = if staff.0.may(Action::BookVisits) {
        k.booking_choices(&staff.0, &p, c.t.lang).await?
    } else {
        let age = p.birth_date.parse::<Date>().ok().map(|birth| age_on(birth, k.today()));
        BookingChoices { age, specialists: Vec::new() }
    };
    let otp_expires_at = k.one_time_password_expiry(&staff.0, &p).await?;
    let threads = if staff.0.may(Action::MessagePatients) {
        k.patient_threads(&staff.0, patient_id).await?
    } else {
        Vec::new()
    };
    let closure = k.patient_online_booking_closure(&staff.0, patient_id).await?;
    let disclosures = if staff.0.may(Action::RecordDisclosures) {
        k.disclosures_of(&staff.0, patient_id).await?
    } else {
        Vec::new()
    };
    let links = k.representative_links(&staff.0, patient_id).await?;
    let blocks = k.patient_data_blocks(&staff.0, patient_id).await?;
    let status = if problem.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    let page = CardTemplate {
        c,
        nav: Nav::of(staff),
        p,
        planned,
        past,
        choices,
        otp_expires_at,
        threads,
        sent: FormState::default(),
        problem,
        closure,
        disclosures,
        links,
        blocks,
    };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_patient(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ViewPatientCard)?;
    card_page(&state, (c, &origin), &staff, id, None).await
}

async fn show_patient_booking(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Path(id): Path<i64>,
    ClientOrigin(origin): ClientOrigin,
    Query(q): Query<BookQuery>,
) -> Result<Response, PageError> {
    staff.require(Action::BookVisits)?;
    let k = &state.kabinet;
    let p = k.patient_record(&staff.0, id, &origin).await?;
    let specialist_id = q.specialist.ok_or(PageError::NotFound)?;
    let BookingChoices { age, specialists } = k.booking_choices(&staff.0, &p, c.t.lang).await?;
    let choice = specialists
        .into_iter()
        .find(|s| s.card.specialist.id == specialist_id)
        .ok_or(PageError::NotFound)?;
    let today = k.today();
    let slots = k.free_slots(specialist_id, today, today.saturating_add(13.days())).await?;
    let csrf = staff.csrf().into();
    let page = BookTemplate { c, nav: Nav::of(&staff), p, age, choice, slots, csrf };
    Ok(([NO_STORE], page).into_response())
}

async fn create_visit(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<SlotForm>,
) -> Result<Response, PageError> {
    staff.require(Action::BookVisits)?;
    let result =
        state.kabinet.book_for_patient(&staff.0, id, form.specialist, &form.start, &origin).await;
    let problem = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/staff/patients/{id}")).into_response()),
        Err(error) => refusal_message(&error).ok_or(error)?,
    };
    card_page(&state, (c, &origin), &staff, id, Some(problem)).await
}

/// Asks to confirm the cancel of a planned visit of the patient's.
async fn show_visit_cancel(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, visit)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    staff.require(Action::CancelVisits)?;
    let k = &state.kabinet;
    let p = k.patient_record(&staff.0, id, &origin).await?;
    let now = k.now().as_second();
    let v = k
        .patient_visits(&staff.0, id)
        .await?
        .into_iter()
        .find(|v| v.id == visit && v.is_planned(now))
        .ok_or(PageError::NotFound)?;
    let summary = vec![
        p.full_name(),
        format!("{}, {}", v.specialist_name, v.branch_name),
        when(&c, v.starts_at),
    ];
    let page = Confirm {
        summary,
        action: format!("/staff/patients/{id}/visits/{visit}/cancel"),
        back: format!("/staff/patients/{id}"),
        ..Confirm::of("staff-confirm-cancel")
    };
    Ok(page.render(c, &staff))
}

async fn cancel_visit(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, visit)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    staff.require(Action::CancelVisits)?;
    state.kabinet.cancel_for_patient(&staff.0, id, visit, None, &origin).await?;
    Ok(Redirect::to(&format!("/staff/patients/{id}")).into_response())
}

async fn unsuspend_patient(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::SuspendPatients)?;
    state.kabinet.lift_patient_suspension(&staff.0, id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/patients/{id}")).into_response())
}

/// Asks to confirm a new one-time password, which voids the patient's passwords.
async fn show_one_time_password(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::IssueAccess)?;
    let action = "one-time-password";
    confirm_for_patient(&state, c, &staff, &origin, id, action, "staff-confirm-otp").await
}

/// The page that asks to confirm `action` (a path under the patient's card) on patient `id`,
/// naming the patient; the card is read as the staff member may read it (and audited).
async fn confirm_for_patient(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    origin: &Origin,
    id: i64,
    action: &str,
    key: &'static str,
) -> Result<Response, PageError> {
    let p = state.kabinet.patient_record(&staff.0, id, origin).await?;
    let page = Confirm {
        summary: vec![p.full_name(), p.login.unwrap_or_default()],
        action: format!("/staff/patients/{id}/{action}"),
        back: format!("/staff/patients/{id}"),
        ..Confirm::of(key)
    };
    Ok(page.render(c, staff))
}

async fn create_one_time_password(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::IssueAccess)?;
    match state.kabinet.reissue_one_time_password(&staff.0, id, &origin).await {
        Ok(issued) => Ok(sheet(&state, c, &staff, issued)),
        Err(Error::Forbidden) => {
            card_page(&state, (c, &origin), &staff, id, Some("staff-otp-refused")).await
        }
        Err(other) => Err(other.into()),
    }
}

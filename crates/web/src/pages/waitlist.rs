//! The waiting list in the cabinet (B8): joining it for a fully booked specialist (the
//! specialist's page links here with the week it showed), the patient's places with the time
//! held for them, booking that time in one click, and leaving.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use kabinet_core::lang::Lang;
use kabinet_core::patient::FieldErrors;
use kabinet_core::waitlist::WaitlistStatus;
use kabinet_service::Error;
use kabinet_service::accounts::Patient;
use kabinet_service::model::{Service, WaitlistEntry};
use kabinet_service::waitlist::WaitFor;
use serde::Deserialize;

use super::NO_STORE;
use super::cabinet::CabinetFrame;
use super::error_summary::{ErrorLink, error_links};
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, refusal_message, status_of};
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::session::CabinetPatient;

/// The form's fields, in its order, with their labels.
const FIELDS: [(&str, &str); 3] =
    [("service_id", "waitlist-service"), ("from", "waitlist-from"), ("to", "waitlist-to")];

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_waitlist.html")]
struct ListTemplate {
    c: Chrome,
    f: CabinetFrame,
    entries: Vec<WaitlistEntry>,
    done: &'static str,
    /// How long a freed time is held.
    hold_minutes: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_waitlist_join.html")]
struct JoinTemplate {
    c: Chrome,
    f: CabinetFrame,
    specialist_id: i64,
    specialist_name: String,
    services: Vec<Service>,
    form: JoinForm,
    errors: FieldErrors,
    links: Vec<ErrorLink>,
    problem: &'static str,
    /// The first and the last day one may wait for: the booking horizon.
    first: String,
    last: String,
}

impl JoinTemplate {
    fn is_chosen(&self, id: &i64) -> bool {
        self.form.service_id.as_deref() == Some(id.to_string().as_str())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cabinet_waitlist_entry.html")]
struct EntryTemplate {
    c: Chrome,
    f: CabinetFrame,
    e: WaitlistEntry,
    problem: &'static str,
}

/// Shared by the list and the page of one place.
trait EntryView {
    fn c(&self) -> &Chrome;

    /// The entry's state in words.
    fn status_key(&self, e: &WaitlistEntry) -> &'static str {
        match (e.status, e.offer_id) {
            (WaitlistStatus::Waiting, Some(_)) => "waitlist-status-offered",
            (WaitlistStatus::Waiting, None) => "waitlist-status-waiting",
            (WaitlistStatus::Booked, _) => "waitlist-status-booked",
            (WaitlistStatus::Left, _) => "waitlist-status-left",
        }
    }

    /// «с 7 декабря 2026 по 11 декабря 2026».
    fn days(&self, e: &WaitlistEntry) -> String {
        let t = &self.c().t;
        let day = |d: &str| d.parse().map_or_else(|_| d.to_owned(), |d| t.date(&d));
        t.args("waitlist-days", [("from", day(&e.from_day).into()), ("to", day(&e.to_day).into())])
    }

    fn service(&self, e: &WaitlistEntry) -> String {
        let lang = self.c().t.lang;
        match (&e.service_name, &e.service_name_en) {
            (_, Some(en)) if lang == Lang::En && !en.is_empty() => en.clone(),
            (Some(ru), _) => ru.clone(),
            _ => self.c().t.s("waitlist-any-service"),
        }
    }

    fn at(&self, secs: &i64) -> String {
        self.c().t.when(&Timestamp::from_second(*secs).unwrap_or_default())
    }

    fn until(&self, secs: &i64) -> String {
        self.c().t.time(&Timestamp::from_second(*secs).unwrap_or_default())
    }
}

impl EntryView for ListTemplate {
    fn c(&self) -> &Chrome {
        &self.c
    }
}

impl EntryView for EntryTemplate {
    fn c(&self) -> &Chrome {
        &self.c
    }
}

#[derive(Default, Deserialize)]
struct DoneParam {
    done: Option<String>,
}

/// The join form, as typed (and as the specialist's page fills it in; the specialist is in
/// the path there, so that the page keeps it when the language changes).
#[derive(Debug, Default, Clone, Deserialize)]
struct JoinForm {
    #[serde(default)]
    specialist_id: i64,
    #[serde(default, alias = "service")]
    service_id: Option<String>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl JoinForm {
    /// The service chosen; none (or `0`, the specialist page's «none chosen»): any.
    fn service(&self) -> Option<i64> {
        self.service_id.as_deref().and_then(|s| s.parse().ok()).filter(|&id| id > 0)
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/cabinet/waitlist", get(show_waitlist).post(join_waitlist))
        .route("/cabinet/waitlist/new/{specialist}", get(show_join_form))
        .route("/cabinet/waitlist/{id}", get(show_entry))
        .route("/cabinet/waitlist/{id}/book", post(book_offer))
        .route("/cabinet/waitlist/{id}/leave", post(leave_waitlist))
}

fn done_key(done: Option<&str>) -> &'static str {
    match done {
        Some("joined") => "waitlist-done-joined",
        Some("left") => "waitlist-done-left",
        _ => "",
    }
}

async fn show_waitlist(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Query(q): Query<DoneParam>,
) -> Result<Response, PageError> {
    let f = CabinetFrame::of(&state, &patient, "waitlist").await?;
    let entries = state.kabinet.my_waitlist(&patient).await?;
    let done = done_key(q.done.as_deref());
    let hold_minutes = state.kabinet.settings.waitlist_hold.as_mins();
    Ok(([NO_STORE], ListTemplate { c, f, entries, done, hold_minutes }).into_response())
}

async fn join_page(
    state: &AppState,
    c: Chrome,
    patient: &Patient,
    form: JoinForm,
    errors: FieldErrors,
    problem: &'static str,
) -> Result<JoinTemplate, PageError> {
    let f = CabinetFrame::of(state, patient, "waitlist").await?;
    let specialist = state.kabinet.specialist(form.specialist_id).await?;
    let services = state
        .kabinet
        .bookable_services(form.specialist_id, c.t.lang)
        .await?
        .into_iter()
        .map(|p| p.service)
        .collect();
    let (first, last) = state.kabinet.bookable_days();
    let links = error_links(&c.t, &errors, FIELDS);
    Ok(JoinTemplate {
        c,
        f,
        specialist_id: form.specialist_id,
        specialist_name: specialist.full_name(),
        services,
        form,
        errors,
        links,
        problem,
        first: first.to_string(),
        last: last.to_string(),
    })
}

async fn show_join_form(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(specialist_id): Path<i64>,
    Query(mut form): Query<JoinForm>,
) -> Result<Response, PageError> {
    form.specialist_id = specialist_id;
    // The week the specialist's page showed may reach past today or the horizon.
    let (first, last) = state.kabinet.bookable_days();
    let clamp = |day: &str| match day.parse::<jiff::civil::Date>() {
        Ok(day) => day.clamp(first, last).to_string(),
        Err(_) => String::new(),
    };
    form.from = clamp(&form.from);
    form.to = clamp(&form.to);
    let page = join_page(&state, c, &patient, form, FieldErrors::default(), "").await?;
    Ok(([NO_STORE], page).into_response())
}

async fn join_waitlist(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Form(form): Form<JoinForm>,
) -> Result<Response, PageError> {
    let wanted = WaitFor {
        specialist_id: form.specialist_id,
        service_id: form.service(),
        from: form.from.clone(),
        to: form.to.clone(),
    };
    let (status, errors, problem) =
        match state.kabinet.join_waitlist(&patient, &wanted, &origin).await {
            Ok(_) => return Ok(Redirect::to("/cabinet/waitlist?done=joined").into_response()),
            Err(Error::Validation(errors)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, errors, "error-validation")
            }
            Err(e) => (status_of(&e), FieldErrors::default(), refusal_message(&e).ok_or(e)?),
        };
    let page = join_page(&state, c, &patient, form, errors, problem).await?;
    Ok((status, [NO_STORE], page).into_response())
}

async fn entry_page(
    state: &AppState,
    c: Chrome,
    patient: &Patient,
    id: i64,
    problem: &'static str,
) -> Result<Response, PageError> {
    let e = state.kabinet.my_waitlist_entry(patient, id).await?;
    let f = CabinetFrame::of(state, patient, "waitlist").await?;
    Ok(([NO_STORE], EntryTemplate { c, f, e, problem }).into_response())
}

async fn show_entry(
    State(state): State<AppState>,
    c: Chrome,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    entry_page(&state, c, &patient, id, "").await
}

async fn book_offer(
    State(state): State<AppState>,
    c: Chrome,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    match state.kabinet.book_waitlist_offer(&patient, id, &origin).await {
        Ok(_) => Ok(Redirect::to("/cabinet?done=booked").into_response()),
        Err(e) => {
            let status = status_of(&e);
            let problem = refusal_message(&e).ok_or(e)?;
            let page = entry_page(&state, c, &patient, id, problem).await?;
            Ok((status, page).into_response())
        }
    }
}

async fn leave_waitlist(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.kabinet.leave_waitlist(&patient, id, &origin).await?;
    Ok(Redirect::to("/cabinet/waitlist?done=left").into_response())
}

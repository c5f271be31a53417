//! One-time booking in the browser (B2): the form for a chosen slot, the booking itself
//! (POST-redirect-GET), and the confirmation with its print layout and calendar file. The
//! confirmation is found by a receipt cookie, so no booking code ever stands in a URL.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use jiff::Timestamp;
use kabinet_core::lang::Lang;
use kabinet_core::patient::FieldErrors;
use kabinet_core::schedule::Slot;
use kabinet_core::visit::VisitStatus;
use kabinet_service::Error;
use kabinet_service::booking::{OneTimeRequest, parse_start};
use kabinet_service::model::Visit;
use kabinet_service::model::{Branch, Service, Specialist};
use kabinet_service::offers::PricedVisit;
use kabinet_service::visits::WantedVisit;
use serde::Deserialize;

use super::NO_STORE;
use super::error_summary::{ErrorLink, error_links, labels};
use super::patient_form::{FieldView, PatientForm};
use super::price_view::PriceView;
use crate::AppState;
use crate::chrome::Chrome;
use crate::cookies::cookie;
use crate::error::{PageError, refusal_message, status_of};
use crate::links::encode;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::session::patient_of;

const RECEIPT_COOKIE: &str = "receipt";
const RECEIPT_MAX_AGE: i64 = 30 * 24 * 3600;

#[derive(Debug, Default, Deserialize)]
struct SlotParams {
    specialist: Option<i64>,
    start: Option<String>,
    service: Option<String>,
}

/// The booking form as typed; every field comes back to the form on an error.
#[derive(Debug, Default, Clone, Deserialize)]
struct BookingForm {
    #[serde(default)]
    specialist: i64,
    #[serde(default)]
    start: String,
    /// The service, from the specialist's page; empty: the specialist's first.
    #[serde(default)]
    service: String,
    /// A discount card, certificate or promotion code, as typed.
    #[serde(default)]
    discount_code: String,
    /// Set by the «recalculate» button: show the price, book nothing.
    recalculate: Option<String>,
    #[serde(flatten)]
    patient: PatientForm,
    consent_personal_data: Option<String>,
    consent_health_data: Option<String>,
    consent_calls: Option<String>,
    consent_advertising: Option<String>,
    #[serde(default)]
    request_key: String,
}

/// Why the form is shown again, above the fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    None,
    Fields,
    SlotTaken,
    OneTimeUsed,
    BookingClosed,
    /// The form was sent again after it booked, and this browser has no receipt for it.
    AlreadyBooked,
    /// The slot is taken by this browser's own booking (Back after booking): it is shown.
    Yours,
    /// Another refusal, with its message.
    Refused(&'static str),
}

#[derive(Template, WebTemplate)]
#[template(path = "booking_form.html")]
struct FormTemplate {
    c: Chrome,
    specialist: Specialist,
    branch: Branch,
    slot: Option<Slot>,
    form: BookingForm,
    errors: FieldErrors,
    problem: Problem,
    fields: Vec<FieldView>,
    /// This browser's booking that holds the slot, for [`Problem::Yours`].
    own: Option<Visit>,
    /// The service and its price with the code typed.
    price: Option<PriceView>,
}

impl BookingForm {
    fn service_id(&self) -> Option<i64> {
        service_param(&self.service)
    }
}

/// A service id from a form or a link; empty, zero or not a number is none.
pub(super) fn service_param(raw: &str) -> Option<i64> {
    raw.trim().parse().ok().filter(|id| *id > 0)
}

/// The service a booking page is for: the one asked, or the specialist's first when that is
/// none or no longer booked online (an old link).
pub(super) async fn page_service(
    state: &AppState,
    specialist_id: i64,
    asked: Option<i64>,
) -> Result<Service, PageError> {
    let kabinet = &state.kabinet;
    match kabinet.bookable_service(specialist_id, asked, Lang::Ru).await {
        Err(Error::Validation(_)) if asked.is_some() => {
            Ok(kabinet.bookable_service(specialist_id, None, Lang::Ru).await?)
        }
        other => Ok(other?),
    }
}

impl FormTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        let consent = [
            ("consent_personal_data", "consents-legend"),
            ("consent_health_data", "consents-legend"),
            ("discount_code", "discount-code-label"),
        ];
        error_links(&self.c.t, &self.errors, labels(&self.fields).chain(consent))
    }

    /// The translated message for a field, if it has a problem.
    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }

    fn checked(value: &Option<String>) -> bool {
        value.is_some()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "booking_done.html")]
struct DoneTemplate {
    c: Chrome,
    start: Timestamp,
    visit: Visit,
    price: Option<PriceView>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/booking/new", get(show_booking_form))
        .route("/booking", get(|| async { Redirect::to("/specialists") }).post(create_booking))
        .route("/booking/done", get(show_booking))
        .route("/booking/done.ics", get(show_booking_ics))
}

async fn form_page(
    state: &AppState,
    c: Chrome,
    jar: &CookieJar,
    form: BookingForm,
    errors: FieldErrors,
    mut problem: Problem,
) -> Result<FormTemplate, PageError> {
    let (specialist, branch) =
        state.kabinet.specialist_at_branch(form.specialist, c.t.lang).await?;
    let mut own = None;
    let mut errors = errors;
    let service = page_service(state, specialist.id, form.service_id()).await?;
    let minutes = Some(service.duration_minutes);
    let price =
        quote_for(state, &specialist, service, &form.discount_code, &form.start, &mut errors)
            .await?
            .map(|priced| PriceView::quoted(&priced, c.t.lang));
    let slot = match parse_start(&form.start) {
        Some(start) => match state.kabinet.offered_time(specialist.id, start, minutes).await {
            Ok(slot) => Some(slot),
            Err(Error::SlotTaken) => {
                // Back after booking, and the form again: the slot is this browser's own.
                own = own_booking(state, jar, specialist.id, start).await?;
                if own.is_some() {
                    problem = Problem::Yours;
                } else if problem == Problem::None {
                    problem = Problem::SlotTaken;
                }
                None
            }
            Err(Error::BookingClosed) => {
                problem = Problem::BookingClosed;
                None
            }
            Err(other) => return Err(other.into()),
        },
        None => return Err(PageError::NotFound),
    };
    Ok(FormTemplate {
        c,
        specialist,
        branch,
        slot,
        fields: form.patient.fields(true),
        form,
        errors,
        problem,
        own,
        price,
    })
}

/// The price of the service at the time asked, with the code typed; a code that gives
/// nothing is a problem of its field, and the price is shown without it.
pub(super) async fn quote_for(
    state: &AppState,
    specialist: &Specialist,
    service: Service,
    code: &str,
    start: &str,
    errors: &mut FieldErrors,
) -> Result<Option<PricedVisit>, PageError> {
    let Some(start) = parse_start(start) else { return Ok(None) };
    let day = start.to_zoned(state.kabinet.settings.time_zone.clone()).date();
    let kabinet = &state.kabinet;
    match kabinet.price_visit(specialist, service.clone(), Some(code), day).await {
        Ok(priced) => Ok(Some(priced)),
        Err(Error::Validation(problems)) => {
            for problem in problems.0 {
                if errors.get(problem.field).is_none() {
                    errors.add(problem.field, problem.message);
                }
            }
            Ok(Some(kabinet.price_visit(specialist, service, None, day).await?))
        }
        Err(other) => Err(other.into()),
    }
}

/// This browser's booking (by its receipt) of the slot at `start`, if it holds that slot: only
/// the receipt shows a booking, never the phone typed (323-FZ art. 13).
async fn own_booking(
    state: &AppState,
    jar: &CookieJar,
    specialist_id: i64,
    start: Timestamp,
) -> Result<Option<Visit>, PageError> {
    let Some(token) = jar.get(RECEIPT_COOKIE) else { return Ok(None) };
    let visit = match state.kabinet.visit_by_receipt(token.value()).await {
        Ok(visit) => visit,
        Err(Error::NotFound) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let holds = visit.specialist_id == specialist_id
        && visit.starts_at == start.as_second()
        && visit.status == VisitStatus::Booked;
    Ok(holds.then_some(visit))
}

async fn show_booking_form(
    State(state): State<AppState>,
    c: Chrome,
    jar: CookieJar,
    headers: HeaderMap,
    Query(params): Query<SlotParams>,
) -> Result<Response, PageError> {
    // A signed-in patient books from the cabinet, without typing their data again.
    if let Some(patient) = patient_of(&headers, &state, false).await? {
        if patient.needs_activation() {
            return Ok(Redirect::to("/account/activate").into_response());
        }
        let wanted = WantedVisit {
            specialist_id: params.specialist.ok_or(PageError::NotFound)?,
            service_id: params.service.as_deref().and_then(service_param),
            start: params.start.unwrap_or_default(),
            discount_code: None,
        };
        return super::cabinet::booking_page(&state, c, &patient, &wanted).await;
    }
    let form = BookingForm {
        specialist: params.specialist.ok_or(PageError::NotFound)?,
        start: params.start.unwrap_or_default(),
        service: params.service.unwrap_or_default(),
        request_key: kabinet_core::token::random_token(),
        ..BookingForm::default()
    };
    let page = form_page(&state, c, &jar, form, FieldErrors::default(), Problem::None).await?;
    Ok(([NO_STORE], page).into_response())
}

async fn create_booking(
    State(state): State<AppState>,
    mut c: Chrome,
    jar: CookieJar,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<BookingForm>,
) -> Result<Response, PageError> {
    if form.recalculate.is_some() {
        c.here = here(&form);
        let page = form_page(&state, c, &jar, form, FieldErrors::default(), Problem::None).await?;
        return Ok(([NO_STORE], page).into_response());
    }
    let request = OneTimeRequest {
        specialist_id: form.specialist,
        service_id: form.service_id(),
        discount_code: Some(form.discount_code.clone()),
        start: form.start.clone(),
        patient: form.patient.input(),
        consent_personal_data: form.consent_personal_data.is_some(),
        consent_health_data: form.consent_health_data.is_some(),
        consent_calls: form.consent_calls.is_some(),
        consent_advertising: form.consent_advertising.is_some(),
        request_key: Some(form.request_key.clone()),
        origin,
    };
    let (status, errors, problem) = match state.kabinet.book_one_time(request).await {
        Ok(booked) => match booked.receipt_token {
            Some(token) => {
                let receipt = cookie(
                    RECEIPT_COOKIE,
                    &token,
                    RECEIPT_MAX_AGE,
                    "/booking",
                    state.secure_cookies(),
                );
                return Ok((jar.add(receipt), Redirect::to("/booking/done")).into_response());
            }
            // The same form again (a double click, the Back button): the receipt this browser
            // got the first time shows the booking; without it, nothing about it is shown.
            None if receipt_visit(&state, &jar).await.is_ok_and(|v| v.id == booked.visit.id) => {
                return Ok(Redirect::to("/booking/done").into_response());
            }
            None => (StatusCode::CONFLICT, FieldErrors::default(), Problem::AlreadyBooked),
        },
        Err(Error::Validation(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors, Problem::Fields)
        }
        Err(Error::SlotTaken) => (StatusCode::CONFLICT, FieldErrors::default(), Problem::SlotTaken),
        Err(Error::OneTimeUsed) => {
            (StatusCode::CONFLICT, FieldErrors::default(), Problem::OneTimeUsed)
        }
        Err(Error::BookingClosed) => {
            (StatusCode::CONFLICT, FieldErrors::default(), Problem::BookingClosed)
        }
        Err(other) => match refusal_message(&other) {
            Some(key) => (status_of(&other), FieldErrors::default(), Problem::Refused(key)),
            None => return Err(other.into()),
        },
    };
    // Switching language or accepting the notice comes back to the form, not to the POST.
    c.here = here(&form);
    let page = form_page(&state, c, &jar, form, errors, problem).await?;
    Ok((status, [NO_STORE], page).into_response())
}

/// Where switching the language or accepting the notice comes back to: the form, not the POST.
fn here(form: &BookingForm) -> String {
    format!(
        "/booking/new?specialist={}&start={}&service={}",
        form.specialist,
        encode(&form.start),
        encode(&form.service)
    )
}

async fn receipt_visit(state: &AppState, jar: &CookieJar) -> Result<Visit, PageError> {
    let token = jar.get(RECEIPT_COOKIE).map(|c| c.value().to_owned()).ok_or(PageError::NotFound)?;
    Ok(state.kabinet.visit_by_receipt(&token).await?)
}

async fn show_booking(
    State(state): State<AppState>,
    c: Chrome,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let visit = receipt_visit(&state, &jar).await?;
    let start = Timestamp::from_second(visit.starts_at).unwrap_or(Timestamp::UNIX_EPOCH);
    let price = PriceView::of_visit(&visit, c.t.lang);
    Ok(([NO_STORE], DoneTemplate { c, start, visit, price }).into_response())
}

async fn show_booking_ics(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let visit = receipt_visit(&state, &jar).await?;
    Ok(super::calendar_file(&state, &visit))
}

//! The specialists directory with its filters (C1, C4) and a specialist's page with services,
//! prices and free time by day (C2); plus their generated portraits.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::civil::Date;
use kabinet_core::catalog::ServiceKind;
use kabinet_core::pricing::{DiscountKind, PriceNote};
use kabinet_service::catalog::{DirectoryPage, DirectoryQuery, DirectorySort, SpecialistPage};
use kabinet_service::model::{Branch, Specialty};
use serde::Deserialize;

use crate::AppState;
use crate::avatar::avatar_svg;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::links::encode;
use crate::routes::Routes;

#[derive(Debug, Default, Deserialize)]
struct DirectoryParams {
    specialty: Option<String>,
    branch: Option<String>,
    q: Option<String>,
    free_on: Option<String>,
    sort: Option<String>,
    page: Option<usize>,
}

/// The directory's search form as the patient filled it in (C6).
#[derive(Debug)]
pub(crate) struct SearchForm {
    pub specialty_id: Option<i64>,
    pub branch_id: Option<i64>,
    pub text: String,
    /// The day asked for, as typed: kept when it is not a day one can book.
    pub free_on: String,
    pub sort: DirectorySort,
    /// The days one can book, for the date field's bounds and its hint.
    pub first_day: Date,
    pub last_day: Date,
    /// Why the day asked for is not looked for.
    pub free_on_error: Option<&'static str>,
}

impl SearchForm {
    /// A form with nothing chosen.
    pub(crate) fn empty((first_day, last_day): (Date, Date)) -> Self {
        Self {
            specialty_id: None,
            branch_id: None,
            text: String::new(),
            free_on: String::new(),
            sort: DirectorySort::Name,
            first_day,
            last_day,
            free_on_error: None,
        }
    }

    /// The day to look for: a day one can book, else none and a reason.
    fn day(&mut self) -> Option<Date> {
        if self.free_on.is_empty() {
            return None;
        }
        match self.free_on.parse::<Date>() {
            Ok(day) if (self.first_day..=self.last_day).contains(&day) => Some(day),
            Ok(_) => {
                self.free_on_error = Some("search-day-outside");
                None
            }
            Err(_) => {
                self.free_on_error = Some("search-day-invalid");
                None
            }
        }
    }

    pub(crate) fn sorted_by_nearest(&self) -> bool {
        self.sort == DirectorySort::Nearest
    }

    /// «Запись открыта с 2 декабря 2026 по 30 декабря 2026».
    pub(crate) fn days_hint(&self, c: &Chrome) -> String {
        let (first, last) = (c.t.date(&self.first_day), c.t.date(&self.last_day));
        c.t.args("search-day-hint", [("first", first.into()), ("last", last.into())])
    }
}

/// An id from a select box: empty means "any".
fn optional_id(value: Option<&String>) -> Option<i64> {
    value.and_then(|v| v.trim().parse().ok())
}

#[derive(Template, WebTemplate)]
#[template(path = "specialists.html")]
struct DirectoryTemplate {
    c: Chrome,
    directory: DirectoryPage,
    branches: Vec<Branch>,
    specialties: Vec<Specialty>,
    form: SearchForm,
}

impl DirectoryTemplate {
    /// The query string of this search at another page.
    fn page_link(&self, page: usize) -> String {
        let form = &self.form;
        let mut query = format!("/specialists?page={page}");
        if let Some(id) = form.specialty_id {
            query.push_str(&format!("&specialty={id}"));
        }
        if let Some(id) = form.branch_id {
            query.push_str(&format!("&branch={id}"));
        }
        if !form.text.is_empty() {
            query.push_str(&format!("&q={}", encode(&form.text)));
        }
        if form.free_on_error.is_none() && !form.free_on.is_empty() {
            query.push_str(&format!("&free_on={}", encode(&form.free_on)));
        }
        if form.sort != DirectorySort::Name {
            query.push_str(&format!("&sort={}", form.sort.as_param()));
        }
        query
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "specialist.html")]
struct SpecialistTemplate {
    c: Chrome,
    page: SpecialistPage,
    /// How far ahead booking is open: «Запись открыта на 4 недели вперёд».
    window: String,
}

impl SpecialistTemplate {
    /// The chosen service's id, for the links of weeks and times.
    fn service_id(&self) -> i64 {
        self.page.service.as_ref().map_or(0, |p| p.service.id)
    }

    fn is_chosen(&self, id: &i64) -> bool {
        self.service_id() == *id
    }

    /// Whether the week shown has no free time at all: the page offers the waiting list.
    fn week_is_full(&self) -> bool {
        self.page.days.iter().all(|d| d.slots.is_empty())
    }

    /// The week's first and last days shown, for the waiting list's form.
    fn week_first(&self) -> String {
        self.page.days.first().map(|d| d.date.to_string()).unwrap_or_default()
    }

    fn week_last(&self) -> String {
        self.page.days.last().map(|d| d.date.to_string()).unwrap_or_default()
    }

    fn is_online(kind: &DiscountKind) -> bool {
        *kind == DiscountKind::Online
    }

    fn is_complex_note(note: &PriceNote) -> bool {
        *note == PriceNote::ComplexProgram
    }

    /// The heading of a kind of services.
    fn kind_heading(kind: &ServiceKind) -> &'static str {
        kind_heading(*kind)
    }
}

#[derive(Debug, Default, Deserialize)]
struct WeekParams {
    week: Option<i32>,
    service: Option<String>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/specialists", get(list_specialists))
        .route("/specialists/{id}", get(show_specialist))
        .route("/specialists/{id}/photo.svg", get(show_specialist_photo))
        .route("/photos/{name}", get(show_photo))
}

async fn list_specialists(
    State(state): State<AppState>,
    c: Chrome,
    Query(params): Query<DirectoryParams>,
) -> Result<DirectoryTemplate, PageError> {
    let mut form = SearchForm {
        specialty_id: optional_id(params.specialty.as_ref()),
        branch_id: optional_id(params.branch.as_ref()),
        text: params.q.unwrap_or_default().trim().chars().take(100).collect(),
        free_on: params.free_on.unwrap_or_default().trim().chars().take(10).collect(),
        sort: params.sort.as_deref().and_then(DirectorySort::from_param).unwrap_or_default(),
        ..SearchForm::empty(state.kabinet.bookable_days())
    };
    let query = DirectoryQuery {
        specialty_id: form.specialty_id,
        branch_id: form.branch_id,
        text: form.text.clone(),
        free_on: form.day(),
        sort: form.sort,
        page: params.page.unwrap_or(1),
        lang: c.t.lang,
    };
    let directory = state.kabinet.directory(&query).await?;
    let (branches, specialties) = state.kabinet.filters(c.t.lang).await?;
    Ok(DirectoryTemplate { c, directory, branches, specialties, form })
}

async fn show_specialist(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<i64>,
    Query(params): Query<WeekParams>,
) -> Result<SpecialistTemplate, PageError> {
    let service = params.service.as_deref().and_then(super::booking::service_param);
    let page =
        state.kabinet.specialist_page(id, params.week.unwrap_or(0), service, c.t.lang).await?;
    let window = window_note(&c, state.kabinet.settings.horizon_days);
    Ok(SpecialistTemplate { c, page, window })
}

/// The booking horizon as patients read it: in weeks when it is whole weeks, else in days.
fn window_note(c: &Chrome, days: i32) -> String {
    if days > 0 && days % 7 == 0 {
        c.t.a("booking-window-weeks", "count", &(days / 7))
    } else {
        c.t.a("booking-window-days", "count", &days)
    }
}

async fn show_specialist_photo(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let s = state.kabinet.specialist(id).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")],
        avatar_svg(s.id, &s.first_name, &s.last_name),
    )
        .into_response())
}

/// The heading of a kind of services, also the kind's word on the back office's pages.
pub(crate) fn kind_heading(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Consultation => "services-consultations",
        ServiceKind::Procedure => "services-procedures",
        ServiceKind::Diagnostics => "services-diagnostics",
        ServiceKind::Test => "services-tests",
        ServiceKind::Certificate => "services-certificates",
        ServiceKind::Program => "services-programs",
    }
}

/// An uploaded photo. Its name is new on every upload, so caches may keep it for good.
async fn show_photo(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    // Our names only: 32 hex digits and `.jpg`; anything else is looked up nowhere.
    let ours = name.strip_suffix(".jpg").is_some_and(|stem| {
        stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    });
    if !ours {
        return Err(PageError::NotFound);
    }
    let photo = state.kabinet.photo(&name).await?;
    let content_type = HeaderValue::from_str(&photo.content_type)
        .map_err(|_| PageError::Internal(format!("photo {name}: bad content type")))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        photo.bytes,
    )
        .into_response())
}

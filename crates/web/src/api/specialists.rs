//! `GET /api/v1/specialists`, `GET /api/v1/specialists/{id}` and its free slots.

use axum::Json;
use axum::extract::State;
use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use kabinet_core::catalog::ServiceKind;
use kabinet_core::lang::Lang;
use kabinet_core::patient::FieldErrors;
use kabinet_core::pricing::{Discount, DiscountKind, DiscountSize, PriceNote, Quote};
use kabinet_service::catalog::{DirectoryQuery, DirectorySort, SpecialistCard};
use kabinet_service::model::Branch;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiLang, ApiPath, ApiQuery, ClinicTime, Items};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};

/// The longest range of days one slots request may ask for.
const MAX_SLOT_DAYS: i32 = 62;

/// A branch of the clinic.
#[derive(Serialize, ToSchema)]
pub struct BranchJson {
    id: i64,
    name: String,
    address: String,
    phone: String,
}

impl From<Branch> for BranchJson {
    fn from(b: Branch) -> Self {
        Self { id: b.id, name: b.name.text, address: b.address.text, phone: b.phone }
    }
}

/// A price for a patient booking online.
#[derive(Serialize, ToSchema)]
pub struct PriceJson {
    /// Price-list price, kopecks.
    base_kopecks: i64,
    /// What a patient booking online pays, kopecks.
    price_kopecks: i64,
    /// The discount applied, if any: its kind and percent.
    discount: Option<DiscountJson>,
    /// Why the price has the discount it has.
    note: PriceNoteJson,
}

impl From<Quote> for PriceJson {
    fn from(q: Quote) -> Self {
        Self {
            base_kopecks: q.base.0,
            price_kopecks: q.price.0,
            discount: q.applied.map(DiscountJson::from),
            note: q.note.into(),
        }
    }
}

/// A discount applied to a price.
#[derive(Serialize, ToSchema)]
pub struct DiscountJson {
    /// What kind of discount it is.
    kind: DiscountKindJson,
    /// Its size in percent, for a share of the price.
    #[schema(maximum = 100)]
    percent: Option<u8>,
    /// Its size in kopecks, for a sum (a certificate).
    amount_kopecks: Option<i64>,
}

/// The kinds of discount.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiscountKindJson {
    /// For booking online.
    Online,
    /// A personal discount card.
    Card,
    /// A discount certificate.
    Certificate,
    /// A special promotion.
    Promotion,
}

impl From<Discount> for DiscountJson {
    fn from(d: Discount) -> Self {
        let kind = match d.kind {
            DiscountKind::Online => DiscountKindJson::Online,
            DiscountKind::Card => DiscountKindJson::Card,
            DiscountKind::Certificate => DiscountKindJson::Certificate,
            DiscountKind::Promotion => DiscountKindJson::Promotion,
        };
        let (percent, amount_kopecks) = match d.size {
            DiscountSize::Percent(percent) => (Some(percent), None),
            DiscountSize::Amount(amount) => (None, Some(amount.0)),
        };
        Self { kind, percent, amount_kopecks }
    }
}

/// Why a price has the discount it has: none offered, one applied, or a complex program (which
/// never gets the online discount).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriceNoteJson {
    /// No discount was offered.
    NoDiscount,
    /// One discount applies.
    Applied,
    /// A complex program: the online discount does not apply to it.
    ComplexProgram,
}

impl From<PriceNote> for PriceNoteJson {
    fn from(note: PriceNote) -> Self {
        match note {
            PriceNote::NoDiscount => Self::NoDiscount,
            PriceNote::Applied => Self::Applied,
            PriceNote::ComplexProgram => Self::ComplexProgram,
        }
    }
}

/// A specialist in the catalog.
#[derive(Serialize, ToSchema)]
pub struct SpecialistJson {
    id: i64,
    full_name: String,
    /// The specialties' names.
    specialties: Vec<String>,
    /// Whether the clinic takes online bookings for this specialist.
    online_booking: bool,
    /// The online discount, percent (0 for none).
    online_discount_percent: i32,
    qualification: String,
    experience_years: i32,
    /// The main branch: the address a visit's letters give.
    branch: BranchJson,
    /// The ids of every branch they see patients at, the main one first (ids keep the
    /// directory's pages small; each branch is as `branch` gives the main one).
    branch_ids: Vec<i64>,
    /// The photo (or its placeholder), relative to the server.
    photo_url: String,
    /// The lowest price of a consultation (never a procedure's or a test's), with the online
    /// discount where it applies; none when the specialist gives no consultation.
    price_from: Option<PriceJson>,
    /// The start of the first free time one can book online; none when booking is closed or
    /// nothing is free within the booking horizon.
    #[schema(value_type = Option<String>, format = DateTime)]
    nearest_free: Option<ClinicTime>,
}

impl SpecialistJson {
    /// The card with its times on the clinic's clocks.
    fn new(card: SpecialistCard, tz: &TimeZone) -> Self {
        let s = card.specialist;
        Self {
            id: s.id,
            full_name: s.full_name(),
            specialties: card.specialties.into_iter().map(|s| s.name.text).collect(),
            online_booking: s.online_booking,
            online_discount_percent: s.online_discount_percent,
            qualification: s.qualification.text,
            experience_years: card.experience_years,
            branch: card.branch.into(),
            branch_ids: card.branches.iter().map(|b| b.id).collect(),
            photo_url: format!("/specialists/{}/photo.svg", s.id),
            price_from: card.from_price.map(PriceJson::from),
            nearest_free: card.nearest.map(|slot| ClinicTime::new(slot.start, tz)),
        }
    }
}

/// A service a specialist provides, with its price.
#[derive(Serialize, ToSchema)]
pub struct ServiceJson {
    id: i64,
    code: String,
    name: String,
    /// What the service is.
    kind: ServiceKindJson,
    /// A complex program (`kind` is `program`): never discounted online.
    complex: bool,
    price: PriceJson,
}

/// What a service is; a specialist's services come in this order of kinds.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKindJson {
    /// A visit to the doctor: an examination, a consultation.
    Consultation,
    /// A procedure: an injection, physiotherapy, a vaccination.
    Procedure,
    /// An instrumental examination: ultrasound, ECG.
    Diagnostics,
    /// A laboratory test.
    Test,
    /// A certificate or a copy of medical records.
    Certificate,
    /// A complex program.
    Program,
}

impl From<ServiceKind> for ServiceKindJson {
    fn from(kind: ServiceKind) -> Self {
        match kind {
            ServiceKind::Consultation => Self::Consultation,
            ServiceKind::Procedure => Self::Procedure,
            ServiceKind::Diagnostics => Self::Diagnostics,
            ServiceKind::Test => Self::Test,
            ServiceKind::Certificate => Self::Certificate,
            ServiceKind::Program => Self::Program,
        }
    }
}

/// A specialist with their biography and services.
#[derive(Serialize, ToSchema)]
pub struct SpecialistDetailJson {
    #[serde(flatten)]
    specialist: SpecialistJson,
    bio: String,
    services: Vec<ServiceJson>,
}

/// What to look for among the specialists, and which page of them.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpecialistSearch {
    /// Words of a name or a specialty, all of them; case and «ё»/«е» do not matter.
    q: Option<String>,
    /// Only this specialty (an id of `specialties` in the directory's filters).
    specialty_id: Option<i64>,
    /// Only this branch.
    branch_id: Option<i64>,
    /// Only those with a free time on this day (`YYYY-MM-DD`) that can still be booked.
    #[param(value_type = Option<String>, format = Date)]
    free_on: Option<String>,
    /// The order: `name` (the default) or `nearest` (who is free soonest first; those with no
    /// free time in the booking horizon last).
    sort: Option<String>,
    /// How many specialists to answer, 1–100 (50 if not given).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
    /// Where to go on: the `next_cursor` of the page before. Opaque.
    cursor: Option<String>,
}

/// A page of specialists.
#[derive(Serialize, ToSchema)]
pub struct SpecialistPageJson {
    /// The specialists of this page, in the directory's order.
    items: Vec<SpecialistJson>,
    /// The `cursor` of the next page; null on the last one.
    next_cursor: Option<String>,
}

/// How many specialists a page of the API holds when `limit` is not given.
const DEFAULT_LIMIT: usize = 50;

/// The offset a cursor stands for: `o` and a decimal number, hex-encoded (opaque to clients,
/// and nothing a client could guess a meaning into).
fn cursor_offset(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(hex::decode(cursor).ok()?).ok()?;
    text.strip_prefix('o')?.parse().ok()
}

fn cursor_of(offset: usize) -> String {
    hex::encode(format!("o{offset}"))
}

/// The specialists of the clinic, a page at a time: all of them, or those of a specialty or a
/// branch, or those whose name and specialties hold every word of `q`, as the directory finds
/// them.
///
/// Texts (specialties, qualification, branch) are in the language `Accept-Language` prefers,
/// English or Russian; a text without an English version stays Russian. Follow `next_cursor`
/// (as `cursor`, with the same filters) until it is null.
#[utoipa::path(
    get,
    path = "/specialists",
    tag = "catalog",
    params(SpecialistSearch, ApiLang),
    responses(
        (status = 200, description = "A page of specialists.", body = SpecialistPageJson),
        (status = 422, description = "`validation`: the query string does not parse, `limit` \
            is not 1–100, or `cursor` is not one this API gave.", body = ErrorBody),
    )
)]
pub async fn list_specialists(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiQuery(search): ApiQuery<SpecialistSearch>,
) -> Result<Json<SpecialistPageJson>, ApiError> {
    let mut errors = FieldErrors::default();
    let limit = match search.limit {
        None => DEFAULT_LIMIT,
        Some(limit @ 1..=100) => usize::try_from(limit).unwrap_or(DEFAULT_LIMIT),
        Some(_) => {
            errors.add("limit", "error-limit-invalid");
            DEFAULT_LIMIT
        }
    };
    let offset = match search.cursor.as_deref() {
        None => 0,
        Some(cursor) => cursor_offset(cursor).unwrap_or_else(|| {
            errors.add("cursor", "error-cursor-invalid");
            0
        }),
    };
    let free_on = search.free_on.as_deref().and_then(|day| {
        let parsed = day.parse::<Date>().ok();
        if parsed.is_none() {
            errors.add("free_on", "error-date-invalid");
        }
        parsed
    });
    let sort = match search.sort.as_deref() {
        None => DirectorySort::Name,
        Some(sort) => DirectorySort::from_param(sort).unwrap_or_else(|| {
            errors.add("sort", "error-sort-invalid");
            DirectorySort::Name
        }),
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(&errors));
    }
    let query = DirectoryQuery {
        specialty_id: search.specialty_id,
        branch_id: search.branch_id,
        text: search.q.unwrap_or_default(),
        free_on,
        sort,
        page: 1,
        lang,
    };
    let (cards, more) = state.kabinet.specialists_slice(&query, offset, limit).await?;
    let tz = &state.kabinet.settings.time_zone;
    Ok(Json(SpecialistPageJson {
        items: cards.into_iter().map(|card| SpecialistJson::new(card, tz)).collect(),
        next_cursor: more.then(|| cursor_of(offset + limit)),
    }))
}

/// One specialist, with services and prices.
///
/// Services come by kind (consultations first, then procedures, examinations, tests,
/// certificates, programs), each kind by price. Texts are in the language `Accept-Language`
/// prefers, as in the list.
#[utoipa::path(
    get,
    path = "/specialists/{id}",
    tag = "catalog",
    params(("id" = i64, Path, description = "The specialist's id."), ApiLang),
    responses(
        (status = 200, description = "The specialist.", body = SpecialistDetailJson),
        (status = 404, description = "`not_found`: no such specialist.", body = ErrorBody),
    )
)]
pub async fn show_specialist(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SpecialistDetailJson>, ApiError> {
    let page = state.kabinet.specialist_page(id, 0, None, lang).await?;
    let bio = page.card.specialist.bio.text.clone();
    let services = page
        .services
        .into_iter()
        .flat_map(|group| group.services)
        .map(|p| ServiceJson {
            id: p.service.id,
            code: p.service.code,
            name: p.service.name.text,
            kind: p.service.kind.into(),
            complex: p.service.complex,
            price: p.quote.into(),
        })
        .collect();
    let specialist = SpecialistJson::new(page.card, &state.kabinet.settings.time_zone);
    Ok(Json(SpecialistDetailJson { specialist, bio, services }))
}

/// The days to list free slots on, both inclusive, at most 62 days.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotRange {
    /// The first day, `YYYY-MM-DD`; today if not given.
    #[param(format = Date)]
    from: Option<String>,
    /// The last day, `YYYY-MM-DD`; six days after `from` if not given.
    #[param(format = Date)]
    to: Option<String>,
    /// A service of the specialist's `services`: only the times that fit its length, each as
    /// long as the service. Without it, the schedule's slots.
    service_id: Option<i64>,
}

/// A free slot.
#[derive(Serialize, ToSchema)]
pub struct SlotJson {
    start: ClinicTime,
    end: ClinicTime,
}

/// A specialist's free slots.
///
/// Free slots on the days asked, cut to the booking window; empty when online booking is
/// closed.
#[utoipa::path(
    get,
    path = "/specialists/{id}/slots",
    tag = "catalog",
    params(("id" = i64, Path, description = "The specialist's id."), SlotRange),
    responses(
        (status = 200, description = "The free slots, earliest first.", body = Items<SlotJson>,
            links(("book_first_slot" = (
                operation_id = "create_visit",
                description = "A signed-in patient books the first of these slots.",
                request_body = json!({
                    "specialist_id": "$request.path.id",
                    "start": "$response.body#/items/0/start"
                })
            )))),
        (status = 404, description = "`not_found`: no such specialist.", body = ErrorBody),
        (status = 422, description = "`validation`: a date is not `YYYY-MM-DD`, or the range \
            is backwards or longer than 62 days (`fields`: `from`, `to`, `query`), or the \
            specialist gives no such service online (`service_id`).",
            body = ErrorBody),
    )
)]
pub async fn list_slots(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(range): ApiQuery<SlotRange>,
) -> Result<Json<Items<SlotJson>>, ApiError> {
    let mut errors = FieldErrors::default();
    let parse =
        |raw: Option<&String>| raw.map(|r| r.parse::<Date>().map_err(|_| "error-date-invalid"));
    let from =
        parse(range.from.as_ref()).transpose().map_err(|m| errors.add("from", m)).ok().flatten();
    let to = parse(range.to.as_ref()).transpose().map_err(|m| errors.add("to", m)).ok().flatten();
    let from = from.unwrap_or_else(|| state.kabinet.today());
    let to = to.unwrap_or_else(|| from.checked_add(6.days()).unwrap_or(from));
    if errors.is_empty() && (to < from || (to - from).get_days() >= MAX_SLOT_DAYS) {
        errors.add("to", "error-range-invalid");
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(&errors));
    }
    let tz = &state.kabinet.settings.time_zone;
    let slots = match range.service_id {
        Some(service_id) => {
            let kabinet = &state.kabinet;
            let service = kabinet.bookable_service(id, Some(service_id), Lang::Ru).await?;
            kabinet.free_times_for(id, &service, (from, to)).await?
        }
        None => state.kabinet.free_slots(id, from, to).await?,
    };
    let items = slots
        .into_iter()
        .map(|s| SlotJson { start: ClinicTime::new(s.start, tz), end: ClinicTime::new(s.end, tz) })
        .collect();
    Ok(Json(Items { items }))
}

/// A service one books online with the specialist, priced for a patient without a code.
#[derive(Serialize, ToSchema)]
pub struct BookableServiceJson {
    id: i64,
    name: String,
    /// What it is: a complex program is `complex` (never discounted online).
    #[schema(pattern = "^(consultation|procedure|diagnostics|complex)$")]
    kind: &'static str,
    /// How long the visit takes.
    duration_minutes: i32,
    /// The price-list price, rubles.
    base_price: f64,
    /// What a patient booking online pays, rubles (without a card or a code).
    online_price: f64,
    /// Which discount the online price has and why; null without one.
    discount_reason: Option<String>,
}

/// The services one books online with a specialist.
///
/// Consultations first, then procedures, examinations and complex programs, each kind by
/// price. Prices in rubles, with the online discount and any automatic promotion; a discount
/// card or a code is priced at booking. Texts in the language `Accept-Language` prefers.
#[utoipa::path(
    get,
    path = "/specialists/{id}/services",
    tag = "catalog",
    params(("id" = i64, Path, description = "The specialist's id."), ApiLang),
    responses(
        (status = 200, description = "The services.", body = Items<BookableServiceJson>),
        (status = 404, description = "`not_found`: no such specialist.", body = ErrorBody),
    )
)]
pub async fn list_services(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Items<BookableServiceJson>>, ApiError> {
    let services = state.kabinet.bookable_services(id, lang).await?;
    let items = services
        .into_iter()
        .map(|p| BookableServiceJson {
            id: p.service.id,
            name: p.service.name.text,
            kind: match p.service.kind {
                ServiceKind::Program => "complex",
                kind => kind.as_str(),
            },
            duration_minutes: p.service.duration_minutes,
            base_price: p.quote.base.as_rubles(),
            online_price: p.quote.price.as_rubles(),
            discount_reason: p.quote.reason(lang),
        })
        .collect();
    Ok(Json(Items { items }))
}

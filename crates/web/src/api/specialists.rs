//! `GET /api/v1/specialists`, `GET /api/v1/specialists/{id}` and its free slots.

use axum::Json;
use axum::extract::{Path, Query, State};
use jiff::ToSpan;
use jiff::civil::Date;
use kabinet_core::patient::FieldErrors;
use kabinet_core::pricing::Quote;
use kabinet_service::catalog::SpecialistCard;
use serde::{Deserialize, Serialize};

use super::{ClinicTime, Items};
use crate::AppState;
use crate::error::ApiError;

/// The longest range of days one slots request may ask for.
const MAX_SLOT_DAYS: i32 = 62;

#[derive(Serialize)]
pub struct BranchJson {
    id: i64,
    name: String,
    address: String,
    phone: String,
}

#[derive(Serialize)]
pub struct PriceJson {
    /// Price-list price, kopecks.
    base_kopecks: i64,
    /// What a patient booking online pays, kopecks.
    price_kopecks: i64,
    /// The discount applied, if any: its kind and percent.
    discount: Option<kabinet_core::pricing::Discount>,
    note: kabinet_core::pricing::PriceNote,
}

impl From<Quote> for PriceJson {
    fn from(q: Quote) -> Self {
        Self { base_kopecks: q.base.0, price_kopecks: q.price.0, discount: q.applied, note: q.note }
    }
}

#[derive(Serialize)]
pub struct SpecialistJson {
    id: i64,
    full_name: String,
    specialties: Vec<String>,
    online_booking: bool,
    online_discount_percent: i32,
    qualification: String,
    experience_years: i32,
    branch: BranchJson,
    photo_url: String,
    price_from: Option<PriceJson>,
}

impl From<SpecialistCard> for SpecialistJson {
    fn from(card: SpecialistCard) -> Self {
        let s = card.specialist;
        Self {
            id: s.id,
            full_name: s.full_name(),
            specialties: card.specialties.into_iter().map(|s| s.name).collect(),
            online_booking: s.online_booking,
            online_discount_percent: s.online_discount_percent,
            qualification: s.qualification,
            experience_years: card.experience_years,
            branch: BranchJson {
                id: card.branch.id,
                name: card.branch.name,
                address: card.branch.address,
                phone: card.branch.phone,
            },
            photo_url: format!("/specialists/{}/photo.svg", s.id),
            price_from: card.from_price.map(PriceJson::from),
        }
    }
}

#[derive(Serialize)]
pub struct ServiceJson {
    id: i64,
    code: String,
    name: String,
    complex: bool,
    price: PriceJson,
}

#[derive(Serialize)]
pub struct SpecialistDetailJson {
    #[serde(flatten)]
    specialist: SpecialistJson,
    bio: String,
    services: Vec<ServiceJson>,
}

pub async fn list_specialists(
    State(state): State<AppState>,
) -> Result<Json<Items<SpecialistJson>>, ApiError> {
    let cards = state.kabinet.all_specialists().await?;
    Ok(Json(Items { items: cards.into_iter().map(SpecialistJson::from).collect() }))
}

pub async fn show_specialist(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<SpecialistDetailJson>, ApiError> {
    let page = state.kabinet.specialist_page(id, 0).await?;
    let bio = page.card.specialist.bio.clone();
    let services = page
        .services
        .into_iter()
        .map(|p| ServiceJson {
            id: p.service.id,
            code: p.service.code,
            name: p.service.name,
            complex: p.service.complex,
            price: p.quote.into(),
        })
        .collect();
    Ok(Json(SpecialistDetailJson { specialist: page.card.into(), bio, services }))
}

#[derive(Deserialize)]
pub struct SlotRange {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Serialize)]
pub struct SlotJson {
    start: ClinicTime,
    end: ClinicTime,
}

pub async fn list_slots(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(range): Query<SlotRange>,
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
    let slots = state.kabinet.free_slots(id, from, to).await?;
    let items = slots
        .into_iter()
        .map(|s| SlotJson { start: ClinicTime::new(s.start, tz), end: ClinicTime::new(s.end, tz) })
        .collect();
    Ok(Json(Items { items }))
}

//! What visitors browse (C1–C4): the specialists directory, a specialist's page with services,
//! prices and free time, and the price list.

use std::sync::Arc;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use kabinet_core::catalog::ServiceKind;
use kabinet_core::lang::Lang;
use kabinet_core::pricing::{Discount, DiscountKind, Money, Quote, quote};
use kabinet_core::schedule::{BookingWindow, Slot, fit_service};
use kabinet_core::search;
use kabinet_store::catalog::{
    Branch, Schedule, Service, ServiceGroup, Specialist, SpecialistFilter, Specialty,
};

use crate::{Error, Kabinet, Result};

/// How many specialists a directory page shows.
pub const PAGE_SIZE: usize = 20;

/// A specialist as the directory shows them.
#[derive(Debug, Clone)]
pub struct SpecialistCard {
    /// The specialist.
    pub specialist: Specialist,
    /// Their specialties.
    pub specialties: Vec<Specialty>,
    /// Their main branch: the address a visit's letters give.
    pub branch: Branch,
    /// Every branch they see patients at, the main one first.
    pub branches: Vec<Branch>,
    /// Years in practice.
    pub experience_years: i32,
    /// The lowest price of a consultation (never a procedure's), with the online discount
    /// where it applies (C4).
    pub from_price: Option<Quote>,
    /// The nearest free slot, if online booking is open and one exists in the horizon.
    pub nearest: Option<Slot>,
}

impl SpecialistCard {
    /// The specialties, comma-separated.
    pub fn specialty_names(&self) -> String {
        self.specialties.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// Whether one of the specialties sees a patient of `age` full years (a specialist
    /// without specialties, or with one that sees every age, sees everyone).
    pub fn sees_age(&self, age: i16) -> bool {
        self.specialties.is_empty() || self.specialties.iter().any(|s| s.ages.accepts(age))
    }
}

/// What the directory is asked for.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    /// Only this specialty.
    pub specialty_id: Option<i64>,
    /// Only this branch.
    pub branch_id: Option<i64>,
    /// Words of the name (or of a specialty), any case.
    pub text: String,
    /// Only those with a free time on this day that can still be booked.
    pub free_on: Option<Date>,
    /// In which order.
    pub sort: DirectorySort,
    /// Page number, from 1.
    pub page: usize,
    /// The language of the texts shown, and searched.
    pub lang: Lang,
}

/// The orders of the directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DirectorySort {
    /// By name (the directory's own order).
    #[default]
    Name,
    /// Who is free soonest first; those with no free time in the horizon last, by name.
    Nearest,
}

impl DirectorySort {
    /// Reads the order from its name in a query string: `name` or `nearest`.
    pub fn from_param(param: &str) -> Option<Self> {
        match param {
            "name" => Some(Self::Name),
            "nearest" => Some(Self::Nearest),
            _ => None,
        }
    }

    /// Its name in a query string.
    pub fn as_param(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Nearest => "nearest",
        }
    }
}

/// One page of the directory.
#[derive(Debug, Clone)]
pub struct DirectoryPage {
    /// The specialists on this page.
    pub cards: Vec<SpecialistCard>,
    /// How many specialists match in all.
    pub total: usize,
    /// This page, from 1.
    pub page: usize,
    /// How many pages there are.
    pub pages: usize,
}

/// A service with the price a patient booking online pays.
#[derive(Debug, Clone)]
pub struct PricedService {
    /// The service.
    pub service: Service,
    /// Its price.
    pub quote: Quote,
}

/// A specialist's services of one kind, by price.
#[derive(Debug, Clone)]
pub struct ServicesOfKind {
    /// The kind.
    pub kind: ServiceKind,
    /// The services, cheapest first.
    pub services: Vec<PricedService>,
}

/// The free slots of one day.
#[derive(Debug, Clone)]
pub struct DaySlots {
    /// The day, in the clinic's zone.
    pub date: Date,
    /// Its free slots, in order.
    pub slots: Vec<Slot>,
}

/// Everything a specialist's page shows.
#[derive(Debug, Clone)]
pub struct SpecialistPage {
    /// The card.
    pub card: SpecialistCard,
    /// Services and prices, by kind: consultations first, then procedures, examinations,
    /// tests (the order of [`ServiceKind`]); kinds the specialist has no service of left out.
    pub services: Vec<ServicesOfKind>,
    /// The services one books online with the specialist, priced for booking online.
    pub bookable: Vec<PricedService>,
    /// The service the free time is shown for: the one asked for, else the first bookable.
    pub service: Option<PricedService>,
    /// Free time over the asked week for that service, by day (days without slots too).
    pub days: Vec<DaySlots>,
    /// The week shown: 0 is the one starting today.
    pub week: i32,
    /// The first day shown.
    pub week_start: Date,
    /// Whether an earlier week is within the horizon.
    pub has_previous: bool,
    /// Whether a later week is within the horizon.
    pub has_next: bool,
}

/// A group of the price list with its (matching) services.
#[derive(Debug, Clone)]
pub struct PriceGroup {
    /// The group.
    pub group: ServiceGroup,
    /// Its services, by name.
    pub services: Vec<Service>,
}

/// The online discount of a specialist, as an offer to the pricing rules.
fn online_discount(s: &Specialist) -> Vec<Discount> {
    let percent = u8::try_from(s.online_discount_percent).unwrap_or(0);
    if s.online_booking && percent > 0 {
        vec![Discount::percent(DiscountKind::Online, percent)]
    } else {
        Vec::new()
    }
}

impl Kabinet {
    pub(crate) fn window(&self) -> BookingWindow {
        let s = &self.settings;
        BookingWindow::at(self.now(), s.min_lead, s.horizon_days, &s.time_zone)
    }

    /// The first and the last day a patient may book today.
    pub fn bookable_days(&self) -> (Date, Date) {
        let window = self.window();
        (window.first_day(&self.settings.time_zone), window.last_day)
    }

    pub(crate) fn day_start(&self, day: Date) -> Timestamp {
        day.to_zoned(self.settings.time_zone.clone())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// Free slots of a specialist on the days `from..=until`, cut to the booking window.
    /// No slots when online booking is closed; `NotFound` for an unknown specialist.
    pub async fn free_slots(
        &self,
        specialist_id: i64,
        from: Date,
        until: Date,
    ) -> Result<Vec<Slot>> {
        let window = self.window();
        let free = self.free_time(specialist_id).await?;
        let until = until.min(window.last_day);
        if from > until {
            return Ok(Vec::new());
        }
        let (start, _) = self.day_bounds(from);
        let (_, end) = self.day_bounds(until);
        Ok(free.between(window.earliest, start, end).to_vec())
    }

    /// A specialist's schedule over the days `from..=until` of the clinic, with the starts of
    /// the live bookings in those days.
    pub(crate) async fn schedule(
        &self,
        specialist_id: i64,
        from: Date,
        until: Date,
    ) -> Result<Schedule> {
        let tz = &self.settings.time_zone;
        // Fails only at the end of jiff's calendar (year 9999): no such day has a schedule.
        let day_start = |day: Result<Date, jiff::Error>| {
            day.and_then(|d| tz.to_timestamp(d.to_datetime(jiff::civil::Time::midnight())))
                .map(|t| t.as_second())
                .map_err(|_| Error::NotFound)
        };
        let booked = day_start(Ok(from))?..day_start(until.tomorrow())?;
        self.store
            .schedule(specialist_id, (&from.to_string(), &until.to_string()), booked)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The first free slot of a specialist within the horizon.
    pub async fn nearest_free_slot(&self, specialist_id: i64) -> Result<Option<Slot>> {
        let earliest = self.window().earliest;
        Ok(self.free_time(specialist_id).await?.first_from(earliest))
    }

    async fn cards(
        &self,
        specialists: Vec<Specialist>,
        with_nearest: bool,
        lang: Lang,
    ) -> Result<Vec<SpecialistCard>> {
        let branches = self.catalog_branches(lang).await?;
        let specialties = self.specialties_of(lang).await?;
        let branches_of = self.branches_of().await?;
        let prices = self.lowest_prices().await?;
        let this_year = self.today().year();
        let mut cards = Vec::with_capacity(specialists.len());
        for specialist in specialists {
            let Some(branch) = branches.iter().find(|b| b.id == specialist.branch_id).cloned()
            else {
                continue;
            };
            let theirs = branches_of.get(&specialist.id).cloned().unwrap_or_default();
            let others =
                branches.iter().filter(|b| b.id != branch.id && theirs.contains(&b.id)).cloned();
            let all = std::iter::once(branch.clone()).chain(others).collect();
            let from_price = prices
                .get(&specialist.id)
                .map(|&base| quote(Money(base), false, &online_discount(&specialist)));
            let nearest = if with_nearest && specialist.online_booking {
                self.nearest_free_slot(specialist.id).await?
            } else {
                None
            };
            cards.push(SpecialistCard {
                specialties: specialties.get(&specialist.id).cloned().unwrap_or_default(),
                branch,
                branches: all,
                experience_years: (i32::from(this_year) - specialist.career_start_year).max(0),
                from_price,
                nearest,
                specialist,
            });
        }
        Ok(cards)
    }

    /// The directory's specialists as kept, and the positions of those its filters and words
    /// (in the query's language) find, in the order asked: a page clones only its own.
    async fn matching(&self, query: &DirectoryQuery) -> Result<(Arc<Vec<Specialist>>, Vec<usize>)> {
        let filter = SpecialistFilter {
            specialty_id: query.specialty_id,
            branch_id: query.branch_id,
            with_hidden: false,
        };
        let all = self.catalog_directory(filter, query.lang).await?;
        let mut found: Vec<usize> = (0..all.len()).collect();
        if !query.text.trim().is_empty() {
            let specialties = self.specialties_of(query.lang).await?;
            found.retain(|&i| {
                let s = &all[i];
                let names = specialties.get(&s.id).map(|list| {
                    list.iter().map(|sp| sp.name.text.as_str()).collect::<Vec<_>>().join(" ")
                });
                specialist_matches(&query.text, s, names.as_deref().unwrap_or(""))
            });
        }
        if let Some(day) = query.free_on {
            let mut free = Vec::with_capacity(found.len());
            for i in found {
                if all[i].online_booking && self.free_on(all[i].id, day).await? {
                    free.push(i);
                }
            }
            found = free;
        }
        if query.sort == DirectorySort::Nearest {
            let mut keyed = Vec::with_capacity(found.len());
            for i in found {
                let nearest = match all[i].online_booking {
                    true => self.nearest_free_slot(all[i].id).await?,
                    false => None,
                };
                // `None` sorts before `Some`: those never free go last.
                keyed.push((nearest.is_none(), nearest.map(|s| s.start), i));
            }
            // Stable: equal times keep the directory's order.
            keyed.sort_by_key(|(never, start, _)| (*never, *start));
            found = keyed.into_iter().map(|(_, _, i)| i).collect();
        }
        Ok((all, found))
    }

    /// A page of the specialists directory (C1, C4): filtered, with prices and nearest slots,
    /// its texts in the query's language, in which the words are looked for too.
    pub async fn directory(&self, query: &DirectoryQuery) -> Result<DirectoryPage> {
        let (all, found) = self.matching(query).await?;
        let total = found.len();
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        let page = query.page.clamp(1, pages);
        let shown = found.iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE);
        let shown = shown.map(|&i| all[i].clone()).collect();
        let cards = self.cards(shown, true, query.lang).await?;
        Ok(DirectoryPage { cards, total, page, pages })
    }

    /// `limit` specialists of the directory after the first `offset`, filtered and ordered
    /// as its page is (for the API), and whether more follow.
    pub async fn specialists_slice(
        &self,
        query: &DirectoryQuery,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<SpecialistCard>, bool)> {
        let (all, found) = self.matching(query).await?;
        let more = found.len() > offset.saturating_add(limit);
        let shown = found.iter().skip(offset).take(limit).map(|&i| all[i].clone()).collect();
        Ok((self.cards(shown, true, query.lang).await?, more))
    }

    /// Every specialist with their specialties, in `lang`, for the API (no slot search).
    pub async fn all_specialists(&self, lang: Lang) -> Result<Vec<SpecialistCard>> {
        let specialists = self.catalog_directory(SpecialistFilter::default(), lang).await?;
        self.cards(specialists.as_ref().clone(), false, lang).await
    }

    /// A specialist's page in `lang`: profile, services with prices by kind, and one week of
    /// free time (`week` 0 is the current week within the horizon) for a service booked
    /// online (`service_id`, else the first: a consultation, where there is one).
    pub async fn specialist_page(
        &self,
        id: i64,
        week: i32,
        service_id: Option<i64>,
        lang: Lang,
    ) -> Result<SpecialistPage> {
        let specialist = self.catalog_specialist(id, lang).await?;
        if specialist.hidden {
            return Err(Error::NotFound);
        }
        let discounts = online_discount(&specialist);
        let priced: Vec<PricedService> = self
            .store
            .services_of_specialist(id, lang)
            .await?
            .into_iter()
            .map(|service| {
                let quote = quote(Money(service.price_kopecks), service.complex, &discounts);
                PricedService { service, quote }
            })
            .collect();
        let services = ServiceKind::ALL
            .iter()
            .map(|&kind| ServicesOfKind {
                kind,
                services: priced.iter().filter(|p| p.service.kind == kind).cloned().collect(),
            })
            .filter(|group| !group.services.is_empty())
            .collect();
        let window = self.window();
        let first_day = window.first_day(&self.settings.time_zone);
        let weeks = (window.last_day - first_day).get_days() / 7;
        let week = week.clamp(0, weeks);
        let week_start = first_day.checked_add((week * 7).days()).unwrap_or(first_day);
        let week_end = week_start.checked_add(6.days()).unwrap_or(week_start).min(window.last_day);
        let bookable = self.bookable_services(id, lang).await?;
        let service = bookable
            .iter()
            .find(|p| Some(p.service.id) == service_id)
            .or(bookable.first())
            .cloned();
        let slots = self.free_slots(id, week_start, week_end).await?;
        let slots = match &service {
            Some(p) => fit_service(&slots, p.service.duration_minutes),
            None => slots,
        };
        let mut days = Vec::new();
        let mut day = week_start;
        while day <= week_end {
            let next_start = self.day_start(day.checked_add(1.day()).unwrap_or(day));
            let start = self.day_start(day);
            let day_slots =
                slots.iter().filter(|s| s.start >= start && s.start < next_start).copied();
            days.push(DaySlots { date: day, slots: day_slots.collect() });
            day = match day.checked_add(1.day()) {
                Ok(next) => next,
                Err(_) => break,
            };
        }
        let mut cards = self.cards(vec![specialist], false, lang).await?;
        let mut card = cards.pop().ok_or(Error::NotFound)?;
        card.nearest = slots.first().copied();
        Ok(SpecialistPage {
            card,
            services,
            bookable,
            service,
            days,
            week,
            week_start,
            has_previous: week > 0,
            has_next: week < weeks,
        })
    }

    /// The price list (C3) in `lang`: groups in order with their services, those matching
    /// every word of `text` (in the group's or the service's name, or the code) when given;
    /// groups left empty are dropped.
    pub async fn price_list(&self, text: &str, lang: Lang) -> Result<Vec<PriceGroup>> {
        let (groups, services) = self.store.price_list(lang).await?;
        let matches = |g: &ServiceGroup, s: &Service| {
            search::matches_all(text, &format!("{} {} {}", g.name, s.name, s.code))
        };
        Ok(groups
            .into_iter()
            .map(|group| {
                let services = services
                    .iter()
                    .filter(|s| s.group_id == group.id && matches(&group, s))
                    .cloned()
                    .collect();
                PriceGroup { group, services }
            })
            .filter(|g| !g.services.is_empty())
            .collect())
    }

    /// The branches, specialties (with specialists) — the directory's filter choices, in
    /// `lang`.
    pub async fn filters(&self, lang: Lang) -> Result<(Vec<Branch>, Vec<Specialty>)> {
        let branches = self.catalog_branches(lang).await?.as_ref().clone();
        Ok((branches, self.catalog_specialties(lang).await?.as_ref().clone()))
    }

    /// One specialist, their texts in Russian; `NotFound` if there is no such specialist.
    pub async fn specialist(&self, id: i64) -> Result<Specialist> {
        self.catalog_specialist(id, Lang::Ru).await
    }

    /// A specialist and the branch they work at, in `lang`; `NotFound` if there is no such
    /// specialist.
    pub async fn specialist_at_branch(&self, id: i64, lang: Lang) -> Result<(Specialist, Branch)> {
        let specialist = self.catalog_specialist(id, lang).await?;
        let branches = self.catalog_branches(lang).await?;
        let branch = branches.iter().find(|b| b.id == specialist.branch_id).cloned();
        Ok((specialist, branch.ok_or(Error::NotFound)?))
    }
}

/// Whether the specialist's name and `specialties` hold every word of `text` (C1).
fn specialist_matches(text: &str, specialist: &Specialist, specialties: &str) -> bool {
    search::matches_all(text, &format!("{} {specialties}", specialist.full_name()))
}

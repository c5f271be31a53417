//! The clinic's catalog as visitors see it: branches, specialties, specialists, services and
//! prices, working schedules, and the published rules and privacy policy.

use std::ops::Range;

use jiff::civil::Date;
use kabinet_core::catalog::Gender;
use kabinet_core::consent::DocumentKind;
use kabinet_core::schedule::{Absence, WorkRule};

use crate::{Result, Store, StoreError, dispatch};

/// A branch of the clinic.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Branch {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Street address.
    pub address: String,
    /// Phone to book by.
    pub phone: String,
    /// Opening hours, as text.
    pub hours: String,
    /// Nearest metro station.
    pub metro: String,
}

/// A medical specialty.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Specialty {
    /// Id.
    pub id: i64,
    /// Name, e.g. «Невролог».
    pub name: String,
}

/// A specialist, without the lists hanging off them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Specialist {
    /// Id.
    pub id: i64,
    /// Фамилия.
    pub last_name: String,
    /// Имя.
    pub first_name: String,
    /// Отчество.
    pub middle_name: String,
    /// For the avatar and for grammar.
    #[sqlx(try_from = "String")]
    pub gender: Gender,
    /// Qualification category, degrees.
    pub qualification: String,
    /// The year they began to practise.
    pub career_start_year: i32,
    /// Where they see patients.
    pub branch_id: i64,
    /// Whether the clinic opened online booking for them (R1).
    pub online_booking: bool,
    /// The online discount, percent (R8).
    pub online_discount_percent: i32,
    /// A few sentences about them.
    pub bio: String,
}

impl Specialist {
    /// «Фамилия Имя Отчество».
    pub fn full_name(&self) -> String {
        [&self.last_name, &self.first_name, &self.middle_name]
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Which specialists to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpecialistFilter {
    /// Only those with this specialty.
    pub specialty_id: Option<i64>,
    /// Only those at this branch.
    pub branch_id: Option<i64>,
}

/// A service of the price list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Service {
    /// Id.
    pub id: i64,
    /// The group it is listed under.
    pub group_id: i64,
    /// Code in the nomenclature of medical services.
    pub code: String,
    /// Name.
    pub name: String,
    /// Price-list price, kopecks.
    pub price_kopecks: i64,
    /// A complex program: never discounted online (R8).
    pub complex: bool,
}

/// A group of the price list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceGroup {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A published document: the rules of the portal or the privacy policy (O2).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Document {
    /// Which document.
    #[sqlx(try_from = "String")]
    pub kind: DocumentKind,
    /// Version, from 1.
    pub version: i32,
    /// Title.
    pub title: String,
    /// Text in the project's markdown subset.
    pub body: String,
    /// When it took effect, Unix seconds.
    pub published_at: i64,
}

/// Whether a specialist exists and is open for online booking, and their working schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Whether online booking is open.
    pub online_booking: bool,
    /// The specialist's full name.
    pub specialist_name: String,
    /// Weekly working rules overlapping the asked days.
    pub rules: Vec<WorkRule>,
    /// Absences overlapping the asked days.
    pub absences: Vec<Absence>,
    /// Starts of live bookings in the asked range of instants, Unix seconds.
    pub booked: Vec<i64>,
}

/// A specialist's rule rows and absence days (`from`, `until`), as read.
pub(crate) type ScheduleRows = (Vec<ScheduleRow>, Vec<(String, String)>, Vec<i64>);

/// A specialist joined with one of their rules (or none).
#[derive(sqlx::FromRow)]
pub(crate) struct ScheduleRow {
    pub(crate) online_booking: bool,
    pub(crate) specialist_name: String,
    pub(crate) weekday: Option<i32>,
    pub(crate) start_minute: Option<i32>,
    pub(crate) end_minute: Option<i32>,
    pub(crate) slot_minutes: Option<i32>,
    pub(crate) valid_from: Option<String>,
    pub(crate) valid_until: Option<String>,
}

/// A specialist and their rules overlapping `$2..=$3`, in one round trip: the hottest read.
pub(crate) const SCHEDULE_RULES: &str = "SELECT s.online_booking, \
    TRIM(s.last_name || ' ' || s.first_name || ' ' || s.middle_name) AS specialist_name, \
    r.weekday, r.start_minute, r.end_minute, r.slot_minutes, r.valid_from, r.valid_until \
    FROM specialists s \
    LEFT JOIN work_rules r \
        ON r.specialist_id = s.id AND r.valid_until >= $2 AND r.valid_from <= $3 \
    WHERE s.id = $1";
/// A specialist's absences overlapping `$2..=$3`.
pub(crate) const SCHEDULE_ABSENCES: &str = "SELECT from_day, until_day FROM absences \
    WHERE specialist_id = $1 AND until_day >= $2 AND from_day <= $3";

impl Store {
    /// Every branch.
    pub async fn list_branches(&self) -> Result<Vec<Branch>> {
        let sql = "SELECT id, name, address, phone, hours, metro FROM branches ORDER BY id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
    }

    /// Every specialty that at least one specialist has, by name.
    pub async fn list_specialties(&self) -> Result<Vec<Specialty>> {
        let sql = "SELECT id, name FROM specialties sp WHERE EXISTS \
            (SELECT 1 FROM specialist_specialties ss WHERE ss.specialty_id = sp.id) ORDER BY name";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
    }

    /// Specialists matching `filter`, by surname.
    pub async fn list_specialists(&self, filter: SpecialistFilter) -> Result<Vec<Specialist>> {
        let sql = "SELECT id, last_name, first_name, middle_name, gender, qualification, \
            career_start_year, branch_id, online_booking, online_discount_percent, bio \
            FROM specialists s \
            WHERE ($1 IS NULL OR s.branch_id = $1) \
              AND ($2 IS NULL OR EXISTS (SELECT 1 FROM specialist_specialties ss \
                   WHERE ss.specialist_id = s.id AND ss.specialty_id = $2)) \
            ORDER BY last_name, first_name, id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(filter.branch_id)
            .bind(filter.specialty_id)
            .fetch_all(pool)
            .await?))
    }

    /// One specialist.
    pub async fn specialist(&self, id: i64) -> Result<Option<Specialist>> {
        let sql = "SELECT id, last_name, first_name, middle_name, gender, qualification, \
            career_start_year, branch_id, online_booking, online_discount_percent, bio \
            FROM specialists WHERE id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// Pairs of (specialist id, specialty) for every specialist, by specialty name.
    pub async fn specialist_specialties(&self) -> Result<Vec<(i64, Specialty)>> {
        let sql = "SELECT ss.specialist_id, sp.id, sp.name FROM specialist_specialties ss \
            JOIN specialties sp ON sp.id = ss.specialty_id ORDER BY sp.name";
        let rows: Vec<(i64, i64, String)> =
            dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|(who, id, name)| (who, Specialty { id, name })).collect())
    }

    /// The services a specialist provides (through their specialties), by group and name.
    pub async fn services_of_specialist(&self, specialist_id: i64) -> Result<Vec<Service>> {
        let sql = "SELECT DISTINCT s.id, s.group_id, s.code, s.name, s.price_kopecks, s.complex \
            FROM services s \
            JOIN service_specialties x ON x.service_id = s.id \
            JOIN specialist_specialties ss ON ss.specialty_id = x.specialty_id \
            WHERE ss.specialist_id = $1 ORDER BY s.complex, s.price_kopecks, s.name";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(specialist_id).fetch_all(pool).await?))
    }

    /// The lowest price-list price of a visit to each specialist (complex programs aside).
    pub async fn lowest_prices(&self) -> Result<Vec<(i64, i64)>> {
        let sql = "SELECT ss.specialist_id, MIN(s.price_kopecks) FROM specialist_specialties ss \
            JOIN service_specialties x ON x.specialty_id = ss.specialty_id \
            JOIN services s ON s.id = x.service_id \
            WHERE NOT s.complex GROUP BY ss.specialist_id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
    }

    /// The whole price list: groups in their order, and services by name.
    pub async fn price_list(&self) -> Result<(Vec<ServiceGroup>, Vec<Service>)> {
        let groups = "SELECT id, name FROM service_groups ORDER BY position, id";
        let services = "SELECT id, group_id, code, name, price_kopecks, complex FROM services \
            ORDER BY name";
        dispatch!(self, |pool| {
            let groups = sqlx::query_as(groups).fetch_all(pool).await?;
            let services = sqlx::query_as(services).fetch_all(pool).await?;
            Ok((groups, services))
        })
    }

    /// A specialist's working rules and absences over the days `from..=until`
    /// (`YYYY-MM-DD`) and the starts of live bookings in `booked` (Unix seconds), or `None` if
    /// there is no such specialist.
    pub async fn schedule(
        &self,
        specialist_id: i64,
        (from, until): (&str, &str),
        booked: Range<i64>,
    ) -> Result<Option<Schedule>> {
        let (rows, absence_rows, booked): ScheduleRows = match &self.backend {
            crate::Backend::Sqlite { fast, .. } => {
                fast.schedule_rows(specialist_id, (from, until), booked)?
            }
            crate::Backend::Postgres(pool) => {
                let rows = sqlx::query_as(SCHEDULE_RULES)
                    .bind(specialist_id)
                    .bind(from)
                    .bind(until)
                    .fetch_all(pool)
                    .await?;
                let absences = sqlx::query_as(SCHEDULE_ABSENCES)
                    .bind(specialist_id)
                    .bind(from)
                    .bind(until)
                    .fetch_all(pool)
                    .await?;
                let taken = self.taken_starts(specialist_id, booked.start, booked.end).await?;
                (rows, absences, taken)
            }
        };
        let Some(first) = rows.first() else { return Ok(None) };
        let online_booking = first.online_booking;
        let specialist_name = first.specialist_name.clone();
        let mut rules = Vec::with_capacity(rows.len());
        for row in rows {
            let (Some(weekday), Some(start), Some(end), Some(slot), Some(from), Some(until)) = (
                row.weekday,
                row.start_minute,
                row.end_minute,
                row.slot_minutes,
                row.valid_from,
                row.valid_until,
            ) else {
                continue;
            };
            rules.push(WorkRule {
                weekday: i8::try_from(weekday)
                    .map_err(|_| StoreError::Corrupt(format!("bad weekday {weekday}")))?,
                start_minute: start,
                end_minute: end,
                slot_minutes: slot,
                valid_from: parse_date(&from)?,
                valid_until: parse_date(&until)?,
            });
        }
        let absences = absence_rows
            .iter()
            .map(|(from, until)| Ok(Absence { from: parse_date(from)?, until: parse_date(until)? }))
            .collect::<Result<_>>()?;
        Ok(Some(Schedule { online_booking, specialist_name, rules, absences, booked }))
    }

    /// The document of `kind` in force at `now` (the newest published), if any.
    pub async fn current_document(&self, kind: DocumentKind, now: i64) -> Result<Option<Document>> {
        let sql = "SELECT kind, version, title, body, published_at FROM documents \
            WHERE kind = $1 AND published_at <= $2 ORDER BY version DESC LIMIT 1";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(kind.as_str())
            .bind(now)
            .fetch_optional(pool)
            .await?))
    }

    /// Whether the catalog holds anything yet (a new database gets the demo clinic).
    pub async fn has_catalog(&self) -> Result<bool> {
        let sql = "SELECT EXISTS (SELECT 1 FROM specialists)";
        let exists: bool = dispatch!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?);
        Ok(exists)
    }
}

fn parse_date(text: &str) -> Result<Date> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("bad date in a schedule: {text}")))
}

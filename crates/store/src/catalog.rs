//! The clinic's catalog as visitors see it: branches, specialties, specialists, services and
//! prices, working schedules, and the published rules and privacy policy.

use std::ops::Range;

use jiff::civil::Date;
use kabinet_core::catalog::{AgeRange, Gender, ServiceKind};
use kabinet_core::consent::DocumentKind;
use kabinet_core::lang::{Lang, Localized};
use kabinet_core::schedule::{DayHours, ExceptionKind, ScheduleException, WorkRule};

use crate::consents::NewDocumentVersion;
use crate::{AuditEntry, Result, Store, StoreError, dispatch};

/// A branch of the clinic.
#[derive(Debug, Clone)]
pub struct Branch {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Localized,
    /// Street address.
    pub address: Localized,
    /// Phone to book by.
    pub phone: String,
    /// Another phone, if the branch has one.
    pub second_phone: Option<String>,
    /// Opening hours, as text.
    pub hours: Localized,
    /// Nearest metro station.
    pub metro: Localized,
}

/// A medical specialty.
#[derive(Debug, Clone)]
pub struct Specialty {
    /// Id.
    pub id: i64,
    /// Name, e.g. «Невролог».
    pub name: Localized,
    /// The ages it sees (a pediatrician 0–17); every age if it does not say.
    pub ages: AgeRange,
}

/// A specialist, without the lists hanging off them.
#[derive(Debug, Clone)]
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
    pub gender: Gender,
    /// Qualification category.
    pub qualification: Localized,
    /// Academic degree; empty if none.
    pub degree: Localized,
    /// The year they began to practise.
    pub career_start_year: i32,
    /// Their main branch (of those they see patients at): the address a visit's letters give.
    pub branch_id: i64,
    /// Whether the clinic opened online booking for them (R1).
    pub online_booking: bool,
    /// The online discount, percent (R8).
    pub online_discount_percent: i32,
    /// A few sentences about them.
    pub bio: Localized,
    /// Hidden from the directory by the administrator (their visits stay).
    pub hidden: bool,
    /// The name their photo is served under (`/photos/{name}`), if one was uploaded.
    pub photo: Option<String>,
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
    /// Those the administrator hid too (the back office's lists).
    pub with_hidden: bool,
}

/// A service of the price list.
#[derive(Debug, Clone)]
pub struct Service {
    /// Id.
    pub id: i64,
    /// The group it is listed under.
    pub group_id: i64,
    /// Code in the nomenclature of medical services.
    pub code: String,
    /// Name.
    pub name: Localized,
    /// Price-list price, kopecks.
    pub price_kopecks: i64,
    /// What it is: a consultation, a procedure, a test…
    pub kind: ServiceKind,
    /// A complex program (the kind `Program`): never discounted online (R8).
    pub complex: bool,
    /// Minutes a visit for it takes.
    pub duration_minutes: i32,
    /// Its own online discount, over the specialist's; none: the specialist's.
    pub online_discount_percent: Option<i32>,
}

/// A group of the price list.
#[derive(Debug, Clone)]
pub struct ServiceGroup {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Localized,
}

/// A published document: the rules of the portal or the privacy policy (O2).
#[derive(Debug, Clone)]
pub struct Document {
    /// Which document.
    pub kind: DocumentKind,
    /// Version, from 1.
    pub version: i32,
    /// Title.
    pub title: Localized,
    /// Text in the project's markdown subset.
    pub body: Localized,
    /// When it took (takes) effect, Unix seconds.
    pub published_at: i64,
}

// The rows as stored: every text in Russian and, where the clinic wrote one, in English. Each
// becomes its public type in the language asked for, once, where it is read.

#[derive(sqlx::FromRow)]
struct BranchRow {
    id: i64,
    name: String,
    name_en: Option<String>,
    address: String,
    address_en: Option<String>,
    phone: String,
    second_phone: Option<String>,
    hours: String,
    hours_en: Option<String>,
    metro: String,
    metro_en: Option<String>,
}

impl BranchRow {
    fn localize(self, lang: Lang) -> Branch {
        Branch {
            id: self.id,
            name: Localized::pick(lang, self.name, self.name_en),
            address: Localized::pick(lang, self.address, self.address_en),
            phone: self.phone,
            second_phone: self.second_phone,
            hours: Localized::pick(lang, self.hours, self.hours_en),
            metro: Localized::pick(lang, self.metro, self.metro_en),
        }
    }
}

#[derive(sqlx::FromRow)]
struct SpecialtyRow {
    id: i64,
    name: String,
    name_en: Option<String>,
    min_age: Option<i32>,
    max_age: Option<i32>,
}

impl SpecialtyRow {
    fn localize(self, lang: Lang) -> Specialty {
        // The columns' checks keep the bounds valid; a range that is not sees everyone.
        let (from, to) = (self.min_age.map(i64::from), self.max_age.map(i64::from));
        let ages = AgeRange::parse(from, to).unwrap_or_default();
        Specialty { id: self.id, name: Localized::pick(lang, self.name, self.name_en), ages }
    }
}

/// A specialist's specialty, as read.
#[derive(sqlx::FromRow)]
struct SpecialtyOfRow {
    specialist_id: i64,
    #[sqlx(flatten)]
    specialty: SpecialtyRow,
}

#[derive(sqlx::FromRow)]
struct SpecialistRow {
    id: i64,
    last_name: String,
    first_name: String,
    middle_name: String,
    #[sqlx(try_from = "String")]
    gender: Gender,
    qualification: String,
    qualification_en: Option<String>,
    degree: String,
    degree_en: Option<String>,
    career_start_year: i32,
    branch_id: i64,
    online_booking: bool,
    online_discount_percent: i32,
    bio: String,
    bio_en: Option<String>,
    hidden: bool,
    photo: Option<String>,
}

impl SpecialistRow {
    fn localize(self, lang: Lang) -> Specialist {
        Specialist {
            id: self.id,
            last_name: self.last_name,
            first_name: self.first_name,
            middle_name: self.middle_name,
            gender: self.gender,
            qualification: Localized::pick(lang, self.qualification, self.qualification_en),
            degree: Localized::pick(lang, self.degree, self.degree_en),
            career_start_year: self.career_start_year,
            branch_id: self.branch_id,
            online_booking: self.online_booking,
            online_discount_percent: self.online_discount_percent,
            bio: Localized::pick(lang, self.bio, self.bio_en),
            hidden: self.hidden,
            photo: self.photo,
        }
    }
}

/// The columns of a [`SpecialistRow`], for `concat!` with a `WHERE`.
macro_rules! specialist_select {
    () => {
        "SELECT s.id, s.last_name, s.first_name, s.middle_name, s.gender, s.qualification, \
         s.qualification_en, s.degree, s.degree_en, s.career_start_year, s.branch_id, \
         s.online_booking, s.online_discount_percent, s.bio, s.bio_en, s.hidden, \
         ph.name AS photo FROM specialists s \
         LEFT JOIN specialist_photos ph ON ph.specialist_id = s.id"
    };
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    group_id: i64,
    code: String,
    name: String,
    name_en: Option<String>,
    price_kopecks: i64,
    #[sqlx(try_from = "String")]
    kind: ServiceKind,
    duration_minutes: i32,
    online_discount_percent: Option<i32>,
}

impl ServiceRow {
    fn localize(self, lang: Lang) -> Service {
        Service {
            id: self.id,
            group_id: self.group_id,
            code: self.code,
            name: Localized::pick(lang, self.name, self.name_en),
            price_kopecks: self.price_kopecks,
            complex: self.kind == ServiceKind::Program,
            kind: self.kind,
            duration_minutes: self.duration_minutes,
            online_discount_percent: self.online_discount_percent,
        }
    }
}

#[derive(sqlx::FromRow)]
struct DocumentRow {
    #[sqlx(try_from = "String")]
    kind: DocumentKind,
    version: i32,
    title: String,
    title_en: Option<String>,
    body: String,
    body_en: Option<String>,
    published_at: i64,
}

/// A text and its English version, as stored: a specialty's or a group's name.
type NameRow = (i64, String, Option<String>);

/// Sorts `items` by the text shown, in the language it was asked in.
fn by_text<T>(items: &mut [T], text: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| text(a).cmp(text(b)));
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
    /// Exceptions (days away, extra and shortened days) overlapping the asked days.
    pub exceptions: Vec<ScheduleException>,
    /// Live bookings (start, end) starting in the asked range of instants, Unix seconds.
    pub booked: Vec<(i64, i64)>,
}

/// A specialist's rule rows, exception rows and booked times, as read.
pub(crate) type ScheduleRows = (Vec<ScheduleRow>, Vec<ExceptionRow>, Vec<(i64, i64)>);

/// An exception to a specialist's weekly rules, as stored.
#[derive(sqlx::FromRow)]
pub(crate) struct ExceptionRow {
    pub(crate) kind: String,
    pub(crate) from_day: String,
    pub(crate) until_day: String,
    pub(crate) start_minute: Option<i32>,
    pub(crate) end_minute: Option<i32>,
    pub(crate) slot_minutes: Option<i32>,
}

impl ExceptionRow {
    pub(crate) fn parse(&self) -> Result<ScheduleException> {
        let kind: ExceptionKind =
            self.kind.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?;
        let hours = match (self.start_minute, self.end_minute) {
            (Some(start_minute), Some(end_minute)) => Some(DayHours { start_minute, end_minute }),
            _ => None,
        };
        Ok(ScheduleException {
            kind,
            from: parse_date(&self.from_day)?,
            until: parse_date(&self.until_day)?,
            hours,
            slot_minutes: self.slot_minutes,
        })
    }
}

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
/// A hidden specialist is closed for online booking.
pub(crate) const SCHEDULE_RULES: &str = "SELECT (s.online_booking AND NOT s.hidden) AS online_booking, \
    TRIM(s.last_name || ' ' || s.first_name || ' ' || s.middle_name) AS specialist_name, \
    r.weekday, r.start_minute, r.end_minute, r.slot_minutes, r.valid_from, r.valid_until \
    FROM specialists s \
    LEFT JOIN work_rules r \
        ON r.specialist_id = s.id AND (r.valid_until IS NULL OR r.valid_until >= $2) \
        AND r.valid_from <= $3 \
    WHERE s.id = $1";
/// The version of a document of kind `$1` in force at `$2`.
pub(crate) const DOCUMENT_VERSION: &str = "SELECT version FROM documents \
    WHERE kind = $1 AND effective_at <= $2 ORDER BY version DESC LIMIT 1";
/// A specialist's exceptions overlapping `$2..=$3`.
pub(crate) const SCHEDULE_EXCEPTIONS: &str = "SELECT kind, from_day, until_day, start_minute, \
    end_minute, slot_minutes FROM schedule_exceptions \
    WHERE specialist_id = $1 AND until_day >= $2 AND from_day <= $3";

impl Store {
    /// Every branch, its texts in `lang`.
    pub async fn list_branches(&self, lang: Lang) -> Result<Vec<Branch>> {
        let sql = "SELECT id, name, name_en, address, address_en, phone, second_phone, hours, \
            hours_en, metro, metro_en FROM branches ORDER BY id";
        let rows: Vec<BranchRow> =
            dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|row| row.localize(lang)).collect())
    }

    /// Every specialty that at least one specialist has, by name in `lang`.
    pub async fn list_specialties(&self, lang: Lang) -> Result<Vec<Specialty>> {
        let sql = "SELECT id, name, name_en, min_age, max_age FROM specialties sp WHERE EXISTS \
            (SELECT 1 FROM specialist_specialties ss WHERE ss.specialty_id = sp.id)";
        let rows: Vec<SpecialtyRow> =
            dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        let mut specialties: Vec<Specialty> =
            rows.into_iter().map(|row| row.localize(lang)).collect();
        by_text(&mut specialties, |s| s.name.as_str());
        Ok(specialties)
    }

    /// Specialists matching `filter`, by surname, their texts in `lang`.
    pub async fn list_specialists(
        &self,
        filter: SpecialistFilter,
        lang: Lang,
    ) -> Result<Vec<Specialist>> {
        const SQL: &str = concat!(
            specialist_select!(),
            " WHERE ($1 IS NULL OR EXISTS (SELECT 1 FROM specialist_branches sb \
                   WHERE sb.specialist_id = s.id AND sb.branch_id = $1)) \
              AND ($2 IS NULL OR EXISTS (SELECT 1 FROM specialist_specialties ss \
                   WHERE ss.specialist_id = s.id AND ss.specialty_id = $2)) \
              AND ($3 OR NOT s.hidden) \
            ORDER BY s.last_name, s.first_name, s.id"
        );
        let rows: Vec<SpecialistRow> = dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(filter.branch_id)
            .bind(filter.specialty_id)
            .bind(filter.with_hidden)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(|row| row.localize(lang)).collect())
    }

    /// One specialist, their texts in `lang`.
    pub async fn specialist(&self, id: i64, lang: Lang) -> Result<Option<Specialist>> {
        const SQL: &str = concat!(specialist_select!(), " WHERE s.id = $1");
        let row: Option<SpecialistRow> =
            dispatch!(self, |pool| sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?);
        Ok(row.map(|row| row.localize(lang)))
    }

    /// Pairs of (specialist id, specialty) for every specialist, by specialty name in `lang`.
    pub async fn specialist_specialties(&self, lang: Lang) -> Result<Vec<(i64, Specialty)>> {
        let sql = "SELECT ss.specialist_id, sp.id, sp.name, sp.name_en, sp.min_age, sp.max_age \
            FROM specialist_specialties ss JOIN specialties sp ON sp.id = ss.specialty_id";
        let rows: Vec<SpecialtyOfRow> =
            dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        let mut pairs: Vec<(i64, Specialty)> =
            rows.into_iter().map(|row| (row.specialist_id, row.specialty.localize(lang))).collect();
        by_text(&mut pairs, |(_, s)| s.name.as_str());
        Ok(pairs)
    }

    /// Pairs of (specialist id, branch id): every branch each specialist sees patients at.
    pub async fn specialist_branches(&self) -> Result<Vec<(i64, i64)>> {
        let sql = "SELECT specialist_id, branch_id FROM specialist_branches \
            ORDER BY specialist_id, branch_id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
    }

    /// The services a specialist provides (hidden ones aside), by price, their names in `lang`.
    pub async fn services_of_specialist(
        &self,
        specialist_id: i64,
        lang: Lang,
    ) -> Result<Vec<Service>> {
        let sql = "SELECT s.id, s.group_id, s.code, s.name, s.name_en, s.price_kopecks, \
            s.kind, s.duration_minutes, s.online_discount_percent FROM services s \
            JOIN service_specialists x ON x.service_id = s.id \
            WHERE x.specialist_id = $1 AND NOT s.archived ORDER BY s.price_kopecks, s.name";
        let rows: Vec<ServiceRow> =
            dispatch!(self, |pool| sqlx::query_as(sql).bind(specialist_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|row| row.localize(lang)).collect())
    }

    /// The lowest price-list price of a consultation with each specialist who gives one: what
    /// a visit costs at least, never a procedure's or a test's price.
    pub async fn lowest_consultation_prices(&self) -> Result<Vec<(i64, i64)>> {
        let sql = "SELECT x.specialist_id, MIN(s.price_kopecks) FROM service_specialists x \
            JOIN services s ON s.id = x.service_id \
            WHERE s.kind = $1 AND NOT s.archived GROUP BY x.specialist_id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(ServiceKind::Consultation.as_str())
            .fetch_all(pool)
            .await?))
    }

    /// The whole price list in `lang` (hidden services aside): groups in their order, and
    /// services by name.
    pub async fn price_list(&self, lang: Lang) -> Result<(Vec<ServiceGroup>, Vec<Service>)> {
        let groups = "SELECT id, name, name_en FROM service_groups ORDER BY position, id";
        let services = "SELECT id, group_id, code, name, name_en, price_kopecks, kind, duration_minutes, \
            online_discount_percent FROM services WHERE NOT archived";
        let (groups, services): (Vec<NameRow>, Vec<ServiceRow>) = dispatch!(self, |pool| {
            let groups = sqlx::query_as(groups).fetch_all(pool).await?;
            let services = sqlx::query_as(services).fetch_all(pool).await?;
            (groups, services)
        });
        let groups = groups
            .into_iter()
            .map(|(id, ru, en)| ServiceGroup { id, name: Localized::pick(lang, ru, en) })
            .collect();
        let mut services: Vec<Service> =
            services.into_iter().map(|row| row.localize(lang)).collect();
        by_text(&mut services, |s| s.name.as_str());
        Ok((groups, services))
    }

    /// A specialist's working rules and exceptions over the days `from..=until`
    /// (`YYYY-MM-DD`) and the starts of live bookings in `booked` (Unix seconds), or `None` if
    /// there is no such specialist.
    pub async fn schedule(
        &self,
        specialist_id: i64,
        (from, until): (&str, &str),
        booked: Range<i64>,
    ) -> Result<Option<Schedule>> {
        let (rows, exception_rows, booked): ScheduleRows = match &self.backend {
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
                let exceptions = sqlx::query_as(SCHEDULE_EXCEPTIONS)
                    .bind(specialist_id)
                    .bind(from)
                    .bind(until)
                    .fetch_all(pool)
                    .await?;
                let taken = self.taken_times(specialist_id, booked.start, booked.end).await?;
                (rows, exceptions, taken)
            }
        };
        let Some(first) = rows.first() else { return Ok(None) };
        let online_booking = first.online_booking;
        let specialist_name = first.specialist_name.clone();
        let mut rules = Vec::with_capacity(rows.len());
        for row in rows {
            // A specialist without rules comes as one row of NULLs; `valid_until` alone may be
            // NULL in a rule: it runs until further notice.
            let (Some(weekday), Some(start), Some(end), Some(slot), Some(from)) =
                (row.weekday, row.start_minute, row.end_minute, row.slot_minutes, row.valid_from)
            else {
                continue;
            };
            rules.push(WorkRule {
                weekday: i8::try_from(weekday)
                    .map_err(|_| StoreError::Corrupt(format!("bad weekday {weekday}")))?,
                start_minute: start,
                end_minute: end,
                slot_minutes: slot,
                valid_from: parse_date(&from)?,
                valid_until: row.valid_until.as_deref().map(parse_date).transpose()?,
            });
        }
        let exceptions = exception_rows.iter().map(ExceptionRow::parse).collect::<Result<_>>()?;
        Ok(Some(Schedule { online_booking, specialist_name, rules, exceptions, booked }))
    }

    /// The document of `kind` in force at `now` (the newest published), if any, in `lang`.
    pub async fn current_document(
        &self,
        kind: DocumentKind,
        now: i64,
        lang: Lang,
    ) -> Result<Option<Document>> {
        let sql = "SELECT kind, version, title, title_en, body, body_en, effective_at \
            AS published_at FROM documents WHERE kind = $1 AND effective_at <= $2 \
            ORDER BY version DESC LIMIT 1";
        let row: Option<DocumentRow> = dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(kind.as_str())
            .bind(now)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|d| Document {
            kind: d.kind,
            version: d.version,
            title: Localized::pick(lang, d.title, d.title_en),
            body: Localized::pick(lang, d.body, d.body_en),
            published_at: d.published_at,
        }))
    }

    /// Publishes a new version of a document, in force from the audit row's time, with its
    /// English `(title, body)` if there is one. Returns the version number; `audit` gets the
    /// kind and the number as its details.
    pub async fn publish_document(
        &self,
        kind: DocumentKind,
        (title, body): (&str, &str),
        english: Option<(&str, &str)>,
        audit: AuditEntry,
    ) -> Result<i32> {
        let version = NewDocumentVersion {
            kind,
            text: (title, body),
            english,
            effective_at: audit.at,
            requires_acceptance: false,
            notice: None,
        };
        self.publish_document_version(&version, audit).await
    }

    /// The version of a document in force at `now`: what a consent refers to. Only the
    /// number is read, never the texts (a booking asks for it twice).
    pub async fn current_document_version(
        &self,
        kind: DocumentKind,
        now: i64,
    ) -> Result<Option<i32>> {
        match &self.backend {
            crate::Backend::Sqlite { fast, .. } => fast.document_version(kind.as_str(), now),
            crate::Backend::Postgres(pool) => Ok(sqlx::query_scalar(DOCUMENT_VERSION)
                .bind(kind.as_str())
                .bind(now)
                .fetch_optional(pool)
                .await?),
        }
    }

    /// Whether the catalog holds anything yet (a new database gets the demo clinic).
    pub async fn has_catalog(&self) -> Result<bool> {
        let sql = "SELECT EXISTS (SELECT 1 FROM specialists)";
        let exists: bool = dispatch!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?);
        Ok(exists)
    }
}

pub(crate) fn parse_date(text: &str) -> Result<Date> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("bad date in a schedule: {text}")))
}

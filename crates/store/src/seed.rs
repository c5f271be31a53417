//! Loading a whole catalog at once (the demo clinic, benchmark fixtures) and publishing
//! documents. Used by `kabinet demo` and by tests.

use kabinet_core::access::{AccessLevel, Actor};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::catalog::{AgeRange, Gender, ServiceKind};
use kabinet_core::patient::PatientData;
use kabinet_core::schedule::{ScheduleException, WorkRule};
use kabinet_core::visit::{VisitSource, VisitStatus};
use serde_json::json;

use crate::schedules::{insert_exception, insert_rule};
use crate::sql::{Conn, insert_audit, insert_patient};
use crate::{AuditEntry, Result, Store, dispatch_write};

/// A branch to create: the administrator's form's values.
pub use kabinet_core::catalog_form::BranchFields as BranchSeed;

/// A specialty to create: its name in Russian and, if written, in English, and the ages it
/// sees.
#[derive(Debug, Clone, Default)]
pub struct SpecialtySeed {
    /// In Russian.
    pub name: String,
    /// In English.
    pub name_en: Option<String>,
    /// The ages it sees.
    pub ages: AgeRange,
}

impl From<&str> for SpecialtySeed {
    /// A specialty in Russian only, seeing every age.
    fn from(name: &str) -> Self {
        Self { name: name.to_owned(), ..Self::default() }
    }
}

/// A service to create; `specialties` index [`CatalogSeed::specialties`].
#[derive(Debug, Clone)]
pub struct ServiceSeed {
    /// Nomenclature code, unique.
    pub code: String,
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Price, kopecks.
    pub price_kopecks: i64,
    /// What it is; a `Program` is never discounted online.
    pub kind: ServiceKind,
    /// Specialties that provide it.
    pub specialties: Vec<usize>,
    /// Minutes a visit for it takes.
    pub duration_minutes: i32,
}

/// A price-list group to create.
#[derive(Debug, Clone)]
pub struct GroupSeed {
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Its services.
    pub services: Vec<ServiceSeed>,
}

/// A specialist to create; `branch` and `specialties` index the seed's lists.
#[derive(Debug, Clone)]
pub struct SpecialistSeed {
    /// Фамилия.
    pub last_name: String,
    /// Имя.
    pub first_name: String,
    /// Отчество.
    pub middle_name: String,
    /// For the avatar and for grammar.
    pub gender: Gender,
    /// Qualification.
    pub qualification: String,
    /// Qualification in English.
    pub qualification_en: Option<String>,
    /// Year they began to practise.
    pub career_start_year: i32,
    /// Branch index.
    pub branch: usize,
    /// Online booking open.
    pub online_booking: bool,
    /// Online discount, percent.
    pub online_discount_percent: i32,
    /// About them.
    pub bio: String,
    /// About them, in English.
    pub bio_en: Option<String>,
    /// Specialty indexes.
    pub specialties: Vec<usize>,
    /// Weekly working rules.
    pub rules: Vec<WorkRule>,
    /// Exceptions to the weekly rules: days away, extra and shortened days.
    pub exceptions: Vec<ScheduleException>,
}

/// A whole clinic catalog.
#[derive(Debug, Clone, Default)]
pub struct CatalogSeed {
    /// Branches.
    pub branches: Vec<BranchSeed>,
    /// Specialties.
    pub specialties: Vec<SpecialtySeed>,
    /// Price list.
    pub groups: Vec<GroupSeed>,
    /// Specialists.
    pub specialists: Vec<SpecialistSeed>,
}

const INSERT_SERVICE: &str = "INSERT INTO services (group_id, code, name, name_en, \
    price_kopecks, kind, duration_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const INSERT_SERVICE_SPECIALTY: &str =
    "INSERT INTO service_specialties (service_id, specialty_id) VALUES ($1, $2)";
const INSERT_SPECIALIST: &str = "INSERT INTO specialists (last_name, first_name, middle_name, \
    gender, qualification, qualification_en, career_start_year, branch_id, online_booking, \
    online_discount_percent, bio, bio_en) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
const INSERT_SPECIALIST_SPECIALTY: &str =
    "INSERT INTO specialist_specialties (specialist_id, specialty_id) VALUES ($1, $2)";

const INSERT_SPECIALIST_BRANCH: &str =
    "INSERT INTO specialist_branches (specialist_id, branch_id) VALUES ($1, $2)";

/// Adds a seeded specialist's weekly rules and exceptions, in the seed's transaction.
async fn insert_schedule(c: &mut impl Conn, specialist_id: i64, s: &SpecialistSeed) -> Result<()> {
    for rule in &s.rules {
        insert_rule(c, specialist_id, rule).await?;
    }
    for exception in &s.exceptions {
        insert_exception(c, specialist_id, exception).await?;
    }
    Ok(())
}

/// A booked visit for a fixture: specialist id, start and end (Unix seconds).
pub type VisitSeed = (i64, i64, i64);

impl Store {
    /// Creates the whole catalog in one transaction: the bulk path of fixtures and of the
    /// large clinic of the benchmarks (the demo clinic goes through the service's doors).
    pub async fn load_catalog(&self, seed: &CatalogSeed, now: i64) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut branch_ids = Vec::with_capacity(seed.branches.len());
            for b in &seed.branches {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO branches (name, name_en, address, address_en, phone, hours, \
                    hours_en, metro, metro_en, second_phone) \
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(&b.name)
                .bind(&b.name_en)
                .bind(&b.address)
                .bind(&b.address_en)
                .bind(&b.phone)
                .bind(&b.hours)
                .bind(&b.hours_en)
                .bind(&b.metro)
                .bind(&b.metro_en)
                .bind(&b.second_phone)
                .fetch_one(&mut *tx)
                .await?;
                branch_ids.push(id);
            }
            let mut specialty_ids = Vec::with_capacity(seed.specialties.len());
            for s in &seed.specialties {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO specialties (name, name_en, min_age, max_age) \
                    VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(&s.name)
                .bind(&s.name_en)
                .bind(s.ages.from.map(i32::from))
                .bind(s.ages.to.map(i32::from))
                .fetch_one(&mut *tx)
                .await?;
                specialty_ids.push(id);
            }
            for (position, group) in seed.groups.iter().enumerate() {
                let group_id: i64 = sqlx::query_scalar(
                    "INSERT INTO service_groups (name, name_en, position) VALUES ($1, $2, $3) \
                    RETURNING id",
                )
                .bind(&group.name)
                .bind(&group.name_en)
                .bind(i32::try_from(position).unwrap_or(i32::MAX))
                .fetch_one(&mut *tx)
                .await?;
                for s in &group.services {
                    let service_id: i64 = sqlx::query_scalar(INSERT_SERVICE)
                        .bind(group_id)
                        .bind(&s.code)
                        .bind(&s.name)
                        .bind(&s.name_en)
                        .bind(s.price_kopecks)
                        .bind(s.kind.as_str())
                        .bind(s.duration_minutes)
                        .fetch_one(&mut *tx)
                        .await?;
                    for &index in &s.specialties {
                        sqlx::query(INSERT_SERVICE_SPECIALTY)
                            .bind(service_id)
                            .bind(specialty_ids[index])
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            for s in &seed.specialists {
                let id: i64 = sqlx::query_scalar(INSERT_SPECIALIST)
                    .bind(&s.last_name)
                    .bind(&s.first_name)
                    .bind(&s.middle_name)
                    .bind(s.gender.as_str())
                    .bind(&s.qualification)
                    .bind(&s.qualification_en)
                    .bind(s.career_start_year)
                    .bind(branch_ids[s.branch])
                    .bind(s.online_booking)
                    .bind(s.online_discount_percent)
                    .bind(&s.bio)
                    .bind(&s.bio_en)
                    .fetch_one(&mut *tx)
                    .await?;
                for &index in &s.specialties {
                    sqlx::query(INSERT_SPECIALIST_SPECIALTY)
                        .bind(id)
                        .bind(specialty_ids[index])
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(INSERT_SPECIALIST_BRANCH)
                    .bind(id)
                    .bind(branch_ids[s.branch])
                    .execute(&mut *tx)
                    .await?;
                insert_schedule(&mut tx, id, s).await?;
            }
            // Who provides each service, as its specialties say (the bulk path of the
            // large clinic; the demo names them through the services' own function).
            sqlx::query(
                "INSERT INTO service_specialists (service_id, specialist_id) \
                SELECT DISTINCT x.service_id, ss.specialist_id FROM service_specialties x \
                JOIN specialist_specialties ss ON ss.specialty_id = x.specialty_id \
                ON CONFLICT DO NOTHING",
            )
            .execute(&mut *tx)
            .await?;
            insert_audit(
                &mut tx,
                &AuditEntry::new(
                    now,
                    Actor::System,
                    AuditAction::CatalogLoad,
                    ObjectKind::Catalog,
                    None,
                )
                .details(json!({"specialists": seed.specialists.len()})),
            )
            .await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
        });
        self.catalog_changed();
        Ok(())
    }

    /// Fills the calendar with booked visits of confirmed `patients`, taken in turn, for
    /// load fixtures. Each visit gets a unique code derived from its position.
    pub async fn seed_visits(
        &self,
        visits: &[VisitSeed],
        patients: &[PatientData],
        now: i64,
    ) -> Result<()> {
        const BATCH: usize = 1000;
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut patient_ids: Vec<i64> = Vec::with_capacity(patients.len());
            for patient in patients {
                let level = AccessLevel::Confirmed;
                patient_ids.push(insert_patient(&mut tx, patient, level, None, now).await?);
            }
            if patient_ids.is_empty() {
                return Ok(());
            }
            for (c, chunk) in visits.chunks(BATCH).enumerate() {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO appointments (specialist_id, patient_id, \
                    starts_at, ends_at, status, source, code, created_at) ",
                );
                q.push_values(
                    chunk.iter().enumerate(),
                    |mut row, (i, &(specialist, start, end))| {
                        let n = c * BATCH + i;
                        let patient = patient_ids[n % patient_ids.len()];
                        row.push_bind(specialist)
                            .push_bind(patient)
                            .push_bind(start)
                            .push_bind(end)
                            .push_bind(VisitStatus::Booked.as_str())
                            .push_bind(VisitSource::Registrar.as_str())
                            .push_bind(format!("L{n:09}"))
                            .push_bind(now);
                    },
                );
                q.build().execute(&mut *tx).await?;
            }
            tx.announce_catalog().await?;
            tx.commit().await?;
        });
        self.catalog_changed();
        Ok(())
    }
}

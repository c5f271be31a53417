//! The demo clinic (a fictional «Клиника «Ясень»»): catalog, weekly schedules that run until
//! further notice, and its rules and privacy policy, loaded into a new database. Also the large clinic that the
//! benchmarks use: 500 specialists and a million visits.

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::{Date, Time};
use kabinet_core::access::{Actor, Origin};
use kabinet_core::catalog::{AgeRange, Gender, ServiceKind};
use kabinet_core::catalog_form::{BranchInput, SpecialistInput, SpecialtyFields, SpecialtyInput};
use kabinet_core::consent::DocumentKind;
use kabinet_core::lang::Lang;
use kabinet_core::patient::{PatientData, PatientInput};
use kabinet_core::price_csv::{ExportRow, write_price_file};
use kabinet_core::pricing::Money;
use kabinet_core::schedule::{ExceptionKind, ScheduleException, WorkRule, working_slots};
use kabinet_store::seed::{
    BranchSeed, CatalogSeed, GroupSeed, ServiceSeed, SpecialistSeed, SpecialtySeed, VisitSeed,
};
use serde::Deserialize;

use crate::services::ServiceInput;
use crate::{Kabinet, Result};

const CLINIC_JSON: &str = include_str!("demo/clinic.json");
const RULES_MD: &str = include_str!("demo/rules.md");
const RULES_EN_MD: &str = include_str!("demo/rules.en.md");
const PRIVACY_MD: &str = include_str!("demo/privacy.md");
const PRIVACY_EN_MD: &str = include_str!("demo/privacy.en.md");

/// The ids of the seed's branches, specialties and specialists, in the seed's order, as the
/// administrator's use cases made them.
#[derive(Debug, Default)]
struct MadeIds {
    branches: Vec<i64>,
    specialties: Vec<i64>,
    specialists: Vec<i64>,
}

/// How many weeks ahead the large clinic's visits are booked.
const LARGE_WEEKS_AHEAD: i32 = 8;

#[derive(Deserialize)]
struct Clinic {
    branches: Vec<Branch>,
    specialties: Vec<Keyed>,
    service_groups: Vec<Group>,
    specialists: Vec<Specialist>,
}

// Every text of the clinic is written in Russian; `*_en` is its English version, if any.

#[derive(Deserialize)]
struct Branch {
    key: String,
    name: String,
    name_en: Option<String>,
    address: String,
    address_en: Option<String>,
    phone: String,
    /// The call centre's phone, shown beside the branch's own.
    #[serde(default)]
    second_phone: Option<String>,
    hours: String,
    hours_en: Option<String>,
    metro: String,
    metro_en: Option<String>,
}

#[derive(Deserialize)]
struct Keyed {
    key: String,
    name: String,
    name_en: Option<String>,
    /// The youngest age the specialty sees, if it is limited.
    #[serde(default)]
    min_age: Option<i64>,
    /// The oldest age the specialty sees, if it is limited.
    #[serde(default)]
    max_age: Option<i64>,
}

#[derive(Deserialize)]
struct Group {
    name: String,
    name_en: Option<String>,
    services: Vec<Service>,
}

#[derive(Deserialize)]
struct Service {
    code: String,
    name: String,
    name_en: Option<String>,
    kind: ServiceKind,
    price: i64,
    specialties: Vec<String>,
}

#[derive(Deserialize, Clone)]
struct Specialist {
    last_name: String,
    first_name: String,
    middle_name: String,
    gender: Gender,
    specialties: Vec<String>,
    qualification: String,
    qualification_en: Option<String>,
    career_start_year: i32,
    branch: String,
    online_booking: bool,
    online_discount_percent: i32,
    bio: String,
    bio_en: Option<String>,
    slot_minutes: i32,
    schedule: Vec<Interval>,
    absences: Vec<Away>,
}

#[derive(Deserialize, Clone)]
struct Interval {
    weekday: i8,
    start: String,
    end: String,
}

#[derive(Deserialize, Clone)]
struct Away {
    from_day: i32,
    days: i32,
    reason: ExceptionKind,
}

/// What a demo load created.
#[derive(Debug, Clone, Copy)]
pub struct DemoSummary {
    /// Specialists created.
    pub specialists: usize,
    /// Visits created (the large clinic only).
    pub visits: usize,
}

/// A demo data problem: the embedded files are wrong.
fn invalid(what: impl std::fmt::Display) -> crate::Error {
    crate::Error::Store(kabinet_store::StoreError::Corrupt(format!("demo clinic: {what}")))
}

fn minutes(text: &str) -> Result<i32> {
    let time: Time = text.parse().map_err(|_| invalid(format!("bad time {text}")))?;
    Ok(i32::from(time.hour()) * 60 + i32::from(time.minute()))
}

fn index_of(keys: &HashMap<&str, usize>, key: &str) -> Result<usize> {
    keys.get(key).copied().ok_or_else(|| invalid(format!("unknown key {key}")))
}

/// How long the demo's visit for a service takes: an hour for a complex program's first
/// visit; else the shortest slot of the specialists who give it, so a visit takes one slot.
fn duration(clinic: &Clinic, service: &Service) -> i32 {
    if service.kind == ServiceKind::Program {
        return 60;
    }
    clinic
        .specialists
        .iter()
        .filter(|s| s.specialties.iter().any(|k| service.specialties.contains(k)))
        .map(|s| s.slot_minutes)
        .min()
        .unwrap_or(30)
}

/// The demo catalog with weekly schedules from `valid_from` until further notice; absences
/// count from `today`.
fn catalog(clinic: &Clinic, today: Date, valid_from: Date) -> Result<CatalogSeed> {
    let branch_keys: HashMap<&str, usize> =
        clinic.branches.iter().enumerate().map(|(i, b)| (b.key.as_str(), i)).collect();
    let specialty_keys: HashMap<&str, usize> =
        clinic.specialties.iter().enumerate().map(|(i, s)| (s.key.as_str(), i)).collect();
    let groups = clinic
        .service_groups
        .iter()
        .map(|g| {
            let services = g
                .services
                .iter()
                .map(|s| {
                    Ok(ServiceSeed {
                        code: s.code.clone(),
                        name: s.name.clone(),
                        name_en: s.name_en.clone(),
                        price_kopecks: s.price * 100,
                        kind: s.kind,
                        specialties: s
                            .specialties
                            .iter()
                            .map(|k| index_of(&specialty_keys, k))
                            .collect::<Result<_>>()?,
                        duration_minutes: duration(clinic, s),
                    })
                })
                .collect::<Result<_>>()?;
            Ok(GroupSeed { name: g.name.clone(), name_en: g.name_en.clone(), services })
        })
        .collect::<Result<_>>()?;
    let specialists = clinic
        .specialists
        .iter()
        .map(|s| specialist(s, &branch_keys, &specialty_keys, today, valid_from))
        .collect::<Result<_>>()?;
    Ok(CatalogSeed {
        branches: clinic
            .branches
            .iter()
            .map(|b| BranchSeed {
                name: b.name.clone(),
                name_en: b.name_en.clone(),
                address: b.address.clone(),
                address_en: b.address_en.clone(),
                phone: b.phone.clone(),
                second_phone: b.second_phone.clone(),
                hours: b.hours.clone(),
                hours_en: b.hours_en.clone(),
                metro: b.metro.clone(),
                metro_en: b.metro_en.clone(),
            })
            .collect(),
        specialties: clinic
            .specialties
            .iter()
            .map(|s| {
                let ages = AgeRange::parse(s.min_age, s.max_age).map_err(invalid)?;
                Ok(SpecialtySeed { name: s.name.clone(), name_en: s.name_en.clone(), ages })
            })
            .collect::<Result<_>>()?,
        groups,
        specialists,
    })
}

fn specialist(
    s: &Specialist,
    branch_keys: &HashMap<&str, usize>,
    specialty_keys: &HashMap<&str, usize>,
    today: Date,
    valid_from: Date,
) -> Result<SpecialistSeed> {
    let rules = s
        .schedule
        .iter()
        .map(|i| {
            Ok(WorkRule {
                weekday: i.weekday,
                start_minute: minutes(&i.start)?,
                end_minute: minutes(&i.end)?,
                slot_minutes: s.slot_minutes,
                valid_from,
                valid_until: None,
            })
        })
        .collect::<Result<_>>()?;
    let exceptions = s
        .absences
        .iter()
        .map(|a| {
            let from = today.checked_add(a.from_day.days()).map_err(invalid)?;
            let until = from.checked_add((a.days - 1).max(0).days()).map_err(invalid)?;
            Ok(ScheduleException::away(a.reason, from, until))
        })
        .collect::<Result<_>>()?;
    Ok(SpecialistSeed {
        last_name: s.last_name.clone(),
        first_name: s.first_name.clone(),
        middle_name: s.middle_name.clone(),
        gender: s.gender,
        qualification: s.qualification.clone(),
        qualification_en: s.qualification_en.clone(),
        career_start_year: s.career_start_year,
        branch: index_of(branch_keys, &s.branch)?,
        online_booking: s.online_booking,
        online_discount_percent: s.online_discount_percent,
        bio: s.bio.clone(),
        bio_en: s.bio_en.clone(),
        specialties: s
            .specialties
            .iter()
            .map(|k| index_of(specialty_keys, k))
            .collect::<Result<_>>()?,
        rules,
        exceptions,
    })
}

/// `count` made-up confirmed patients for the large clinic, with phones of their own.
fn load_patients(count: usize, today: Date) -> Result<Vec<PatientData>> {
    (0..count.max(1))
        .map(|i| {
            let input = PatientInput {
                last_name: "Нагрузочный".into(),
                first_name: "Пациент".into(),
                middle_name: None,
                birth_date: "1980-01-01".into(),
                phone: format!("+7000{i:07}"),
                email: None,
                postal_address: None,
            };
            let mut errors = kabinet_core::patient::FieldErrors::default();
            input.parse(today, &mut errors).ok_or_else(|| invalid(format!("{errors:?}")))
        })
        .collect()
}

/// Splits `# Title` off a document's text.
fn title_and_body(markdown: &str) -> (&str, &str) {
    match markdown.split_once('\n') {
        Some((first, rest)) if first.starts_with("# ") => {
            (first.trim_start_matches("# ").trim(), rest.trim())
        }
        _ => ("", markdown),
    }
}

/// A specialty of the seed as the administrator's form would send it.
fn specialty_input(s: &SpecialtySeed) -> SpecialtyInput {
    let fields = SpecialtyFields { name: s.name.clone(), name_en: s.name_en.clone(), ages: s.ages };
    SpecialtyInput::from(&fields)
}

/// A specialist of the seed as the administrator's form would send it, with the ids made.
fn specialist_input(s: &SpecialistSeed, made: &MadeIds) -> SpecialistInput {
    SpecialistInput {
        last_name: s.last_name.clone(),
        first_name: s.first_name.clone(),
        middle_name: s.middle_name.clone(),
        gender: s.gender.as_str().to_owned(),
        specialties: s.specialties.iter().map(|&i| made.specialties[i].to_string()).collect(),
        branches: vec![made.branches[s.branch].to_string()],
        qualification: s.qualification.clone(),
        qualification_en: s.qualification_en.clone().unwrap_or_default(),
        degree: String::new(),
        degree_en: String::new(),
        career_start_year: s.career_start_year.to_string(),
        bio: s.bio.clone(),
        bio_en: s.bio_en.clone().unwrap_or_default(),
        online_booking: s.online_booking,
        online_discount_percent: s.online_discount_percent.to_string(),
    }
}

impl Kabinet {
    /// Makes the seed's branches, specialties and specialists through the administrator's
    /// use cases (validated and audited as theirs, with the system as the actor): the demo
    /// clinic goes through the same doors as the clinic's own data.
    async fn make_catalog(&self, seed: &CatalogSeed) -> Result<MadeIds> {
        let (actor, origin) = (Actor::System, Origin::default());
        let mut made = MadeIds::default();
        for b in &seed.branches {
            made.branches
                .push(self.write_branch(actor, None, &BranchInput::from(b), &origin).await?);
        }
        for s in &seed.specialties {
            let input = specialty_input(s);
            made.specialties.push(self.write_specialty(actor, None, &input, &origin).await?);
        }
        for s in &seed.specialists {
            let input = specialist_input(s, &made);
            made.specialists.push(self.write_specialist(actor, None, &input, &origin).await?);
        }
        Ok(made)
    }

    /// Gives each specialist of the seed their weekly templates and exceptions through the
    /// schedule page's use cases.
    async fn make_schedules(&self, seed: &CatalogSeed, made: &MadeIds) -> Result<()> {
        let origin = Origin::default();
        for (s, &id) in seed.specialists.iter().zip(&made.specialists) {
            for rule in &s.rules {
                self.write_schedule_template(Actor::System, id, rule, &origin).await?;
            }
            for exception in &s.exceptions {
                self.write_schedule_exception(Actor::System, id, exception, &origin).await?;
            }
        }
        Ok(())
    }

    /// Loads the demo clinic with weekly schedules from today until further notice (they roll:
    /// free time covers the booking horizon whenever the demo is looked at), and publishes its
    /// rules and privacy policy as version 1, in Russian and English.
    pub async fn load_demo(&self) -> Result<DemoSummary> {
        let clinic: Clinic = serde_json::from_str(CLINIC_JSON).map_err(invalid)?;
        let today = self.today();
        let seed = catalog(&clinic, today, today)?;
        let made = self.make_catalog(&seed).await?;
        self.make_schedules(&seed, &made).await?;
        self.load_demo_services(&clinic, today).await?;
        self.add_demo_discounts().await?;
        self.publish_demo_documents().await?;
        Ok(DemoSummary { specialists: seed.specialists.len(), visits: 0 })
    }

    /// Loads the large clinic for benchmarks: `specialists` specialists built from the demo's,
    /// working since 43 weeks ago until further notice, and about `visits` booked visits:
    /// every other future slot of the coming eight weeks and the most recent past slots.
    pub async fn load_large(&self, specialists: usize, visits: usize) -> Result<DemoSummary> {
        let mut clinic: Clinic = serde_json::from_str(CLINIC_JSON).map_err(invalid)?;
        let base = clinic.specialists.clone();
        clinic.specialists = (0..specialists)
            .map(|i| {
                let mut s = base[i % base.len()].clone();
                s.online_booking = true;
                s.absences.clear();
                s
            })
            .collect();
        let today = self.today();
        let from = today.checked_sub((43 * 7).days()).map_err(invalid)?;
        let until = today.checked_add((LARGE_WEEKS_AHEAD * 7 - 1).days()).map_err(invalid)?;
        let seed = catalog(&clinic, today, from)?;
        // The bulk path: 500 specialists one by one would only slow the benchmarks' set-up.
        self.store.load_catalog(&seed, self.now().as_second()).await?;
        self.publish_demo_documents().await?;

        let per_specialist = visits.div_ceil(specialists.max(1));
        let tz = &self.settings.time_zone;
        let now = self.now();
        let mut booked: Vec<VisitSeed> = Vec::with_capacity(visits);
        for (index, s) in seed.specialists.iter().enumerate() {
            let id = i64::try_from(index + 1).unwrap_or(i64::MAX);
            let slots = working_slots(&s.rules, &[], from, until, tz);
            let (past, future): (Vec<_>, Vec<_>) = slots.into_iter().partition(|s| s.start < now);
            let mine = future
                .iter()
                .step_by(2)
                .chain(past.iter().rev())
                .take(per_specialist.min(visits - booked.len()));
            booked.extend(mine.map(|slot| (id, slot.start.as_second(), slot.end.as_second())));
        }
        let patients = load_patients(visits / 10, today)?;
        self.store.seed_visits(&booked, &patients, now.as_second()).await?;
        Ok(DemoSummary { specialists: seed.specialists.len(), visits: booked.len() })
    }

    /// The demo's services and prices as the clinic's accounting system would export them,
    /// imported as a price list in force from today; then each service's specialists (those
    /// of its specialties), set through the services' form.
    async fn load_demo_services(&self, clinic: &Clinic, today: Date) -> Result<()> {
        let rows: Vec<ExportRow> = clinic
            .service_groups
            .iter()
            .flat_map(|g| g.services.iter().map(move |s| (g, s)))
            .map(|(g, s)| ExportRow {
                code: s.code.clone(),
                name: s.name.clone(),
                name_en: s.name_en.clone(),
                group: g.name.clone(),
                group_en: g.name_en.clone(),
                kind: s.kind,
                duration_minutes: duration(clinic, s),
                price: Money::rubles(s.price),
            })
            .collect();
        let content = String::from_utf8(write_price_file(&rows)).map_err(invalid)?;
        let input = crate::prices::demo_input(content, today);
        let origin = Origin::default();
        self.import_price_list(Actor::System, None, &input, &origin).await?;

        let specialty_names: HashMap<&str, &str> =
            clinic.specialties.iter().map(|s| (s.key.as_str(), s.name.as_str())).collect();
        let specialties = self.store.specialist_specialties(Lang::Ru).await?;
        let records = self.store.service_records().await?;
        for service in clinic.service_groups.iter().flat_map(|g| &g.services) {
            let names: Vec<&str> = service
                .specialties
                .iter()
                .filter_map(|k| specialty_names.get(k.as_str()).copied())
                .collect();
            let mut who: Vec<i64> = specialties
                .iter()
                .filter(|(_, sp)| names.contains(&sp.name.as_str()))
                .map(|(id, _)| *id)
                .collect();
            who.sort_unstable();
            who.dedup();
            let record = records
                .iter()
                .find(|r| r.code == service.code)
                .ok_or_else(|| invalid(format!("service {} not imported", service.code)))?;
            let mut input = ServiceInput::of(record, &who);
            input.name_en = service.name_en.clone().unwrap_or_default();
            self.save_service_as(Actor::System, Some(record.id), &input, &origin).await?;
        }
        Ok(())
    }

    /// The demo's rules and privacy policy, published as version 1 in Russian and English.
    async fn publish_demo_documents(&self) -> Result<()> {
        for (kind, text, english) in [
            (DocumentKind::Rules, RULES_MD, RULES_EN_MD),
            (DocumentKind::Privacy, PRIVACY_MD, PRIVACY_EN_MD),
        ] {
            let english = Some(title_and_body(english));
            let origin = Origin::default();
            self.publish_document(Actor::System, kind, title_and_body(text), english, &origin)
                .await?;
        }
        Ok(())
    }
}

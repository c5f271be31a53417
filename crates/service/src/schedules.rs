//! The administrator's schedules (C2, B4): a specialist's weekly templates (until further
//! notice or to a last day) and their exceptions (a vacation, sick leave, a day off, an extra
//! or a shortened day), read whole for the schedule page and changed one at a time, each
//! change audited in its transaction. Who may do it is the roles table's
//! ([`Action::ManageSchedules`]).

use jiff::civil::{Date, Time};
use jiff::{Timestamp, ToSpan};
use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::lang::Lang;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_core::schedule::{ScheduleException, WorkRule, working_slots};
use kabinet_core::schedule_form::{ExceptionInput, TemplateInput, parse_day};
use kabinet_store::catalog::Specialist;
use kabinet_store::schedules::{StoredException, StoredRule, VisitToMove};
use serde_json::json;

use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// A specialist's schedule as the administrator's page shows it.
#[derive(Debug, Clone)]
pub struct ScheduleSheet {
    /// The specialist.
    pub specialist: Specialist,
    /// Templates in force today or later, by weekday and start.
    pub templates: Vec<StoredRule>,
    /// Exceptions ending today or later, by first day.
    pub exceptions: Vec<StoredException>,
    /// Booked visits whose time a change took away, waiting for the registrar.
    pub to_move: Vec<VisitToMove>,
}

/// A change of a specialist's rules and exceptions, applied in memory to see what it takes.
enum Change<'a> {
    AddException(&'a ScheduleException),
    RemoveException(&'a ScheduleException),
    EndRule(&'a WorkRule, Date),
}

impl Change<'_> {
    fn apply(&self, rules: &mut [WorkRule], exceptions: &mut Vec<ScheduleException>) {
        match self {
            Change::AddException(e) => exceptions.push((*e).clone()),
            Change::RemoveException(e) => {
                if let Some(i) = exceptions.iter().position(|x| x == *e) {
                    exceptions.remove(i);
                }
            }
            Change::EndRule(rule, last_day) => {
                if let Some(r) = rules.iter_mut().find(|r| **r == **rule) {
                    r.valid_until = Some(*last_day);
                }
            }
        }
    }
}

impl Kabinet {
    fn check_schedules(staff: &StaffUser) -> Result<()> {
        staff.require(Action::ManageSchedules)
    }

    /// The specialists whose schedules the administrator keeps, by surname.
    pub async fn schedule_specialists(
        &self,
        staff: &StaffUser,
        lang: Lang,
    ) -> Result<Vec<Specialist>> {
        Self::check_schedules(staff)?;
        Ok(self.store.list_specialists(Default::default(), lang).await?)
    }

    /// A specialist's templates and exceptions from today on.
    pub async fn schedule_sheet(
        &self,
        staff: &StaffUser,
        specialist_id: i64,
        lang: Lang,
    ) -> Result<ScheduleSheet> {
        Self::check_schedules(staff)?;
        let specialist = self.catalog_specialist(specialist_id, lang).await?;
        let today = self.today().to_string();
        let (templates, exceptions) =
            self.store.specialist_schedule_rows(specialist_id, &today).await?;
        let to_move = self.visits_to_move(staff, Some(specialist_id)).await?;
        Ok(ScheduleSheet { specialist, templates, exceptions, to_move })
    }

    /// The booked visits (id, start) of a specialist on the days `from..` (through `until`,
    /// if given) whose time `change` would take away. The schedule change then lists them
    /// for the registrar in its own transaction.
    async fn hit_by(
        &self,
        specialist_id: i64,
        (from, until): (Date, Option<Date>),
        change: Change<'_>,
    ) -> Result<Vec<(i64, i64)>> {
        let tz = &self.settings.time_zone;
        let day_start = |day: Date| {
            tz.to_timestamp(day.to_datetime(Time::midnight())).map_or(i64::MAX, |t| t.as_second())
        };
        let now = self.now().as_second();
        let from_at = day_start(from).max(now);
        let until_at = until.and_then(|d| d.checked_add(1.day()).ok()).map_or(i64::MAX, day_start);
        let visits = self.store.booked_visits_between(specialist_id, from_at, until_at).await?;
        let (Some(first), Some(last)) = (visits.first(), visits.last()) else {
            return Ok(Vec::new());
        };
        let day_of =
            |at: i64| Timestamp::from_second(at).unwrap_or_default().to_zoned(tz.clone()).date();
        let (first_day, last_day) = (day_of(first.1), day_of(last.1));
        let schedule = self.schedule(specialist_id, first_day, last_day).await?;
        let (mut rules, mut exceptions) = (schedule.rules, schedule.exceptions);
        change.apply(&mut rules, &mut exceptions);
        let slots = working_slots(&rules, &exceptions, first_day, last_day, tz);
        Ok(visits
            .into_iter()
            .filter(|&(_, at)| !slots.iter().any(|s| s.start.as_second() == at))
            .collect())
    }

    /// Adds a weekly template to a specialist's schedule; returns its id.
    pub async fn add_schedule_template(
        &self,
        staff: &StaffUser,
        specialist_id: i64,
        input: &TemplateInput,
        origin: &Origin,
    ) -> Result<i64> {
        Self::check_schedules(staff)?;
        self.catalog_specialist(specialist_id, Lang::Ru).await?;
        let mut errors = FieldErrors::default();
        let rule = input.parse(&mut errors);
        let (Some(rule), true) = (rule, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        self.write_schedule_template(staff.actor(), specialist_id, &rule, origin).await
    }

    /// Adds a checked template, audited as `actor`'s: the administrator's form and the demo
    /// clinic's load.
    pub(crate) async fn write_schedule_template(
        &self,
        actor: Actor,
        specialist_id: i64,
        rule: &WorkRule,
        origin: &Origin,
    ) -> Result<i64> {
        let audit = self
            .catalog_audit(actor, AuditAction::ScheduleTemplateAdd, ObjectKind::WorkRule, origin)
            .details(json!({
                "specialist_id": specialist_id,
                "weekday": rule.weekday,
                "start_minute": rule.start_minute,
                "end_minute": rule.end_minute,
                "slot_minutes": rule.slot_minutes,
                "valid_from": rule.valid_from.to_string(),
                "valid_until": rule.valid_until.map(|d| d.to_string()),
            }));
        Ok(self.store.add_work_rule(specialist_id, rule, audit).await?)
    }

    /// Ends a specialist's template: its last working day is `last_day` as typed (a template
    /// that has not begun by then goes altogether).
    pub async fn end_schedule_template(
        &self,
        staff: &StaffUser,
        specialist_id: i64,
        template_id: i64,
        last_day: &str,
        origin: &Origin,
    ) -> Result<()> {
        Self::check_schedules(staff)?;
        let Some(last_day) = parse_day(last_day) else {
            let mut errors = FieldErrors::default();
            errors.add("last_day", "error-schedule-date");
            return Err(Error::Validation(errors));
        };
        let today = self.today().to_string();
        let (templates, _) = self.store.specialist_schedule_rows(specialist_id, &today).await?;
        let template =
            templates.into_iter().find(|t| t.id == template_id).ok_or(Error::NotFound)?;
        let after = last_day.checked_add(1.day()).unwrap_or(last_day);
        let hit = self
            .hit_by(specialist_id, (after, None), Change::EndRule(&template.rule, last_day))
            .await?;
        let audit = self
            .catalog_audit(
                staff.actor(),
                AuditAction::ScheduleTemplateEnd,
                ObjectKind::WorkRule,
                origin,
            )
            .details(json!({
                "specialist_id": specialist_id,
                "last_day": last_day.to_string(),
                "visits_to_move": hit.len(),
            }));
        let ended = self
            .store
            .end_work_rule(specialist_id, template_id, &last_day.to_string(), audit, &hit)
            .await?;
        if ended { Ok(()) } else { Err(Error::NotFound) }
    }

    /// Adds an exception to a specialist's templates; returns its id.
    pub async fn add_schedule_exception(
        &self,
        staff: &StaffUser,
        specialist_id: i64,
        input: &ExceptionInput,
        origin: &Origin,
    ) -> Result<i64> {
        Self::check_schedules(staff)?;
        self.catalog_specialist(specialist_id, Lang::Ru).await?;
        let mut errors = FieldErrors::default();
        let exception = input.parse(&mut errors);
        let (Some(exception), true) = (exception, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        self.write_schedule_exception(staff.actor(), specialist_id, &exception, origin).await
    }

    /// Adds a checked exception, audited as `actor`'s, and lists the booked visits it takes
    /// the time of for the registrar.
    pub(crate) async fn write_schedule_exception(
        &self,
        actor: Actor,
        specialist_id: i64,
        exception: &ScheduleException,
        origin: &Origin,
    ) -> Result<i64> {
        let range = (exception.from, Some(exception.until));
        let hit = self.hit_by(specialist_id, range, Change::AddException(exception)).await?;
        let audit = self
            .catalog_audit(
                actor,
                AuditAction::ScheduleExceptionAdd,
                ObjectKind::ScheduleException,
                origin,
            )
            .details(json!({
                "specialist_id": specialist_id,
                "kind": exception.kind,
                "from": exception.from.to_string(),
                "until": exception.until.to_string(),
                "start_minute": exception.hours.map(|h| h.start_minute),
                "end_minute": exception.hours.map(|h| h.end_minute),
                "slot_minutes": exception.slot_minutes,
                "visits_to_move": hit.len(),
            }));
        Ok(self.store.add_schedule_exception(specialist_id, exception, audit, &hit).await?)
    }

    /// Removes an exception of a specialist.
    pub async fn remove_schedule_exception(
        &self,
        staff: &StaffUser,
        specialist_id: i64,
        exception_id: i64,
        origin: &Origin,
    ) -> Result<()> {
        Self::check_schedules(staff)?;
        let today = self.today().to_string();
        let (_, exceptions) = self.store.specialist_schedule_rows(specialist_id, &today).await?;
        let hit = match exceptions.iter().find(|e| e.id == exception_id) {
            Some(e) => {
                let e = &e.exception;
                self.hit_by(specialist_id, (e.from, Some(e.until)), Change::RemoveException(e))
                    .await?
            }
            None => Vec::new(),
        };
        let audit = self
            .catalog_audit(
                staff.actor(),
                AuditAction::ScheduleExceptionRemove,
                ObjectKind::ScheduleException,
                origin,
            )
            .details(json!({"specialist_id": specialist_id, "visits_to_move": hit.len()}));
        let removed =
            self.store.remove_schedule_exception(specialist_id, exception_id, audit, &hit).await?;
        if removed { Ok(()) } else { Err(Error::NotFound) }
    }
}

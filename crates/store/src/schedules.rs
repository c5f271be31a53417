//! A specialist's weekly templates and their exceptions as the administrator keeps them: read
//! whole for the schedule page, added and ended one at a time, each change with its audit row
//! in the same transaction.

use kabinet_core::schedule::{ScheduleException, WorkRule};

use crate::catalog::{ExceptionRow, parse_date};
use crate::sql::{Conn, insert_audit};
use crate::{AuditEntry, Result, Store, StoreError, dispatch, dispatch_write};

/// A weekly template as stored, with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRule {
    /// Its id.
    pub id: i64,
    /// The rule.
    pub rule: WorkRule,
}

/// An exception as stored, with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredException {
    /// Its id.
    pub id: i64,
    /// The exception.
    pub exception: ScheduleException,
}

#[derive(sqlx::FromRow)]
struct RuleRow {
    id: i64,
    weekday: i32,
    start_minute: i32,
    end_minute: i32,
    slot_minutes: i32,
    valid_from: String,
    valid_until: Option<String>,
}

#[derive(sqlx::FromRow)]
struct IdExceptionRow {
    id: i64,
    #[sqlx(flatten)]
    row: ExceptionRow,
}

/// A booked visit a schedule change took the time of, as the registrar's list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitToMove {
    /// The visit.
    pub visit_id: i64,
    /// Whose.
    pub patient_id: i64,
    /// The patient's full name.
    pub patient_name: String,
    /// The patient's phone.
    pub phone: String,
    /// With whom.
    pub specialist_id: i64,
    /// The specialist's full name.
    pub specialist_name: String,
    /// When, Unix seconds.
    pub starts_at: i64,
}

/// Lists `hit` visits (id, start) for the registrar, in the change's transaction.
async fn list_visits_to_move(c: &mut impl Conn, hit: &[(i64, i64)], now: i64) -> Result<()> {
    const LIST: &str = "INSERT INTO visits_to_move (appointment_id, starts_at, listed_at) \
        VALUES ($1, $2, $3) ON CONFLICT (appointment_id) \
        DO UPDATE SET starts_at = excluded.starts_at, listed_at = excluded.listed_at";
    for &(visit_id, starts_at) in hit {
        c.execute(LIST, &[visit_id.into(), starts_at.into(), now.into()]).await?;
    }
    Ok(())
}

/// Adds a weekly rule (template) of a specialist.
const INSERT_RULE: &str = "INSERT INTO work_rules (specialist_id, weekday, \
    start_minute, end_minute, slot_minutes, valid_from, valid_until) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
/// Adds an exception to a specialist's weekly rules.
const INSERT_EXCEPTION: &str = "INSERT INTO schedule_exceptions (specialist_id, kind, \
    from_day, until_day, start_minute, end_minute, slot_minutes) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

/// Adds a weekly template of a specialist in the caller's transaction; returns its id.
pub(crate) async fn insert_rule(
    c: &mut impl Conn,
    specialist_id: i64,
    r: &WorkRule,
) -> Result<i64> {
    let (from, until) = (r.valid_from.to_string(), r.valid_until.map(|d| d.to_string()));
    let args = [
        specialist_id.into(),
        i64::from(r.weekday).into(),
        r.start_minute.into(),
        r.end_minute.into(),
        r.slot_minutes.into(),
        (&from).into(),
        until.as_deref().into(),
    ];
    c.insert(INSERT_RULE, &args).await
}

/// Adds an exception to a specialist's templates in the caller's transaction; returns its id.
pub(crate) async fn insert_exception(
    c: &mut impl Conn,
    specialist_id: i64,
    e: &ScheduleException,
) -> Result<i64> {
    let (from, until) = (e.from.to_string(), e.until.to_string());
    let args = [
        specialist_id.into(),
        e.kind.as_str().into(),
        (&from).into(),
        (&until).into(),
        e.hours.map(|h| i64::from(h.start_minute)).into(),
        e.hours.map(|h| i64::from(h.end_minute)).into(),
        e.slot_minutes.map(i64::from).into(),
    ];
    c.insert(INSERT_EXCEPTION, &args).await
}

impl Store {
    /// The booked visits of a specialist starting in `from..until` (Unix seconds): (id, start).
    pub async fn booked_visits_between(
        &self,
        specialist_id: i64,
        from: i64,
        until: i64,
    ) -> Result<Vec<(i64, i64)>> {
        let sql = "SELECT id, starts_at FROM appointments WHERE specialist_id = $1 \
            AND status = 'booked' AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(specialist_id)
            .bind(from)
            .bind(until)
            .fetch_all(pool)
            .await?))
    }

    /// The listed visits still booked at the listed time and not yet begun, of one specialist
    /// or of all, soonest first.
    pub async fn visits_to_move(
        &self,
        specialist_id: Option<i64>,
        now: i64,
    ) -> Result<Vec<VisitToMove>> {
        let sql = "SELECT a.id AS visit_id, a.patient_id, \
            TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) AS patient_name, \
            p.phone, a.specialist_id, \
            TRIM(s.last_name || ' ' || s.first_name || ' ' || s.middle_name) AS specialist_name, \
            a.starts_at FROM visits_to_move m \
            JOIN appointments a ON a.id = m.appointment_id \
            JOIN patients p ON p.id = a.patient_id \
            JOIN specialists s ON s.id = a.specialist_id \
            WHERE a.status = 'booked' AND a.starts_at = m.starts_at AND a.starts_at > $1 \
            AND ($2 IS NULL OR a.specialist_id = $2) ORDER BY a.starts_at, a.id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(now)
            .bind(specialist_id)
            .fetch_all(pool)
            .await?))
    }

    /// A specialist's templates in force on `today` or later, by weekday and start, and their
    /// exceptions that end on `today` or later, by first day.
    pub async fn specialist_schedule_rows(
        &self,
        specialist_id: i64,
        today: &str,
    ) -> Result<(Vec<StoredRule>, Vec<StoredException>)> {
        let rules_sql = "SELECT id, weekday, start_minute, end_minute, slot_minutes, valid_from, \
            valid_until FROM work_rules WHERE specialist_id = $1 \
            AND (valid_until IS NULL OR valid_until >= $2) \
            ORDER BY weekday, start_minute, valid_from, id";
        let exceptions_sql = "SELECT id, kind, from_day, until_day, start_minute, end_minute, \
            slot_minutes FROM schedule_exceptions WHERE specialist_id = $1 AND until_day >= $2 \
            ORDER BY from_day, id";
        let (rules, exceptions): (Vec<RuleRow>, Vec<IdExceptionRow>) = dispatch!(self, |pool| {
            let rules =
                sqlx::query_as(rules_sql).bind(specialist_id).bind(today).fetch_all(pool).await?;
            let exceptions = sqlx::query_as(exceptions_sql)
                .bind(specialist_id)
                .bind(today)
                .fetch_all(pool)
                .await?;
            (rules, exceptions)
        });
        let rules = rules
            .into_iter()
            .map(|r| {
                Ok(StoredRule {
                    id: r.id,
                    rule: WorkRule {
                        weekday: i8::try_from(r.weekday).map_err(|_| {
                            StoreError::Corrupt(format!("bad weekday {}", r.weekday))
                        })?,
                        start_minute: r.start_minute,
                        end_minute: r.end_minute,
                        slot_minutes: r.slot_minutes,
                        valid_from: parse_date(&r.valid_from)?,
                        valid_until: r.valid_until.as_deref().map(parse_date).transpose()?,
                    },
                })
            })
            .collect::<Result<_>>()?;
        let exceptions = exceptions
            .into_iter()
            .map(|e| Ok(StoredException { id: e.id, exception: e.row.parse()? }))
            .collect::<Result<_>>()?;
        Ok((rules, exceptions))
    }

    /// Adds a weekly template; returns its id. `audit` gets the id as its object.
    pub async fn add_work_rule(
        &self,
        specialist_id: i64,
        rule: &WorkRule,
        audit: AuditEntry,
    ) -> Result<i64> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = insert_rule(&mut tx, specialist_id, rule).await?;
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_free_time(specialist_id).await?;
            tx.commit().await?;
            self.free_time_changed(&[specialist_id]);
            Ok(id)
        })
    }

    /// Ends a specialist's template after `last_day` (a template that would start later is
    /// ended on its first day's eve, that is, never works); `false` if there is no such
    /// template of this specialist.
    pub async fn end_work_rule(
        &self,
        specialist_id: i64,
        rule_id: i64,
        last_day: &str,
        audit: AuditEntry,
        hit: &[(i64, i64)],
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE work_rules SET valid_until = $1 \
                WHERE id = $2 AND specialist_id = $3 AND valid_from <= $1",
            )
            .bind(last_day)
            .bind(rule_id)
            .bind(specialist_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let gone = if done == 0 {
                // Not begun by then: the template goes, it never worked.
                sqlx::query("DELETE FROM work_rules WHERE id = $1 AND specialist_id = $2")
                    .bind(rule_id)
                    .bind(specialist_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            } else {
                done
            };
            if gone == 0 {
                return Ok(false);
            }
            let at = audit.at;
            insert_audit(&mut tx, &AuditEntry { object_id: Some(rule_id), ..audit }).await?;
            list_visits_to_move(&mut tx, hit, at).await?;
            tx.announce_free_time(specialist_id).await?;
            tx.commit().await?;
            self.free_time_changed(&[specialist_id]);
            Ok(true)
        })
    }

    /// Adds an exception to a specialist's templates; returns its id.
    pub async fn add_schedule_exception(
        &self,
        specialist_id: i64,
        exception: &ScheduleException,
        audit: AuditEntry,
        hit: &[(i64, i64)],
    ) -> Result<i64> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = insert_exception(&mut tx, specialist_id, exception).await?;
            let at = audit.at;
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            list_visits_to_move(&mut tx, hit, at).await?;
            tx.announce_free_time(specialist_id).await?;
            tx.commit().await?;
            self.free_time_changed(&[specialist_id]);
            Ok(id)
        })
    }

    /// Removes an exception of a specialist; `false` if there is no such exception of theirs.
    pub async fn remove_schedule_exception(
        &self,
        specialist_id: i64,
        exception_id: i64,
        audit: AuditEntry,
        hit: &[(i64, i64)],
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let gone =
                sqlx::query("DELETE FROM schedule_exceptions WHERE id = $1 AND specialist_id = $2")
                    .bind(exception_id)
                    .bind(specialist_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if gone == 0 {
                return Ok(false);
            }
            let at = audit.at;
            insert_audit(&mut tx, &AuditEntry { object_id: Some(exception_id), ..audit }).await?;
            list_visits_to_move(&mut tx, hit, at).await?;
            tx.announce_free_time(specialist_id).await?;
            tx.commit().await?;
            self.free_time_changed(&[specialist_id]);
            Ok(true)
        })
    }
}

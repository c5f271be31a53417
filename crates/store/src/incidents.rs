//! Incidents with personal data (G5): the incident, the patients it touched (found by one
//! set-based statement, never one round trip a patient), their cabinet messages and letters
//! written set-based in the same transaction, and the two notices to the supervisory
//! authority marked sent.

use std::collections::BTreeSet;

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::incident::Notice;
use kabinet_core::mail::MailKind;
use serde_json::json;

use crate::sql::insert_audit;
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// Which patients an incident touched, as the store finds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AffectedQuery {
    /// Card numbers or logins, exactly.
    Chosen(Vec<String>),
    /// Everyone with a visit starting in `[from, to)`, Unix seconds, whatever its status.
    Visits(i64, i64),
    /// Everyone whose account was created in `[from, to)`, Unix seconds.
    Accounts(i64, i64),
}

/// A message and a letter to every affected patient.
#[derive(Debug, Clone)]
pub struct IncidentLetter {
    /// The cabinet message's subject.
    pub subject: String,
    /// The cabinet message's text.
    pub body: String,
    /// The letter's subject.
    pub mail_subject: String,
    /// The letter's text.
    pub mail_body: String,
}

/// An incident to store.
#[derive(Debug, Clone)]
pub struct NewIncident {
    /// What happened.
    pub summary: String,
    /// When it was found, Unix seconds.
    pub found_at: i64,
    /// The categories' stored names, separated by commas.
    pub categories: String,
    /// The presumed causes.
    pub causes: String,
    /// The presumed harm.
    pub harm: String,
    /// The measures taken.
    pub measures: String,
    /// The contact person.
    pub contact: String,
    /// Which patients.
    pub affected: AffectedQuery,
    /// What they are told.
    pub letter: IncidentLetter,
    /// The administrator.
    pub staff_id: i64,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// An incident as its pages show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IncidentRow {
    /// The id.
    pub id: i64,
    /// What happened.
    pub summary: String,
    /// When it was found, Unix seconds.
    pub found_at: i64,
    /// The categories' stored names, separated by commas.
    pub categories: String,
    /// The presumed causes.
    pub causes: String,
    /// The presumed harm.
    pub harm: String,
    /// The measures taken.
    pub measures: String,
    /// The contact person.
    pub contact: String,
    /// The results of the internal investigation.
    pub investigation: Option<String>,
    /// The people responsible.
    pub responsible: Option<String>,
    /// How many patients it touched.
    pub patient_count: i64,
    /// Who recorded it.
    pub created_by_name: String,
    /// When, Unix seconds.
    pub created_at: i64,
    /// When the 24-hour notice was sent.
    pub notice_24_sent_at: Option<i64>,
    /// Who marked it sent.
    pub notice_24_sent_by_name: Option<String>,
    /// When the 72-hour notice was sent.
    pub notice_72_sent_at: Option<i64>,
    /// Who marked it sent.
    pub notice_72_sent_by_name: Option<String>,
}

impl IncidentRow {
    /// When the notice was sent and by whom, if it was.
    pub fn sent(&self, notice: Notice) -> Option<(i64, &str)> {
        let (at, by) = match notice {
            Notice::First => (self.notice_24_sent_at, &self.notice_24_sent_by_name),
            Notice::Second => (self.notice_72_sent_at, &self.notice_72_sent_by_name),
        };
        at.map(|at| (at, by.as_deref().unwrap_or_default()))
    }
}

macro_rules! incident_select {
    ($tail:literal) => {
        concat!(
            "SELECT i.id, i.summary, i.found_at, i.categories, i.causes, \
            i.harm, i.measures, i.contact, i.investigation, i.responsible, i.patient_count, \
            c.full_name AS created_by_name, i.created_at, i.notice_24_sent_at, \
            s24.full_name AS notice_24_sent_by_name, i.notice_72_sent_at, \
            s72.full_name AS notice_72_sent_by_name FROM incidents i \
            JOIN staff c ON c.id = i.created_by \
            LEFT JOIN staff s24 ON s24.id = i.notice_24_sent_by \
            LEFT JOIN staff s72 ON s72.id = i.notice_72_sent_by ",
            $tail
        )
    };
}

/// One chosen patient: by card number or login.
const CHOSEN_IDS: &str = "SELECT p.id FROM patients p LEFT JOIN accounts ac \
    ON ac.patient_id = p.id WHERE p.card_number = $1 OR ac.login = $2";
const VISITS_COUNT: &str = "SELECT COUNT(DISTINCT a.patient_id) FROM appointments a \
    WHERE a.starts_at >= $1 AND a.starts_at < $2";
const ACCOUNTS_COUNT: &str = "SELECT COUNT(*) FROM accounts ac \
    WHERE ac.created_at >= $1 AND ac.created_at < $2";
const INSERT_CHOSEN: &str = "INSERT INTO incident_patients (incident_id, patient_id) \
    SELECT $1, p.id FROM patients p LEFT JOIN accounts ac ON ac.patient_id = p.id \
    WHERE p.card_number = $2 OR ac.login = $3 ON CONFLICT DO NOTHING";
const INSERT_VISITS: &str = "INSERT INTO incident_patients (incident_id, patient_id) \
    SELECT DISTINCT $1, a.patient_id FROM appointments a \
    WHERE a.starts_at >= $2 AND a.starts_at < $3";
const INSERT_ACCOUNTS: &str = "INSERT INTO incident_patients (incident_id, patient_id) \
    SELECT $1, ac.patient_id FROM accounts ac WHERE ac.created_at >= $2 AND ac.created_at < $3";
/// A thread for each affected patient whose data is not blocked (blocked data is not
/// processed, a letter included).
const INSERT_THREADS: &str = "INSERT INTO message_threads (patient_id, subject, started_by, \
    created_at, last_message_at) SELECT ip.patient_id, $2, 'clinic', $3, $3 \
    FROM incident_patients ip JOIN patients p ON p.id = ip.patient_id \
    WHERE ip.incident_id = $1 AND p.data_blocked_at IS NULL";
/// The message of each thread just made: the threads of this subject and instant that have
/// no message yet.
const INSERT_MESSAGES: &str = "INSERT INTO messages (patient_id, thread_id, subject, body, \
    author, created_at) SELECT t.patient_id, t.id, t.subject, $4, 'clinic', $3 \
    FROM message_threads t JOIN incident_patients ip ON ip.patient_id = t.patient_id \
    WHERE ip.incident_id = $1 AND t.subject = $2 AND t.created_at = $3 \
    AND t.started_by = 'clinic' AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id)";
const INSERT_LETTERS: &str = "INSERT INTO outbox (kind, recipient, subject, body, created_at, \
    next_attempt_at) SELECT $2, COALESCE(ac.login, p.email), $3, $4, $5, $5 \
    FROM incident_patients ip JOIN patients p ON p.id = ip.patient_id \
    LEFT JOIN accounts ac ON ac.patient_id = p.id \
    WHERE ip.incident_id = $1 AND p.data_blocked_at IS NULL \
    AND COALESCE(ac.login, p.email) IS NOT NULL";

impl Store {
    /// How many patients the query finds (the preview before saving).
    pub async fn count_affected(&self, affected: &AffectedQuery) -> Result<i64> {
        Ok(match affected {
            AffectedQuery::Chosen(keys) => {
                let mut ids = BTreeSet::new();
                for key in keys {
                    let found: Vec<i64> = dispatch!(self, |pool| sqlx::query_scalar(CHOSEN_IDS)
                        .bind(key)
                        .bind(key.to_lowercase())
                        .fetch_all(pool)
                        .await?);
                    ids.extend(found);
                }
                i64::try_from(ids.len()).unwrap_or(i64::MAX)
            }
            AffectedQuery::Visits(from, to) => {
                dispatch!(self, |pool| sqlx::query_scalar(VISITS_COUNT)
                    .bind(from)
                    .bind(to)
                    .fetch_one(pool)
                    .await?)
            }
            AffectedQuery::Accounts(from, to) => {
                dispatch!(self, |pool| sqlx::query_scalar(ACCOUNTS_COUNT)
                    .bind(from)
                    .bind(to)
                    .fetch_one(pool)
                    .await?)
            }
        })
    }

    /// Records an incident, finds its patients and notifies them (cabinet and outbox), all
    /// set-based in one transaction with its audit row. Returns the id and the count.
    pub async fn create_incident(&self, i: &NewIncident) -> Result<(i64, i64)> {
        const INSERT: &str = "INSERT INTO incidents (summary, found_at, categories, causes, \
            harm, measures, contact, patient_count, created_by, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9) RETURNING id";
        const COUNT: &str = "UPDATE incidents SET patient_count = (SELECT COUNT(*) FROM incident_patients \
             WHERE incident_id = $1) WHERE id = $1 RETURNING patient_count";
        let l = &i.letter;
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(&i.summary)
                .bind(i.found_at)
                .bind(&i.categories)
                .bind(&i.causes)
                .bind(&i.harm)
                .bind(&i.measures)
                .bind(&i.contact)
                .bind(i.staff_id)
                .bind(i.now)
                .fetch_one(&mut *tx)
                .await?;
            match &i.affected {
                AffectedQuery::Chosen(keys) => {
                    for key in keys {
                        sqlx::query(INSERT_CHOSEN)
                            .bind(id)
                            .bind(key)
                            .bind(key.to_lowercase())
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                AffectedQuery::Visits(from, to) => {
                    sqlx::query(INSERT_VISITS)
                        .bind(id)
                        .bind(from)
                        .bind(to)
                        .execute(&mut *tx)
                        .await?;
                }
                AffectedQuery::Accounts(from, to) => {
                    sqlx::query(INSERT_ACCOUNTS)
                        .bind(id)
                        .bind(from)
                        .bind(to)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let count: i64 = sqlx::query_scalar(COUNT).bind(id).fetch_one(&mut *tx).await?;
            sqlx::query(INSERT_THREADS)
                .bind(id)
                .bind(&l.subject)
                .bind(i.now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(INSERT_MESSAGES)
                .bind(id)
                .bind(&l.subject)
                .bind(i.now)
                .bind(&l.body)
                .execute(&mut *tx)
                .await?;
            let letters = sqlx::query(INSERT_LETTERS)
                .bind(id)
                .bind(MailKind::IncidentNotice.as_str())
                .bind(&l.mail_subject)
                .bind(&l.mail_body)
                .bind(i.now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let entry = AuditEntry::new(
                i.now,
                Actor::Staff(i.staff_id),
                AuditAction::IncidentCreate,
                ObjectKind::Incident,
                Some(id),
            )
            .origin(&i.origin)
            .details(json!({"patients": count, "letters": letters, "categories": i.categories}));
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok((id, count))
        })
    }

    /// Every incident, newest first.
    pub async fn incidents(&self) -> Result<Vec<IncidentRow>> {
        const SQL: &str = incident_select!("ORDER BY i.found_at DESC, i.id DESC");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).fetch_all(pool).await?))
    }

    /// Incidents with a notice not yet sent, the oldest found first.
    pub async fn incidents_with_open_notices(&self) -> Result<Vec<IncidentRow>> {
        const SQL: &str = incident_select!(
            "WHERE i.notice_24_sent_at IS NULL OR i.notice_72_sent_at IS NULL \
             ORDER BY i.found_at, i.id"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).fetch_all(pool).await?))
    }

    /// One incident.
    pub async fn incident(&self, id: i64) -> Result<Option<IncidentRow>> {
        const SQL: &str = incident_select!("WHERE i.id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
    }

    /// Records the results of the internal investigation and the people responsible, for
    /// the 72-hour notice, audited. `false` if there is no such incident.
    pub async fn record_investigation(
        &self,
        id: i64,
        (investigation, responsible): (&str, &str),
        staff_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        const SQL: &str = "UPDATE incidents SET investigation = $1, responsible = $2 \
            WHERE id = $3";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(SQL)
                .bind(investigation)
                .bind(responsible)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            let entry = AuditEntry::new(
                now,
                Actor::Staff(staff_id),
                AuditAction::IncidentUpdate,
                ObjectKind::Incident,
                Some(id),
            )
            .origin(origin);
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Marks a notice sent to the supervisory authority, by whom and when, audited. `false`
    /// if there is no such incident or the notice was marked already.
    pub async fn mark_notice_sent(
        &self,
        id: i64,
        notice: Notice,
        staff_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        const FIRST: &str = "UPDATE incidents SET notice_24_sent_at = $1, notice_24_sent_by = $2 \
            WHERE id = $3 AND notice_24_sent_at IS NULL";
        const SECOND: &str = "UPDATE incidents SET notice_72_sent_at = $1, \
            notice_72_sent_by = $2 WHERE id = $3 AND notice_72_sent_at IS NULL";
        let sql = match notice {
            Notice::First => FIRST,
            Notice::Second => SECOND,
        };
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(sql).bind(now).bind(staff_id).bind(id).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            let entry = AuditEntry::new(
                now,
                Actor::Staff(staff_id),
                AuditAction::IncidentNoticeSent,
                ObjectKind::Incident,
                Some(id),
            )
            .origin(origin)
            .details(json!({"notice": notice}));
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
        });
        Ok(true)
    }
}

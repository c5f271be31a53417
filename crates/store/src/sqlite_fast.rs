//! The hot paths on SQLite — a week of free slots and the booking transaction — run through
//! rusqlite on the calling thread. sqlx runs each SQLite query on a worker thread of its own
//! connection, and the two thread hops per query cost more than the query itself (measured:
//! ~50 µs of CPU per query against ~5 µs for the query), which would cap the slots endpoint
//! far below its target. The SQL is the same text the PostgreSQL path runs.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, mpsc};
use std::time::Duration;

use kabinet_core::consent::Channel;
use rusqlite::types::ToSql;
use rusqlite::{CachedStatement, Connection, OpenFlags};

use crate::audit::INSERT_AUDIT;
use crate::booking::{
    BookingError, INSERT_APPOINTMENT, INSERT_CONSENT, INSERT_OUTBOX, INSERT_PATIENT,
    INSERT_RECEIPT, NewOneTimeBooking, TAKEN_STARTS, VISIT_BY_ID, Visit, booking_audit,
};
use crate::catalog::{SCHEDULE_ABSENCES, SCHEDULE_RULES, ScheduleRow, ScheduleRows};
use crate::{Result, StoreError};

/// Read connections (a small pool) and the booking writer of one SQLite file.
#[derive(Debug)]
pub(crate) struct FastSqlite {
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    writer: Mutex<Option<mpsc::Sender<Job>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Binds `$1`, `$2`, … by name, so the PostgreSQL-style SQL runs unchanged.
fn bind(statement: &mut CachedStatement<'_>, values: &[&dyn ToSql]) -> rusqlite::Result<()> {
    for (i, value) in values.iter().enumerate() {
        if let Some(index) = statement.parameter_index(&format!("${}", i + 1))? {
            statement.raw_bind_parameter(index, value)?;
        }
    }
    Ok(())
}

fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _)
        if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Corrupt(format!("sqlite: {error}"))
    }
}

impl FastSqlite {
    pub(crate) fn new(path: &Path) -> Self {
        Self { path: path.to_owned(), readers: Mutex::new(Vec::new()), writer: Mutex::new(None) }
    }

    fn open(&self, flags: OpenFlags) -> rusqlite::Result<Connection> {
        let connection =
            Connection::open_with_flags(&self.path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        connection.busy_timeout(Duration::from_secs(10))?;
        connection.pragma_update(None, "foreign_keys", true)?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        Ok(connection)
    }

    /// Runs `read` on a pooled read-only connection.
    fn read<T>(&self, read: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let pooled = lock(&self.readers).pop();
        let connection = match pooled {
            Some(c) => c,
            None => self.open(OpenFlags::SQLITE_OPEN_READ_ONLY)?,
        };
        let result = read(&connection);
        lock(&self.readers).push(connection);
        Ok(result?)
    }

    pub(crate) fn taken_starts(&self, specialist_id: i64, from: i64, to: i64) -> Result<Vec<i64>> {
        self.read(|c| read_taken(c, specialist_id, from, to))
    }

    /// Rule rows, absence days and booked starts in one read: one pooled connection, one
    /// snapshot.
    pub(crate) fn schedule_rows(
        &self,
        specialist_id: i64,
        (from, until): (&str, &str),
        booked: Range<i64>,
    ) -> Result<ScheduleRows> {
        self.read(|c| {
            let mut statement = c.prepare_cached(SCHEDULE_RULES)?;
            bind(&mut statement, &[&specialist_id, &from, &until])?;
            let mut rows = statement.raw_query();
            let mut rules = Vec::new();
            while let Some(row) = rows.next()? {
                rules.push(ScheduleRow {
                    online_booking: row.get(0)?,
                    specialist_name: row.get(1)?,
                    weekday: row.get(2)?,
                    start_minute: row.get(3)?,
                    end_minute: row.get(4)?,
                    slot_minutes: row.get(5)?,
                    valid_from: row.get(6)?,
                    valid_until: row.get(7)?,
                });
            }
            drop(rows);
            let mut statement = c.prepare_cached(SCHEDULE_ABSENCES)?;
            bind(&mut statement, &[&specialist_id, &from, &until])?;
            let mut rows = statement.raw_query();
            let mut absences = Vec::new();
            while let Some(row) = rows.next()? {
                absences.push((row.get(0)?, row.get(1)?));
            }
            drop(rows);
            Ok((rules, absences, read_taken(c, specialist_id, booked.start, booked.end)?))
        })
    }

    /// Books through the group-commit writer: bookings that arrive together share one
    /// transaction and one fsync, each in its own savepoint, and every caller hears back only
    /// after the commit is on disk.
    pub(crate) async fn book_one_time(
        &self,
        booking: NewOneTimeBooking,
    ) -> Result<Visit, BookingError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let queue = {
            let mut writer = lock(&self.writer);
            match writer.as_ref() {
                Some(queue) => queue.clone(),
                None => {
                    let queue = self.start_writer()?;
                    *writer = Some(queue.clone());
                    queue
                }
            }
        };
        queue
            .send(Job { booking, reply })
            .map_err(|_| StoreError::Corrupt("the SQLite writer stopped".into()))?;
        answer.await.map_err(|_| StoreError::Corrupt("the SQLite writer stopped".into()))?
    }

    fn start_writer(&self) -> Result<mpsc::Sender<Job>> {
        let mut connection = self.open(OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let (queue, jobs) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("kabinet-sqlite-writer".into())
            .spawn(move || {
                // Ends when the store (and with it every sender) is dropped.
                while let Ok(first) = jobs.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match jobs.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    commit_batch(&mut connection, batch);
                }
            })
            .map_err(|e| StoreError::Corrupt(format!("cannot start the SQLite writer: {e}")))?;
        Ok(queue)
    }
}

/// How many bookings at most share one commit.
const MAX_BATCH: usize = 128;

/// A booking waiting for the writer, and where to send its outcome.
fn read_taken(
    c: &Connection,
    specialist_id: i64,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut statement = c.prepare_cached(TAKEN_STARTS)?;
    bind(&mut statement, &[&specialist_id, &from, &to])?;
    let mut rows = statement.raw_query();
    let mut starts = Vec::new();
    while let Some(row) = rows.next()? {
        starts.push(row.get(0)?);
    }
    Ok(starts)
}

pub(crate) struct Job {
    booking: NewOneTimeBooking,
    reply: tokio::sync::oneshot::Sender<Result<Visit, BookingError>>,
}

fn commit_batch(connection: &mut Connection, batch: Vec<Job>) {
    let mut outcomes = Vec::with_capacity(batch.len());
    let committed = (|| -> rusqlite::Result<()> {
        let mut tx =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for job in &batch {
            let mut savepoint = tx.savepoint()?;
            let outcome = insert_booking(&savepoint, &job.booking);
            if outcome.is_ok() {
                savepoint.commit()?;
            } else {
                savepoint.rollback()?;
            }
            outcomes.push(outcome);
        }
        tx.commit()
    })();
    match committed {
        Ok(()) => {
            for (job, outcome) in batch.into_iter().zip(outcomes) {
                let _ = job.reply.send(outcome);
            }
        }
        Err(error) => {
            for job in batch {
                let _ = job
                    .reply
                    .send(Err(StoreError::Corrupt(format!("sqlite commit: {error}")).into()));
            }
        }
    }
}

/// The rows of one booking (see [`crate::Store::book_one_time`]), on the writer's connection.
fn insert_booking(c: &Connection, b: &NewOneTimeBooking) -> Result<Visit, BookingError> {
    let insert = |sql: &str, values: &[&dyn ToSql]| -> rusqlite::Result<i64> {
        let mut statement = c.prepare_cached(sql)?;
        bind(&mut statement, values)?;
        let mut rows = statement.raw_query();
        match rows.next()? {
            Some(row) => row.get(0),
            None => Ok(0),
        }
    };
    let p = &b.patient;
    let middle = p.middle_name.as_ref().map_or("", |m| m.as_str());
    let birth_date = p.birth_date.to_string();
    let email = p.email.as_ref().map(|e| e.as_str());
    let patient_id = insert(
        INSERT_PATIENT,
        &[
            &p.last_name.as_str(),
            &p.first_name.as_str(),
            &middle,
            &birth_date,
            &p.phone.as_str(),
            &email,
            &b.now,
        ],
    )
    .map_err(|e| {
        if is_unique_violation(&e) { BookingError::OneTimeUsed } else { StoreError::from(e).into() }
    })?;
    let appointment_id = insert(
        INSERT_APPOINTMENT,
        &[&b.specialist_id, &patient_id, &b.starts_at, &b.ends_at, &b.code, &b.request_key, &b.now],
    )
    .map_err(|e| {
        if is_unique_violation(&e) { BookingError::SlotTaken } else { StoreError::from(e).into() }
    })?;
    let mut consent_ids = Vec::with_capacity(b.consents.len());
    for (kind, document_kind, version) in &b.consents {
        consent_ids.push(
            insert(
                INSERT_CONSENT,
                &[
                    &patient_id,
                    &kind.as_str(),
                    document_kind,
                    version,
                    &Channel::Online.as_str(),
                    &b.ip,
                    &b.now,
                ],
            )
            .map_err(StoreError::from)?,
        );
    }
    for e in booking_audit(b, patient_id, appointment_id, &consent_ids) {
        let details = e.details.to_string();
        insert(
            INSERT_AUDIT,
            &[
                &e.at,
                &e.actor.kind(),
                &e.actor.id(),
                &e.action,
                &e.object_kind,
                &e.object_id,
                &e.patient_id,
                &e.ip,
                &details,
            ],
        )
        .map_err(StoreError::from)?;
    }
    if let Some(mail) = &b.mail {
        insert(INSERT_OUTBOX, &[&mail.kind, &mail.recipient, &mail.subject, &mail.body, &b.now])
            .map_err(StoreError::from)?;
    }
    if let Some(hash) = &b.receipt_hash {
        insert(INSERT_RECEIPT, &[hash, &appointment_id, &b.receipt_expires_at])
            .map_err(StoreError::from)?;
    }
    visit_by_id(c, appointment_id).map_err(|e| StoreError::from(e).into())
}

fn visit_by_id(c: &Connection, id: i64) -> rusqlite::Result<Visit> {
    let mut statement = c.prepare_cached(VISIT_BY_ID)?;
    bind(&mut statement, &[&id])?;
    let mut rows = statement.raw_query();
    let row = rows.next()?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    Ok(Visit {
        id: row.get(0)?,
        code: row.get(1)?,
        status: row.get(2)?,
        starts_at: row.get(3)?,
        ends_at: row.get(4)?,
        specialist_id: row.get(5)?,
        specialist_name: row.get(6)?,
        branch_name: row.get(7)?,
        branch_address: row.get(8)?,
        branch_phone: row.get(9)?,
        patient_name: row.get(10)?,
        access_level: row.get(11)?,
    })
}

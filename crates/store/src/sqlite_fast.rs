//! The hot paths on SQLite — a week of free slots and the booking transaction — run through
//! rusqlite on the calling thread. sqlx runs each SQLite query on a worker thread of its own
//! connection, and the two thread hops per query cost more than the query itself (measured:
//! ~50 µs of CPU per query against ~5 µs for the query), which would cap the slots endpoint
//! far below its target. The SQL is the same text the PostgreSQL path runs, bound to `$1`,
//! `$2`, … by name and read back by column name; the booking's steps are the same function
//! ([`crate::booking::write_one_time`]) over this path's [`Conn`].

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::{Mutex, MutexGuard, PoisonError, mpsc};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use rusqlite::ffi::ErrorCode;
use rusqlite::types::ToSql;
use rusqlite::{CachedStatement, Connection, OpenFlags, Row};

use crate::booking::{
    BookingError, NewOneTimeBooking, TAKEN_TIMES, VISIT_BY_ID, Visit, write_one_time,
};
use crate::catalog::{
    DOCUMENT_VERSION, ExceptionRow, SCHEDULE_EXCEPTIONS, SCHEDULE_RULES, ScheduleRow, ScheduleRows,
};
use crate::rates::{RATE_COUNT, RateCount};
use crate::sql::{ADVANCE_AUDIT_CHAIN, Arg, Conn};
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

/// The positions of the columns `names`, looked up once per query: a row read by name in a
/// loop would search the statement's column names for every value (measured: a tenth of a
/// week of slots' CPU).
fn columns<const N: usize>(
    statement: &CachedStatement<'_>,
    names: [&str; N],
) -> rusqlite::Result<[usize; N]> {
    let mut positions = [0; N];
    for (position, name) in positions.iter_mut().zip(names) {
        *position = statement.column_index(name)?;
    }
    Ok(positions)
}

impl ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Self::Int(v) => v.to_sql(),
            Self::Text(v) => v.to_sql(),
            Self::Bool(v) => v.to_sql(),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::from(&error)
    }
}

/// SQLite's failures as what they are: busy, a constraint, the disk, or something else.
impl From<&rusqlite::Error> for StoreError {
    fn from(error: &rusqlite::Error) -> Self {
        let rusqlite::Error::SqliteFailure(failure, message) = error else {
            return Self::Sqlite(error.to_string());
        };
        let detail = message.clone().unwrap_or_else(|| failure.to_string());
        match failure.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Self::Busy(detail),
            ErrorCode::ConstraintViolation => Self::Constraint {
                unique: matches!(
                    failure.extended_code,
                    rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                        | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                ),
                detail,
            },
            ErrorCode::SystemIoFailure
            | ErrorCode::DiskFull
            | ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::ReadOnly => Self::Io(detail),
            _ => Self::Sqlite(error.to_string()),
        }
    }
}

/// The writer's connection, as the shared statements see it. Every call completes at once:
/// rusqlite does not wait on anything but the disk.
struct FastConn<'c>(&'c Connection);

impl Conn for FastConn<'_> {
    async fn execute(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<u64> {
        let mut statement = self.0.prepare_cached(sql)?;
        bind(&mut statement, &as_sql(args))?;
        Ok(statement.raw_execute()? as u64)
    }

    async fn fetch_i64(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<Option<i64>> {
        let mut statement = self.0.prepare_cached(sql)?;
        bind(&mut statement, &as_sql(args))?;
        let mut rows = statement.raw_query();
        Ok(match rows.next()? {
            Some(row) => Some(row.get(0)?),
            None => None,
        })
    }

    async fn visit(&mut self, id: i64) -> Result<Visit> {
        let mut statement = self.0.prepare_cached(VISIT_BY_ID)?;
        bind(&mut statement, &[&id])?;
        let mut rows = statement.raw_query();
        let row = rows.next()?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        visit_from_row(row)
    }

    async fn lock_specialist(&mut self, _specialist_id: i64) -> Result<()> {
        Ok(())
    }

    async fn announce_free_time(&mut self, _specialist_id: i64) -> Result<()> {
        Ok(())
    }

    async fn announce_catalog(&mut self) -> Result<()> {
        Ok(())
    }

    async fn advance_audit_chain(&mut self, by: i64) -> Result<(i64, Option<String>)> {
        let mut statement = self.0.prepare_cached(ADVANCE_AUDIT_CHAIN)?;
        bind(&mut statement, &[&by])?;
        let mut rows = statement.raw_query();
        let row = rows.next()?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        Ok((row.get("last_id")?, row.get("last_hash")?))
    }
}

fn as_sql<'a>(args: &'a [Arg<'a>]) -> Vec<&'a dyn ToSql> {
    args.iter().map(|a| a as &dyn ToSql).collect()
}

/// A [`Visit`] read by column name.
fn visit_from_row(row: &Row<'_>) -> Result<Visit> {
    let typed =
        |column: &str, text: String| StoreError::Corrupt(format!("{column} of a visit: {text:?}"));
    let status: String = row.get("status")?;
    let access_level: String = row.get("access_level")?;
    let discount_kind: Option<String> = row.get("discount_kind")?;
    Ok(Visit {
        id: row.get("id")?,
        code: row.get("code")?,
        status: status.parse().map_err(|_| typed("status", status.clone()))?,
        starts_at: row.get("starts_at")?,
        ends_at: row.get("ends_at")?,
        specialist_id: row.get("specialist_id")?,
        specialist_name: row.get("specialist_name")?,
        branch_name: row.get("branch_name")?,
        branch_address: row.get("branch_address")?,
        branch_phone: row.get("branch_phone")?,
        patient_name: row.get("patient_name")?,
        access_level: access_level
            .parse()
            .map_err(|_| typed("access level", access_level.clone()))?,
        service_id: row.get("service_id")?,
        service_name: row.get("service_name")?,
        service_name_en: row.get("service_name_en")?,
        base_price_kopecks: row.get("base_price_kopecks")?,
        price_kopecks: row.get("price_kopecks")?,
        discount_kind: match discount_kind {
            Some(kind) => Some(kind.parse().map_err(|_| typed("discount kind", kind.clone()))?),
            None => None,
        },
        discount_code: row.get("discount_code")?,
        discount_reason: row.get("discount_reason")?,
        outcome: optional(row.get("outcome")?, "outcome")?,
        confirmation: optional(row.get("confirmation")?, "confirmation")?,
    })
}

/// A nullable text column of a visit as an optional `core` enum.
fn optional<T: std::str::FromStr>(text: Option<String>, column: &str) -> Result<Option<T>> {
    text.map(|t| t.parse().map_err(|_| StoreError::Corrupt(format!("{column} of a visit: {t:?}"))))
        .transpose()
}

/// Runs a future of [`FastConn`] calls to its end on this thread: none of them ever waits.
fn complete<T>(future: impl Future<Output = Result<T, BookingError>>) -> Result<T, BookingError> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(outcome) => outcome,
        Poll::Pending => Err(StoreError::Corrupt("a fast-path statement waited".into()).into()),
    }
}

/// The largest part of the database file a fast-path connection maps into memory.
const MMAP_BYTES: i64 = 1 << 30;

/// The page cache of the one writer connection, KiB.
const WRITER_CACHE_KIB: i64 = 64 * 1024;

impl FastSqlite {
    pub(crate) fn new(path: &Path) -> Self {
        Self { path: path.to_owned(), readers: Mutex::new(Vec::new()), writer: Mutex::new(None) }
    }

    /// The database file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn open(&self, flags: OpenFlags) -> rusqlite::Result<Connection> {
        let connection =
            Connection::open_with_flags(&self.path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        connection.busy_timeout(Duration::from_secs(10))?;
        connection.pragma_update(None, "foreign_keys", true)?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        // Pages are read through a shared mapping of the file, not copied into each
        // connection's cache by `pread`.
        connection.pragma_update(None, "mmap_size", MMAP_BYTES)?;
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

    /// The version of a document in force at `now`.
    pub(crate) fn document_version(&self, kind: &str, now: i64) -> Result<Option<i32>> {
        self.read(|c| {
            let mut statement = c.prepare_cached(DOCUMENT_VERSION)?;
            bind(&mut statement, &[&kind, &now])?;
            let mut rows = statement.raw_query();
            match rows.next()? {
                Some(row) => Ok(Some(row.get(0)?)),
                None => Ok(None),
            }
        })
    }

    /// How many events a key has had since `since`, and the first and last.
    pub(crate) fn rate_count(&self, key: &str, since: i64) -> Result<RateCount> {
        self.read(|c| {
            let mut statement = c.prepare_cached(RATE_COUNT)?;
            bind(&mut statement, &[&key, &since])?;
            let mut rows = statement.raw_query();
            let row = rows.next()?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            let (first, last): (Option<i64>, Option<i64>) = (row.get(1)?, row.get(2)?);
            Ok(RateCount {
                count: row.get(0)?,
                first: first.unwrap_or(since),
                last: last.unwrap_or(since),
            })
        })
    }

    pub(crate) fn taken_times(
        &self,
        specialist_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, i64)>> {
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
            let [online, name, weekday, start, end, slot, valid_from, valid_until] = columns(
                &statement,
                [
                    "online_booking",
                    "specialist_name",
                    "weekday",
                    "start_minute",
                    "end_minute",
                    "slot_minutes",
                    "valid_from",
                    "valid_until",
                ],
            )?;
            let mut rows = statement.raw_query();
            let mut rules = Vec::new();
            while let Some(row) = rows.next()? {
                rules.push(ScheduleRow {
                    online_booking: row.get(online)?,
                    specialist_name: row.get(name)?,
                    weekday: row.get(weekday)?,
                    start_minute: row.get(start)?,
                    end_minute: row.get(end)?,
                    slot_minutes: row.get(slot)?,
                    valid_from: row.get(valid_from)?,
                    valid_until: row.get(valid_until)?,
                });
            }
            drop(rows);
            let mut statement = c.prepare_cached(SCHEDULE_EXCEPTIONS)?;
            bind(&mut statement, &[&specialist_id, &from, &until])?;
            let [kind, from_day, until_day, start, end, slot] = columns(
                &statement,
                ["kind", "from_day", "until_day", "start_minute", "end_minute", "slot_minutes"],
            )?;
            let mut rows = statement.raw_query();
            let mut exceptions = Vec::new();
            while let Some(row) = rows.next()? {
                exceptions.push(ExceptionRow {
                    kind: row.get(kind)?,
                    from_day: row.get(from_day)?,
                    until_day: row.get(until_day)?,
                    start_minute: row.get(start)?,
                    end_minute: row.get(end)?,
                    slot_minutes: row.get(slot)?,
                });
            }
            drop(rows);
            Ok((rules, exceptions, read_taken(c, specialist_id, booked.start, booked.end)?))
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
        queue.send(Job { booking, reply }).map_err(|_| StoreError::WriterStopped)?;
        answer.await.map_err(|_| StoreError::WriterStopped)?
    }

    fn start_writer(&self) -> Result<mpsc::Sender<Job>> {
        let mut connection = self.open(OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        // A booking touches a leaf of every index it inserts into, all over a large file: the
        // one writer keeps more of them than the default 2 MB.
        connection.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
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
            .map_err(|e| StoreError::Io(format!("cannot start the SQLite writer: {e}")))?;
        Ok(queue)
    }
}

/// How many bookings at most share one commit.
const MAX_BATCH: usize = 128;

/// Starts of the live bookings of a specialist in `[from, to)`.
fn read_taken(
    c: &Connection,
    specialist_id: i64,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<(i64, i64)>> {
    let mut statement = c.prepare_cached(TAKEN_TIMES)?;
    bind(&mut statement, &[&specialist_id, &from, &to])?;
    let [starts_at, ends_at] = columns(&statement, ["starts_at", "ends_at"])?;
    let mut rows = statement.raw_query();
    let mut times = Vec::new();
    while let Some(row) = rows.next()? {
        times.push((row.get(starts_at)?, row.get(ends_at)?));
    }
    Ok(times)
}

/// A booking waiting for the writer, and where to send its outcome.
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
            let outcome = complete(write_one_time(&mut FastConn(&savepoint), &job.booking));
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
                let _ = job.reply.send(Err(StoreError::from(&error).into()));
            }
        }
    }
}

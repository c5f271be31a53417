//! Kabinet's database: one [`Store`] over SQLite (embedded, the default) and PostgreSQL (the
//! path to scale). Every method is sized to a use case and runs its own transaction, together
//! with the audit and outbox rows of the change it makes. SQL is written once where the two
//! dialects agree; the [`dispatch!`] macro runs the same body against either pool, and the
//! statements many changes share are functions in [`sql`].

use std::str::FromStr;
use std::time::Duration;

use std::sync::Arc;

use free_time::FreeTimeChanges;
use sqlite_fast::FastSqlite;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod blocking;
pub mod booking;
pub mod calendar_feeds;
pub mod calls;
pub mod catalog;
pub mod catalog_admin;
pub mod change_requests;
pub mod consents;
pub mod discounts;
pub mod files;
mod free_time;
pub mod incidents;
pub mod messages;
pub mod outbox;
pub mod prices;
pub mod rates;
pub mod records;
pub mod registrar;
pub mod reminders;
pub mod representatives;
pub mod requests;
pub mod schedules;
pub mod second_factor;
pub mod seed;
pub mod sessions;
mod sql;
mod sqlite_fast;
pub mod staff;
pub mod statistics;
pub mod visits;
pub mod waitlist;

pub use audit::AuditEntry;
pub use free_time::{CatalogVersion, FreeTimeVersion};
pub use sql::{NewSecret, NullableText};

/// Runs `$body` with `$pool` bound to the reading pool of whichever backend the store has:
/// `dispatch!(self, |pool| body)`. The body is written once and compiled for each backend;
/// a `?` or `return` in it leaves the calling method, as it reads.
macro_rules! dispatch {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite { reader: $pool, .. } => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}

/// Like [`dispatch!`], with `$pool` bound to the writing pool: SQLite has exactly one writer
/// connection, so writes queue in the pool instead of fighting over the file lock.
macro_rules! dispatch_write {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite { writer: $pool, .. } => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}

pub(crate) use {dispatch, dispatch_write};

/// Errors of the database layer that callers may want to tell apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL names no backend we support.
    #[error("unsupported database URL (expected sqlite:// or postgres://): {0}")]
    UnsupportedUrl(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// SQLite was busy or locked past its timeout (the fast path).
    #[error("sqlite is busy: {0}")]
    Busy(String),
    /// A constraint refused the change (the fast path); `unique` for a unique index.
    #[error("constraint violated: {detail}")]
    Constraint {
        /// Whether it was a unique (or primary key) constraint.
        unique: bool,
        /// SQLite's message.
        detail: String,
    },
    /// The disk or the file failed (the fast path): full, unreadable, cannot open.
    #[error("sqlite i/o: {0}")]
    Io(String),
    /// Any other SQLite failure on the fast path.
    #[error("sqlite: {0}")]
    Sqlite(String),
    /// Asked of a backend or with a value it does not take.
    #[error("{0}")]
    Unsupported(&'static str),
    /// The SQLite writer thread is gone (the process is shutting down).
    #[error("the SQLite writer stopped")]
    WriterStopped,
    /// Stored data that cannot be read back (a bug or a hand edit).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

/// `instead` where a unique index refused the change, else the error itself.
pub(crate) fn unique_or<E: From<StoreError>>(error: impl Into<StoreError>, instead: E) -> E {
    let error = error.into();
    if error.is_unique_violation() { instead } else { E::from(error) }
}

impl StoreError {
    /// Whether a unique index refused the change, on either backend or path.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Self::Database(sqlx::Error::Database(e)) => e.is_unique_violation(),
            Self::Constraint { unique, .. } => *unique,
            _ => false,
        }
    }
}

/// Creates the SQLite file (and its folder) readable by this user only, unless it exists: the
/// database holds health data. SQLite gives the `-wal` and `-shm` files it makes later the
/// permissions of the database file, so they are private too.
fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// The result type of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The pools of the backend in use.
#[derive(Debug, Clone)]
enum Backend {
    Sqlite { writer: SqlitePool, reader: SqlitePool, fast: Arc<FastSqlite> },
    Postgres(PgPool),
}

/// The database, on either backend.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    /// Changes to specialists' free time, shared by the store's clones.
    free_time: Arc<FreeTimeChanges>,
}

/// Tuning of the connection pools.
#[derive(Debug, Clone, Copy)]
pub struct PoolSize {
    /// Connections for reading (SQLite) or for everything (PostgreSQL).
    pub connections: u32,
}

impl Default for PoolSize {
    fn default() -> Self {
        Self { connections: 8 }
    }
}

impl Store {
    /// Connects to `url`: `sqlite://path/to/file.db` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str, size: PoolSize) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url, size).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            Self::connect_postgres(options, size).await
        } else {
            Err(StoreError::UnsupportedUrl(url.split(':').next().unwrap_or_default().to_owned()))
        }
    }

    async fn connect_sqlite(url: &str, size: PoolSize) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // A booking the patient was told is saved must survive a power cut.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        create_private_file(options.get_filename())
            .map_err(|e| StoreError::Io(format!("{}: {e}", options.get_filename().display())))?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .connect_with(options.clone())
            .await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(size.connections)
            .connect_with(options.clone().read_only(true))
            .await?;
        let fast = Arc::new(FastSqlite::new(options.get_filename()));
        let backend = Backend::Sqlite { writer, reader, fast };
        Ok(Self { backend, free_time: Arc::default() })
    }

    /// Connects to PostgreSQL with prepared options (tests use them to pick a schema).
    pub async fn connect_postgres(options: PgConnectOptions, size: PoolSize) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(size.connections.max(2))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        let free_time = Arc::new(FreeTimeChanges::default());
        free_time.listen(&pool).await?;
        Ok(Self { backend: Backend::Postgres(pool), free_time })
    }

    /// Brings the schema up to date. Safe to run at every start and from several instances.
    /// A schema already up to date is only read, so a role that may not change the schema
    /// (the production application role on PostgreSQL) can start the portal.
    pub async fn migrate(&self) -> Result<()> {
        const APPLIED: &str =
            "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version";
        let migrator = self.migrator();
        // Up to date means every migration applied with its own text, not only the highest
        // (one added below the highest, or a changed one, must not be skipped).
        let known: Vec<(i64, Vec<u8>)> =
            migrator.iter().map(|m| (m.version, m.checksum.to_vec())).collect();
        let applied: Vec<(i64, Vec<u8>)> = dispatch!(self, |pool| sqlx::query_as(APPLIED)
            .fetch_all(pool)
            .await
            .unwrap_or_default());
        if applied == known {
            return Ok(());
        }
        match &self.backend {
            Backend::Sqlite { writer, .. } => migrator.run(writer).await?,
            Backend::Postgres(pool) => migrator.run(pool).await?,
        }
        self.backfill_document_hashes().await?;
        Ok(())
    }

    /// The newest schema version this binary knows for this backend.
    pub fn latest_schema_version(&self) -> Option<i64> {
        self.migrator().iter().map(|m| m.version).max()
    }

    /// This backend's migrations, built into the binary.
    fn migrator(&self) -> sqlx::migrate::Migrator {
        match &self.backend {
            Backend::Sqlite { .. } => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres(_) => sqlx::migrate!("migrations/postgres"),
        }
    }

    /// Which backend this is: `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Whether the database answers (for `/health`).
    pub async fn ping(&self) -> Result<()> {
        let _: i32 = dispatch!(self, |pool| sqlx::query_scalar("SELECT 1").fetch_one(pool).await?);
        Ok(())
    }

    /// Closes every connection (flushes SQLite's WAL on the way).
    pub async fn close(&self) {
        self.free_time.stop();
        match &self.backend {
            Backend::Sqlite { writer, reader, .. } => {
                reader.close().await;
                writer.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

//! Backups of the embedded database (O4): a consistent copy taken while the portal serves
//! (`VACUUM INTO` on a reading connection: a snapshot, and writers are not held up), the lock
//! that tells a running portal's database from a resting one, and the restore that checks a
//! copy — integrity, schema version, audit chain — before it replaces anything, keeping the
//! previous file aside. PostgreSQL is backed up with its own tools (`pg_dump`).

use std::path::{Path, PathBuf};

use crate::audit::ChainReport;
use crate::{Backend, Store, StoreError};

/// What the store says when asked to back up PostgreSQL.
pub const POSTGRES_BACKUP_HINT: &str = "kabinet backup copies the embedded SQLite database only; \
    back up PostgreSQL with pg_dump (pg_dump -Fc -f kabinet.dump DATABASE_URL), restore it with \
    pg_restore, then run `kabinet audit verify`";

/// The file of an `sqlite:` database URL; `None` for another backend or a bad URL.
pub fn sqlite_file_of(url: &str) -> Option<PathBuf> {
    if !url.starts_with("sqlite:") {
        return None;
    }
    let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(url).ok()?;
    Some(options.get_filename().to_owned())
}

/// The lock a running portal holds on its SQLite database: a `.lock` file beside it, locked
/// exclusively (an advisory lock the system drops when the process ends, however it ends).
#[derive(Debug)]
pub struct DatabaseLock {
    _file: std::fs::File,
    path: PathBuf,
}

impl DatabaseLock {
    /// Takes the lock of the database at `database`, or says who holds it.
    pub fn acquire(database: &Path) -> Result<Self, RestoreError> {
        let path = suffixed(database, ".lock");
        let file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| RestoreError::Io(format!("{}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file, path }),
            Err(std::fs::TryLockError::WouldBlock) => Err(RestoreError::InUse(database.to_owned())),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(RestoreError::Io(format!("{}: {e}", path.display())))
            }
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Why a restore refused or failed. Nothing was replaced unless it says so.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// A portal runs on the database (it holds the lock).
    #[error("a portal is running on {0} (it holds the lock file beside it)")]
    InUse(PathBuf),
    /// The copy is the database itself.
    #[error("{0} is the database itself, not a copy of it")]
    SameFile(PathBuf),
    /// The copy fails a check; the database was not touched.
    #[error("the copy is refused, nothing was replaced: {0}")]
    BadCopy(String),
    /// A file operation failed.
    #[error("{0}")]
    Io(String),
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The schema version of the copy (the one this binary knows).
    pub schema_version: i64,
    /// Rows in the copy's audit chain, which verifies.
    pub audit_rows: u64,
    /// Where the database that was replaced now lies, if there was one.
    pub previous: Option<PathBuf>,
}

/// The checks of a copy that passed.
#[derive(Debug, Clone)]
pub struct CopyReport {
    /// Its schema version.
    pub schema_version: i64,
    /// Rows in its audit chain.
    pub audit_rows: u64,
}

impl Store {
    /// The SQLite database's file, if this is SQLite.
    pub fn sqlite_file(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Sqlite { fast, .. } => Some(fast.path()),
            Backend::Postgres(_) => None,
        }
    }

    /// Writes a consistent copy of the SQLite database to `target` (which must not exist),
    /// readable by this user only, while the portal goes on serving. The copy appears under
    /// its name only once it is complete.
    pub async fn backup_into(&self, target: &Path) -> crate::Result<()> {
        let Backend::Sqlite { reader, .. } = &self.backend else {
            return Err(StoreError::Unsupported(POSTGRES_BACKUP_HINT));
        };
        if target.exists() {
            return Err(StoreError::Io(format!("{} exists already", target.display())));
        }
        let partial = suffixed(target, ".partial");
        let io = |e: std::io::Error| StoreError::Io(format!("{}: {e}", partial.display()));
        let _ = std::fs::remove_file(&partial);
        // VACUUM INTO writes into an empty file it finds: created here, private.
        private_options().write(true).create_new(true).open(&partial).map_err(io)?;
        let written = sqlx::query("VACUUM INTO $1")
            .bind(partial.to_string_lossy().into_owned())
            .execute(reader)
            .await;
        if let Err(error) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(error.into());
        }
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io)?;
        std::fs::rename(&partial, target).map_err(io)?;
        sync_dir(target);
        Ok(())
    }

    /// The schema version this database is at.
    pub async fn schema_version(&self) -> crate::Result<Option<i64>> {
        const APPLIED: &str = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";
        let version: Option<i64> =
            crate::dispatch!(self, |pool| sqlx::query_scalar(APPLIED).fetch_one(pool).await?);
        Ok(version)
    }

    /// Checks a database as a copy to restore: SQLite's integrity check, the schema version
    /// this binary knows, and the audit chain.
    pub async fn check_copy(&self) -> Result<CopyReport, RestoreError> {
        let bad = |e: StoreError| RestoreError::BadCopy(e.to_string());
        if let Backend::Sqlite { reader, .. } = &self.backend {
            let results: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(reader)
                .await
                .map_err(|e| bad(e.into()))?;
            if results != ["ok"] {
                return Err(RestoreError::BadCopy(format!(
                    "integrity check: {}",
                    results.join("; ")
                )));
            }
        }
        let version = self.schema_version().await.map_err(bad)?;
        let known = self.latest_schema_version();
        let Some(version) = version.filter(|v| Some(*v) == known) else {
            return Err(RestoreError::BadCopy(format!(
                "schema version {version:?}, this kabinet knows {known:?}"
            )));
        };
        match self.verify_audit_chain().await.map_err(bad)? {
            ChainReport::Intact { rows, .. } => {
                Ok(CopyReport { schema_version: version, audit_rows: rows })
            }
            ChainReport::Broken { id, reason } => {
                Err(RestoreError::BadCopy(format!("audit log broken at row {id}: {reason}")))
            }
        }
    }
}

/// Replaces the SQLite database at `database` with the copy at `copy`, once the copy passes
/// [`Store::check_copy`], and only while no portal runs on it. The previous database (with its
/// write-ahead log) is kept beside it as `<name>.before-restore-<unix time>`.
pub async fn restore_sqlite(copy: &Path, database: &Path) -> Result<Restored, RestoreError> {
    let io = |path: &Path, e: std::io::Error| RestoreError::Io(format!("{}: {e}", path.display()));
    if let (Ok(a), Ok(b)) = (copy.canonicalize(), database.canonicalize())
        && a == b
    {
        return Err(RestoreError::SameFile(copy.to_owned()));
    }
    if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    let lock = DatabaseLock::acquire(database)?;
    // The copy is checked as a staging file beside the database, never where it lies.
    let staging = suffixed(database, ".restoring");
    remove_sidecars(&staging);
    let _ = std::fs::remove_file(&staging);
    private_options().write(true).create_new(true).open(&staging).map_err(|e| io(&staging, e))?;
    std::fs::copy(copy, &staging).map_err(|e| io(copy, e))?;
    set_private(&staging).map_err(|e| io(&staging, e))?;
    let report = check_staging(&staging).await;
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            remove_sidecars(&staging);
            let _ = std::fs::remove_file(&staging);
            return Err(error);
        }
    };
    let previous = if database.exists() {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let aside = suffixed(database, &format!(".before-restore-{stamp}"));
        std::fs::rename(database, &aside).map_err(|e| io(database, e))?;
        let wal = suffixed(database, "-wal");
        if wal.exists() {
            std::fs::rename(&wal, suffixed(&aside, "-wal")).map_err(|e| io(&wal, e))?;
        }
        let _ = std::fs::remove_file(suffixed(database, "-shm"));
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&staging, database).map_err(|e| io(&staging, e))?;
    let staging_wal = suffixed(&staging, "-wal");
    if staging_wal.exists() {
        std::fs::rename(&staging_wal, suffixed(database, "-wal"))
            .map_err(|e| io(&staging_wal, e))?;
    }
    let _ = std::fs::remove_file(suffixed(&staging, "-shm"));
    sync_dir(database);
    drop(lock);
    Ok(Restored { schema_version: report.schema_version, audit_rows: report.audit_rows, previous })
}

/// Opens the staging copy (never migrating it) and checks it.
async fn check_staging(staging: &Path) -> Result<CopyReport, RestoreError> {
    let url = format!("sqlite://{}", staging.display());
    let store = Store::connect(&url, crate::PoolSize { connections: 1 })
        .await
        .map_err(|e| RestoreError::BadCopy(format!("cannot open it as a database: {e}")))?;
    let report = store.check_copy().await;
    store.close().await;
    report
}

/// Removes the `-wal` and `-shm` files of a database file that is being thrown away.
fn remove_sidecars(path: &Path) {
    let _ = std::fs::remove_file(suffixed(path, "-wal"));
    let _ = std::fs::remove_file(suffixed(path, "-shm"));
}

/// `path` with `suffix` added to its file name.
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Options that create a file readable by this user only.
fn private_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Makes a file readable by this user only (a copy takes the permissions of its source).
fn set_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Flushes the folder of `path`, so that a rename survives a power cut.
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
}

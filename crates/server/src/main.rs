//! `kabinet`: the patient portal server. `serve` (the default) runs the portal and its outbox
//! worker; `migrate` brings the database schema up to date; `demo` loads the demo clinic (or,
//! with `--large`, the benchmark clinic) into a new database; `staff` prints the one-time link
//! that creates the first administrator; `backup` and `restore` copy the SQLite database out
//! and back.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use kabinet_core::SystemClock;
use kabinet_service::Kabinet;
use kabinet_service::mail::Mailer;
use kabinet_store::audit::ChainReport;
use kabinet_store::{PoolSize, Store};
use tokio::sync::watch;
use tracing_subscriber::EnvFilter;

mod backups;
mod config;

/// mimalloc: under load glibc malloc's arena locks showed up as futex waits in the profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use config::Config;

/// How often the outbox worker looks for mail that is due.
const MAIL_INTERVAL: Duration = Duration::from_secs(5);
/// How often dead sessions and old failed sign-ins are deleted.
const SWEEP_INTERVAL: Duration = Duration::from_secs(600);
/// How often price lists whose day has come are applied (and once at start).
const PRICE_LIST_INTERVAL: Duration = Duration::from_secs(60);

/// Command line of `kabinet`.
#[derive(Debug, Parser)]
#[command(
    name = "kabinet",
    version,
    about = "Личный кабинет пациента — the patient portal of a clinic"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the portal (the default). A new database is migrated and gets the demo clinic.
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate {
        /// On PostgreSQL, also create (or update) this role for the portal to run as: it may
        /// only read and add to the audit log (the production set-up, see the README). Its
        /// password, if any, comes from KABINET_APP_ROLE_PASSWORD.
        #[arg(long)]
        app_role: Option<String>,
    },
    /// Load the demo clinic into a new (empty) database.
    Demo {
        /// Load the large benchmark clinic instead: 500 specialists, a million visits.
        #[arg(long)]
        large: bool,
    },
    /// Print a one-time link (valid 24 hours) that creates the first administrator. Refused
    /// once an administrator exists; a new link voids an unused older one.
    Staff,
    /// Write a consistent copy of the SQLite database to FILE (which must not exist), also
    /// while the portal serves. For PostgreSQL, use pg_dump (see the README).
    Backup {
        /// Where to write the copy.
        file: std::path::PathBuf,
    },
    /// Replace the SQLite database with the copy in FILE, once the copy passes its checks
    /// (integrity, schema version, audit chain). Refused while a portal runs on the database;
    /// the previous database is kept beside it as `<name>.before-restore-<time>`.
    Restore {
        /// The copy to restore.
        file: std::path::PathBuf,
    },
    /// Work with the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Walk the audit log's hash chain: print the number of rows and the last hash, or name
    /// the first row that was changed, deleted or inserted behind the portal's back (exit 1).
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.config.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("kabinet: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard output, filtered by `KABINET_LOG`: text, coloured only on a terminal, or
/// one JSON object per line for a log collector.
fn init_logs(format: config::LogFormat) {
    let filter = EnvFilter::try_from_env("KABINET_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        config::LogFormat::Text => logs.with_ansi(std::io::stdout().is_terminal()).init(),
        config::LogFormat::Json => logs.json().flatten_event(true).init(),
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn run(cli: Cli) -> Result<(), BoxError> {
    let config = cli.config;
    let settings = config.settings()?;
    if let Some(Command::Restore { file }) = &cli.command {
        // Before anything opens the database that is to be replaced.
        return restore(&config.database_url, file).await;
    }
    let store =
        Store::connect(&config.database_url, PoolSize { connections: config.db_connections })
            .await?;
    store.migrate().await?;
    let kabinet = Kabinet::new(store.clone(), Arc::new(SystemClock), settings);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate { app_role } => {
            tracing::info!(backend = store.backend_name(), "database is up to date");
            match app_role {
                Some(role) => {
                    let password = std::env::var("KABINET_APP_ROLE_PASSWORD").ok();
                    store.grant_app_role(&role, password.as_deref()).await?;
                    tracing::info!(
                        role,
                        "application role ready: the audit log is append-only for it"
                    );
                    Ok(())
                }
                None => Ok(()),
            }
        }
        Command::Demo { large } => load_demo(&store, &kabinet, large).await,
        Command::Serve => serve(&store, kabinet, &config).await,
        Command::Staff => print_bootstrap_link(&kabinet).await,
        Command::Audit { command: AuditCommand::Verify } => verify_audit(&store).await,
        Command::Backup { file } => backup(&store, &file).await,
        Command::Restore { .. } => Ok(()),
    };
    store.close().await;
    result
}

async fn load_demo(store: &Store, kabinet: &Kabinet, large: bool) -> Result<(), BoxError> {
    if store.has_catalog().await? {
        return Err(
            "the database already holds a clinic; the demo loads only into a new one".into()
        );
    }
    let summary =
        if large { kabinet.load_large(500, 1_000_000).await? } else { kabinet.load_demo().await? };
    tracing::info!(
        specialists = summary.specialists,
        visits = summary.visits,
        "demo clinic loaded"
    );
    Ok(())
}

async fn backup(store: &Store, file: &std::path::Path) -> Result<(), BoxError> {
    store.backup_into(file).await?;
    let bytes = std::fs::metadata(file).map_or(0, |m| m.len());
    println!("backup written: {} ({bytes} bytes)", file.display());
    Ok(())
}

async fn restore(database_url: &str, file: &std::path::Path) -> Result<(), BoxError> {
    let Some(database) = kabinet_store::backup::sqlite_file_of(database_url) else {
        return Err("kabinet restore replaces the embedded SQLite database only; restore \
            PostgreSQL with pg_restore, then run `kabinet audit verify`"
            .into());
    };
    let restored = kabinet_store::backup::restore_sqlite(file, &database).await?;
    println!(
        "restored {} into {}: schema version {}, audit chain of {} rows intact",
        file.display(),
        database.display(),
        restored.schema_version,
        restored.audit_rows
    );
    if let Some(previous) = restored.previous {
        println!("the previous database is kept as {}", previous.display());
    }
    Ok(())
}

async fn verify_audit(store: &Store) -> Result<(), BoxError> {
    match store.verify_audit_chain().await? {
        ChainReport::Intact { rows, first_id, head } => {
            println!("audit log intact: {rows} rows in the chain from row {first_id}");
            println!("last hash: {head}");
            Ok(())
        }
        ChainReport::Broken { id, reason } => {
            Err(format!("audit log broken at row {id}: {reason}").into())
        }
    }
}

async fn print_bootstrap_link(kabinet: &Kabinet) -> Result<(), BoxError> {
    match kabinet.issue_bootstrap().await {
        // The link is for the operator's eyes only: printed, never logged.
        Ok(url) => {
            println!("Open this link within 24 hours to create the first administrator:\n{url}");
            Ok(())
        }
        Err(kabinet_service::Error::Forbidden) => Err("an administrator exists already; \
            colleagues are added on the administrator's /staff/team page"
            .into()),
        Err(error) => Err(error.into()),
    }
}

async fn serve(store: &Store, kabinet: Kabinet, config: &Config) -> Result<(), BoxError> {
    // One portal per SQLite database: the lock also keeps `kabinet restore` away while it runs.
    let _lock = match store.sqlite_file() {
        Some(file) => Some(kabinet_store::backup::DatabaseLock::acquire(file)?),
        None => None,
    };
    let schedule = config.backup_schedule(store.backend_name())?;
    if !store.has_catalog().await? {
        load_demo(store, &kabinet, false).await?;
    }
    let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .map_err(|e| tracing::warn!("metrics disabled: {e}"))
        .ok();
    let mailer = config.mailer()?;
    tracing::info!(destination = %mailer.destination(), "mail goes out through the outbox");
    let app = kabinet_web::router(kabinet_web::AppState::new(kabinet.clone(), metrics));
    let listener = tokio::net::TcpListener::bind(&config.listen).await?;
    tracing::info!(address = %listener.local_addr()?, "Kabinet is listening");
    let (stop, stopped) = watch::channel(false);
    let worker = tokio::spawn(deliver_mail(kabinet, mailer, stopped.clone()));
    let backups = schedule.map(|schedule| {
        tracing::info!(
            dir = %schedule.dir.display(),
            every = ?schedule.every,
            keep = schedule.keep,
            "automatic backups"
        );
        tokio::spawn(backups::run(store.clone(), schedule, stopped))
    });
    let limits = config.connection_limits();
    tracing::info!(
        max_connections = limits.max_connections,
        header_timeout_s = limits.header_timeout.as_secs(),
        request_timeout_s = limits.request_timeout.as_secs(),
        "connection limits"
    );
    let served = kabinet_web::listener::serve(listener, app, limits, shutdown_signal()).await;
    // The worker finishes the pass it is in (the mail it holds is marked), then stops.
    let _ = stop.send(true);
    let _ = worker.await;
    if let Some(backups) = backups {
        let _ = backups.await;
    }
    served?;
    Ok(())
}

/// The outbox worker: a delivery pass every few seconds until `stop` changes. Mail written
/// while no instance runs waits in the database and goes out after the next start; several
/// instances on one PostgreSQL database each run one, and never send one message twice.
/// Before each pass it queues the reminders that fell due (each once, whichever instance
/// wins) and offers freed times to the waiting list (each time and place once); after it, writes
/// the page views noted for the statistics and deletes those past retention. Now and then it also sweeps dead sessions and old failed sign-ins away, and applies the
/// price lists whose day has come (at start too; each list once, whichever instance wins)
/// and ends the links of legal representatives whose dependents turned 18.
async fn deliver_mail(kabinet: Kabinet, mailer: Mailer, mut stop: watch::Receiver<bool>) {
    let mut last_sweep: Option<std::time::Instant> = None;
    let mut last_prices: Option<std::time::Instant> = None;
    loop {
        if last_prices.is_none_or(|at| at.elapsed() >= PRICE_LIST_INTERVAL) {
            last_prices = Some(std::time::Instant::now());
            match kabinet.apply_due_price_lists().await {
                Ok(0) => {}
                Ok(applied) => tracing::info!(applied, "price lists took effect"),
                Err(error) => tracing::warn!("applying price lists failed: {error}"),
            }
            // A minor's link stops working on the 18th birthday by itself (checked on every
            // read); this ends it for the record, audited, at the same pace.
            match kabinet.end_links_come_of_age().await {
                Ok(0) => {}
                Ok(ended) => tracing::info!(ended, "representatives' links ended at 18"),
                Err(error) => tracing::warn!("ending links at 18 failed: {error}"),
            }
        }
        match kabinet.offer_waitlist_times().await {
            Ok(0) => {}
            Ok(offered) => tracing::info!(offered, "waiting-list times held"),
            Err(error) => tracing::warn!("offering waiting-list times failed: {error}"),
        }
        match kabinet.queue_due_reminders().await {
            Ok(0) => {}
            Ok(queued) => tracing::info!(queued, "reminders queued"),
            Err(error) => tracing::warn!("queueing reminders failed: {error}"),
        }
        match kabinet.deliver_due(&mailer).await {
            Ok(0) => {}
            Ok(delivered) => tracing::debug!(delivered, "outbox pass"),
            Err(error) => tracing::warn!("outbox pass failed: {error}"),
        }
        match kabinet.flush_statistics().await {
            Ok(0) => {}
            Ok(written) => tracing::debug!(written, "page views written"),
            Err(error) => tracing::warn!("writing page views failed: {error}"),
        }
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_INTERVAL) {
            last_sweep = Some(std::time::Instant::now());
            match kabinet.sweep().await {
                Ok(swept) => tracing::debug!(swept, "sweep"),
                Err(error) => tracing::warn!("sweep failed: {error}"),
            }
        }
        tokio::select! {
            () = tokio::time::sleep(MAIL_INTERVAL) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

//! Test helpers: a fresh database on each backend — SQLite always, PostgreSQL when
//! `KABINET_TEST_POSTGRES_URL` is set (CI sets it) — each test in its own file or schema; and
//! [`SmtpSink`], a real SMTP server on loopback that keeps the mail it receives.

use std::path::PathBuf;
use std::str::FromStr;

use kabinet_store::{PoolSize, Store};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor};

mod smtp;

pub use smtp::{ReceivedMail, SmtpSink, python};

/// The variable that names the PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "KABINET_TEST_POSTGRES_URL";

/// A migrated, empty database that cleans up its SQLite file when dropped.
#[derive(Debug)]
pub struct TestDb {
    /// The store over it.
    pub store: Store,
    /// The SQLite directory, or the PostgreSQL schema.
    location: Location,
}

#[derive(Debug)]
enum Location {
    Sqlite(PathBuf),
    Postgres { url: String, schema: String },
}

fn unique_name() -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no randomness: {e}"));
    hex::encode(bytes)
}

impl TestDb {
    /// A fresh SQLite database in a temporary directory.
    pub async fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("kabinet-test-{}", unique_name()));
        let url = format!("sqlite://{}", dir.join("kabinet.db").display());
        let store = Store::connect(&url, PoolSize::default())
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        store.migrate().await.unwrap_or_else(|e| panic!("cannot migrate SQLite: {e}"));
        Self { store, location: Location::Sqlite(dir) }
    }

    /// A fresh schema on the test PostgreSQL server, if one is configured.
    pub async fn postgres() -> Option<Self> {
        let url = std::env::var(POSTGRES_URL_VAR).ok().filter(|u| !u.is_empty())?;
        let schema = format!("t_{}", unique_name());
        let mut admin = sqlx::PgConnection::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_URL_VAR} is set but PostgreSQL refuses: {e}"));
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .await
            .unwrap_or_else(|e| panic!("cannot create schema {schema}: {e}"));
        let store = Self::connect_schema(&url, &schema, 16).await;
        store.migrate().await.unwrap_or_else(|e| panic!("cannot migrate PostgreSQL: {e}"));
        Some(Self { store, location: Location::Postgres { url, schema } })
    }

    async fn connect_schema(url: &str, schema: &str, connections: u32) -> Store {
        let options = PgConnectOptions::from_str(url)
            .unwrap_or_else(|e| panic!("bad {POSTGRES_URL_VAR}: {e}"))
            .options([("search_path", schema)]);
        Store::connect_postgres(options, PoolSize { connections })
            .await
            .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL: {e}"))
    }

    /// A fresh database on every configured backend: SQLite, then PostgreSQL if set.
    pub async fn each_backend() -> Vec<Self> {
        let mut dbs = vec![Self::sqlite().await];
        dbs.extend(Self::postgres().await);
        dbs
    }

    /// Another store on the same database with its own pool: a second server instance.
    pub async fn second_instance(&self) -> Store {
        match &self.location {
            Location::Sqlite(dir) => {
                let url = format!("sqlite://{}", dir.join("kabinet.db").display());
                Store::connect(&url, PoolSize::default())
                    .await
                    .unwrap_or_else(|e| panic!("cannot open {url}: {e}"))
            }
            Location::Postgres { url, schema } => Self::connect_schema(url, schema, 16).await,
        }
    }

    /// Runs `sql` (one or more statements) straight on the database as its owner, past the
    /// store: what someone with direct access to the database could do. For tests that
    /// tamper with what the store guards.
    pub async fn raw_sql(&self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match &self.location {
            Location::Sqlite(dir) => {
                let url = format!("sqlite://{}", dir.join("kabinet.db").display());
                let mut connection = sqlx::SqliteConnection::connect(&url).await?;
                sqlx::raw_sql(sql).execute(&mut connection).await?;
            }
            Location::Postgres { url, schema } => {
                let mut connection = sqlx::PgConnection::connect(url).await?;
                let path = sqlx::AssertSqlSafe(format!("SET search_path TO {schema}"));
                sqlx::raw_sql(path).execute(&mut connection).await?;
                sqlx::raw_sql(sql).execute(&mut connection).await?;
            }
        }
        Ok(())
    }

    /// On PostgreSQL, a store and a raw connection to this test's schema as another role
    /// (the test server trusts local connections, so no password is needed).
    pub async fn postgres_as(&self, role: &str) -> Option<(Store, sqlx::PgConnection)> {
        let Location::Postgres { url, schema } = &self.location else { return None };
        let options = PgConnectOptions::from_str(url)
            .unwrap_or_else(|e| panic!("bad {POSTGRES_URL_VAR}: {e}"))
            .username(role)
            .options([("search_path", schema.as_str())]);
        let store = Store::connect_postgres(options.clone(), PoolSize { connections: 2 })
            .await
            .unwrap_or_else(|e| panic!("cannot connect as {role}: {e}"));
        let connection = sqlx::PgConnection::connect_with(&options)
            .await
            .unwrap_or_else(|e| panic!("cannot connect as {role}: {e}"));
        Some((store, connection))
    }

    /// `sqlite` or `postgres`, for assertion messages.
    pub fn backend(&self) -> &'static str {
        self.store.backend_name()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // PostgreSQL schemas are dropped with the whole test database by the test command.
        if let Location::Sqlite(dir) = &self.location {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

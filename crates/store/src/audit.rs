//! The audit log (G6): one row per access to or change of personal data and per security
//! event, written inside the transaction of what it describes ([`crate::sql::insert_audit`]),
//! and chained: each row carries the SHA-256 of the previous row's hash and its own content,
//! so that an edited, deleted or inserted row shows ([`crate::Store::verify_audit_chain`]).

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, AuditResult, ObjectKind};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::sql::insert_audit;
use crate::{Backend, Result, Store, StoreError, dispatch, dispatch_write};

/// One audited event. Details hold ids and codes, never personal data itself.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// When, Unix seconds.
    pub at: i64,
    /// Who.
    pub actor: Actor,
    /// What happened.
    pub action: AuditAction,
    /// What kind of object.
    pub object_kind: ObjectKind,
    /// Which object.
    pub object_id: Option<i64>,
    /// Whose personal data it touches (the subject).
    pub patient_id: Option<i64>,
    /// From where: the client's address and the request's id.
    pub origin: Origin,
    /// Whether it happened or was refused.
    pub result: AuditResult,
    /// Anything else worth keeping, as JSON.
    pub details: serde_json::Value,
}

impl AuditEntry {
    /// A successful `action` of `actor` on an object at `at`, with no subject, origin or
    /// details yet.
    pub fn new(
        at: i64,
        actor: Actor,
        action: AuditAction,
        object_kind: ObjectKind,
        object_id: Option<i64>,
    ) -> Self {
        Self {
            at,
            actor,
            action,
            object_kind,
            object_id,
            patient_id: None,
            origin: Origin::default(),
            result: AuditResult::Success,
            details: json!({}),
        }
    }

    /// Whose personal data it touches.
    pub fn patient(mut self, patient_id: impl Into<Option<i64>>) -> Self {
        self.patient_id = patient_id.into();
        self
    }

    /// From where.
    pub fn origin(mut self, origin: &Origin) -> Self {
        self.origin = origin.clone();
        self
    }

    /// Ids and codes worth keeping.
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }

    /// The attempt was refused.
    pub fn refused(mut self) -> Self {
        self.result = AuditResult::Failure;
        self
    }
}

/// One audit row as stored, with its place in the chain.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    /// Sequence number: the chain's order.
    pub id: i64,
    /// When, Unix seconds.
    pub at: i64,
    /// Who: a visitor, a patient, staff, the system.
    #[sqlx(try_from = "String")]
    pub actor_kind: kabinet_core::access::ActorKind,
    /// The actor's id.
    pub actor_id: Option<i64>,
    /// What happened.
    #[sqlx(try_from = "String")]
    pub action: AuditAction,
    /// What kind of object.
    #[sqlx(try_from = "String")]
    pub object_kind: ObjectKind,
    /// Which object.
    pub object_id: Option<i64>,
    /// Whose personal data.
    pub patient_id: Option<i64>,
    /// From where.
    pub ip: Option<String>,
    /// The request's id.
    pub request_id: Option<String>,
    /// Whether it happened.
    #[sqlx(try_from = "String")]
    pub result: AuditResult,
    /// Details, JSON.
    pub details: String,
    /// The previous row's hash.
    pub prev_hash: Option<String>,
    /// This row's hash.
    pub hash: Option<String>,
}

impl AuditRow {
    /// The row an entry becomes at `id`, after the row whose hash is `prev_hash`, with its
    /// own hash.
    pub(crate) fn chained(id: i64, e: &AuditEntry, prev_hash: Option<String>) -> Self {
        // Whatever a representative does for a dependent says so in the row itself (A8).
        let details = match (e.actor, &e.details) {
            (Actor::Representative { dependent, .. }, serde_json::Value::Object(map)) => {
                let mut map = map.clone();
                map.insert("on_behalf_of".to_owned(), json!(dependent));
                serde_json::Value::Object(map)
            }
            _ => e.details.clone(),
        };
        let mut row = Self {
            id,
            at: e.at,
            actor_kind: e.actor.kind(),
            actor_id: e.actor.id(),
            action: e.action,
            object_kind: e.object_kind,
            object_id: e.object_id,
            patient_id: e.patient_id,
            ip: e.origin.ip.clone(),
            request_id: e.origin.request_id.clone(),
            result: e.result,
            details: details.to_string(),
            prev_hash,
            hash: None,
        };
        row.hash = Some(row.chain_hash());
        row
    }

    /// SHA-256, hex, over the previous row's hash and this row's content as one JSON array:
    /// a canonical form, with no separator to forge.
    fn chain_hash(&self) -> String {
        let content = json!([
            self.id,
            self.at,
            self.actor_kind.as_str(),
            self.actor_id,
            self.action.as_str(),
            self.object_kind.as_str(),
            self.object_id,
            self.patient_id,
            self.ip,
            self.request_id,
            self.result.as_str(),
            self.details,
            self.prev_hash.as_deref().unwrap_or(""),
        ]);
        Sha256::digest(content.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Why this row does not continue a chain that expects row `expected_id` after the
    /// hash `prev`.
    fn break_in_chain(&self, expected_id: i64, prev: &str) -> Option<String> {
        if self.id != expected_id {
            return Some(format!("row {expected_id} is missing (the next row is {})", self.id));
        }
        if self.prev_hash.as_deref().unwrap_or("") != prev {
            return Some("it does not follow the row before it (prev_hash)".to_owned());
        }
        if self.hash.as_deref() != Some(self.chain_hash().as_str()) {
            return Some("its content was changed (hash)".to_owned());
        }
        None
    }
}

/// What [`Store::verify_audit_chain`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainReport {
    /// Every chained row is intact: how many, and the last hash (worth writing down
    /// somewhere else: a later verify proves that nothing before it changed).
    Intact {
        /// Chained rows checked.
        rows: u64,
        /// The first row of the chain (older rows predate it).
        first_id: i64,
        /// The hash of the last row.
        head: String,
    },
    /// The first row where the chain breaks, and why.
    Broken {
        /// The row's id (or where a row is missing).
        id: i64,
        /// What is wrong.
        reason: String,
    },
}

/// The columns of an [`AuditRow`], for `concat!` with a `WHERE`.
macro_rules! audit_select {
    () => {
        "SELECT id, at, actor_kind, actor_id, action, object_kind, object_id, patient_id, ip, \
         request_id, result, details, prev_hash, hash FROM audit_log"
    };
}
pub(crate) use audit_select;

impl Store {
    /// Records an access that changes nothing (a member of staff opening a patient's record,
    /// a refused sign-in): one audit row on its own.
    pub async fn record_access(&self, entry: &AuditEntry) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_audit(&mut tx, entry).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Walks the whole chain, in pages, and names the first row that does not fit: a row
    /// whose content no longer gives its hash, a missing row, or a row that does not follow
    /// the one before it; and checks that the chain's head points at its last row.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport> {
        const HEAD: &str = "SELECT first_id, last_id, last_hash FROM audit_chain WHERE id = 1";
        const PAGE: &str = concat!(audit_select!(), " WHERE id > $1 ORDER BY id LIMIT $2");
        const PAGE_ROWS: i64 = 5_000;
        let (first_id, last_id, last_hash): (i64, i64, Option<String>) =
            dispatch!(self, |pool| sqlx::query_as(HEAD).fetch_one(pool).await?);
        let mut next_id = first_id;
        let mut prev = String::new();
        loop {
            let rows: Vec<AuditRow> = dispatch!(self, |pool| {
                sqlx::query_as(PAGE).bind(next_id - 1).bind(PAGE_ROWS).fetch_all(pool).await?
            });
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                if let Some(reason) = row.break_in_chain(next_id, &prev) {
                    return Ok(ChainReport::Broken { id: next_id, reason });
                }
                prev = row.hash.clone().unwrap_or_default();
                next_id += 1;
            }
        }
        let chained = next_id > first_id;
        if next_id - 1 != last_id || (chained && last_hash.as_deref() != Some(prev.as_str())) {
            let reason = format!(
                "the chain's head names row {last_id}; the log ends at row {}",
                next_id - 1
            );
            return Ok(ChainReport::Broken { id: next_id.min(last_id + 1), reason });
        }
        let rows = u64::try_from(next_id - first_id).unwrap_or(0);
        Ok(ChainReport::Intact { rows, first_id, head: prev })
    }
}

impl From<kabinet_core::stored::UnknownText> for StoreError {
    fn from(error: kabinet_core::stored::UnknownText) -> Self {
        Self::Corrupt(error.to_string())
    }
}

/// Which audit rows to read, newest first: every condition that is set must hold.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// About this patient.
    pub patient_id: Option<i64>,
    /// By this kind of actor (and this one, with `actor_id`).
    pub actor_kind: Option<kabinet_core::access::ActorKind>,
    /// By this actor.
    pub actor_id: Option<i64>,
    /// This action.
    pub action: Option<AuditAction>,
    /// At or after, Unix seconds.
    pub from: Option<i64>,
    /// Before, Unix seconds.
    pub until: Option<i64>,
    /// Rows older than this one (the next page).
    pub before_id: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

impl Store {
    /// Audit rows matching `filter`, newest first.
    pub async fn audit_log(&self, f: &AuditFilter) -> Result<Vec<AuditRow>> {
        const SQL: &str = concat!(
            audit_select!(),
            " WHERE ($1 IS NULL OR patient_id = $1) AND ($2 IS NULL OR actor_kind = $2) \
             AND ($3 IS NULL OR actor_id = $3) AND ($4 IS NULL OR action = $4) \
             AND ($5 IS NULL OR at >= $5) AND ($6 IS NULL OR at < $6) \
             AND ($7 IS NULL OR id < $7) ORDER BY id DESC LIMIT $8"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(f.patient_id)
            .bind(f.actor_kind.map(|k| k.as_str()))
            .bind(f.actor_id)
            .bind(f.action.map(|a| a.as_str()))
            .bind(f.from)
            .bind(f.until)
            .bind(f.before_id)
            .bind(f.limit)
            .fetch_all(pool)
            .await?))
    }
}

/// A PostgreSQL role name as `kabinet migrate --app-role` takes it: plain lower-case words.
fn valid_role_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
}

impl Store {
    /// Creates (or updates) the PostgreSQL role the portal should run as in production: it may
    /// read and write every table of the schema, but only read and add to the audit log —
    /// no UPDATE, DELETE or TRUNCATE there, whatever the triggers — and only move the chain's
    /// head forward. The owner that runs `kabinet migrate` keeps every right.
    pub async fn grant_app_role(&self, role: &str, password: Option<&str>) -> Result<()> {
        let Backend::Postgres(pool) = &self.backend else {
            return Err(StoreError::Unsupported("an application role needs PostgreSQL"));
        };
        if !valid_role_name(role) {
            return Err(StoreError::Unsupported("a role name is lower-case letters, digits and _"));
        }
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
                .bind(role)
                .fetch_one(pool)
                .await?;
        let login = match password {
            Some(p) => format!("LOGIN PASSWORD '{}'", p.replace('\'', "''")),
            None => "LOGIN".to_owned(),
        };
        let schema: String = sqlx::query_scalar("SELECT current_schema()").fetch_one(pool).await?;
        let schema = format!("\"{}\"", schema.replace('"', "\"\""));
        let verb = if exists { "ALTER" } else { "CREATE" };
        let statements = [
            format!("{verb} ROLE {role} {login}"),
            format!("GRANT USAGE ON SCHEMA {schema} TO {role}"),
            format!(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}"
            ),
            format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}"),
            format!("REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.audit_log FROM {role}"),
            format!("REVOKE DELETE, TRUNCATE ON {schema}.audit_chain FROM {role}"),
        ];
        let mut tx = pool.begin().await?;
        for statement in statements {
            sqlx::raw_sql(sqlx::AssertSqlSafe(statement)).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_changes_with_every_column_and_the_previous_hash() {
        let entry = AuditEntry::new(
            1,
            Actor::Staff(7),
            AuditAction::PatientView,
            ObjectKind::Patient,
            Some(3),
        )
        .patient(3);
        let base = AuditRow::chained(10, &entry, None);
        assert_eq!(base.hash.as_ref().map(String::len), Some(64));
        assert_eq!(base.break_in_chain(10, ""), None);
        let other = |row: AuditRow| row.hash != base.hash;
        assert!(other(AuditRow::chained(11, &entry, None)));
        assert!(other(AuditRow::chained(10, &entry, Some("ab".into()))));
        assert!(other(AuditRow::chained(10, &entry.clone().details(json!({"x": 1})), None)));
        assert!(other(AuditRow::chained(10, &entry.clone().refused(), None)));
        let mut edited = base.clone();
        edited.ip = Some("10.0.0.1".into());
        assert!(edited.break_in_chain(10, "").is_some());
    }
}

//! The consent ledger as the patient sees and changes it (G1), and the versions of the
//! documents consents refer to (O2): publishing ahead of time, the old texts, and the
//! acceptance a version may require.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::consent::{Channel, ConsentKind, DocumentKind, RecordedAs};
use kabinet_core::lang::{Lang, Localized};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::catalog::Document;
use crate::sql::{NewConsent, insert_audit, insert_consent};
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// One row of a patient's ledger.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    /// Id.
    pub id: i64,
    /// What it covers.
    #[sqlx(try_from = "String")]
    pub kind: ConsentKind,
    /// The document it refers to.
    #[sqlx(try_from = "String")]
    pub document_kind: DocumentKind,
    /// The document's version.
    pub document_version: i32,
    /// SHA-256 of that version's text (hex).
    pub document_hash: Option<String>,
    /// Online or on paper.
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    /// Who entered it.
    #[sqlx(try_from = "String")]
    pub recorded_as: RecordedAs,
    /// The member of staff who entered it, if one did.
    pub recorded_by: Option<i64>,
    /// From where.
    pub ip: Option<String>,
    /// When, Unix seconds.
    pub given_at: i64,
    /// When withdrawn, if it was.
    pub withdrawn_at: Option<i64>,
}

/// A version of a document, as the list of versions shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentVersion {
    /// Which document.
    #[sqlx(try_from = "String")]
    pub kind: DocumentKind,
    /// Its number.
    pub version: i32,
    /// Its Russian title.
    pub title: String,
    /// When it was published, Unix seconds.
    pub published_at: i64,
    /// When it takes (took) effect, Unix seconds.
    pub effective_at: i64,
    /// Whether patients must accept it at their next sign-in.
    pub requires_acceptance: bool,
    /// SHA-256 of its text.
    pub hash: Option<String>,
}

/// A new version to publish.
#[derive(Debug, Clone)]
pub struct NewDocumentVersion<'a> {
    /// Which document.
    pub kind: DocumentKind,
    /// Title and text in Russian.
    pub text: (&'a str, &'a str),
    /// Title and text in English, if written.
    pub english: Option<(&'a str, &'a str)>,
    /// When it takes effect, Unix seconds.
    pub effective_at: i64,
    /// Whether patients must accept it.
    pub requires_acceptance: bool,
    /// The cabinet message every patient with an account gets: subject and body.
    pub notice: Option<(String, String)>,
}

/// The hash a version's text is cited by: SHA-256 of its Russian body, hex.
pub fn document_hash(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// The consent that records acceptance of a document's version.
pub fn acceptance_kind(kind: DocumentKind) -> ConsentKind {
    match kind {
        DocumentKind::Rules => ConsentKind::Rules,
        DocumentKind::Privacy => ConsentKind::PersonalData,
    }
}

#[derive(sqlx::FromRow)]
struct VersionTextRow {
    #[sqlx(try_from = "String")]
    kind: DocumentKind,
    version: i32,
    title: String,
    title_en: Option<String>,
    body: String,
    body_en: Option<String>,
    published_at: i64,
}

impl Store {
    /// A patient's ledger, newest first.
    pub async fn consent_ledger(&self, patient_id: i64) -> Result<Vec<LedgerRow>> {
        const SQL: &str = "SELECT id, kind, document_kind, document_version, document_hash, \
            channel, recorded_as, recorded_by, ip, given_at, withdrawn_at FROM consents \
            WHERE patient_id = $1 ORDER BY given_at DESC, id DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// Gives a patient's consent of `kind` online under `give` (document and version), or
    /// withdraws every one of that kind in force; each row given or withdrawn is audited in
    /// the same transaction. Returns whether anything changed (nothing when it already stands
    /// so).
    pub async fn set_consent(
        &self,
        patient_id: i64,
        kind: ConsentKind,
        give: Option<(DocumentKind, i32)>,
        actor: Actor,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        const IN_FORCE: &str = "SELECT id FROM consents \
            WHERE patient_id = $1 AND kind = $2 AND withdrawn_at IS NULL";
        const WITHDRAW: &str = "UPDATE consents SET withdrawn_at = $2 WHERE id = $1";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let in_force: Vec<i64> = sqlx::query_scalar(IN_FORCE)
                .bind(patient_id)
                .bind(kind.as_str())
                .fetch_all(&mut *tx)
                .await?;
            let changed = match give {
                Some(document) if in_force.is_empty() => {
                    let consent = NewConsent {
                        patient_id: Some(patient_id),
                        visitor_ref: None,
                        kind,
                        document,
                        channel: Channel::Online,
                        origin,
                        recorded_by: None,
                        now,
                    };
                    insert_consent(&mut tx, &consent, actor).await?;
                    true
                }
                Some(_) => false,
                None => {
                    for &id in &in_force {
                        sqlx::query(WITHDRAW).bind(id).bind(now).execute(&mut *tx).await?;
                        let entry = AuditEntry::new(
                            now,
                            actor,
                            AuditAction::ConsentWithdraw,
                            ObjectKind::Consent,
                            Some(id),
                        )
                        .patient(Some(patient_id))
                        .origin(origin)
                        .details(json!({"kind": kind}));
                        insert_audit(&mut tx, &entry).await?;
                    }
                    !in_force.is_empty()
                }
            };
            tx.commit().await?;
            Ok(changed)
        })
    }

    /// Withdraws a visitor's consents of `kind` in force (a browser without an account, by
    /// its reference), each audited.
    pub async fn withdraw_visitor_consent(
        &self,
        visitor_ref: &str,
        kind: ConsentKind,
        origin: &Origin,
        now: i64,
    ) -> Result<()> {
        const IN_FORCE: &str = "SELECT id FROM consents \
            WHERE visitor_ref = $1 AND kind = $2 AND withdrawn_at IS NULL";
        const WITHDRAW: &str = "UPDATE consents SET withdrawn_at = $2 WHERE id = $1";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let in_force: Vec<i64> = sqlx::query_scalar(IN_FORCE)
                .bind(visitor_ref)
                .bind(kind.as_str())
                .fetch_all(&mut *tx)
                .await?;
            for id in in_force {
                sqlx::query(WITHDRAW).bind(id).bind(now).execute(&mut *tx).await?;
                let entry = AuditEntry::new(
                    now,
                    Actor::Visitor,
                    AuditAction::ConsentWithdraw,
                    ObjectKind::Consent,
                    Some(id),
                )
                .origin(origin)
                .details(json!({"kind": kind}));
                insert_audit(&mut tx, &entry).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Fills the hash of document versions written before hashes were kept (SQLite cannot
    /// compute SHA-256 in a migration), and the hash cited by consents given under them.
    pub async fn backfill_document_hashes(&self) -> Result<()> {
        const MISSING: &str = "SELECT id, body FROM documents WHERE hash IS NULL";
        const SET: &str = "UPDATE documents SET hash = $1 WHERE id = $2";
        const CITE: &str = "UPDATE consents SET document_hash = (SELECT d.hash FROM documents d \
            WHERE d.kind = consents.document_kind AND d.version = consents.document_version) \
            WHERE document_hash IS NULL";
        dispatch_write!(self, |pool| {
            let missing: Vec<(i64, String)> = sqlx::query_as(MISSING).fetch_all(pool).await?;
            let mut tx = pool.begin().await?;
            for (id, body) in &missing {
                sqlx::query(SET).bind(document_hash(body)).bind(id).execute(&mut *tx).await?;
            }
            sqlx::query(CITE).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every version of a document, newest first.
    pub async fn document_versions(&self, kind: DocumentKind) -> Result<Vec<DocumentVersion>> {
        const SQL: &str = "SELECT kind, version, title, published_at, effective_at, \
            requires_acceptance, hash FROM documents WHERE kind = $1 ORDER BY version DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(kind.as_str()).fetch_all(pool).await?))
    }

    /// One version of a document, to read in `lang`, if it was published.
    pub async fn document_text(
        &self,
        kind: DocumentKind,
        version: i32,
        lang: Lang,
    ) -> Result<Option<Document>> {
        const SQL: &str = "SELECT kind, version, title, title_en, body, body_en, effective_at \
            AS published_at FROM documents WHERE kind = $1 AND version = $2";
        let row: Option<VersionTextRow> = dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(kind.as_str())
            .bind(version)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|d| Document {
            kind: d.kind,
            version: d.version,
            title: Localized::pick(lang, d.title, d.title_en),
            body: Localized::pick(lang, d.body, d.body_en),
            published_at: d.published_at,
        }))
    }

    /// Publishes a version of a document taking effect at `effective_at`, with its hash,
    /// and, if asked, a cabinet message to every patient with an account, written by two
    /// set-based statements (never a round trip per patient). Returns the version number;
    /// `audit` gets the kind, number and effective time as its details.
    pub async fn publish_document_version(
        &self,
        v: &NewDocumentVersion<'_>,
        audit: AuditEntry,
    ) -> Result<i32> {
        const SQL: &str = "INSERT INTO documents (kind, version, title, title_en, body, \
            body_en, published_at, effective_at, requires_acceptance, hash) \
            SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9 \
            FROM documents WHERE kind = $1 RETURNING version";
        const THREADS: &str = "INSERT INTO message_threads (patient_id, subject, started_by, \
            created_at, last_message_at) SELECT patient_id, $1, 'clinic', $2, $2 FROM accounts";
        const MESSAGES: &str = "INSERT INTO messages (patient_id, thread_id, subject, body, \
            author, created_at) SELECT t.patient_id, t.id, t.subject, $3, 'clinic', $2 \
            FROM message_threads t WHERE t.created_at = $2 AND t.subject = $1 \
            AND t.started_by = 'clinic' \
            AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id)";
        let (title, body) = v.text;
        let (title_en, body_en) = v.english.unzip();
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let version: i32 = sqlx::query_scalar(SQL)
                .bind(v.kind.as_str())
                .bind(title)
                .bind(title_en)
                .bind(body)
                .bind(body_en)
                .bind(audit.at)
                .bind(v.effective_at)
                .bind(v.requires_acceptance)
                .bind(document_hash(body))
                .fetch_one(&mut *tx)
                .await?;
            if let Some((subject, text)) = &v.notice {
                sqlx::query(THREADS).bind(subject).bind(audit.at).execute(&mut *tx).await?;
                sqlx::query(MESSAGES)
                    .bind(subject)
                    .bind(audit.at)
                    .bind(text)
                    .execute(&mut *tx)
                    .await?;
            }
            let audit = audit.details(json!({
                "kind": v.kind,
                "version": version,
                "effective_at": v.effective_at,
                "requires_acceptance": v.requires_acceptance,
            }));
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(version)
        })
    }

    /// The version in force at `now` that requires acceptance and that the patient has not
    /// accepted (no consent of its kind under that version or a later one), if any: the
    /// rules first.
    pub async fn pending_acceptance(
        &self,
        patient_id: i64,
        now: i64,
    ) -> Result<Option<(DocumentKind, i32)>> {
        const SQL: &str = "SELECT d.version FROM documents d WHERE d.kind = $1 \
            AND d.effective_at <= $2 AND d.requires_acceptance \
            AND d.version = (SELECT MAX(x.version) FROM documents x \
                WHERE x.kind = $1 AND x.effective_at <= $2) \
            AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = $3 AND c.kind = $4 \
                AND c.document_kind = $1 AND c.document_version >= d.version)";
        for kind in [DocumentKind::Rules, DocumentKind::Privacy] {
            let version: Option<i32> = dispatch!(self, |pool| sqlx::query_scalar(SQL)
                .bind(kind.as_str())
                .bind(now)
                .bind(patient_id)
                .bind(acceptance_kind(kind).as_str())
                .fetch_optional(pool)
                .await?);
            if let Some(version) = version {
                return Ok(Some((kind, version)));
            }
        }
        Ok(None)
    }

    /// Records a patient's acceptance of a document's version in the ledger (online, by the
    /// patient), audited.
    pub async fn accept_document(
        &self,
        patient_id: i64,
        (kind, version): (DocumentKind, i32),
        origin: &Origin,
        now: i64,
    ) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let consent = NewConsent {
                patient_id: Some(patient_id),
                visitor_ref: None,
                kind: acceptance_kind(kind),
                document: (kind, version),
                channel: Channel::Online,
                origin,
                recorded_by: None,
                now,
            };
            insert_consent(&mut tx, &consent, Actor::Patient(patient_id)).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

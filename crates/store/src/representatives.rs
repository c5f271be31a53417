//! Legal representatives (A8): links between a representative's patient record (one with an
//! account) and a dependent's, made and ended by the registrar, and which dependent a
//! session acts for. Every change is audited in its transaction; the document's number is
//! kept whole here and never written to the audit log.

use kabinet_core::access::{AccessLevel, Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::patient::PatientData;
use kabinet_core::representative::{IdDocumentKind, RepresentativeBasis};
use serde_json::json;

use crate::sql::{insert_audit, insert_patient};
use crate::{AuditEntry, Result, Store, StoreError, dispatch, dispatch_write};

/// A link as the card, the cabinet and the session read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RepresentativeLink {
    /// The link's id.
    pub id: i64,
    /// The representative's patient id.
    pub representative_id: i64,
    /// «Фамилия Имя Отчество» of the representative.
    pub representative_name: String,
    /// The dependent's patient id.
    pub dependent_id: i64,
    /// «Фамилия Имя Отчество» of the dependent.
    pub dependent_name: String,
    /// The dependent's date of birth, `YYYY-MM-DD`.
    pub dependent_birth_date: String,
    /// On what grounds.
    #[sqlx(try_from = "String")]
    pub basis: RepresentativeBasis,
    /// The document checked.
    #[sqlx(try_from = "String")]
    pub document_kind: IdDocumentKind,
    /// Its number, whole: show it masked only.
    pub document_number: String,
    /// When it was made, Unix seconds.
    pub created_at: i64,
    /// When it ended.
    pub ended_at: Option<i64>,
    /// Why it ended.
    pub end_reason: Option<String>,
}

macro_rules! link_select {
    () => {
        "SELECT l.id, l.representative_id, \
         TRIM(r.last_name || ' ' || r.first_name || ' ' || r.middle_name) AS representative_name, \
         l.dependent_id, \
         TRIM(d.last_name || ' ' || d.first_name || ' ' || d.middle_name) AS dependent_name, \
         d.birth_date AS dependent_birth_date, l.basis, l.document_kind, l.document_number, \
         l.created_at, l.ended_at, l.end_reason \
         FROM representative_links l JOIN patients r ON r.id = l.representative_id \
         JOIN patients d ON d.id = l.dependent_id"
    };
}

/// One thing a representative did for a dependent, from the audit log.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DoneOnBehalf {
    /// When, Unix seconds.
    pub at: i64,
    /// What.
    #[sqlx(try_from = "String")]
    pub action: AuditAction,
    /// The representative's full name.
    pub representative_name: String,
}

/// Whose record a new link is for.
#[derive(Debug, Clone)]
pub enum Dependent {
    /// A patient the clinic knows.
    Existing(i64),
    /// A new record made on the spot (a young child): no e-mail, confirmed in person.
    New(PatientData),
}

/// A link the registrar makes after checking the documents.
#[derive(Debug, Clone)]
pub struct NewLink {
    /// The representative's patient id (a patient with an account).
    pub representative_id: i64,
    /// The dependent.
    pub dependent: Dependent,
    /// On what grounds.
    pub basis: RepresentativeBasis,
    /// The document checked.
    pub document_kind: IdDocumentKind,
    /// Its number.
    pub document_number: String,
    /// The registrar.
    pub staff_id: i64,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Why a link was not made.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// A live link between the two exists already.
    #[error("already linked")]
    AlreadyLinked,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LinkError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

impl Store {
    /// Makes a link (and the dependent's record, if new), audited. Returns the link's id and
    /// the dependent's patient id.
    pub async fn link_representative(&self, l: &NewLink) -> Result<(i64, i64), LinkError> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let actor = Actor::Staff(l.staff_id);
            let dependent_id = match &l.dependent {
                Dependent::Existing(id) => *id,
                Dependent::New(p) => {
                    let id =
                        insert_patient(&mut tx, p, AccessLevel::Confirmed, None, l.now).await?;
                    let entry = AuditEntry::new(
                        l.now,
                        actor,
                        AuditAction::PatientCreate,
                        ObjectKind::Patient,
                        Some(id),
                    )
                    .patient(id)
                    .origin(&l.origin)
                    .details(json!({"representative_id": l.representative_id}));
                    insert_audit(&mut tx, &entry).await?;
                    id
                }
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO representative_links (representative_id, dependent_id, basis, \
                 document_kind, document_number, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(l.representative_id)
            .bind(dependent_id)
            .bind(l.basis.as_str())
            .bind(l.document_kind.as_str())
            .bind(&l.document_number)
            .bind(l.now)
            .bind(l.staff_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| crate::unique_or(e, LinkError::AlreadyLinked))?;
            // The kind of document and the basis; the number stays in the link's row.
            let entry = AuditEntry::new(
                l.now,
                actor,
                AuditAction::RepresentativeLink,
                ObjectKind::RepresentativeLink,
                Some(id),
            )
            .patient(dependent_id)
            .origin(&l.origin)
            .details(json!({
                "representative_id": l.representative_id,
                "basis": l.basis.as_str(),
                "document_kind": l.document_kind.as_str(),
            }));
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok((id, dependent_id))
        })
    }

    /// Ends a live link of `dependent_id`, audited: by the registrar (`staff_id`) with a
    /// reason, or by the system when the dependent came of age. Sessions acting for the
    /// dependent through it go back to the representative's own cabinet. `false` if there is
    /// no such live link.
    pub async fn end_representative_link(
        &self,
        link_id: i64,
        dependent_id: i64,
        staff_id: Option<i64>,
        reason: &str,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let representative: Option<i64> = sqlx::query_scalar(
                "UPDATE representative_links SET ended_at = $1, ended_by = $2, end_reason = $3 \
                 WHERE id = $4 AND dependent_id = $5 AND ended_at IS NULL \
                 RETURNING representative_id",
            )
            .bind(now)
            .bind(staff_id)
            .bind(reason)
            .bind(link_id)
            .bind(dependent_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(representative) = representative else { return Ok(false) };
            sqlx::query(
                "UPDATE sessions SET acting_patient_id = NULL WHERE acting_patient_id = $1 \
                 AND account_id IN (SELECT id FROM accounts WHERE patient_id = $2)",
            )
            .bind(dependent_id)
            .bind(representative)
            .execute(&mut *tx)
            .await?;
            let actor = staff_id.map_or(Actor::System, Actor::Staff);
            let entry = AuditEntry::new(
                now,
                actor,
                AuditAction::RepresentativeUnlink,
                ObjectKind::RepresentativeLink,
                Some(link_id),
            )
            .patient(dependent_id)
            .origin(origin)
            .details(json!({
                "representative_id": representative,
                "by_age": staff_id.is_none(),
            }));
            insert_audit(&mut tx, &entry).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Every link of a dependent, live first, newest first.
    pub async fn links_of_dependent(&self, dependent_id: i64) -> Result<Vec<RepresentativeLink>> {
        const SQL: &str = concat!(
            link_select!(),
            " WHERE l.dependent_id = $1 ORDER BY (l.ended_at IS NULL) DESC, l.created_at DESC, \
             l.id DESC"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(dependent_id).fetch_all(pool).await?))
    }

    /// The links a representative holds that have not been ended (the service still checks
    /// the dependent's age), by the dependent's name.
    pub async fn links_of_representative(
        &self,
        representative_id: i64,
    ) -> Result<Vec<RepresentativeLink>> {
        const SQL: &str = concat!(
            link_select!(),
            " WHERE l.representative_id = $1 AND l.ended_at IS NULL \
             ORDER BY d.last_name, d.first_name, l.id"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(representative_id)
            .fetch_all(pool)
            .await?))
    }

    /// The link, not ended, between a representative and a dependent.
    pub async fn open_link(
        &self,
        representative_id: i64,
        dependent_id: i64,
    ) -> Result<Option<RepresentativeLink>> {
        const SQL: &str = concat!(
            link_select!(),
            " WHERE l.representative_id = $1 AND l.dependent_id = $2 AND l.ended_at IS NULL"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(representative_id)
            .bind(dependent_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Links of minors that are not ended though the dependent was born on or before
    /// `born_by` (`YYYY-MM-DD`: 18 years before today), for the worker to end.
    pub async fn links_come_of_age(&self, born_by: &str) -> Result<Vec<RepresentativeLink>> {
        const SQL: &str = concat!(
            link_select!(),
            " WHERE l.ended_at IS NULL AND l.basis <> 'incapacity_guardian' \
             AND d.birth_date <= $1 ORDER BY l.id"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(born_by).fetch_all(pool).await?))
    }

    /// Makes a session act for `acting` (a dependent) or, with `None`, for its own patient
    /// again, audited.
    pub async fn set_acting_patient(
        &self,
        token_hash: &str,
        acting: Option<i64>,
        entry: &AuditEntry,
    ) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE sessions SET acting_patient_id = $1 WHERE token_hash = $2")
                .bind(acting)
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
            insert_audit(&mut tx, entry).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// What representatives did for a dependent (rows whose subject is the dependent and
    /// whose actor is another patient), newest first, at most 50.
    pub async fn done_on_behalf_of(&self, dependent_id: i64) -> Result<Vec<DoneOnBehalf>> {
        const SQL: &str = "SELECT a.at, a.action, \
            TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) \
            AS representative_name FROM audit_log a JOIN patients p ON p.id = a.actor_id \
            WHERE a.patient_id = $1 AND a.actor_kind = 'patient' AND a.actor_id <> $1 \
            ORDER BY a.id DESC LIMIT 50";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(dependent_id).fetch_all(pool).await?))
    }
}

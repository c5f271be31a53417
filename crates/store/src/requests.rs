//! A patient's requests to the clinic: subject requests under 152-FZ (G8) with their due
//! dates, written requests and complaints (K6) with their attachments, the disclosure
//! register (G3), the production calendar the administrator uploaded, and what the copy of a
//! patient's data reads. Every change is one transaction with its audit rows and, where the
//! patient is told, the cabinet message and the neutral letter.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::requests::{
    AppealCategory, AppealStatus, DisclosureBasis, RequestKind, RequestStatus, WithdrawableConsent,
};
use serde_json::json;

use crate::files::{NewFile, insert_file};
use crate::messages::Notice;
use crate::sql::{insert_audit, insert_audits, insert_notice};
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// A subject request, with its patient's name for staff.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubjectRequest {
    /// Its id.
    pub id: i64,
    /// Whose.
    pub patient_id: i64,
    /// The patient's full name.
    pub patient_name: String,
    /// What it asks for.
    #[sqlx(try_from = "String")]
    pub kind: RequestKind,
    /// The patient's words.
    pub text: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: RequestStatus,
    /// The day it was received, YYYY-MM-DD in the clinic's zone.
    pub received_on: String,
    /// The last day of the period, YYYY-MM-DD.
    pub due_on: String,
    /// The consent withdrawn with it.
    #[sqlx(try_from = "crate::NullableText")]
    pub withdrawn_consent: Option<WithdrawableConsent>,
    /// Why the period was extended.
    pub extension_reason: Option<String>,
    /// The clinic's answer, or why it refused.
    pub answer: Option<String>,
    /// When received, Unix seconds.
    pub created_at: i64,
    /// When answered or refused.
    pub closed_at: Option<i64>,
}

/// A subject request to file.
#[derive(Debug, Clone)]
pub struct NewSubjectRequest {
    /// Whose.
    pub patient_id: i64,
    /// What it asks for.
    pub kind: RequestKind,
    /// The patient's words.
    pub text: String,
    /// The day received.
    pub received_on: String,
    /// The due date.
    pub due_on: String,
    /// The consent to withdraw with it, in the same transaction.
    pub withdraw: Option<WithdrawableConsent>,
    /// Who files it.
    pub actor: Actor,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// What staff do with a subject request.
#[derive(Debug, Clone)]
pub struct RequestStep {
    /// Which request.
    pub id: i64,
    /// The new status: answered, refused or extended.
    pub status: RequestStatus,
    /// The answer or the refusal's reason (answered, refused).
    pub answer: Option<String>,
    /// The extension's reason and the new due date (extended).
    pub extension: Option<(String, String)>,
    /// What tells the patient.
    pub notice: Notice,
    /// The member of staff.
    pub staff_id: i64,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

macro_rules! request_select {
    () => {
        "SELECT r.id, r.patient_id, \
         TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) AS patient_name, \
         r.kind, r.text, r.status, r.received_on, r.due_on, r.withdrawn_consent, \
         r.extension_reason, r.answer, r.created_at, r.closed_at \
         FROM subject_requests r JOIN patients p ON p.id = r.patient_id"
    };
}

/// A written request or complaint.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Appeal {
    /// Its id.
    pub id: i64,
    /// Whose.
    pub patient_id: i64,
    /// The patient's full name.
    pub patient_name: String,
    /// What about.
    #[sqlx(try_from = "String")]
    pub category: AppealCategory,
    /// The patient's words.
    pub text: String,
    /// The tax certificate's year and taxpayer, a JSON object (`{}` for other categories).
    pub details: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: AppealStatus,
    /// The last day to answer, YYYY-MM-DD.
    pub due_on: String,
    /// The clinic's answer.
    pub answer: Option<String>,
    /// When filed, Unix seconds.
    pub created_at: i64,
    /// When answered.
    pub answered_at: Option<i64>,
}

macro_rules! appeal_select {
    () => {
        "SELECT a.id, a.patient_id, \
         TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) AS patient_name, \
         a.category, a.text, a.details, a.status, a.due_on, a.answer, a.created_at, \
         a.answered_at FROM appeals a JOIN patients p ON p.id = a.patient_id"
    };
}

/// A written request to file, with its attachments.
#[derive(Debug, Clone)]
pub struct NewAppeal {
    /// Whose.
    pub patient_id: i64,
    /// What about.
    pub category: AppealCategory,
    /// The words.
    pub text: String,
    /// The tax certificate's details, JSON.
    pub details: String,
    /// The due date.
    pub due_on: String,
    /// Attachments.
    pub files: Vec<NewFile>,
    /// Who files it.
    pub actor: Actor,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// The clinic's answer to a written request.
#[derive(Debug, Clone)]
pub struct AppealAnswer {
    /// Which.
    pub id: i64,
    /// The answer.
    pub answer: String,
    /// An attachment to it.
    pub file: Option<NewFile>,
    /// What tells the patient.
    pub notice: Notice,
    /// The member of staff.
    pub staff_id: i64,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// A disclosure of a patient's data (G3).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Disclosure {
    /// Its id.
    pub id: i64,
    /// Whose data.
    pub patient_id: i64,
    /// To whom.
    pub recipient: String,
    /// What was given.
    pub data_given: String,
    /// On what legal basis.
    #[sqlx(try_from = "String")]
    pub basis: DisclosureBasis,
    /// The basis in words, for `other` (or a detail of another).
    pub basis_text: String,
    /// When, YYYY-MM-DD.
    pub disclosed_on: String,
    /// The request's or the consent's reference.
    pub document_ref: String,
    /// The member of staff who recorded it.
    pub recorded_by_name: String,
    /// When recorded, Unix seconds.
    pub created_at: i64,
}

/// A disclosure to record.
#[derive(Debug, Clone)]
pub struct NewDisclosure {
    /// Whose data.
    pub patient_id: i64,
    /// To whom.
    pub recipient: String,
    /// What was given.
    pub data_given: String,
    /// The basis.
    pub basis: DisclosureBasis,
    /// Its words.
    pub basis_text: String,
    /// When, YYYY-MM-DD.
    pub disclosed_on: String,
    /// The document's reference.
    pub document_ref: String,
    /// The member of staff.
    pub staff_id: i64,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// An audit row about a patient as the copy of their data shows it: who (staff by role and
/// name) did what, when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccessRow {
    /// When, Unix seconds.
    pub at: i64,
    /// Who: `visitor`, `patient`, `staff`, `system`.
    pub actor_kind: String,
    /// What.
    #[sqlx(try_from = "String")]
    pub action: AuditAction,
    /// The member of staff's name.
    pub staff_name: Option<String>,
    /// Their role.
    pub staff_role: Option<String>,
}

/// A visit as the copy of a patient's data lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportVisit {
    /// Its id.
    pub id: i64,
    /// Start, Unix seconds.
    pub starts_at: i64,
    /// End.
    pub ends_at: i64,
    /// `booked` or `cancelled`.
    pub status: String,
    /// What happened, if marked.
    pub outcome: Option<String>,
    /// The specialist's full name.
    pub specialist: String,
    /// The service's name.
    pub service: Option<String>,
}

/// A message as the copy lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportMessage {
    /// The thread's subject.
    pub subject: String,
    /// `clinic` or `patient`.
    pub author: String,
    /// The text.
    pub body: String,
    /// When, Unix seconds.
    pub created_at: i64,
}

impl Store {
    /// Files a subject request, withdrawing a consent with it where asked; all audited in one
    /// transaction. Returns its id.
    pub async fn file_subject_request(&self, r: &NewSubjectRequest) -> Result<i64> {
        const INSERT: &str = "INSERT INTO subject_requests (patient_id, kind, text, received_on, \
            due_on, withdrawn_consent, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
            RETURNING id";
        const WITHDRAW: &str = "UPDATE consents SET withdrawn_at = $1 WHERE patient_id = $2 \
            AND kind = $3 AND withdrawn_at IS NULL RETURNING id";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(r.patient_id)
                .bind(r.kind.as_str())
                .bind(&r.text)
                .bind(&r.received_on)
                .bind(&r.due_on)
                .bind(r.withdraw.map(|w| w.as_str()))
                .bind(r.now)
                .fetch_one(&mut *tx)
                .await?;
            let mut audits = Vec::new();
            if let Some(consent) = r.withdraw {
                let ids: Vec<i64> = sqlx::query_scalar(WITHDRAW)
                    .bind(r.now)
                    .bind(r.patient_id)
                    .bind(consent.as_str())
                    .fetch_all(&mut *tx)
                    .await?;
                for consent_id in ids {
                    audits.push(
                        AuditEntry::new(
                            r.now,
                            r.actor,
                            AuditAction::ConsentWithdraw,
                            ObjectKind::Consent,
                            Some(consent_id),
                        )
                        .patient(r.patient_id)
                        .origin(&r.origin)
                        .details(json!({"kind": consent, "subject_request_id": id})),
                    );
                }
            }
            audits.push(
                AuditEntry::new(
                    r.now,
                    r.actor,
                    AuditAction::SubjectRequestCreate,
                    ObjectKind::SubjectRequest,
                    Some(id),
                )
                .patient(r.patient_id)
                .origin(&r.origin)
                .details(json!({"kind": r.kind, "due_on": r.due_on, "withdraw": r.withdraw})),
            );
            insert_audits(&mut tx, &audits).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A patient's subject requests, newest first.
    pub async fn subject_requests_of(&self, patient_id: i64) -> Result<Vec<SubjectRequest>> {
        const SQL: &str = concat!(
            request_select!(),
            " WHERE r.patient_id = $1 ORDER BY r.created_at DESC, r.id DESC"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// One subject request; with `patient_id`, only if it is theirs.
    pub async fn subject_request(
        &self,
        id: i64,
        patient_id: Option<i64>,
    ) -> Result<Option<SubjectRequest>> {
        const SQL: &str =
            concat!(request_select!(), " WHERE r.id = $1 AND ($2 IS NULL OR r.patient_id = $2)");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(id)
            .bind(patient_id)
            .fetch_optional(pool)
            .await?))
    }

    /// The staff queue: open requests (or closed ones), by due date.
    pub async fn subject_request_queue(&self, open: bool) -> Result<Vec<SubjectRequest>> {
        const OPEN: &str = concat!(
            request_select!(),
            " WHERE r.status IN ('new', 'in_progress', 'extended') ORDER BY r.due_on, r.id"
        );
        const CLOSED: &str = concat!(
            request_select!(),
            " WHERE r.status IN ('answered', 'refused') ORDER BY r.closed_at DESC, r.id DESC \
             LIMIT 200"
        );
        let sql = if open { OPEN } else { CLOSED };
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
    }

    /// Records that a member of staff opened a request (audited), and marks a new one in
    /// progress.
    pub async fn open_subject_request(
        &self,
        id: i64,
        patient_id: i64,
        staff_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<()> {
        const SQL: &str = "UPDATE subject_requests SET status = 'in_progress' WHERE id = $1 \
            AND status = 'new'";
        let audit = AuditEntry::new(
            now,
            Actor::Staff(staff_id),
            AuditAction::SubjectRequestView,
            ObjectKind::SubjectRequest,
            Some(id),
        );
        self.mark_opened(SQL, id, audit.patient(patient_id).origin(origin)).await
    }

    /// Answers, refuses or extends a request, telling the patient, audited. `false` when the
    /// request is no longer open (or, for an extension, was extended already).
    pub async fn step_subject_request(&self, s: &RequestStep) -> Result<bool> {
        const CLOSE: &str = "UPDATE subject_requests SET status = $1, answer = $2, \
            closed_at = $3, closed_by = $4 WHERE id = $5 \
            AND status IN ('new', 'in_progress', 'extended') RETURNING patient_id";
        const EXTEND: &str = "UPDATE subject_requests SET status = 'extended', \
            extension_reason = $1, due_on = $2 WHERE id = $3 AND kind = 'access' \
            AND status IN ('new', 'in_progress') AND extension_reason IS NULL \
            RETURNING patient_id";
        let action = match s.status {
            RequestStatus::Extended => AuditAction::SubjectRequestExtend,
            RequestStatus::Refused => AuditAction::SubjectRequestRefuse,
            _ => AuditAction::SubjectRequestAnswer,
        };
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let patient: Option<i64> = match &s.extension {
                Some((reason, due)) => {
                    sqlx::query_scalar(EXTEND)
                        .bind(reason)
                        .bind(due)
                        .bind(s.id)
                        .fetch_optional(&mut *tx)
                        .await?
                }
                None => {
                    sqlx::query_scalar(CLOSE)
                        .bind(s.status.as_str())
                        .bind(&s.answer)
                        .bind(s.now)
                        .bind(s.staff_id)
                        .bind(s.id)
                        .fetch_optional(&mut *tx)
                        .await?
                }
            };
            let Some(patient_id) = patient else { return Ok(false) };
            insert_notice(&mut tx, patient_id, &s.notice, s.now).await?;
            let details = json!({
                "status": s.status,
                "due_on": s.extension.as_ref().map(|(_, due)| due),
            });
            let audit = AuditEntry::new(
                s.now,
                Actor::Staff(s.staff_id),
                action,
                ObjectKind::SubjectRequest,
                Some(s.id),
            )
            .patient(patient_id)
            .origin(&s.origin)
            .details(details);
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Files a written request with its attachments, audited. Returns its id.
    pub async fn file_appeal(&self, a: &NewAppeal) -> Result<i64> {
        const INSERT: &str = "INSERT INTO appeals (patient_id, category, text, details, due_on, \
            created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(a.patient_id)
                .bind(a.category.as_str())
                .bind(&a.text)
                .bind(&a.details)
                .bind(&a.due_on)
                .bind(a.now)
                .fetch_one(&mut *tx)
                .await?;
            for file in &a.files {
                insert_file(&mut tx, file, (a.patient_id, "appeal", id), false, a.now).await?;
            }
            let audit = AuditEntry::new(
                a.now,
                a.actor,
                AuditAction::AppealCreate,
                ObjectKind::Appeal,
                Some(id),
            )
            .patient(a.patient_id)
            .origin(&a.origin)
            .details(json!({"category": a.category, "files": a.files.len()}));
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A patient's written requests, newest first.
    pub async fn appeals_of(&self, patient_id: i64) -> Result<Vec<Appeal>> {
        const SQL: &str = concat!(
            appeal_select!(),
            " WHERE a.patient_id = $1 ORDER BY a.created_at DESC, a.id DESC"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// One written request; with `patient_id`, only if it is theirs.
    pub async fn appeal(&self, id: i64, patient_id: Option<i64>) -> Result<Option<Appeal>> {
        const SQL: &str =
            concat!(appeal_select!(), " WHERE a.id = $1 AND ($2 IS NULL OR a.patient_id = $2)");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(id)
            .bind(patient_id)
            .fetch_optional(pool)
            .await?))
    }

    /// The staff queue of written requests: open (or answered), by due date.
    pub async fn appeal_queue(&self, open: bool) -> Result<Vec<Appeal>> {
        const OPEN: &str = concat!(
            appeal_select!(),
            " WHERE a.status IN ('new', 'in_progress') ORDER BY a.due_on, a.id"
        );
        const CLOSED: &str = concat!(
            appeal_select!(),
            " WHERE a.status = 'answered' ORDER BY a.answered_at DESC, a.id DESC LIMIT 200"
        );
        let sql = if open { OPEN } else { CLOSED };
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
    }

    /// Records that a member of staff opened a written request (audited); a new one is then
    /// in progress.
    pub async fn open_appeal(
        &self,
        id: i64,
        patient_id: i64,
        staff_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<()> {
        const SQL: &str =
            "UPDATE appeals SET status = 'in_progress' WHERE id = $1 AND status = 'new'";
        let audit = AuditEntry::new(
            now,
            Actor::Staff(staff_id),
            AuditAction::AppealView,
            ObjectKind::Appeal,
            Some(id),
        );
        self.mark_opened(SQL, id, audit.patient(patient_id).origin(origin)).await
    }

    /// Marks a new request or written request in progress (`sql`, binding its id) and writes
    /// the staff member's view to the audit log, in one transaction.
    async fn mark_opened(&self, sql: &'static str, id: i64, audit: AuditEntry) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Answers a written request, with an optional attachment, telling the patient; audited.
    /// `false` when it was answered already.
    pub async fn answer_appeal(&self, a: &AppealAnswer) -> Result<bool> {
        const SQL: &str = "UPDATE appeals SET status = 'answered', answer = $1, answered_at = $2, \
            answered_by = $3 WHERE id = $4 AND status IN ('new', 'in_progress') \
            RETURNING patient_id";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let patient: Option<i64> = sqlx::query_scalar(SQL)
                .bind(&a.answer)
                .bind(a.now)
                .bind(a.staff_id)
                .bind(a.id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(patient_id) = patient else { return Ok(false) };
            if let Some(file) = &a.file {
                insert_file(&mut tx, file, (patient_id, "appeal", a.id), true, a.now).await?;
            }
            insert_notice(&mut tx, patient_id, &a.notice, a.now).await?;
            let audit = AuditEntry::new(
                a.now,
                Actor::Staff(a.staff_id),
                AuditAction::AppealAnswer,
                ObjectKind::Appeal,
                Some(a.id),
            )
            .patient(patient_id)
            .origin(&a.origin)
            .details(json!({"file": a.file.is_some()}));
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Records a disclosure, audited. Returns its id.
    pub async fn record_disclosure(&self, d: &NewDisclosure) -> Result<i64> {
        const SQL: &str = "INSERT INTO disclosures (patient_id, recipient, data_given, basis, \
            basis_text, disclosed_on, document_ref, recorded_by, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(SQL)
                .bind(d.patient_id)
                .bind(&d.recipient)
                .bind(&d.data_given)
                .bind(d.basis.as_str())
                .bind(&d.basis_text)
                .bind(&d.disclosed_on)
                .bind(&d.document_ref)
                .bind(d.staff_id)
                .bind(d.now)
                .fetch_one(&mut *tx)
                .await?;
            let audit = AuditEntry::new(
                d.now,
                Actor::Staff(d.staff_id),
                AuditAction::DisclosureCreate,
                ObjectKind::Disclosure,
                Some(id),
            )
            .patient(d.patient_id)
            .origin(&d.origin)
            .details(json!({"basis": d.basis, "disclosed_on": d.disclosed_on}));
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A patient's disclosures, newest first.
    pub async fn disclosures_of(&self, patient_id: i64) -> Result<Vec<Disclosure>> {
        const SQL: &str = "SELECT d.id, d.patient_id, d.recipient, d.data_given, d.basis, \
            d.basis_text, d.disclosed_on, d.document_ref, s.full_name AS recorded_by_name, \
            d.created_at FROM disclosures d JOIN staff s ON s.id = d.recorded_by \
            WHERE d.patient_id = $1 ORDER BY d.disclosed_on DESC, d.id DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// The days of the uploaded production calendar (`YYYY-MM-DD`, kind), in order.
    pub async fn uploaded_calendar(&self) -> Result<Vec<(String, String)>> {
        const SQL: &str = "SELECT day, kind FROM calendar_days ORDER BY day";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).fetch_all(pool).await?))
    }

    /// Replaces the uploaded calendar's days of the years `years` with `days`, audited.
    pub async fn upload_calendar(
        &self,
        years: &[i16],
        days: &[(String, &'static str)],
        staff_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<()> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for year in years {
                sqlx::query("DELETE FROM calendar_days WHERE day >= $1 AND day <= $2")
                    .bind(format!("{year:04}-01-01"))
                    .bind(format!("{year:04}-12-31"))
                    .execute(&mut *tx)
                    .await?;
            }
            for (day, kind) in days {
                sqlx::query(
                    "INSERT INTO calendar_days (day, kind, uploaded_at) VALUES ($1, $2, $3)",
                )
                .bind(day)
                .bind(*kind)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let audit = AuditEntry::new(
                now,
                Actor::Staff(staff_id),
                AuditAction::CalendarUpload,
                ObjectKind::ProductionCalendar,
                None,
            )
            .origin(origin)
            .details(json!({"years": years, "days": days.len()}));
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The audit rows about a patient, newest first, with staff named (the copy of their data).
    pub async fn accesses_to(&self, patient_id: i64) -> Result<Vec<AccessRow>> {
        const SQL: &str = "SELECT a.at, a.actor_kind, a.action, s.full_name AS staff_name, \
            s.role AS staff_role FROM audit_log a \
            LEFT JOIN staff s ON a.actor_kind = 'staff' AND s.id = a.actor_id \
            WHERE a.patient_id = $1 ORDER BY a.id DESC LIMIT 1000";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// A patient's visits with the specialist's and the service's names, newest first.
    pub async fn visits_for_export(&self, patient_id: i64) -> Result<Vec<ExportVisit>> {
        const SQL: &str = "SELECT a.id, a.starts_at, a.ends_at, a.status, a.outcome, \
            TRIM(s.last_name || ' ' || s.first_name || ' ' || s.middle_name) AS specialist, \
            sv.name AS service FROM appointments a JOIN specialists s ON s.id = a.specialist_id \
            LEFT JOIN services sv ON sv.id = a.service_id \
            WHERE a.patient_id = $1 ORDER BY a.starts_at DESC, a.id DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// Every message between the clinic and a patient, oldest first.
    pub async fn messages_for_export(&self, patient_id: i64) -> Result<Vec<ExportMessage>> {
        const SQL: &str = "SELECT t.subject, m.author, m.body, m.created_at \
            FROM messages m JOIN message_threads t ON t.id = m.thread_id \
            WHERE t.patient_id = $1 ORDER BY m.created_at, m.id";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// Audits a read of the copy of a patient's data.
    pub async fn audit_export(
        &self,
        patient_id: i64,
        actor: Actor,
        origin: &Origin,
        now: i64,
    ) -> Result<()> {
        let entry = AuditEntry::new(
            now,
            actor,
            AuditAction::DataExportView,
            ObjectKind::Patient,
            Some(patient_id),
        )
        .patient(patient_id)
        .origin(origin);
        self.record_access(&entry).await
    }

    /// Records that a member of staff downloaded a patient's file.
    pub async fn audit_file_view(
        &self,
        name: &str,
        patient_id: i64,
        staff_id: i64,
        origin: &Origin,
        now: i64,
    ) -> Result<()> {
        let entry = AuditEntry::new(
            now,
            Actor::Staff(staff_id),
            AuditAction::FileView,
            ObjectKind::StoredFile,
            None,
        )
        .patient(patient_id)
        .origin(origin)
        .details(json!({"name": name}));
        self.record_access(&entry).await
    }
}

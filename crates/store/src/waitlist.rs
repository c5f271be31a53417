//! The fair waiting list (B8): patients in line for a specialist, and the free times offered
//! to them and held while they decide.
//!
//! A held time is a row of `waitlist_offers` with status `open`. It counts as taken for
//! everyone but its patient: in the booking transaction's check ([`crate::sql::time_taken`])
//! and in the taken times the free time is computed from. Making, expiring and releasing a
//! hold each count a change of the specialist's free time, as a booking does. The offer, its
//! letter and its cabinet message are written in one transaction; the partial unique indexes
//! (one open offer per time, one per entry) make that happen once across instances.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::waitlist::WaitlistStatus;
use serde_json::json;

use crate::messages::Notice;
use crate::sql::{Conn, insert_audit, insert_notice, time_taken};
use crate::visits::NewVisit;
use crate::{AuditEntry, Backend, Result, Store, StoreError, dispatch, dispatch_write};

/// A place in the waiting list, with its open offer, if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitlistEntry {
    /// The entry's id.
    pub id: i64,
    /// Whose.
    pub patient_id: i64,
    /// The patient's full name (for staff).
    pub patient_name: String,
    /// For which specialist.
    pub specialist_id: i64,
    /// The specialist's full name.
    pub specialist_name: String,
    /// For which service, if the patient chose one.
    pub service_id: Option<i64>,
    /// Its name.
    pub service_name: Option<String>,
    /// Its name in English, where written.
    pub service_name_en: Option<String>,
    /// The first day the patient can come, YYYY-MM-DD.
    pub from_day: String,
    /// The last day, YYYY-MM-DD.
    pub to_day: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: WaitlistStatus,
    /// When the patient joined: the order of the line. Unix seconds.
    pub created_at: i64,
    /// The open offer, if a time is held for the entry now.
    pub offer_id: Option<i64>,
    /// The held time's start, Unix seconds.
    pub offer_starts_at: Option<i64>,
    /// The held time's end.
    pub offer_ends_at: Option<i64>,
    /// Until when it is held.
    pub offer_expires_at: Option<i64>,
}

/// An entry in line, as the offer pass needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InLine {
    /// The entry.
    pub id: i64,
    /// Whose.
    pub patient_id: i64,
    /// The patient's access level.
    pub access_level: String,
    /// The patient's login: where the offer's letter goes.
    pub login: Option<String>,
    /// The service asked for.
    pub service_id: Option<i64>,
    /// The days, YYYY-MM-DD.
    pub from_day: String,
    /// The last day.
    pub to_day: String,
}

/// A patient joining the line.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// Who.
    pub patient_id: i64,
    /// For which specialist.
    pub specialist_id: i64,
    /// For which service.
    pub service_id: Option<i64>,
    /// The first day, YYYY-MM-DD.
    pub from_day: String,
    /// The last day.
    pub to_day: String,
    /// Who joins (the patient).
    pub actor: Actor,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// A time to hold for an entry, with what tells its patient.
#[derive(Debug, Clone)]
pub struct NewOffer {
    /// The entry.
    pub entry_id: i64,
    /// Whose.
    pub patient_id: i64,
    /// With whom.
    pub specialist_id: i64,
    /// The time, Unix seconds.
    pub starts_at: i64,
    /// Its end.
    pub ends_at: i64,
    /// Until when it is held.
    pub expires_at: i64,
    /// The cabinet message and the letter.
    pub notice: Notice,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Why joining the line was refused.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// The patient already waits for this specialist (and service) on some of these days.
    #[error("already waiting")]
    AlreadyWaiting,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for JoinError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

/// The columns and joins of a [`WaitlistEntry`], for `concat!` with a `WHERE`.
macro_rules! entry_select {
    () => {
        "SELECT e.id, e.patient_id, \
         TRIM(p.last_name || ' ' || p.first_name || ' ' || p.middle_name) AS patient_name, \
         e.specialist_id, \
         TRIM(s.last_name || ' ' || s.first_name || ' ' || s.middle_name) AS specialist_name, \
         e.service_id, sv.name AS service_name, sv.name_en AS service_name_en, \
         e.from_day, e.to_day, e.status, e.created_at, o.id AS offer_id, \
         o.starts_at AS offer_starts_at, o.ends_at AS offer_ends_at, \
         o.expires_at AS offer_expires_at \
         FROM waitlist_entries e \
         JOIN patients p ON p.id = e.patient_id \
         JOIN specialists s ON s.id = e.specialist_id \
         LEFT JOIN services sv ON sv.id = e.service_id \
         LEFT JOIN waitlist_offers o ON o.entry_id = e.id AND o.status = 'open'"
    };
}

/// Closes the open offer of the time a visit was just booked at, when it was held for the
/// same patient: the offer is booked, its entry leaves the line. In the booking's transaction.
pub(crate) async fn close_held_offer(
    c: &mut impl Conn,
    v: &NewVisit,
    appointment_id: i64,
) -> Result<()> {
    const OFFER: &str = "UPDATE waitlist_offers SET status = 'booked', closed_at = $1 \
        WHERE patient_id = $2 AND specialist_id = $3 AND starts_at = $4 AND status = 'open' \
        RETURNING entry_id";
    const ENTRY: &str = "UPDATE waitlist_entries SET status = 'booked', closed_at = $1 \
        WHERE id = $2";
    let args = [v.now.into(), v.patient_id.into(), v.specialist_id.into(), v.starts_at.into()];
    let Some(entry_id) = c.fetch_i64(OFFER, &args).await? else { return Ok(()) };
    c.execute(ENTRY, &[v.now.into(), entry_id.into()]).await?;
    let entry = AuditEntry::new(
        v.now,
        v.actor,
        AuditAction::WaitlistBook,
        ObjectKind::WaitlistEntry,
        Some(entry_id),
    )
    .patient(v.patient_id)
    .origin(&v.origin)
    .details(json!({"appointment_id": appointment_id, "starts_at": v.starts_at}));
    insert_audit(c, &entry).await
}

impl Store {
    /// Puts the patient in line, audited; refused when they already wait for the specialist
    /// (and the same service, or none) on an overlapping range of days.
    pub async fn join_waitlist(&self, e: &NewEntry) -> Result<i64, JoinError> {
        const OVERLAPPING: &str = "SELECT id FROM waitlist_entries WHERE patient_id = $1 \
            AND specialist_id = $2 AND COALESCE(service_id, 0) = COALESCE($3, 0) \
            AND status = 'waiting' AND from_day <= $4 AND to_day >= $5 LIMIT 1";
        const INSERT: &str = "INSERT INTO waitlist_entries (patient_id, specialist_id, \
            service_id, from_day, to_day, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
            RETURNING id";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            if matches!(self.backend, Backend::Postgres(_)) {
                // Serialises one patient's joins: the check below stays true until commit.
                sqlx::query("SELECT id FROM patients WHERE id = $1 FOR UPDATE")
                    .bind(e.patient_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let overlapping: Option<i64> = sqlx::query_scalar(OVERLAPPING)
                .bind(e.patient_id)
                .bind(e.specialist_id)
                .bind(e.service_id)
                .bind(&e.to_day)
                .bind(&e.from_day)
                .fetch_optional(&mut *tx)
                .await?;
            if overlapping.is_some() {
                return Err(JoinError::AlreadyWaiting);
            }
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(e.patient_id)
                .bind(e.specialist_id)
                .bind(e.service_id)
                .bind(&e.from_day)
                .bind(&e.to_day)
                .bind(e.now)
                .fetch_one(&mut *tx)
                .await?;
            let details = json!({
                "specialist_id": e.specialist_id,
                "service_id": e.service_id,
                "from": e.from_day,
                "to": e.to_day,
            });
            let audit = AuditEntry::new(
                e.now,
                e.actor,
                AuditAction::WaitlistJoin,
                ObjectKind::WaitlistEntry,
                Some(id),
            )
            .patient(e.patient_id)
            .origin(&e.origin)
            .details(details);
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The patient's places in the waiting list, newest first.
    pub async fn waitlist_of_patient(&self, patient_id: i64) -> Result<Vec<WaitlistEntry>> {
        const SQL: &str = concat!(
            entry_select!(),
            " WHERE e.patient_id = $1 ORDER BY e.created_at DESC, e.id DESC"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(patient_id).fetch_all(pool).await?))
    }

    /// One of the patient's places; `None` if it is not theirs.
    pub async fn waitlist_entry_of_patient(
        &self,
        patient_id: i64,
        id: i64,
    ) -> Result<Option<WaitlistEntry>> {
        const SQL: &str = concat!(entry_select!(), " WHERE e.id = $1 AND e.patient_id = $2");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(id)
            .bind(patient_id)
            .fetch_optional(pool)
            .await?))
    }

    /// The lines for staff: every place still waiting or whose last day has not passed, by
    /// specialist, in the order of joining.
    pub async fn waitlist_lines(&self, today: &str) -> Result<Vec<WaitlistEntry>> {
        const SQL: &str = concat!(
            entry_select!(),
            " WHERE e.to_day >= $1 OR (e.status = 'waiting' AND o.id IS NOT NULL) \
             ORDER BY specialist_name, e.specialist_id, e.created_at, e.id"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(today).fetch_all(pool).await?))
    }

    /// Takes the patient out of the line, audited, and lets an open offer's time go at once.
    /// `false` if the entry is not theirs or not waiting.
    pub async fn leave_waitlist(
        &self,
        patient_id: i64,
        id: i64,
        actor: Actor,
        origin: &Origin,
        now: i64,
    ) -> Result<bool> {
        const LEAVE: &str = "UPDATE waitlist_entries SET status = 'left', closed_at = $1 \
            WHERE id = $2 AND patient_id = $3 AND status = 'waiting' RETURNING specialist_id";
        const RELEASE: &str = "UPDATE waitlist_offers SET status = 'released', closed_at = $1 \
            WHERE entry_id = $2 AND status = 'open'";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let args = [now.into(), id.into(), patient_id.into()];
            let Some(specialist_id) = tx.fetch_i64(LEAVE, &args).await? else { return Ok(false) };
            let released = tx.execute(RELEASE, &[now.into(), id.into()]).await?;
            if released > 0 {
                tx.announce_free_time(specialist_id).await?;
            }
            let audit = AuditEntry::new(
                now,
                actor,
                AuditAction::WaitlistLeave,
                ObjectKind::WaitlistEntry,
                Some(id),
            )
            .patient(patient_id)
            .origin(origin)
            .details(json!({"released": released > 0}));
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            if released > 0 {
                self.free_time_changed(&[specialist_id]);
            }
            Ok(true)
        })
    }

    /// Marks the open offers whose hold ran out at `now` as missed, letting their times go;
    /// returns how many.
    pub async fn expire_waitlist_offers(&self, now: i64) -> Result<usize> {
        const SQL: &str = "UPDATE waitlist_offers SET status = 'missed', closed_at = $1 \
            WHERE status = 'open' AND expires_at <= $1 RETURNING specialist_id";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let ids: Vec<i64> = sqlx::query_scalar(SQL).bind(now).fetch_all(&mut *tx).await?;
            for &id in &ids {
                tx.announce_free_time(id).await?;
            }
            tx.commit().await?;
            self.free_time_changed(&ids);
            Ok(ids.len())
        })
    }

    /// The specialists someone waits for whose last day is not before `today`.
    pub async fn waited_specialists(&self, today: &str) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT DISTINCT specialist_id FROM waitlist_entries \
            WHERE status = 'waiting' AND to_day >= $1 ORDER BY specialist_id";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(SQL).bind(today).fetch_all(pool).await?))
    }

    /// The line for a specialist: waiting entries without an open offer whose last day is not
    /// before `today`, in the order of joining.
    pub async fn waitlist_line(&self, specialist_id: i64, today: &str) -> Result<Vec<InLine>> {
        const SQL: &str = "SELECT e.id, e.patient_id, p.access_level, ac.login, e.service_id, \
            e.from_day, e.to_day FROM waitlist_entries e \
            JOIN patients p ON p.id = e.patient_id \
            LEFT JOIN accounts ac ON ac.patient_id = p.id \
            WHERE e.specialist_id = $1 AND e.status = 'waiting' AND e.to_day >= $2 \
            AND p.data_blocked_at IS NULL AND NOT EXISTS (SELECT 1 FROM waitlist_offers o \
                WHERE o.entry_id = e.id AND o.status = 'open') \
            ORDER BY e.created_at, e.id";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(specialist_id)
            .bind(today)
            .fetch_all(pool)
            .await?))
    }

    /// The time (start, end) held for the patient at `starts_at` with the specialist, while
    /// the hold is on at `now`.
    pub async fn held_time(
        &self,
        patient_id: i64,
        specialist_id: i64,
        starts_at: i64,
        now: i64,
    ) -> Result<Option<(i64, i64)>> {
        const SQL: &str = "SELECT starts_at, ends_at FROM waitlist_offers WHERE patient_id = $1 \
            AND specialist_id = $2 AND starts_at = $3 AND status = 'open' AND expires_at > $4";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(patient_id)
            .bind(specialist_id)
            .bind(starts_at)
            .bind(now)
            .fetch_optional(pool)
            .await?))
    }

    /// The starts of the times offered to an entry before: none is offered to it twice.
    pub async fn offered_starts(&self, entry_id: i64) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT starts_at FROM waitlist_offers WHERE entry_id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(SQL).bind(entry_id).fetch_all(pool).await?))
    }

    /// Holds a time for an entry, with its cabinet message, letter and audit row, in one
    /// transaction; `false` (nothing written) when the time is no longer free (booked, or held
    /// by another instance's pass), the entry left the line or has an open offer already, or
    /// this time was offered to it before. Returning early drops the transaction: a rollback.
    pub async fn hold_for_waitlist(&self, o: &NewOffer) -> Result<bool> {
        const INSERT: &str = "INSERT INTO waitlist_offers (entry_id, patient_id, specialist_id, \
            starts_at, ends_at, created_at, expires_at) \
            SELECT e.id, e.patient_id, e.specialist_id, $2, $3, $4, $5 FROM waitlist_entries e \
            WHERE e.id = $1 AND e.status = 'waiting' \
            AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.entry_id = e.id \
                AND (o.status = 'open' OR o.starts_at = $2)) \
            RETURNING id";
        let written = dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The insert comes first: an SQLite transaction that starts by writing waits for
            // another instance's writer, where one that reads first would fail to upgrade.
            let args = [
                o.entry_id.into(),
                o.starts_at.into(),
                o.ends_at.into(),
                o.now.into(),
                o.expires_at.into(),
            ];
            let id = match tx.fetch_i64(INSERT, &args).await {
                Ok(Some(id)) => id,
                Ok(None) => return Ok(false),
                // Another instance held the same time first.
                Err(e) if e.is_unique_violation() => return Ok(false),
                Err(e) => return Err(e),
            };
            // Then whether a booking or another patient's hold took the time meanwhile (on
            // PostgreSQL after the specialist's lock: a concurrent hold has committed by then).
            let time = (o.starts_at, o.ends_at);
            if time_taken(&mut tx, o.specialist_id, time, None, Some(o.patient_id)).await? {
                return Ok(false);
            }
            tx.announce_free_time(o.specialist_id).await?;
            insert_notice(&mut tx, o.patient_id, &o.notice, o.now).await?;
            let details = json!({
                "offer_id": id,
                "specialist_id": o.specialist_id,
                "starts_at": o.starts_at,
                "expires_at": o.expires_at,
            });
            let audit = AuditEntry::new(
                o.now,
                Actor::System,
                AuditAction::WaitlistOffer,
                ObjectKind::WaitlistEntry,
                Some(o.entry_id),
            )
            .patient(o.patient_id)
            .details(details);
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            true
        });
        if written {
            self.free_time_changed(&[o.specialist_id]);
        }
        Ok(written)
    }
}

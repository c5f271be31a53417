//! Reminders before visits (B8) and the patient's switch for them.
//!
//! A reminder is not written when a visit is booked: the pass ([`Store::due_reminders`], then
//! [`Store::queue_reminder`] for each) looks for planned visits whose reminder time has come
//! and writes the letter into the outbox then. So a cancel, a move, or the patient's switch
//! needs no bookkeeping of its own: a cancelled visit is no longer `booked`, a moved one has a
//! new start (and so a new reminder), a switched-off patient is not selected. One reminder per
//! visit and start, across instances and restarts, is the primary key of `visit_reminders`,
//! inserted in the transaction that writes the letter.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use serde_json::json;

use crate::booking::OutboxMail;
use crate::sql::{insert_audit, insert_mail};
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// A planned visit whose reminder is due, with what its letter says.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueReminder {
    /// The visit.
    pub appointment_id: i64,
    /// Its start, Unix seconds.
    pub starts_at: i64,
    /// The patient's address: their login, else the address the clinic holds.
    pub recipient: String,
    /// The branch's name.
    pub branch_name: String,
    /// The branch's address.
    pub branch_address: String,
    /// The branch's phone.
    pub branch_phone: String,
    /// Whether the patient has an account (a cabinet); a one-time booking has none.
    pub has_account: bool,
}

/// Who switches a patient's reminders, from where, when.
#[derive(Debug, Clone)]
pub struct ReminderSwitch {
    /// Whose reminders.
    pub patient_id: i64,
    /// Who switches them (the patient).
    pub actor: Actor,
    /// From where.
    pub origin: Origin,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Planned visits that start after `$1` and no later than `$1 + $2` (the window), booked or
/// last moved at least a window before their start (a visit booked inside the window gets
/// none: the patient has just been told), of a patient who wants reminders (and did not
/// switch them on inside the window) and has an address, and not yet reminded of at this
/// start.
const DUE: &str = "SELECT a.id AS appointment_id, a.starts_at, \
    COALESCE(ac.login, p.email) AS recipient, b.name AS branch_name, \
    b.address AS branch_address, b.phone AS branch_phone, ac.id IS NOT NULL AS has_account \
    FROM appointments a \
    JOIN patients p ON p.id = a.patient_id \
    JOIN specialists s ON s.id = a.specialist_id \
    JOIN branches b ON b.id = s.branch_id \
    LEFT JOIN accounts ac ON ac.patient_id = p.id \
    WHERE a.status = 'booked' AND a.starts_at > $1 AND a.starts_at <= $1 + $2 \
    AND COALESCE(a.updated_at, a.created_at) <= a.starts_at - $2 \
    AND p.reminders AND COALESCE(ac.login, p.email) IS NOT NULL \
    AND p.data_blocked_at IS NULL \
    AND (p.reminders_changed_at IS NULL OR p.reminders_changed_at <= a.starts_at - $2) \
    AND NOT EXISTS (SELECT 1 FROM visit_reminders r \
        WHERE r.appointment_id = a.id AND r.starts_at = a.starts_at) \
    ORDER BY a.starts_at, a.id LIMIT $3";

/// Claims the reminder of one visit at one start, if the visit is still planned at that
/// start and nobody claimed it: one row, or none.
const CLAIM: &str = "INSERT INTO visit_reminders (appointment_id, starts_at, queued_at) \
    SELECT a.id, a.starts_at, $3 FROM appointments a JOIN patients p ON p.id = a.patient_id \
    WHERE a.id = $1 AND a.starts_at = $2 AND a.status = 'booked' AND p.reminders \
    AND p.data_blocked_at IS NULL ON CONFLICT (appointment_id, starts_at) DO NOTHING";

impl Store {
    /// Up to `limit` visits whose reminder is due at `now` with a window of `window_secs`.
    pub async fn due_reminders(
        &self,
        now: i64,
        window_secs: i64,
        limit: i64,
    ) -> Result<Vec<DueReminder>> {
        Ok(dispatch!(self, |pool| sqlx::query_as(DUE)
            .bind(now)
            .bind(window_secs)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// Writes the reminder `mail` of a visit at `starts_at` into the outbox, due now, in one
    /// transaction with its claim. `false` (nothing written) when it was claimed before — by
    /// this or another instance — or the visit was cancelled or moved meanwhile, or the
    /// patient switched reminders off. On PostgreSQL a concurrent claim of the same key waits
    /// for ours and then does nothing.
    pub async fn queue_reminder(
        &self,
        appointment_id: i64,
        starts_at: i64,
        mail: &OutboxMail,
        now: i64,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(CLAIM)
                .bind(appointment_id)
                .bind(starts_at)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if claimed == 0 {
                return Ok(false);
            }
            insert_mail(&mut tx, mail, now).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Whether the patient wants reminders before visits.
    pub async fn reminders_on(&self, patient_id: i64) -> Result<bool> {
        const SQL: &str = "SELECT reminders FROM patients WHERE id = $1";
        let on: Option<bool> = dispatch!(self, |pool| sqlx::query_scalar(SQL)
            .bind(patient_id)
            .fetch_optional(pool)
            .await?);
        Ok(on.unwrap_or(true))
    }

    /// Switches the patient's reminders on or off, audited when it changes. Reminders already
    /// handed to the outbox stay; visits not yet reminded of follow the switch.
    pub async fn set_reminders(&self, c: &ReminderSwitch, on: bool) -> Result<()> {
        const SQL: &str = "UPDATE patients SET reminders = $2, reminders_changed_at = $3 \
            WHERE id = $1 AND reminders <> $2";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(SQL)
                .bind(c.patient_id)
                .bind(on)
                .bind(c.now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed > 0 {
                let entry = AuditEntry::new(
                    c.now,
                    c.actor,
                    AuditAction::PatientReminders,
                    ObjectKind::Patient,
                    Some(c.patient_id),
                )
                .patient(c.patient_id)
                .origin(&c.origin)
                .details(json!({"reminders": on}));
                insert_audit(&mut tx, &entry).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

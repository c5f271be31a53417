//! Reminders before visits (B8): a letter `reminder_before` ahead of each planned visit, and
//! the patient's switch for them.
//!
//! Why a pass and not an outbox row written with the booking: a visit is booked, moved and
//! cancelled along many paths (one-time bookings on SQLite's fast path, the cabinet, the API,
//! the registrar, moves forced by a schedule change). A reminder written at booking would need
//! every one of them to remove or rewrite it, and one forgotten path sends a reminder for a
//! cancelled visit. The pass instead asks, when a reminder falls due, whether the visit is
//! still planned at that start — in the very transaction that writes the letter — so no path
//! can forget it. Exactly once per visit and start is the primary key of `visit_reminders`
//! (several instances, restarts); the letter then rides the outbox like any other.
//!
//! The letter names no specialist, specialty, service or diagnosis (323-FZ art. 13): only the
//! date and time, the branch's address and phone, and the way to the cabinet.

use jiff::Timestamp;
use kabinet_core::access::Origin;
use kabinet_core::lang::MONTHS_RU_GENITIVE;
use kabinet_core::mail::MailKind;
use kabinet_store::booking::OutboxMail;
use kabinet_store::reminders::{DueReminder, ReminderSwitch};

use crate::accounts::Patient;
use crate::{Kabinet, Result};

/// Reminders one pass queues at most; the next pass takes the rest.
const BATCH: i64 = 200;

/// A patient's choices about what the portal sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preferences {
    /// Reminders before visits.
    pub reminders: bool,
}

impl Kabinet {
    /// Queues the reminders that are due now into the outbox; returns how many. Nothing when
    /// reminders are switched off for the clinic (`reminder_before` is zero).
    pub async fn queue_due_reminders(&self) -> Result<usize> {
        let window = self.settings.reminder_before.as_secs();
        if window <= 0 {
            return Ok(0);
        }
        let now = self.now().as_second();
        let mut queued = 0;
        for due in self.store.due_reminders(now, window, BATCH).await? {
            let mail = self.reminder_letter(&due);
            if self.store.queue_reminder(due.appointment_id, due.starts_at, &mail, now).await? {
                tracing::info!(appointment_id = due.appointment_id, "reminder queued");
                queued += 1;
            }
        }
        Ok(queued)
    }

    /// «Напоминание о приёме 2 декабря в 15:00 — Клиника «Ясень»», and a body with the time and
    /// the place only.
    fn reminder_letter(&self, due: &DueReminder) -> OutboxMail {
        let at = Timestamp::from_second(due.starts_at).unwrap_or(Timestamp::UNIX_EPOCH);
        let when = at.to_zoned(self.settings.time_zone.clone());
        let month =
            MONTHS_RU_GENITIVE[usize::from(when.month().unsigned_abs()).saturating_sub(1) % 12];
        let subject =
            format!("Напоминание о приёме {} {month} в {}", when.day(), when.strftime("%H:%M"));
        let mut text = format!(
            "Напоминаем о вашем приёме в клинике.\n\n\
             Дата и время: {}\nФилиал: {}, {}\nТелефон филиала: {}\n\n",
            when.strftime("%d.%m.%Y, %H:%M"),
            due.branch_name,
            due.branch_address,
            due.branch_phone,
        );
        if due.has_account {
            text.push_str(&format!(
                "Если вы не сможете прийти, отмените или перенесите запись в личном кабинете \
                 или позвоните нам.\nВаши записи — в личном кабинете: {}/cabinet\n\n\
                 Напоминания можно выключить в личном кабинете, в разделе «Календарь».",
                self.public_url(),
            ));
        } else {
            // A one-time booking has no cabinet and is changed by phone only (R4).
            text.push_str("Если вы не сможете прийти, пожалуйста, позвоните нам.");
        }
        OutboxMail {
            kind: MailKind::VisitReminder,
            recipient: due.recipient.clone(),
            subject: format!("{subject} — {}", self.settings.clinic_name),
            body: self.letter(&text),
        }
    }

    /// The patient's preferences.
    pub async fn my_preferences(&self, patient: &Patient) -> Result<Preferences> {
        let reminders = self.store.reminders_on(patient.account.patient_id).await?;
        Ok(Preferences { reminders })
    }

    /// Switches the patient's reminders on or off (audited when it changes). Off: no
    /// reminder for a visit not yet reminded of; on again: planned visits whose reminder time
    /// is still ahead get theirs.
    pub async fn set_my_reminders(
        &self,
        patient: &Patient,
        on: bool,
        origin: &Origin,
    ) -> Result<Preferences> {
        let switch = ReminderSwitch {
            patient_id: patient.account.patient_id,
            actor: patient.actor(),
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        self.store.set_reminders(&switch, on).await?;
        self.my_preferences(patient).await
    }
}

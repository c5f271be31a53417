//! The clinic's end of a patient's access (A5, A7; R14, R21), each with a reason in words:
//! a suspension (lifted by the registrar), a cancelled self-registration whose data the
//! clinic believes false, and the end of service. Each ends every session and token at once,
//! revokes the calendar feed, and sends a letter that says what happened and whom to call —
//! never the reason, which may name health matters (323-FZ art. 13): the patient reads it on
//! the sign-in page, and only after typing the right password, so a stranger who knows the
//! login learns nothing. A cancelled registration and the end of service also cancel every
//! planned visit through the registrar's own cancel, so the times free up and each visit's
//! notice goes out as for any cancel. The medical record and the audit log stay (323-FZ).

use kabinet_core::access::{AccessLevel, BlockReason, Origin};
use kabinet_core::blocking::required_text;
use kabinet_core::mail::MailKind;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_store::accounts::AccountBlock;
use kabinet_store::booking::OutboxMail;

use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

impl Kabinet {
    /// The reason typed, or a field error under `reason`.
    fn closure_reason(reason: &str) -> Result<String> {
        let mut errors = FieldErrors::default();
        errors
            .take("reason", required_text(reason, "error-closure-reason"))
            .ok_or(Error::Validation(errors))
    }

    /// The letter of a closure: what happened and whom to call, no reason.
    fn closure_letter(&self, kind: MailKind, to: String) -> OutboxMail {
        let (subject, text) = match kind {
            MailKind::RegistrationCancelled => (
                "Регистрация в личном кабинете аннулирована",
                "Клиника аннулировала вашу регистрацию в личном кабинете. Запланированные \
                 приёмы, записанные через кабинет, отменены. Причину вы увидите при попытке \
                 входа в кабинет",
            ),
            MailKind::ServiceEnded => (
                "Обслуживание в личном кабинете прекращено",
                "Клиника прекратила обслуживание вашего личного кабинета: доступ закрыт, \
                 запланированные приёмы отменены. Ваша медицинская документация хранится в \
                 клинике, как требует закон. Причину вы увидите при попытке входа в кабинет",
            ),
            _ => (
                "Доступ к личному кабинету приостановлен",
                "Клиника приостановила доступ к вашему личному кабинету. Причину вы увидите при \
                 попытке входа в кабинет",
            ),
        };
        let text = format!(
            "{text}. Чтобы узнать подробности, обратитесь в регистратуру клиники с паспортом \
             или позвоните по телефону {}.",
            self.settings.clinic_phone
        );
        OutboxMail {
            kind,
            recipient: to,
            subject: format!("{subject} — {}", self.settings.clinic_name),
            body: self.letter(&text),
        }
    }

    /// Suspends a patient's account with a reason (A5): every session ends at once, the
    /// patient is told by e-mail to contact the clinic, and sees the reason when signing in.
    pub async fn suspend_patient(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::SuspendPatients)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        let reason = Self::closure_reason(reason)?;
        if record.is_suspended() || record.is_closed() {
            return Ok(());
        }
        let (Some(account_id), Some(login)) = (record.account_id, record.login) else {
            return Err(Error::NotFound);
        };
        let block = AccountBlock {
            account_id,
            reason: BlockReason::Suspended,
            note: Some(reason),
            reset: None,
            mails: vec![self.closure_letter(MailKind::AccountSuspended, login)],
            actor: staff.actor(),
            by_link: None,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        self.store.block_account(&block).await?;
        Ok(())
    }

    /// Cancels an unconfirmed self-registration whose data the clinic believes false (R14):
    /// the account is closed for good and its planned visits cancelled. Returns how many.
    pub async fn cancel_registration(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<usize> {
        staff.require(Action::SuspendPatients)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        let reason = Self::closure_reason(reason)?;
        if record.access_level != AccessLevel::Unconfirmed || record.is_closed() {
            return Err(Error::Forbidden);
        }
        self.close_account(staff, patient_id, BlockReason::RegistrationCancelled, reason, origin)
            .await
    }

    /// Ends the service for a patient (R21): access ends for good and every planned visit is
    /// cancelled. The medical record and the audit log stay. Returns how many visits.
    pub async fn end_service(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<usize> {
        staff.require(Action::EndPatientService)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        let reason = Self::closure_reason(reason)?;
        if record.is_closed() {
            return Err(Error::Forbidden);
        }
        self.close_account(staff, patient_id, BlockReason::ServiceEnded, reason, origin).await
    }

    async fn close_account(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        reason: BlockReason,
        note: String,
        origin: &Origin,
    ) -> Result<usize> {
        let record = self.record_of(patient_id).await?;
        let (kind, why) = match reason {
            BlockReason::RegistrationCancelled => {
                (MailKind::RegistrationCancelled, "Клиника аннулировала вашу регистрацию.")
            }
            _ => (MailKind::ServiceEnded, "Клиника прекратила обслуживание личного кабинета."),
        };
        if let (Some(account_id), Some(login)) = (record.account_id, record.login.clone()) {
            let block = AccountBlock {
                account_id,
                reason,
                note: Some(note),
                reset: None,
                mails: vec![self.closure_letter(kind, login)],
                actor: staff.actor(),
                by_link: None,
                origin: origin.clone(),
                now: self.now().as_second(),
            };
            self.store.block_account(&block).await?;
        } else if reason == BlockReason::RegistrationCancelled {
            return Err(Error::NotFound);
        }
        let now = self.now().as_second();
        let planned: Vec<i64> = self
            .store
            .visits_of_patient(patient_id)
            .await?
            .into_iter()
            .filter(|v| v.is_planned(now) && v.starts_at > now)
            .map(|v| v.id)
            .collect();
        for visit_id in &planned {
            // The registrar's cancel: the time frees up and the visit's notice goes out.
            self.cancel_for_patient(staff, patient_id, *visit_id, Some(why), origin).await?;
        }
        Ok(planned.len())
    }
}

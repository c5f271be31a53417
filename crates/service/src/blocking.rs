//! Blocking of a patient's personal data (G4; 152-FZ art. 21): a registrar blocks it on a
//! justified request, and from then on nothing processes it until it is unblocked with a
//! reason — no bookings on any channel, no messages either way, no calls, reminders, calendar
//! feed or data copy, and for the front desk the patient is not there any more: only the
//! person responsible for organising the processing (152-FZ art. 22.1; the administrator
//! here) and the auditor find and open the card (`Action::ViewBlockedPatients`). So the
//! registrar blocks, and the administrator unblocks (`Action::UnblockPatientData`).
//!
//! The queries that select patients for processing (the call list, reminders, the waiting
//! list's offers, the calendar feed, the staff search) carry `data_blocked_at IS NULL`
//! themselves; the use cases that act for one patient ask [`Kabinet::check_data_not_blocked`].
//! Visits already booked are not cancelled behind the patient's back: they stay, and the
//! front desk's day shows them as «данные заблокированы», without name or phone.

use kabinet_core::access::Origin;
use kabinet_core::blocking::{DataBlockInput, RequestedBy, required_text};
use kabinet_core::mail::MailKind;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_store::blocking::{DataBlockRow, DataUnblock, NewDataBlock};
use kabinet_store::messages::Notice;
use kabinet_store::registrar::PatientRecord;

use crate::accounts::Patient;
use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

impl Kabinet {
    /// Whether the patient's personal data is blocked: the one check for the other use cases
    /// that process a patient (the data copy, `GET /api/v1/me/export`, among them).
    pub async fn is_patient_data_blocked(&self, patient_id: i64) -> Result<bool> {
        Ok(self.store.is_data_blocked(patient_id).await?)
    }

    /// Refuses (`DataBlocked`, with the clinic's phone) to process a patient whose data is
    /// blocked.
    pub async fn check_data_not_blocked(&self, patient_id: i64) -> Result<()> {
        if self.is_patient_data_blocked(patient_id).await? {
            Err(Error::DataBlocked { phone: self.settings.clinic_phone.clone() })
        } else {
            Ok(())
        }
    }

    /// Whether the signed-in patient's data is blocked (the cabinet says so).
    pub async fn my_data_blocked(&self, patient: &Patient) -> Result<bool> {
        self.is_patient_data_blocked(patient.account.patient_id).await
    }

    /// `NotFound` for a member of staff who may not see a patient whose data is blocked.
    pub(crate) fn check_visible(&self, staff: &StaffUser, record: &PatientRecord) -> Result<()> {
        if record.is_data_blocked() && !staff.may(Action::ViewBlockedPatients) {
            Err(Error::NotFound)
        } else {
            Ok(())
        }
    }

    /// A neutral notice about the patient's data: no specialty, service or doctor.
    fn data_notice(
        &self,
        record: &PatientRecord,
        kind: MailKind,
        subject: &str,
        text: &str,
    ) -> Notice {
        let to = record.login.clone().or_else(|| record.email.clone());
        let mail = to.map(|recipient| kabinet_store::booking::OutboxMail {
            kind,
            recipient,
            subject: format!("{subject} — {}", self.settings.clinic_name),
            body: self.letter(text),
        });
        Notice { subject: subject.to_owned(), body: text.to_owned(), mail, inbox: true }
    }

    /// Blocks the patient's personal data on a justified request (G4), audited
    /// (`patient_data.block`), the patient told by a cabinet message and a letter.
    pub async fn block_patient_data(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        input: &DataBlockInput,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::BlockPatientData)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        let mut errors = FieldErrors::default();
        let Some(block) = input.parse(self.today(), &mut errors) else {
            return Err(Error::Validation(errors));
        };
        if record.is_data_blocked() {
            return Ok(());
        }
        let whose = match block.requested_by {
            RequestedBy::Patient => "по вашему запросу",
            RequestedBy::Representative => "по запросу вашего законного представителя",
            RequestedBy::Authority => "по запросу уполномоченного органа",
        };
        let text = format!(
            "Клиника заблокировала обработку ваших персональных данных {whose}. Пока \
             блокировка действует, клиника не обрабатывает ваши данные: запись на приём, \
             сообщения, звонки и напоминания недоступны. Уже назначенные приёмы сохраняются. \
             Когда блокировка будет снята, мы сообщим. Вопросы — по телефону {}.",
            self.settings.clinic_phone
        );
        let notice = self.data_notice(
            &record,
            MailKind::DataBlocked,
            "Обработка персональных данных заблокирована",
            &text,
        );
        let new = NewDataBlock {
            patient_id,
            requested_by: block.requested_by,
            authority: block.authority,
            basis: block.basis,
            document_type: block.document_type,
            document_ref: block.document_ref,
            document_date: block.document_date.to_string(),
            staff_id: staff.member.id,
            notice,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        self.store.block_patient_data(&new).await?;
        Ok(())
    }

    /// Unblocks the patient's data with a reason (required), audited
    /// (`patient_data.unblock`), the patient told.
    pub async fn unblock_patient_data(
        &self,
        staff: &StaffUser,
        patient_id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::UnblockPatientData)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        let mut errors = FieldErrors::default();
        let Some(reason) = errors.take("reason", required_text(reason, "error-unblock-reason"))
        else {
            return Err(Error::Validation(errors));
        };
        let text = format!(
            "Клиника сняла блокировку ваших персональных данных: запись на приём, сообщения и \
             напоминания снова доступны. Вопросы — по телефону {}.",
            self.settings.clinic_phone
        );
        let notice = self.data_notice(
            &record,
            MailKind::DataUnblocked,
            "Блокировка персональных данных снята",
            &text,
        );
        let unblock = DataUnblock {
            patient_id,
            reason,
            staff_id: staff.member.id,
            notice,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        if !self.store.unblock_patient_data(&unblock).await? {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// The patient's blockings with their unblockings, newest first, for the card.
    pub async fn patient_data_blocks(
        &self,
        staff: &StaffUser,
        patient_id: i64,
    ) -> Result<Vec<DataBlockRow>> {
        staff.require(Action::ViewPatientCard)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        Ok(self.store.data_blocks_of(patient_id).await?)
    }
}

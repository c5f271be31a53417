//! Threads between the clinic and a patient (K3, N2). The patient reads the clinic's notices
//! and messages in the cabinet, answers them and starts threads of their own; staff write
//! from the patient's card and read the answers. Each side has its own unread count; opening a
//! thread marks the other side's messages read. A patient's text never leaves the portal: when
//! staff write, the patient gets only a neutral letter pointing to the cabinet.

use kabinet_core::access::Origin;
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::mail::MailKind;
use kabinet_core::messages::{Author, Draft};
use kabinet_core::roles::Action;
use kabinet_store::AuditEntry;
use kabinet_store::booking::OutboxMail;
use kabinet_store::messages::{Message, NewMessage, Thread, Written};

use crate::accounts::Patient;
use crate::limits::{Counted, patient_messages};
use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// The subject of the letter that tells a patient the clinic wrote: nothing more.
pub const NEW_MESSAGE_SUBJECT: &str = "Новое сообщение в личном кабинете";

/// A thread with its messages, oldest first.
#[derive(Debug, Clone)]
pub struct ThreadView {
    /// The thread, with the reader's unread count (as it was before opening, when opened).
    pub thread: Thread,
    /// Its messages.
    pub messages: Vec<Message>,
}

impl Kabinet {
    /// The patient's threads, the latest activity first, with their unread counts.
    pub async fn my_threads(&self, patient: &Patient) -> Result<Vec<Thread>> {
        let id = patient.account.patient_id;
        Ok(self.store.threads_of_patient(id, Author::Clinic).await?)
    }

    /// The patient's threads with their messages (the API's answer).
    pub async fn my_threads_with_messages(&self, patient: &Patient) -> Result<Vec<ThreadView>> {
        let mut out = Vec::new();
        for thread in self.my_threads(patient).await? {
            let messages = self.store.thread_messages(thread.id).await?;
            out.push(ThreadView { thread, messages });
        }
        Ok(out)
    }

    /// One of the patient's threads with its messages, as it is (nothing marked read);
    /// `NotFound` if it is not theirs.
    pub async fn my_thread(&self, patient: &Patient, thread_id: i64) -> Result<ThreadView> {
        let thread = self
            .my_threads(patient)
            .await?
            .into_iter()
            .find(|t| t.id == thread_id)
            .ok_or(Error::NotFound)?;
        let messages = self.store.thread_messages(thread.id).await?;
        Ok(ThreadView { thread, messages })
    }

    /// How many of the clinic's messages to the patient are unread.
    pub async fn unread_messages(&self, patient: &Patient) -> Result<i64> {
        Ok(self.store.unread_messages(patient.account.patient_id).await?)
    }

    /// Opens one of the patient's threads and marks the clinic's messages in it read;
    /// `NotFound` if it is not theirs.
    pub async fn open_my_thread(&self, patient: &Patient, thread_id: i64) -> Result<ThreadView> {
        let key = (patient.account.patient_id, thread_id);
        let now = self.now().as_second();
        let thread = self
            .store
            .open_thread(key, Author::Patient, None, now)
            .await?
            .ok_or(Error::NotFound)?;
        let messages = self.store.thread_messages(thread.id).await?;
        Ok(ThreadView { thread, messages })
    }

    /// The patient writes to the clinic: an answer in their thread (`thread_id`), or a new
    /// thread with `subject`. Limited per patient; no letter goes anywhere.
    pub async fn write_to_clinic(
        &self,
        patient: &Patient,
        (thread_id, subject): (Option<i64>, Option<&str>),
        text: &str,
        origin: &Origin,
    ) -> Result<Written> {
        let patient_id = patient.account.patient_id;
        self.check_data_not_blocked(patient_id).await?;
        let draft = Self::draft(thread_id, subject, text)?;
        let limit = patient_messages(patient_id);
        self.check_limits(
            Counted::PatientMessage,
            std::slice::from_ref(&limit),
            Some(patient_id),
            origin,
        )
        .await?;
        let message = NewMessage {
            patient_id,
            thread_id,
            subject: draft.subject.unwrap_or_default(),
            author: Author::Patient,
            actor: patient.actor(),
            origin: origin.clone(),
            text: draft.text,
            mail: None,
            now: self.now().as_second(),
        };
        let written = self.store.write_message(&message).await?.ok_or(Error::NotFound)?;
        self.count(&[limit], None).await?;
        Ok(written)
    }

    /// A patient's threads for staff, the latest activity first, with the count of the
    /// patient's messages no member of staff has opened.
    pub async fn patient_threads(&self, staff: &StaffUser, patient_id: i64) -> Result<Vec<Thread>> {
        staff.require(Action::MessagePatients)?;
        Ok(self.store.threads_of_patient(patient_id, Author::Patient).await?)
    }

    /// How many patients' messages no member of staff has opened, now (0 for a member who
    /// does not answer patients): a page that just opened a thread shows it in its menu.
    pub async fn unread_patient_messages(&self, staff: &StaffUser) -> Result<i64> {
        if !staff.may(Action::MessagePatients) {
            return Ok(0);
        }
        Ok(self.store.unread_patient_messages().await?)
    }

    /// A member of staff opens a patient's thread: the patient's messages in it are read,
    /// and the reading is audited in the same transaction. `NotFound` if it is not theirs.
    pub async fn open_patient_thread(
        &self,
        staff: &StaffUser,
        (patient_id, thread_id): (i64, i64),
        origin: &Origin,
    ) -> Result<ThreadView> {
        staff.require(Action::MessagePatients)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        let now = self.now().as_second();
        let entry = AuditEntry::new(
            now,
            staff.actor(),
            AuditAction::MessageThreadView,
            ObjectKind::MessageThread,
            Some(thread_id),
        )
        .patient(patient_id)
        .origin(origin);
        let key = (patient_id, thread_id);
        let thread = self
            .store
            .open_thread(key, Author::Clinic, Some(&entry), now)
            .await?
            .ok_or(Error::NotFound)?;
        let messages = self.store.thread_messages(thread.id).await?;
        Ok(ThreadView { thread, messages })
    }

    /// A member of staff writes to a patient: an answer in their thread, or a new thread
    /// with `subject`. The patient gets a neutral letter (no text, no name) if they have an
    /// address.
    pub async fn write_to_patient(
        &self,
        staff: &StaffUser,
        (patient_id, thread_id): (i64, Option<i64>),
        subject: Option<&str>,
        text: &str,
        origin: &Origin,
    ) -> Result<Written> {
        staff.require(Action::MessagePatients)?;
        let record = self.record_of(patient_id).await?;
        self.check_visible(staff, &record)?;
        self.check_data_not_blocked(patient_id).await?;
        let draft = Self::draft(thread_id, subject, text)?;
        let mail = record.login.or(record.email).map(|recipient| OutboxMail {
            kind: MailKind::NewMessage,
            recipient,
            subject: NEW_MESSAGE_SUBJECT.to_owned(),
            body: self.letter(&format!(
                "Клиника написала вам в личном кабинете. Прочитать сообщение и ответить: \
                 {}/cabinet/messages",
                self.public_url()
            )),
        });
        let message = NewMessage {
            patient_id,
            thread_id,
            subject: draft.subject.unwrap_or_default(),
            author: Author::Clinic,
            actor: staff.actor(),
            origin: origin.clone(),
            text: draft.text,
            mail,
            now: self.now().as_second(),
        };
        self.store.write_message(&message).await?.ok_or(Error::NotFound)
    }

    /// A message as written: a subject only when it starts a thread.
    fn draft(thread_id: Option<i64>, subject: Option<&str>, text: &str) -> Result<Draft> {
        let subject = if thread_id.is_some() { None } else { Some(subject.unwrap_or_default()) };
        Draft::parse(subject, text).map_err(Error::Validation)
    }
}

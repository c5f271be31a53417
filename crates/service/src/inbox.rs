//! The cabinet's inbox (K3): messages from the clinic, the unread count, opening marks read.

use kabinet_store::messages::Message;

use crate::accounts::Patient;
use crate::{Error, Kabinet, Result};

impl Kabinet {
    /// The patient's messages, newest first.
    pub async fn my_messages(&self, patient: &Patient) -> Result<Vec<Message>> {
        Ok(self.store.messages_of_patient(patient.account.patient_id).await?)
    }

    /// How many of the patient's messages are unread.
    pub async fn unread_messages(&self, patient: &Patient) -> Result<i64> {
        Ok(self.store.unread_messages(patient.account.patient_id).await?)
    }

    /// Opens one of the patient's messages and marks it read; `NotFound` if it is not theirs.
    pub async fn open_message(&self, patient: &Patient, message_id: i64) -> Result<Message> {
        let now = self.now().as_second();
        self.store
            .open_message(patient.account.patient_id, message_id, now)
            .await?
            .ok_or(Error::NotFound)
    }
}

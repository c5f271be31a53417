//! The letter every change of a visit sends (N2, N3), whoever made it: what happened, the date
//! and time, the branch's address and phone, the visit's code and the way to the cabinet. A
//! letter leaves the cabinet, so neither its subject nor its body names the doctor, the
//! specialty or the service (323-FZ art. 13); the cabinet shows them. Written into the outbox
//! in the change's own transaction.

use jiff::Timestamp;
use kabinet_core::mail::MailKind;
use kabinet_store::booking::{OutboxMail, Visit};
use kabinet_store::catalog::Specialist;
use kabinet_store::messages::Notice;

use crate::{Error, Kabinet, Result};

/// Where and with whom a visit is, as its letter tells it.
pub(crate) struct VisitPlace {
    /// The doctor's full name.
    pub specialist: String,
    /// «Филиал на Лесной, ул. Лесная, 5».
    pub branch: String,
    /// The branch's phone.
    pub phone: String,
}

impl VisitPlace {
    /// The place of a visit as stored.
    pub fn of(visit: &Visit) -> Self {
        Self {
            specialist: visit.specialist_name.clone(),
            branch: format!("{}, {}", visit.branch_name, visit.branch_address),
            phone: visit.branch_phone.clone(),
        }
    }
}

impl Kabinet {
    /// The place of a visit with `specialist`, before it is booked.
    pub(crate) async fn place_with(&self, specialist: &Specialist) -> Result<VisitPlace> {
        let branches = self.store.list_branches(kabinet_core::lang::Lang::Ru).await?;
        let branch =
            branches.into_iter().find(|b| b.id == specialist.branch_id).ok_or_else(|| {
                Error::Internal(format!("specialist {} has no branch", specialist.id))
            })?;
        Ok(VisitPlace {
            specialist: specialist.full_name(),
            branch: format!("{}, {}", branch.name, branch.address),
            phone: branch.phone,
        })
    }

    /// «Дата и время: …, Филиал: …, Телефон филиала: …, Код записи: …»: no doctor (medical
    /// secrecy; the cabinet names them).
    pub(crate) fn visit_details(&self, place: &VisitPlace, start: Timestamp, code: &str) -> String {
        let when = start.to_zoned(self.settings.time_zone.clone());
        format!(
            "Дата и время: {}\nФилиал: {}\nТелефон филиала: {}\nКод записи: {code}",
            when.strftime("%d.%m.%Y, %H:%M"),
            place.branch,
            place.phone,
        )
    }

    /// The notice of a change: a letter to `recipient` (if any), and with `inbox` also a
    /// message in the cabinet (for changes the clinic made; a patient's own change only gets
    /// the letter). `text` already holds the visit's details.
    pub(crate) fn visit_notice(
        &self,
        kind: MailKind,
        recipient: Option<String>,
        subject: &str,
        text: &str,
        inbox: bool,
    ) -> Notice {
        let text =
            format!("{text}\n\nВаши записи — в личном кабинете: {}/cabinet", self.public_url());
        let mail = recipient.map(|recipient| OutboxMail {
            kind,
            recipient,
            subject: format!("{subject} — {}", self.settings.clinic_name),
            body: self.letter(&text),
        });
        Notice { subject: subject.to_owned(), body: text, mail, inbox }
    }
}

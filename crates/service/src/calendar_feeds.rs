//! The patient's private calendar feed (B8): an address with a 128-bit secret that a calendar
//! subscribes to, listing the patient's visits. Only the secret's SHA-256 is kept, so the
//! address is shown once, when it is made; the patient replaces or revokes it in the cabinet
//! (or the API), and chooses whether events name the specialist and the service.

use jiff::{SignedDuration, Timestamp};
use kabinet_core::access::Origin;
use kabinet_core::token::random_token;
use kabinet_store::calendar_feeds::{CalendarFeed, FeedChange, SecretChange};

use crate::accounts::{Patient, token_hash};
use crate::calendar::{Detail, feed_ics};
use crate::{Error, Kabinet, Result};

/// How far back the feed lists visits: past ones stay in the calendar for a while.
pub const FEED_PAST: SignedDuration = SignedDuration::from_hours(90 * 24);

/// The address of a feed, in the two forms a patient uses: `https://…` to copy into a
/// calendar, `webcal://…` that a phone or a desktop calendar opens as a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedAddress {
    /// `https://host/calendar/<secret>.ics` (or `http://` where the portal is served so).
    pub https: String,
    /// The same with the `webcal://` scheme.
    pub webcal: String,
}

impl FeedAddress {
    fn new(public_url: &str, secret: &str) -> Self {
        let https = format!("{}/calendar/{secret}.ics", public_url.trim_end_matches('/'));
        let rest = https.split_once("://").map_or(https.as_str(), |(_, rest)| rest);
        let webcal = format!("webcal://{rest}");
        Self { https, webcal }
    }
}

/// A feed just made: its address, the only time it is shown.
#[derive(Debug, Clone)]
pub struct NewFeed {
    /// The address.
    pub address: FeedAddress,
    /// Whether it replaced a live one (whose address stopped working).
    pub replaced: bool,
}

/// Whether `secret` has the shape of one we issue (32 lowercase hex digits): anything else is
/// unknown without asking the database.
fn well_formed(secret: &str) -> bool {
    secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Kabinet {
    /// The patient's feed: whether one is live, since when, when a calendar last read it, and
    /// whether its events name the specialist and the service. Never its address.
    pub async fn my_calendar_feed(&self, patient: &Patient) -> Result<CalendarFeed> {
        Ok(self.store.calendar_feed(patient.account.patient_id).await?)
    }

    /// Makes a new address for the patient's feed, replacing a live one (the old address stops
    /// working at once). Audited.
    pub async fn create_my_calendar_feed(
        &self,
        patient: &Patient,
        origin: &Origin,
    ) -> Result<NewFeed> {
        let secret = random_token();
        let change = self.feed_change(patient, origin);
        let done = self.store.set_calendar_secret(&change, &token_hash(&secret), true).await?;
        let address = FeedAddress::new(&self.settings.public_url, &secret);
        Ok(NewFeed { address, replaced: done == SecretChange::Replaced })
    }

    /// Makes the patient's feed if none is live and returns its address; when one is live,
    /// returns `None`: its address was shown when it was made and is not kept (the API's
    /// `GET /me/calendar`).
    pub async fn ensure_my_calendar_feed(
        &self,
        patient: &Patient,
        origin: &Origin,
    ) -> Result<Option<FeedAddress>> {
        let secret = random_token();
        let change = self.feed_change(patient, origin);
        match self.store.set_calendar_secret(&change, &token_hash(&secret), false).await? {
            SecretChange::Kept => Ok(None),
            SecretChange::Created | SecretChange::Replaced => {
                Ok(Some(FeedAddress::new(&self.settings.public_url, &secret)))
            }
        }
    }

    /// Revokes the patient's feed: its address stops working. `false` when none was live.
    pub async fn revoke_my_calendar_feed(
        &self,
        patient: &Patient,
        origin: &Origin,
    ) -> Result<bool> {
        Ok(self.store.revoke_calendar_feed(&self.feed_change(patient, origin)).await?)
    }

    /// Sets whether the patient's calendar names the specialist and the service (off: a
    /// neutral «Приём в клинике …»). Audited when it changes.
    pub async fn set_my_calendar_details(
        &self,
        patient: &Patient,
        show: bool,
        origin: &Origin,
    ) -> Result<()> {
        Ok(self.store.set_calendar_details(&self.feed_change(patient, origin), show).await?)
    }

    /// The feed of the secret in its address, as iCalendar text: the owner's visits of the
    /// last 90 days and all planned ones, cancelled ones marked so. `NotFound` for a secret
    /// that is unknown, revoked, or whose account is blocked — the same answer for each.
    /// A read is recorded as the feed's last fetch (not in the audit log: calendars poll
    /// every few minutes to hours, and the patient sees the time in the cabinet).
    pub async fn calendar_feed(&self, secret: &str) -> Result<String> {
        if !well_formed(secret) {
            return Err(Error::NotFound);
        }
        let hash = token_hash(secret);
        let owner = self.store.calendar_feed_owner(&hash).await?.ok_or(Error::NotFound)?;
        let now = self.now();
        let since = now.checked_sub(FEED_PAST).unwrap_or(Timestamp::UNIX_EPOCH);
        let visits =
            self.store.visits_of_patient_since(owner.patient_id, since.as_second()).await?;
        self.store.mark_calendar_fetched(&owner, &hash, now.as_second()).await?;
        let detail = if owner.show_details { Detail::Named } else { Detail::Neutral };
        Ok(feed_ics(&visits, &self.settings, now, detail))
    }

    fn feed_change(&self, patient: &Patient, origin: &Origin) -> FeedChange {
        FeedChange {
            patient_id: patient.account.patient_id,
            actor: patient.actor(),
            origin: origin.clone(),
            now: self.now().as_second(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_comes_as_https_and_webcal() {
        let a = FeedAddress::new("https://kabinet.example/", "0123456789abcdef0123456789abcdef");
        assert_eq!(
            a.https,
            "https://kabinet.example/calendar/0123456789abcdef0123456789abcdef.ics"
        );
        assert_eq!(
            a.webcal,
            "webcal://kabinet.example/calendar/0123456789abcdef0123456789abcdef.ics"
        );
    }

    #[test]
    fn only_secrets_of_our_shape_are_looked_up() {
        assert!(well_formed(&random_token()));
        assert!(!well_formed("0123456789ABCDEF0123456789ABCDEF"));
        assert!(!well_formed("short"));
        assert!(!well_formed("../../../../etc/passwd/000000000"));
    }
}

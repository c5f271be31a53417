//! Kabinet's use cases, shared by the HTML pages and the JSON API so that every rule (who may
//! book what, which discount applies, what gets audited) is written once: validate, then one
//! store call that writes the change with its audit and outbox rows.

use std::sync::Arc;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kabinet_core::Clock;
use kabinet_core::patient::FieldErrors;
use kabinet_store::Store;

pub mod booking;
pub mod calendar;
pub mod catalog;
pub mod demo;
pub mod documents;
pub mod mail;

/// The clinic's settings that rules depend on.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The clinic's name as patients know it.
    pub clinic_name: String,
    /// The phone to book or change visits by.
    pub clinic_phone: String,
    /// The clinic's time zone: times are shown and schedules read in it.
    pub time_zone: TimeZone,
    /// How many days ahead patients may book.
    pub horizon_days: i32,
    /// How long before a visit online booking closes.
    pub min_lead: SignedDuration,
    /// The portal's public address, for links in e-mails and calendars.
    pub public_url: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            clinic_name: "Клиника «Ясень»".into(),
            clinic_phone: "+7 (495) 555-01-00".into(),
            time_zone: TimeZone::get("Europe/Moscow").unwrap_or(TimeZone::UTC),
            horizon_days: 28,
            min_lead: SignedDuration::from_hours(2),
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// Everything a use case needs: the store, the clock and the settings.
#[derive(Clone)]
pub struct Kabinet {
    /// The database.
    pub store: Store,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
    /// The clinic's settings.
    pub settings: Arc<Settings>,
}

impl Kabinet {
    /// Builds the service layer.
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: Settings) -> Self {
        Self { store, clock, settings: Arc::new(settings) }
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Today in the clinic's zone.
    pub fn today(&self) -> jiff::civil::Date {
        self.now().to_zoned(self.settings.time_zone.clone()).date()
    }
}

/// Why a use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such object, or not the caller's to see.
    #[error("not found")]
    NotFound,
    /// The input has problems; each is a field and a message key.
    #[error("invalid input")]
    Validation(FieldErrors),
    /// The slot is not free (taken, passed, outside the schedule or the horizon).
    #[error("the slot is taken")]
    SlotTaken,
    /// The phone already made its one-time booking (R4).
    #[error("one-time booking already used")]
    OneTimeUsed,
    /// Online booking is closed for this specialist (R1).
    #[error("online booking is closed for this specialist")]
    BookingClosed,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] kabinet_store::StoreError),
}

/// The result type of the service layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

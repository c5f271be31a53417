//! Kabinet's use cases, shared by the HTML pages and the JSON API so that every rule (who may
//! book what, which discount applies, what gets audited) is written once: validate, then one
//! store call that writes the change with its audit and outbox rows.

use std::sync::Arc;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kabinet_core::Clock;
use kabinet_core::net::Network;
use kabinet_core::patient::FieldErrors;
use kabinet_core::visit_rules::VisitLimits;
use kabinet_store::Store;
use kabinet_store::booking::BookingError;

pub mod accounts;
pub mod audit_log;
pub mod blocking;
pub mod booking;
pub mod calendar;
pub mod calendar_feeds;
pub mod catalog;
pub mod catalog_admin;
mod catalog_memo;
pub mod change_requests;
mod closures;
pub mod consents;
pub mod demo;
pub mod discounts;
pub mod documents;
pub mod files;
mod free_time;
pub mod front_desk;
pub mod inbox;
pub mod incidents;
mod limits;
pub mod mail;
pub mod offers;
pub mod photos;
pub mod prices;
pub mod registrar;
pub mod reminders;
pub mod representatives;
pub mod requests;
pub mod schedules;
pub mod second_factor;
pub mod services;
pub mod staff;
pub mod statistics;
mod visit_letters;
pub mod visit_moves;
pub mod visits;
pub mod waitlist;

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
    /// A session ends after this long without a request.
    pub session_idle: SignedDuration,
    /// A session ends this long after sign-in, however busy.
    pub session_lifetime: SignedDuration,
    /// How long a one-time password from the registrar works.
    pub one_time_password_ttl: SignedDuration,
    /// What patients may do with their own visits online.
    pub visit_limits: VisitLimits,
    /// The reverse proxies in front of the portal: only a request from one of them has its
    /// `X-Forwarded-For` read for the client's address.
    pub trusted_proxies: Vec<Network>,
    /// One-time bookings one client may make in an hour; 0 for no limit (a call centre that
    /// books through the API from one address).
    pub booking_rate_limit: u32,
    /// Who may read `/metrics`, by the socket peer's address (never `X-Forwarded-For`).
    pub metrics_allow: Vec<Network>,
    /// How long before a visit its reminder goes out (B8); zero for no reminders.
    pub reminder_before: SignedDuration,
    /// How many working days ahead the confirmation call list covers (B7): 1 is the next
    /// working day.
    pub call_window_days: u32,
    /// No-shows within `no_show_days` that close online booking for a patient; 0 never does.
    pub no_show_limit: u32,
    /// How many days back no-shows count.
    pub no_show_days: u32,
    /// How long a time offered from the waiting list is held for its patient (B8).
    pub waitlist_hold: SignedDuration,
    /// How many days raw page views are kept for the visit statistics (O3).
    pub statistics_retention_days: u32,
    /// The periods to answer subject requests and written requests (G8, K6).
    pub request_periods: kabinet_core::requests::RequestPeriods,
    /// The largest attachment, KiB.
    pub attachment_max_kb: u32,
}

/// The loopback networks, `127.0.0.0/8` and `::1`: the default of who may read `/metrics`.
pub fn loopback() -> Vec<Network> {
    Network::parse_list("127.0.0.0/8,::1").unwrap_or_default()
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
            session_idle: SignedDuration::from_mins(30),
            session_lifetime: SignedDuration::from_hours(12),
            one_time_password_ttl: SignedDuration::from_hours(72),
            visit_limits: VisitLimits::default(),
            trusted_proxies: Vec::new(),
            booking_rate_limit: 20,
            metrics_allow: loopback(),
            reminder_before: SignedDuration::from_hours(24),
            call_window_days: 1,
            no_show_limit: 3,
            no_show_days: 180,
            waitlist_hold: SignedDuration::from_mins(15),
            statistics_retention_days: 90,
            request_periods: kabinet_core::requests::RequestPeriods::default(),
            attachment_max_kb: 5120,
        }
    }
}

/// Everything a use case needs: the store, the clock and the settings. The store is private:
/// pages and the API reach the database only through the use cases, which check access and
/// write the audit rows.
#[derive(Clone)]
pub struct Kabinet {
    /// The database.
    store: Store,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
    /// The clinic's settings.
    pub settings: Arc<Settings>,
    /// Each specialist's free time, kept between requests.
    free_time_index: Arc<free_time::FreeTimeIndex>,
    /// The catalog as bookings read it, kept between requests.
    catalog_memo: Arc<catalog_memo::CatalogMemo>,
    /// Page views waiting for the worker to write them (O3).
    page_views: Arc<statistics::ViewBuffer>,
}

impl Kabinet {
    /// Builds the service layer.
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: Settings) -> Self {
        let (free_time_index, catalog_memo) = (Arc::default(), Arc::default());
        let page_views = Arc::default();
        Self {
            store,
            clock,
            settings: Arc::new(settings),
            free_time_index,
            catalog_memo,
            page_views,
        }
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Today in the clinic's zone.
    pub fn today(&self) -> jiff::civil::Date {
        self.now().to_zoned(self.settings.time_zone.clone()).date()
    }

    /// Whether the database answers, and which backend it is (for `/health`).
    pub async fn health(&self) -> Result<&'static str> {
        self.store.ping().await?;
        Ok(self.store.backend_name())
    }
}

/// The read models that pages and the API show, as the store reads them.
pub mod model {
    pub use kabinet_store::audit::AuditRow;
    pub use kabinet_store::blocking::DataBlockRow;
    pub use kabinet_store::booking::Visit;
    pub use kabinet_store::calendar_feeds::CalendarFeed;
    pub use kabinet_store::calls::{CallAttempt, DeskVisit};
    pub use kabinet_store::catalog::{
        Branch, Document, Service, ServiceGroup, Specialist, Specialty,
    };
    pub use kabinet_store::catalog_admin::{
        BranchRecord, Photo, SpecialistRecord, SpecialtyRecord,
    };
    pub use kabinet_store::change_requests::{ChangeRequest, ChangeValues};
    pub use kabinet_store::consents::{DocumentVersion, LedgerRow};
    pub use kabinet_store::discounts::{
        CardRow, CertificateListed, NewCode, PromotionListed, VisitPrice,
    };
    pub use kabinet_store::files::FileInfo;
    pub use kabinet_store::incidents::IncidentRow;
    pub use kabinet_store::messages::{Message, Thread, Written};
    pub use kabinet_store::outbox::FailedMail;
    pub use kabinet_store::prices::{PriceList, ServiceRecord};
    pub use kabinet_store::registrar::{FeedEntry, PatientRecord};
    pub use kabinet_store::requests::{
        AccessRow, Appeal, Disclosure, ExportMessage, ExportVisit, SubjectRequest,
    };
    pub use kabinet_store::schedules::VisitToMove;
    pub use kabinet_store::sessions::Session;
    pub use kabinet_store::staff::StaffMember;
    pub use kabinet_store::statistics::PageView;
    pub use kabinet_store::waitlist::WaitlistEntry;
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
    /// The request key was used by another caller or for another request.
    #[error("the request key belongs to another request")]
    IdempotencyMismatch,
    /// Online booking is closed for this specialist (R1).
    #[error("online booking is closed for this specialist")]
    BookingClosed,
    /// No valid session, or a wrong login or password (the same answer for both).
    #[error("unauthorized")]
    Unauthorized,
    /// The right password, but the e-mail is not confirmed yet.
    #[error("e-mail not confirmed")]
    EmailUnconfirmed,
    /// Too many failed sign-ins; try again after this many seconds.
    #[error("too many attempts")]
    Throttled {
        /// Seconds to wait.
        retry_after: i64,
    },
    /// Too many requests of one kind (one-time bookings, loss reports, letters) from one
    /// client, phone or mailbox; try again after this many seconds.
    #[error("too many requests")]
    RateLimited {
        /// Seconds to wait.
        retry_after: i64,
    },
    /// The patient holds as many visits as their access level allows.
    #[error("limit of active visits reached")]
    LimitReached,
    /// Too close to the visit to change it online.
    #[error("too late to change the visit online")]
    TooLate,
    /// The visit's time has not come: what happened to it cannot be marked yet.
    #[error("the visit has not started yet")]
    TooEarly,
    /// Online booking is closed for the patient after no-shows; they book by phone.
    #[error("online booking is closed for this patient")]
    OnlineBookingClosed {
        /// The clinic's phone to book by.
        phone: String,
    },
    /// Not allowed for this access level or role.
    #[error("forbidden")]
    Forbidden,
    /// The patient already waits for this specialist (and service) on some of these days.
    #[error("already in the waiting list")]
    AlreadyWaiting,
    /// A bug or a broken dependency; the detail is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
    /// The request was answered or refused already, or an access request was extended once
    /// already.
    #[error("the request is closed")]
    RequestClosed,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] kabinet_store::StoreError),
    /// The consent to processing of personal or health data is withdrawn by a request to
    /// stop processing or delete the data (152-FZ art. 9 p. 5, art. 21), not by a switch.
    #[error("withdrawing this consent is a request")]
    UseRequest,
    /// The patient's personal data is blocked (G4): nothing may process it until unblocked.
    #[error("the patient's data is blocked")]
    DataBlocked {
        /// The clinic's phone to call.
        phone: String,
    },
    /// The right password, but the clinic suspended the account, cancelled the registration
    /// or ended the service (A5, A7): the patient learns why only now, after the password.
    #[error("access closed by the clinic")]
    AccessClosed {
        /// Which of the three.
        reason: kabinet_core::access::BlockReason,
        /// The clinic's reason in words.
        note: Option<String>,
        /// The clinic's phone to call.
        phone: String,
    },
}

impl From<BookingError> for Error {
    fn from(error: BookingError) -> Self {
        match error {
            BookingError::SlotTaken => Self::SlotTaken,
            BookingError::OneTimeUsed => Self::OneTimeUsed,
            BookingError::LimitReached => Self::LimitReached,
            BookingError::IdempotencyMismatch => Self::IdempotencyMismatch,
            BookingError::CertificateSpent => Self::discount_code("error-discount-code-used"),
            BookingError::Store(e) => Self::Store(e),
        }
    }
}

impl Error {
    /// A discount code that cannot be used, with the message key saying why.
    pub(crate) fn discount_code(message: &'static str) -> Self {
        let mut errors = FieldErrors::default();
        errors.add("discount_code", message);
        Self::Validation(errors)
    }

    /// The HTTP status that answers it, on pages and in the API.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Validation(_) => 422,
            Self::SlotTaken
            | Self::OneTimeUsed
            | Self::BookingClosed
            | Self::LimitReached
            | Self::TooLate
            | Self::TooEarly
            | Self::AlreadyWaiting
            | Self::IdempotencyMismatch
            | Self::UseRequest
            | Self::RequestClosed => 409,
            Self::Unauthorized => 401,
            Self::EmailUnconfirmed | Self::Forbidden | Self::OnlineBookingClosed { .. } => 403,
            Self::Throttled { .. } | Self::RateLimited { .. } => 429,
            Self::Internal(_) | Self::Store(_) => 500,
            Self::DataBlocked { .. } => 423,
            Self::AccessClosed { .. } => 403,
        }
    }

    /// The code API clients match on (`error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Validation(_) => "validation",
            Self::SlotTaken => "slot_taken",
            Self::OneTimeUsed => "one_time_used",
            Self::IdempotencyMismatch => "idempotency_mismatch",
            Self::BookingClosed => "booking_closed",
            Self::Unauthorized => "unauthorized",
            Self::EmailUnconfirmed => "email_unconfirmed",
            Self::Throttled { .. } => "too_many_attempts",
            Self::RateLimited { .. } => "too_many_requests",
            Self::LimitReached => "limit_reached",
            Self::TooLate => "too_late",
            Self::TooEarly => "too_early",
            Self::OnlineBookingClosed { .. } => "online_booking_closed",
            Self::Forbidden => "forbidden",
            Self::AlreadyWaiting => "already_waiting",
            Self::RequestClosed => "request_closed",
            Self::Internal(_) | Self::Store(_) => "internal",
            Self::UseRequest => "use_request",
            Self::DataBlocked { .. } => "data_blocked",
            Self::AccessClosed { .. } => "access_closed",
        }
    }

    /// The message (a Fluent key) that tells a person what happened; for invalid input, the
    /// summary above the fields' own messages.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::NotFound => "error-not-found",
            Self::Validation(_) => "error-validation",
            Self::SlotTaken => "error-slot-taken",
            Self::OneTimeUsed => "error-one-time-used",
            Self::IdempotencyMismatch => "error-idempotency-mismatch",
            Self::BookingClosed => "error-booking-closed",
            Self::Unauthorized => "error-login-failed",
            Self::EmailUnconfirmed => "error-email-unconfirmed",
            Self::Throttled { .. } => "error-throttled",
            Self::RateLimited { .. } => "error-rate-limited",
            Self::LimitReached => "error-limit-reached",
            Self::TooLate => "error-too-late",
            Self::TooEarly => "error-too-early",
            Self::OnlineBookingClosed { .. } => "error-online-booking-closed",
            Self::Forbidden => "error-forbidden",
            Self::AlreadyWaiting => "error-already-waiting",
            Self::RequestClosed => "error-request-closed",
            Self::Internal(_) | Self::Store(_) => "error-internal",
            Self::UseRequest => "error-use-request",
            Self::DataBlocked { .. } => "error-data-blocked",
            Self::AccessClosed { reason, .. } => match reason {
                kabinet_core::access::BlockReason::RegistrationCancelled => {
                    "error-registration-cancelled"
                }
                kabinet_core::access::BlockReason::ServiceEnded => "error-service-ended",
                _ => "error-access-suspended",
            },
        }
    }

    /// Seconds to wait before trying again, where that is the answer.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            Self::Throttled { retry_after } | Self::RateLimited { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    /// Whether the system failed (logged with its detail; people see only the request id),
    /// rather than refusing what was asked.
    pub fn is_internal(&self) -> bool {
        self.status() >= 500
    }
}

/// The result type of the service layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

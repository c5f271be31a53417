//! Kabinet's domain: the types and rules of a clinic's patient portal, free of web and database
//! concerns. Values are built by `parse()` so that everything past the edge is already valid.

pub mod access;
pub mod account;
pub mod audit;
pub mod blocking;
pub mod catalog;
pub mod catalog_form;
pub mod change_request;
pub mod clock;
pub mod consent;
pub mod incident;
pub mod lang;
pub mod mail;
pub mod messages;
pub mod net;
pub mod password;
pub mod patient;
pub mod price_csv;
pub mod pricing;
pub mod representative;
pub mod requests;
pub mod roles;
pub mod schedule;
pub mod schedule_form;
pub mod search;
pub mod statistics;
pub mod stored;
pub mod token;
pub mod totp;
pub mod visit;
pub mod visit_rules;
pub mod waitlist;
pub mod working_days;

pub use clock::{Clock, ManualClock, SystemClock};

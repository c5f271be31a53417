//! Access levels of patients (R4–R7) and roles of staff: the seams every rule hangs on.

use serde::{Deserialize, Serialize};

/// How a patient came to the portal, which decides what they may do online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    /// A booking made without registration: one visit, no online cancel or reschedule (R4).
    OneTime,
    /// Registered online: one active booking with one specialist, may cancel or move it (R5).
    Unconfirmed,
    /// Credentials issued at the clinic after signing the rules: the whole cabinet (R6, R7).
    Confirmed,
}

impl AccessLevel {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OneTime => "one_time",
            Self::Unconfirmed => "unconfirmed",
            Self::Confirmed => "confirmed",
        }
    }

    /// Reads a stored name.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "one_time" => Some(Self::OneTime),
            "unconfirmed" => Some(Self::Unconfirmed),
            "confirmed" => Some(Self::Confirmed),
            _ => None,
        }
    }
}

/// Roles of the clinic's staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Front desk: patients, credentials, bookings, calls.
    Registrar,
    /// Settings, schedules, prices, documents, audit.
    Administrator,
}

/// Who did something, as the audit log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// Someone without an account (a visitor, or a one-time patient while booking).
    Visitor,
    /// A patient acting in their own account.
    Patient(i64),
    /// A member of staff.
    Staff(i64),
    /// The system itself (workers, demo loading).
    System,
}

impl Actor {
    /// The kind as stored in the audit log.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Visitor => "visitor",
            Self::Patient(_) => "patient",
            Self::Staff(_) => "staff",
            Self::System => "system",
        }
    }

    /// The actor's id, where it has one.
    pub fn id(self) -> Option<i64> {
        match self {
            Self::Patient(id) | Self::Staff(id) => Some(id),
            Self::Visitor | Self::System => None,
        }
    }
}

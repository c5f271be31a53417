//! Access levels of patients (R4–R7) and roles of staff: the seams every rule hangs on.

use crate::stored::stored_text;

stored_text! {
    /// How a patient came to the portal, which decides what they may do online.
    pub enum AccessLevel {
        /// A booking made without registration: one visit, no online cancel or reschedule (R4).
        OneTime = "one_time",
        /// Registered online: one active booking with one specialist, may cancel or move it (R5).
        Unconfirmed = "unconfirmed",
        /// Credentials issued at the clinic after signing the rules: the whole cabinet (R6, R7).
        Confirmed = "confirmed",
    }
}

stored_text! {
    /// Roles of the clinic's staff.
    pub enum StaffRole {
        /// Front desk: patients, credentials, bookings, calls.
        Registrar = "registrar",
        /// Settings, schedules, prices, documents, audit.
        Administrator = "administrator",
    }
}

stored_text! {
    /// Why a patient's account is blocked.
    pub enum BlockReason {
        /// The patient reported their credentials lost or stolen (A6, R17): new ones by the
        /// reset link.
        CredentialsLost = "credentials_lost",
        /// The clinic suspended the account (A5, R14): only the registrar lifts it.
        Suspended = "suspended",
        /// The clinic cancelled a self-registration it believes false (R14): for good.
        RegistrationCancelled = "registration_cancelled",
        /// The clinic ended the service for the patient (R21): for good.
        ServiceEnded = "service_ended",
    }
}

stored_text! {
    /// The kind of [`Actor`], as the audit log stores it.
    pub enum ActorKind {
        /// Someone without an account.
        Visitor = "visitor",
        /// A patient in their own account.
        Patient = "patient",
        /// A member of staff.
        Staff = "staff",
        /// The system itself.
        System = "system",
    }
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
    /// A legal representative (a patient, by their own patient id) acting in a dependent's
    /// cabinet (A8): stored as the representative patient, with the dependent in the row's
    /// details (`on_behalf_of`).
    Representative {
        /// The representative's patient id.
        representative: i64,
        /// The dependent's patient id.
        dependent: i64,
    },
}

impl Actor {
    /// The kind, as the audit log stores it.
    pub fn kind(self) -> ActorKind {
        match self {
            Self::Visitor => ActorKind::Visitor,
            Self::Patient(_) | Self::Representative { .. } => ActorKind::Patient,
            Self::Staff(_) => ActorKind::Staff,
            Self::System => ActorKind::System,
        }
    }

    /// The actor's id, where it has one.
    pub fn id(self) -> Option<i64> {
        match self {
            Self::Patient(id) | Self::Staff(id) => Some(id),
            Self::Representative { representative, .. } => Some(representative),
            Self::Visitor | Self::System => None,
        }
    }
}

/// Where a request came from, as the audit log and the consent ledger record it: the
/// client's address and the id of the request (the one in the server's log line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The client's IP address, where known.
    pub ip: Option<String>,
    /// The request's id, where there is a request.
    pub request_id: Option<String>,
}

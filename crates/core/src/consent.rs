//! The consents a patient gives or withdraws (G1): what they cover and how they were given.

use serde::{Deserialize, Serialize};

/// What a consent covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Processing of personal data, health data included (152-FZ art. 9–10, 323-FZ art. 13).
    PersonalData,
    /// Calls and messages to confirm bookings (R10).
    Calls,
    /// Advertising and newsletters (P4).
    Advertising,
    /// Cookies and visit statistics (P2.1, P3.3).
    Cookies,
    /// Acceptance of the portal's rules (R5, R6).
    Rules,
}

impl ConsentKind {
    /// The name stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PersonalData => "personal_data",
            Self::Calls => "calls",
            Self::Advertising => "advertising",
            Self::Cookies => "cookies",
            Self::Rules => "rules",
        }
    }
}

/// How a consent reached the clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Ticked by the subject on the portal.
    Online,
    /// Signed on paper at the clinic and entered by staff.
    Paper,
}

impl Channel {
    /// The name stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Paper => "paper",
        }
    }
}

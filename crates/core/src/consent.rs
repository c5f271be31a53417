//! The consents a patient gives or withdraws (G1): what they cover, how they were given, and
//! the published documents they refer to.

use crate::stored::stored_text;

stored_text! {
    /// What a consent covers.
    pub enum ConsentKind {
        /// Processing of personal data (152-FZ art. 9).
        PersonalData = "personal_data",
        /// Calls and messages to confirm bookings (R10).
        Calls = "calls",
        /// Advertising and newsletters (P4).
        Advertising = "advertising",
        /// Cookies and visit statistics (P2.1, P3.3).
        Cookies = "cookies",
        /// Acceptance of the portal's rules (R5, R6).
        Rules = "rules",
        /// Processing of health data, a special category (152-FZ art. 10): asked apart from
        /// personal data.
        HealthData = "health_data",
    }
}

stored_text! {
    /// How a consent reached the clinic.
    pub enum Channel {
        /// Ticked by the subject on the portal.
        Online = "online",
        /// Signed on paper at the clinic and entered by staff.
        Paper = "paper",
    }
}

stored_text! {
    /// Who entered a consent in the ledger.
    pub enum RecordedAs {
        /// The subject, on the portal.
        Patient = "patient",
        /// A legal representative, for their dependent.
        Representative = "representative",
        /// A registrar, from a paper form signed at the clinic.
        Registrar = "registrar",
    }
}

impl ConsentKind {
    /// The purposes a patient sees in the ledger, in the order shown.
    pub const PURPOSES: [ConsentKind; 5] = [
        ConsentKind::PersonalData,
        ConsentKind::HealthData,
        ConsentKind::Calls,
        ConsentKind::Advertising,
        ConsentKind::Cookies,
    ];

    /// Whether the portal needs it to serve the patient at all: withdrawing it is a request
    /// to stop processing or delete the data (152-FZ art. 9 p. 5, art. 21), not a switch.
    pub fn required(self) -> bool {
        matches!(self, ConsentKind::PersonalData | ConsentKind::HealthData | ConsentKind::Rules)
    }

    /// The document whose text the consent refers to.
    pub fn document(self) -> DocumentKind {
        match self {
            ConsentKind::Rules | ConsentKind::Calls | ConsentKind::Advertising => {
                DocumentKind::Rules
            }
            ConsentKind::PersonalData | ConsentKind::HealthData | ConsentKind::Cookies => {
                DocumentKind::Privacy
            }
        }
    }
}

stored_text! {
    /// The documents the clinic publishes in versions (O2); a consent names the one it
    /// refers to.
    pub enum DocumentKind {
        /// Правила использования сервиса.
        Rules = "rules",
        /// Политика конфиденциальности.
        Privacy = "privacy",
    }
}

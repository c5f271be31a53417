//! The consents a patient gives or withdraws (G1): what they cover, how they were given, and
//! the published documents they refer to.

use crate::stored::stored_text;

stored_text! {
    /// What a consent covers.
    pub enum ConsentKind {
        /// Processing of personal data, health data included (152-FZ art. 9–10, 323-FZ art. 13).
        PersonalData = "personal_data",
        /// Calls and messages to confirm bookings (R10).
        Calls = "calls",
        /// Advertising and newsletters (P4).
        Advertising = "advertising",
        /// Cookies and visit statistics (P2.1, P3.3).
        Cookies = "cookies",
        /// Acceptance of the portal's rules (R5, R6).
        Rules = "rules",
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
    /// The documents the clinic publishes in versions (O2); a consent names the one it
    /// refers to.
    pub enum DocumentKind {
        /// Правила использования сервиса.
        Rules = "rules",
        /// Политика конфиденциальности.
        Privacy = "privacy",
    }
}

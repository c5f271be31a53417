//! A patient's requests to the clinic: subject requests under 152-FZ (G8: access, correction,
//! stop of processing, deletion, each with the law's deadline), written requests and
//! complaints (K6, P8.2), the disclosure register (G3), and the files attached to them.

use crate::stored::stored_text;
use crate::working_days::Period;

stored_text! {
    /// What a subject request asks for (152-FZ art. 14, 20, 21).
    pub enum RequestKind {
        /// Access to one's data: a copy and what the clinic does with it.
        Access = "access",
        /// Correction of inaccurate data.
        Correction = "correction",
        /// A stop of processing.
        Stop = "stop",
        /// Deletion (medical records stay as 323-FZ requires).
        Deletion = "deletion",
    }
}

stored_text! {
    /// Where a subject request stands.
    pub enum RequestStatus {
        /// Received, nobody opened it yet.
        New = "new",
        /// Staff opened it.
        InProgress = "in_progress",
        /// An access request whose period was extended once, with a reason.
        Extended = "extended",
        /// The clinic answered.
        Answered = "answered",
        /// The clinic refused, with a reason.
        Refused = "refused",
    }
}

impl RequestStatus {
    /// Whether the request still waits for the clinic.
    pub fn is_open(self) -> bool {
        matches!(self, Self::New | Self::InProgress | Self::Extended)
    }
}

/// The periods of the law, as settings (defaults: 10, 7, 10 working days, 30 calendar days;
/// an access request extended once by 5 working days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestPeriods {
    /// Access to one's data, working days.
    pub access: u32,
    /// The one extension of an access request, working days.
    pub access_extension: u32,
    /// Correction, working days.
    pub correction: u32,
    /// Stop of processing, working days.
    pub stop: u32,
    /// Deletion, calendar days.
    pub deletion: u32,
    /// Written requests and complaints, calendar days.
    pub appeal: u32,
}

impl Default for RequestPeriods {
    fn default() -> Self {
        Self { access: 10, access_extension: 5, correction: 7, stop: 10, deletion: 30, appeal: 30 }
    }
}

impl RequestPeriods {
    /// The period of a request of `kind`.
    pub fn of(&self, kind: RequestKind) -> Period {
        match kind {
            RequestKind::Access => Period::WorkingDays(self.access),
            RequestKind::Correction => Period::WorkingDays(self.correction),
            RequestKind::Stop => Period::WorkingDays(self.stop),
            RequestKind::Deletion => Period::CalendarDays(self.deletion),
        }
    }
}

stored_text! {
    /// A consent a patient may withdraw together with a request (G1): the processing of
    /// personal data, or of health data.
    pub enum WithdrawableConsent {
        /// Processing of personal data.
        PersonalData = "personal_data",
        /// Processing of health data.
        HealthData = "health_data",
    }
}

stored_text! {
    /// What a written request or complaint is about.
    pub enum AppealCategory {
        /// A certificate of paid medical services for the tax deduction.
        TaxCertificate = "tax_certificate",
        /// A complaint.
        Complaint = "complaint",
        /// Thanks.
        Gratitude = "gratitude",
        /// A question.
        Question = "question",
        /// Copies of medical documents.
        MedicalCopies = "medical_copies",
        /// Anything else.
        Other = "other",
    }
}

stored_text! {
    /// Where a written request or complaint stands.
    pub enum AppealStatus {
        /// Received.
        New = "new",
        /// Staff opened it.
        InProgress = "in_progress",
        /// The clinic answered.
        Answered = "answered",
    }
}

stored_text! {
    /// Whose expenses a tax certificate is for.
    pub enum Taxpayer {
        /// The patient themself.
        Patient = "self",
        /// A relative who paid (a spouse, a parent, a child).
        Relative = "relative",
    }
}

stored_text! {
    /// The legal basis of giving a patient's data to someone (G3).
    pub enum DisclosureBasis {
        /// A court's, investigator's or prosecutor's request (152-FZ art. 6 p. 1 (3), 323-FZ
        /// art. 13 p. 4 (3)).
        CourtOrInvestigator = "court_or_investigator",
        /// Another item of 323-FZ art. 13 p. 4 (an epidemic threat, a military commissariat,
        /// an accident investigation…).
        MedicalSecrecyException = "medical_secrecy_exception",
        /// The patient's written consent (323-FZ art. 13 p. 3).
        WrittenConsent = "written_consent",
        /// Another basis, named in text.
        Other = "other",
    }
}

/// A file type we accept, told by its first bytes, never by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// `%PDF-`.
    Pdf,
    /// `FF D8 FF`.
    Jpeg,
    /// The PNG signature.
    Png,
}

impl FileType {
    /// The type of `bytes`, if one we take.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }

    /// Its media type.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// The extension of a download's name.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }

    /// The type of a stored media type.
    pub fn of_content_type(content_type: &str) -> Option<Self> {
        [Self::Pdf, Self::Jpeg, Self::Png].into_iter().find(|t| t.content_type() == content_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_by_content_not_name() {
        assert_eq!(FileType::sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(FileType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(FileType::sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileType::Png));
        assert_eq!(FileType::sniff(b"just text, named .pdf"), None);
        assert_eq!(FileType::sniff(b""), None);
        assert_eq!(FileType::of_content_type("image/png"), Some(FileType::Png));
    }

    #[test]
    fn the_periods_of_the_law() {
        let p = RequestPeriods::default();
        assert_eq!(p.of(RequestKind::Access), Period::WorkingDays(10));
        assert_eq!(p.of(RequestKind::Correction), Period::WorkingDays(7));
        assert_eq!(p.of(RequestKind::Stop), Period::WorkingDays(10));
        assert_eq!(p.of(RequestKind::Deletion), Period::CalendarDays(30));
        assert!(RequestStatus::Extended.is_open());
        assert!(!RequestStatus::Refused.is_open());
    }
}

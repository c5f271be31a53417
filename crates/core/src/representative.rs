//! Legal representatives (A8; 323-FZ art. 20, 22, 54) and the identity documents the front
//! desk records (K4): the basis of a link, the kinds of document, a document's number (kept
//! whole, shown masked), and when a link is live.

use jiff::civil::Date;

use crate::patient::age_on;
use crate::stored::stored_text;

stored_text! {
    /// On what grounds a representative acts for a dependent.
    pub enum RepresentativeBasis {
        /// A parent of a minor.
        Parent = "parent",
        /// An adoptive parent of a minor.
        AdoptiveParent = "adoptive_parent",
        /// A guardian of a minor (under 14).
        Guardian = "guardian",
        /// A trustee (попечитель) of a minor aged 14 to 18.
        Trustee = "trustee",
        /// A guardian of an adult found incapable by a court: the link does not end at 18.
        IncapacityGuardian = "incapacity_guardian",
    }
}

stored_text! {
    /// A document the registrar saw: an identity document, or the one behind a link.
    pub enum IdDocumentKind {
        /// Паспорт гражданина РФ.
        PassportRf = "passport_rf",
        /// Свидетельство о рождении.
        BirthCertificate = "birth_certificate",
        /// Заграничный паспорт.
        ForeignPassport = "foreign_passport",
        /// Вид на жительство.
        ResidencePermit = "residence_permit",
        /// Акт органа опеки о назначении опекуна или попечителя.
        GuardianshipAct = "guardianship_act",
        /// Решение суда.
        CourtDecision = "court_decision",
        /// Свидетельство об усыновлении.
        AdoptionCertificate = "adoption_certificate",
        /// Иной документ.
        Other = "other",
    }
}

impl IdDocumentKind {
    /// The identity documents a change of personal data may rest on.
    pub const IDENTITY: &'static [Self] = &[
        Self::PassportRf,
        Self::BirthCertificate,
        Self::ForeignPassport,
        Self::ResidencePermit,
        Self::Other,
    ];

    /// The documents a link of a representative may rest on.
    pub const LINK: &'static [Self] = &[
        Self::BirthCertificate,
        Self::AdoptionCertificate,
        Self::GuardianshipAct,
        Self::CourtDecision,
        Self::PassportRf,
        Self::Other,
    ];
}

/// A document's number as the registrar typed it: 4 to 30 letters, digits, spaces, `-`, `/`
/// or `№`, with at least 4 digits or letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentNumber(String);

impl DocumentNumber {
    /// Trims and checks a number.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return Err("error-required");
        }
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '-' | '/' | '№');
        let significant = value.chars().filter(|c| c.is_alphanumeric()).count();
        if value.chars().count() > 30 || !value.chars().all(allowed) || significant < 4 {
            return Err("error-document-number-invalid");
        }
        Ok(Self(value))
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stored number as every view shows it: only its last 4 letters or digits, `•••• 1234`.
pub fn mask_number(number: &str) -> String {
    let tail: Vec<char> = number.chars().filter(|c| c.is_alphanumeric()).collect();
    let last: String = tail[tail.len().saturating_sub(4)..].iter().collect();
    format!("•••• {last}")
}

/// The age from which a dependent may hold their own account and sees who acts for them
/// (323-FZ art. 54).
pub const OWN_ACCOUNT_AGE: i16 = 15;

/// The age of majority: a minor's link ends on this birthday.
pub const MAJORITY_AGE: i16 = 18;

/// Whether a link on `basis` for a dependent born on `birth` still holds on `today`: a
/// minor's ends at 18, a guardian of an incapacitated adult's does not end by age.
pub fn link_live(basis: RepresentativeBasis, birth: Date, today: Date) -> bool {
    basis == RepresentativeBasis::IncapacityGuardian || age_on(birth, today) < MAJORITY_AGE
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_number_is_shown_by_its_last_four_characters_only() {
        assert_eq!(mask_number("45 09 123456"), "•••• 3456");
        assert_eq!(mask_number("IV-МЮ № 512345"), "•••• 2345");
        assert_eq!(mask_number("12"), "•••• 12");
    }

    #[test]
    fn numbers_are_checked() {
        assert_eq!(
            DocumentNumber::parse("  45 09  123456 ").map(|n| n.0),
            Ok("45 09 123456".into())
        );
        assert_eq!(DocumentNumber::parse(""), Err("error-required"));
        assert_eq!(DocumentNumber::parse("12"), Err("error-document-number-invalid"));
        assert_eq!(DocumentNumber::parse("1234<script>"), Err("error-document-number-invalid"));
    }

    #[test]
    fn a_minors_link_ends_on_the_eighteenth_birthday() {
        let birth = date(2008, 12, 3);
        assert!(link_live(RepresentativeBasis::Parent, birth, date(2026, 12, 2)));
        assert!(!link_live(RepresentativeBasis::Parent, birth, date(2026, 12, 3)));
        assert!(link_live(RepresentativeBasis::IncapacityGuardian, birth, date(2030, 1, 1)));
    }
}

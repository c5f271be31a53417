//! Kinds the clinic's catalog keeps as text.

use crate::stored::stored_text;

stored_text! {
    /// A specialist's gender, for the avatar and for grammar.
    pub enum Gender {
        /// Female.
        Female = "f",
        /// Male.
        Male = "m",
    }
}

stored_text! {
    /// What a service of the price list is. The directory's «от» price is the lowest
    /// consultation's, and a specialist's page lists their services by kind, in this order.
    pub enum ServiceKind {
        /// A visit to the doctor: an examination, a consultation.
        Consultation = "consultation",
        /// A procedure: an injection, physiotherapy, a vaccination.
        Procedure = "procedure",
        /// An instrumental examination: ultrasound, ECG.
        Diagnostics = "diagnostics",
        /// A laboratory test.
        Test = "test",
        /// A certificate or a copy of medical records.
        Certificate = "certificate",
        /// A complex program: never discounted online (R8).
        Program = "program",
    }
}

impl ServiceKind {
    /// Whether patients book a visit for it online: tests and certificates are ordered at
    /// the front desk, not booked with a specialist.
    pub fn is_booked_online(self) -> bool {
        matches!(self, Self::Consultation | Self::Procedure | Self::Diagnostics | Self::Program)
    }
}

/// The ages a specialty sees, in full years, both ends included: a pediatrician 0–17, a
/// therapist from 18. An open end is `None`; a specialty that says nothing sees everyone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgeRange {
    /// The youngest age seen.
    pub from: Option<u8>,
    /// The oldest age seen.
    pub to: Option<u8>,
}

impl AgeRange {
    /// From the stored bounds; an impossible one (negative, past 150, or a range that ends
    /// before it starts) is refused with a message key.
    pub fn parse(from: Option<i64>, to: Option<i64>) -> Result<Self, &'static str> {
        let bound = |age: Option<i64>| match age {
            None => Ok(None),
            Some(age) => u8::try_from(age)
                .ok()
                .filter(|age| *age <= 150)
                .map(Some)
                .ok_or("error-age-range-invalid"),
        };
        let range = Self { from: bound(from)?, to: bound(to)? };
        match (range.from, range.to) {
            (Some(from), Some(to)) if from > to => Err("error-age-range-invalid"),
            _ => Ok(range),
        }
    }

    /// Whether a patient of `age` full years is within the range.
    pub fn accepts(self, age: i16) -> bool {
        self.from.is_none_or(|from| age >= i16::from(from))
            && self.to.is_none_or(|to| age <= i16::from(to))
    }

    /// Whether the range limits anyone.
    pub fn is_limited(self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pediatric_range_sees_children_and_an_adult_one_grown_ups() {
        let children = AgeRange::parse(Some(0), Some(17)).unwrap_or_default();
        assert!(children.accepts(0) && children.accepts(17));
        assert!(!children.accepts(18) && !children.accepts(64));
        let adults = AgeRange::parse(Some(18), None).unwrap_or_default();
        assert!(adults.accepts(18) && adults.accepts(101));
        assert!(!adults.accepts(7));
        let everyone = AgeRange::default();
        assert!(everyone.accepts(0) && everyone.accepts(64) && !everyone.is_limited());
    }

    #[test]
    fn impossible_ranges_are_refused() {
        for (from, to) in [(Some(18), Some(17)), (Some(-1), None), (None, Some(300))] {
            assert_eq!(
                AgeRange::parse(from, to),
                Err("error-age-range-invalid"),
                "{from:?}–{to:?}"
            );
        }
        assert_eq!(AgeRange::parse(None, None), Ok(AgeRange::default()));
    }
}

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
    /// Why a specialist does not work on some days.
    pub enum AbsenceReason {
        /// A vacation.
        Vacation = "vacation",
        /// A day off.
        DayOff = "day_off",
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

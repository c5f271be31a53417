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

//! What the database keeps about a visit besides its time: where it stands and who booked it.

use crate::stored::stored_text;

stored_text! {
    /// Where a visit stands.
    pub enum VisitStatus {
        /// Booked and holding its slot.
        Booked = "booked",
        /// Cancelled by the patient or the clinic: the slot is free again.
        Cancelled = "cancelled",
    }
}

stored_text! {
    /// Who booked a visit, and through which door.
    pub enum VisitSource {
        /// A visitor's one-time booking without an account (B2).
        OneTime = "one_time",
        /// A signed-in patient in the cabinet or over the API (B3, B4).
        Cabinet = "cabinet",
        /// The registrar, for the patient (B5).
        Registrar = "registrar",
    }
}

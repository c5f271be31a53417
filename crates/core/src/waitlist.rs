//! The fair waiting list (B8): where a patient's place in line and a time offered to it stand.

use crate::stored::stored_text;

stored_text! {
    /// Where a place in the waiting list stands.
    pub enum WaitlistStatus {
        /// In line: the patient is offered the first matching free time.
        Waiting = "waiting",
        /// The patient booked a time the list held for them.
        Booked = "booked",
        /// The patient left the line.
        Left = "left",
    }
}

stored_text! {
    /// Where a time offered from the waiting list stands.
    pub enum OfferStatus {
        /// Held for the patient now: nobody else can book it.
        Open = "open",
        /// The patient booked it.
        Booked = "booked",
        /// The hold ran out unused; the patient stays in line and the time goes to the next.
        Missed = "missed",
        /// The patient left the line, which let the time go at once.
        Released = "released",
    }
}

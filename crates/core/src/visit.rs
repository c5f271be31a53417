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

stored_text! {
    /// What happened to a visit once its time came, as the registrar marks it. A cancelled
    /// visit has none; a booked one has none until marked.
    pub enum VisitOutcome {
        /// The patient came («пришёл»).
        Arrived = "arrived",
        /// The visit took place («приём состоялся»).
        Completed = "completed",
        /// The patient did not come («не пришёл»): counts towards the no-show policy.
        NoShow = "no_show",
    }
}

stored_text! {
    /// How a confirmation call went (B7, R10). Several calls may be made about one visit; the
    /// last one is the visit's confirmation state.
    pub enum CallOutcome {
        /// The patient confirmed they will come («подтвердил»).
        Confirmed = "confirmed",
        /// Nobody answered («не дозвонились»): call again.
        NoAnswer = "no_answer",
        /// The patient cancelled («отменил»): the visit is cancelled with the call.
        Cancelled = "cancelled",
        /// The patient asked for another time («перенёс»): the registrar moves the visit.
        Moved = "moved",
        /// The number is not the patient's («неверный номер»).
        WrongNumber = "wrong_number",
    }
}

/// Whether `no_shows` counted within the policy's days close online booking under a limit
/// of `limit` no-shows (0: the policy never closes it).
pub const fn online_booking_closed(no_shows: u32, limit: u32) -> bool {
    limit > 0 && no_shows >= limit
}

#[cfg(test)]
mod tests {
    use super::online_booking_closed;

    #[test]
    fn the_limit_closes_online_booking_and_zero_never_does() {
        assert!(!online_booking_closed(2, 3));
        assert!(online_booking_closed(3, 3));
        assert!(online_booking_closed(4, 3));
        assert!(!online_booking_closed(10, 0));
    }
}

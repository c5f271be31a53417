//! What a patient may do with their own visits online, by access level (R4, R5, R9): how
//! many they may hold and until when they may cancel or move one. The clinic's limits are
//! settings; the rules are here, once, for pages and API alike.

use jiff::{SignedDuration, Timestamp};

use crate::access::AccessLevel;

/// The clinic's limits on patients' own changes (B3, B4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitLimits {
    /// A visit can be cancelled online until this long before it starts.
    pub cancel_cutoff: SignedDuration,
    /// A visit can be moved online until this long before it starts.
    pub reschedule_cutoff: SignedDuration,
    /// How many future visits a confirmed patient may hold at once.
    pub max_active_confirmed: usize,
}

impl Default for VisitLimits {
    fn default() -> Self {
        Self {
            cancel_cutoff: SignedDuration::from_hours(3),
            reschedule_cutoff: SignedDuration::from_hours(12),
            max_active_confirmed: 5,
        }
    }
}

/// Why a patient may not do it online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Already holding as many visits as the access level allows.
    #[error("limit of active visits reached")]
    LimitReached,
    /// Too close to the visit for an online change.
    #[error("too late to change the visit online")]
    TooLate,
    /// The access level does not allow this online at all.
    #[error("not allowed for this access level")]
    Forbidden,
}

/// How many future visits a patient of this access level may hold at once. The store counts
/// them inside the booking's transaction.
pub fn active_cap(level: AccessLevel, limits: &VisitLimits) -> Result<usize, Refusal> {
    match level {
        // A one-time booking is made without an account, once (R4).
        AccessLevel::OneTime => Err(Refusal::Forbidden),
        // One visit with one specialist (R5).
        AccessLevel::Unconfirmed => Ok(1),
        AccessLevel::Confirmed => Ok(limits.max_active_confirmed),
    }
}

/// What change a patient asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Cancel the visit.
    Cancel,
    /// Move it to another slot.
    Reschedule,
}

/// May a patient cancel or move the visit starting at `starts_at`, now?
pub fn may_change(
    level: AccessLevel,
    change: Change,
    starts_at: Timestamp,
    now: Timestamp,
    limits: &VisitLimits,
) -> Result<(), Refusal> {
    if level == AccessLevel::OneTime {
        return Err(Refusal::Forbidden);
    }
    let cutoff = match change {
        Change::Cancel => limits.cancel_cutoff,
        Change::Reschedule => limits.reschedule_cutoff,
    };
    if now + cutoff > starts_at { Err(Refusal::TooLate) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: VisitLimits = VisitLimits {
        cancel_cutoff: SignedDuration::from_hours(3),
        reschedule_cutoff: SignedDuration::from_hours(12),
        max_active_confirmed: 2,
    };

    #[test]
    fn each_access_level_holds_its_number_of_visits() {
        assert_eq!(active_cap(AccessLevel::OneTime, &LIMITS), Err(Refusal::Forbidden));
        assert_eq!(active_cap(AccessLevel::Unconfirmed, &LIMITS), Ok(1));
        assert_eq!(active_cap(AccessLevel::Confirmed, &LIMITS), Ok(2));
    }

    #[test]
    fn cancel_and_reschedule_have_their_own_cutoffs() {
        let now: Timestamp = "2026-11-23T06:00:00Z".parse().unwrap();
        let start = now + SignedDuration::from_hours(5);
        let level = AccessLevel::Unconfirmed;
        assert_eq!(may_change(level, Change::Cancel, start, now, &LIMITS), Ok(()));
        assert_eq!(
            may_change(level, Change::Reschedule, start, now, &LIMITS),
            Err(Refusal::TooLate)
        );
        let at_cutoff = now + SignedDuration::from_hours(3);
        assert_eq!(may_change(level, Change::Cancel, at_cutoff, now, &LIMITS), Ok(()));
        let inside = at_cutoff - SignedDuration::from_secs(1);
        assert_eq!(may_change(level, Change::Cancel, inside, now, &LIMITS), Err(Refusal::TooLate));
        assert_eq!(
            may_change(AccessLevel::OneTime, Change::Cancel, start, now, &LIMITS),
            Err(Refusal::Forbidden)
        );
    }
}

//! Working hours and free time (C2): weekly rules and absences make slots in the clinic's time
//! zone; bookings and the booking window take slots away.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;

/// A weekly working interval of a specialist, split into slots of one length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkRule {
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    pub weekday: i8,
    /// Start of work, minutes after midnight in the clinic's zone.
    pub start_minute: i32,
    /// End of work (exclusive), minutes after midnight.
    pub end_minute: i32,
    /// The length of one visit, minutes.
    pub slot_minutes: i32,
    /// First day the rule applies.
    pub valid_from: Date,
    /// Last day the rule applies.
    pub valid_until: Date,
}

/// Days a specialist does not work: a vacation, a day off, training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    /// First day away.
    pub from: Date,
    /// Last day away (inclusive).
    pub until: Date,
}

/// A time a specialist can see one patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Slot {
    /// When the visit starts.
    pub start: Timestamp,
    /// When it ends.
    pub end: Timestamp,
}

/// Every slot of the working rules on the days `from..=until`, in order, absences left out.
pub fn working_slots(
    rules: &[WorkRule],
    absences: &[Absence],
    from: Date,
    until: Date,
    tz: &TimeZone,
) -> Vec<Slot> {
    let mut slots = Vec::new();
    let mut day = from;
    while day <= until {
        let away = absences.iter().any(|a| a.from <= day && day <= a.until);
        let weekday = day.weekday().to_monday_one_offset();
        if !away {
            for rule in rules
                .iter()
                .filter(|r| r.weekday == weekday && r.valid_from <= day && day <= r.valid_until)
            {
                push_rule_slots(&mut slots, rule, day, tz);
            }
        }
        match day.checked_add(1.day()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    slots.sort_unstable();
    slots.dedup_by_key(|s| s.start);
    slots
}

fn push_rule_slots(slots: &mut Vec<Slot>, rule: &WorkRule, day: Date, tz: &TimeZone) {
    if rule.slot_minutes <= 0 || rule.end_minute <= rule.start_minute {
        return;
    }
    let Ok(start_time) = minute_of_day(rule.start_minute) else { return };
    let Ok(first) = day.to_datetime(start_time).to_zoned(tz.clone()) else { return };
    let step = SignedDuration::from_mins(i64::from(rule.slot_minutes));
    let count = (rule.end_minute - rule.start_minute) / rule.slot_minutes;
    let mut start = first.timestamp();
    for _ in 0..count {
        let Ok(end) = start.checked_add(step) else { return };
        slots.push(Slot { start, end });
        start = end;
    }
}

fn minute_of_day(minute: i32) -> Result<Time, jiff::Error> {
    let hour = i8::try_from(minute / 60).unwrap_or(i8::MAX);
    let minute = i8::try_from(minute % 60).unwrap_or(i8::MAX);
    Time::new(hour, minute, 0, 0)
}

/// When patients may book: from `now` plus the minimum lead time to the end of the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingWindow {
    /// The earliest start a patient may book.
    pub earliest: Timestamp,
    /// The last day of the horizon, in the clinic's zone.
    pub last_day: Date,
}

impl BookingWindow {
    /// The window seen at `now`: `lead` ahead, through `horizon_days` days from today.
    pub fn at(now: Timestamp, lead: SignedDuration, horizon_days: i32, tz: &TimeZone) -> Self {
        let today = now.to_zoned(tz.clone()).date();
        let last_day = today.checked_add(horizon_days.days()).unwrap_or(today);
        let earliest = now.checked_add(lead).unwrap_or(now);
        Self { earliest, last_day }
    }

    /// Today in the clinic's zone, as seen from `earliest`.
    pub fn first_day(&self, tz: &TimeZone) -> Date {
        self.earliest.to_zoned(tz.clone()).date()
    }
}

/// The slots still free: within the window and overlapping no live booking. `taken` holds
/// the bookings' (start, end) in Unix seconds, in any order; a visit longer than one slot
/// takes every slot it overlaps.
pub fn free_slots(slots: Vec<Slot>, taken: &[(i64, i64)], window: &BookingWindow) -> Vec<Slot> {
    let mut taken = taken.to_vec();
    taken.sort_unstable();
    // Slots come in order, so the bookings that ended before a slot are passed for good.
    let mut next = 0;
    slots
        .into_iter()
        .filter(|s| s.start >= window.earliest)
        .filter(|s| {
            let (start, end) = (s.start.as_second(), s.end.as_second());
            while next < taken.len() && taken[next].1 <= start {
                next += 1;
            }
            !taken[next..].iter().take_while(|t| t.0 < end).any(|t| t.1 > start)
        })
        .collect()
}

/// The times a service of `minutes` can start: a free slot, followed by as many back-to-back
/// free slots as the service needs. Each time offered lasts the service's length.
pub fn fit_service(free: &[Slot], minutes: i32) -> Vec<Slot> {
    let length = SignedDuration::from_mins(i64::from(minutes.max(1)));
    let mut fitted = Vec::new();
    for (i, first) in free.iter().enumerate() {
        let Ok(end) = first.start.checked_add(length) else { continue };
        let mut covered = first.end;
        for next in &free[i + 1..] {
            if covered >= end || next.start != covered {
                break;
            }
            covered = next.end;
        }
        if covered >= end {
            fitted.push(Slot { start: first.start, end });
        }
    }
    fitted
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn moscow() -> TimeZone {
        TimeZone::get("Europe/Moscow").unwrap()
    }

    fn rule(weekday: i8, start: i32, end: i32, slot: i32) -> WorkRule {
        WorkRule {
            weekday,
            start_minute: start * 60,
            end_minute: end * 60,
            slot_minutes: slot,
            valid_from: date(2026, 1, 1),
            valid_until: date(2026, 12, 31),
        }
    }

    #[test]
    fn a_monday_morning_becomes_slots_in_moscow_time() {
        // 2026-11-23 is a Monday.
        let slots = working_slots(
            &[rule(1, 9, 11, 30)],
            &[],
            date(2026, 11, 23),
            date(2026, 11, 29),
            &moscow(),
        );
        let starts: Vec<String> = slots
            .iter()
            .map(|s| s.start.to_zoned(moscow()).strftime("%a %H:%M").to_string())
            .collect();
        assert_eq!(starts, ["Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30"]);
        assert_eq!(slots[0].start.to_string(), "2026-11-23T06:00:00Z", "stored as UTC");
        assert_eq!(slots[0].start.duration_until(slots[0].end), SignedDuration::from_mins(30));
    }

    #[test]
    fn a_vacation_and_the_rule_validity_remove_days() {
        let mut short = rule(2, 10, 12, 60);
        short.valid_until = date(2026, 11, 30);
        let vacation = Absence { from: date(2026, 11, 23), until: date(2026, 11, 24) };
        let slots = working_slots(
            &[rule(1, 9, 10, 60), short],
            &[vacation],
            date(2026, 11, 23),
            date(2026, 12, 8),
            &moscow(),
        );
        let days: Vec<String> =
            slots.iter().map(|s| s.start.to_zoned(moscow()).date().to_string()).collect();
        assert_eq!(days, ["2026-11-30", "2026-12-07"], "Tuesday rule ended; vacation week skipped");
    }

    #[test]
    fn a_slot_that_does_not_fit_the_interval_is_not_offered() {
        let slots = working_slots(
            &[rule(1, 9, 10, 40)],
            &[],
            date(2026, 11, 23),
            date(2026, 11, 23),
            &moscow(),
        );
        assert_eq!(slots.len(), 1);
    }

    #[test]
    fn taken_and_too_early_slots_are_not_free() {
        let tz = moscow();
        let slots =
            working_slots(&[rule(1, 9, 11, 30)], &[], date(2026, 11, 23), date(2026, 11, 23), &tz);
        let now: Timestamp = "2026-11-23T06:10:00Z".parse().unwrap();
        let window = BookingWindow::at(now, SignedDuration::from_mins(30), 28, &tz);
        let taken = [(slots[2].start.as_second(), slots[2].end.as_second())];
        let free = free_slots(slots.clone(), &taken, &window);
        assert_eq!(free, vec![slots[3]], "09:00 passed, 09:30 within the lead time, 10:00 taken");
        assert_eq!(window.last_day, date(2026, 12, 21));
    }

    #[test]
    fn a_long_service_needs_back_to_back_free_slots() {
        let tz = moscow();
        let slots =
            working_slots(&[rule(1, 9, 11, 30)], &[], date(2026, 11, 23), date(2026, 11, 23), &tz);
        let free = [slots[0], slots[1], slots[3]];
        let hour = fit_service(&free, 60);
        assert_eq!(hour.len(), 1, "09:00–10:00 only: 10:00 is taken, 10:30 is the day's last");
        assert_eq!(hour[0].start, slots[0].start);
        assert_eq!(hour[0].end, slots[1].end);
        assert_eq!(fit_service(&free, 30), free.to_vec(), "a slot's length fits every slot");
        let window = BookingWindow { earliest: slots[0].start, last_day: date(2026, 12, 31) };
        let hour_visit = [(slots[0].start.as_second(), slots[1].end.as_second())];
        let left = free_slots(slots.clone(), &hour_visit, &window);
        assert_eq!(left, vec![slots[2], slots[3]], "an hour's visit takes both of its slots");
        let quarter = fit_service(&free, 15);
        assert_eq!(quarter[0].start.duration_until(quarter[0].end), SignedDuration::from_mins(15));
    }
}

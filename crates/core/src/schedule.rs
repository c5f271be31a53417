//! Working hours and free time (C2): weekly templates (rules) and their exceptions make slots
//! in the clinic's time zone; bookings and the booking window take slots away.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;

use crate::stored::stored_text;

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
    /// Last day the rule applies; `None` while it runs until further notice.
    pub valid_until: Option<Date>,
}

impl WorkRule {
    /// Whether the rule makes slots on `day`: its weekday, within its dates.
    pub fn applies_on(&self, day: Date) -> bool {
        self.weekday == day.weekday().to_monday_one_offset()
            && self.valid_from <= day
            && self.valid_until.is_none_or(|until| day <= until)
    }
}

stored_text! {
    /// What an exception to a specialist's weekly templates does on its days.
    pub enum ExceptionKind {
        /// A vacation: no work.
        Vacation = "vacation",
        /// Sick leave: no work.
        SickLeave = "sick_leave",
        /// A day off: no work.
        DayOff = "day_off",
        /// An extra working day: work in its hours, with its slot step, on top of the templates.
        ExtraDay = "extra_day",
        /// A shortened day: of the templates' slots only those within its hours stay.
        ShortDay = "short_day",
    }
}

impl ExceptionKind {
    /// Whether the specialist does not work at all on its days.
    pub const fn is_absence(self) -> bool {
        matches!(self, Self::Vacation | Self::SickLeave | Self::DayOff)
    }

    /// Whether it comes with working hours (an extra or a shortened day).
    pub const fn has_hours(self) -> bool {
        !self.is_absence()
    }
}

/// Working hours of one day, minutes after midnight in the clinic's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayHours {
    /// Start of work.
    pub start_minute: i32,
    /// End of work (exclusive).
    pub end_minute: i32,
}

/// An exception to the weekly templates over the days `from..=until`: days away, an extra
/// working day or a shortened day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleException {
    /// What it does.
    pub kind: ExceptionKind,
    /// Its first day.
    pub from: Date,
    /// Its last day (inclusive).
    pub until: Date,
    /// The hours of an extra or a shortened day; `None` for days away.
    pub hours: Option<DayHours>,
    /// The slot step of an extra day, minutes; `None` takes the templates' step.
    pub slot_minutes: Option<i32>,
}

impl ScheduleException {
    /// Days away of `kind` (a vacation, sick leave, a day off) over `from..=until`.
    pub fn away(kind: ExceptionKind, from: Date, until: Date) -> Self {
        Self { kind, from, until, hours: None, slot_minutes: None }
    }

    /// Whether it covers `day`.
    pub fn covers(&self, day: Date) -> bool {
        self.from <= day && day <= self.until
    }
}

/// A time a specialist can see one patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Slot {
    /// When the visit starts.
    pub start: Timestamp,
    /// When it ends.
    pub end: Timestamp,
}

/// The slot step an extra day takes when it names none: that of a template of its weekday,
/// else of any template, else half an hour.
const DEFAULT_SLOT_MINUTES: i32 = 30;

/// Every slot of the working rules on the days `from..=until`, in order, with the exceptions
/// applied: a day away has no slots (whatever else it has), a shortened day keeps the slots
/// within its hours, an extra day adds slots in its hours that overlap none of the day's.
pub fn working_slots(
    rules: &[WorkRule],
    exceptions: &[ScheduleException],
    from: Date,
    until: Date,
    tz: &TimeZone,
) -> Vec<Slot> {
    let mut slots = Vec::new();
    let mut day = from;
    while day <= until {
        let today: Vec<&ScheduleException> = exceptions.iter().filter(|e| e.covers(day)).collect();
        if !today.iter().any(|e| e.kind.is_absence()) {
            let mut day_slots = Vec::new();
            for rule in rules.iter().filter(|r| r.applies_on(day)) {
                let hours =
                    DayHours { start_minute: rule.start_minute, end_minute: rule.end_minute };
                push_slots(&mut day_slots, hours, rule.slot_minutes, day, tz);
            }
            for short in today.iter().filter(|e| e.kind == ExceptionKind::ShortDay) {
                if let Some((start, end)) = short.hours.and_then(|h| bounds(h, day, tz)) {
                    day_slots.retain(|s| start <= s.start && s.end <= end);
                }
            }
            for extra in today.iter().filter(|e| e.kind == ExceptionKind::ExtraDay) {
                let Some(hours) = extra.hours else { continue };
                let step = extra.slot_minutes.unwrap_or_else(|| template_step(rules, day));
                let mut added = Vec::new();
                push_slots(&mut added, hours, step, day, tz);
                added.retain(|a| !day_slots.iter().any(|s| a.start < s.end && s.start < a.end));
                day_slots.extend(added);
            }
            slots.extend(day_slots);
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

/// The slot step of the templates in force on `day`'s weekday, else of any, else the default.
fn template_step(rules: &[WorkRule], day: Date) -> i32 {
    let weekday = day.weekday().to_monday_one_offset();
    rules
        .iter()
        .find(|r| r.weekday == weekday)
        .or_else(|| rules.first())
        .map_or(DEFAULT_SLOT_MINUTES, |r| r.slot_minutes)
}

/// The instants `hours` begin and end on `day`.
fn bounds(hours: DayHours, day: Date, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
    let at = |minute: i32| {
        let time = minute_of_day(minute.min(24 * 60 - 1)).ok()?;
        let instant = day.to_datetime(time).to_zoned(tz.clone()).ok()?.timestamp();
        // The end of the day's last minute is midnight.
        if minute >= 24 * 60 {
            instant.checked_add(SignedDuration::from_mins(1)).ok()
        } else {
            Some(instant)
        }
    };
    Some((at(hours.start_minute)?, at(hours.end_minute)?))
}

fn push_slots(slots: &mut Vec<Slot>, hours: DayHours, slot_minutes: i32, day: Date, tz: &TimeZone) {
    if slot_minutes <= 0 || hours.end_minute <= hours.start_minute {
        return;
    }
    let Ok(start_time) = minute_of_day(hours.start_minute) else { return };
    let Ok(first) = day.to_datetime(start_time).to_zoned(tz.clone()) else { return };
    let step = SignedDuration::from_mins(i64::from(slot_minutes));
    let count = (hours.end_minute - hours.start_minute) / slot_minutes;
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
            valid_until: Some(date(2026, 12, 31)),
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
        short.valid_until = Some(date(2026, 11, 30));
        let vacation = ScheduleException::away(
            ExceptionKind::Vacation,
            date(2026, 11, 23),
            date(2026, 11, 24),
        );
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

    fn day_of(slots: &[Slot]) -> Vec<String> {
        slots.iter().map(|s| s.start.to_zoned(moscow()).strftime("%F %H:%M").to_string()).collect()
    }

    /// Monday and Tuesday 9:00–11:00 by the hour, over the week of 2026-11-23.
    fn week_with(exception: ScheduleException) -> Vec<String> {
        let rules = [rule(1, 9, 11, 60), rule(2, 9, 11, 60)];
        let slots =
            working_slots(&rules, &[exception], date(2026, 11, 23), date(2026, 11, 29), &moscow());
        day_of(&slots)
    }

    #[test]
    fn sick_leave_takes_its_days_away() {
        let sick = ScheduleException::away(
            ExceptionKind::SickLeave,
            date(2026, 11, 24),
            date(2026, 11, 26),
        );
        assert_eq!(week_with(sick), ["2026-11-23 09:00", "2026-11-23 10:00"]);
    }

    #[test]
    fn a_day_off_takes_its_day_away() {
        let off =
            ScheduleException::away(ExceptionKind::DayOff, date(2026, 11, 23), date(2026, 11, 23));
        assert_eq!(week_with(off), ["2026-11-24 09:00", "2026-11-24 10:00"]);
    }

    #[test]
    fn an_extra_day_works_its_hours_with_its_step() {
        let saturday = date(2026, 11, 28);
        let extra = ScheduleException {
            kind: ExceptionKind::ExtraDay,
            from: saturday,
            until: saturday,
            hours: Some(DayHours { start_minute: 10 * 60, end_minute: 11 * 60 + 30 }),
            slot_minutes: Some(30),
        };
        assert_eq!(
            week_with(extra),
            [
                "2026-11-23 09:00",
                "2026-11-23 10:00",
                "2026-11-24 09:00",
                "2026-11-24 10:00",
                "2026-11-28 10:00",
                "2026-11-28 10:30",
                "2026-11-28 11:00",
            ]
        );
    }

    #[test]
    fn an_extra_day_on_a_working_day_adds_only_what_does_not_overlap() {
        let monday = date(2026, 11, 23);
        let extra = ScheduleException {
            kind: ExceptionKind::ExtraDay,
            from: monday,
            until: monday,
            hours: Some(DayHours { start_minute: 10 * 60 + 30, end_minute: 13 * 60 + 30 }),
            slot_minutes: None,
        };
        let monday: Vec<String> =
            week_with(extra).into_iter().filter(|s| s.starts_with("2026-11-23")).collect();
        assert_eq!(
            monday,
            ["2026-11-23 09:00", "2026-11-23 10:00", "2026-11-23 11:30", "2026-11-23 12:30"],
            "10:30 would overlap the template's 10:00; the step is the template's hour"
        );
    }

    #[test]
    fn a_shortened_day_keeps_the_slots_within_its_hours() {
        let tuesday = date(2026, 11, 24);
        let short = ScheduleException {
            kind: ExceptionKind::ShortDay,
            from: tuesday,
            until: tuesday,
            hours: Some(DayHours { start_minute: 9 * 60, end_minute: 10 * 60 + 30 }),
            slot_minutes: None,
        };
        assert_eq!(week_with(short), ["2026-11-23 09:00", "2026-11-23 10:00", "2026-11-24 09:00"]);
    }

    #[test]
    fn a_day_away_wins_over_an_extra_day() {
        let monday = date(2026, 11, 23);
        let extra = ScheduleException {
            kind: ExceptionKind::ExtraDay,
            from: monday,
            until: monday,
            hours: Some(DayHours { start_minute: 14 * 60, end_minute: 15 * 60 }),
            slot_minutes: Some(30),
        };
        let vacation = ScheduleException::away(ExceptionKind::Vacation, monday, monday);
        let slots =
            working_slots(&[rule(1, 9, 11, 60)], &[extra, vacation], monday, monday, &moscow());
        assert!(slots.is_empty());
    }

    #[test]
    fn an_open_ended_rule_keeps_making_slots_years_later() {
        let mut open = rule(1, 9, 10, 60);
        open.valid_until = None;
        let far = date(2031, 6, 2); // a Monday
        let slots = working_slots(&[open], &[], far, far, &moscow());
        assert_eq!(slots.len(), 1, "a template until further notice has no last day");
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

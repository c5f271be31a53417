//! Russian working days and the law's deadlines counted in them (152-FZ art. 14, 20, 21).
//!
//! The production calendar is data, not code: a CSV with one date a line and its kind
//! (`2025-01-01,holiday`, `2025-11-01,workday`, `2025-03-07,shortened`); a day it does not
//! list follows the week (Monday to Friday work). The portal ships the official calendars
//! ([`DEFAULT_CSV`]); the administrator uploads a newer file, which takes precedence for the
//! years it covers ([`Calendar::overlaid`]).
//!
//! Periods are counted as the Civil Code counts them (art. 191, 193): a period starts the day
//! after the request was received; one in working days ends on its Nth working day; one in
//! calendar days whose last day is a day off ends on the next working day.

use std::collections::{BTreeMap, BTreeSet};

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use crate::stored::stored_text;

/// The calendars shipped with the portal: 2025–2027.
pub const DEFAULT_CSV: &str = include_str!("../data/production_calendar.csv");

/// The largest calendar file read, bytes.
pub const MAX_FILE_BYTES: usize = 64 * 1024;

stored_text! {
    /// What a date of the production calendar is.
    pub enum DayKind {
        /// A non-working day: a public holiday, or a day off moved onto a weekday.
        Holiday = "holiday",
        /// A Saturday or Sunday made a working day by a transfer.
        Workday = "workday",
        /// A working day one hour shorter (before a holiday): still a working day.
        Shortened = "shortened",
    }
}

/// A problem of one line of an uploaded calendar: its number (from 1) and a message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The line's number in the file, counted from 1.
    pub line: usize,
    /// What is wrong (a Fluent key).
    pub message: &'static str,
}

/// The days that differ from the week, by date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    days: BTreeMap<Date, DayKind>,
}

impl Calendar {
    /// Reads a calendar file: `date,kind` a line, `#` comments and blank lines skipped, a
    /// header line `date,kind` allowed. Every bad line is reported with its number; a date
    /// twice is an error too.
    pub fn parse(text: &str) -> Result<Self, Vec<LineError>> {
        let mut days = BTreeMap::new();
        let mut errors = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let raw = raw.trim();
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let mut cells = raw.split([',', ';']).map(str::trim);
            let (Some(date), Some(kind), None) = (cells.next(), cells.next(), cells.next()) else {
                errors.push(LineError { line, message: "calendar-error-shape" });
                continue;
            };
            if line == 1 && date.eq_ignore_ascii_case("date") {
                continue;
            }
            let Ok(date) = date.parse::<Date>() else {
                errors.push(LineError { line, message: "calendar-error-date" });
                continue;
            };
            let Ok(kind) = kind.to_lowercase().parse::<DayKind>() else {
                errors.push(LineError { line, message: "calendar-error-kind" });
                continue;
            };
            if !(2000..=2100).contains(&date.year()) {
                errors.push(LineError { line, message: "calendar-error-date" });
            } else if days.insert(date, kind).is_some() {
                errors.push(LineError { line, message: "calendar-error-twice" });
            }
        }
        if days.is_empty() && errors.is_empty() {
            errors.push(LineError { line: 1, message: "calendar-error-empty" });
        }
        if errors.is_empty() { Ok(Self { days }) } else { Err(errors) }
    }

    /// The shipped calendar.
    pub fn shipped() -> Self {
        Self::parse(DEFAULT_CSV).unwrap_or_default()
    }

    /// The years the calendar lists days of.
    pub fn years(&self) -> BTreeSet<i16> {
        self.days.keys().map(|d| d.year()).collect()
    }

    /// The listed days, in order.
    pub fn days(&self) -> impl Iterator<Item = (Date, DayKind)> + '_ {
        self.days.iter().map(|(d, k)| (*d, *k))
    }

    /// This calendar with `newer` in place of every year `newer` covers.
    pub fn overlaid(&self, newer: &Self) -> Self {
        let years = newer.years();
        let mut days: BTreeMap<Date, DayKind> = self
            .days
            .iter()
            .filter(|(d, _)| !years.contains(&d.year()))
            .map(|(d, k)| (*d, *k))
            .collect();
        days.extend(newer.days.iter().map(|(d, k)| (*d, *k)));
        Self { days }
    }

    /// Whether people work on `day`.
    pub fn is_working(&self, day: Date) -> bool {
        match self.days.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday | DayKind::Shortened) => true,
            None => !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// The first working day on or after `day`.
    pub fn working_on_or_after(&self, mut day: Date) -> Date {
        // A year has no run of 30 days off; the bound keeps a broken upload from looping.
        for _ in 0..60 {
            if self.is_working(day) {
                return day;
            }
            day = day.saturating_add(1.day());
        }
        day
    }

    /// The last day of a period received on `received`.
    pub fn due_date(&self, received: Date, period: Period) -> Date {
        match period {
            Period::WorkingDays(n) => {
                let mut day = received;
                let mut left = n;
                while left > 0 {
                    day = day.saturating_add(1.day());
                    if self.is_working(day) {
                        left -= 1;
                    }
                }
                day
            }
            Period::CalendarDays(n) => {
                self.working_on_or_after(received.saturating_add(i64::from(n).days()))
            }
        }
    }
}

/// A period the law gives to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// This many working days.
    WorkingDays(u32),
    /// This many calendar days (moved to the next working day if it ends on a day off).
    CalendarDays(u32),
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn the_shipped_calendar_reads_and_covers_2025_to_2027() {
        let cal = Calendar::shipped();
        assert_eq!(cal.years().into_iter().collect::<Vec<_>>(), vec![2025, 2026, 2027]);
        // The official totals of working days in a five-day week.
        let working = |y: i16| {
            let mut day = date(y, 1, 1);
            let mut n = 0;
            while day.year() == y {
                n += usize::from(cal.is_working(day));
                day = day.tomorrow().unwrap();
            }
            n
        };
        assert_eq!(working(2025), 247);
        assert_eq!(working(2026), 247);
    }

    /// The table the issue asks for (point 13): received on a date, the period, the due date.
    #[test]
    fn due_dates_over_2025_to_2027() {
        use Period::{CalendarDays as Cal, WorkingDays as Work};
        let cal = Calendar::shipped();
        let table: &[(&str, Period, &str, &str)] = &[
            // New Year 2025: 1-8 January off; the period starts on the 9th.
            ("2025-01-06", Work(10), "2025-01-22", "received in the holidays, on a Monday"),
            ("2025-01-03", Work(10), "2025-01-22", "received during the holidays"),
            ("2025-01-09", Work(7), "2025-01-20", "the first working day after the holidays"),
            // Friday receipt: the period starts on Saturday, counts from Monday.
            ("2025-01-17", Work(10), "2025-01-31", "received on a Friday"),
            ("2025-01-17", Work(7), "2025-01-28", "correction from a Friday"),
            // Days off by transfer in May 2025: 1-4 and 8-11 May.
            ("2025-04-29", Work(10), "2025-05-19", "across both May breaks"),
            ("2025-04-30", Work(5), "2025-05-13", "an extension across the May holidays"),
            // 12-15 June 2025 (13 June moved from 8 March).
            ("2025-06-10", Work(7), "2025-06-23", "across 12-13 June"),
            // 1 November 2025 was a working Saturday; 3-4 November off.
            ("2025-10-30", Work(2), "2025-11-01", "a transferred working Saturday counts"),
            ("2025-10-31", Work(10), "2025-11-17", "across 2-4 November"),
            // 31 December 2025 off; New Year 2026: 1-11 January off (9 January moved).
            ("2025-12-26", Work(10), "2026-01-21", "across the New Year 2026"),
            ("2025-12-30", Work(1), "2026-01-12", "one day, after 31 Dec and the holidays"),
            ("2026-01-09", Work(10), "2026-01-23", "received on 9 January 2026, a day off"),
            // 23 February 2026 (Monday), 8-9 March 2026.
            ("2026-02-20", Work(10), "2026-03-10", "across 23 February and 9 March"),
            // 9 May 2026 is a Saturday: 11 May off.
            ("2026-05-07", Work(3), "2026-05-13", "across 9-11 May"),
            // 31 December 2026 off, New Year 2027: 1-10 January off.
            ("2026-12-02", Work(10), "2026-12-16", "today's example"),
            ("2026-12-25", Work(10), "2027-01-19", "across the New Year 2027"),
            ("2026-12-30", Work(7), "2027-01-19", "correction before the New Year 2027"),
            // 3 and 10 May 2027 off (1 and 9 May are weekends), 14 June 2027 off.
            ("2027-04-29", Work(5), "2027-05-07", "across the May holidays 2027"),
            ("2027-06-10", Work(2), "2027-06-15", "across 12-14 June 2027"),
            // 4-5 November 2027 off, 13 November a working Saturday.
            ("2027-11-03", Work(1), "2027-11-08", "across 4-7 November 2027"),
            ("2027-11-12", Work(1), "2027-11-13", "the working Saturday 13 November"),
            // Calendar days: moved to the next working day when the last one is off.
            ("2025-12-02", Cal(30), "2026-01-12", "deletion ending in the New Year holidays"),
            ("2026-12-02", Cal(30), "2027-01-11", "30 days from today: 1 January 2027 is off"),
            ("2025-04-01", Cal(30), "2025-05-05", "ending on 1 May 2025"),
            ("2026-03-05", Cal(30), "2026-04-06", "ending on a Saturday"),
            ("2026-03-09", Cal(30), "2026-04-08", "ending on a working Wednesday"),
            ("2027-10-06", Cal(30), "2027-11-08", "ending on 5 November 2027"),
        ];
        for &(received, period, due, why) in table {
            assert_eq!(cal.due_date(d(received), period), d(due), "{why}: {received} {period:?}");
        }
    }

    #[test]
    fn an_upload_is_checked_line_by_line_and_replaces_the_years_it_covers() {
        let bad = "date,kind\n2028-01-01,holiday\n2028-13-01,holiday\n2028-01-02;nope\n\
                   2028-01-01,holiday\nsomething\n";
        let errors = Calendar::parse(bad).unwrap_err();
        assert_eq!(
            errors,
            vec![
                LineError { line: 3, message: "calendar-error-date" },
                LineError { line: 4, message: "calendar-error-kind" },
                LineError { line: 5, message: "calendar-error-twice" },
                LineError { line: 6, message: "calendar-error-shape" },
            ]
        );
        assert_eq!(Calendar::parse("# nothing\n").unwrap_err()[0].message, "calendar-error-empty");
        let newer = Calendar::parse("\u{feff}2027-01-11,holiday\n2027-01-09,workday\n").unwrap();
        let cal = Calendar::shipped().overlaid(&newer);
        assert!(!cal.is_working(d("2027-01-11")), "the upload's day off");
        assert!(cal.is_working(d("2027-01-09")), "the upload's working Saturday");
        assert!(cal.is_working(d("2027-01-04")), "2027 is the upload's alone now");
        assert!(!cal.is_working(d("2026-01-05")), "2026 stays the shipped one");
    }
}

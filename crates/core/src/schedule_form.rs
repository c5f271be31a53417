//! A weekly template and an exception as the administrator types them (weekday, times like
//! `09:00`, dates like `01.12.2026` or `2026-12-01`), parsed into schedule values with every
//! problem collected, keyed by field.

use jiff::civil::{Date, Time};

use crate::patient::FieldErrors;
use crate::schedule::{DayHours, ExceptionKind, ScheduleException, WorkRule};

/// The longest and shortest visit a template or an extra day may be split into, minutes.
pub const SLOT_MINUTES: std::ops::RangeInclusive<i32> = 5..=240;

/// A weekly template as typed (the schedule page's form reads into it as it is).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct TemplateInput {
    /// ISO weekday, `1` (Monday) … `7`.
    pub weekday: String,
    /// Start of work, `HH:MM`.
    pub start: String,
    /// End of work, `HH:MM`.
    pub end: String,
    /// Slot step, minutes.
    pub slot_minutes: String,
    /// First day.
    pub valid_from: String,
    /// Last day; empty: until further notice.
    pub valid_until: String,
}

/// An exception as typed (the schedule page's form reads into it as it is).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ExceptionInput {
    /// Its kind, as stored (`vacation`, `sick_leave`, `day_off`, `extra_day`, `short_day`).
    pub kind: String,
    /// First day.
    pub from: String,
    /// Last day; empty: the first day only.
    pub until: String,
    /// Start of work of an extra or a shortened day, `HH:MM`.
    pub start: String,
    /// End of work of an extra or a shortened day, `HH:MM`.
    pub end: String,
    /// Slot step of an extra day, minutes; empty: the templates' step.
    pub slot_minutes: String,
}

/// A day as people write it (`01.12.2026`, `1.12.2026`) or as a date field sends it
/// (`2026-12-01`).
pub fn parse_day(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Ok(day) = text.parse::<Date>() {
        return Some(day);
    }
    let mut parts = text.split('.');
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let (d, m, y) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    Date::new(y, m, d).ok()
}

/// Minutes after midnight of a time written `9:00` or `09:00`; `24:00` is the day's end.
pub fn parse_minute(text: &str) -> Option<i32> {
    let text = text.trim();
    if text == "24:00" {
        return Some(24 * 60);
    }
    let (h, m) = text.split_once(':')?;
    let time = Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()?;
    Some(i32::from(time.hour()) * 60 + i32::from(time.minute()))
}

/// Hours of a day from two typed times, the end after the start.
fn hours(start: &str, end: &str, errors: &mut FieldErrors) -> Option<DayHours> {
    let start_minute = errors.take("start", parse_minute(start).ok_or("error-schedule-time"));
    let end_minute = errors.take("end", parse_minute(end).ok_or("error-schedule-time"));
    let (start_minute, end_minute) = (start_minute?, end_minute?);
    if end_minute <= start_minute {
        errors.add("end", "error-schedule-end-before-start");
        return None;
    }
    Some(DayHours { start_minute, end_minute })
}

fn slot(text: &str, errors: &mut FieldErrors) -> Option<i32> {
    let minutes = text.trim().parse::<i32>().ok().filter(|m| SLOT_MINUTES.contains(m));
    errors.take("slot_minutes", minutes.ok_or("error-schedule-slot"))
}

impl TemplateInput {
    /// The template, or every problem found.
    pub fn parse(&self, errors: &mut FieldErrors) -> Option<WorkRule> {
        let weekday = self.weekday.trim().parse::<i8>().ok().filter(|d| (1..=7).contains(d));
        let weekday = errors.take("weekday", weekday.ok_or("error-schedule-weekday"));
        let hours = hours(&self.start, &self.end, errors);
        let slot_minutes = slot(&self.slot_minutes, errors);
        let valid_from =
            errors.take("valid_from", parse_day(&self.valid_from).ok_or("error-schedule-date"));
        let valid_until = if self.valid_until.trim().is_empty() {
            Some(None)
        } else {
            let until = parse_day(&self.valid_until).ok_or("error-schedule-date");
            errors.take("valid_until", until).map(Some)
        };
        let (weekday, hours, slot_minutes, valid_from, valid_until) =
            (weekday?, hours?, slot_minutes?, valid_from?, valid_until?);
        if valid_until.is_some_and(|until| until < valid_from) {
            errors.add("valid_until", "error-schedule-until-before-from");
            return None;
        }
        if (hours.end_minute - hours.start_minute) < slot_minutes {
            errors.add("slot_minutes", "error-schedule-slot-longer-than-hours");
            return None;
        }
        Some(WorkRule {
            weekday,
            start_minute: hours.start_minute,
            end_minute: hours.end_minute,
            slot_minutes,
            valid_from,
            valid_until,
        })
    }
}

impl ExceptionInput {
    /// The exception, or every problem found.
    pub fn parse(&self, errors: &mut FieldErrors) -> Option<ScheduleException> {
        let kind = self.kind.trim().parse::<ExceptionKind>().map_err(|_| "error-schedule-kind");
        let kind = errors.take("kind", kind);
        let from = errors.take("from", parse_day(&self.from).ok_or("error-schedule-date"));
        let until = if self.until.trim().is_empty() {
            from.map(Some)
        } else {
            errors.take("until", parse_day(&self.until).ok_or("error-schedule-date")).map(Some)
        };
        let kind = kind?;
        let (hours, slot_minutes) = if kind.has_hours() {
            let hours = hours(&self.start, &self.end, errors);
            let slot_minutes = if kind == ExceptionKind::ExtraDay {
                Some(slot(&self.slot_minutes, errors)?)
            } else {
                None
            };
            (Some(hours?), slot_minutes)
        } else {
            (None, None)
        };
        let (from, until) = (from?, until??);
        if until < from {
            errors.add("until", "error-schedule-until-before-from");
            return None;
        }
        Some(ScheduleException { kind, from, until, hours, slot_minutes })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn days_and_times_are_read_as_people_write_them() {
        assert_eq!(parse_day("01.12.2026"), Some(date(2026, 12, 1)));
        assert_eq!(parse_day(" 2026-12-01 "), Some(date(2026, 12, 1)));
        assert_eq!(parse_day("31.02.2026"), None);
        assert_eq!(parse_minute("9:30"), Some(570));
        assert_eq!(parse_minute("24:00"), Some(1440));
        assert_eq!(parse_minute("25:00"), None);
    }

    #[test]
    fn a_template_until_further_notice_and_one_with_every_field_wrong() {
        let input = TemplateInput {
            weekday: "2".into(),
            start: "09:00".into(),
            end: "13:00".into(),
            slot_minutes: "30".into(),
            valid_from: "01.12.2026".into(),
            valid_until: String::new(),
        };
        let mut errors = FieldErrors::default();
        let rule = input.parse(&mut errors).unwrap();
        assert_eq!((rule.weekday, rule.start_minute, rule.valid_until), (2, 540, None));

        let bad = TemplateInput {
            weekday: "8".into(),
            start: "nine".into(),
            end: "13:00".into(),
            slot_minutes: "0".into(),
            valid_from: "вчера".into(),
            valid_until: String::new(),
        };
        let mut errors = FieldErrors::default();
        assert!(bad.parse(&mut errors).is_none());
        for field in ["weekday", "start", "slot_minutes", "valid_from"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn an_extra_day_needs_hours_and_a_vacation_does_not() {
        let mut errors = FieldErrors::default();
        let vacation = ExceptionInput {
            kind: "vacation".into(),
            from: "01.12.2026".into(),
            until: "14.12.2026".into(),
            ..ExceptionInput::default()
        };
        let v = vacation.parse(&mut errors).unwrap();
        assert_eq!((v.hours, v.until), (None, date(2026, 12, 14)));
        let extra = ExceptionInput {
            kind: "extra_day".into(),
            from: "05.12.2026".into(),
            ..ExceptionInput::default()
        };
        assert!(extra.parse(&mut errors).is_none());
        assert_eq!(errors.get("start"), Some("error-schedule-time"));
        let short = ExceptionInput {
            kind: "short_day".into(),
            from: "07.12.2026".into(),
            start: "09:00".into(),
            end: "12:00".into(),
            ..ExceptionInput::default()
        };
        let mut errors = FieldErrors::default();
        let s = short.parse(&mut errors).unwrap();
        assert_eq!((s.until, s.slot_minutes), (date(2026, 12, 7), None));
    }
}

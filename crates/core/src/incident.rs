//! Incidents with personal data (G5; 152-FZ art. 21 p. 3.1): what the administrator records,
//! which patients it touched (chosen, or by a query over dates), and the deadlines of the two
//! notices to the supervisory authority, counted from when the incident was found.

use jiff::civil::{Date, DateTime, Time};
use jiff::{SignedDuration, Timestamp};

use crate::blocking::required_text;
use crate::patient::FieldErrors;
use crate::stored::stored_text;

stored_text! {
    /// A category of personal data an incident touched.
    pub enum DataCategory {
        /// Фамилия, имя, отчество.
        FullName = "full_name",
        /// Phone and e-mail.
        Contacts = "contacts",
        /// Date of birth.
        BirthDate = "birth_date",
        /// Postal address.
        Address = "address",
        /// Bookings with doctors.
        Visits = "visits",
        /// Health data (conclusions, documents).
        Health = "health",
        /// Logins and password hashes.
        Credentials = "credentials",
        /// Identity documents.
        Documents = "documents",
        /// Payments.
        Payments = "payments",
    }
}

stored_text! {
    /// How the affected patients are chosen.
    pub enum Selection {
        /// Listed one by one (card numbers or logins).
        Chosen = "chosen",
        /// Everyone with a visit between two days.
        Visits = "visits",
        /// Everyone whose account was created between two days.
        Accounts = "accounts",
    }
}

stored_text! {
    /// One of the two notices to the supervisory authority.
    pub enum Notice {
        /// Within 24 hours: the incident, its presumed causes, the harm, the measures, the
        /// contact person.
        First = "24",
        /// Within 72 hours: the internal investigation and the people responsible.
        Second = "72",
    }
}

impl Notice {
    /// How long after detection the notice is due.
    pub const fn within(self) -> SignedDuration {
        match self {
            Self::First => SignedDuration::from_hours(24),
            Self::Second => SignedDuration::from_hours(72),
        }
    }

    /// When the notice is due for an incident found at `found_at`.
    pub fn due(self, found_at: Timestamp) -> Timestamp {
        found_at.saturating_add(self.within()).unwrap_or(found_at)
    }
}

/// Which patients: the patients' side of an incident, as typed.
#[derive(Debug, Clone, Default)]
pub struct AffectedInput {
    /// `chosen`, `visits` or `accounts`.
    pub selection: String,
    /// Card numbers or logins, one a line (for `chosen`).
    pub chosen: String,
    /// The first day, `YYYY-MM-DD` (for the queries).
    pub from: String,
    /// The last day, `YYYY-MM-DD`, inclusive.
    pub to: String,
}

/// Which patients, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affected {
    /// Card numbers or logins.
    Chosen(Vec<String>),
    /// Everyone with a visit (planned or past, not cancelled) between two days, inclusive.
    Visits(Date, Date),
    /// Everyone whose account was created between two days, inclusive.
    Accounts(Date, Date),
}

impl AffectedInput {
    /// Parses the selection, recording errors under `selection`, `chosen`, `from`, `to`.
    pub fn parse(&self, errors: &mut FieldErrors) -> Option<Affected> {
        let selection = errors.take(
            "selection",
            self.selection.trim().parse::<Selection>().map_err(|_| "error-incident-selection"),
        )?;
        if selection == Selection::Chosen {
            let chosen: Vec<String> = self
                .chosen
                .split(['\n', ',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if chosen.is_empty() || chosen.len() > 10_000 {
                errors.add("chosen", "error-incident-chosen");
                return None;
            }
            return Some(Affected::Chosen(chosen));
        }
        let from = errors
            .take("from", self.from.trim().parse::<Date>().map_err(|_| "error-incident-dates"));
        let to =
            errors.take("to", self.to.trim().parse::<Date>().map_err(|_| "error-incident-dates"));
        let (from, to) = (from?, to?);
        if from > to {
            errors.add("to", "error-incident-dates");
            return None;
        }
        Some(match selection {
            Selection::Visits => Affected::Visits(from, to),
            _ => Affected::Accounts(from, to),
        })
    }
}

/// An incident as the administrator types it.
#[derive(Debug, Clone, Default)]
pub struct IncidentInput {
    /// What happened.
    pub summary: String,
    /// The day it was found, `YYYY-MM-DD`, in the clinic's zone.
    pub found_date: String,
    /// The time it was found, `HH:MM`.
    pub found_time: String,
    /// The categories' stored names.
    pub categories: Vec<String>,
    /// The presumed causes.
    pub causes: String,
    /// The presumed harm to the patients.
    pub harm: String,
    /// The measures taken.
    pub measures: String,
    /// The contact person for the supervisory authority.
    pub contact: String,
    /// Which patients.
    pub affected: AffectedInput,
}

/// An incident, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentData {
    /// What happened.
    pub summary: String,
    /// When it was found, civil time in the clinic's zone.
    pub found_at: DateTime,
    /// The categories, in declaration order.
    pub categories: Vec<DataCategory>,
    /// The presumed causes.
    pub causes: String,
    /// The presumed harm.
    pub harm: String,
    /// The measures taken.
    pub measures: String,
    /// The contact person.
    pub contact: String,
    /// Which patients.
    pub affected: Affected,
}

impl IncidentInput {
    /// Parses every field, collecting each one's error. `now` is the civil time now in the
    /// clinic's zone: an incident cannot be found in the future.
    pub fn parse(&self, now: DateTime, errors: &mut FieldErrors) -> Option<IncidentData> {
        let summary = errors.take("summary", required_text(&self.summary, "error-incident-text"));
        let date = self.found_date.trim().parse::<Date>().ok();
        let time = self.found_time.trim().parse::<Time>().ok();
        let found_at = errors.take(
            "found_date",
            date.zip(time)
                .map(|(d, t)| d.to_datetime(t))
                .filter(|at| *at <= now)
                .ok_or("error-incident-found-at"),
        );
        let categories: Vec<DataCategory> = DataCategory::ALL
            .iter()
            .copied()
            .filter(|c| self.categories.iter().any(|typed| typed == c.as_str()))
            .collect();
        if categories.is_empty() {
            errors.add("categories", "error-incident-categories");
        }
        let causes = errors.take("causes", required_text(&self.causes, "error-incident-text"));
        let harm = errors.take("harm", required_text(&self.harm, "error-incident-text"));
        let measures =
            errors.take("measures", required_text(&self.measures, "error-incident-text"));
        let contact = errors.take("contact", required_text(&self.contact, "error-incident-text"));
        let affected = self.affected.parse(errors);
        if !errors.is_empty() {
            return None;
        }
        Some(IncidentData {
            summary: summary?,
            found_at: found_at?,
            categories,
            causes: causes?,
            harm: harm?,
            measures: measures?,
            contact: contact?,
            affected: affected?,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn input() -> IncidentInput {
        IncidentInput {
            summary: "Письма ушли не тем адресатам".into(),
            found_date: "2026-12-01".into(),
            found_time: "09:30".into(),
            categories: vec!["contacts".into(), "full_name".into(), "nonsense".into()],
            causes: "Ошибка в рассылке".into(),
            harm: "Посторонние узнали адреса".into(),
            measures: "Рассылка остановлена".into(),
            contact: "Иванов И. И., +7 495 555-01-00".into(),
            affected: AffectedInput {
                selection: "visits".into(),
                from: "2026-11-01".into(),
                to: "2026-11-30".into(),
                ..AffectedInput::default()
            },
        }
    }

    #[test]
    fn an_incident_is_parsed_with_its_categories_in_order() {
        let now = date(2026, 12, 2).at(10, 0, 0, 0);
        let mut errors = FieldErrors::default();
        let data = input().parse(now, &mut errors).expect("valid");
        assert_eq!(data.categories, vec![DataCategory::FullName, DataCategory::Contacts]);
        assert_eq!(data.affected, Affected::Visits(date(2026, 11, 1), date(2026, 11, 30)));
        assert_eq!(data.found_at, date(2026, 12, 1).at(9, 30, 0, 0));
    }

    #[test]
    fn bad_input_names_each_field() {
        let now = date(2026, 12, 2).at(10, 0, 0, 0);
        let mut errors = FieldErrors::default();
        let bad = IncidentInput {
            found_date: "2026-12-03".into(),
            categories: vec![],
            affected: AffectedInput {
                selection: "visits".into(),
                from: "2026-12-01".into(),
                to: "2026-11-01".into(),
                ..AffectedInput::default()
            },
            ..input()
        };
        assert!(bad.parse(now, &mut errors).is_none());
        assert_eq!(errors.get("found_date"), Some("error-incident-found-at"));
        assert_eq!(errors.get("categories"), Some("error-incident-categories"));
        assert_eq!(errors.get("to"), Some("error-incident-dates"));
        let mut errors = FieldErrors::default();
        let chosen = AffectedInput { selection: "chosen".into(), ..AffectedInput::default() };
        assert!(chosen.parse(&mut errors).is_none());
        assert_eq!(errors.get("chosen"), Some("error-incident-chosen"));
    }

    #[test]
    fn the_notices_are_due_a_day_and_three_days_after_detection() {
        let found: Timestamp = "2026-12-01T06:30:00Z".parse().expect("instant");
        assert_eq!(Notice::First.due(found).to_string(), "2026-12-02T06:30:00Z");
        assert_eq!(Notice::Second.due(found).to_string(), "2026-12-04T06:30:00Z");
    }
}

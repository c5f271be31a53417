//! A patient's identifying data as typed into a form, parsed into values that are known valid.
//! Errors are message keys (`field` + `error`) that the web layer turns into Russian or English.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One problem with one field of a form: the field's name and a message key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form field, as named in the form and the API (`phone`, `patient.phone` is not used).
    pub field: &'static str,
    /// The i18n key of the message, e.g. `error-phone-invalid`.
    pub message: &'static str,
}

/// Every problem found in a form, so the user can fix them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Records a problem.
    pub fn add(&mut self, field: &'static str, message: &'static str) {
        self.0.push(FieldError { field, message });
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message key for `field`, if it has a problem.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message)
    }

    /// Keeps the value of `result`, or records its error under `field`.
    pub fn take<T>(&mut self, field: &'static str, result: Result<T, &'static str>) -> Option<T> {
        result.map_err(|message| self.add(field, message)).ok()
    }
}

/// One part of a person's name (фамилия, имя or отчество).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamePart(String);

impl NamePart {
    /// Trims and checks a name part: letters (any script), spaces, hyphens, apostrophes.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return Err("error-required");
        }
        if value.chars().count() > 60 {
            return Err("error-name-too-long");
        }
        let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.');
        if !value.chars().all(allowed) || !value.chars().any(char::is_alphabetic) {
            return Err("error-name-invalid");
        }
        Ok(Self(value))
    }

    /// The name part as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number in E.164 form (`+79001234567`), the key for "once per phone" rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    /// Accepts the ways people write Russian numbers (`8 900 123-45-67`, `+7 (900) 1234567`,
    /// `9001234567`) and international numbers with a leading `+`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("error-required");
        }
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'))
            || trimmed.chars().skip(1).any(|c| c == '+')
        {
            return Err("error-phone-invalid");
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let international = trimmed.starts_with('+');
        let e164 = match (international, digits.len(), digits.chars().next()) {
            (false, 11, Some('8' | '7')) => format!("+7{}", &digits[1..]),
            (false, 10, Some('9' | '3' | '4' | '8')) => format!("+7{digits}"),
            (true, 11, Some('7')) => format!("+{digits}"),
            (true, 10..=15, Some(first)) if first != '7' && first != '0' => format!("+{digits}"),
            _ => return Err("error-phone-invalid"),
        };
        Ok(Self(e164))
    }

    /// Rebuilds a phone read from the database (already normalised).
    pub fn from_db(value: String) -> Self {
        Self(value)
    }

    /// The E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A readable form: `+7 900 123-45-67` for Russian numbers.
    pub fn display(&self) -> String {
        let d = &self.0;
        if d.len() == 12 && d.starts_with("+7") {
            format!("+7 {} {}-{}-{}", &d[2..5], &d[5..8], &d[8..10], &d[10..12])
        } else {
            d.clone()
        }
    }
}

/// An e-mail address, checked for shape only (delivery proves the rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Trims, lower-cases the domain and checks `local@domain.tld`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let value = raw.trim();
        if value.is_empty() {
            return Err("error-required");
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err("error-email-invalid");
        };
        let valid = !local.is_empty()
            && value.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            && !local.contains('@');
        if !valid {
            return Err("error-email-invalid");
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// Rebuilds an address read from the database.
    pub fn from_db(value: String) -> Self {
        Self(value)
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A postal address, as the patient writes it (one line: index, city, street, house, flat):
/// 10 to 300 characters with at least one letter, no control characters; spaces collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress(String);

impl PostalAddress {
    /// Trims and checks an address.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return Err("error-required");
        }
        let length = value.chars().count();
        if !(10..=300).contains(&length)
            || !value.chars().any(char::is_alphabetic)
            || value.chars().any(|c| c.is_control() || matches!(c, '<' | '>'))
        {
            return Err("error-postal-address-invalid");
        }
        Ok(Self(value))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses a date of birth (`YYYY-MM-DD`, as an HTML date input sends it, or `DD.MM.YYYY`):
/// not in the future and at most 120 years ago.
pub fn parse_birth_date(raw: &str, today: Date) -> Result<Date, &'static str> {
    let value = raw.trim();
    if value.is_empty() {
        return Err("error-required");
    }
    let date = match value.split('.').collect::<Vec<_>>().as_slice() {
        [d, m, y] => format!("{y}-{m:0>2}-{d:0>2}").parse::<Date>(),
        _ => value.parse::<Date>(),
    }
    .map_err(|_| "error-date-invalid")?;
    if date > today {
        return Err("error-birth-date-future");
    }
    if date.year() < today.year() - 120 {
        return Err("error-birth-date-too-old");
    }
    Ok(date)
}

/// A person's age in full years on `day`: 0 before the first birthday.
pub fn age_on(birth: Date, day: Date) -> i16 {
    birth.until((jiff::Unit::Year, day)).map_or(0, |span| span.get_years()).max(0)
}

/// The identifying data of a patient, all fields valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientData {
    /// Фамилия.
    pub last_name: NamePart,
    /// Имя.
    pub first_name: NamePart,
    /// Отчество, if the person has one.
    pub middle_name: Option<NamePart>,
    /// Дата рождения.
    pub birth_date: Date,
    /// Телефон.
    pub phone: Phone,
    /// E-mail, optional for a one-time booking.
    pub email: Option<Email>,
    /// Почтовый адрес, optional.
    pub postal_address: Option<PostalAddress>,
}

/// The patient fields as typed, before parsing.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PatientInput {
    /// Фамилия.
    #[serde(default)]
    pub last_name: String,
    /// Имя.
    #[serde(default)]
    pub first_name: String,
    /// Отчество.
    #[serde(default)]
    pub middle_name: Option<String>,
    /// Дата рождения.
    #[serde(default)]
    pub birth_date: String,
    /// Телефон.
    #[serde(default)]
    pub phone: String,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Почтовый адрес.
    #[serde(default)]
    pub postal_address: Option<String>,
}

impl PatientInput {
    /// Parses every field, collecting all problems into `errors`.
    pub fn parse(&self, today: Date, errors: &mut FieldErrors) -> Option<PatientData> {
        let last_name = errors.take("last_name", NamePart::parse(&self.last_name));
        let first_name = errors.take("first_name", NamePart::parse(&self.first_name));
        let middle_name = match self.middle_name.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => errors.take("middle_name", NamePart::parse(raw)).map(Some),
        };
        let birth_date = errors.take("birth_date", parse_birth_date(&self.birth_date, today));
        let phone = errors.take("phone", Phone::parse(&self.phone));
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => errors.take("email", Email::parse(raw)).map(Some),
        };
        let postal_address = match self.postal_address.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => errors.take("postal_address", PostalAddress::parse(raw)).map(Some),
        };
        Some(PatientData {
            last_name: last_name?,
            first_name: first_name?,
            middle_name: middle_name?,
            birth_date: birth_date?,
            phone: phone?,
            email: email?,
            postal_address: postal_address?,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn russian_phones_written_any_way_become_one_number() {
        for raw in ["8 (900) 123-45-67", "+7 900 123 45 67", "9001234567", "79001234567"] {
            assert_eq!(Phone::parse(raw).map(|p| p.0), Ok("+79001234567".into()), "{raw}");
        }
        assert_eq!(
            Phone::parse("+79001234567").map(|p| p.display()),
            Ok("+7 900 123-45-67".into())
        );
    }

    #[test]
    fn phones_that_cannot_be_dialled_are_refused() {
        for raw in ["12345", "890012345", "+7 900 123", "phone", "+0123456789", "8-900-123-45-67+"]
        {
            assert_eq!(Phone::parse(raw), Err("error-phone-invalid"), "{raw}");
        }
        assert_eq!(Phone::parse("  "), Err("error-required"));
        assert_eq!(Phone::parse("+44 20 7946 0958").map(|p| p.0), Ok("+442079460958".into()));
    }

    #[test]
    fn names_accept_cyrillic_hyphens_and_reject_digits() {
        assert_eq!(
            NamePart::parse("  Римская-Корсакова ").map(|n| n.0),
            Ok("Римская-Корсакова".into())
        );
        assert_eq!(NamePart::parse("Иван2"), Err("error-name-invalid"));
        assert_eq!(NamePart::parse("-"), Err("error-name-invalid"));
        assert_eq!(NamePart::parse(""), Err("error-required"));
    }

    #[test]
    fn birth_dates_are_in_the_past_and_plausible() {
        let today = date(2026, 11, 23);
        assert_eq!(parse_birth_date("1980-01-31", today), Ok(date(1980, 1, 31)));
        assert_eq!(parse_birth_date("31.01.1980", today), Ok(date(1980, 1, 31)));
        assert_eq!(parse_birth_date("2030-01-01", today), Err("error-birth-date-future"));
        assert_eq!(parse_birth_date("1890-01-01", today), Err("error-birth-date-too-old"));
        assert_eq!(parse_birth_date("31.02.1980", today), Err("error-date-invalid"));
    }

    #[test]
    fn an_age_counts_full_years_up_to_the_birthday() {
        let birth = date(1961, 6, 21);
        assert_eq!(age_on(birth, date(2026, 6, 20)), 64);
        assert_eq!(age_on(birth, date(2026, 6, 21)), 65);
        assert_eq!(age_on(date(2019, 3, 14), date(2026, 11, 23)), 7);
        assert_eq!(age_on(date(2026, 11, 1), date(2026, 11, 23)), 0, "a newborn");
        assert_eq!(age_on(date(2008, 11, 24), date(2026, 11, 23)), 17, "the day before 18");
    }

    #[test]
    fn emails_are_checked_for_shape_and_the_domain_lowercased() {
        assert_eq!(Email::parse(" Anna@Example.RU ").map(|e| e.0), Ok("Anna@example.ru".into()));
        for raw in ["anna", "anna@", "@example.ru", "anna@example", "an na@example.ru"] {
            assert_eq!(Email::parse(raw), Err("error-email-invalid"), "{raw}");
        }
    }

    #[test]
    fn postal_addresses_are_one_plausible_line() {
        assert_eq!(
            PostalAddress::parse(" 190000,  Санкт-Петербург, ул. Ленина, д. 1 ").map(|a| a.0),
            Ok("190000, Санкт-Петербург, ул. Ленина, д. 1".into())
        );
        assert_eq!(PostalAddress::parse("1234567890"), Err("error-postal-address-invalid"));
        assert_eq!(PostalAddress::parse("Москва"), Err("error-postal-address-invalid"));
        assert_eq!(PostalAddress::parse(""), Err("error-required"));
    }

    #[test]
    fn a_form_reports_every_bad_field_at_once() {
        let input =
            PatientInput { phone: "123".into(), email: Some("x".into()), ..Default::default() };
        let mut errors = FieldErrors::default();
        assert!(input.parse(date(2026, 11, 23), &mut errors).is_none());
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["last_name", "first_name", "birth_date", "phone", "email"]);
    }
}

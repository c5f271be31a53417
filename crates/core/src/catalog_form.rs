//! Branches, specialties and specialists as the administrator types them (C1), parsed into the
//! values the catalog keeps, with every problem collected, keyed by field. English versions
//! are optional: an empty one is none, and the Russian text is shown instead.

use crate::catalog::{AgeRange, Gender};
use crate::patient::{FieldErrors, NamePart};

/// The longest one-line text (a name, an address, hours).
const LINE_CHARS: usize = 300;
/// The longest text of several paragraphs (a bio, how to get there).
const TEXT_CHARS: usize = 4000;
/// The first year a career may have started in.
const FIRST_CAREER_YEAR: i16 = 1940;

/// A branch as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct BranchInput {
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: String,
    /// Street address.
    pub address: String,
    /// Street address in English.
    pub address_en: String,
    /// The phone to call.
    pub phone: String,
    /// Another phone, if the branch has one.
    pub second_phone: String,
    /// Opening hours.
    pub hours: String,
    /// Opening hours in English.
    pub hours_en: String,
    /// How to get there: the metro station, the way from it.
    pub metro: String,
    /// How to get there, in English.
    pub metro_en: String,
}

/// A branch as the catalog keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BranchFields {
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Street address.
    pub address: String,
    /// Street address in English.
    pub address_en: Option<String>,
    /// The phone to call, as typed (trimmed).
    pub phone: String,
    /// Another phone (a call centre, the reception desk), as typed.
    pub second_phone: Option<String>,
    /// Opening hours.
    pub hours: String,
    /// Opening hours in English.
    pub hours_en: Option<String>,
    /// How to get there.
    pub metro: String,
    /// How to get there, in English.
    pub metro_en: Option<String>,
}

/// A specialty as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct SpecialtyInput {
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: String,
    /// The youngest age seen; empty: no limit.
    pub min_age: String,
    /// The oldest age seen; empty: no limit.
    pub max_age: String,
}

/// A specialty as the catalog keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecialtyFields {
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// The ages it sees.
    pub ages: AgeRange,
}

/// A specialist as typed. The form's repeated fields (specialties, branches) and its check
/// box make it a list of pairs rather than a struct: see [`SpecialistInput::from_pairs`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecialistInput {
    /// Фамилия.
    pub last_name: String,
    /// Имя.
    pub first_name: String,
    /// Отчество; may be empty.
    pub middle_name: String,
    /// `f` or `m`.
    pub gender: String,
    /// Ids of the specialties ticked.
    pub specialties: Vec<String>,
    /// Ids of the branches ticked; the first is the main one.
    pub branches: Vec<String>,
    /// Qualification category.
    pub qualification: String,
    /// Qualification in English.
    pub qualification_en: String,
    /// Academic degree; may be empty.
    pub degree: String,
    /// Academic degree in English.
    pub degree_en: String,
    /// The year they began to practise.
    pub career_start_year: String,
    /// A few sentences about them.
    pub bio: String,
    /// About them, in English.
    pub bio_en: String,
    /// Whether patients book them online.
    pub online_booking: bool,
    /// Their online-booking discount, percent; empty is none.
    pub online_discount_percent: String,
}

impl SpecialistInput {
    /// The form's fields as sent: `specialty` and `branch` once per ticked box, and the main
    /// branch (`main_branch`) put first among the branches.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut input = Self::default();
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "last_name" => input.last_name = value,
                "first_name" => input.first_name = value,
                "middle_name" => input.middle_name = value,
                "gender" => input.gender = value,
                "specialty" => input.specialties.push(value),
                // The main branch leads the list, wherever it came in the form.
                "main_branch" if !value.trim().is_empty() => input.branches.insert(0, value),
                "branch" => input.branches.push(value),
                "qualification" => input.qualification = value,
                "qualification_en" => input.qualification_en = value,
                "degree" => input.degree = value,
                "degree_en" => input.degree_en = value,
                "career_start_year" => input.career_start_year = value,
                "bio" => input.bio = value,
                "bio_en" => input.bio_en = value,
                "online_booking" => input.online_booking = true,
                "online_discount_percent" => input.online_discount_percent = value,
                _ => {}
            }
        }
        input
    }

    /// Whether the box of specialty or branch `id` is ticked (`list` is one of the two).
    pub fn ticked(list: &[String], id: &i64) -> bool {
        list.iter().any(|v| v.trim() == id.to_string())
    }
}

/// A specialist as the catalog keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialistFields {
    /// Фамилия.
    pub last_name: String,
    /// Имя.
    pub first_name: String,
    /// Отчество, or empty.
    pub middle_name: String,
    /// For the avatar and for grammar.
    pub gender: Gender,
    /// Specialty ids, at least one.
    pub specialty_ids: Vec<i64>,
    /// Branch ids, at least one; the first is the main one (where visits' letters point).
    pub branch_ids: Vec<i64>,
    /// Qualification.
    pub qualification: String,
    /// Qualification in English.
    pub qualification_en: Option<String>,
    /// Academic degree, or empty.
    pub degree: String,
    /// Academic degree in English.
    pub degree_en: Option<String>,
    /// The year they began to practise.
    pub career_start_year: i32,
    /// About them.
    pub bio: String,
    /// About them, in English.
    pub bio_en: Option<String>,
    /// Whether patients book them online; when not, the pages show the phone to call.
    pub online_booking: bool,
    /// The discount for booking online, percent (0: none), unless a service has its own.
    pub online_discount_percent: i32,
}

impl From<&BranchFields> for BranchInput {
    /// The form of a stored branch, to change it.
    fn from(b: &BranchFields) -> Self {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        Self {
            name: b.name.clone(),
            name_en: text(&b.name_en),
            address: b.address.clone(),
            address_en: text(&b.address_en),
            phone: b.phone.clone(),
            second_phone: text(&b.second_phone),
            hours: b.hours.clone(),
            hours_en: text(&b.hours_en),
            metro: b.metro.clone(),
            metro_en: text(&b.metro_en),
        }
    }
}

impl From<&SpecialtyFields> for SpecialtyInput {
    /// The form of a stored specialty, to change it.
    fn from(s: &SpecialtyFields) -> Self {
        let age = |a: Option<u8>| a.map(|a| a.to_string()).unwrap_or_default();
        Self {
            name: s.name.clone(),
            name_en: s.name_en.clone().unwrap_or_default(),
            min_age: age(s.ages.from),
            max_age: age(s.ages.to),
        }
    }
}

impl From<&SpecialistFields> for SpecialistInput {
    /// The form of a stored specialist, to change them.
    fn from(s: &SpecialistFields) -> Self {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        Self {
            last_name: s.last_name.clone(),
            first_name: s.first_name.clone(),
            middle_name: s.middle_name.clone(),
            gender: s.gender.as_str().to_owned(),
            specialties: s.specialty_ids.iter().map(i64::to_string).collect(),
            branches: s.branch_ids.iter().map(i64::to_string).collect(),
            qualification: s.qualification.clone(),
            qualification_en: text(&s.qualification_en),
            degree: s.degree.clone(),
            degree_en: text(&s.degree_en),
            career_start_year: s.career_start_year.to_string(),
            bio: s.bio.clone(),
            bio_en: text(&s.bio_en),
            online_booking: s.online_booking,
            // No discount reads as an empty field, as the form takes it.
            online_discount_percent: match s.online_discount_percent {
                0 => String::new(),
                percent => percent.to_string(),
            },
        }
    }
}

/// An online-booking discount as typed: a whole percent from 0 to 100, or none when empty.
pub fn parse_online_percent(text: &str) -> Result<Option<i32>, &'static str> {
    let text = text.trim();
    match text.parse::<i32>() {
        _ if text.is_empty() => Ok(None),
        Ok(p) if (0..=100).contains(&p) => Ok(Some(p)),
        _ => Err("error-online-percent"),
    }
}

/// A required one-line text, trimmed.
fn line(field: &'static str, text: &str, errors: &mut FieldErrors) -> Option<String> {
    let text = text.trim();
    let checked = if text.is_empty() {
        Err("error-required")
    } else if text.chars().count() > LINE_CHARS {
        Err("error-catalog-too-long")
    } else {
        Ok(text.to_owned())
    };
    errors.take(field, checked)
}

/// An optional text of at most `max` characters, trimmed; empty is none.
fn optional(
    field: &'static str,
    text: &str,
    max: usize,
    errors: &mut FieldErrors,
) -> Option<String> {
    let text = text.trim();
    if text.chars().count() > max {
        errors.add(field, "error-catalog-too-long");
    }
    (!text.is_empty()).then(|| text.to_owned())
}

/// A phone as people write it: `+7 (495) 555-01-00`, `8 495 5550100`; ten or eleven digits.
fn phone(field: &'static str, text: &str, errors: &mut FieldErrors) -> Option<String> {
    let text = text.trim();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-');
    let checked = if text.is_empty() {
        Err("error-required")
    } else if !(10..=11).contains(&digits) || !text.chars().all(allowed) {
        Err("error-catalog-phone")
    } else {
        Ok(text.to_owned())
    };
    errors.take(field, checked)
}

/// An age bound: empty is none.
fn age(field: &'static str, text: &str, errors: &mut FieldErrors) -> Option<Option<i64>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(None);
    }
    let parsed = text.parse::<i64>().ok().filter(|a| (0..=150).contains(a));
    errors.take(field, parsed.map(Some).ok_or("error-catalog-age"))
}

/// Ids ticked in a list of boxes, each one of `known`; at least one.
fn ids(
    field: &'static str,
    ticked: &[String],
    known: &[i64],
    errors: &mut FieldErrors,
) -> Option<Vec<i64>> {
    let mut out: Vec<i64> = Vec::new();
    for text in ticked {
        let Some(id) = text.trim().parse::<i64>().ok().filter(|id| known.contains(id)) else {
            errors.add(field, "error-catalog-choice");
            return None;
        };
        if !out.contains(&id) {
            out.push(id);
        }
    }
    if out.is_empty() {
        errors.add(field, "error-catalog-choose-one");
        return None;
    }
    Some(out)
}

impl BranchInput {
    /// The branch, or every problem found.
    pub fn parse(&self, errors: &mut FieldErrors) -> Option<BranchFields> {
        let name = line("name", &self.name, errors);
        let address = line("address", &self.address, errors);
        let second_phone = match self.second_phone.trim() {
            "" => None,
            typed => phone("second_phone", typed, errors),
        };
        let phone = phone("phone", &self.phone, errors);
        let hours = line("hours", &self.hours, errors);
        let metro = optional("metro", &self.metro, TEXT_CHARS, errors).unwrap_or_default();
        let name_en = optional("name_en", &self.name_en, LINE_CHARS, errors);
        let address_en = optional("address_en", &self.address_en, LINE_CHARS, errors);
        let hours_en = optional("hours_en", &self.hours_en, LINE_CHARS, errors);
        let metro_en = optional("metro_en", &self.metro_en, TEXT_CHARS, errors);
        let fields = BranchFields {
            name: name?,
            name_en,
            address: address?,
            address_en,
            phone: phone?,
            second_phone,
            hours: hours?,
            hours_en,
            metro,
            metro_en,
        };
        errors.is_empty().then_some(fields)
    }
}

impl SpecialtyInput {
    /// The specialty, or every problem found.
    pub fn parse(&self, errors: &mut FieldErrors) -> Option<SpecialtyFields> {
        let name = line("name", &self.name, errors);
        let name_en = optional("name_en", &self.name_en, LINE_CHARS, errors);
        let (from, to) =
            (age("min_age", &self.min_age, errors), age("max_age", &self.max_age, errors));
        let ages = match (from, to) {
            (Some(from), Some(to)) => errors.take("max_age", AgeRange::parse(from, to)),
            _ => None,
        };
        let fields = SpecialtyFields { name: name?, name_en, ages: ages? };
        errors.is_empty().then_some(fields)
    }
}

impl SpecialistInput {
    /// The specialist, or every problem found. `specialties` and `branches` are the ids that
    /// exist; `this_year` bounds the career's start.
    pub fn parse(
        &self,
        specialties: &[i64],
        branches: &[i64],
        this_year: i16,
        errors: &mut FieldErrors,
    ) -> Option<SpecialistFields> {
        let last_name = errors.take("last_name", NamePart::parse(&self.last_name));
        let first_name = errors.take("first_name", NamePart::parse(&self.first_name));
        let middle_name = if self.middle_name.trim().is_empty() {
            Some(String::new())
        } else {
            errors
                .take("middle_name", NamePart::parse(&self.middle_name))
                .map(|n| n.as_str().to_owned())
        };
        let gender = errors
            .take("gender", self.gender.parse::<Gender>().map_err(|_| "error-catalog-choice"));
        let specialty_ids = ids("specialties", &self.specialties, specialties, errors);
        let branch_ids = ids("branches", &self.branches, branches, errors);
        let qualification = line("qualification", &self.qualification, errors);
        let qualification_en =
            optional("qualification_en", &self.qualification_en, LINE_CHARS, errors);
        let degree = optional("degree", &self.degree, LINE_CHARS, errors).unwrap_or_default();
        let degree_en = optional("degree_en", &self.degree_en, LINE_CHARS, errors);
        let year = self
            .career_start_year
            .trim()
            .parse::<i16>()
            .ok()
            .filter(|y| (FIRST_CAREER_YEAR..=this_year).contains(y))
            .map(i32::from);
        let career_start_year = errors.take("career_start_year", year.ok_or("error-catalog-year"));
        let bio = optional("bio", &self.bio, TEXT_CHARS, errors).unwrap_or_default();
        let bio_en = optional("bio_en", &self.bio_en, TEXT_CHARS, errors);
        let percent =
            parse_online_percent(&self.online_discount_percent).map(Option::unwrap_or_default);
        let online_discount_percent = errors.take("online_discount_percent", percent);
        let fields = SpecialistFields {
            last_name: last_name?.as_str().to_owned(),
            first_name: first_name?.as_str().to_owned(),
            middle_name: middle_name?,
            gender: gender?,
            specialty_ids: specialty_ids?,
            branch_ids: branch_ids?,
            qualification: qualification?,
            qualification_en,
            degree,
            degree_en,
            career_start_year: career_start_year?,
            bio,
            bio_en,
            online_booking: self.online_booking,
            online_discount_percent: online_discount_percent?,
        };
        errors.is_empty().then_some(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specialist() -> SpecialistInput {
        SpecialistInput {
            last_name: " Белова ".into(),
            first_name: "Анна".into(),
            gender: "f".into(),
            specialties: vec!["3".into()],
            branches: vec!["2".into(), "1".into()],
            qualification: "Врач высшей категории".into(),
            career_start_year: "2005".into(),
            online_booking: true,
            ..SpecialistInput::default()
        }
    }

    #[test]
    fn a_typed_specialist_becomes_the_catalogs_values() {
        let mut errors = FieldErrors::default();
        let fields = specialist().parse(&[3], &[1, 2], 2026, &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(fields.last_name, "Белова");
        assert_eq!(fields.branch_ids, vec![2, 1], "the first ticked is the main branch");
        assert_eq!((fields.degree.as_str(), fields.degree_en), ("", None));
    }

    #[test]
    fn every_problem_of_a_specialist_is_named_by_its_field() {
        let input = SpecialistInput {
            last_name: String::new(),
            specialties: vec!["99".into()],
            branches: Vec::new(),
            career_start_year: "2031".into(),
            gender: "x".into(),
            ..specialist()
        };
        let mut errors = FieldErrors::default();
        assert!(input.parse(&[3], &[1, 2], 2026, &mut errors).is_none());
        assert_eq!(errors.get("last_name"), Some("error-required"));
        assert_eq!(errors.get("specialties"), Some("error-catalog-choice"));
        assert_eq!(errors.get("branches"), Some("error-catalog-choose-one"));
        assert_eq!(errors.get("career_start_year"), Some("error-catalog-year"));
        assert_eq!(errors.get("gender"), Some("error-catalog-choice"));
    }

    #[test]
    fn a_branch_needs_a_phone_that_can_be_called() {
        let mut input = BranchInput {
            name: "На Лесной".into(),
            address: "ул. Лесная, 5".into(),
            phone: "+7 (495) 555-01-00".into(),
            hours: "Пн–Пт 8:00–21:00".into(),
            ..BranchInput::default()
        };
        let mut errors = FieldErrors::default();
        assert!(input.parse(&mut errors).is_some(), "{errors:?}");
        input.phone = "звоните".into();
        assert!(input.parse(&mut errors).is_none());
        assert_eq!(errors.get("phone"), Some("error-catalog-phone"));
    }

    #[test]
    fn a_specialtys_ages_must_make_a_range() {
        let input = SpecialtyInput {
            name: "Педиатр".into(),
            min_age: "18".into(),
            max_age: "17".into(),
            ..SpecialtyInput::default()
        };
        let mut errors = FieldErrors::default();
        assert!(input.parse(&mut errors).is_none());
        assert_eq!(errors.get("max_age"), Some("error-age-range-invalid"));
    }
}

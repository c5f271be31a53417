//! Russian first, English second: every user-facing string is a Fluent message, looked up in
//! the visitor's language (a `lang` cookie; Russian when absent). Dates and times are written
//! here too, in the clinic's time zone.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use kabinet_core::lang::MONTHS_RU_GENITIVE;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ru",
        // Bidi isolation marks would end up inside attributes and form values.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static RU: LanguageIdentifier = langid!("ru");
static EN: LanguageIdentifier = langid!("en");

pub use kabinet_core::lang::Lang;

/// The Fluent identifier of a language.
fn language_id(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

/// Message lookup and date formatting in one language and the clinic's zone.
#[derive(Debug, Clone)]
pub struct I18n {
    /// The language.
    pub lang: Lang,
    /// The clinic's time zone.
    pub tz: TimeZone,
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS_RU: [&str; 7] =
    ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"];
const WEEKDAYS_EN: [&str; 7] =
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

impl I18n {
    /// The message `key`.
    pub fn s(&self, key: &str) -> String {
        LOCALES.lookup(language_id(self.lang), key)
    }

    /// The message `key` with one named argument (a number picks the plural form).
    pub fn a(&self, key: &str, name: &'static str, value: impl Into<FluentArg>) -> String {
        self.args(key, [(name, value.into())])
    }

    /// The message `key` with several named arguments.
    pub fn args<const N: usize>(&self, key: &str, args: [(&'static str, FluentArg); N]) -> String {
        let args: HashMap<_, _> = args
            .into_iter()
            .map(|(name, value)| {
                let value = match value {
                    FluentArg::Text(text) => FluentValue::from(text),
                    FluentArg::Number(n) => FluentValue::from(n),
                };
                (Cow::Borrowed(name), value)
            })
            .collect();
        LOCALES.lookup_with_args(language_id(self.lang), key, &args)
    }

    /// «понедельник, 24 ноября» / «Monday, 24 November».
    pub fn day(&self, date: &Date) -> String {
        let weekday = usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0);
        let month = usize::try_from(date.month() - 1).unwrap_or(0);
        match self.lang {
            Lang::Ru => {
                format!("{}, {} {}", WEEKDAYS_RU[weekday], date.day(), MONTHS_RU_GENITIVE[month])
            }
            Lang::En => format!("{}, {} {}", WEEKDAYS_EN[weekday], date.day(), MONTHS_EN[month]),
        }
    }

    /// The name of ISO weekday `n` (1 = Monday), capitalised: «Понедельник» / «Monday».
    pub fn weekday(&self, n: &i8) -> String {
        let index = usize::try_from(n.saturating_sub(1)).unwrap_or(0).min(6);
        let name = match self.lang {
            Lang::Ru => WEEKDAYS_RU[index],
            Lang::En => WEEKDAYS_EN[index],
        };
        let mut chars = name.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
    }

    /// «24 ноября 2026» / «24 November 2026».
    pub fn date(&self, date: &Date) -> String {
        let month = usize::try_from(date.month() - 1).unwrap_or(0);
        let name = match self.lang {
            Lang::Ru => MONTHS_RU_GENITIVE[month],
            Lang::En => MONTHS_EN[month],
        };
        format!("{} {name} {}", date.day(), date.year())
    }

    /// A stored civil date as people write it on forms (`1985-04-12` → `12.04.1985`); text
    /// that is not a date stays as it is.
    pub fn civil(&self, text: &str) -> String {
        text.parse::<Date>()
            .map_or_else(|_| text.to_owned(), |date| date.strftime("%d.%m.%Y").to_string())
    }

    /// «09:30» in the clinic's zone.
    pub fn time(&self, at: &Timestamp) -> String {
        at.to_zoned(self.tz.clone()).strftime("%H:%M").to_string()
    }

    /// The day of an instant in the clinic's zone.
    pub fn day_of(&self, at: &Timestamp) -> String {
        self.day(&at.to_zoned(self.tz.clone()).date())
    }

    /// «понедельник, 24 ноября, 09:30».
    pub fn when(&self, at: &Timestamp) -> String {
        format!("{}, {}", self.day_of(at), self.time(at))
    }

    /// [`Self::when`] of Unix seconds, as stored.
    pub fn when_secs(&self, secs: &i64) -> String {
        self.when(&Timestamp::from_second(*secs).unwrap_or(Timestamp::UNIX_EPOCH))
    }

    /// «2026-11-24T09:30:00+03:00» of Unix seconds, in the clinic's zone: for `<time datetime>`.
    pub fn iso(&self, secs: &i64) -> String {
        let at = Timestamp::from_second(*secs).unwrap_or(Timestamp::UNIX_EPOCH);
        at.to_zoned(self.tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// «24 ноября 2026, 09:30» of Unix seconds: for events in the past.
    pub fn moment(&self, secs: &i64) -> String {
        let at = Timestamp::from_second(*secs).unwrap_or(Timestamp::UNIX_EPOCH);
        format!("{}, {}", self.date(&at.to_zoned(self.tz.clone()).date()), self.time(&at))
    }
}

/// An argument of a message.
#[derive(Debug, Clone)]
pub enum FluentArg {
    /// Text.
    Text(String),
    /// A number (plural forms follow it).
    Number(i64),
}

impl From<&str> for FluentArg {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for FluentArg {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&String> for FluentArg {
    fn from(text: &String) -> Self {
        Self::Text(text.clone())
    }
}

impl From<&&i32> for FluentArg {
    fn from(n: &&i32) -> Self {
        Self::Number((**n).into())
    }
}

impl From<&u32> for FluentArg {
    fn from(n: &u32) -> Self {
        Self::Number((*n).into())
    }
}

impl From<&u64> for FluentArg {
    fn from(n: &u64) -> Self {
        Self::Number(i64::try_from(*n).unwrap_or(i64::MAX))
    }
}

impl From<i64> for FluentArg {
    fn from(n: i64) -> Self {
        Self::Number(n)
    }
}

impl From<&i64> for FluentArg {
    fn from(n: &i64) -> Self {
        Self::Number(*n)
    }
}

impl From<&i32> for FluentArg {
    fn from(n: &i32) -> Self {
        Self::Number(i64::from(*n))
    }
}

impl From<usize> for FluentArg {
    fn from(n: usize) -> Self {
        Self::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<&usize> for FluentArg {
    fn from(n: &usize) -> Self {
        Self::from(*n)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(ftl: &str) -> BTreeSet<String> {
        ftl.lines()
            .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .map(str::to_owned)
            .collect()
    }

    /// Every message of a language, from all of its .ftl files, and the keys defined twice.
    fn language(code: &str) -> (BTreeSet<String>, Vec<String>) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(code);
        let (mut all, mut twice) = (BTreeSet::new(), Vec::new());
        for entry in std::fs::read_dir(dir).unwrap() {
            for key in keys(&std::fs::read_to_string(entry.unwrap().path()).unwrap()) {
                if !all.insert(key.clone()) {
                    twice.push(key);
                }
            }
        }
        (all, twice)
    }

    #[test]
    fn both_languages_have_every_message_once() {
        let (ru, ru_twice) = language("ru");
        let (en, en_twice) = language("en");
        assert_eq!((ru_twice, en_twice), (vec![], vec![]), "keys defined in two files");
        assert_eq!(ru.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in en");
        assert_eq!(en.difference(&ru).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in ru");
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        let (ru, _) = language("ru");
        let mut sources = String::new();
        for dir in ["templates", "src", "src/pages", "src/pages/staff", "src/api"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() && path.file_name().is_some_and(|n| n != "i18n.rs") {
                    sources.push_str(&std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut missing = Vec::new();
        for pattern in [".s(\"", ".a(\"", ".args(\""] {
            for piece in sources.split(pattern).skip(1) {
                let key = piece.split('"').next().unwrap();
                if !ru.contains(key) {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "messages missing from the locales: {missing:?}");
    }

    #[test]
    fn russian_plurals_and_dates_read_naturally() {
        let ru = I18n { lang: Lang::Ru, tz: TimeZone::get("Europe/Moscow").unwrap() };
        assert_eq!(ru.a("slots-count", "count", 1_i64), "1 свободное окно");
        assert_eq!(ru.a("slots-count", "count", 3_i64), "3 свободных окна");
        assert_eq!(ru.a("slots-count", "count", 5_i64), "5 свободных окон");
        assert_eq!(ru.day(&jiff::civil::date(2026, 11, 24)), "вторник, 24 ноября");
        let at: Timestamp = "2026-11-24T06:30:00Z".parse().unwrap();
        assert_eq!(ru.time(&at), "09:30", "shown in Moscow time");
        assert_eq!(ru.a("cabinet-unread", "count", 1_i64), "1 непрочитанное");
        assert_eq!(ru.a("cabinet-unread", "count", 2_i64), "2 непрочитанных");
        assert_eq!(ru.a("cabinet-unread", "count", 5_i64), "5 непрочитанных");
        assert_eq!(ru.a("cabinet-unread", "count", 21_i64), "21 непрочитанное");
        assert_eq!(
            ru.a("booking-window-weeks", "count", 4_i64),
            "Запись открыта на 4 недели вперёд."
        );
        assert_eq!(
            ru.a("booking-window-days", "count", 10_i64),
            "Запись открыта на 10 дней вперёд."
        );
        let device = [("browser", "Chrome".into()), ("os", "Linux".into())];
        assert_eq!(ru.args("security-device", device.clone()), "Chrome на Linux");
        assert_eq!(ru.iso(&at.as_second()), "2026-11-24T09:30:00+03:00");
        assert_eq!(ru.a("staff-age", "age", 64_i64), "64 года");
        assert_eq!(ru.a("staff-age", "age", 21_i64), "21 год");
        assert_eq!(ru.a("staff-age", "age", 17_i64), "17 лет");
        let between = [("from", 0_i64.into()), ("to", 17_i64.into())];
        assert_eq!(ru.args("staff-ages-between", between), "от 0 до 17 лет");
        assert_eq!(ru.a("staff-ages-from", "from", 18_i64), "с 18 лет");
        assert_eq!(ru.a("staff-ages-to", "to", 1_i64), "до 1 года");
        let en = I18n { lang: Lang::En, ..ru };
        assert_eq!(en.s("nav-specialists"), "Specialists");
        assert_eq!(en.a("cabinet-unread", "count", 1_i64), "1 unread");
        assert_eq!(en.a("booking-window-weeks", "count", 1_i64), "Booking is open 1 week ahead.");
        assert_eq!(en.args("security-device", device), "Chrome on Linux");
    }
}

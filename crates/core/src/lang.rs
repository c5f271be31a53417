//! The languages the portal speaks (Russian first, English second), and the catalog's texts
//! in one of them: the clinic writes every text in Russian and may add its English version.

/// A language of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Русский, the default.
    #[default]
    Ru,
    /// English.
    En,
}

impl Lang {
    /// From a cookie or parameter value; anything unknown is Russian.
    pub fn parse(code: &str) -> Self {
        if code.eq_ignore_ascii_case("en") { Self::En } else { Self::Ru }
    }

    /// The code for `lang` attributes and cookies.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }
}

/// A catalog text in the language asked for, or in Russian when it has no version in that
/// language. Pages mark such a Russian text `lang="ru"`, so screen readers pronounce it right.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Localized {
    /// The text shown.
    pub text: String,
    /// Whether this is the Russian text standing in for a missing translation.
    pub fallback: bool,
}

impl Localized {
    /// The text to show in `lang`: the English one when asked for and written, else the
    /// Russian one (a fallback when English was asked for).
    pub fn pick(lang: Lang, ru: String, en: Option<String>) -> Self {
        match (lang, en) {
            (Lang::Ru, _) => Self { text: ru, fallback: false },
            (Lang::En, Some(en)) if !en.trim().is_empty() => Self { text: en, fallback: false },
            (Lang::En, _) => Self { text: ru, fallback: true },
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The months in the genitive, as a Russian date reads: «2 декабря».
pub const MONTHS_RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_shown_when_written_and_russian_stands_in_otherwise() {
        let both = || ("Невролог".to_owned(), Some("Neurologist".to_owned()));
        let (ru, en) = both();
        assert_eq!(
            Localized::pick(Lang::Ru, ru, en),
            Localized { text: "Невролог".into(), fallback: false }
        );
        let (ru, en) = both();
        assert_eq!(
            Localized::pick(Lang::En, ru, en),
            Localized { text: "Neurologist".into(), fallback: false }
        );
        for missing in [None, Some(String::new()), Some("  ".into())] {
            assert_eq!(
                Localized::pick(Lang::En, "Невролог".into(), missing),
                Localized { text: "Невролог".into(), fallback: true }
            );
        }
        assert_eq!(Lang::parse("EN"), Lang::En);
        assert_eq!(Lang::parse("de"), Lang::Ru);
    }
}

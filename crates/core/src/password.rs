//! What makes a personal password acceptable (ASVS 5.0 V6.2): length, not a common or a
//! breached password, not built from the patient's own name (in Cyrillic or in Latin letters),
//! phone or the clinic's name. No composition rules: they make passwords harder to remember,
//! not harder to guess.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The shortest password accepted, in characters.
pub const MIN_LENGTH: usize = 10;
/// The longest: Argon2 hashes anything, but a limit keeps one request cheap.
pub const MAX_LENGTH: usize = 128;

/// Ours (keyboard walks, sequences, words) and the most common breached ones (see the file's
/// header for its source and licence).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [include_str!("../data/common-passwords.txt"), include_str!("../data/breached-passwords.txt")]
        .into_iter()
        .flat_map(str::lines)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// Checks `password` against the policy; `personal` are the patient's own words (names,
/// phone digits, login) that must not be part of it, `clinic` the clinic's name. The error
/// is a message key.
pub fn check(password: &str, personal: &[&str], clinic: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err("error-password-short");
    }
    if length > MAX_LENGTH {
        return Err("error-password-long");
    }
    let lower = password.to_lowercase();
    if COMMON.contains(lower.as_str()) || is_one_repeated(&lower) {
        return Err("error-password-common");
    }
    if clinic.split(|c: char| !c.is_alphanumeric()).any(|word| contains_word(&lower, word, 4)) {
        return Err("error-password-clinic");
    }
    let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
    for word in personal {
        let word = word.trim().to_lowercase();
        let word_digits: String = word.chars().filter(char::is_ascii_digit).collect();
        // A phone counts by its last 7 digits, however the patient writes it.
        if word_digits.len() >= 7 && digits.contains(&word_digits[word_digits.len() - 7..]) {
            return Err("error-password-personal");
        }
        if word_digits.is_empty() && contains_word(&lower, &word, 3) {
            return Err("error-password-personal");
        }
    }
    Ok(())
}

/// Whether `password` (lower case) contains `word` of at least `min` letters, as written or
/// in Latin letters (Смирнова: smirnova, Юлия: iuliia and yuliya).
fn contains_word(password: &str, word: &str, min: usize) -> bool {
    let word = word.to_lowercase();
    if word.chars().count() < min {
        return false;
    }
    password.contains(&word)
        || [Latin::Passport, Latin::Common]
            .into_iter()
            .map(|system| transliterate(&word, system))
            .any(|latin| latin != word && latin.chars().count() >= min && password.contains(&latin))
}

/// How Russian names are written in Latin letters.
#[derive(Clone, Copy)]
enum Latin {
    /// As in Russian passports since 2014 (ICAO Doc 9303): Юлия — Iuliia.
    Passport,
    /// As people usually write themselves: Юлия — Yuliya.
    Common,
}

fn transliterate(word: &str, system: Latin) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let latin = match (c, system) {
            ('й', Latin::Passport) => "i",
            ('й', Latin::Common) => "y",
            ('ю', Latin::Passport) => "iu",
            ('ю', Latin::Common) => "yu",
            ('я', Latin::Passport) => "ia",
            ('я', Latin::Common) => "ya",
            ('ъ', Latin::Passport) => "ie",
            ('ъ', Latin::Common) => "",
            ('а', _) => "a",
            ('б', _) => "b",
            ('в', _) => "v",
            ('г', _) => "g",
            ('д', _) => "d",
            ('е' | 'ё' | 'э', _) => "e",
            ('ж', _) => "zh",
            ('з', _) => "z",
            ('и', _) => "i",
            ('к', _) => "k",
            ('л', _) => "l",
            ('м', _) => "m",
            ('н', _) => "n",
            ('о', _) => "o",
            ('п', _) => "p",
            ('р', _) => "r",
            ('с', _) => "s",
            ('т', _) => "t",
            ('у', _) => "u",
            ('ф', _) => "f",
            ('х', _) => "kh",
            ('ц', _) => "ts",
            ('ч', _) => "ch",
            ('ш', _) => "sh",
            ('щ', _) => "shch",
            ('ы', _) => "y",
            ('ь', _) => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(latin);
    }
    out
}

/// One character or one short chunk repeated (`aaaaaaaaaa`, `abcabcabcabc`).
fn is_one_repeated(password: &str) -> bool {
    let chars: Vec<char> = password.chars().collect();
    (1..=3).any(|n| chars.len().is_multiple_of(n) && chars.chunks(n).all(|c| c == &chars[..n]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(password: &str, personal: &[&str]) -> Result<(), &'static str> {
        check(password, personal, "Клиника «Ясень»")
    }

    #[test]
    fn long_uncommon_passphrases_pass_without_composition_rules() {
        assert_eq!(checked("зелёный чайник в саду", &[]), Ok(()));
        assert_eq!(checked("correct horse battery", &[]), Ok(()));
        assert_eq!(checked("tiger lamp violin", &["Иванова", "Анна"]), Ok(()));
    }

    #[test]
    fn short_common_and_repeated_passwords_are_refused() {
        assert_eq!(checked("short", &[]), Err("error-password-short"));
        assert_eq!(checked("123456789", &[]), Err("error-password-short"));
        assert_eq!(checked("1234567890", &[]), Err("error-password-common"));
        assert_eq!(checked("Password123", &[]), Err("error-password-common"));
        assert_eq!(checked("QWERTYUIOP", &[]), Err("error-password-common"));
        assert_eq!(checked("xyzxyzxyzxyz", &[]), Err("error-password-common"));
        assert_eq!(checked(&"a".repeat(129), &[]), Err("error-password-long"));
    }

    #[test]
    fn own_name_and_phone_are_refused() {
        let me = ["Смирнова", "Ольга", "+79161234567", "olga@example.ru"];
        assert_eq!(checked("смирнова-навсегда", &me), Err("error-password-personal"));
        assert_eq!(checked("my number 1234567!", &me), Err("error-password-personal"));
        assert_eq!(checked("Olga@Example.ru", &me), Err("error-password-personal"));
        assert_eq!(checked("перепёлка на крыше", &me), Ok(()));
    }

    #[test]
    fn names_in_latin_letters_and_the_clinics_name_are_refused() {
        let me = ["Смирнова", "Юлия", "+79161234567", "julia@example.ru"];
        assert_eq!(checked("smirnova-forever", &me), Err("error-password-personal"));
        assert_eq!(checked("Yuliya the great", &me), Err("error-password-personal"));
        assert_eq!(checked("iuliia 1990 forever", &me), Err("error-password-personal"));
        assert_eq!(checked("Yasen clinic 2026", &me), Err("error-password-clinic"));
        assert_eq!(checked("ясень-ясень-ясень!", &me), Err("error-password-clinic"));
        assert_eq!(checked("клиника навсегда", &me), Err("error-password-clinic"));
        assert_eq!(checked("перепёлка на крыше", &me), Ok(()));
    }

    #[test]
    fn the_most_common_breached_passwords_are_refused() {
        for breached in ["1qaz2wsx3edc", "manchester", "password123", "q1w2e3r4t5y6"] {
            assert_eq!(checked(breached, &[]), Err("error-password-common"), "{breached}");
        }
        assert!(COMMON.len() > 1_500, "both lists load: {}", COMMON.len());
    }
}

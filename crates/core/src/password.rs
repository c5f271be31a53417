//! What makes a personal password acceptable (ASVS 5.0 V6.2): length, not a common password,
//! not built from the patient's own name or phone. No composition rules: they make passwords
//! harder to remember, not harder to guess.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The shortest password accepted, in characters.
pub const MIN_LENGTH: usize = 10;
/// The longest: Argon2 hashes anything, but a limit keeps one request cheap.
pub const MAX_LENGTH: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// Checks `password` against the policy; `personal` are the patient's own words (names,
/// phone digits, login) that must not be part of it. The error is a message key.
pub fn check(password: &str, personal: &[&str]) -> Result<(), &'static str> {
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
    let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
    for word in personal {
        let word = word.trim().to_lowercase();
        let word_digits: String = word.chars().filter(char::is_ascii_digit).collect();
        // A phone counts by its last 7 digits, however the patient writes it.
        if word_digits.len() >= 7 && digits.contains(&word_digits[word_digits.len() - 7..]) {
            return Err("error-password-personal");
        }
        if word.chars().count() >= 3 && word_digits.is_empty() && lower.contains(&word) {
            return Err("error-password-personal");
        }
    }
    Ok(())
}

/// One character or one short chunk repeated (`aaaaaaaaaa`, `abcabcabcabc`).
fn is_one_repeated(password: &str) -> bool {
    let chars: Vec<char> = password.chars().collect();
    (1..=3).any(|n| chars.len().is_multiple_of(n) && chars.chunks(n).all(|c| c == &chars[..n]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_uncommon_passphrases_pass_without_composition_rules() {
        assert_eq!(check("зелёный чайник в саду", &[]), Ok(()));
        assert_eq!(check("correct horse battery", &[]), Ok(()));
        assert_eq!(check("tiger lamp violin", &["Иванова", "Анна"]), Ok(()));
    }

    #[test]
    fn short_common_and_repeated_passwords_are_refused() {
        assert_eq!(check("short", &[]), Err("error-password-short"));
        assert_eq!(check("123456789", &[]), Err("error-password-short"));
        assert_eq!(check("1234567890", &[]), Err("error-password-common"));
        assert_eq!(check("Password123", &[]), Err("error-password-common"));
        assert_eq!(check("QWERTYUIOP", &[]), Err("error-password-common"));
        assert_eq!(check("xyzxyzxyzxyz", &[]), Err("error-password-common"));
        assert_eq!(check(&"a".repeat(129), &[]), Err("error-password-long"));
    }

    #[test]
    fn own_name_and_phone_are_refused() {
        let me = ["Смирнова", "Ольга", "+79161234567", "olga@example.ru"];
        assert_eq!(check("смирнова-навсегда", &me), Err("error-password-personal"));
        assert_eq!(check("my number 1234567!", &me), Err("error-password-personal"));
        assert_eq!(check("Olga@Example.ru", &me), Err("error-password-personal"));
        assert_eq!(check("перепёлка на крыше", &me), Ok(()));
    }
}

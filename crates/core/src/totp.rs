//! The staff's second factor (ASVS 6.3.3): time-based one-time codes (RFC 6238: HMAC-SHA-1,
//! six digits, 30-second steps, one step of skew either way) from a 160-bit secret, and the
//! ten single-use recovery codes given at enrolment. Time is always passed in, from the
//! service's injected clock, so tests compute the code a phone would show.

use std::fmt;

use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::token::{UNAMBIGUOUS, random_bytes, random_code};

/// Seconds per code.
pub const STEP_SECONDS: u64 = 30;

/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;

/// Characters of a recovery code (16 of 31 letters and digits: about 79 bits, so a SHA-256 of
/// it is as safe to store as a token's hash).
const RECOVERY_LEN: usize = 16;

/// A member's TOTP secret. Its `Debug` never shows the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

impl TotpSecret {
    /// A new random secret of 160 bits (RFC 4226's recommended length).
    pub fn generate() -> Self {
        Self(random_bytes::<20>().to_vec())
    }

    /// The secret from its base32 form (RFC 4648, no padding); `None` if it is not one.
    pub fn from_base32(text: &str) -> Option<Self> {
        let bytes = Secret::try_from_base32(text.trim()).ok()?;
        let bytes = bytes.as_ref().to_vec();
        (bytes.len() >= 16).then_some(Self(bytes))
    }

    /// The base32 form, as authenticator apps take it for manual entry.
    pub fn to_base32(&self) -> String {
        Secret::from(self.0.clone()).to_base32()
    }

    fn totp(&self, account: &str, issuer: &str) -> Option<Totp> {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_skew(1)
            .with_step_duration(STEP_SECONDS)
            .with_secret(self.0.clone())
            .with_account_name(account.replace(':', " "))
            .with_issuer(Some(issuer.replace(':', " ")))
            .build()
            .ok()
    }

    /// The six-digit code at `unix` seconds.
    pub fn code_at(&self, unix: i64) -> String {
        self.totp("-", "-")
            .map(|t| t.generate(u64::try_from(unix).unwrap_or(0)).to_string())
            .unwrap_or_default()
    }

    /// The time step that `code` belongs to at `unix` seconds (now, or one step either
    /// side), if it is right. The caller refuses a step that was used already.
    pub fn check(&self, code: &str, unix: i64) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let totp = self.totp("-", "-")?;
        let step = totp.check(&code, u64::try_from(unix).ok()?)?;
        i64::try_from(step).ok()
    }

    /// The `otpauth://` address an authenticator app reads from the QR code.
    pub fn otpauth_url(&self, account: &str, issuer: &str) -> String {
        self.totp(account, issuer).and_then(|t| t.to_url().ok()).unwrap_or_default()
    }
}

/// Whether what a person typed looks like a six-digit code rather than a recovery code.
pub fn is_totp_code(typed: &str) -> bool {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Ten new recovery codes, shown once, as `XXXX-XXXX-XXXX-XXXX`.
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let code = random_code(RECOVERY_LEN);
            let groups: Vec<&str> =
                (0..RECOVERY_LEN / 4).map(|i| &code[i * 4..i * 4 + 4]).collect();
            groups.join("-")
        })
        .collect()
}

/// A recovery code as typed, in the one form that is hashed: upper case, without spaces or
/// hyphens; `None` if it cannot be one.
pub fn normalize_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == RECOVERY_LEN && code.bytes().all(|b| UNAMBIGUOUS.contains(&b))).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_6238_vector_holds() {
        // RFC 6238, appendix B: the ASCII secret "12345678901234567890", SHA-1, T = 59 s.
        let secret = TotpSecret(b"12345678901234567890".to_vec());
        assert_eq!(secret.code_at(59), "287082");
        assert_eq!(secret.code_at(1_111_111_109), "081804");
    }

    #[test]
    fn a_code_is_right_in_its_step_and_the_neighbours_only() {
        let secret = TotpSecret::generate();
        let now = 1_795_000_000;
        let code = secret.code_at(now);
        let step = now / 30;
        assert_eq!(secret.check(&code, now), Some(step));
        assert!(secret.check(&code, now + 30).is_some(), "one step of skew");
        assert_eq!(secret.check(&code, now + 120), None);
        assert_eq!(secret.check("12345", now), None);
        let base32 = secret.to_base32();
        assert_eq!(TotpSecret::from_base32(&base32), Some(secret.clone()));
        assert!(!format!("{secret:?}").contains(&base32));
    }

    #[test]
    fn the_otpauth_url_names_the_clinic_and_the_member() {
        let secret = TotpSecret::generate();
        let url = secret.otpauth_url("admin", "Клиника «Ясень»");
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(url.contains(&format!("secret={}", secret.to_base32())), "{url}");
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_normalize() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        let typed = codes[0].to_lowercase().replace('-', " ");
        assert_eq!(normalize_recovery_code(&typed), Some(codes[0].replace('-', "")));
        assert_eq!(normalize_recovery_code("123456"), None);
        assert!(is_totp_code("123 456") && !is_totp_code(&codes[0]));
    }
}

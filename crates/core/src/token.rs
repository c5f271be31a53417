//! Random secrets from the operating system and the codes people read aloud.

/// Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L).
pub const UNAMBIGUOUS: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS random source failing is unrecoverable for a service that issues secrets.
    if let Err(error) = getrandom::fill(&mut buf) {
        panic!("the operating system's random source failed: {error}");
    }
    buf
}

/// A 128-bit random token, hex encoded: for cookies and links.
pub fn random_token() -> String {
    hex::encode(random_bytes::<16>())
}

/// A code of `len` characters from [`UNAMBIGUOUS`], e.g. a booking code.
pub fn random_code(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for byte in random_bytes::<32>() {
            // Rejection sampling keeps every character equally likely.
            let limit = 256 - 256 % UNAMBIGUOUS.len();
            if usize::from(byte) < limit && out.len() < len {
                out.push(char::from(UNAMBIGUOUS[usize::from(byte) % UNAMBIGUOUS.len()]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_unambiguous_characters() {
        let code = random_code(8);
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| UNAMBIGUOUS.contains(&b)), "{code}");
        assert_ne!(random_code(8), random_code(8));
    }

    #[test]
    fn tokens_carry_128_bits() {
        assert_eq!(random_token().len(), 32);
        assert_ne!(random_token(), random_token());
    }
}

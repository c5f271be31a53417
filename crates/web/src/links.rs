//! Links within the site: URL-encoding a value, and the one check of a `next` path to return
//! to after a form.

/// Percent-encodes a value for a URL query.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A local path to return to: a path on this site (`/…`), with no control characters or
/// whitespace anywhere (a browser drops a tab or newline and follows `/\t/evil.example`
/// off-site; a CR or LF cannot go into a header), never `//host`, a backslash or a full URL.
/// Anything else is `/`. Every `next` of the site goes through here. Letters outside ASCII
/// (a search for «Иванова») come back percent-encoded, as a `Location` header needs them.
pub fn safe_return(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            let mut out = String::with_capacity(path.len());
            for c in path.chars() {
                if c.is_ascii() {
                    out.push(c);
                } else {
                    let mut utf8 = [0; 4];
                    for byte in c.encode_utf8(&mut utf8).bytes() {
                        out.push_str(&format!("%{byte:02X}"));
                    }
                }
            }
            out
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return(Some("/specialists?branch=1")), "/specialists?branch=1");
        assert_eq!(safe_return(Some("/prices?q=ЛОР")), "/prices?q=%D0%9B%D0%9E%D0%A0");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "evil",
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/ok\r\nSet-Cookie: x=1",
            "/ /evil.example",
            "/\u{2028}/evil.example",
            "",
        ] {
            assert_eq!(safe_return(Some(bad)), "/", "{bad}");
        }
    }
}

//! Visit statistics (O3, P3.3–3.4): what a page view keeps of a request, and how it is shown
//! in aggregates — the address truncated to its network, the browser as a coarse family.

use std::net::IpAddr;

/// The network an address belongs to, as aggregates show it: IPv4 to /24, IPv6 to /48 (the
/// address itself is never shown). Text that is no address: `None`.
pub fn truncate_ip(ip: &str) -> Option<String> {
    match ip.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            Some(format!("{a}.{b}.{c}.0/24"))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return truncate_ip(&v4.to_string());
            }
            let s = v6.segments();
            Some(format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2]))
        }
    }
}

/// A browser's family, coarse, from its user agent: enough to know what to test with, too
/// little to tell people apart.
pub fn browser_family(user_agent: &str) -> &'static str {
    let ua = user_agent.to_ascii_lowercase();
    let has = |needle: &str| ua.contains(needle);
    if ua.trim().is_empty() {
        "other"
    } else if has("bot") || has("crawl") || has("spider") || has("headless") {
        "bot"
    } else if has("yabrowser") {
        "yandex"
    } else if has("edg/") || has("edge/") {
        "edge"
    } else if has("opr/") || has("opera") {
        "opera"
    } else if has("firefox/") {
        "firefox"
    } else if has("chrome/") || has("chromium/") || has("crios/") {
        "chrome"
    } else if has("safari/") {
        "safari"
    } else {
        "other"
    }
}

/// The path a page view keeps: without the query string or fragment (they may hold
/// personal data), at most 200 characters.
pub fn clean_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.chars().take(200).collect()
}

/// The referrer a page view keeps: scheme, host and path only (no query, fragment or user
/// info), at most 300 characters; anything that is not an http(s) address is dropped.
pub fn clean_referrer(referrer: &str) -> Option<String> {
    let referrer = referrer.trim();
    let (scheme, rest) = referrer.split_once("://")?;
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let host = authority.rsplit('@').next().unwrap_or("");
    if host.is_empty() {
        return None;
    }
    let cleaned = format!("{}://{host}{path}", scheme.to_ascii_lowercase());
    Some(cleaned.chars().take(300).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_cut_to_their_network() {
        assert_eq!(truncate_ip("203.0.113.77").as_deref(), Some("203.0.113.0/24"));
        assert_eq!(truncate_ip("2001:db8:abcd:12::1").as_deref(), Some("2001:db8:abcd::/48"));
        assert_eq!(truncate_ip("::ffff:198.51.100.9").as_deref(), Some("198.51.100.0/24"));
        assert_eq!(truncate_ip("not an address"), None);
    }

    #[test]
    fn browsers_are_told_by_family() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
            Chrome/131.0.0.0 Safari/537.36";
        let edge = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 \
            Edg/131.0";
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
            (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        let yandex = "Mozilla/5.0 AppleWebKit/537.36 Chrome/130.0 YaBrowser/24.12 Safari/537.36";
        assert_eq!(browser_family(chrome), "chrome");
        assert_eq!(browser_family(edge), "edge");
        assert_eq!(browser_family(safari), "safari");
        assert_eq!(browser_family(yandex), "yandex");
        assert_eq!(
            browser_family("Mozilla/5.0 (X11; rv:133.0) Gecko/20100101 Firefox/133.0"),
            "firefox"
        );
        assert_eq!(browser_family("Googlebot/2.1"), "bot");
        assert_eq!(browser_family(""), "other");
    }

    #[test]
    fn queries_never_reach_the_statistics() {
        assert_eq!(clean_path("/booking?phone=%2B79991234567#x"), "/booking");
        assert_eq!(
            clean_referrer("https://user:pw@yandex.ru/search/?text=терапевт").as_deref(),
            Some("https://yandex.ru/search/")
        );
        assert_eq!(clean_referrer("https://example.org").as_deref(), Some("https://example.org/"));
        assert_eq!(clean_referrer("android-app://x"), None);
        assert_eq!(clean_referrer(""), None);
    }
}

//! The browser and system a session was opened from, read from its `User-Agent` for the list
//! of sessions: «Chrome на Linux» rather than the raw string. Only the common browsers and
//! systems are told apart; the order of the checks matters, since most browsers also name
//! the ones they descend from (Edge and Opera say "Chrome", Chrome says "Safari").

use crate::i18n::Lang;

/// A browser people recognise by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Edge,
    Opera,
    Yandex,
    Samsung,
    Firefox,
    Chrome,
    Safari,
}

/// An operating system people recognise by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Windows,
    Ios,
    Ipad,
    Mac,
    Android,
    Chromebook,
    Linux,
}

/// What a `User-Agent` says, as far as it is recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Device {
    pub browser: Option<Browser>,
    pub os: Option<Os>,
}

impl Browser {
    /// The name as people write it in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Edge, _) => "Edge",
            (Self::Opera, _) => "Opera",
            (Self::Yandex, Lang::Ru) => "Яндекс Браузер",
            (Self::Yandex, Lang::En) => "Yandex Browser",
            (Self::Samsung, _) => "Samsung Internet",
            (Self::Firefox, _) => "Firefox",
            (Self::Chrome, _) => "Chrome",
            (Self::Safari, _) => "Safari",
        }
    }
}

impl Os {
    /// The name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Windows => "Windows",
            Self::Ios => "iOS",
            Self::Ipad => "iPadOS",
            Self::Mac => "macOS",
            Self::Android => "Android",
            Self::Chromebook => "ChromeOS",
            Self::Linux => "Linux",
        }
    }
}

/// Reads a `User-Agent` header.
pub fn parse(agent: &str) -> Device {
    let has = |marker: &str| agent.contains(marker);
    let browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") {
        Some(Browser::Edge)
    } else if has("OPR/") || has("Opera") {
        Some(Browser::Opera)
    } else if has("YaBrowser/") {
        Some(Browser::Yandex)
    } else if has("SamsungBrowser/") {
        Some(Browser::Samsung)
    } else if has("Firefox/") || has("FxiOS/") {
        Some(Browser::Firefox)
    } else if has("Chrome/") || has("CriOS/") || has("Chromium/") {
        Some(Browser::Chrome)
    } else if has("Safari/") {
        Some(Browser::Safari)
    } else {
        None
    };
    let os = if has("Windows") {
        Some(Os::Windows)
    } else if has("iPhone") || has("iPod") {
        Some(Os::Ios)
    } else if has("iPad") {
        Some(Os::Ipad)
    } else if has("Macintosh") || has("Mac OS X") {
        Some(Os::Mac)
    } else if has("Android") {
        Some(Os::Android)
    } else if has("CrOS") {
        Some(Os::Chromebook)
    } else if has("Linux") || has("X11") {
        Some(Os::Linux)
    } else {
        None
    };
    Device { browser, os }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(agent: &str) -> (Option<Browser>, Option<Os>) {
        let d = parse(agent);
        (d.browser, d.os)
    }

    #[test]
    fn the_common_browsers_and_systems_are_named() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/120.0.0.0 Safari/537.36",
                (Some(Browser::Chrome), Some(Os::Linux)),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 HeadlessChrome/120.0.6099.224 Safari/537.36",
                (Some(Browser::Chrome), Some(Os::Linux)),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like \
                 Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
                (Some(Browser::Edge), Some(Os::Windows)),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like \
                 Gecko) Chrome/118.0.0.0 YaBrowser/23.11.0.0 Safari/537.36",
                (Some(Browser::Yandex), Some(Os::Windows)),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like \
                 Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0",
                (Some(Browser::Opera), Some(Os::Windows)),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 \
                 Firefox/121.0",
                (Some(Browser::Firefox), Some(Os::Mac)),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, \
                 like Gecko) Version/17.2 Safari/605.1.15",
                (Some(Browser::Safari), Some(Os::Mac)),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
                (Some(Browser::Safari), Some(Os::Ios)),
            ),
            (
                "Mozilla/5.0 (iPad; CPU OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, \
                 like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
                (Some(Browser::Chrome), Some(Os::Ipad)),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like \
                 Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
                (Some(Browser::Samsung), Some(Os::Android)),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like \
                 Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
                (Some(Browser::Chrome), Some(Os::Android)),
            ),
            (
                "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like \
                 Gecko) Chrome/120.0.0.0 Safari/537.36",
                (Some(Browser::Chrome), Some(Os::Chromebook)),
            ),
            ("curl/8.5.0", (None, None)),
            ("", (None, None)),
        ];
        for (agent, expected) in cases {
            assert_eq!(read(agent), expected, "{agent}");
        }
    }

    #[test]
    fn names_follow_the_language() {
        assert_eq!(Browser::Yandex.name(Lang::Ru), "Яндекс Браузер");
        assert_eq!(Browser::Yandex.name(Lang::En), "Yandex Browser");
        assert_eq!(Browser::Chrome.name(Lang::Ru), "Chrome");
        assert_eq!(Os::Mac.name(), "macOS");
    }
}

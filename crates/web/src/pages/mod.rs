//! Server-rendered pages. Each page has its handlers, template struct and tests in one
//! module; [`Chrome`] carries what every page's frame needs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri, header};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;

use axum::response::{IntoResponse, Response};
use kabinet_service::calendar::visit_ics;
use kabinet_service::model::Visit;

use crate::AppState;
use crate::assets::{css_url, js_url};
use crate::i18n::{I18n, Lang};
use crate::routes::Routes;

mod account;
mod booking;
pub mod cabinet;
mod documents;
mod home;
mod inbox;
mod patient_form;
mod prices;
mod profile;
mod registration;
mod security;
mod sign_in;
mod specialists;
mod staff;

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";
/// The cookie that remembers that the cookie and policy notice was accepted (G2).
pub const NOTICE_COOKIE: &str = "notice";

/// The frame of every page: language, clinic, where we are, whether to show the notice.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// Messages and dates.
    pub t: I18n,
    /// The clinic's name.
    pub clinic_name: String,
    /// The clinic's phone.
    pub clinic_phone: String,
    /// This page's path and query, to come back to after switching language.
    pub here: String,
    /// Whether the cookie and policy notice is still to be answered.
    pub show_notice: bool,
    /// The stylesheet's URL.
    pub css: &'static str,
    /// The script's URL.
    pub js: &'static str,
    /// Whether the browser holds a session cookie: the header offers the cabinet, else
    /// sign-in.
    pub signed_in: bool,
}

impl Chrome {
    /// The frame for a request.
    pub fn new(headers: &HeaderMap, uri: &Uri, state: &AppState) -> Self {
        let jar = CookieJar::from_headers(headers);
        let lang = jar.get(LANG_COOKIE).map(|c| Lang::parse(c.value())).unwrap_or_default();
        let settings = &state.kabinet.settings;
        Self {
            t: I18n { lang, tz: settings.time_zone.clone() },
            clinic_name: settings.clinic_name.clone(),
            clinic_phone: settings.clinic_phone.clone(),
            here: uri.path_and_query().map_or("/", |p| p.as_str()).to_owned(),
            show_notice: jar.get(NOTICE_COOKIE).is_none(),
            css: css_url(),
            js: js_url(),
            signed_in: crate::session::has_session_cookie(&jar, state.secure_cookies()),
        }
    }

    /// The current path and query, as a form value or URL parameter.
    pub fn here_encoded(&self) -> String {
        encode(&self.here)
    }

    /// A `tel:` target for a phone as written (`+7 (495) 555-01-00` → `+74955550100`).
    pub fn tel(&self, phone: &str) -> String {
        phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
    }

    /// Whether the page is in this language.
    pub fn is_lang(&self, code: &str) -> bool {
        self.t.lang.code() == code
    }
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::new(&parts.headers, &parts.uri, state))
    }
}

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

/// A local path to return to: only paths on this site, never `//host` or a full URL.
pub fn safe_return(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// An `HttpOnly`, `SameSite=Lax` cookie; `Secure` when served over TLS.
pub fn cookie(
    name: &str,
    value: &str,
    max_age_secs: i64,
    path: &str,
    secure: bool,
) -> Cookie<'static> {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; Path={path}; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}"
    );
    Cookie::parse(text).unwrap_or_else(|_| Cookie::new(name.to_owned(), String::new()))
}

/// `Cache-Control` for pages that show personal data.
pub const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// A form that picks a slot (a specialist and a start), with its session's CSRF token.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SlotForm {
    #[serde(default)]
    pub specialist: i64,
    #[serde(default)]
    pub start: String,
}

/// A visit as an `.ics` download.
pub fn calendar_file(state: &AppState, visit: &Visit) -> Response {
    let ics = visit_ics(visit, &state.kabinet.settings, state.kabinet.now());
    let headers = [
        (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"visit.ics\""),
        NO_STORE,
    ];
    (headers, ics).into_response()
}

pub fn routes() -> Routes {
    Routes::default()
        .merge(home::routes())
        .merge(account::routes())
        .merge(sign_in::routes())
        .merge(registration::routes())
        .merge(cabinet::routes())
        .merge(inbox::routes())
        .merge(security::routes())
        .merge(profile::routes())
        .merge(specialists::routes())
        .merge(prices::routes())
        .merge(booking::routes())
        .merge(documents::routes())
        .merge(staff::routes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return(Some("/specialists?branch=1")), "/specialists?branch=1");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "evil"] {
            assert_eq!(safe_return(Some(bad)), "/", "{bad}");
        }
    }
}

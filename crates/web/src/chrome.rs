//! The frame of every page: the language and time zone, the clinic, where we are, whether the
//! cookie notice is still to be answered, the assets, and whether a session cookie is there.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri};
use axum_extra::extract::CookieJar;

use crate::AppState;
use crate::assets::{css_url, icon_url, js_url};
use crate::cookies::{LANG_COOKIE, NOTICE_COOKIE, has_session_cookie};
use crate::i18n::{I18n, Lang};
use crate::links::encode;

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
    /// The icon's URL.
    pub icon: &'static str,
    /// Whether the browser holds a session cookie: the header offers the cabinet, else
    /// sign-in.
    pub signed_in: bool,
    /// Whether the visitor allowed statistics cookies and has not withdrawn it (O3).
    pub stats_allowed: bool,
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
            icon: icon_url(),
            signed_in: has_session_cookie(&jar, state.secure_cookies()),
            stats_allowed: crate::statistics::allowed(&jar),
        }
    }

    /// The current path and query, as a form value or URL parameter.
    pub fn here_encoded(&self) -> String {
        encode(&self.here)
    }

    /// A stored phone as people read it: `+7 916 123-45-67`.
    pub fn phone(&self, stored: &str) -> String {
        kabinet_core::patient::Phone::from_db(stored.to_owned()).display()
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

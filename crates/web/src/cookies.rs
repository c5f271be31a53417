//! The portal's cookies: their names and the one way they are set (`HttpOnly`,
//! `SameSite=Lax`, `Secure` behind TLS).

use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";
/// The cookie that remembers that the cookie and policy notice was accepted (G2).
pub const NOTICE_COOKIE: &str = "notice";

/// The patient session cookie's name. Browsers accept a `__Host-` cookie only with `Secure`,
/// so the plain-HTTP demo uses the bare name.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-session" } else { "session" }
}

/// Whether the browser sends a session cookie at all (not whether it is still valid): enough
/// to choose between «Войти» and «Личный кабинет» in the header without a database read.
pub fn has_session_cookie(jar: &CookieJar, secure: bool) -> bool {
    jar.get(session_cookie_name(secure)).is_some_and(|c| !c.value().is_empty())
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

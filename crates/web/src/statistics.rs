//! Page views for the visit statistics (O3): noted only for a visitor whose notice cookie
//! says they allowed statistics cookies (and did not withdraw it since), only for HTML pages
//! got with `GET` — never the API, static files or feeds — errors included. The path loses
//! its query string and the referrer everything but origin and path (and is dropped when it
//! is this site itself); the view goes to the
//! service's buffer, never to the database in the request's path.

use axum::extract::Request;
use axum::http::{Method, header};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use kabinet_core::statistics::{clean_path, clean_referrer};
use kabinet_service::model::PageView;

use crate::AppState;
use crate::cookies::NOTICE_COOKIE;

/// The notice cookie's value once the visitor withdrew their consent to statistics: the
/// notice stays answered, and nothing is recorded.
pub const WITHDRAWN: &str = "withdrawn";

/// Paths that are never pages.
const NOT_PAGES: &[&str] = &["/api/", "/assets/", "/static/", "/calendar/", "/metrics", "/health"];

/// Whether the request's cookies allow statistics.
pub fn allowed(jar: &CookieJar) -> bool {
    jar.get(NOTICE_COOKIE).is_some_and(|c| !c.value().is_empty() && c.value() != WITHDRAWN)
}

/// A page view about to happen: what the request tells, kept until the answer's status is
/// known.
pub struct Pending(PageView);

/// What to note of `request`, if it is a page view statistics may record.
pub fn pending(request: Request, state: &AppState) -> (Request, Option<Pending>) {
    if request.method() != Method::GET {
        return (request, None);
    }
    let path = request.uri().path();
    if NOT_PAGES.iter().any(|p| path.starts_with(p)) || path.ends_with(".ics") {
        return (request, None);
    }
    if !allowed(&CookieJar::from_headers(request.headers())) {
        return (request, None);
    }
    let (parts, body) = request.into_parts();
    let origin = crate::request::origin_of(&parts, &state.kabinet.settings.trusted_proxies);
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(300).collect::<String>())
    };
    let view = PageView {
        at: state.kabinet.now().as_second(),
        path: clean_path(parts.uri.path()),
        status: 0,
        referrer: header(header::REFERER)
            .as_deref()
            .and_then(clean_referrer)
            .filter(|r| !same_site(r, header(header::HOST).as_deref())),
        ip: origin.ip,
        user_agent: header(header::USER_AGENT),
    };
    (Request::from_parts(parts, body), Some(Pending(view)))
}

/// Whether a referrer is a page of this site (moving within it is not where a visitor came
/// from).
fn same_site(referrer: &str, host: Option<&str>) -> bool {
    let Some(host) = host.filter(|h| !h.is_empty()) else { return false };
    let authority = referrer.split_once("://").map_or("", |(_, rest)| rest);
    let authority = authority.split('/').next().unwrap_or("");
    authority.eq_ignore_ascii_case(host)
}

/// Notes the view if the answer is an HTML page (an error page too).
pub fn note(state: &AppState, pending: Option<Pending>, response: &Response) {
    let Some(Pending(mut view)) = pending else { return };
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        view.status = i32::from(response.status().as_u16());
        state.kabinet.note_page_view(view);
    }
}

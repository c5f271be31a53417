//! Static files, embedded in the binary under names that carry their content hash, so they
//! can be cached for a year and still change with every release.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::AppState;

struct Asset {
    url: String,
    content_type: &'static str,
    body: &'static str,
}

fn asset(stem: &str, ext: &str, content_type: &'static str, body: &'static str) -> Asset {
    let hash = hex::encode(Sha256::digest(body.as_bytes()));
    Asset { url: format!("/static/{stem}.{}.{ext}", &hash[..10]), content_type, body }
}

static CSS: LazyLock<Asset> = LazyLock::new(|| {
    asset("app", "css", "text/css; charset=utf-8", include_str!("../static/app.css"))
});
static JS: LazyLock<Asset> = LazyLock::new(|| {
    asset("app", "js", "text/javascript; charset=utf-8", include_str!("../static/app.js"))
});
static ICON: LazyLock<Asset> = LazyLock::new(|| {
    asset("favicon", "svg", "image/svg+xml", include_str!("../static/favicon.svg"))
});

/// The URL of the stylesheet.
pub fn css_url() -> &'static str {
    &CSS.url
}

/// The URL of the (optional, progressive) script.
pub fn js_url() -> &'static str {
    &JS.url
}

/// The URL of the site's icon.
pub fn icon_url() -> &'static str {
    &ICON.url
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/{name}", get(show_asset))
        // Asked for by clients that do not read the page's `<link>`: the icon itself, under a
        // name that does not change with it, so cached for a day only.
        .route("/favicon.ico", get(|| async { respond(&ICON, "public, max-age=86400") }))
}

async fn show_asset(Path(name): Path<String>) -> Response {
    let path = format!("/static/{name}");
    match [&*CSS, &*JS, &*ICON].into_iter().find(|a| a.url == path) {
        Some(a) => respond(a, "public, max-age=31536000, immutable"),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn respond(a: &Asset, cache: &'static str) -> Response {
    ([(header::CONTENT_TYPE, a.content_type), (header::CACHE_CONTROL, cache)], a.body)
        .into_response()
}

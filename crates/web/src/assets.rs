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

/// The URL of the stylesheet.
pub fn css_url() -> &'static str {
    &CSS.url
}

/// The URL of the (optional, progressive) script.
pub fn js_url() -> &'static str {
    &JS.url
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/static/{name}", get(show_asset))
}

async fn show_asset(Path(name): Path<String>) -> Response {
    let path = format!("/static/{name}");
    match [&*CSS, &*JS].into_iter().find(|a| a.url == path) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

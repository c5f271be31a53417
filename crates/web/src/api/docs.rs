//! The API describes itself (I1): the OpenAPI 3.1 document at `GET /api/v1/openapi.json`,
//! built by utoipa from the handlers' `#[utoipa::path]` attributes and the types they read
//! and answer, and Swagger UI at `/api/docs`, served from the binary (vendored at build time).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use utoipa::OpenApi as _;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::AppState;
use crate::error::{ErrorBody, ErrorCode, PageError};

/// The name of the bearer security scheme that signed-in routes require.
pub const BEARER: &str = "bearer";

/// The document's fixed parts; the paths and schemas come from the routes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Kabinet API",
        description = "The JSON API of Kabinet, the patient portal of a private clinic: the \
            catalog of specialists with prices and free time, one-time booking, accounts and \
            sessions, and a signed-in patient's own visits, messages, calendar feed and waiting list.\n\n\
            Times are RFC 3339 with the clinic's offset; dates are `YYYY-MM-DD` in the clinic's \
            zone; amounts are integer kopecks. Every error answers \
            `{\"error\": {\"code\", \"message\", \"fields\"}}`: `code` is one of `ErrorCode`, \
            `message` is Russian and ready to show, `fields` names bad inputs. A state-changing \
            request that a browser marks as coming from another site is refused with 403 \
            `forbidden`. Signed-in routes take `Authorization: Bearer <token>` (the token of \
            `POST /api/v1/session`) or the portal's session cookie.",
        license(name = "MIT", identifier = "MIT"),
    ),
    servers((url = "/", description = "This server")),
    modifiers(&BearerScheme),
    components(schemas(ErrorBody, ErrorCode)),
    tags(
        (name = "catalog", description = "Specialists, their services, prices and free time."),
        (name = "booking", description = "One-time booking without an account (B2)."),
        (name = "accounts", description = "Registration, sessions, passwords (A1, A6, K7)."),
        (name = "visits", description = "A signed-in patient's own visits (B3, B4, K1)."),
        (name = "messages", description = "Threads between the clinic and the patient (K3, N2)."),
        (name = "calendar", description = "A signed-in patient's private calendar feed (B8)."),
        (name = "preferences", description = "What the portal sends a signed-in patient: \
            reminders before visits (B8)."),
        (name = "waitlist", description = "A signed-in patient's places in the waiting list \
            for fully booked specialists, and the times held for them (B8)."),
        (name = "consents", description = "A signed-in patient's consent ledger: each purpose \
            with its document version and hash, withdrawn or given again (G1)."),
        (name = "meta", description = "This description."),
        (name = "profile", description = "A signed-in patient's data as the clinic holds it \
            (K4), and the dependents a legal representative acts for with `X-Act-For` (A8)."),
    )
)]
struct ApiDoc;

/// Adds the bearer scheme: the session token of `POST /api/v1/session`.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "The token of `POST /api/v1/session` (or of `POST /api/v1/me/password`).",
            ))
            .build();
        components.add_security_scheme(BEARER, SecurityScheme::Http(scheme));
    }
}

/// The document before the routes add their paths.
pub fn base_document() -> OpenApi {
    ApiDoc::openapi()
}

/// The document as served: serialized once, when the router is built.
#[derive(Clone)]
pub struct Document(Arc<Result<Bytes, String>>);

impl Document {
    /// Serializes `openapi` for serving.
    pub fn new(openapi: &OpenApi) -> Self {
        let json = serde_json::to_vec(openapi).map(Bytes::from).map_err(|e| e.to_string());
        Self(Arc::new(json))
    }
}

/// This API's OpenAPI 3.1 description.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    operation_id = "show_openapi",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document of this API.",
            content_type = "application/json", body = serde_json::Value),
    )
)]
pub async fn show_openapi(Extension(document): Extension<Document>) -> Response {
    match document.0.as_ref() {
        Ok(json) => {
            ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json.clone())
                .into_response()
        }
        Err(error) => {
            tracing::error!(%error, "the OpenAPI document could not be serialized");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Swagger UI's page. Written here rather than taken from the bundle so that it answers at
/// `/api/docs` itself: its files are named from the root, where the bundle's page names them
/// relative to `/api/docs/`. No inline script or style: our Content-Security-Policy allows
/// neither, and Swagger UI runs without them.
const DOCS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kabinet API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="stylesheet" href="/api/docs/index.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/swagger-ui-standalone-preset.js"></script>
<script src="/api/docs/swagger-initializer.js"></script>
</body>
</html>
"#;

/// Swagger UI at `/api/docs`, reading `/api/v1/openapi.json`. Its files are embedded in the
/// binary by utoipa-swagger-ui's `vendored` feature; nothing is fetched at build or run time.
pub fn docs_routes() -> Router<AppState> {
    let config = Arc::new(
        utoipa_swagger_ui::Config::new(["/api/v1/openapi.json"])
            // The base layout has no top bar: no box to load other documents, and no logo
            // (an SVG with an inline style that our Content-Security-Policy refuses).
            .use_base_layout()
            // Swagger UI would otherwise send the document to an online validator.
            .validator_url("none")
            .try_it_out_enabled(true),
    );
    let page = || async { Html(DOCS_PAGE) };
    Router::new().route("/api/docs", get(page)).route("/api/docs/", get(page)).route(
        "/api/docs/{*file}",
        get(move |Path(file): Path<String>| async move { docs_file(&file, config) }),
    )
}

/// One file of Swagger UI; its initializer carries `config`.
fn docs_file(file: &str, config: Arc<utoipa_swagger_ui::Config<'static>>) -> Response {
    match utoipa_swagger_ui::serve(file, config) {
        Ok(Some(file)) => {
            let mut response =
                ([(header::CONTENT_TYPE, file.content_type)], file.bytes.into_owned())
                    .into_response();
            if file.gzpipped {
                response
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            response
        }
        Ok(None) => PageError::NotFound.into_response(),
        Err(error) => PageError::Internal(format!("Swagger UI: {error}")).into_response(),
    }
}

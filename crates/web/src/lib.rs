//! Kabinet's HTTP layer: server-rendered pages for patients and a JSON API under `/api/v1`,
//! both thin over the service layer. Security headers, the same-origin check for state
//! changes, request ids and metrics wrap every route.

use std::sync::Arc;

use axum::Router;
use kabinet_service::Kabinet;
use metrics_exporter_prometheus::PrometheusHandle;

mod api;
mod assets;
mod avatar;
mod error;
mod i18n;
mod markdown;
mod middleware;
mod pages;

pub use i18n::Lang;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The service layer.
    pub kabinet: Kabinet,
    /// Renders `/metrics`, when metrics are installed.
    pub metrics: Option<Arc<PrometheusHandle>>,
}

impl AppState {
    /// Whether cookies must be `Secure` (the portal is served over TLS).
    pub fn secure_cookies(&self) -> bool {
        self.kabinet.settings.public_url.starts_with("https://")
    }
}

/// The whole application: pages, API, static files, health and metrics.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(assets::routes())
        .merge(middleware::operations_routes())
        .fallback(|| async { error::PageError::NotFound })
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_page_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::same_origin))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(axum::middleware::from_fn(middleware::request_id))
        .with_state(state)
}

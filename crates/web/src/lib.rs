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
mod chrome;
mod cookies;
mod csrf;
mod device;
mod error;
mod export;
mod i18n;
mod input_guard;
mod links;
pub mod listener;
mod markdown;
mod middleware;
mod pages;
mod request;
mod routes;
mod session;
mod staff_session;
mod statistics;

pub use i18n::Lang;

/// What every handler can reach. One `Arc`, because every layer and handler clones it per
/// request.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The parts of [`AppState`].
pub struct Shared {
    /// The service layer.
    pub kabinet: Kabinet,
    /// Renders `/metrics`, when metrics are installed.
    pub metrics: Option<PrometheusHandle>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// The state of a router over `kabinet`, with `/metrics` rendered by `metrics` if given.
    pub fn new(kabinet: Kabinet, metrics: Option<PrometheusHandle>) -> Self {
        Self(Arc::new(Shared { kabinet, metrics }))
    }

    /// Whether cookies must be `Secure` (the portal is served over TLS).
    pub fn secure_cookies(&self) -> bool {
        self.kabinet.settings.public_url.starts_with("https://")
    }
}

/// The path patterns of every page route (the API's are in its OpenAPI document).
pub fn page_paths() -> Vec<&'static str> {
    pages::routes().paths().to_vec()
}

/// The whole application: pages, API, static files, health and metrics.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes().into_router())
        .merge(api::routes())
        .merge(api::docs_routes())
        .merge(assets::routes())
        .merge(middleware::operations_routes())
        .route_layer(axum::middleware::from_fn(middleware::remember_route))
        .fallback(|| async { error::PageError::NotFound })
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::frame))
        .with_state(state)
}

//! The pages' routes, declared as on an axum `Router` but with their paths kept, so that a
//! test can walk every route the pages serve (the CSRF test posts to each).

use axum::Router;
use axum::routing::MethodRouter;

use crate::AppState;

/// A router of pages that remembers its paths.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    /// Adds a route, as [`Router::route`].
    pub fn route(mut self, path: &'static str, method_router: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, method_router);
        self.paths.push(path);
        self
    }

    /// Adds the routes of `other`, as [`Router::merge`].
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    /// Every path pattern, e.g. `/cabinet/visits/{id}/cancel`.
    pub fn paths(&self) -> &[&'static str] {
        &self.paths
    }

    /// The axum router.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

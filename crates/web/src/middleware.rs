//! Cross-cutting layers: request ids, security headers (G7), the same-origin check that stops
//! cross-site form posts (CSRF), and the operators' `/health` and `/metrics`.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use kabinet_core::access::Actor;
use serde_json::json;

use crate::AppState;
use crate::error::{ErrorPageContext, InternalDetail};
use crate::input_guard;
use crate::request::RequestId;

/// Around every request, in one layer because each layer costs on every request: an id, the
/// refusal of cross-site state changes (CSRF), the error page, security headers, metrics and
/// one log line: method, route pattern (never the path itself, nor a query string), status,
/// time and request id — nothing personal. An internal error's detail is logged with the id.
pub async fn frame(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let id = RequestId::next();
    let method = request.method().clone();
    let started = std::time::Instant::now();
    let api = request.uri().path().starts_with("/api/");
    request.extensions_mut().insert(id.clone());
    let mut response = if let Some(refusal) = cross_site_refusal(&request, &state) {
        // A security event: the browser says the form comes from another site.
        let (parts, _) = request.into_parts();
        let origin = crate::request::origin_of(&parts, &state.kabinet.settings.trusted_proxies);
        if let Err(error) = state.kabinet.record_forged_form(Actor::Visitor, &origin).await {
            tracing::error!(request_id = %id.0, %error, "cannot audit a cross-site request");
        }
        refusal
    } else {
        let page = ErrorPageContext::of(&request);
        let (request, view) = crate::statistics::pending(request, &state);
        let response = match input_guard::without_nul(request, api).await {
            Err(refusal) => refusal,
            Ok(request) => match crate::csrf::check_form_token(&state, request).await {
                Ok(request) => input_guard::in_error_format(next.run(request).await, api),
                Err(refusal) => refusal.into_response(),
            },
        };
        let response = page.render(response, &state, &id);
        crate::statistics::note(&state, view, &response);
        response
    };
    add_security_headers(response.headers_mut(), &state);
    if api {
        // API answers carry personal data or booking codes: no cache keeps them.
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let status = response.status();
    let elapsed = started.elapsed();
    metrics::counter!("http_requests_total", "status" => status.as_str().to_owned()).increment(1);
    metrics::histogram!("http_request_duration_seconds").record(elapsed.as_secs_f64());
    let route = response.extensions().get::<Route>().map_or("-", |r| r.0.as_str());
    // Milliseconds to two decimals: a number in JSON logs.
    let latency_ms = (elapsed.as_secs_f64() * 100_000.0).round() / 100.0;
    if let Some(InternalDetail(detail)) = response.extensions().get::<InternalDetail>() {
        tracing::error!(request_id = %id.0, error = %detail, "internal error");
    }
    tracing::info!(
        request_id = %id.0,
        %method,
        route,
        status = status.as_u16(),
        latency_ms,
        "request"
    );
    if let Ok(value) = HeaderValue::from_str(&id.0) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// The route pattern that answered (`/specialists/{id}`), for the log line.
#[derive(Debug, Clone)]
struct Route(axum::extract::MatchedPath);

/// Hands the matched route pattern out to [`frame`], which runs before routing and so
/// cannot see it on the request.
pub async fn remember_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<axum::extract::MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(Route(route));
    }
    response
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Security headers on every response; HSTS when served over TLS.
fn add_security_headers(headers: &mut HeaderMap, state: &AppState) {
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if state.secure_cookies() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}

/// The 403 for a state-changing request that a browser says comes from another site: the
/// `Sec-Fetch-Site` header where the browser sends it, else `Origin` against `Host`.
fn cross_site_refusal(request: &Request, state: &AppState) -> Option<Response> {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_origin(request.headers(), &state.kabinet.settings.public_url)
    {
        return None;
    }
    let body =
        json!({"error": {"code": "forbidden", "message": "Запрос с другого сайта отклонён."}});
    Some(if request.uri().path().starts_with("/api/") {
        (StatusCode::FORBIDDEN, Json(body)).into_response()
    } else {
        (
            StatusCode::FORBIDDEN,
            "403 — запрос с другого сайта отклонён / cross-site request refused",
        )
            .into_response()
    })
}

fn is_same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    match text("sec-fetch-site") {
        Some("same-origin" | "none") => return true,
        Some(_) => return false,
        None => {}
    }
    let Some(origin) = text("origin") else {
        // Not a browser (or an old one): API clients and tools send no Origin.
        return true;
    };
    let host = origin.split_once("://").map_or(origin, |(_, host)| host);
    text("host") == Some(host) || origin.trim_end_matches('/') == public_url.trim_end_matches('/')
}

/// `/health` (is the database answering) and `/metrics` (Prometheus).
pub fn operations_routes() -> Router<AppState> {
    Router::new().route("/health", get(health)).route("/metrics", get(metrics_text))
}

async fn health(State(state): State<AppState>) -> Response {
    match state.kabinet.health().await {
        Ok(backend) => Json(json!({"status": "ok", "database": backend})).into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "unavailable"})))
                .into_response()
        }
    }
}

/// The metrics, only for a peer in `KABINET_METRICS_ALLOW`: the socket's address decides, as
/// a header can be written by anyone. Others, and a request without a socket, get 404.
async fn metrics_text(State(state): State<AppState>, request: Request) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let allowed = peer.is_some_and(|ip| {
        state.kabinet.settings.metrics_allow.iter().any(|network| network.contains(ip))
    });
    match &state.metrics {
        Some(handle) if allowed => handle.render().into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn cross_site_posts_are_told_apart_from_same_site_ones() {
        let public = "https://kabinet.example";
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin")]), public));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "cross-site")]), public));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "same-site")]), public));
        assert!(is_same_origin(
            &headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]),
            public
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:8080")]),
            public
        ));
        assert!(is_same_origin(
            &headers(&[("origin", "https://kabinet.example"), ("host", "10.0.0.5")]),
            public
        ));
        assert!(is_same_origin(&headers(&[]), public), "API clients send no Origin");
    }
}

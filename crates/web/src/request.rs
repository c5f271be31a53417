//! What a handler knows of its request besides the body: the request id (shown on error
//! pages, written in the logs), the client's address and the browser.

use axum::http::header;
use kabinet_core::access::Origin;

/// The id of one request, shown to the user on errors and written in the logs.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl RequestId {
    /// A random prefix per process and a counter: unique, and cheap on the hot path.
    pub fn next() -> Self {
        static PREFIX: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| kabinet_core::token::random_token()[..6].to_owned());
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self(format!("{}-{n}", *PREFIX))
    }
}

/// Where a request came from, for the audit log and the ledger: the client's address (absent
/// in in-process tests) and the request's id.
#[derive(Debug, Clone)]
pub struct ClientOrigin(pub Origin);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientOrigin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        let request_id = parts.extensions.get::<RequestId>().map(|id| id.0.clone());
        Ok(Self(Origin { ip: info.map(|i| i.0.ip().to_string()), request_id }))
    }
}

/// The browser as it names itself (shortened where stored), for the list of sessions.
pub struct UserAgent(pub Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for UserAgent {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let agent = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
        Ok(Self(agent.map(str::to_owned)))
    }
}

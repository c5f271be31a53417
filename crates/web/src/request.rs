//! What a handler knows of its request besides the body: the request id (shown on error
//! pages, written in the logs), the client's address and the browser.

use std::net::IpAddr;

use axum::http::header;
use kabinet_core::access::Origin;
use kabinet_core::net::Network;

use crate::AppState;

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

impl axum::extract::FromRequestParts<AppState> for ClientOrigin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(origin_of(parts, &state.kabinet.settings.trusted_proxies)))
    }
}

/// Where the request of `parts` came from. The client is the peer, unless the peer is one of
/// the `trusted` proxies: then it is the address that proxy put into `X-Forwarded-For`, read
/// from the right past every trusted proxy (anything further left the client wrote itself).
pub fn origin_of(parts: &axum::http::request::Parts, trusted: &[Network]) -> Origin {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    let client = match peer {
        Some(peer) if is_trusted(peer) => {
            let hops = parts.headers.get_all("x-forwarded-for").iter();
            let forwarded: Vec<IpAddr> = hops
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|hop| hop.trim().parse().ok())
                .collect();
            forwarded.iter().rev().copied().find(|ip| !is_trusted(*ip)).or(Some(peer))
        }
        peer => peer,
    };
    let request_id = parts.extensions.get::<RequestId>().map(|id| id.0.clone());
    Origin { ip: client.map(|ip| ip.to_string()), request_id }
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

//! Finding 5 of issue 9: connections are timed out and capped. The portal is served on a real
//! socket by the accept loop of `kabinet serve`, with small limits, and driven by raw TCP
//! clients that misbehave.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use axum::routing::get;
use kabinet_web::listener::{self, ConnectionLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::common::TestApp;

/// A portal served on a loopback port; stopping it is dropping it.
struct Served {
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Served {
    async fn start(app: Router, limits: ConnectionLimits) -> Self {
        let socket = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = socket.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(listener::serve(socket, app, limits, async move {
            let _ = stopped.await;
        }));
        Self { address, stop: Some(stop), task }
    }

    async fn shut_down(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let finished = tokio::time::timeout(Duration::from_secs(10), &mut self.task).await;
        finished.expect("graceful shutdown ends").unwrap().unwrap();
    }
}

/// The portal's router plus a route that echoes the peer address the handler sees.
async fn portal() -> (TestApp, Router) {
    let app = TestApp::sqlite().await;
    let router = app.router.clone().route(
        "/test/peer",
        get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.ip().to_string() }),
    );
    (app, router)
}

/// Reads until the server closes the connection (or resets it); the time it took, or `None`
/// if it was still open at `limit`.
async fn time_until_closed(
    mut socket: TcpStream,
    since: Instant,
    limit: Duration,
) -> Option<Duration> {
    let mut buffer = [0u8; 4096];
    let deadline = since + limit;
    loop {
        match tokio::time::timeout_at(deadline.into(), socket.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(since.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

/// Sends one complete request and returns the whole answer (the server closes after it).
async fn request(address: SocketAddr, path: &str) -> String {
    let mut socket = TcpStream::connect(address).await.unwrap();
    let text = format!("GET {path} HTTP/1.1\r\nHost: kabinet.test\r\nConnection: close\r\n\r\n");
    socket.write_all(text.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn half_sent_headers_and_idle_connections_are_closed_within_the_header_timeout() {
    let (_app, router) = portal().await;
    let limits = ConnectionLimits {
        max_connections: 1024,
        header_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(5),
    };
    let served = Served::start(router, limits).await;

    // 300 clients that stop in the middle of their headers, as in the finding.
    let started = Instant::now();
    let mut sockets = Vec::new();
    for n in 0..300 {
        let mut socket = TcpStream::connect(served.address).await.unwrap();
        let half = format!("GET /specialists?n={n} HTTP/1.1\r\nHost: kabinet.test\r\nX-Slow: ");
        socket.write_all(half.as_bytes()).await.unwrap();
        sockets.push(socket);
    }
    // Ten that connect and say nothing.
    for _ in 0..10 {
        sockets.push(TcpStream::connect(served.address).await.unwrap());
    }
    // One that completes a request and keeps the connection alive, then goes quiet.
    let mut kept = TcpStream::connect(served.address).await.unwrap();
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: kabinet.test\r\n\r\n").await.unwrap();
    let mut buffer = [0u8; 4096];
    let read = kept.read(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer[..read]).starts_with("HTTP/1.1 200"));
    sockets.push(kept);

    let limit = Duration::from_secs(10);
    let waits = sockets.into_iter().map(|socket| time_until_closed(socket, started, limit));
    let closed = join_all(waits).await;
    let open = closed.iter().filter(|c| c.is_none()).count();
    assert_eq!(open, 0, "{open} of {} connections still open after {limit:?}", closed.len());
    let last = closed.iter().flatten().max().copied().unwrap_or_default();
    println!(
        "311 stalled connections: the last closed {:.2} s after the first opened",
        last.as_secs_f64()
    );
    assert!(last < Duration::from_secs(4), "closed only after {last:?}");

    // The portal still serves, and handlers see the client's address.
    let answer = request(served.address, "/test/peer").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("127.0.0.1"), "{answer}");
    served.shut_down().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let (_app, router) = portal().await;
    let limits = ConnectionLimits {
        max_connections: 2,
        header_timeout: Duration::from_secs(30),
        request_timeout: Duration::from_secs(30),
    };
    let served = Served::start(router, limits).await;

    let first = TcpStream::connect(served.address).await.unwrap();
    let second = TcpStream::connect(served.address).await.unwrap();
    // The third connects (the kernel queues it) but is not served while two are open.
    let mut third = TcpStream::connect(served.address).await.unwrap();
    third
        .write_all(b"GET /health HTTP/1.1\r\nHost: kabinet.test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let early =
        tokio::time::timeout(Duration::from_millis(700), third.read_to_end(&mut answer)).await;
    assert!(early.is_err(), "served beyond the cap: {}", String::from_utf8_lossy(&answer));

    // One of the two leaves: the third is served.
    drop(first);
    let waited = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), third.read_to_end(&mut answer))
        .await
        .expect("served once a place is free")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(waited.elapsed() < Duration::from_secs(2));
    drop(second);
    served.shut_down().await;
}

#[tokio::test]
async fn a_request_whose_body_never_arrives_is_answered_408() {
    let (_app, router) = portal().await;
    let limits = ConnectionLimits {
        max_connections: 16,
        header_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(1),
    };
    let served = Served::start(router, limits).await;

    let mut socket = TcpStream::connect(served.address).await.unwrap();
    let head = "POST /api/v1/account/lost HTTP/1.1\r\nHost: kabinet.test\r\n\
        Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"login\": ";
    socket.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut buffer))
        .await
        .expect("an answer within the request timeout")
        .unwrap();
    let answer = String::from_utf8_lossy(&buffer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3));
    served.shut_down().await;
}

/// Awaits every future, concurrently.
async fn join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::with_capacity(handles.len());
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}

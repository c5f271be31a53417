//! The app under test: the real router over a fresh demo clinic on each backend, with a clock
//! that stands at Monday 2026-11-23, 09:00 in Moscow until a test moves it.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::Timestamp;
use kabinet_core::ManualClock;
use kabinet_core::lang::Lang;
use kabinet_service::{Kabinet, Settings};
use kabinet_testkit::TestDb;
use kabinet_web::AppState;
use tower::ServiceExt;

/// Monday 2026-11-23, 09:00 Moscow.
pub const MONDAY_9AM: &str = "2026-11-23T06:00:00Z";

pub struct TestApp {
    pub router: Router,
    pub kabinet: Kabinet,
    pub clock: Arc<ManualClock>,
    pub db: TestDb,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    /// The `name=value` part of the cookie this response sets, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
    }

    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        let tail = self.body.split(r#"name="csrf" value=""#).nth(1);
        tail.and_then(|t| t.split('"').next()).expect("a form with a CSRF token").to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The address requests come from, unless a test says otherwise.
pub const CLIENT: &str = "192.0.2.10";

impl TestApp {
    pub async fn new(db: TestDb) -> Self {
        Self::with_settings(db, Settings::default()).await
    }

    /// The demo clinic with other settings.
    pub async fn with_settings(db: TestDb, settings: Settings) -> Self {
        let clock = Arc::new(ManualClock::new(MONDAY_9AM.parse::<Timestamp>().unwrap()));
        let kabinet = Kabinet::new(db.store.clone(), clock.clone(), settings);
        kabinet.load_demo().await.unwrap();
        let router = kabinet_web::router(AppState::new(kabinet.clone(), None));
        Self { router, kabinet, clock, db }
    }

    /// The demo clinic on SQLite, and on PostgreSQL when configured.
    pub async fn each_backend() -> Vec<Self> {
        let mut apps = Vec::new();
        for db in TestDb::each_backend().await {
            apps.push(Self::new(db).await);
        }
        apps
    }

    pub async fn sqlite() -> Self {
        Self::new(TestDb::sqlite().await).await
    }

    pub fn backend(&self) -> &'static str {
        self.db.backend()
    }

    /// Sends a request as a browser at the test client's address would.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        self.send_from(request, CLIENT).await
    }

    /// Sends a request from the client at `ip`, as the server sees its peer.
    pub async fn send_from(&self, mut request: Request<Body>, ip: &str) -> TestResponse {
        let peer = std::net::SocketAddr::new(ip.parse().unwrap(), 50_000);
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.get_with_cookie(uri, None).await
    }

    pub async fn get_with_cookie(&self, uri: &str, cookie: Option<&str>) -> TestResponse {
        let mut request = Request::get(uri);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// The status, headers and body bytes of a GET (an image, which is no text).
    pub async fn get_bytes(&self, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut request = Request::get(uri).body(Body::empty()).unwrap();
        let peer = std::net::SocketAddr::new(CLIENT.parse().unwrap(), 50_000);
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes.to_vec())
    }

    /// Posts a multipart form from this site with the staff cookie: its text fields, then a
    /// file field `(name, file name, content type, bytes)`.
    pub async fn post_multipart(
        &self,
        uri: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &str, &[u8]),
    ) -> TestResponse {
        const BOUNDARY: &str = "kabinet-test-boundary-7MA4YWxk";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .bytes(),
            );
        }
        let (name, file_name, content_type, bytes) = file;
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .bytes(),
        );
        body.extend(bytes);
        body.extend(format!("\r\n--{BOUNDARY}--\r\n").bytes());
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header(header::COOKIE, cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn post_form(&self, uri: &str, form: &[(&str, &str)]) -> TestResponse {
        self.post_form_with_cookie(uri, None, form).await
    }

    /// Posts a form from this site, as a browser does, with the cookie if given.
    pub async fn post_form_with_cookie(
        &self,
        uri: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> TestResponse {
        let body = serde_urlencoded::to_string(form).unwrap();
        let mut request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    pub async fn post_json(&self, uri: &str, json: &serde_json::Value) -> TestResponse {
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// Sends JSON (or no body) with a bearer token, as an app does.
    pub async fn api(
        &self,
        method: &str,
        uri: &str,
        token: &str,
        json: Option<&serde_json::Value>,
    ) -> TestResponse {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json");
        let body = json.map_or_else(Body::empty, |j| Body::from(j.to_string()));
        self.send(request.body(body).unwrap()).await
    }

    /// A specialist open for online booking and the first free slot (Unix seconds) they have.
    pub async fn bookable(&self, nth: usize) -> (i64, i64) {
        let cards = self.kabinet.all_specialists(Lang::Ru).await.unwrap();
        let open: Vec<_> = cards.iter().filter(|c| c.specialist.online_booking).collect();
        let id = open[nth].specialist.id;
        let slot = self.kabinet.nearest_free_slot(id).await.unwrap().unwrap();
        (id, slot.start.as_second())
    }
}

/// A filled booking form for a slot.
pub fn booking_form<'a>(
    specialist: &'a str,
    start: &'a str,
    phone: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("specialist", specialist),
        ("start", start),
        ("last_name", "Кузнецова"),
        ("first_name", "Ольга"),
        ("middle_name", "Игоревна"),
        ("birth_date", "1985-04-12"),
        ("phone", phone),
        ("email", ""),
        ("consent_personal_data", "yes"),
        ("consent_health_data", "yes"),
        ("request_key", ""),
    ]
}

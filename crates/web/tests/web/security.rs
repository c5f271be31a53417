//! Headers and the same-origin rule on every response.

use axum::body::Body;
use axum::http::{Request, header};

use crate::common::TestApp;

#[tokio::test]
async fn every_response_carries_security_headers() {
    let app = TestApp::sqlite().await;
    for uri in ["/", "/api/v1/specialists", "/no-such-page"] {
        let page = app.get(uri).await;
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{uri}"
        );
        assert_eq!(page.headers["x-content-type-options"], "nosniff");
        assert!(page.headers.contains_key("x-request-id"));
    }
}

#[tokio::test]
async fn no_api_answer_is_kept_in_a_cache() {
    let app = TestApp::sqlite().await;
    let (specialist, _) = app.bookable(0).await;
    for uri in [
        "/api/v1/specialists".to_owned(),
        format!("/api/v1/specialists/{specialist}"),
        "/api/v1/me/visits".to_owned(),
        "/api/v1/no-such-thing".to_owned(),
    ] {
        let answer = app.get(&uri).await;
        assert_eq!(answer.headers["cache-control"], "no-store", "{uri}");
    }
}

#[tokio::test]
async fn a_cross_site_post_is_refused() {
    let app = TestApp::sqlite().await;
    for (site, origin) in [("cross-site", "https://evil.example")] {
        let request = Request::post("/notice")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", site)
            .header(header::ORIGIN, origin)
            .body(Body::from("next=/"))
            .unwrap();
        assert_eq!(app.send(request).await.status, 403);
    }
    let request = Request::post("/api/v1/bookings")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::HOST, "127.0.0.1:8080")
        .body(Body::from("{}"))
        .unwrap();
    let refused = app.send(request).await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.json()["error"]["code"], "forbidden");
}

#[tokio::test]
async fn static_files_are_cached_for_a_year_under_hashed_names() {
    let app = TestApp::sqlite().await;
    let home = app.get("/").await.body;
    let css = home.split("href=\"/static/").nth(1).unwrap().split('"').next().unwrap();
    let file = app.get(&format!("/static/{css}")).await;
    assert_eq!(file.status, 200);
    assert!(file.headers["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(app.get("/static/app.css").await.status, 404);
    assert_eq!(app.get("/health").await.json()["status"], "ok");
}

/// The page forms that need no session, and so carry no session token: signing in,
/// registering, booking once, the notice (and withdrawing its consent to statistics), the
/// language, the e-mailed links.
const PUBLIC_FORMS: &[&str] = &[
    "/login",
    "/register",
    "/booking",
    "/notice",
    "/notice/withdraw",
    "/account/confirm",
    "/account/confirm/resend",
    "/account/lost",
    "/account/reset",
    "/account/block",
    "/staff/login",
    "/staff/bootstrap",
    "/staff/setup",
];

#[tokio::test]
async fn every_state_changing_page_route_refuses_a_form_without_the_sessions_token() {
    for app in TestApp::each_backend().await {
        let patient = crate::cabinet::signed_in(&app, "csrf@example.ru", "+79005550111").await;
        let staff = crate::staff::administrator(&app).await;
        let cookies = format!("{patient}; {staff}");
        let mut refused = Vec::new();
        for path in kabinet_web::page_paths() {
            let uri = path.replace("{id}", "1").replace("{visit}", "1").replace("{code}", "en");
            let request = Request::post(uri.as_str())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &cookies)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from("reason=x&start=1&specialist=1"))
                .unwrap();
            let status = app.send(request).await.status.as_u16();
            if status == 405 || PUBLIC_FORMS.contains(&path) {
                continue;
            }
            assert_eq!(status, 403, "{}: POST {path} without the token", app.backend());
            refused.push(path);
        }
        assert!(refused.len() >= 25, "{}: only {refused:?}", app.backend());
    }
}

#[tokio::test]
async fn every_next_stays_on_this_site() {
    let app = TestApp::sqlite().await;
    for next in ["/%09/evil.example/x", "//evil.example", "https://evil.example", "/%0d%0aX:%201"] {
        let switched = app.get(&format!("/lang/en?next={next}")).await;
        assert_eq!((switched.status.as_u16(), switched.location()), (303, "/"), "{next}");
    }
    let kept = app.get("/lang/en?next=/prices%3Fq%3D%D0%9B%D0%9E%D0%A0").await;
    assert_eq!(kept.location(), "/prices?q=%D0%9B%D0%9E%D0%A0");
    let accepted = app.post_form("/notice", &[("next", "/ok\r\nSet-Cookie: x=1")]).await;
    assert_eq!((accepted.status.as_u16(), accepted.location()), (303, "/"));
    let back = app.post_form("/notice", &[("next", "/specialists?branch=1")]).await;
    assert_eq!(back.location(), "/specialists?branch=1");
}

#[tokio::test]
async fn a_sign_in_with_a_bad_next_lands_in_the_cabinet() {
    let app = TestApp::sqlite().await;
    crate::cabinet::signed_in(&app, "next@example.ru", "+79005550112").await;
    for next in ["/\t/evil.example", "/ok\r\nSet-Cookie: x=1", "//evil.example"] {
        let form =
            [("login", "next@example.ru"), ("password", crate::cabinet::PASSWORD), ("next", next)];
        let done = app.post_form("/login", &form).await;
        assert_eq!((done.status.as_u16(), done.location()), (303, "/cabinet"), "{next:?}");
    }
}

#[tokio::test]
async fn a_nul_character_is_refused_as_bad_input_on_every_backend() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let form =
            app.post_form("/login", &[("login", "a\0b@example.ru"), ("password", "x")]).await;
        assert_eq!(form.status, 422, "{b}: {}", form.body);
        assert!(form.body.contains("недопустимый символ"), "{b}: the error page says why");
        let json = serde_json::json!({"login": "a\u{0}b@example.ru", "password": "x"});
        let api = app.post_json("/api/v1/session", &json).await;
        assert_eq!(api.status, 422, "{b}: {}", api.body);
        assert_eq!(api.json()["error"]["code"], "validation");
        let query = app.get("/specialists?q=a%00b").await;
        assert_eq!(query.status, 422, "{b}");
        // Nothing half done: the sign-in was not even counted as a failure.
        assert_eq!(
            app.post_form("/login", &[("login", "ab@example.ru"), ("password", "x")]).await.status,
            401
        );
    }
}

#[tokio::test]
async fn a_wrong_method_answers_in_the_error_format() {
    let app = TestApp::sqlite().await;
    let request = Request::delete("/api/v1/specialists").body(Body::empty()).unwrap();
    let api = app.send(request).await;
    assert_eq!(api.status, 405);
    assert_eq!(api.json()["error"]["code"], "method_not_allowed");
    assert!(api.headers[header::ALLOW].to_str().unwrap().contains("GET"));
    let request = Request::put("/prices").body(Body::empty()).unwrap();
    let page = app.send(request).await;
    assert_eq!(page.status, 405);
    assert!(page.body.contains("Этот адрес не принимает такой запрос"), "{}", page.body);
}

/// Finding 11 of issue 9: `/metrics` answers only to the peers in `KABINET_METRICS_ALLOW`
/// (loopback by default), judged by the socket's address: an `X-Forwarded-For` naming
/// loopback, even through a trusted proxy, does not open it.
#[tokio::test]
async fn metrics_answer_only_to_allowed_peers() {
    use kabinet_core::net::Network;
    use kabinet_service::{Kabinet, Settings};
    use tower::ServiceExt;

    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
    let get_from = |router: axum::Router, peer: &str, forwarded: Option<&str>| {
        let peer = std::net::SocketAddr::new(peer.parse().unwrap(), 50_000);
        let mut request = Request::get("/metrics");
        if let Some(forwarded) = forwarded {
            request = request.header("x-forwarded-for", forwarded);
        }
        let mut request = request.body(Body::empty()).unwrap();
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        async move { router.oneshot(request).await.unwrap().status().as_u16() }
    };

    let app = TestApp::sqlite().await;
    let settings = Settings {
        trusted_proxies: Network::parse_list("192.0.2.1").unwrap(),
        ..Settings::default()
    };
    let kabinet = Kabinet::new(app.db.store.clone(), app.clock.clone(), settings);
    let router = kabinet_web::router(kabinet_web::AppState::new(kabinet, Some(recorder.handle())));
    assert_eq!(get_from(router.clone(), "127.0.0.1", None).await, 200);
    assert_eq!(get_from(router.clone(), "127.3.2.1", None).await, 200);
    assert_eq!(get_from(router.clone(), "::1", None).await, 200);
    assert_eq!(get_from(router.clone(), "192.0.2.10", None).await, 404);
    assert_eq!(get_from(router.clone(), "2001:db8::1", None).await, 404);
    assert_eq!(get_from(router.clone(), "192.0.2.10", Some("127.0.0.1")).await, 404);
    assert_eq!(get_from(router.clone(), "192.0.2.1", Some("127.0.0.1")).await, 404);

    // An operator's own list replaces the default.
    let settings = Settings {
        metrics_allow: Network::parse_list("10.1.0.0/16").unwrap(),
        ..Settings::default()
    };
    let kabinet = Kabinet::new(app.db.store.clone(), app.clock.clone(), settings);
    let router = kabinet_web::router(kabinet_web::AppState::new(kabinet, Some(recorder.handle())));
    assert_eq!(get_from(router.clone(), "10.1.200.3", None).await, 200);
    assert_eq!(get_from(router.clone(), "127.0.0.1", None).await, 404);
}

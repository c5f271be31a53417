//! Visit statistics (O3) on both backends: page views recorded only after the visitor allowed
//! statistics cookies and until they withdraw it, without query strings, never for the API;
//! the administrator sees aggregates with truncated addresses; the retention period deletes
//! raw rows.

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;

use crate::common::{TestApp, TestResponse};
use crate::staff::{administrator, registrar};

const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
    Chrome/131.0.0.0 Safari/537.36";

/// A page got by a browser with `cookie`, coming from `referrer`.
async fn visit(app: &TestApp, uri: &str, cookie: Option<&str>, referrer: &str) -> TestResponse {
    let mut request =
        Request::get(uri).header(header::USER_AGENT, CHROME).header(header::REFERER, referrer);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

async fn views(app: &TestApp) -> Vec<(String, i32, Option<String>, Option<String>)> {
    let rows = app.db.store.page_views(0, i64::MAX, 1000).await.unwrap();
    rows.into_iter()
        .map(|(_, path, status, referrer, ip, _)| (path, status, referrer, ip))
        .collect()
}

#[tokio::test]
async fn page_views_are_recorded_only_with_consent_and_shown_only_in_aggregate() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        // Without the cookie consent: nothing.
        visit(&app, "/specialists", None, "https://yandex.ru/search/?text=x").await;
        app.kabinet.flush_statistics().await.unwrap();
        assert!(views(&app).await.is_empty(), "{b}: no consent, no record");

        let accepted = app.post_form("/notice", &[("next", "/")]).await;
        let cookie = accepted.cookie("notice").expect("the notice cookie");
        visit(
            &app,
            "/specialists?q=терапевт&phone=79001234567",
            Some(&cookie),
            "https://user:pw@yandex.ru/search/?text=%D0%B2%D1%80%D0%B0%D1%87",
        )
        .await;
        visit(&app, "/no-such-page", Some(&cookie), "").await;
        visit(&app, "/api/v1/specialists", Some(&cookie), "").await;
        app.kabinet.flush_statistics().await.unwrap();
        let recorded = views(&app).await;
        assert_eq!(recorded.len(), 2, "{b}: pages only, errors too, never the API: {recorded:?}");
        let (path, status, referrer, ip) = &recorded[0];
        assert_eq!(path, "/specialists", "{b}: no query string");
        assert_eq!(*status, 200, "{b}");
        assert_eq!(referrer.as_deref(), Some("https://yandex.ru/search/"), "{b}: origin and path");
        assert_eq!(ip.as_deref(), Some("192.0.2.10"), "{b}");
        assert_eq!((recorded[1].0.as_str(), recorded[1].1), ("/no-such-page", 404), "{b}");

        // The administrator's aggregates: no raw address anywhere.
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        assert_eq!(app.get_with_cookie("/staff/statistics", Some(&reg)).await.status, 403, "{b}");
        let page = app
            .get_with_cookie("/staff/statistics?from=2026-11-23&to=2026-11-23", Some(&admin))
            .await;
        assert_eq!(page.status, 200, "{b}: {}", page.body);
        assert!(page.body.contains("Просмотров за период: 2"), "{b}");
        assert!(page.body.contains("23 ноября 2026"), "{b}: days as people write them");
        assert!(page.body.contains("<code>/specialists</code>"), "{b}");
        assert!(page.body.contains("https://yandex.ru/search/"), "{b}");
        assert!(page.body.contains("Chrome"), "{b}: the browser's family");
        assert!(page.body.contains("192.0.2.0/24"), "{b}: the network");
        assert!(!page.body.contains("192.0.2.10"), "{b}: never the address itself");
        assert!(!page.body.contains("79001234567"), "{b}");
        let errors = page.body.split("id=\"statistics-errors\"").nth(1).unwrap();
        assert!(errors.contains("/no-such-page") && errors.contains("404"), "{b}");
        let bad = app
            .get_with_cookie("/staff/statistics?from=2026-11-30&to=2026-11-01", Some(&admin))
            .await;
        assert_eq!(bad.status, 422, "{b}");
        assert!(bad.body.contains("Конец периода раньше начала"), "{b}");

        // Withdrawn on the policy page: nothing from this moment.
        let privacy = visit(&app, "/privacy", Some(&cookie), "").await;
        assert!(privacy.body.contains("Отозвать согласие на статистику"), "{b}");
        let withdrawn = app
            .send(
                Request::post("/notice/withdraw")
                    .header(header::COOKIE, &cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("next=%2Fprivacy"))
                    .unwrap(),
            )
            .await;
        assert_eq!(withdrawn.status, 303, "{b}: {}", withdrawn.body);
        let off = withdrawn.cookie("notice").unwrap();
        assert_eq!(off, "notice=withdrawn", "{b}");
        app.kabinet.flush_statistics().await.unwrap();
        let before = views(&app).await.len();
        visit(&app, "/specialists", Some(&off), "").await;
        app.kabinet.flush_statistics().await.unwrap();
        assert_eq!(views(&app).await.len(), before, "{b}: not recorded after withdrawal");
        let visitor = cookie.trim_start_matches("notice=");
        let ledger = app.db.store.visitor_consents(visitor).await.unwrap();
        assert!(ledger.iter().all(|c| c.withdrawn_at.is_some()), "{b}: withdrawn in the ledger");

        // Retention: raw rows go after 90 days.
        app.clock.advance(SignedDuration::from_hours(91 * 24));
        app.kabinet.flush_statistics().await.unwrap();
        assert!(views(&app).await.is_empty(), "{b}: deleted after the retention period");
    }
}

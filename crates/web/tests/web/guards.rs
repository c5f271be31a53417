//! The guards of sign-in on every backend (issue 9, findings 6 and 7): a progressive delay per
//! account that many addresses cannot get past and a stranger cannot turn into a lockout, an
//! IPv6 client counted by its /64, wrong current passwords counted like failed sign-ins, the
//! client's address behind a trusted proxy — and every security event in the audit log with
//! its result, address and request id.

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;
use kabinet_core::access::ActorKind;
use kabinet_core::audit::{AuditAction, AuditResult};
use kabinet_core::net::Network;
use kabinet_service::Settings;
use kabinet_store::audit::{AuditFilter, AuditRow};
use kabinet_testkit::TestDb;
use serde_json::json;

use crate::cabinet::{PASSWORD, signed_in};
use crate::common::{CLIENT, TestApp, TestResponse};

async fn sign_in_from(app: &TestApp, login: &str, password: &str, ip: &str) -> TestResponse {
    let body = json!({"login": login, "password": password}).to_string();
    let request = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    app.send_from(request, ip).await
}

async fn audit(app: &TestApp, action: AuditAction) -> Vec<AuditRow> {
    let filter = AuditFilter { action: Some(action), limit: 100, ..AuditFilter::default() };
    app.db.store.audit_log(&filter).await.unwrap()
}

#[tokio::test]
async fn many_addresses_cannot_guess_past_the_accounts_delay_and_the_owner_still_gets_in() {
    for app in TestApp::each_backend().await {
        signed_in(&app, "owner@example.ru", "+79005550120").await;
        let mut statuses = Vec::new();
        for address in 1..=10 {
            for _ in 0..5 {
                let ip = format!("198.51.100.{address}");
                let tried = sign_in_from(&app, "owner@example.ru", "не тот пароль", &ip).await;
                statuses.push(tried.status.as_u16());
            }
        }
        let guessed = statuses.iter().filter(|s| **s == 401).count();
        assert_eq!(guessed, 5, "{}: only five guesses, then a delay: {statuses:?}", app.backend());
        let right = sign_in_from(&app, "owner@example.ru", PASSWORD, "203.0.113.9").await;
        assert_eq!(right.status, 429, "{}: the right password waits too", app.backend());
        let wait: i64 = right.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "at most a minute: {wait}");
        app.clock.advance(SignedDuration::from_secs(wait));
        let after = sign_in_from(&app, "owner@example.ru", PASSWORD, "203.0.113.9").await;
        assert_eq!(after.status, 200, "{}: no lockout: {}", app.backend(), after.body);
        let refused = audit(&app, AuditAction::SessionRefuse).await;
        assert_eq!(refused.len(), 5, "{}", app.backend());
        assert!(refused.iter().all(|r| r.result == AuditResult::Failure && r.patient_id.is_some()));
        assert!(!audit(&app, AuditAction::RequestThrottle).await.is_empty());
    }
}

#[tokio::test]
async fn an_ipv6_client_is_counted_by_its_64() {
    let app = TestApp::sqlite().await;
    for n in 0..30 {
        let ip = format!("2001:db8:1:2::{:x}", n + 1);
        let login = format!("nobody{n}@example.ru");
        assert_eq!(sign_in_from(&app, &login, "x", &ip).await.status, 401);
    }
    let same_64 = sign_in_from(&app, "else@example.ru", "x", "2001:db8:1:2:ffff::1").await;
    assert_eq!(same_64.status, 429, "the 31st failure from one /64");
    let other_64 = sign_in_from(&app, "else@example.ru", "x", "2001:db8:1:3::1").await;
    assert_eq!(other_64.status, 401);
}

#[tokio::test]
async fn wrong_current_passwords_count_like_failed_sign_ins() {
    for app in TestApp::each_backend().await {
        signed_in(&app, "change@example.ru", "+79005550121").await;
        let token = sign_in_from(&app, "change@example.ru", PASSWORD, CLIENT).await.json()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let attempt =
            json!({"current_password": "угадываю", "new_password": "совсем новый пароль"});
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let answer = app.api("POST", "/api/v1/me/password", &token, Some(&attempt)).await;
            statuses.push(answer.status.as_u16());
        }
        assert_eq!(statuses, [422, 422, 422, 422, 422, 429], "{}", app.backend());
        let sign_in = sign_in_from(&app, "change@example.ru", PASSWORD, CLIENT).await;
        assert_eq!(sign_in.status, 429, "{}: the same counter", app.backend());
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_clients() {
    let proxies = vec![Network::parse("10.0.0.0/8").unwrap()];
    let settings = Settings { trusted_proxies: proxies, ..Settings::default() };
    let app = TestApp::with_settings(TestDb::sqlite().await, settings).await;
    for (peer, forwarded, seen) in [
        ("10.0.0.2", "203.0.113.7, 10.0.0.3", "203.0.113.7"),
        ("10.0.0.2", "6.6.6.6, 203.0.113.8", "203.0.113.8"),
        ("198.51.100.4", "203.0.113.9", "198.51.100.4"),
    ] {
        let body = json!({"login": "nobody@example.ru", "password": "x"}).to_string();
        let request = Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", forwarded)
            .body(Body::from(body))
            .unwrap();
        app.send_from(request, peer).await;
        let last = audit(&app, AuditAction::SessionRefuse).await;
        assert_eq!(last[0].ip.as_deref(), Some(seen), "{peer} {forwarded}");
    }
}

#[tokio::test]
async fn security_events_are_audit_rows_with_their_address_and_request_id() {
    for app in TestApp::each_backend().await {
        let patient = signed_in(&app, "events@example.ru", "+79005550122").await;
        sign_in_from(&app, "events@example.ru", "не тот", CLIENT).await;
        let forged = app.post_form_with_cookie("/cabinet/sessions/end", Some(&patient), &[]).await;
        assert_eq!(forged.status, 403);
        let cross_site = Request::post("/notice")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from("next=/"))
            .unwrap();
        assert_eq!(app.send(cross_site).await.status, 403);
        let page = app.get_with_cookie("/cabinet", Some(&patient)).await;
        let csrf = page.csrf();
        let out = app.post_form_with_cookie("/logout", Some(&patient), &[("csrf", &csrf)]).await;
        assert_eq!(out.status, 303);
        let staff = crate::staff::administrator(&app).await;
        let token = crate::staff::csrf(&app, &staff).await;
        let searched = crate::staff::post(
            &app,
            "/staff/search",
            &staff,
            &[("csrf", &token), ("q", "events@example.ru")],
        )
        .await;
        assert_eq!(searched.status, 200);
        let id = searched.body.split("/staff/patients/").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(
            app.get_with_cookie(&format!("/staff/patients/{id}"), Some(&staff)).await.status,
            200
        );

        for (action, result, actor) in [
            (AuditAction::SessionRefuse, AuditResult::Failure, ActorKind::Visitor),
            (AuditAction::RequestForged, AuditResult::Failure, ActorKind::Patient),
            (AuditAction::RequestForged, AuditResult::Failure, ActorKind::Visitor),
            (AuditAction::SessionDelete, AuditResult::Success, ActorKind::Patient),
            (AuditAction::PatientSearch, AuditResult::Success, ActorKind::Staff),
            (AuditAction::PatientView, AuditResult::Success, ActorKind::Staff),
        ] {
            let rows = audit(&app, action).await;
            let row = rows
                .iter()
                .find(|r| r.actor_kind == actor)
                .unwrap_or_else(|| panic!("{}: no {action} by {actor}: {rows:?}", app.backend()));
            assert_eq!(row.result, result, "{action}");
            assert_eq!(row.ip.as_deref(), Some(CLIENT), "{action}");
            assert!(row.request_id.is_some(), "{action}");
            assert!(
                !row.details.contains("не тот") && !row.details.contains("events@"),
                "{action}"
            );
        }
        let search = &audit(&app, AuditAction::PatientSearch).await[0];
        assert_eq!(search.details, r#"{"found":1}"#, "the count, never the words");
        assert!(matches!(
            app.db.store.verify_audit_chain().await.unwrap(),
            kabinet_store::audit::ChainReport::Intact { .. }
        ));
    }
}

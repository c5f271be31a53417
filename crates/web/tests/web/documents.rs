//! Versions of the rules and the policy (O2) on both backends: the administrator publishes a
//! version ahead of time, the site announces it and keeps every version readable, patients
//! are told, and a version that requires acceptance holds the cabinet and the API until the
//! patient accepts it — an acceptance that lands in the ledger with the text's hash.

use jiff::SignedDuration;
use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;
use sha2::{Digest, Sha256};

use crate::cabinet::signed_in_with_token;
use crate::common::TestApp;
use crate::staff::{administrator, csrf, post, registrar};

const NEW_RULES: &str = "Новая редакция правил.\n\nПациент приходит за 10 минут до приёма.";

#[tokio::test]
async fn a_version_published_ahead_is_announced_then_in_force_and_must_be_accepted() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (cookie, token) = signed_in_with_token(&app, "reader@example.ru", "+79005550931").await;
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        assert_eq!(app.get_with_cookie("/staff/documents", Some(&reg)).await.status, 403, "{b}");
        let page = app.get_with_cookie("/staff/documents", Some(&admin)).await;
        assert_eq!(page.status, 200, "{b}: {}", page.body);
        assert!(page.body.contains("Правила использования сервиса"), "{b}");
        let csrf = csrf(&app, &admin).await;

        // A time in the past is refused next to the field, the text kept.
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("title", "Правила использования сервиса"),
            ("body", NEW_RULES),
            ("effective_day", "2026-11-22"),
            ("effective_time", "09:00"),
            ("requires_acceptance", "yes"),
        ];
        let past = post(&app, "/staff/documents/rules", &admin, &form).await;
        assert_eq!(past.status, 422, "{b}");
        assert!(past.body.contains("не может быть в прошлом"), "{b}");
        assert!(past.body.contains("Пациент приходит за 10 минут"), "{b}: the text is kept");

        // Today 09:10 in the clinic's zone: ten minutes ahead.
        form[3] = ("effective_day", "2026-11-23");
        form[4] = ("effective_time", "09:10");
        let done = post(&app, "/staff/documents/rules", &admin, &form).await;
        assert_eq!(
            (done.status.as_u16(), done.location()),
            (303, "/staff/documents?published=2"),
            "{b}: {}",
            done.body
        );
        let audit = AuditFilter {
            action: Some(AuditAction::DocumentPublish),
            limit: 10,
            ..AuditFilter::default()
        };
        let rows = app.db.store.audit_log(&audit).await.unwrap();
        let row = rows.iter().find(|r| r.details.contains("\"version\":2")).expect("audited");
        assert!(row.details.contains("effective_at"), "{b}: {}", row.details);

        // Announced, not in force: the site shows version 1 and links the new one.
        let rules = app.get("/rules").await;
        assert!(rules.body.contains("Версия 1"), "{b}");
        assert!(rules.body.contains("С 23 ноября 2026 действует новая редакция"), "{b}");
        assert!(rules.body.contains("href=\"/rules/v/2\""), "{b}");
        let next = app.get("/rules/v/2").await;
        assert_eq!(next.status, 200, "{b}");
        assert!(next.body.contains("ещё не действует"), "{b}");
        assert!(next.body.contains("Пациент приходит за 10 минут"), "{b}");
        assert_eq!(app.get("/rules/v/9").await.status, 404, "{b}");
        assert_eq!(app.get("/rules/v/x").await.status, 404, "{b}");
        // Not yet asked for.
        assert_eq!(app.get_with_cookie("/cabinet", Some(&cookie)).await.status, 200, "{b}");

        // Every patient with an account got a message, neutral.
        let inbox = app.get_with_cookie("/cabinet/messages", Some(&cookie)).await;
        assert!(inbox.body.contains("Новая редакция правил сервиса"), "{b}");

        // In force: the site shows it and keeps version 1 readable.
        app.clock.advance(SignedDuration::from_mins(11));
        let rules = app.get("/rules").await;
        assert!(rules.body.contains("Версия 2"), "{b}");
        assert!(rules.body.contains("href=\"/rules/v/1\""), "{b}: the old one is listed");
        let old = app.get("/rules/v/1").await;
        assert!(old.body.contains("прежняя редакция"), "{b}");

        // The cabinet holds the patient at the new text; the API says so.
        let held = app.get_with_cookie("/cabinet", Some(&cookie)).await;
        assert_eq!((held.status.as_u16(), held.location()), (303, "/cabinet/accept"), "{b}");
        let held = app.get_with_cookie("/cabinet/consents", Some(&cookie)).await;
        assert_eq!(held.location(), "/cabinet/accept", "{b}");
        let api = app.api("GET", "/api/v1/me/visits", &token, None).await;
        assert_eq!(api.status, 403, "{b}");
        assert_eq!(api.json()["error"]["code"], "acceptance_required", "{b}");
        assert_eq!(api.json()["error"]["fields"]["document"], "rules", "{b}");
        let accept = app.get_with_cookie("/cabinet/accept", Some(&cookie)).await;
        assert_eq!(accept.status, 200, "{b}");
        assert!(accept.body.contains("Пациент приходит за 10 минут"), "{b}");
        assert!(accept.body.contains("Принимаю"), "{b}");
        let form =
            [("csrf", accept.csrf()), ("kind", "rules".to_owned()), ("version", "2".to_owned())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let accepted = app.post_form_with_cookie("/cabinet/accept", Some(&cookie), &form).await;
        assert_eq!(accepted.status, 303, "{b}: {}", accepted.body);
        assert_eq!(app.get_with_cookie("/cabinet", Some(&cookie)).await.status, 200, "{b}");
        assert_eq!(app.api("GET", "/api/v1/me/visits", &token, None).await.status, 200, "{b}");

        // The acceptance is in the ledger: the rules, version 2, with the text's hash.
        let ledger = app.api("GET", "/api/v1/me/consents", &token, None).await.json();
        let hash = hex::encode(Sha256::digest(NEW_RULES.as_bytes()));
        let row = ledger["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == "rules" && r["document_version"] == 2)
            .expect("the acceptance");
        assert_eq!(row["document_hash"], hash.as_str(), "{b}");
        assert_eq!(row["channel"], "online", "{b}");
        assert_eq!(row["recorded_as"], "patient", "{b}");
    }
}

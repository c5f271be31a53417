//! The consent ledger (G1) on both backends: each purpose ticked apart at registration, the
//! cabinet's page and the API, withdrawing and giving again with a confirmation, the required
//! consents withdrawn only by a request, and the paper consents entered at issue access.

use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;
use serde_json::json;

use crate::cabinet::{PASSWORD, sign_in};
use crate::common::TestApp;
use crate::staff::{administrator, csrf, post, registrar};

fn registration<'a>(login: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("last_name", "Согласова"),
        ("first_name", "Анна"),
        ("middle_name", ""),
        ("birth_date", "1990-02-03"),
        ("phone", "+79005550901"),
        ("login", login),
        ("password", PASSWORD),
        ("password_repeat", PASSWORD),
        ("accept_rules", "yes"),
    ];
    form.extend_from_slice(extra);
    form
}

/// Registers with the boxes `extra` ticks, confirms the address, signs in: the cookie and an
/// API token.
async fn registered(app: &TestApp, login: &str, extra: &[(&str, &str)]) -> (String, String) {
    let made = app.post_form("/register", &registration(login, extra)).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let mail = app.db.store.pending_outbox(100).await.unwrap();
    let letter = mail.iter().rev().find(|m| m.recipient == login).unwrap();
    let token = letter.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap();
    app.post_form("/account/confirm", &[("token", token)]).await;
    let cookie = sign_in(app, login, PASSWORD).await;
    let session =
        app.post_json("/api/v1/session", &json!({"login": login, "password": PASSWORD})).await;
    (cookie, session.json()["token"].as_str().unwrap().to_owned())
}

/// The ledger's rows in force, as (kind, document, channel, recorded_as).
fn in_force(ledger: &serde_json::Value) -> Vec<(String, String, String, String)> {
    let mut rows: Vec<_> = ledger["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["in_force"] == true)
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_owned();
            (s("kind"), s("document"), s("channel"), s("recorded_as"))
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn registration_asks_each_purpose_apart_and_the_ledger_shows_each_with_its_hash() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        // Health data is its own box, required, with its own message; the form keeps the rest.
        let refused = app
            .post_form(
                "/register",
                &registration("nohealth@example.ru", &[("consent_personal_data", "yes")]),
            )
            .await;
        assert_eq!(refused.status, 422, "{b}");
        assert!(refused.body.contains("Без согласия на обработку сведений о здоровье"), "{b}");
        assert!(refused.body.contains("value=\"Согласова\""), "{b}: the form keeps what was typed");
        assert!(refused.body.contains("id=\"consent_health_data\""), "{b}");
        assert!(
            !refused.body.contains(
                "id=\"consent_advertising\" name=\"consent_advertising\" value=\"yes\" checked"
            ),
            "{b}: unticked"
        );

        let ticked = [
            ("consent_personal_data", "yes"),
            ("consent_health_data", "yes"),
            ("consent_advertising", "yes"),
        ];
        let (cookie, token) = registered(&app, "ledger@example.ru", &ticked).await;
        let ledger = app.api("GET", "/api/v1/me/consents", &token, None).await;
        assert_eq!(ledger.status, 200, "{b}: {}", ledger.body);
        let ledger = ledger.json();
        let row = |kind: &str, document: &str| {
            (kind.into(), document.into(), "online".into(), "patient".into())
        };
        assert_eq!(
            in_force(&ledger),
            [
                row("advertising", "rules"),
                row("health_data", "privacy"),
                row("personal_data", "privacy"),
                row("rules", "rules"),
            ],
            "{b}: each purpose ticked is its own row; calls were not ticked"
        );
        for r in ledger["items"].as_array().unwrap() {
            let hash = r["document_hash"].as_str().unwrap_or_default();
            assert_eq!(hash.len(), 64, "{b}: every row cites its text's SHA-256");
            assert_eq!(r["document_version"], 1, "{b}");
        }

        let page = app.get_with_cookie("/cabinet/consents", Some(&cookie)).await;
        assert_eq!(page.status, 200, "{b}: {}", page.body);
        let calls = page.body.split("id=\"consent-calls\"").nth(1).unwrap();
        let calls = calls.split("</li>\n  \n").next().unwrap();
        assert!(calls.contains("Не дано"), "{b}");
        assert!(calls.contains("/cabinet/consents/calls/give"), "{b}: given in one step");
        let advertising = page.body.split("id=\"consent-advertising\"").nth(1).unwrap();
        assert!(advertising.contains("Действует"), "{b}");
        assert!(advertising.contains("внесено вами") && advertising.contains("онлайн"), "{b}");
        assert!(advertising.contains("href=\"/rules/v/1\""), "{b}: the version's text");
        assert!(page.body.contains("href=\"/privacy/v/1\""), "{b}");
        // The required ones are withdrawn by a request, which the page says.
        assert!(page.body.contains("/cabinet/requests/new?kind=deletion"), "{b}");
        assert!(page.body.contains("consent=personal_data\""), "{b}");
        assert!(page.body.contains("/cabinet/requests/new?kind=deletion"), "{b}");
        assert!(page.body.contains("consent=health_data\""), "{b}");
        assert!(page.body.contains("подайте заявление"), "{b}");
        let version = app.get("/privacy/v/1").await;
        assert_eq!(version.status, 200, "{b}");
    }
}

#[tokio::test]
async fn an_optional_consent_is_withdrawn_and_given_again_in_one_confirmed_step() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let ticked = [
            ("consent_personal_data", "yes"),
            ("consent_health_data", "yes"),
            ("consent_calls", "yes"),
            ("consent_advertising", "yes"),
        ];
        let (cookie, token) = registered(&app, "withdraws@example.ru", &ticked).await;

        // The page: «Отозвать» → a confirmation → done.
        let confirm =
            app.get_with_cookie("/cabinet/consents/advertising/withdraw", Some(&cookie)).await;
        assert_eq!(confirm.status, 200, "{b}");
        assert!(confirm.body.contains("Реклама и рассылки"), "{b}");
        assert!(confirm.body.contains("Запись на приём это не затронет"), "{b}");
        let form = [("csrf", confirm.csrf())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let done = app
            .post_form_with_cookie("/cabinet/consents/advertising/withdraw", Some(&cookie), &form)
            .await;
        assert_eq!(
            (done.status.as_u16(), done.location()),
            (303, "/cabinet/consents?done=withdrawn"),
            "{b}"
        );
        let page = app.get_with_cookie("/cabinet/consents?done=withdrawn", Some(&cookie)).await;
        assert!(page.body.contains("Согласие отозвано"), "{b}");
        let advertising = page.body.split("id=\"consent-advertising\"").nth(1).unwrap();
        assert!(advertising.contains("отозвано 23 ноября 2026, 09:00"), "{b}: {advertising}");
        let withdrawn = AuditFilter {
            action: Some(AuditAction::ConsentWithdraw),
            limit: 10,
            ..AuditFilter::default()
        };
        assert_eq!(app.db.store.audit_log(&withdrawn).await.unwrap().len(), 1, "{b}: audited");

        // Without its CSRF token the form does nothing.
        let forged = app
            .post_form_with_cookie("/cabinet/consents/advertising/give", Some(&cookie), &[])
            .await;
        assert_eq!(forged.status, 403, "{b}");

        // Over the API: calls withdrawn, then given again; the ledger answers.
        let after = app.api("POST", "/api/v1/me/consents/calls/withdraw", &token, None).await;
        assert_eq!(after.status, 200, "{b}: {}", after.body);
        let kinds: Vec<String> = in_force(&after.json()).into_iter().map(|r| r.0).collect();
        assert_eq!(kinds, ["health_data", "personal_data", "rules"], "{b}");
        // Withdrawing calls and advertising never blocks booking.
        let (specialist, start) = app.bookable(0).await;
        let visit = json!({"specialist_id": specialist, "start": start.to_string()});
        let booked = app.api("POST", "/api/v1/me/visits", &token, Some(&visit)).await;
        assert_eq!(booked.status, 201, "{b}: {}", booked.body);
        let given = app.api("POST", "/api/v1/me/consents/calls", &token, None).await;
        assert_eq!(given.status, 200, "{b}: {}", given.body);
        assert!(in_force(&given.json()).iter().any(|r| r.0 == "calls"), "{b}");
        let gave = AuditFilter {
            action: Some(AuditAction::ConsentGive),
            limit: 100,
            ..AuditFilter::default()
        };
        let rows = app.db.store.audit_log(&gave).await.unwrap();
        assert!(rows.iter().any(|r| r.actor_kind.as_str() == "patient"), "{b}: consent.give");

        // The required ones: a request, not a switch.
        let refused =
            app.api("POST", "/api/v1/me/consents/personal_data/withdraw", &token, None).await;
        assert_eq!(refused.status, 409, "{b}");
        assert_eq!(refused.json()["error"]["code"], "use_request", "{b}");
        assert!(refused.json()["error"]["message"].as_str().unwrap().contains("запрос"), "{b}");
        let health =
            app.api("POST", "/api/v1/me/consents/health_data/withdraw", &token, None).await;
        assert_eq!(health.json()["error"]["code"], "use_request", "{b}");
        let page =
            app.get_with_cookie("/cabinet/consents/personal_data/withdraw", Some(&cookie)).await;
        assert_eq!(page.status, 303, "{b}");
        assert_eq!(page.location(), "/cabinet/requests/new?kind=deletion&consent=personal_data");
        let unknown = app.api("POST", "/api/v1/me/consents/telepathy/withdraw", &token, None).await;
        assert_eq!(unknown.status, 404, "{b}");
        let unknown =
            app.get_with_cookie("/cabinet/consents/telepathy/withdraw", Some(&cookie)).await;
        assert_eq!(unknown.status, 404, "{b}");
        let anonymous = app.get("/api/v1/me/consents").await;
        assert_eq!(anonymous.status, 401, "{b}");
    }
}

#[tokio::test]
async fn issue_access_records_each_paper_consent_signed_as_the_registrars() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let token = csrf(&app, &reg).await;
        let page = app.get_with_cookie("/staff/access/new", Some(&reg)).await;
        assert!(page.body.contains("Согласия, подписанные на бумаге"), "{b}");
        assert!(page.body.contains("id=\"paper_health_data\""), "{b}");
        let form = [
            ("csrf", token.as_str()),
            ("patient", ""),
            ("last_name", "Бумажкина"),
            ("first_name", "Вера"),
            ("middle_name", ""),
            ("birth_date", "1979-03-02"),
            ("phone", "+7 916 555-20-31"),
            ("login", "paper@example.ru"),
            ("card_number", "MK-2001"),
            ("rules_version", "1"),
            ("paper_reference", "Журнал 2026/119"),
            ("paper_personal_data", "yes"),
            ("paper_health_data", "yes"),
            ("paper_calls", "yes"),
        ];
        let sheet = post(&app, "/staff/access", &reg, &form).await;
        assert_eq!(sheet.status, 200, "{b}: {}", sheet.body);
        let account = app.db.store.account_by_login("paper@example.ru").await.unwrap().unwrap();
        let ledger = app.db.store.consent_ledger(account.patient_id).await.unwrap();
        let mut kinds: Vec<&str> = ledger.iter().map(|r| r.kind.as_str()).collect();
        kinds.sort_unstable();
        assert_eq!(kinds, ["calls", "health_data", "personal_data", "rules"], "{b}");
        let staff_id = app.db.store.staff_by_login("reg1").await.unwrap().map(|s| s.id);
        for row in &ledger {
            assert_eq!(row.channel.as_str(), "paper", "{b}");
            assert_eq!(row.recorded_as.as_str(), "registrar", "{b}");
            assert!(row.recorded_by.is_some(), "{b}: the registrar's id");
            if staff_id.is_some() {
                assert_eq!(row.recorded_by, staff_id, "{b}");
            }
            assert_eq!(row.document_hash.as_deref().map(str::len), Some(64), "{b}");
        }
        // The call list reads the ledger: this patient may be called.
        assert!(app.db.store.calls_consent(account.patient_id).await.unwrap(), "{b}");
    }
}

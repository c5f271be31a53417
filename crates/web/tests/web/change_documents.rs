//! Issue 13, point 4: a change of personal data takes effect only after the registrar
//! recorded the identity document seen (its number masked everywhere); the audit shows the
//! changed fields before and after; the postal address goes through registration, the API,
//! the profile and a change request. On both databases.

use serde_json::json;

use crate::cabinet::signed_in;
use crate::common::TestApp;
use crate::representatives::staff_user;
use crate::staff::{administrator, csrf, post, registrar};

#[tokio::test]
async fn a_change_is_completed_only_with_an_identity_document_and_the_audit_shows_before_and_after()
{
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let staff = app.db.store.list_staff().await.unwrap();
        let reg_id = staff.iter().find(|m| m.login == "reg1").unwrap().id;
        let token = csrf(&app, &admin).await;
        let grant = format!("/staff/team/{reg_id}/auditor");
        assert_eq!(post(&app, &grant, &admin, &[("csrf", &token)]).await.status, 303, "{b}");

        let cookie = signed_in(&app, "anna@example.ru", "+79005550301").await;
        let pid =
            app.db.store.account_by_login("anna@example.ru").await.unwrap().unwrap().patient_id;
        let page = app.get_with_cookie("/cabinet/profile", Some(&cookie)).await;
        assert!(page.body.contains("Почтовый адрес"), "{b}");
        let csrf_token = page.csrf();
        let bad = [("csrf", csrf_token.as_str()), ("postal_address", "Москва")];
        let refused =
            app.post_form_with_cookie("/cabinet/profile/requests", Some(&cookie), &bad).await;
        assert_eq!(refused.status, 422, "{b}");
        assert!(refused.body.contains("Укажите адрес одной строкой"), "{b}");
        let address = "190000, Санкт-Петербург, ул. Ленина, д. 1, кв. 2";
        let wanted =
            [("csrf", csrf_token.as_str()), ("last_name", "Петрова"), ("postal_address", address)];
        let filed =
            app.post_form_with_cookie("/cabinet/profile/requests", Some(&cookie), &wanted).await;
        assert_eq!(filed.status, 303, "{b}: {}", filed.body);
        let request = app.db.store.change_requests_of(pid).await.unwrap()[0].id;

        let list = app.get_with_cookie("/staff/requests", Some(&reg)).await;
        assert!(list.body.contains(address), "{b}: the new address is shown");
        assert!(list.body.contains("Документ, удостоверяющий личность"), "{b}");
        let token = csrf(&app, &reg).await;
        let complete = format!("/staff/requests/{request}/complete");
        let without =
            post(&app, &complete, &reg, &[("csrf", &token), ("document_number", "45")]).await;
        assert_eq!(without.status, 422, "{b}: {}", without.body);
        assert!(without.body.contains("Выберите, какой документ удостоверяет личность"), "{b}");
        assert!(without.body.contains("Номер документа: от 4 до 30"), "{b}");
        assert!(without.body.contains(r#"value="45""#), "{b}: what was typed stays");
        let record = app.db.store.patient_record(pid).await.unwrap().unwrap();
        assert_eq!(record.last_name, "Соколова", "{b}: nothing changed yet");

        let seen = [
            ("csrf", token.as_str()),
            ("document_kind", "passport_rf"),
            ("document_number", "4509 123456"),
        ];
        assert_eq!(post(&app, &complete, &reg, &seen).await.status, 303, "{b}");
        let record = app.db.store.patient_record(pid).await.unwrap().unwrap();
        assert_eq!(record.last_name, "Петрова", "{b}");
        assert_eq!(record.postal_address.as_deref(), Some(address), "{b}");
        let stored = app.db.store.change_request(request).await.unwrap().unwrap();
        assert_eq!(stored.document_number.as_deref(), Some("4509 123456"), "{b}: kept whole");

        let log = app.get_with_cookie(&format!("/staff/audit?patient={pid}"), Some(&reg)).await;
        assert!(log.body.contains("Фамилия: Соколова → Петрова"), "{b}: {}", log.body);
        assert!(log.body.contains(&format!("Почтовый адрес: — → {address}")), "{b}");
        assert!(log.body.contains("Предъявлен документ: паспорт РФ"), "{b}");
        assert!(!log.body.contains("123456"), "{b}: the number is not in the audit page");
        let trail = app.db.store.audit_trail(pid).await.unwrap();
        assert!(!trail.iter().any(|r| r.details.contains("123456")), "{b}: nor in the log");

        let profile = app.get_with_cookie("/cabinet/profile", Some(&cookie)).await;
        assert!(profile.body.contains(address), "{b}: the profile shows the address");
        let card = app.get_with_cookie(&format!("/staff/patients/{pid}"), Some(&reg)).await;
        assert!(card.body.contains(address), "{b}: the card shows the address");
    }
}

#[tokio::test]
async fn the_postal_address_round_trips_through_the_api_and_the_profile() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let address = "620000, Екатеринбург, ул. Малышева, д. 5";
        let login = "maria@example.ru";
        let bad = json!({
            "login": login, "password": "лиловый дирижабль над рекой",
            "patient": {"last_name": "Кузнецова", "first_name": "Мария", "birth_date": "1988-07-14",
                "phone": "+7 900 555-70-01", "postal_address": "<b>"},
            "consents": {"personal_data": true, "rules": true}
        });
        let refused = app.post_json("/api/v1/registrations", &bad).await;
        assert_eq!(refused.status, 422, "{b}: {}", refused.body);
        assert!(refused.body.contains("postal_address"), "{b}");
        let mut good = bad.clone();
        good["patient"]["postal_address"] = json!(address);
        assert_eq!(app.post_json("/api/v1/registrations", &good).await.status, 202, "{b}");
        let mail = app.db.store.pending_outbox(100).await.unwrap();
        let letter = mail.iter().rev().find(|m| m.recipient == login).unwrap();
        let token = letter.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap();
        app.post_form("/account/confirm", &[("token", token)]).await;
        let session = app
            .post_json(
                "/api/v1/session",
                &json!({"login": login, "password": "лиловый дирижабль над рекой"}),
            )
            .await;
        let token = session.json()["token"].as_str().unwrap().to_owned();
        let profile = app.api("GET", "/api/v1/me/profile", &token, None).await;
        assert_eq!(profile.status, 200, "{b}: {}", profile.body);
        assert_eq!(profile.json()["postal_address"], json!(address), "{b}");
        assert_eq!(profile.json()["acting_as_representative"], json!(null), "{b}");

        let form = [("login", login), ("password", "лиловый дирижабль над рекой"), ("next", "")];
        let cookie = app.post_form("/login", &form).await.cookie("session").unwrap();
        let page = app.get_with_cookie("/cabinet/profile", Some(&cookie)).await;
        assert!(page.body.contains(address), "{b}");
        let admin = administrator(&app).await;
        let pid = app.db.store.account_by_login(login).await.unwrap().unwrap().patient_id;
        let admin_user = staff_user(&app, &admin).await;
        let record = app
            .kabinet
            .patient_record(&admin_user, pid, &kabinet_core::access::Origin::default())
            .await
            .unwrap();
        assert_eq!(record.postal_address.as_deref(), Some(address), "{b}");
    }
}

//! Issue 13, point 8: written requests and complaints. Attachments are told by content (a
//! PNG is taken, a text file named .pdf refused, a file over the limit refused, the typed text
//! kept), served only to their owner and to staff with no-store, attachment and nosniff; the
//! tax certificate asks for its year; the staff's answer reaches the patient with a neutral
//! letter; another patient's written request or file → 404. Both databases.

use kabinet_service::Settings;
use kabinet_testkit::TestDb;
use serde_json::json;

use crate::cabinet::signed_in_with_token;
use crate::common::TestApp;
use crate::staff::{administrator, csrf, registrar};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-rest-of-a-picture";

async fn apps() -> Vec<TestApp> {
    let mut out = Vec::new();
    for db in TestDb::each_backend().await {
        let settings = Settings { attachment_max_kb: 1, ..Settings::default() };
        out.push(TestApp::with_settings(db, settings).await);
    }
    out
}

/// Files a written request from the cabinet's form with one file.
async fn file(
    app: &TestApp,
    cookie: &str,
    text: &str,
    upload: (&str, &str, &[u8]),
) -> crate::common::TestResponse {
    let form = app.get_with_cookie("/cabinet/appeals/new", Some(cookie)).await;
    assert_eq!(form.status, 200);
    let token = form.csrf();
    let fields = [("csrf", token.as_str()), ("category", "question"), ("text", text)];
    app.post_multipart("/cabinet/appeals", cookie, &fields, ("files", upload.0, upload.1, upload.2))
        .await
}

#[tokio::test]
async fn attachments_are_told_by_content_and_limited_in_size() {
    for app in apps().await {
        let b = app.backend();
        let (cookie, token) = signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        let fake =
            file(&app, &cookie, "Вопрос про анализы", ("a.pdf", "application/pdf", b"plain text"))
                .await;
        assert_eq!(fake.status, 422, "{b}");
        assert!(fake.body.contains("только PDF, JPEG или PNG"), "{b}: a clear message");
        assert!(fake.body.contains("Вопрос про анализы"), "{b}: the text is kept");
        let big = [b"%PDF-1.7\n".as_slice(), &[b'x'; 2048]].concat();
        let large =
            file(&app, &cookie, "Вопрос про анализы", ("b.pdf", "application/pdf", &big)).await;
        assert_eq!(large.status, 422, "{b}");
        assert!(large.body.contains("слишком большой"), "{b}");
        let done = file(&app, &cookie, "Вопрос про анализы", ("scan.png", "image/png", PNG)).await;
        assert_eq!(
            (done.status.as_u16(), done.location()),
            (303, "/cabinet/requests?done=appeal"),
            "{b}: {}",
            done.body
        );
        let list = app.api("GET", "/api/v1/me/appeals", &token, None).await.json();
        let appeal = &list["items"][0];
        assert_eq!(appeal["category"], "question", "{b}");
        assert_eq!(appeal["due_date"], "2026-12-23", "{b}: 30 days");
        let attachment = &appeal["attachments"][0];
        assert_eq!(attachment["content_type"], "image/png", "{b}");
        let name = attachment["name"].as_str().unwrap();
        assert!(!name.contains("scan"), "{b}: a name we give");
        let url = attachment["url"].as_str().unwrap();
        let got = app.api("GET", url, &token, None).await;
        assert_eq!(got.status, 200, "{b}");
        for (header, value) in [
            ("cache-control", "no-store"),
            ("x-content-type-options", "nosniff"),
            ("content-type", "image/png"),
        ] {
            assert_eq!(got.headers.get(header).unwrap(), value, "{b}: {header}");
        }
        let disposition = got.headers.get("content-disposition").unwrap().to_str().unwrap();
        assert!(disposition.starts_with("attachment"), "{b}");
        let page = app.get_with_cookie(&format!("/cabinet/files/{name}"), Some(&cookie)).await;
        assert_eq!(page.status, 200, "{b}");
    }
}

#[tokio::test]
async fn another_patients_appeal_and_file_are_not_found() {
    for app in apps().await {
        let b = app.backend();
        let (anna, anna_token) =
            signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        let (boris, boris_token) =
            signed_in_with_token(&app, "boris@example.ru", "+79005550102").await;
        file(&app, &anna, "Личный вопрос Анны", ("a.png", "image/png", PNG)).await;
        let list = app.api("GET", "/api/v1/me/appeals", &anna_token, None).await.json();
        let id = list["items"][0]["id"].as_i64().unwrap();
        let name = list["items"][0]["attachments"][0]["name"].as_str().unwrap().to_owned();
        for uri in [format!("/api/v1/me/appeals/{id}"), format!("/api/v1/me/files/{name}")] {
            let answer = app.api("GET", &uri, &boris_token, None).await;
            assert_eq!(answer.status, 404, "{b} {uri}");
        }
        for uri in [format!("/cabinet/appeals/{id}"), format!("/cabinet/files/{name}")] {
            let answer = app.get_with_cookie(&uri, Some(&boris)).await;
            assert_eq!(answer.status, 404, "{b} {uri}");
            assert!(!answer.body.contains("Личный вопрос Анны"), "{b}");
        }
        // Staff who work requests read it (audited).
        let admin = administrator(&app).await;
        let desk = registrar(&app, &admin).await;
        let got = app.get_with_cookie(&format!("/staff/files/{name}"), Some(&desk)).await;
        assert_eq!(got.status, 200, "{b}");
        assert_eq!(got.headers.get("cache-control").unwrap(), "no-store", "{b}");
    }
}

#[tokio::test]
async fn a_tax_certificate_asks_for_its_year_and_taxpayer_and_the_answer_reaches_the_patient() {
    for app in apps().await {
        let b = app.backend();
        let (cookie, token) = signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        let missing = json!({"category": "tax_certificate", "text": "Нужна справка"});
        let refused = app.api("POST", "/api/v1/me/appeals", &token, Some(&missing)).await;
        assert_eq!(refused.status, 422, "{b}: {}", refused.body);
        let fields = &refused.json()["error"]["fields"];
        assert!(fields["tax_year"].is_string() && fields["taxpayer"].is_string(), "{b}");
        let body = json!({
            "category": "tax_certificate",
            "text": "Нужна справка для вычета",
            "tax_year": 2025,
            "taxpayer": "relative",
            "taxpayer_name": "Иванов Пётр Сергеевич",
            "taxpayer_birth_date": "1960-04-12",
            "taxpayer_relation": "отец",
        });
        let made = app.api("POST", "/api/v1/me/appeals", &token, Some(&body)).await;
        assert_eq!(made.status, 201, "{b}: {}", made.body);
        let made = made.json();
        assert_eq!(made["details"]["tax_year"], 2025, "{b}");
        let id = made["id"].as_i64().unwrap();
        let admin = administrator(&app).await;
        let queue = app.get_with_cookie("/staff/subject-requests", Some(&admin)).await;
        assert!(queue.body.contains(&format!("/staff/appeals/{id}")), "{b}: in the queue");
        let page = app.get_with_cookie(&format!("/staff/appeals/{id}"), Some(&admin)).await;
        assert!(page.body.contains("Иванов Пётр Сергеевич"), "{b}");
        let form_token = csrf(&app, &admin).await;
        let fields =
            [("csrf", form_token.as_str()), ("text", "Справка готова, заберите в регистратуре.")];
        let answer = app
            .post_multipart(
                &format!("/staff/appeals/{id}/answer"),
                &admin,
                &fields,
                ("file", "s.png", "image/png", PNG),
            )
            .await;
        assert_eq!(answer.status, 303, "{b}: {}", answer.body);
        let seen = app.api("GET", &format!("/api/v1/me/appeals/{id}"), &token, None).await.json();
        assert_eq!(seen["status"], "answered", "{b}");
        assert_eq!(seen["attachments"][0]["from_clinic"], true, "{b}");
        let mine = app.get_with_cookie(&format!("/cabinet/appeals/{id}"), Some(&cookie)).await;
        assert!(mine.body.contains("Справка готова"), "{b}");
        let mail = app.db.store.pending_outbox(100).await.unwrap();
        let letter = mail.iter().find(|m| m.kind.as_str() == "request_answered").expect("a letter");
        assert_eq!(letter.subject, "Ответ на ваш запрос в личном кабинете", "{b}");
        assert!(!letter.body.contains("Справка"), "{b}: nothing of the answer in the letter");
    }
}

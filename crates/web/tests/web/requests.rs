//! Issue 13, points 3 and 7: subject requests with their legal due dates (counted on the
//! Russian production calendar from a fixed clock: Monday 23 November 2026), the staff's
//! answer, extension and refusal reaching the patient (a cabinet message and a neutral letter),
//! withdrawing a consent with a request, the copy of one's data with its disclosures, another
//! patient's request → 404, and the calendar's upload naming its bad lines. Both databases.

use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;
use serde_json::{Value, json};

use crate::cabinet::signed_in_with_token;
use crate::common::TestApp;
use crate::staff::{administrator, csrf, post, registrar};

async fn make(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let answer = app.api("POST", "/api/v1/me/requests", token, Some(&body)).await;
    (answer.status.as_u16(), answer.json())
}

async fn patient_id(app: &TestApp, login: &str) -> i64 {
    app.db.store.account_by_login(login).await.unwrap().unwrap().patient_id
}

async fn audited(app: &TestApp, action: AuditAction) -> usize {
    let filter = AuditFilter { action: Some(action), limit: 100, ..AuditFilter::default() };
    app.db.store.audit_log(&filter).await.unwrap().len()
}

#[tokio::test]
async fn each_kind_is_due_by_the_law_counted_in_working_days() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (_, token) = signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        // Received on Monday 23 November 2026: the period starts on the 24th.
        for (kind, due) in [
            ("access", "2026-12-07"),
            ("correction", "2026-12-02"),
            ("stop", "2026-12-07"),
            ("deletion", "2026-12-23"),
        ] {
            let (status, body) =
                make(&app, &token, json!({"kind": kind, "text": "Прошу по закону"})).await;
            assert_eq!(status, 201, "{b} {kind}: {body}");
            assert_eq!(body["status"], "new", "{b} {kind}");
            assert_eq!(body["due_date"], due, "{b} {kind}");
            assert!(body["id"].as_i64().is_some());
        }
        let list = app.api("GET", "/api/v1/me/requests", &token, None).await.json();
        assert_eq!(list["items"].as_array().unwrap().len(), 4, "{b}");
        let (status, body) = make(&app, &token, json!({"kind": "erase", "text": ""})).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert!(
            body["error"]["fields"]["kind"].is_string()
                && body["error"]["fields"]["text"].is_string()
        );
        assert_eq!(audited(&app, AuditAction::SubjectRequestCreate).await, 4, "{b}");
    }
}

#[tokio::test]
async fn another_patients_request_is_not_found_anywhere() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (_, anna) = signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        let (boris_cookie, boris) =
            signed_in_with_token(&app, "boris@example.ru", "+79005550102").await;
        let (_, body) = make(&app, &anna, json!({"kind": "access", "text": "Копию"})).await;
        let id = body["id"].as_i64().unwrap();
        let api = app.api("GET", &format!("/api/v1/me/requests/{id}"), &boris, None).await;
        assert_eq!(api.status, 404, "{b}: {}", api.body);
        let page =
            app.get_with_cookie(&format!("/cabinet/requests/{id}"), Some(&boris_cookie)).await;
        assert_eq!(page.status, 404, "{b}");
        assert!(!page.body.contains("Копию"), "{b}: no data");
        let mine = app.api("GET", &format!("/api/v1/me/requests/{id}"), &anna, None).await;
        assert_eq!(mine.status, 200, "{b}");
    }
}

#[tokio::test]
async fn the_staffs_answer_reaches_the_patient_with_a_neutral_letter() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (cookie, token) = signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        let (_, body) =
            make(&app, &token, json!({"kind": "correction", "text": "Исправьте отчество"})).await;
        let id = body["id"].as_i64().unwrap();
        let admin = administrator(&app).await;
        let desk = registrar(&app, &admin).await;
        let queue = app.get_with_cookie("/staff/subject-requests", Some(&desk)).await;
        assert_eq!(queue.status, 200, "{b}");
        assert!(queue.body.contains("2 декабря 2026"), "{b}: the due date in words");
        let opened =
            app.get_with_cookie(&format!("/staff/subject-requests/{id}"), Some(&desk)).await;
        assert!(opened.body.contains("Исправьте отчество"), "{b}");
        let seen = app.api("GET", &format!("/api/v1/me/requests/{id}"), &token, None).await.json();
        assert_eq!(seen["status"], "in_progress", "{b}: opening starts the work");
        let token_form = csrf(&app, &desk).await;
        let uri = format!("/staff/subject-requests/{id}/answer");
        let empty = post(&app, &uri, &desk, &[("csrf", &token_form), ("text", " ")]).await;
        assert_eq!(empty.status, 422, "{b}");
        assert!(empty.body.contains("Напишите ответ"), "{b}");
        let text = "Отчество исправлено по паспорту.";
        let done = post(&app, &uri, &desk, &[("csrf", &token_form), ("text", text)]).await;
        assert_eq!(done.status, 303, "{b}: {}", done.body);
        let seen = app.api("GET", &format!("/api/v1/me/requests/{id}"), &token, None).await.json();
        assert_eq!(
            (seen["status"].as_str(), seen["answer"].as_str()),
            (Some("answered"), Some(text))
        );
        let page = app.get_with_cookie(&format!("/cabinet/requests/{id}"), Some(&cookie)).await;
        assert!(page.body.contains(text), "{b}: the cabinet shows the answer");
        let mail = app.db.store.pending_outbox(100).await.unwrap();
        let letter = mail.iter().find(|m| m.kind.as_str() == "request_answered").expect("a letter");
        assert_eq!(letter.subject, "Ответ на ваш запрос в личном кабинете", "{b}");
        assert!(!letter.body.contains(text), "{b}: the letter does not carry the answer");
        let again = post(&app, &uri, &desk, &[("csrf", &token_form), ("text", text)]).await;
        assert_eq!(again.status, 409, "{b}: answered once");
    }
}

#[tokio::test]
async fn an_access_request_is_extended_once_with_a_reason() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (_, token) = signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        let (_, body) = make(&app, &token, json!({"kind": "access", "text": "Копию"})).await;
        let id = body["id"].as_i64().unwrap();
        let admin = administrator(&app).await;
        let form_token = csrf(&app, &admin).await;
        let uri = format!("/staff/subject-requests/{id}/extend");
        let no_reason = post(&app, &uri, &admin, &[("csrf", &form_token), ("text", "")]).await;
        assert_eq!(no_reason.status, 422, "{b}: a reason is required");
        let form = [("csrf", form_token.as_str()), ("text", "Сведения в архиве филиала")];
        let done = post(&app, &uri, &admin, &form).await;
        assert_eq!(done.status, 303, "{b}: {}", done.body);
        let seen = app.api("GET", &format!("/api/v1/me/requests/{id}"), &token, None).await.json();
        assert_eq!(seen["status"], "extended", "{b}");
        assert_eq!(seen["due_date"], "2026-12-14", "{b}: 7 December + 5 working days");
        assert_eq!(seen["extension_reason"], "Сведения в архиве филиала", "{b}");
        let twice = post(&app, &uri, &admin, &form).await;
        assert_eq!(twice.status, 409, "{b}: once only");
        let outbox = app.db.store.pending_outbox(100).await.unwrap();
        assert!(outbox.iter().any(|m| m.subject == "Ответ на ваш запрос в личном кабинете"));
        // Extending is for access requests only.
        let (_, body) = make(&app, &token, json!({"kind": "stop", "text": "Стоп"})).await;
        let stop = body["id"].as_i64().unwrap();
        let uri = format!("/staff/subject-requests/{stop}/extend");
        assert_eq!(post(&app, &uri, &admin, &form).await.status, 409, "{b}");
        let refuse = format!("/staff/subject-requests/{stop}/refuse");
        let form = [("csrf", form_token.as_str()), ("text", "Обработка нужна для договора")];
        assert_eq!(post(&app, &refuse, &admin, &form).await.status, 303, "{b}");
        let seen =
            app.api("GET", &format!("/api/v1/me/requests/{stop}"), &token, None).await.json();
        assert_eq!(seen["status"], "refused", "{b}");
    }
}

#[tokio::test]
async fn withdrawing_the_personal_data_consent_files_a_request_in_the_same_step() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (cookie, token) = signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        let id = patient_id(&app, "anna@example.ru").await;
        let open = |rows: &[kabinet_store::records::ConsentRow]| {
            rows.iter()
                .filter(|c| c.kind.as_str() == "personal_data" && c.withdrawn_at.is_none())
                .count()
        };
        assert!(open(&app.db.store.consents_of(id).await.unwrap()) > 0, "{b}: given at sign-up");
        let form =
            app.get_with_cookie("/cabinet/requests/new?consent=personal_data", Some(&cookie)).await;
        assert_eq!(form.status, 200, "{b}");
        assert!(form.body.contains("будет отозвано"), "{b}: the form says so");
        let body = json!({"kind": "deletion", "text": "Отзываю согласие", "withdraw_consent": "personal_data"});
        let (status, made) = make(&app, &token, body).await;
        assert_eq!(status, 201, "{b}: {made}");
        assert_eq!(made["withdrawn_consent"], "personal_data");
        assert_eq!(open(&app.db.store.consents_of(id).await.unwrap()), 0, "{b}: withdrawn");
        assert!(audited(&app, AuditAction::ConsentWithdraw).await >= 1, "{b}");
        let bad = json!({"kind": "deletion", "text": "x", "withdraw_consent": "calls"});
        assert_eq!(make(&app, &token, bad).await.0, 422, "{b}");
    }
}

#[tokio::test]
async fn the_copy_of_ones_data_holds_profile_visits_consents_and_disclosures() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (cookie, token) = signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        let id = patient_id(&app, "anna@example.ru").await;
        let (specialist, start) = app.bookable(0).await;
        let start = jiff::Timestamp::from_second(start).unwrap().to_string();
        let booked = app
            .api(
                "POST",
                "/api/v1/me/visits",
                &token,
                Some(&json!({"specialist_id": specialist, "start": start})),
            )
            .await;
        assert_eq!(booked.status, 201, "{b}: {}", booked.body);
        let admin = administrator(&app).await;
        let form_token = csrf(&app, &admin).await;
        let uri = format!("/staff/patients/{id}/disclosures");
        let no_basis = [
            ("csrf", form_token.as_str()),
            ("recipient", "Следственный отдел"),
            ("data_given", "Даты визитов"),
            ("basis", ""),
            ("disclosed_on", "2026-11-20"),
        ];
        let refused = post(&app, &uri, &admin, &no_basis).await;
        assert_eq!(refused.status, 422, "{b}: the basis is required");
        assert!(refused.body.contains("Следственный отдел"), "{b}: the form keeps the input");
        let mut form = no_basis;
        form[3] = ("basis", "court_or_investigator");
        let done = post(&app, &uri, &admin, &form).await;
        assert_eq!(done.status, 303, "{b}: {}", done.body);
        let card = app.get_with_cookie(&format!("/staff/patients/{id}"), Some(&admin)).await;
        assert!(card.body.contains("Следственный отдел"), "{b}: listed on the card");
        assert_eq!(audited(&app, AuditAction::DisclosureCreate).await, 1, "{b}");

        let copy = app.api("GET", "/api/v1/me/export", &token, None).await;
        assert_eq!(copy.status, 200, "{b}: {}", copy.body);
        let copy = copy.json();
        assert!(copy["profile"]["first_name"].as_str().is_some(), "{b}");
        assert_eq!(copy["account"]["login"], "anna@example.ru", "{b}");
        assert!(!copy["consents"].as_array().unwrap().is_empty(), "{b}");
        let visits = copy["visits"].as_array().unwrap();
        assert_eq!(visits.len(), 1, "{b}");
        assert!(visits[0]["specialist"].as_str().is_some_and(|s| !s.is_empty()), "{b}");
        assert_eq!(copy["disclosures"][0]["recipient"], "Следственный отдел", "{b}");
        assert_eq!(copy["disclosures"][0]["basis"], "court_or_investigator", "{b}");
        let accesses = copy["accesses"].as_array().unwrap();
        assert!(
            accesses
                .iter()
                .any(|a| a["staff_role"] == "administrator" && a["staff_name"].is_string()),
            "{b}: staff by role and name"
        );
        let file = app.get_with_cookie("/cabinet/export.json", Some(&cookie)).await;
        assert_eq!(file.status, 200, "{b}");
        let disposition = file.headers.get("content-disposition").unwrap().to_str().unwrap();
        assert!(disposition.starts_with("attachment"), "{b}");
        assert_eq!(file.headers.get("cache-control").unwrap(), "no-store", "{b}");
        let page = app.get_with_cookie("/cabinet/export", Some(&cookie)).await;
        assert_eq!(page.status, 200, "{b}");
        assert!(page.body.contains("Следственный отдел") && page.body.contains("20 ноября 2026"));
        assert_eq!(audited(&app, AuditAction::DataExportView).await, 3, "{b}: each export");
    }
}

#[tokio::test]
async fn a_calendar_upload_names_its_bad_lines_and_a_good_one_moves_due_dates() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let bad = "date,kind\n2026-11-25,holiday\n2026-11-31,holiday\n";
        let answer = app
            .post_multipart(
                "/staff/calendar",
                &admin,
                &[("csrf", &token)],
                ("file", "c.csv", "text/csv", bad.as_bytes()),
            )
            .await;
        assert_eq!(answer.status, 422, "{b}: {}", answer.body);
        assert!(answer.body.contains("Строка 3"), "{b}: the line is named");
        // 2026 uploaded with 25 November off: correction from 23 November is due a day later.
        let good = "2026-11-25,holiday\n";
        let answer = app
            .post_multipart(
                "/staff/calendar",
                &admin,
                &[("csrf", &token)],
                ("file", "c.csv", "text/csv", good.as_bytes()),
            )
            .await;
        assert_eq!(answer.status, 303, "{b}: {}", answer.body);
        let (_, api) = signed_in_with_token(&app, "anna@example.ru", "+79005550101").await;
        let (_, body) = make(&app, &api, json!({"kind": "correction", "text": "Исправьте"})).await;
        assert_eq!(body["due_date"], "2026-12-03", "{b}");
        let registrar_cookie = registrar(&app, &admin).await;
        let page = app.get_with_cookie("/staff/calendar", Some(&registrar_cookie)).await;
        assert_eq!(page.status, 403, "{b}: the administrator's");
    }
}

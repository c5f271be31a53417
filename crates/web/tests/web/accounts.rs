//! Patient accounts over the API: registration, e-mail confirmation, sign-in and sessions,
//! and a patient's own visits within the rules of their access level.

use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::common::TestApp;

const PASSWORD: &str = "лиловый дирижабль над рекой";

fn registration(login: &str, phone: &str, password: &str) -> Value {
    json!({
        "login": login,
        "password": password,
        "patient": {
            "last_name": "Кузнецова", "first_name": "Мария", "middle_name": "Игоревна",
            "birth_date": "1988-07-14", "phone": phone
        },
        "consents": {"personal_data": true, "calls": true, "rules": true}
    })
}

/// Registers, confirms the e-mail through the link in the letter, signs in: the API token.
pub(crate) async fn registered(app: &TestApp, login: &str, phone: &str) -> String {
    let made = app.post_json("/api/v1/registrations", &registration(login, phone, PASSWORD)).await;
    assert_eq!(made.status, 202, "{}: {}", app.backend(), made.body);
    let mail = app.db.store.pending_outbox(100).await.unwrap();
    let letter = mail.iter().rev().find(|m| m.recipient == login).unwrap();
    assert!(!letter.subject.contains("Кузнецова"), "nothing personal in the subject");
    let token = letter.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap();
    assert!(letter.body.contains("http://127.0.0.1:8080/account/confirm?token="));

    let early = sign_in(app, login, PASSWORD).await;
    assert_eq!(
        (early.status.as_u16(), early.json()["error"]["code"].clone()),
        (403, json!("email_unconfirmed"))
    );
    let page = app.get(&format!("/account/confirm?token={token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Подтвердить адрес"), "one click confirms, not the link alone");
    let done = app.post_form("/account/confirm", &[("token", token)]).await;
    assert!(done.body.contains("Адрес подтверждён"), "{}", done.body);
    let again = app.post_form("/account/confirm", &[("token", token)]).await;
    assert!(again.body.contains("Ссылка недействительна"), "a link works once");

    let session = sign_in(app, login, PASSWORD).await;
    assert_eq!(session.status, 200, "{}", session.body);
    session.json()["token"].as_str().unwrap().to_owned()
}

async fn sign_in(app: &TestApp, login: &str, password: &str) -> crate::common::TestResponse {
    app.post_json("/api/v1/session", &json!({"login": login, "password": password})).await
}

async fn free_starts(app: &TestApp, specialist: i64) -> Vec<String> {
    let slots = app
        .get(&format!("/api/v1/specialists/{specialist}/slots?from=2026-11-25&to=2026-12-01"))
        .await;
    let slots = slots.json();
    slots["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_unconfirmed_patient_books_one_visit_moves_it_and_cancels_it() {
    for app in TestApp::each_backend().await {
        let token = registered(&app, "maria@example.ru", "+79005550101").await;
        let (specialist, _) = app.bookable(0).await;
        let starts = free_starts(&app, specialist).await;

        let booked = app
            .api(
                "POST",
                "/api/v1/me/visits",
                &token,
                Some(&json!({"specialist_id": specialist, "start": starts[0]})),
            )
            .await;
        assert_eq!(booked.status, 201, "{}: {}", app.backend(), booked.body);
        let id = booked.json()["id"].as_i64().unwrap();
        assert_eq!(booked.json()["start"], starts[0].as_str());

        let second = app
            .api(
                "POST",
                "/api/v1/me/visits",
                &token,
                Some(&json!({"specialist_id": specialist, "start": starts[1]})),
            )
            .await;
        assert_eq!(
            (second.status.as_u16(), second.json()["error"]["code"].clone()),
            (409, json!("limit_reached"))
        );

        let moved = app
            .api(
                "POST",
                &format!("/api/v1/me/visits/{id}/reschedule"),
                &token,
                Some(&json!({"start": starts[2]})),
            )
            .await;
        assert_eq!(moved.status, 200, "{}", moved.body);
        assert_eq!(moved.json()["start"], starts[2].as_str());
        assert!(
            free_starts(&app, specialist).await.contains(&starts[0]),
            "the old slot is free again"
        );

        let list = app.api("GET", "/api/v1/me/visits", &token, None).await.json();
        assert_eq!(list["items"].as_array().unwrap().len(), 1);

        let cancelled =
            app.api("POST", &format!("/api/v1/me/visits/{id}/cancel"), &token, None).await;
        assert_eq!(cancelled.status, 200);
        assert_eq!(cancelled.json()["status"], "cancelled");
        let again = app
            .api(
                "POST",
                "/api/v1/me/visits",
                &token,
                Some(&json!({"specialist_id": specialist, "start": starts[3]})),
            )
            .await;
        assert_eq!(again.status, 201, "after a cancel the one visit may be booked again");

        let trail = app.db.store.audit_trail(booked_patient(&app, &token).await).await.unwrap();
        let actions: Vec<_> = trail.iter().map(|a| a.action.as_str()).collect();
        for action in [
            "account.create",
            "account.confirm_email",
            "appointment.create",
            "appointment.reschedule",
            "appointment.cancel",
        ] {
            assert!(actions.contains(&action), "{}: {action} audited", app.backend());
        }
    }
}

async fn booked_patient(app: &TestApp, token: &str) -> i64 {
    app.kabinet.patient_session(token).await.unwrap().unwrap().account.patient_id
}

#[tokio::test]
async fn changes_close_at_their_cutoffs_and_another_patients_visit_is_not_found() {
    for app in TestApp::each_backend().await {
        let maria = registered(&app, "maria@example.ru", "+79005550101").await;
        let ivan = registered(&app, "ivan@example.ru", "+79005550102").await;
        let (specialist, _) = app.bookable(0).await;
        let starts = free_starts(&app, specialist).await;
        let booked = app
            .api(
                "POST",
                "/api/v1/me/visits",
                &maria,
                Some(&json!({"specialist_id": specialist, "start": starts[0]})),
            )
            .await;
        let id = booked.json()["id"].as_i64().unwrap();

        for (method, uri, body) in [
            ("GET", format!("/api/v1/me/visits/{id}"), None),
            ("POST", format!("/api/v1/me/visits/{id}/cancel"), None),
            (
                "POST",
                format!("/api/v1/me/visits/{id}/reschedule"),
                Some(json!({"start": starts[1]})),
            ),
        ] {
            let other = app.api(method, &uri, &ivan, body.as_ref()).await;
            assert_eq!(other.status, 404, "{}: {method} {uri}", app.backend());
            assert!(!other.body.contains("maria") && !other.body.contains("Кузнецова"));
        }
        assert!(
            app.api("GET", "/api/v1/me/visits", &ivan, None).await.json()["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(app.api("GET", "/api/v1/me/visits", "forged", None).await.status, 401);

        // Two hours before the visit: past the 12-hour reschedule and 3-hour cancel cut-offs.
        let start: jiff::Timestamp = starts[0].parse().unwrap();
        app.clock.set(start - SignedDuration::from_hours(2));
        let session = sign_in(&app, "maria@example.ru", PASSWORD).await.json();
        let maria = session["token"].as_str().unwrap();
        let late = app.api("POST", &format!("/api/v1/me/visits/{id}/cancel"), maria, None).await;
        assert_eq!(
            (late.status.as_u16(), late.json()["error"]["code"].clone()),
            (409, json!("too_late"))
        );
    }
}

#[tokio::test]
async fn sessions_expire_when_idle_and_sign_in_is_throttled() {
    for app in TestApp::each_backend().await {
        let token = registered(&app, "maria@example.ru", "+79005550101").await;
        let forgotten = sign_in(&app, "maria@example.ru", PASSWORD).await;
        assert_eq!(forgotten.status, 200, "a second device that is never used again");
        assert_eq!(app.api("GET", "/api/v1/me/visits", &token, None).await.status, 200);
        app.clock.advance(SignedDuration::from_mins(31));
        assert_eq!(
            app.api("GET", "/api/v1/me/visits", &token, None).await.status,
            401,
            "idle 31 min"
        );
        assert_eq!(app.kabinet.sweep().await.unwrap(), 1, "the forgotten session is swept");

        let unknown = sign_in(&app, "nobody@example.ru", PASSWORD).await;
        let wrong = sign_in(&app, "maria@example.ru", "not the right one").await;
        assert_eq!((unknown.status, unknown.body.clone()), (wrong.status, wrong.body.clone()));
        assert_eq!(wrong.status, 401);
        for _ in 0..4 {
            sign_in(&app, "maria@example.ru", "not the right one").await;
        }
        let throttled = sign_in(&app, "maria@example.ru", PASSWORD).await;
        assert_eq!(throttled.status, 429, "{}", app.backend());
        assert!(throttled.headers.get("retry-after").is_some());
        app.clock.advance(SignedDuration::from_mins(16));
        assert_eq!(
            sign_in(&app, "maria@example.ru", PASSWORD).await.status,
            200,
            "the lock passes"
        );
        // Rate events are kept as long as the longest limit counts them (a day).
        app.clock.advance(SignedDuration::from_hours(24));
        assert!(app.kabinet.sweep().await.unwrap() >= 6, "old failures are swept");
        assert_eq!(app.kabinet.sweep().await.unwrap(), 0, "{}", app.backend());

        let weak = app
            .post_json(
                "/api/v1/registrations",
                &registration("olga@example.ru", "+79005550103", "qwertyuiop"),
            )
            .await;
        assert_eq!(weak.status, 422);
        assert!(
            weak.json()["error"]["fields"]["password"].as_str().unwrap().contains("распространён")
        );
        let again = app
            .post_json(
                "/api/v1/registrations",
                &registration("maria@example.ru", "+79005550104", PASSWORD),
            )
            .await;
        assert_eq!(again.status, 202, "a taken login answers like a new one");
    }
}

#[tokio::test]
async fn the_inbox_password_change_and_lost_credentials_work_over_the_api() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let token = registered(&app, "inbox@example.ru", "+79005550141").await;
        let other = registered(&app, "other@example.ru", "+79005550142").await;

        let inbox = app.api("GET", "/api/v1/me/messages", &token, None).await.json();
        let items = inbox["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{b}: the welcome");
        assert_eq!(items[0]["unread"], json!(1), "{b}");
        assert_eq!(items[0]["messages"][0]["read"], json!(false), "{b}");
        let id = items[0]["id"].as_i64().unwrap();
        let path = format!("/api/v1/me/messages/{id}/read");
        let stranger = app.api("POST", &path, &other, None).await;
        assert_eq!(stranger.status, 404, "{b}: another patient's message");
        assert!(!stranger.body.contains("Добро пожаловать"), "{b}");
        let read = app.api("POST", &path, &token, None).await;
        assert_eq!(read.json()["unread"], json!(0), "{b}");
        assert_eq!(read.json()["messages"][0]["read"], json!(true), "{b}");

        let weak = json!({"current_password": PASSWORD, "new_password": "qwerty"});
        let weak = app.api("POST", "/api/v1/me/password", &token, Some(&weak)).await;
        assert_eq!(weak.status, 422, "{b}");
        assert!(weak.json()["error"]["fields"]["password"].is_string(), "{b}");
        let wrong = json!({"current_password": "не тот", "new_password": "новая фраза для входа"});
        let wrong = app.api("POST", "/api/v1/me/password", &token, Some(&wrong)).await;
        assert!(wrong.json()["error"]["fields"]["current_password"].is_string(), "{b}");
        let new = json!({"current_password": PASSWORD, "new_password": "новая фраза для входа"});
        let changed = app.api("POST", "/api/v1/me/password", &token, Some(&new)).await;
        assert_eq!(changed.status, 200, "{b}: {}", changed.body);
        let fresh = changed.json()["token"].as_str().unwrap().to_owned();
        assert_eq!(app.api("GET", "/api/v1/me/visits", &token, None).await.status, 401, "{b}");
        assert_eq!(app.api("GET", "/api/v1/me/visits", &fresh, None).await.status, 200, "{b}");
        let mail = app.db.store.pending_outbox(100).await.unwrap();
        assert!(
            mail.iter()
                .any(|m| m.recipient == "inbox@example.ru"
                    && m.subject.starts_with("Пароль изменён")),
            "{b}"
        );

        let lost =
            app.post_json("/api/v1/account/lost", &json!({"login": "inbox@example.ru"})).await;
        let unknown =
            app.post_json("/api/v1/account/lost", &json!({"login": "x@example.ru"})).await;
        assert_eq!((lost.status.as_u16(), lost.body.clone()), (202, unknown.body), "{b}");
        assert_eq!(
            app.api("GET", "/api/v1/me/visits", &fresh, None).await.status,
            200,
            "{b}: a report without a session only sends the owner a letter"
        );
        let mine = app.api("POST", "/api/v1/account/lost", &fresh, Some(&json!({}))).await;
        assert_eq!(mine.status, 202, "{b}");
        assert_eq!(app.api("GET", "/api/v1/me/visits", &fresh, None).await.status, 401, "{b}");
        let again = sign_in(&app, "inbox@example.ru", "новая фраза для входа").await;
        assert_eq!(again.status, 401, "{b}: blocked until a new password is set");
    }
}

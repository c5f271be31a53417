//! The one-time booking's guards on every backend (issue 9, findings 2 and 3): a request key
//! bound to its caller and to what it asked, the slot decided before the phone, and limits
//! per phone and per client address.

use axum::body::Body;
use axum::http::Request;
use kabinet_service::Settings;
use kabinet_testkit::TestDb;
use serde_json::json;

use crate::common::{CLIENT, TestApp, TestResponse, booking_form};

fn booking(specialist: i64, start: &str, name: &str, phone: &str) -> serde_json::Value {
    json!({
        "specialist_id": specialist,
        "start": start,
        "patient": {
            "last_name": name, "first_name": "Алексей", "birth_date": "1979-03-02",
            "phone": phone, "email": null
        },
        "consents": {"personal_data": true}
    })
}

async fn book(
    app: &TestApp,
    body: &serde_json::Value,
    key: Option<&str>,
    ip: &str,
) -> TestResponse {
    let mut request = Request::post("/api/v1/bookings").header("content-type", "application/json");
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    app.send_from(request.body(Body::from(body.to_string())).unwrap(), ip).await
}

async fn two_slots(app: &TestApp) -> (i64, String, String) {
    let (id, _) = app.bookable(0).await;
    let slots = app.get(&format!("/api/v1/specialists/{id}/slots")).await.json();
    let start = |n: usize| slots["items"][n]["start"].as_str().unwrap().to_owned();
    (id, start(0), start(1))
}

#[tokio::test]
async fn a_booking_key_answers_only_its_own_request() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (id, first, second) = two_slots(&app).await;
        let mine = booking(id, &first, "Смирнов", "+79005557101");
        let made = book(&app, &mine, Some("key-1"), CLIENT).await;
        assert_eq!(made.status, 201, "{b}: {}", made.body);
        let code = made.json()["code"].as_str().unwrap().to_owned();

        let again = book(&app, &mine, Some("key-1"), CLIENT).await;
        assert_eq!(again.json()["code"], code.as_str(), "{b}: the same request, the same booking");

        let theirs = booking(id, &second, "Чужой", "+79005557102");
        let stolen = book(&app, &theirs, Some("key-1"), CLIENT).await;
        assert_eq!(stolen.status, 409, "{b}");
        assert_eq!(stolen.json()["error"]["code"], "idempotency_mismatch");
        assert!(!stolen.body.contains(&code) && !stolen.body.contains("Смирнов"), "{b}");
        let elsewhere = book(&app, &mine, Some("key-1"), "203.0.113.77").await;
        assert_eq!(elsewhere.status, 409, "{b}: the key is bound to its caller");
        assert!(!elsewhere.body.contains(&code), "{b}");
    }
}

#[tokio::test]
async fn a_replayed_form_never_hands_out_a_receipt() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (id, start) = app.bookable(1).await;
        let (id, start) = (id.to_string(), start.to_string());
        let mut form = booking_form(&id, &start, "+79005557201");
        form.retain(|(k, _)| *k != "request_key");
        form.push(("request_key", "form-key-1"));
        let first = app.post_form("/booking", &form).await;
        assert_eq!((first.status.as_u16(), first.location()), (303, "/booking/done"), "{b}");
        let receipt = first.cookie("receipt").unwrap();

        let replay = app.post_form("/booking", &form).await;
        assert_eq!(replay.status, 409, "{b}: a browser without the receipt sees no booking");
        assert!(replay.headers.get("set-cookie").is_none(), "{b}: and gets none");
        assert!(replay.body.contains("Эта запись уже сделана"), "{b}");
        let own = app.post_form_with_cookie("/booking", Some(&receipt), &form).await;
        assert_eq!(own.location(), "/booking/done", "{b}: the first browser sees its booking");

        let mut other = booking_form(&id, &start, "+79005557202");
        other.retain(|(k, _)| *k != "request_key" && *k != "last_name");
        other.push(("request_key", "form-key-1"));
        other.push(("last_name", "Чужая"));
        let stolen = app.post_form("/booking", &other).await;
        assert_eq!(stolen.status, 409, "{b}");
        assert!(stolen.headers.get("set-cookie").is_none(), "{b}");
        assert!(!stolen.body.contains("Кузнецова"), "{b}: nothing of the first booking");
    }
}

#[tokio::test]
async fn a_taken_slot_says_so_whatever_the_phone_did_before() {
    for app in TestApp::each_backend().await {
        let (id, first, second) = two_slots(&app).await;
        let booked =
            book(&app, &booking(id, &first, "Смирнов", "+79005557301"), None, CLIENT).await;
        assert_eq!(booked.status, 201);
        book(&app, &booking(id, &second, "Другой", "+79005557302"), None, CLIENT).await;
        for phone in ["+79005557301", "+79005557303"] {
            let taken = book(&app, &booking(id, &second, "Третий", phone), None, CLIENT).await;
            assert_eq!(taken.json()["error"]["code"], "slot_taken", "{}: {phone}", app.backend());
        }
    }
}

#[tokio::test]
async fn one_time_bookings_are_limited_per_phone_and_per_address() {
    for db in TestDb::each_backend().await {
        let settings = Settings { booking_rate_limit: 3, ..Settings::default() };
        let app = TestApp::with_settings(db, settings).await;
        let b = app.backend();
        let (id, first, _) = two_slots(&app).await;
        let mut statuses = Vec::new();
        for n in 0..6 {
            let ip = format!("198.51.100.{n}");
            let body = booking(id, &first, "Перебор", "+79005557401");
            statuses.push(book(&app, &body, None, &ip).await.status.as_u16());
        }
        assert_eq!(statuses[5], 429, "{b}: the sixth try of one phone in an hour: {statuses:?}");

        let mut from_one = Vec::new();
        for n in 0..4 {
            let body = booking(id, &first, "Адрес", &format!("+7900555750{n}"));
            from_one.push(book(&app, &body, None, "203.0.113.50").await);
        }
        let refused = &from_one[3];
        assert_eq!(refused.status, 429, "{b}: the fourth from one address, limit 3");
        assert_eq!(refused.json()["error"]["code"], "too_many_requests");
        assert!(refused.headers.get("retry-after").is_some());
    }
    let unlimited = Settings { booking_rate_limit: 0, ..Settings::default() };
    let app = TestApp::with_settings(TestDb::sqlite().await, unlimited).await;
    let (id, first, _) = two_slots(&app).await;
    for n in 0..25 {
        let body = booking(id, &first, "Колл-центр", &format!("+7900555760{n:02}"));
        assert_ne!(book(&app, &body, None, CLIENT).await.status, 429, "0: no limit per address");
    }
}

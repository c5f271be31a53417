//! The JSON API: the same catalog and booking for the clinic's other systems.

use serde_json::json;

use crate::common::TestApp;

fn booking(specialist: i64, start: &str, phone: &str) -> serde_json::Value {
    json!({
        "specialist_id": specialist,
        "start": start,
        "patient": {
            "last_name": "Смирнов", "first_name": "Алексей", "middle_name": "Павлович",
            "birth_date": "1979-03-02", "phone": phone, "email": "smirnov@example.ru"
        },
        "consents": {"personal_data": true, "calls": false}
    })
}

#[tokio::test]
async fn specialists_and_their_free_slots_are_listed() {
    for app in TestApp::each_backend().await {
        let list = app.get("/api/v1/specialists").await.json();
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 24, "{}", app.backend());
        for key in ["id", "full_name", "specialties", "online_booking"] {
            assert!(items[0].get(key).is_some(), "{key}");
        }
        assert_eq!(items.iter().filter(|s| s["online_booking"] == false).count(), 2);

        let (id, _) = app.bookable(0).await;
        let slots =
            app.get(&format!("/api/v1/specialists/{id}/slots?from=2026-11-23&to=2026-11-29")).await;
        assert_eq!(slots.status, 200);
        let slots = slots.json();
        let first = &slots["items"][0];
        let start = first["start"].as_str().unwrap();
        assert!(start.ends_with("+03:00"), "RFC 3339 with the clinic's offset: {start}");
        assert!(first["end"].as_str().unwrap() > start);

        let detail = app.get(&format!("/api/v1/specialists/{id}")).await.json();
        assert!(detail["services"].as_array().unwrap().len() >= 2);
    }
}

#[tokio::test]
async fn bad_slot_queries_get_the_error_format() {
    let app = TestApp::sqlite().await;
    let missing = app.get("/api/v1/specialists/99999/slots").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"]["code"], "not_found");
    let bad = app.get("/api/v1/specialists/1/slots?from=yesterday").await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["error"]["code"], "validation");
    assert!(bad.json()["error"]["fields"]["from"].is_string());
    let long = app.get("/api/v1/specialists/1/slots?from=2026-11-23&to=2027-11-23").await;
    assert_eq!(long.status, 422);
    assert_eq!(app.get("/api/v1/nothing").await.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_booking_over_the_api_answers_201_and_every_refusal_has_its_code() {
    for app in TestApp::each_backend().await {
        let (id, _) = app.bookable(0).await;
        let slots = app.get(&format!("/api/v1/specialists/{id}/slots")).await.json();
        let start = slots["items"][0]["start"].as_str().unwrap().to_owned();
        let other = slots["items"][1]["start"].as_str().unwrap().to_owned();

        let made = app.post_json("/api/v1/bookings", &booking(id, &start, "+79005557001")).await;
        assert_eq!(made.status, 201, "{}: {}", app.backend(), made.body);
        let made = made.json();
        assert_eq!(made["code"].as_str().unwrap().len(), 8);
        assert_eq!(made["start"], start.as_str());

        let taken = app.post_json("/api/v1/bookings", &booking(id, &start, "+79005557002")).await;
        assert_eq!(
            (taken.status.as_u16(), taken.json()["error"]["code"].clone()),
            (409, json!("slot_taken"))
        );
        assert_eq!(taken.json()["error"]["message"], "Это время уже занято. Выберите другое.");

        let used = app.post_json("/api/v1/bookings", &booking(id, &other, "8 900 555-70-01")).await;
        assert_eq!(
            (used.status.as_u16(), used.json()["error"]["code"].clone()),
            (409, json!("one_time_used"))
        );

        let mut invalid = booking(id, &other, "123");
        invalid["consents"]["personal_data"] = json!(false);
        let invalid = app.post_json("/api/v1/bookings", &invalid).await;
        assert_eq!(invalid.status, 422);
        let fields = &invalid.json()["error"]["fields"];
        assert!(
            fields["phone"].is_string() && fields["consent_personal_data"].is_string(),
            "{fields}"
        );

        let nobody =
            app.post_json("/api/v1/bookings", &booking(99999, &other, "+79005557003")).await;
        assert_eq!(
            (nobody.status.as_u16(), nobody.json()["error"]["code"].clone()),
            (404, json!("not_found"))
        );

        let garbage = app.post_json("/api/v1/bookings", &json!({"start": 5})).await;
        assert_eq!(garbage.status, 422);
        assert_eq!(garbage.json()["error"]["code"], "validation");

        let outbox = app.db.store.pending_outbox(10).await.unwrap();
        assert_eq!(outbox.len(), 1, "a confirmation e-mail waits in the outbox");
        assert!(
            !outbox[0].subject.contains(&made["specialist_name"].as_str().unwrap()[..6]),
            "no doctor in the subject"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_api_bookings_of_one_slot_make_exactly_one() {
    for app in TestApp::each_backend().await {
        let (id, _) = app.bookable(2).await;
        let slots = app.get(&format!("/api/v1/specialists/{id}/slots")).await.json();
        let start = slots["items"][0]["start"].as_str().unwrap().to_owned();
        let app = std::sync::Arc::new(app);
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let (app, start) = (app.clone(), start.clone());
                tokio::spawn(async move {
                    // Fifty visitors, each from their own address.
                    let body = booking(id, &start, &format!("+7900558{i:04}")).to_string();
                    let request = axum::http::Request::post("/api/v1/bookings")
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from(body))
                        .unwrap();
                    app.send_from(request, &format!("198.51.100.{i}")).await.status.as_u16()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{}: {statuses:?}",
            app.backend()
        );
        assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 49, "never a 500");
    }
}

#[tokio::test]
async fn the_specialists_come_a_page_at_a_time_by_an_opaque_cursor_and_filter_as_the_page() {
    for app in TestApp::each_backend().await {
        let mut seen = Vec::new();
        let mut uri = "/api/v1/specialists?limit=10".to_owned();
        loop {
            let page = app.get(&uri).await;
            assert_eq!(page.status, 200, "{}: {}", app.backend(), page.body);
            let page = page.json();
            let items = page["items"].as_array().unwrap();
            assert!(items.len() <= 10);
            seen.extend(items.iter().map(|s| s["id"].as_i64().unwrap()));
            match page["next_cursor"].as_str() {
                Some(cursor) => {
                    assert!(!cursor.contains("10"), "opaque, not an offset: {cursor}");
                    uri = format!("/api/v1/specialists?limit=10&cursor={cursor}");
                }
                None => break,
            }
        }
        let all = app.get("/api/v1/specialists").await.json();
        let every: Vec<i64> =
            all["items"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
        assert_eq!(seen, every, "the pages hold every specialist once, in order");
        assert!(all["next_cursor"].is_null());

        let (branches, _) = app.kabinet.filters(kabinet_core::lang::Lang::Ru).await.unwrap();
        let branch = branches[0].id;
        let here = app.get(&format!("/api/v1/specialists?branch_id={branch}")).await.json();
        let here = here["items"].as_array().unwrap();
        assert!(!here.is_empty() && here.len() < every.len());
        assert!(here.iter().all(|s| s["branch"]["id"] == branch));

        for bad in ["limit=0", "limit=101", "cursor=zzz", "cursor=6f2d31"] {
            let refused = app.get(&format!("/api/v1/specialists?{bad}")).await;
            assert_eq!(refused.status, 422, "{bad}");
        }
    }
}

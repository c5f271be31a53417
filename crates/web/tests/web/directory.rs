//! The directory at scale (C6), on every backend: the free time it shows comes from the
//! availability index and follows every booking and cancellation at once, on this instance
//! and (PostgreSQL) on another one; "free on a day" and "soonest first" on the page and in
//! the API.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use jiff::{Timestamp, ToSpan};
use kabinet_core::clock::ManualClock;
use kabinet_core::lang::Lang;
use kabinet_service::{Kabinet, Settings};
use serde_json::json;

use crate::common::{MONDAY_9AM, TestApp};
use crate::staff::online_patient;

/// The ids and `nearest_free` of every specialist the API lists with `query`, in its order.
async fn listed(app: &TestApp, query: &str) -> Vec<(i64, Option<String>)> {
    let response = app.get(&format!("/api/v1/specialists?limit=100{query}")).await;
    assert_eq!(response.status, 200, "{}", response.body);
    let json = response.json();
    assert!(json["next_cursor"].is_null(), "one page holds the demo clinic");
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (item["id"].as_i64().unwrap(), item["nearest_free"].as_str().map(Into::into)))
        .collect()
}

/// The start of every free slot of the specialist in the booking horizon, Unix seconds.
async fn free_starts(kabinet: &Kabinet, id: i64) -> Vec<i64> {
    let (first, last) = kabinet.bookable_days();
    let slots = kabinet.free_slots(id, first, last).await.unwrap();
    slots.iter().map(|s| s.start.as_second()).collect()
}

#[tokio::test]
async fn a_booked_time_leaves_the_free_time_at_once_and_a_cancelled_one_comes_back() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let patient = online_patient(&app, "ivan@example.ru").await;
        let (specialist, start) = app.bookable(0).await;
        // Read first, so what is kept is what the bookings must change.
        let free = free_starts(&app.kabinet, specialist).await;
        let nearest = |list: &[(i64, Option<String>)]| {
            list.iter().find(|(id, _)| *id == specialist).unwrap().1.clone().unwrap()
        };
        let before = listed(&app, "").await;
        let book = |start: i64| {
            let body = json!({"specialist_id": specialist, "start": start.to_string()});
            let (app, patient) = (&app, &patient);
            async move {
                let booked = app.api("POST", "/api/v1/me/visits", patient, Some(&body)).await;
                assert_eq!(booked.status, 201, "{b}: {}", booked.body);
                booked.json()["id"].as_i64().unwrap()
            }
        };

        // A time a week ahead, booked and cancelled, is free again at once.
        let later = *free.iter().find(|&&s| s > start + 7 * 86_400).unwrap();
        let visit = book(later).await;
        assert!(!free_starts(&app.kabinet, specialist).await.contains(&later), "{b}: booked");
        let uri = format!("/api/v1/me/visits/{visit}/cancel");
        let cancelled = app.api("POST", &uri, &patient, Some(&json!({}))).await;
        assert_eq!(cancelled.status, 200, "{b}: {}", cancelled.body);
        assert!(free_starts(&app.kabinet, specialist).await.contains(&later), "{b}: free again");

        // The nearest time, booked (one visit is the limit here), leaves the slots and the
        // directory at once.
        book(start).await;
        assert!(!free_starts(&app.kabinet, specialist).await.contains(&start), "{b}: booked");
        let slots = app.get(&format!("/api/v1/specialists/{specialist}/slots")).await;
        assert!(!slots.body.contains(&format!("\"start\":\"{}", nearest(&before))), "{b}");
        assert!(nearest(&listed(&app, "").await) > nearest(&before), "{b}: it moved on");
    }
}

#[tokio::test]
async fn another_instance_on_postgresql_sees_a_booking_made_here() {
    let Some(app) = TestApp::each_backend().await.into_iter().find(|a| a.backend() == "postgres")
    else {
        return;
    };
    let clock = Arc::new(ManualClock::new(MONDAY_9AM.parse::<Timestamp>().unwrap()));
    let other = Kabinet::new(app.db.second_instance().await, clock, Settings::default());
    let patient = online_patient(&app, "ivan@example.ru").await;
    let (specialist, start) = app.bookable(0).await;
    assert!(free_starts(&other, specialist).await.contains(&start), "the other keeps it free");

    let body = json!({"specialist_id": specialist, "start": start.to_string()});
    let booked = app.api("POST", "/api/v1/me/visits", &patient, Some(&body)).await;
    assert_eq!(booked.status, 201, "{}", booked.body);
    // NOTIFY reaches the other instance once the booking commits: it does not wait to expire.
    let mut waited = Duration::ZERO;
    while free_starts(&other, specialist).await.contains(&start) {
        assert!(waited < Duration::from_secs(5), "the other instance still offers the time");
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += Duration::from_millis(20);
    }
}

#[tokio::test]
async fn free_on_a_day_lists_only_who_is_free_then_and_soonest_first_orders_by_nearest_time() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let (first, _) = app.kabinet.bookable_days();
        let day = first.checked_add(2.days()).unwrap();
        let mut expected = BTreeSet::new();
        for card in app.kabinet.all_specialists(Lang::Ru).await.unwrap() {
            let free = app.kabinet.free_slots(card.specialist.id, day, day).await.unwrap();
            if !free.is_empty() {
                expected.insert(card.specialist.id);
            }
        }
        assert!(!expected.is_empty(), "{b}: the demo clinic works on {day}");
        let on_day = listed(&app, &format!("&free_on={day}")).await;
        let ids: BTreeSet<i64> = on_day.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, expected, "{b}");
        let total = listed(&app, "").await.len();
        assert!(ids.len() < total, "{b}: somebody is not free on {day}");

        // The page says how many, keeps the day in the form and in the pager's links.
        let page = app.get(&format!("/specialists?free_on={day}")).await;
        assert_eq!(page.status, 200, "{b}: {}", page.body);
        assert!(page.body.contains(&format!("value=\"{day}\"")), "{b}");
        let count = format!(" {} специалист", expected.len());
        assert!(page.body.contains(&count), "{b}: {count} in {}", page.body);

        // Soonest first: times never go back, and who has none (booking by phone) comes last.
        let sorted = listed(&app, "&sort=nearest").await;
        assert_eq!(sorted.len(), total, "{b}");
        let times: Vec<&Option<String>> = sorted.iter().map(|(_, t)| t).collect();
        let first_none = times.iter().position(|t| t.is_none()).unwrap_or(times.len());
        assert!(times[first_none..].iter().all(|t| t.is_none()), "{b}: {sorted:?}");
        let known: Vec<&String> = times[..first_none].iter().filter_map(|t| t.as_ref()).collect();
        assert!(known.windows(2).all(|w| w[0] <= w[1]), "{b}: {sorted:?}");
        assert!(first_none < sorted.len(), "{b}: the demo has a specialist booked by phone");
        let page = app.get("/specialists?sort=nearest").await;
        assert!(page.body.contains("value=\"nearest\" selected"), "{b}");
    }
}

#[tokio::test]
async fn a_day_that_cannot_be_booked_is_explained_and_kept_and_the_api_names_bad_fields() {
    let app = TestApp::sqlite().await;
    let (_, last) = app.kabinet.bookable_days();
    let later = last.checked_add(1.day()).unwrap();
    let page = app.get(&format!("/specialists?free_on={later}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("На этот день запись не открыта"), "{}", page.body);
    assert!(page.body.contains(&format!("value=\"{later}\"")), "the day is kept");
    assert!(page.body.contains("aria-invalid=\"true\""));

    for (query, field) in [("free_on=завтра", "free_on"), ("sort=price", "sort")] {
        let response = app.get(&format!("/api/v1/specialists?{query}")).await;
        assert_eq!(response.status, 422, "{query}: {}", response.body);
        assert!(response.body.contains(field), "{query}: {}", response.body);
    }
}

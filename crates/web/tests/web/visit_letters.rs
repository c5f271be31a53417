//! Issue 10, point 2: every change of a visit sends a letter — the patient's own booking,
//! move and cancel over the API and in the cabinet too — with the date and time, the branch's
//! address and phone and the way to the cabinet, and names the doctor nowhere (medical secrecy).

use serde_json::json;

use crate::common::TestApp;
use crate::staff::online_patient;

#[tokio::test]
async fn a_patients_own_booking_move_and_cancel_each_send_a_letter() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let token = online_patient(&app, "ivan@example.ru").await;
        let (specialist, _) = app.bookable(0).await;
        let slots = app
            .get(&format!("/api/v1/specialists/{specialist}/slots?from=2026-11-25&to=2026-12-01"))
            .await
            .json();
        let starts: Vec<&str> = slots["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["start"].as_str().unwrap())
            .collect();
        let letters = || async {
            let mail = app.db.store.pending_outbox(200).await.unwrap();
            mail.into_iter().filter(|m| m.kind.as_str() == "visit_changed").collect::<Vec<_>>()
        };
        let inbox_before = app.api("GET", "/api/v1/me/messages", &token, None).await.json();

        let book = json!({"specialist_id": specialist, "start": starts[0]});
        let booked = app.api("POST", "/api/v1/me/visits", &token, Some(&book)).await;
        assert_eq!(booked.status, 201, "{b}: {}", booked.body);
        let id = booked.json()["id"].as_i64().unwrap();
        let doctor = booked.json()["specialist_name"].as_str().unwrap().to_owned();
        let code = booked.json()["code"].as_str().unwrap().to_owned();
        let moved = app
            .api(
                "POST",
                &format!("/api/v1/me/visits/{id}/reschedule"),
                &token,
                Some(&json!({"start": starts[3]})),
            )
            .await;
        assert_eq!(moved.status, 200, "{b}: {}", moved.body);
        let cancel = format!("/api/v1/me/visits/{id}/cancel");
        assert_eq!(app.api("POST", &cancel, &token, None).await.status, 200, "{b}");

        let sent = letters().await;
        let subjects: Vec<&str> = sent.iter().map(|m| m.subject.as_str()).collect();
        assert_eq!(
            subjects,
            [
                "Вы записаны на приём — Клиника «Ясень»",
                "Запись на приём перенесена — Клиника «Ясень»",
                "Запись на приём отменена — Клиника «Ясень»",
            ],
            "{b}"
        );
        for letter in &sent {
            assert_eq!(letter.recipient, "ivan@example.ru", "{b}");
            assert!(!letter.subject.contains(&doctor), "{b}: no doctor in a subject");
            assert!(!letter.body.contains(&doctor), "{b}: nor in a body (medical secrecy)");
            for part in
                [code.as_str(), "Дата и время: ", "Филиал: ", "Телефон филиала: +7", "/cabinet"]
            {
                assert!(letter.body.contains(part), "{b}: {part} in {}", letter.body);
            }
        }
        assert!(sent[1].body.contains("Было: "), "{b}: the move says from when");
        let inbox_after = app.api("GET", "/api/v1/me/messages", &token, None).await.json();
        assert_eq!(inbox_after, inbox_before, "{b}: one's own change is no inbox message");
    }
}

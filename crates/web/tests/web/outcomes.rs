//! Issue 12, point 2: visit outcomes and the no-show policy, on both databases, with the clock
//! moved instead of waiting. The registrar marks arrived, completed or not attended only once
//! a visit's time has come; the cabinet and the API show what happened; N no-shows within M
//! days close online booking (the patient told why and given the phone, the registrar still
//! books), they stop counting after M days, and the registrar's lift reopens it at once.

use jiff::SignedDuration;
use kabinet_core::audit::AuditAction;
use kabinet_service::Settings;
use kabinet_store::audit::AuditFilter;
use kabinet_testkit::TestDb;

use crate::calls::{api_patient, api_token, book, patient_id, starts_on};
use crate::common::{TestApp, TestResponse};
use crate::staff::{REGISTRAR_PASSWORD, administrator, csrf, post, registrar, sign_in_fully};

const LOGIN: &str = "absent@example.ru";

async fn mark(
    app: &TestApp,
    reg: &str,
    (patient, visit): (i64, i64),
    outcome: &str,
) -> TestResponse {
    let token = csrf(app, reg).await;
    let uri = format!("/staff/patients/{patient}/visits/{visit}/outcome");
    post(app, &uri, reg, &[("csrf", &token), ("outcome", outcome), ("date", "")]).await
}

/// Books the patient's next free time over the API: the visit's id and start.
async fn book_next(app: &TestApp) -> (i64, i64) {
    let token = api_token(app, LOGIN).await;
    let (specialist, start) = app.bookable(0).await;
    (book(app, &token, specialist, start).await, start)
}

/// Moves the clock past the visit's start and marks it a no-show; the registrar's fresh
/// cookie (the clock ended the last session).
async fn miss(app: &TestApp, patient: i64, (visit, start): (i64, i64)) -> String {
    app.clock.set(jiff::Timestamp::from_second(start + 600).unwrap());
    let reg = sign_in_fully(app, "reg1", REGISTRAR_PASSWORD).await;
    let marked = mark(app, &reg, (patient, visit), "no_show").await;
    assert_eq!(marked.status, 303, "{}: {}", app.backend(), marked.body);
    reg
}

#[tokio::test]
async fn an_outcome_is_marked_once_the_visit_has_started_and_the_patient_sees_it() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let (specialist, [tuesday, _]) = starts_on(&app, ["2026-11-24", "2026-11-25"]).await;
        let token = api_patient(&app, (LOGIN, "Приходько", "+79005550301"), true).await;
        let other = api_patient(&app, ("other@example.ru", "Чужова", "+79005550302"), true);
        let other = other.await;
        let visit = book(&app, &token, specialist, tuesday[0]).await;
        let foreign = book(&app, &other, specialist, tuesday[1]).await;
        let patient = patient_id(&app, &reg, "Приходько").await;

        // Monday: too early, with a clear message; no buttons on Tuesday's page yet.
        let early = mark(&app, &reg, (patient, visit), "arrived").await;
        assert_eq!(early.status, 409, "{b}: {}", early.body);
        assert!(early.body.contains("ещё не наступило"), "{b}");
        let day = app.get_with_cookie("/staff/visits?date=2026-11-24", Some(&reg)).await;
        assert_eq!(day.status, 200, "{b}");
        assert!(day.body.contains("Приходько Пётр"), "{b}");
        assert!(day.body.contains("время ещё не наступило"), "{b}");
        assert!(!day.body.contains("/outcome\""), "{b}: no buttons before the time");

        // Its start has come.
        app.clock.set(jiff::Timestamp::from_second(tuesday[0] + 60).unwrap());
        let reg = sign_in_fully(&app, "reg1", REGISTRAR_PASSWORD).await;
        let today = app.get_with_cookie("/staff/visits", Some(&reg)).await;
        assert!(today.body.contains("вторник, 24 ноября"), "{b}: today by default");
        assert!(today.body.contains(&format!("/staff/patients/{patient}/visits/{visit}/outcome")));
        let arrived = mark(&app, &reg, (patient, visit), "arrived").await;
        assert_eq!(arrived.status, 303, "{b}: {}", arrived.body);
        assert_eq!(arrived.location(), format!("/staff/visits#visit-{visit}"));
        let foreign_mark = mark(&app, &reg, (patient, foreign), "arrived").await;
        assert_eq!(foreign_mark.status, 404, "{b}: another patient's visit");
        assert_eq!(mark(&app, &reg, (patient, visit), "late").await.status, 404, "{b}");
        let token = api_token(&app, LOGIN).await;
        let shown = app.api("GET", &format!("/api/v1/me/visits/{visit}"), &token, None).await;
        assert_eq!(shown.json()["outcome"], "arrived", "{b}");

        // After the visit: completed; the cabinet's past visits say so.
        app.clock.advance(SignedDuration::from_hours(2));
        let reg = sign_in_fully(&app, "reg1", REGISTRAR_PASSWORD).await;
        assert_eq!(mark(&app, &reg, (patient, visit), "completed").await.status, 303, "{b}");
        let cabinet = crate::cabinet::sign_in(&app, LOGIN, crate::cabinet::PASSWORD).await;
        let page = app.get_with_cookie("/cabinet", Some(&cabinet)).await;
        let past = page.body.split("id=\"past\"").nth(1).unwrap();
        assert!(past.contains("(Приём состоялся)"), "{b}: {past}");
        let card = app.get_with_cookie(&format!("/staff/patients/{patient}"), Some(&reg)).await;
        assert!(card.body.contains("(приём состоялся)"), "{b}: on the card");
        let filter = AuditFilter {
            action: Some(AuditAction::AppointmentOutcome),
            limit: 10,
            ..AuditFilter::default()
        };
        assert_eq!(app.db.store.audit_log(&filter).await.unwrap().len(), 2, "{b}: audited");
    }
}

#[tokio::test]
async fn no_shows_close_online_booking_until_they_age_or_the_registrar_lifts_it() {
    for db in TestDb::each_backend().await {
        let settings = Settings { no_show_limit: 2, no_show_days: 30, ..Settings::default() };
        let app = TestApp::with_settings(db, settings).await;
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        api_patient(&app, (LOGIN, "Пропускова", "+79005550311"), true).await;
        let patient = patient_id(&app, &reg, "Пропускова").await;

        let first = book_next(&app).await;
        miss(&app, patient, first).await;
        // One no-show closes nothing: the next booking goes through (and is missed too).
        let second = book_next(&app).await;
        let reg = miss(&app, patient, second).await;
        let token = api_token(&app, LOGIN).await;
        let (specialist, start) = app.bookable(0).await;
        let body = serde_json::json!({"specialist_id": specialist, "start": start.to_string()});
        let refused = app.api("POST", "/api/v1/me/visits", &token, Some(&body)).await;
        assert_eq!(refused.status, 403, "{b}: {}", refused.body);
        assert_eq!(refused.json()["error"]["code"], "online_booking_closed", "{b}");
        let message = refused.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains("не пришли") && message.contains("+7 (495) 555-01-00"), "{b}");

        // The patient is told in the cabinet: a message and a banner.
        let messages = app.api("GET", "/api/v1/me/messages", &token, None).await;
        assert!(messages.body.contains("Онлайн-запись закрыта"), "{b}: {}", messages.body);
        let cabinet = crate::cabinet::sign_in(&app, LOGIN, crate::cabinet::PASSWORD).await;
        let page = app.get_with_cookie("/cabinet", Some(&cabinet)).await;
        assert!(page.body.contains("Онлайн-запись для вас закрыта"), "{b}");
        assert!(page.body.contains("tel:+74955550100"), "{b}: the phone to book by");
        let past = page.body.split("id=\"past\"").nth(1).unwrap();
        assert!(past.contains("(Неявка)"), "{b}");

        // The registrar sees it on the card and still books for the patient.
        let card = app.get_with_cookie(&format!("/staff/patients/{patient}"), Some(&reg)).await;
        assert!(card.body.contains("Онлайн-запись закрыта: неявок за последнее время — 2"), "{b}");
        let csrf_token = csrf(&app, &reg).await;
        let start_text = start.to_string();
        let specialist_text = specialist.to_string();
        let form = [
            ("csrf", csrf_token.as_str()),
            ("specialist", specialist_text.as_str()),
            ("start", start_text.as_str()),
        ];
        let booked = post(&app, &format!("/staff/patients/{patient}/visits"), &reg, &form).await;
        assert_eq!(booked.status, 303, "{b}: the front desk books: {}", booked.body);

        // 31 days on, the no-shows no longer count: booking goes through (missed again).
        app.clock.advance(SignedDuration::from_hours(31 * 24));
        let third = book_next(&app).await;
        miss(&app, patient, third).await;
        let fourth = book_next(&app).await;

        // Closed again, then lifted by the registrar: open at once.
        let reg = miss(&app, patient, fourth).await;
        let token = api_token(&app, LOGIN).await;
        let (specialist, start) = app.bookable(0).await;
        let body = serde_json::json!({"specialist_id": specialist, "start": start.to_string()});
        let refused = app.api("POST", "/api/v1/me/visits", &token, Some(&body)).await;
        assert_eq!(refused.status, 403, "{b}: closed again");
        let csrf_token = csrf(&app, &reg).await;
        let uri = format!("/staff/patients/{patient}/online-booking");
        let lifted = post(&app, &uri, &reg, &[("csrf", csrf_token.as_str())]).await;
        assert_eq!(lifted.status, 303, "{b}: {}", lifted.body);
        book(&app, &token, specialist, start).await;
        let card = app.get_with_cookie(&format!("/staff/patients/{patient}"), Some(&reg)).await;
        assert!(!card.body.contains("id=\"online-booking-closed\""), "{b}: reopened");
        for (action, count) in [
            (AuditAction::PatientOnlineBookingClose, 2),
            (AuditAction::PatientOnlineBookingReopen, 1),
        ] {
            let filter = AuditFilter { action: Some(action), limit: 10, ..AuditFilter::default() };
            let rows = app.db.store.audit_log(&filter).await.unwrap();
            assert_eq!(rows.len(), count, "{b}: {action:?}");
        }
    }
}

//! Issue 12, point 3: reminders before visits, on both databases, with the clock moved instead
//! of sleeping and the letters delivered to a real SMTP server on loopback. A reminder goes
//! out once, a day before the visit; none for a visit booked inside that day, none after a
//! cancel, a moved visit is reminded of at its new time only, a patient who switched them off
//! gets none; two instances on one database send it once. The subject names the date and time
//! only (323-FZ art. 13).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use kabinet_core::audit::AuditAction;
use kabinet_service::mail::Mailer;
use kabinet_service::{Kabinet, Settings};
use kabinet_store::audit::AuditFilter;
use kabinet_testkit::SmtpSink;
use serde_json::json;

use crate::cabinet::{PASSWORD, sign_in, signed_in_with_token};
use crate::common::TestApp;

const FROM: &str = "Клиника «Ясень» <noreply@yasen.example>";

/// A bookable specialist and their free starts of the coming week, as the API writes them.
async fn free_starts(app: &TestApp) -> (i64, Vec<String>) {
    let (specialist, _) = app.bookable(0).await;
    let slots = app
        .get(&format!("/api/v1/specialists/{specialist}/slots?from=2026-11-23&to=2026-11-29"))
        .await
        .json();
    let starts = slots["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap().to_owned())
        .collect();
    (specialist, starts)
}

fn at(start: &str) -> Timestamp {
    start.parse().unwrap()
}

/// The first free start at least `hours` after now.
fn start_after(app: &TestApp, starts: &[String], hours: i64, skip: usize) -> String {
    let from = app.kabinet.now() + SignedDuration::from_hours(hours);
    starts.iter().filter(|s| at(s) >= from).nth(skip).unwrap().clone()
}

async fn book(app: &TestApp, token: &str, specialist: i64, start: &str) -> i64 {
    let body = json!({"specialist_id": specialist, "start": start});
    let booked = app.api("POST", "/api/v1/me/visits", token, Some(&body)).await;
    assert_eq!(booked.status, 201, "{}: {}", app.backend(), booked.body);
    booked.json()["id"].as_i64().unwrap()
}

/// «Напоминание о приёме 26 ноября в 10:00 — Клиника «Ясень»» for a start in Moscow time.
fn subject_of(start: &str) -> String {
    let when = at(start).to_zoned(jiff::tz::TimeZone::get("Europe/Moscow").unwrap());
    let month = ["ноября", "декабря"][usize::from(when.month() == 12)];
    format!(
        "Напоминание о приёме {} {month} в {} — Клиника «Ясень»",
        when.day(),
        when.strftime("%H:%M")
    )
}

/// One worker pass: queue what fell due, deliver the outbox.
async fn pass(kabinet: &Kabinet, mailer: &Mailer) {
    kabinet.queue_due_reminders().await.unwrap();
    kabinet.deliver_due(mailer).await.unwrap();
}

fn reminders(sink: &SmtpSink) -> Vec<kabinet_testkit::ReceivedMail> {
    sink.messages().into_iter().filter(|m| m.subject.starts_with("Напоминание")).collect()
}

#[tokio::test]
async fn a_reminder_goes_out_once_a_day_before_and_a_moved_visit_at_its_new_time_only() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let sink = SmtpSink::start();
        let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
        let (_, token) = signed_in_with_token(&app, "ivan@example.ru", "+79005550101").await;
        let (specialist, starts) = free_starts(&app).await;
        let first = start_after(&app, &starts, 50, 0);
        let id = book(&app, &token, specialist, &first).await;
        let doctor = app.api("GET", &format!("/api/v1/me/visits/{id}"), &token, None).await.json()
            ["specialist_name"]
            .as_str()
            .unwrap()
            .to_owned();
        // Moved a day later, well before either reminder time.
        let moved_to = starts.iter().find(|s| at(s) >= at(&first) + SignedDuration::from_hours(24));
        let moved_to = moved_to.unwrap().clone();
        let moved = app
            .api(
                "POST",
                &format!("/api/v1/me/visits/{id}/reschedule"),
                &token,
                Some(&json!({"start": moved_to})),
            )
            .await;
        assert_eq!(moved.status, 200, "{b}: {}", moved.body);

        // A minute before the old time's reminder, at it and after: nothing for the old time.
        let day = SignedDuration::from_hours(24);
        for offset in [-60, 0, 3600] {
            app.clock.set(at(&first) - day + SignedDuration::from_secs(offset));
            pass(&app.kabinet, &mailer).await;
        }
        assert!(reminders(&sink).is_empty(), "{b}: the old time is reminded of never");

        // A minute early: nothing yet.
        app.clock.set(at(&moved_to) - day - SignedDuration::from_mins(1));
        pass(&app.kabinet, &mailer).await;
        assert!(reminders(&sink).is_empty(), "{b}: not early");

        // At the new time's reminder, and again later (restarts, further passes): one letter.
        app.clock.set(at(&moved_to) - day);
        pass(&app.kabinet, &mailer).await;
        app.clock.advance(SignedDuration::from_hours(2));
        pass(&app.kabinet, &mailer).await;
        let sent = reminders(&sink);
        assert_eq!(sent.len(), 1, "{b}: {sent:?}");
        let letter = &sent[0];
        assert_eq!(letter.subject, subject_of(&moved_to), "{b}");
        assert_eq!(letter.to, "ivan@example.ru", "{b}");
        for part in ["Дата и время: ", "Филиал: ", "Телефон филиала: +7", "/cabinet"]
        {
            assert!(letter.body.contains(part), "{b}: {part} in {}", letter.body);
        }
        assert!(!letter.body.contains(&doctor), "{b}: no doctor in a reminder");
        assert!(!letter.subject.contains(&doctor), "{b}");
        assert!(!letter.body.contains("Услуга") && !letter.body.contains("Врач"), "{b}");
    }
}

#[tokio::test]
async fn no_reminder_for_a_visit_booked_inside_the_window_a_cancelled_one_or_one_switched_off() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let sink = SmtpSink::start();
        let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
        let (specialist, starts) = free_starts(&app).await;
        let (_, soon) = signed_in_with_token(&app, "soon@example.ru", "+79005550102").await;
        let (_, cancels) = signed_in_with_token(&app, "cancels@example.ru", "+79005550103").await;
        let (_, off) = signed_in_with_token(&app, "off@example.ru", "+79005550104").await;
        let (_, back_on) = signed_in_with_token(&app, "back@example.ru", "+79005550105").await;

        // Booked 20 hours ahead: inside the window, no reminder.
        let inside = starts
            .iter()
            .find(|s| at(s) <= app.kabinet.now() + SignedDuration::from_hours(23))
            .unwrap()
            .clone();
        book(&app, &soon, specialist, &inside).await;
        let cancelled_at = start_after(&app, &starts, 50, 0);
        let cancelled = book(&app, &cancels, specialist, &cancelled_at).await;
        let cancel = format!("/api/v1/me/visits/{cancelled}/cancel");
        assert_eq!(app.api("POST", &cancel, &cancels, None).await.status, 200, "{b}");
        let off_at = start_after(&app, &starts, 50, 1);
        book(&app, &off, specialist, &off_at).await;
        let back_at = start_after(&app, &starts, 50, 2);
        book(&app, &back_on, specialist, &back_at).await;

        // Reminders are on by default; one patient switches them off, another off and on.
        let prefs = app.api("GET", "/api/v1/me/preferences", &off, None).await;
        assert_eq!(prefs.json(), json!({"reminders": true}), "{b}");
        let put = |token: &str, on: bool| {
            let token = token.to_owned();
            let app = &app;
            async move {
                let body = json!({"reminders": on});
                app.api("PUT", "/api/v1/me/preferences", &token, Some(&body)).await
            }
        };
        let switched = put(&off, false).await;
        assert_eq!((switched.status.as_u16(), switched.json()), (200, json!({"reminders": false})));
        assert_eq!(put(&back_on, false).await.status, 200, "{b}");
        assert_eq!(put(&back_on, true).await.json(), json!({"reminders": true}), "{b}");
        let bad = app.api("PUT", "/api/v1/me/preferences", &off, Some(&json!({"x": 1}))).await;
        assert_eq!(bad.status, 422, "{b}: {}", bad.body);
        let filter = AuditFilter {
            action: Some(AuditAction::PatientReminders),
            limit: 100,
            ..AuditFilter::default()
        };
        assert_eq!(app.db.store.audit_log(&filter).await.unwrap().len(), 3, "{b}: audited");

        // An hour at a time through the week.
        for _ in 0..(24 * 6) {
            pass(&app.kabinet, &mailer).await;
            app.clock.advance(SignedDuration::from_hours(1));
        }
        let sent: Vec<(String, String)> =
            reminders(&sink).into_iter().map(|m| (m.to, m.subject)).collect();
        assert_eq!(sent, [("back@example.ru".to_owned(), subject_of(&back_at))], "{b}");
    }
}

#[tokio::test]
async fn switching_reminders_on_inside_the_window_brings_none_and_the_cabinet_has_the_switch() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let sink = SmtpSink::start();
        let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
        let (cookie, token) = signed_in_with_token(&app, "anna@example.ru", "+79005550106").await;
        let (specialist, starts) = free_starts(&app).await;
        let start = start_after(&app, &starts, 50, 0);
        book(&app, &token, specialist, &start).await;

        let page = app.get_with_cookie("/cabinet/calendar", Some(&cookie)).await;
        assert!(page.body.contains("Напоминания о приёмах"), "{b}");
        assert!(page.body.contains(r#"name="reminders" value="yes" checked"#), "{b}");
        let csrf = page.csrf();
        let saved = app
            .post_form_with_cookie("/cabinet/calendar/reminders", Some(&cookie), &[("csrf", &csrf)])
            .await;
        assert_eq!(saved.location(), "/cabinet/calendar?done=reminders", "{b}");
        let page = app.get_with_cookie("/cabinet/calendar?done=reminders", Some(&cookie)).await;
        assert!(page.body.contains("Настройка напоминаний сохранена."), "{b}");
        assert!(!page.body.contains(r#"name="reminders" value="yes" checked"#), "{b}");
        let prefs = app.api("GET", "/api/v1/me/preferences", &token, None).await.json();
        assert_eq!(prefs, json!({"reminders": false}), "{b}");

        // Past the reminder time, switched on again: the visit is inside the window now.
        app.clock.set(at(&start) - SignedDuration::from_hours(20));
        pass(&app.kabinet, &mailer).await;
        let cookie = sign_in(&app, "anna@example.ru", PASSWORD).await;
        let csrf = app.get_with_cookie("/cabinet/calendar", Some(&cookie)).await.csrf();
        let on = [("csrf", csrf.as_str()), ("reminders", "yes")];
        let saved =
            app.post_form_with_cookie("/cabinet/calendar/reminders", Some(&cookie), &on).await;
        assert_eq!(saved.location(), "/cabinet/calendar?done=reminders", "{b}");
        for _ in 0..3 {
            app.clock.advance(SignedDuration::from_hours(1));
            pass(&app.kabinet, &mailer).await;
        }
        assert!(reminders(&sink).is_empty(), "{b}: none inside the window");
        let cookie = sign_in(&app, "anna@example.ru", PASSWORD).await;
        let page = app.get_with_cookie("/cabinet/calendar", Some(&cookie)).await;
        assert!(page.body.contains(r#"name="reminders" value="yes" checked"#), "{b}");
    }
}

#[tokio::test]
async fn two_instances_on_one_database_send_a_reminder_once() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let sink = SmtpSink::start();
        let mailer = Arc::new(Mailer::smtp(&sink.url(), FROM).unwrap());
        let (_, token) = signed_in_with_token(&app, "twice@example.ru", "+79005550107").await;
        let (specialist, starts) = free_starts(&app).await;
        let start = start_after(&app, &starts, 50, 0);
        book(&app, &token, specialist, &start).await;
        let second = Kabinet::new(
            app.db.second_instance().await,
            app.clock.clone(),
            (*app.kabinet.settings).clone(),
        );
        app.clock.set(at(&start) - SignedDuration::from_hours(23));
        for _ in 0..3 {
            tokio::join!(pass(&app.kabinet, &mailer), pass(&second, &mailer));
        }
        assert_eq!(reminders(&sink).len(), 1, "{b}: exactly once");
    }
}

#[tokio::test]
async fn a_clinic_without_reminders_sends_none_and_says_so_in_the_cabinet() {
    let settings = Settings { reminder_before: SignedDuration::ZERO, ..Settings::default() };
    let app = TestApp::with_settings(kabinet_testkit::TestDb::sqlite().await, settings).await;
    let sink = SmtpSink::start();
    let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
    let (cookie, token) = signed_in_with_token(&app, "none@example.ru", "+79005550108").await;
    let (specialist, starts) = free_starts(&app).await;
    let start = start_after(&app, &starts, 50, 0);
    book(&app, &token, specialist, &start).await;
    let page = app.get_with_cookie("/cabinet/calendar", Some(&cookie)).await;
    assert!(page.body.contains("Клиника не рассылает напоминания."), "{}", page.body);
    app.clock.set(at(&start) - SignedDuration::from_hours(1));
    pass(&app.kabinet, &mailer).await;
    assert!(reminders(&sink).is_empty());
}

#[tokio::test]
async fn a_one_time_booking_with_an_address_is_reminded_without_a_cabinet_to_point_to() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let sink = SmtpSink::start();
        let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
        let (specialist, starts) = free_starts(&app).await;
        let start = start_after(&app, &starts, 50, 0);
        let booking = json!({
            "specialist_id": specialist,
            "start": start,
            "patient": {
                "last_name": "Смирнов", "first_name": "Алексей", "birth_date": "1979-03-02",
                "phone": "+79005557001", "email": "smirnov@example.ru"
            },
            "consents": {"personal_data": true, "calls": false}
        });
        let made = app.post_json("/api/v1/bookings", &booking).await;
        assert_eq!(made.status, 201, "{b}: {}", made.body);
        app.clock.set(at(&start) - SignedDuration::from_hours(24));
        pass(&app.kabinet, &mailer).await;
        let sent = reminders(&sink);
        assert_eq!(sent.len(), 1, "{b}");
        assert_eq!(
            (sent[0].to.as_str(), sent[0].subject.clone()),
            ("smirnov@example.ru", subject_of(&start))
        );
        assert!(sent[0].body.contains("позвоните нам"), "{b}: {}", sent[0].body);
        assert!(!sent[0].body.contains("/cabinet"), "{b}: no cabinet to point to");
    }
}

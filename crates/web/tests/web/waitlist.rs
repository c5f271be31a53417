//! Issue 12, point 5: the fair waiting list, on both databases, with the clock moved instead of
//! sleeping and the offers' letters delivered to a real SMTP server on loopback. A freed time
//! is held for the first in line, hidden from and refused to everyone else, handed to the next
//! when the hold runs out or the patient leaves, and booked in one click; an access level that
//! cannot hold one more visit is passed over; two instances send an offer once. The letter
//! names no doctor or service (323-FZ art. 13).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::AuditAction;
use kabinet_core::visit::VisitSource;
use kabinet_service::mail::Mailer;
use kabinet_service::{Kabinet, Settings};
use kabinet_store::audit::AuditFilter;
use kabinet_store::visits::NewVisit;
use kabinet_testkit::{ReceivedMail, SmtpSink};
use serde_json::{Value, json};

use crate::cabinet::signed_in_with_token;
use crate::common::TestApp;

const FROM: &str = "Клиника «Ясень» <noreply@yasen.example>";
const SUBJECT: &str = "Освободилось время для записи — Клиника «Ясень»";

/// A day at least two days ahead on which the specialist works, and its free times
/// (start, end), every one booked by a filler patient: the specialist is fully booked that
/// day. Returns the day and the fillers' visits (id, start as the API writes it).
struct FullDay {
    specialist: i64,
    day: String,
    visits: Vec<(i64, String)>,
    filler: String,
}

async fn fully_booked_day(app: &TestApp) -> FullDay {
    let (specialist, first) = app.bookable(0).await;
    let tz = jiff::tz::TimeZone::get("Europe/Moscow").unwrap();
    let mut day = Timestamp::from_second(first).unwrap().to_zoned(tz).date();
    let mut slots = Vec::new();
    for _ in 0..10 {
        day = day.tomorrow().unwrap();
        let answer =
            app.get(&format!("/api/v1/specialists/{specialist}/slots?from={day}&to={day}")).await;
        slots = answer.json()["items"].as_array().unwrap().clone();
        if !slots.is_empty() && day >= app.kabinet.today().tomorrow().unwrap().tomorrow().unwrap() {
            break;
        }
    }
    assert!(!slots.is_empty(), "a working day ahead");
    let (_, filler) = signed_in_with_token(app, "filler@example.ru", "+79005550200").await;
    let filler_id =
        app.db.store.account_by_login("filler@example.ru").await.unwrap().unwrap().patient_id;
    let mut visits = Vec::new();
    for slot in &slots {
        let start: Timestamp = slot["start"].as_str().unwrap().parse().unwrap();
        let end: Timestamp = slot["end"].as_str().unwrap().parse().unwrap();
        let visit = NewVisit {
            patient_id: filler_id,
            specialist_id: specialist,
            starts_at: start.as_second(),
            ends_at: end.as_second(),
            code: format!("F{}", visits.len()),
            price: None,
            source: VisitSource::Cabinet,
            max_active: 1000,
            actor: Actor::Patient(filler_id),
            notice: None,
            origin: Origin::default(),
            now: app.kabinet.now().as_second(),
        };
        let booked = app.db.store.book_visit(&visit).await.unwrap();
        visits.push((booked.id, slot["start"].as_str().unwrap().to_owned()));
    }
    FullDay { specialist, day: day.to_string(), visits, filler }
}

async fn join(app: &TestApp, token: &str, full: &FullDay) -> (u16, Value) {
    let body = json!({"specialist_id": full.specialist, "from": full.day, "to": full.day});
    let answer = app.api("POST", "/api/v1/me/waitlist", token, Some(&body)).await;
    (answer.status.as_u16(), answer.json())
}

async fn entry(app: &TestApp, token: &str, id: i64) -> Value {
    let answer = app.api("GET", &format!("/api/v1/me/waitlist/{id}"), token, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

async fn cancel(app: &TestApp, token: &str, visit: i64) {
    let uri = format!("/api/v1/me/visits/{visit}/cancel");
    let answer = app.api("POST", &uri, token, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// The free starts another patient is shown on the day.
async fn shown_free(app: &TestApp, full: &FullDay) -> Vec<String> {
    let day = &full.day;
    let uri = format!("/api/v1/specialists/{}/slots?from={day}&to={day}", full.specialist);
    let items = app.get(&uri).await.json()["items"].as_array().unwrap().clone();
    items.iter().map(|s| s["start"].as_str().unwrap().to_owned()).collect()
}

/// One worker pass: offer freed times, deliver the outbox.
async fn pass(kabinet: &Kabinet, mailer: &Mailer) {
    kabinet.offer_waitlist_times().await.unwrap();
    kabinet.deliver_due(mailer).await.unwrap();
}

fn offers(sink: &SmtpSink) -> Vec<ReceivedMail> {
    sink.messages().into_iter().filter(|m| m.subject.starts_with("Освободилось")).collect()
}

async fn audited(app: &TestApp, action: AuditAction) -> usize {
    let filter = AuditFilter { action: Some(action), limit: 100, ..AuditFilter::default() };
    app.db.store.audit_log(&filter).await.unwrap().len()
}

#[tokio::test]
async fn a_freed_time_is_held_for_the_first_in_line_then_handed_on_and_booked() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let sink = SmtpSink::start();
        let mailer = Arc::new(Mailer::smtp(&sink.url(), FROM).unwrap());
        let full = fully_booked_day(&app).await;
        let (_, first) = signed_in_with_token(&app, "first@example.ru", "+79005550201").await;
        let (_, second) = signed_in_with_token(&app, "second@example.ru", "+79005550202").await;
        let (_, other) = signed_in_with_token(&app, "other@example.ru", "+79005550203").await;

        let (status, a) = join(&app, &first, &full).await;
        assert_eq!(status, 201, "{b}: {a}");
        assert_eq!(a["status"], "waiting", "{b}");
        assert_eq!(a["offer"], Value::Null, "{b}");
        assert_eq!((a["from"].as_str(), a["to"].as_str()), (Some(&*full.day), Some(&*full.day)));
        let (status, again) = join(&app, &first, &full).await;
        assert_eq!((status, again["error"]["code"].as_str()), (409, Some("already_waiting")));
        let (status, b_entry) = join(&app, &second, &full).await;
        assert_eq!(status, 201, "{b}: {b_entry}");
        assert_eq!(audited(&app, AuditAction::WaitlistJoin).await, 2, "{b}");

        // Fully booked: nothing to offer.
        pass(&app.kabinet, &mailer).await;
        assert!(offers(&sink).is_empty(), "{b}");

        // A visit is cancelled: the first in line has the time held, once, across repeated
        // passes. (This instance's pass first: an SQLite file tells no other instance of a
        // change, and the pages below read this one's free time.)
        let (freed_id, freed) = full.visits[1].clone();
        cancel(&app, &full.filler, freed_id).await;
        pass(&app.kabinet, &mailer).await;
        for _ in 0..3 {
            tokio::join!(pass(&app.kabinet, &mailer), pass(&app.kabinet, &mailer));
        }
        let sent = offers(&sink);
        assert_eq!(sent.len(), 1, "{b}: exactly once: {sent:?}");
        assert_eq!((sent[0].to.as_str(), sent[0].subject.as_str()), ("first@example.ru", SUBJECT));
        let doctor = a["specialist_name"].as_str().unwrap();
        assert!(!sent[0].body.contains(doctor), "{b}: no doctor in the letter");
        assert!(!sent[0].body.contains("Врач") && !sent[0].body.contains("Услуга"), "{b}");
        assert!(sent[0].body.contains("/cabinet/waitlist/"), "{b}: {}", sent[0].body);
        let a_id = a["id"].as_i64().unwrap();
        let held = entry(&app, &first, a_id).await;
        let held_start = held["offer"]["start"].as_str().unwrap().to_owned();
        assert_eq!(held_start.parse::<Timestamp>().unwrap(), freed.parse::<Timestamp>().unwrap());
        let messages = app.api("GET", "/api/v1/me/messages", &first, None).await.json();
        let subjects: Vec<&str> = messages["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["subject"].as_str())
            .collect();
        assert!(subjects.contains(&"Освободилось время для записи"), "{b}: {messages}");
        assert_eq!(audited(&app, AuditAction::WaitlistOffer).await, 1, "{b}");

        // Held: nobody else sees it or can book it.
        assert!(!shown_free(&app, &full).await.contains(&freed), "{b}: hidden from others");
        let body = json!({"specialist_id": full.specialist, "start": freed});
        let taken = app.api("POST", "/api/v1/me/visits", &other, Some(&body)).await;
        assert_eq!(taken.status, 409, "{b}: {}", taken.body);
        assert_eq!(taken.json()["error"]["code"], "slot_taken", "{b}");

        // The hold runs out unused: the first stays in line, the next gets the time.
        app.clock.advance(SignedDuration::from_mins(15));
        pass(&app.kabinet, &mailer).await;
        let missed = entry(&app, &first, a_id).await;
        assert_eq!((missed["status"].as_str(), &missed["offer"]), (Some("waiting"), &Value::Null));
        let b_id = b_entry["id"].as_i64().unwrap();
        let handed = entry(&app, &second, b_id).await;
        assert_eq!(handed["offer"]["start"].as_str(), Some(held_start.as_str()), "{b}: {handed}");
        let sent = offers(&sink);
        assert_eq!(sent.len(), 2, "{b}");
        assert_eq!(sent[1].to, "second@example.ru", "{b}");
        let refused = app.api("POST", "/api/v1/me/visits", &first, Some(&body)).await;
        assert_eq!(refused.status, 409, "{b}: the first's hold is over: {}", refused.body);

        // The second books it with the cabinet's booking (the API's, here).
        let booked = app.api("POST", "/api/v1/me/visits", &second, Some(&body)).await;
        assert_eq!(booked.status, 201, "{b}: {}", booked.body);
        let closed = entry(&app, &second, b_id).await;
        assert_eq!((closed["status"].as_str(), &closed["offer"]), (Some("booked"), &Value::Null));
        assert_eq!(audited(&app, AuditAction::WaitlistBook).await, 1, "{b}");
        app.clock.advance(SignedDuration::from_mins(30));
        pass(&app.kabinet, &mailer).await;
        assert_eq!(offers(&sink).len(), 2, "{b}: nothing more to offer");
    }
}

#[tokio::test]
async fn leaving_lets_the_time_go_to_the_next_at_once_and_places_are_private() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let sink = SmtpSink::start();
        let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
        let full = fully_booked_day(&app).await;
        let (_, first) = signed_in_with_token(&app, "first@example.ru", "+79005550211").await;
        let (_, second) = signed_in_with_token(&app, "second@example.ru", "+79005550212").await;
        let (_, third) = signed_in_with_token(&app, "third@example.ru", "+79005550213").await;
        let a = join(&app, &first, &full).await.1["id"].as_i64().unwrap();
        let b_id = join(&app, &second, &full).await.1["id"].as_i64().unwrap();

        // Another patient's place is not found, to read or to leave.
        let uri = format!("/api/v1/me/waitlist/{a}");
        assert_eq!(app.api("GET", &uri, &second, None).await.status, 404, "{b}");
        assert_eq!(app.api("DELETE", &uri, &second, None).await.status, 404, "{b}");
        let list = app.api("GET", "/api/v1/me/waitlist", &second, None).await.json();
        let ids: Vec<i64> =
            list["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [b_id], "{b}");

        join(&app, &third, &full).await;

        // Two instances on one database pass at once, again and again: one offer, one letter.
        cancel(&app, &full.filler, full.visits[0].0).await;
        let second_instance = Kabinet::new(
            app.db.second_instance().await,
            app.clock.clone(),
            (*app.kabinet.settings).clone(),
        );
        for _ in 0..3 {
            tokio::join!(pass(&app.kabinet, &mailer), pass(&second_instance, &mailer));
        }
        assert_eq!(offers(&sink).len(), 1, "{b}: exactly once");
        assert!(entry(&app, &first, a).await["offer"].is_object(), "{b}");
        let left = app.api("DELETE", &uri, &first, None).await;
        assert_eq!(left.status, 204, "{b}: {}", left.body);
        assert_eq!(entry(&app, &first, a).await["status"], "left", "{b}");
        assert_eq!(app.api("DELETE", &uri, &first, None).await.status, 204, "{b}: again");
        assert_eq!(audited(&app, AuditAction::WaitlistLeave).await, 1, "{b}");

        // No clock moved: the next pass hands the time to the second at once.
        pass(&app.kabinet, &mailer).await;
        assert!(entry(&app, &second, b_id).await["offer"].is_object(), "{b}");
        let to: Vec<String> = offers(&sink).into_iter().map(|m| m.to).collect();
        assert_eq!(to, ["first@example.ru", "second@example.ru"], "{b}");
    }
}

#[tokio::test]
async fn an_access_level_that_cannot_hold_another_visit_is_passed_over() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let sink = SmtpSink::start();
        let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
        let full = fully_booked_day(&app).await;
        // Unconfirmed access holds one planned visit: this patient has it already.
        let (_, holding) = signed_in_with_token(&app, "holding@example.ru", "+79005550221").await;
        let (_, free) = signed_in_with_token(&app, "free@example.ru", "+79005550222").await;
        let (specialist, start) = app.bookable(1).await;
        let start = Timestamp::from_second(start).unwrap().to_string();
        let body = json!({"specialist_id": specialist, "start": start});
        let booked = app.api("POST", "/api/v1/me/visits", &holding, Some(&body)).await;
        assert_eq!(booked.status, 201, "{b}: {}", booked.body);
        let first = join(&app, &holding, &full).await.1["id"].as_i64().unwrap();
        let second = join(&app, &free, &full).await.1["id"].as_i64().unwrap();

        cancel(&app, &full.filler, full.visits[0].0).await;
        pass(&app.kabinet, &mailer).await;
        assert_eq!(entry(&app, &holding, first).await["offer"], Value::Null, "{b}");
        assert!(entry(&app, &free, second).await["offer"].is_object(), "{b}");
        let to: Vec<String> = offers(&sink).into_iter().map(|m| m.to).collect();
        assert_eq!(to, ["free@example.ru"], "{b}");
    }
}

#[tokio::test]
async fn joining_checks_the_days_against_today_and_the_horizon() {
    let app = TestApp::sqlite().await;
    let (_, token) = signed_in_with_token(&app, "dates@example.ru", "+79005550231").await;
    let (specialist, _) = app.bookable(0).await;
    let today = app.kabinet.today();
    let post = |from: String, to: String| {
        let body = json!({"specialist_id": specialist, "from": from, "to": to});
        let app = &app;
        let token = token.clone();
        async move { app.api("POST", "/api/v1/me/waitlist", &token, Some(&body)).await }
    };
    let yesterday = today.yesterday().unwrap().to_string();
    let far = today.checked_add(jiff::ToSpan::days(60)).unwrap().to_string();
    for (from, to, field) in [
        (yesterday.clone(), today.to_string(), "from"),
        (today.to_string(), far.clone(), "to"),
        ("soon".to_owned(), today.to_string(), "from"),
        (today.tomorrow().unwrap().to_string(), today.to_string(), "to"),
    ] {
        let answer = post(from.clone(), to.clone()).await;
        assert_eq!(answer.status, 422, "{from}..{to}: {}", answer.body);
        assert!(answer.json()["error"]["fields"][field].is_string(), "{from}..{to}");
    }
    let body =
        json!({"specialist_id": 999_999, "from": today.to_string(), "to": today.to_string()});
    let unknown = app.api("POST", "/api/v1/me/waitlist", &token, Some(&body)).await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let made = post(today.to_string(), today.to_string()).await;
    assert_eq!(made.status, 201, "{}", made.body);
}

#[tokio::test]
async fn the_cabinet_joins_shows_and_books_the_held_time_and_staff_see_the_line() {
    let settings = Settings { waitlist_hold: SignedDuration::from_mins(10), ..Settings::default() };
    for db in kabinet_testkit::TestDb::each_backend().await {
        let app = TestApp::with_settings(db, settings.clone()).await;
        let mailer = Mailer::smtp(&SmtpSink::start().url(), FROM).unwrap();
        let full = fully_booked_day(&app).await;
        let (cookie, _) = signed_in_with_token(&app, "page@example.ru", "+79005550241").await;

        // The specialist's page offers the list for a fully booked week… (days as the form
        // sends them; the page itself is the browser test's).
        let day = &full.day;
        let uri =
            format!("/cabinet/waitlist/new/{}?service=0&from={day}&to={day}", full.specialist);
        let form = app.get_with_cookie(&uri, Some(&cookie)).await;
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(form.body.contains("Встать в лист ожидания"), "{}", form.body);
        assert!(form.body.contains(&format!(r#"value="{day}""#)), "the days are filled in");
        let csrf = form.csrf();
        let specialist = full.specialist.to_string();
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("specialist_id", specialist.as_str()),
            ("service_id", ""),
            ("from", day.as_str()),
            ("to", "2020-01-01"),
        ];
        let bad = app.post_form_with_cookie("/cabinet/waitlist", Some(&cookie), &fields).await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("Дата не может быть раньше сегодняшней."), "{}", bad.body);
        assert!(bad.body.contains(&format!(r#"value="{day}""#)), "the form keeps what was typed");
        fields[4] = ("to", day.as_str());
        let joined = app.post_form_with_cookie("/cabinet/waitlist", Some(&cookie), &fields).await;
        assert_eq!(joined.location(), "/cabinet/waitlist?done=joined", "{}", joined.body);
        let again = app.post_form_with_cookie("/cabinet/waitlist", Some(&cookie), &fields).await;
        assert_eq!(again.status, 409);
        assert!(again.body.contains("Вы уже в листе ожидания"), "{}", again.body);
        let list = app.get_with_cookie("/cabinet/waitlist?done=joined", Some(&cookie)).await;
        assert!(list.body.contains("Ждёт свободного времени"), "{}", list.body);
        assert!(list.body.contains("на 10 мин."), "the hold's setting: {}", list.body);

        cancel(&app, &full.filler, full.visits[0].0).await;
        pass(&app.kabinet, &mailer).await;
        let id = list.body.split("/cabinet/waitlist/").nth(1).unwrap().split('"').next().unwrap();
        let page = app.get_with_cookie(&format!("/cabinet/waitlist/{id}"), Some(&cookie)).await;
        assert!(page.body.contains("Время для вас"), "{}", page.body);
        assert!(page.body.contains("Записаться на это время"), "{}", page.body);

        // Staff see the line with the state and the time held.
        let admin = crate::staff::administrator(&app).await;
        let registrar = crate::staff::registrar(&app, &admin).await;
        let staff = app.get_with_cookie("/staff/waitlist", Some(&registrar)).await;
        assert_eq!(staff.status, 200, "{}", staff.body);
        assert!(staff.body.contains("Соколова Анна Павловна"), "{}", staff.body);
        assert!(staff.body.contains("предложено время"), "{}", staff.body);
        assert!(staff.body.contains("держим до"), "{}", staff.body);

        let book = format!("/cabinet/waitlist/{id}/book");
        let csrf = page.csrf();
        let booked = app.post_form_with_cookie(&book, Some(&cookie), &[("csrf", &csrf)]).await;
        assert_eq!(booked.location(), "/cabinet?done=booked", "{}", booked.body);
        let list = app.get_with_cookie("/cabinet/waitlist", Some(&cookie)).await;
        assert!(list.body.contains("Вы записались"), "{}", list.body);
        let cabinet = app.get_with_cookie("/cabinet", Some(&cookie)).await;
        assert!(cabinet.body.contains("/cabinet/visits/"), "a planned visit");
        let staff = app.get_with_cookie("/staff/waitlist", Some(&registrar)).await;
        assert!(staff.body.contains("записался"), "{}", staff.body);
    }
}

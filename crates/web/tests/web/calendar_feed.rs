//! The private calendar feed (B8), request by request on both databases: the cabinet makes
//! the address and shows it once, the feed lists the patient's visits (cancelled ones as
//! such, past ones for 90 days, by the moved clock), says only the clinic's name until the
//! patient asks for more, and stops at once when replaced, revoked or the account is blocked.
//! The API makes it on the first call; Python's `icalendar` reads what it serves.

use std::io::Write;

use kabinet_core::audit::AuditAction;
use kabinet_core::lang::Lang;
use kabinet_store::audit::AuditFilter;
use serde_json::json;

use crate::cabinet::{PASSWORD, sign_in, signed_in};
use crate::common::{TestApp, TestResponse};

async fn get(app: &TestApp, uri: &str, cookie: &str) -> TestResponse {
    app.get_with_cookie(uri, Some(cookie)).await
}

async fn post(app: &TestApp, uri: &str, cookie: &str, form: &[(&str, &str)]) -> TestResponse {
    app.post_form_with_cookie(uri, Some(cookie), form).await
}

/// The CSRF token of the signed-in patient's forms.
async fn csrf(app: &TestApp, cookie: &str) -> String {
    get(app, "/cabinet/calendar", cookie).await.csrf()
}

/// Books the `nth` free time next week of the first bookable specialist in the cabinet; the
/// visit's id and code.
async fn book(app: &TestApp, cookie: &str, nth: usize) -> (i64, String) {
    let (specialist, _) = app.bookable(0).await;
    let week = app.kabinet.specialist_page(specialist, 1, None, Lang::Ru).await.unwrap();
    let start = week.days.iter().flat_map(|d| &d.slots).nth(nth).unwrap().start.as_second();
    let token = csrf(app, cookie).await;
    let form = [
        ("csrf", token.as_str()),
        ("specialist", &specialist.to_string()),
        ("start", &start.to_string()),
    ];
    let booked = post(app, "/cabinet/visits", cookie, &form).await;
    assert_eq!(booked.location(), "/cabinet?done=booked", "{}", booked.body);
    let visits = visits_json(app, cookie).await;
    let visit = visits
        .iter()
        .find(|v| {
            v["start"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap().as_second() == start
        })
        .unwrap();
    (visit["id"].as_i64().unwrap(), visit["code"].as_str().unwrap().to_owned())
}

/// The patient's visits as the API answers them to the session cookie.
async fn visits_json(app: &TestApp, cookie: &str) -> Vec<serde_json::Value> {
    let answer = get(app, "/api/v1/me/visits", cookie).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["items"].as_array().unwrap().clone()
}

/// The path of the feed's address shown on a page (`/calendar/<secret>.ics`), checking that
/// the page shows it as `webcal://` too.
fn feed_path(page: &TestResponse) -> String {
    let https = page.body.split("http://127.0.0.1:8080/calendar/").nth(1).expect("the address");
    let secret = &https[..32];
    assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()), "{secret}");
    assert!(
        page.body.contains(&format!("webcal://127.0.0.1:8080/calendar/{secret}.ics")),
        "the webcal link"
    );
    format!("/calendar/{secret}.ics")
}

/// The feed's text with its folded lines joined again, after checking that every line ends
/// in CRLF and holds at most 75 octets.
fn unfolded(feed: &TestResponse) -> String {
    assert!(feed.body.ends_with("\r\n"), "CRLF at the end");
    for line in feed.body.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(!line.contains('\n'), "a bare LF in {line}");
    }
    feed.body.replace("\r\n ", "")
}

async fn audited(app: &TestApp, action: AuditAction) -> usize {
    let filter = AuditFilter { action: Some(action), limit: 100, ..AuditFilter::default() };
    app.db.store.audit_log(&filter).await.unwrap().len()
}

#[tokio::test]
async fn a_patient_subscribes_sees_the_address_once_and_the_feed_follows_the_visits() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let cookie = signed_in(&app, "feed@example.ru", "+79005550601").await;
        let (cancelled_id, cancelled_code) = book(&app, &cookie, 0).await;
        let token = csrf(&app, &cookie).await;
        let cancel = format!("/cabinet/visits/{cancelled_id}/cancel");
        let done = post(&app, &cancel, &cookie, &[("csrf", &token)]).await;
        assert_eq!(done.status, 303, "{b}: {}", done.body);
        let (_, booked_code) = book(&app, &cookie, 1).await;

        let page = get(&app, "/cabinet/calendar", &cookie).await;
        assert_eq!(page.status, 200, "{b}");
        assert_eq!(page.headers["cache-control"], "no-store");
        assert!(page.body.contains("Подписка не подключена"), "{b}");
        assert!(page.body.contains(r#"aria-current="page">Календарь<"#), "{b}: its tab");
        assert!(!page.body.contains("127.0.0.1:8080/calendar/"), "{b}: no address yet");

        let forged = post(&app, "/cabinet/calendar", &cookie, &[("csrf", "forged")]).await;
        assert_eq!(forged.status, 403, "{b}: a form without the session's token");
        let made = post(&app, "/cabinet/calendar", &cookie, &[("csrf", &token)]).await;
        assert_eq!(made.status, 200, "{b}: {}", made.body);
        assert_eq!(made.headers["cache-control"], "no-store");
        assert!(made.body.contains("Адрес показан один раз"), "{b}");
        let path = feed_path(&made);
        assert_eq!(audited(&app, AuditAction::CalendarFeedCreate).await, 1, "{b}");

        // Later the page says a feed is live, never its address.
        let page = get(&app, "/cabinet/calendar", &cookie).await;
        assert!(page.body.contains("Подписка подключена 23 ноября 2026"), "{b}: {}", page.body);
        assert!(page.body.contains("Календарь ещё не обращался"), "{b}");
        assert!(!page.body.contains(&path), "{b}: the address is shown once");

        // A calendar reads it with no cookie.
        let feed = app.get(&path).await;
        assert_eq!(feed.status, 200, "{b}");
        assert_eq!(feed.headers["content-type"], "text/calendar; charset=utf-8");
        assert_eq!(feed.headers["cache-control"], "no-store");
        assert!(feed.headers.get("set-cookie").is_none(), "{b}: no cookie");
        let text = unfolded(&feed);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{b}: {text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2, "{b}: {text}");
        assert!(text.contains(&format!("UID:visit-{cancelled_code}@127.0.0.1:8080")), "{b}");
        assert!(text.contains(&format!("UID:visit-{booked_code}@127.0.0.1:8080")), "{b}");
        assert!(text.contains("SUMMARY:Приём в клинике «Ясень»\r\n"), "{b}: {text}");
        assert!(text.contains("SUMMARY:Приём в клинике «Ясень» (отменён)\r\n"), "{b}");
        assert_eq!(text.matches("STATUS:CANCELLED").count(), 1, "{b}");
        assert_eq!(text.matches("STATUS:CONFIRMED").count(), 1, "{b}");
        let visits = visits_json(&app, &cookie).await;
        let specialist = visits[0]["specialist_name"].as_str().unwrap().to_owned();
        assert!(!specialist.is_empty() && !text.contains(&specialist), "{b}: neutral by default");
        assert!(!text.contains("Услуга") && !text.contains("Стоимость"), "{b}: {text}");
        // The same UIDs on every read.
        let again = unfolded(&app.get(&path).await);
        let uids = |t: &str| {
            t.lines().filter(|l| l.starts_with("UID:")).map(str::to_owned).collect::<Vec<_>>()
        };
        assert_eq!(uids(&text), uids(&again), "{b}");
        let page = get(&app, "/cabinet/calendar", &cookie).await;
        assert!(page.body.contains("Календарь обновлялся 23 ноября 2026"), "{b}");

        // The patient asks for the specialist and the service.
        let show = [("csrf", token.as_str()), ("show_details", "yes")];
        let saved = post(&app, "/cabinet/calendar/details", &cookie, &show).await;
        assert_eq!(saved.location(), "/cabinet/calendar?done=details", "{b}");
        assert_eq!(audited(&app, AuditAction::CalendarFeedDetails).await, 1, "{b}");
        let page = get(&app, "/cabinet/calendar?done=details", &cookie).await;
        assert!(page.body.contains(r#"value="yes" checked"#), "{b}");
        let text = unfolded(&app.get(&path).await);
        assert!(text.contains(&format!("SUMMARY:Приём: {specialist}\r\n")), "{b}: {text}");
        assert!(text.contains("Услуга: ") && text.contains("Стоимость: "), "{b}: {text}");
        let same = post(&app, "/cabinet/calendar/details", &cookie, &show).await;
        assert_eq!(same.status, 303, "{b}");
        assert_eq!(audited(&app, AuditAction::CalendarFeedDetails).await, 1, "{b}: no change");

        // 91 days after next week's visits, they have left the feed.
        app.clock.advance(jiff::SignedDuration::from_hours(24 * 100));
        let text = unfolded(&app.get(&path).await);
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 0, "{b}: {text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{b}");

        // Replaced: the old address is gone at once, the new one works.
        let cookie = sign_in(&app, "feed@example.ru", PASSWORD).await;
        let token = csrf(&app, &cookie).await;
        let replaced = post(&app, "/cabinet/calendar", &cookie, &[("csrf", &token)]).await;
        assert!(replaced.body.contains("Адрес заменён"), "{b}");
        let new_path = feed_path(&replaced);
        assert_ne!(new_path, path, "{b}");
        assert_eq!(app.get(&path).await.status, 404, "{b}: the old address");
        assert_eq!(app.get(&new_path).await.status, 200, "{b}");
        assert_eq!(audited(&app, AuditAction::CalendarFeedReplace).await, 1, "{b}");

        // Revoked: 404, as for any address that never was.
        let revoked = post(&app, "/cabinet/calendar/revoke", &cookie, &[("csrf", &token)]).await;
        assert_eq!(revoked.location(), "/cabinet/calendar?done=revoked", "{b}");
        let gone = app.get(&new_path).await;
        let never = app.get("/calendar/0123456789abcdef0123456789abcdef.ics").await;
        assert_eq!((gone.status.as_u16(), never.status.as_u16()), (404, 404), "{b}");
        assert_eq!(gone.body, never.body, "{b}: no hint which");
        assert_eq!(app.get("/calendar/x.ics").await.status, 404, "{b}");
        assert_eq!(app.get("/calendar/..%2F..%2Fetc.ics").await.status, 404, "{b}");
        assert_eq!(audited(&app, AuditAction::CalendarFeedRevoke).await, 1, "{b}");
        let page = get(&app, "/cabinet/calendar?done=revoked", &cookie).await;
        assert!(page.body.contains("Подписка отключена"), "{b}");
        assert!(page.body.contains(r#"value="yes" checked"#), "{b}: the choice stays");
    }
}

#[tokio::test]
async fn the_feed_of_a_blocked_account_and_another_patients_feed_are_not_served() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let cookie = signed_in(&app, "blocked@example.ru", "+79005550602").await;
        let other = signed_in(&app, "other@example.ru", "+79005550603").await;
        let (_, code) = book(&app, &cookie, 0).await;
        let token = csrf(&app, &cookie).await;
        let path = feed_path(&post(&app, "/cabinet/calendar", &cookie, &[("csrf", &token)]).await);
        let other_token = csrf(&app, &other).await;
        let other_made = post(&app, "/cabinet/calendar", &other, &[("csrf", &other_token)]).await;
        let other_feed = unfolded(&app.get(&feed_path(&other_made)).await);
        assert!(!other_feed.contains(&code), "{b}: only the patient's own visits");
        assert_eq!(other_feed.matches("BEGIN:VEVENT").count(), 0, "{b}");

        assert_eq!(app.get(&path).await.status, 200, "{b}");
        let lost = post(&app, "/cabinet/lost", &cookie, &[("csrf", &token)]).await;
        assert_eq!(lost.status, 303, "{b}: {}", lost.body);
        assert_eq!(app.get(&path).await.status, 404, "{b}: a blocked account's feed");
        // Revoked with the block, not only hidden: a new password does not bring it back.
        let filter = AuditFilter {
            action: Some(AuditAction::AccountBlock),
            limit: 1,
            ..AuditFilter::default()
        };
        let block = &app.db.store.audit_log(&filter).await.unwrap()[0];
        let details: serde_json::Value = serde_json::from_str(&block.details).unwrap();
        assert_eq!(details["calendar_feed_revoked"], true, "{b}: {details}");
    }
}

#[tokio::test]
async fn the_api_makes_the_feed_on_the_first_call_and_revokes_it() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let cookie = signed_in(&app, "api-feed@example.ru", "+79005550604").await;
        book(&app, &cookie, 0).await;
        let session = json!({"login": "api-feed@example.ru", "password": PASSWORD});
        let token = app.post_json("/api/v1/session", &session).await.json()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(app.get("/api/v1/me/calendar").await.status, 401, "{b}");

        let first = app.api("GET", "/api/v1/me/calendar", &token, None).await;
        assert_eq!(first.status, 200, "{b}: {}", first.body);
        let first = first.json();
        let url = first["url"].as_str().unwrap().to_owned();
        assert!(url.starts_with("http://127.0.0.1:8080/calendar/") && url.ends_with(".ics"));
        assert_eq!(first["webcal_url"], url.replace("http://", "webcal://"), "{b}");
        assert_eq!(first["created_at"], "2026-11-23T09:00:00+03:00", "{b}");
        assert_eq!(
            (&first["last_fetched_at"], &first["show_details"]),
            (&json!(null), &json!(false))
        );
        let path = url.trim_start_matches("http://127.0.0.1:8080").to_owned();
        let feed = app.get(&path).await;
        assert_eq!(feed.status, 200, "{b}");
        assert_eq!(unfolded(&feed).matches("BEGIN:VEVENT").count(), 1, "{b}");

        // A later read keeps the feed (a subscribed calendar goes on working) and cannot say
        // its address again.
        app.clock.advance(jiff::SignedDuration::from_mins(5));
        let later = app.api("GET", "/api/v1/me/calendar", &token, None).await.json();
        assert_eq!((&later["url"], &later["webcal_url"]), (&json!(null), &json!(null)), "{b}");
        assert_eq!(later["created_at"], first["created_at"], "{b}");
        assert_eq!(later["last_fetched_at"], "2026-11-23T09:00:00+03:00", "{b}");
        assert_eq!(app.get(&path).await.status, 200, "{b}");
        assert_eq!(audited(&app, AuditAction::CalendarFeedCreate).await, 1, "{b}");

        let revoked = app.api("DELETE", "/api/v1/me/calendar", &token, None).await;
        assert_eq!(revoked.status, 204, "{b}: {}", revoked.body);
        assert_eq!(app.get(&path).await.status, 404, "{b}");
        let again = app.api("DELETE", "/api/v1/me/calendar", &token, None).await;
        assert_eq!(again.status, 204, "{b}: revoking nothing is no error");
        assert_eq!(audited(&app, AuditAction::CalendarFeedRevoke).await, 1, "{b}");

        let renewed = app.api("GET", "/api/v1/me/calendar", &token, None).await.json();
        let new_url = renewed["url"].as_str().unwrap();
        assert_ne!(new_url, url, "{b}");
        assert_eq!(app.get(new_url.trim_start_matches("http://127.0.0.1:8080")).await.status, 200);
    }
}

#[tokio::test]
async fn python_icalendar_reads_the_feed_with_every_visit_and_the_cancelled_one() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let cookie = signed_in(&app, "ical@example.ru", "+79005550605").await;
        let (cancelled, cancelled_code) = book(&app, &cookie, 0).await;
        let token = csrf(&app, &cookie).await;
        let cancel = format!("/cabinet/visits/{cancelled}/cancel");
        assert_eq!(post(&app, &cancel, &cookie, &[("csrf", &token)]).await.status, 303);
        let (_, booked_code) = book(&app, &cookie, 1).await;
        let path = feed_path(&post(&app, "/cabinet/calendar", &cookie, &[("csrf", &token)]).await);
        let feed = app.get(&path).await;

        let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
problems = [(c.name, c.errors) for c in cal.walk() if c.errors]
assert not problems, problems
for event in cal.walk("VEVENT"):
    print(event["UID"], event["STATUS"], event["SUMMARY"], event.decoded("DTSTART").isoformat())
"#;
        let mut python = std::process::Command::new(kabinet_testkit::python())
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        python.stdin.take().unwrap().write_all(feed.body.as_bytes()).unwrap();
        let out = python.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{b}: {}{stdout}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{b}: {stdout}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("visit-{cancelled_code}@"))
                    && l.contains(" CANCELLED ")),
            "{b}: {stdout}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("visit-{booked_code}@"))
                && l.contains(" CONFIRMED Приём в клинике «Ясень» ")),
            "{b}: {stdout}"
        );
        assert!(lines.iter().all(|l| l.ends_with("+00:00")), "{b}: UTC times: {stdout}");
    }
}

//! Issue 10, points 5 and 7: the booking flow says what happens (Back after booking shows the
//! visit, the booking window, the move that asks first), and the small texts (the unread
//! count in words, the sessions by device, one other session ended alone).

use kabinet_core::audit::AuditAction;
use kabinet_core::lang::Lang;
use kabinet_service::Settings;
use kabinet_store::audit::AuditFilter;
use kabinet_testkit::TestDb;

use crate::cabinet::{PASSWORD, signed_in};
use crate::common::{TestApp, TestResponse, booking_form};
use crate::staff::{administrator, csrf, post, registrar};

/// The hashes the security page offers to end, in the order listed.
fn other_sessions(page: &TestResponse) -> Vec<String> {
    page.body
        .split(r#"name="session" value=""#)
        .skip(1)
        .map(|tail| tail.split('"').next().unwrap().to_owned())
        .collect()
}

/// A second sign-in of the same account (another device): its session cookie.
async fn sign_in_again(app: &TestApp, login: &str, agent: &str) -> String {
    use axum::body::Body;
    use axum::http::{Request, header};
    let body = serde_urlencoded::to_string([("login", login), ("password", PASSWORD)]).unwrap();
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::USER_AGENT, agent)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    let done = app.send(request).await;
    assert_eq!(done.status, 303, "{}", done.body);
    done.cookie("session").unwrap()
}

const FIREFOX_ON_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";

#[tokio::test]
async fn a_patient_ends_one_other_session_and_keeps_this_one() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let here = signed_in(&app, "anna@example.ru", "+79005551201").await;
        let there = sign_in_again(&app, "anna@example.ru", FIREFOX_ON_WINDOWS).await;
        let stranger = signed_in(&app, "oleg@example.ru", "+79005551202").await;

        let page = app.get_with_cookie("/cabinet/security", Some(&here)).await;
        assert_eq!(page.status, 200, "{b}");
        assert!(page.body.contains("Firefox на Windows"), "{b}: the device by name");
        assert!(!page.body.contains("Gecko/20100101"), "{b}: not the raw user agent");
        let others = other_sessions(&page);
        assert_eq!(others.len(), 1, "{b}: only the other session has the button");
        let token = page.csrf();

        // This session is signing out, not "another session"; another account's is not ours.
        let stranger_page = app.get_with_cookie("/cabinet/security", Some(&stranger)).await;
        let own_hash = stranger_page.body.split("sessions/end-other").count();
        assert_eq!(own_hash, 1, "{b}: a single session offers nothing to end");
        let patient = app.db.store.account_by_login("oleg@example.ru").await.unwrap().unwrap();
        let theirs = app.db.store.sessions_of_account(patient.id).await.unwrap();
        let foreign = [("csrf", token.as_str()), ("session", theirs[0].token_hash.as_str())];
        let refused =
            app.post_form_with_cookie("/cabinet/sessions/end-other", Some(&here), &foreign).await;
        assert_eq!(refused.status, 404, "{b}: another account's session");
        let still = app.get_with_cookie("/cabinet", Some(&stranger)).await;
        assert_eq!(still.status, 200, "{b}: the stranger is still signed in");

        let form = [("csrf", token.as_str()), ("session", others[0].as_str())];
        let ended =
            app.post_form_with_cookie("/cabinet/sessions/end-other", Some(&here), &form).await;
        assert_eq!(
            (ended.status.as_u16(), ended.location()),
            (303, "/cabinet/security?done=ended"),
            "{b}"
        );
        let gone = app.get_with_cookie("/cabinet", Some(&there)).await;
        assert_eq!(gone.status, 303, "{b}: the other device is signed out");
        let page = app.get_with_cookie("/cabinet/security?done=ended", Some(&here)).await;
        assert_eq!(page.status, 200, "{b}: this session goes on");
        assert!(page.body.contains("Сеанс завершён"), "{b}");
        assert!(other_sessions(&page).is_empty(), "{b}");
        let again =
            app.post_form_with_cookie("/cabinet/sessions/end-other", Some(&here), &form).await;
        assert_eq!(again.status, 404, "{b}: ended once");

        let anna = app.db.store.account_by_login("anna@example.ru").await.unwrap().unwrap();
        let filter = AuditFilter {
            patient_id: Some(anna.patient_id),
            action: Some(AuditAction::SessionEndOther),
            limit: 10,
            ..AuditFilter::default()
        };
        let rows = app.db.store.audit_log(&filter).await.unwrap();
        assert_eq!(rows.len(), 1, "{b}: one audited end");
        assert_eq!(rows[0].object_id, Some(anna.id), "{b}");
        assert_eq!(rows[0].ip.as_deref(), Some("192.0.2.10"), "{b}");
    }
}

#[tokio::test]
async fn back_after_booking_shows_the_visit_only_to_the_browser_that_booked() {
    let app = TestApp::sqlite().await;
    let (id, start) = app.bookable(0).await;
    let (id, start) = (id.to_string(), start.to_string());
    let booked = app.post_form("/booking", &booking_form(&id, &start, "+79005551301")).await;
    assert_eq!(booked.status, 303);
    let receipt = booked.cookie("receipt").unwrap();
    let form_path = format!("/booking/new?specialist={id}&start={start}");

    let back = app.get_with_cookie(&form_path, Some(&receipt)).await;
    assert_eq!(back.status, 200);
    assert!(back.body.contains("Вы уже записаны"), "{}", back.body);
    assert!(!back.body.contains("Это время уже занято"));
    assert!(back.body.contains("href=\"/booking/done\""));
    let again = app
        .post_form_with_cookie(
            "/booking",
            Some(&receipt),
            &booking_form(&id, &start, "+79005551301"),
        )
        .await;
    assert!(again.body.contains("Вы уже записаны"), "the form sent again: {}", again.body);

    // Another browser with the same phone learns nothing about the visit (323-FZ art. 13).
    let other = app.post_form("/booking", &booking_form(&id, &start, "+79005551301")).await;
    assert_eq!(other.status, 409);
    assert!(other.body.contains("Это время уже занято. Выберите другое."));
    assert!(!other.body.contains("Вы уже записаны"));
    for page in [&back, &again, &other] {
        assert!(!page.body.contains("слот"), "no «слот» in the page");
    }
}

#[tokio::test]
async fn the_specialist_page_says_how_far_ahead_booking_is_open() {
    let app = TestApp::sqlite().await;
    let (id, _) = app.bookable(0).await;
    let page = app.get(&format!("/specialists/{id}")).await;
    assert!(page.body.contains("Запись открыта на 4 недели вперёд."), "{}", page.body);

    let settings = Settings { horizon_days: 10, ..Settings::default() };
    let app = TestApp::with_settings(TestDb::sqlite().await, settings).await;
    let page = app.get(&format!("/specialists/{id}")).await;
    assert!(page.body.contains("Запись открыта на 10 дней вперёд."), "{}", page.body);
}

#[tokio::test]
async fn the_unread_count_is_said_in_words_and_the_visit_limit_hides_booking_more() {
    let app = TestApp::sqlite().await;
    let admin = administrator(&app).await;
    let reg = registrar(&app, &admin).await;
    let cookie = signed_in(&app, "vera@example.ru", "+79005551401").await;
    let cabinet = app.get_with_cookie("/cabinet", Some(&cookie)).await;
    assert!(cabinet.body.contains(">1 непрочитанное<"), "the welcome: {}", cabinet.body);

    // Every visit the front desk books for the patient is one more message.
    let patient = app.db.store.account_by_login("vera@example.ru").await.unwrap().unwrap();
    let token = csrf(&app, &reg).await;
    let (specialist, _) = app.bookable(0).await;
    let week = app.kabinet.specialist_page(specialist, 1, None, Lang::Ru).await.unwrap();
    let starts: Vec<String> =
        week.days.iter().flat_map(|d| &d.slots).map(|s| s.start.as_second().to_string()).collect();
    let visits = format!("/staff/patients/{}/visits", patient.patient_id);
    let specialist = specialist.to_string();
    let book = |start: &str| {
        let form = [
            ("csrf", token.clone()),
            ("specialist", specialist.clone()),
            ("start", start.to_owned()),
        ];
        let (app, visits, reg) = (&app, &visits, &reg);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let made = post(app, visits, reg, &form).await;
            assert_eq!(made.status, 303, "{}", made.body);
        }
    };
    book(&starts[0]).await;
    let cabinet = app.get_with_cookie("/cabinet", Some(&cookie)).await;
    assert!(cabinet.body.contains(">2 непрочитанных<"), "{}", cabinet.body);
    // One visit is all an online registration holds: the page says so instead of the button.
    assert!(!cabinet.body.contains(">Записаться ещё</a>"), "{}", cabinet.body);
    assert!(cabinet.body.contains("Записаться ещё нельзя"), "{}", cabinet.body);

    for start in &starts[1..4] {
        book(start).await;
    }
    let cabinet = app.get_with_cookie("/cabinet", Some(&cookie)).await;
    assert!(cabinet.body.contains(">5 непрочитанных<"), "{}", cabinet.body);
}

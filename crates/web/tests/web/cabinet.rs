//! The cabinet in the browser, request by request: registration by the form, sign-in with a
//! session cookie, booking, moving and cancelling a visit, the inbox, CSRF, ownership of
//! every id, and the report of lost credentials.

use kabinet_core::lang::Lang;
use serde_json::json;

use crate::common::{TestApp, TestResponse};

pub(crate) const PASSWORD: &str = "лиловый дирижабль над рекой";

fn registration_form<'a>(login: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("last_name", "Соколова"),
        ("first_name", "Анна"),
        ("middle_name", "Павловна"),
        ("birth_date", "1990-02-03"),
        ("phone", phone),
        ("login", login),
        ("password", PASSWORD),
        ("password_repeat", PASSWORD),
        ("consent_personal_data", "yes"),
        ("consent_health_data", "yes"),
        ("accept_rules", "yes"),
    ]
}

/// A registered, signed-in patient: the cabinet's cookie and an API token.
pub(crate) async fn signed_in_with_token(
    app: &TestApp,
    login: &str,
    phone: &str,
) -> (String, String) {
    let cookie = signed_in(app, login, phone).await;
    let session =
        app.post_json("/api/v1/session", &json!({"login": login, "password": PASSWORD})).await;
    assert_eq!(session.status, 200, "{}", session.body);
    (cookie, session.json()["token"].as_str().unwrap().to_owned())
}

/// Registers by the form, confirms by the letter's link, signs in by the form: the cookie.
pub(crate) async fn signed_in(app: &TestApp, login: &str, phone: &str) -> String {
    let made = app.post_form("/register", &registration_form(login, phone)).await;
    assert_eq!((made.status.as_u16(), made.location()), (303, "/register/sent"), "{}", made.body);
    let mail = app.db.store.pending_outbox(100).await.unwrap();
    let letter = mail.iter().rev().find(|m| m.recipient == login).unwrap();
    let token = letter.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap();
    app.post_form("/account/confirm", &[("token", token)]).await;
    sign_in(app, login, PASSWORD).await
}

pub(crate) async fn sign_in(app: &TestApp, login: &str, password: &str) -> String {
    let form = [("login", login), ("password", password), ("next", "")];
    let done = app.post_form("/login", &form).await;
    assert_eq!((done.status.as_u16(), done.location()), (303, "/cabinet"), "{}", done.body);
    let cookie = done.cookie("session").expect("a session cookie");
    let set = done.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    cookie
}

async fn get(app: &TestApp, uri: &str, cookie: &str) -> TestResponse {
    app.get_with_cookie(uri, Some(cookie)).await
}

async fn post(app: &TestApp, uri: &str, cookie: &str, form: &[(&str, &str)]) -> TestResponse {
    app.post_form_with_cookie(uri, Some(cookie), form).await
}

/// The id of the first planned visit on the cabinet page.
fn first_visit_id(cabinet: &TestResponse) -> String {
    let tail = cabinet.body.split("/cabinet/visits/").nth(1).expect("a planned visit");
    tail.split('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_registered_patient_books_moves_and_cancels_in_the_browser() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let form = app.post_form("/register", &[("login", "anna@example.ru")]).await;
        assert_eq!(form.status, 422, "{b}");
        assert!(form.body.contains("Заполните это поле"), "{b}");
        assert!(form.body.contains(r#"value="anna@example.ru""#), "{b}: what was typed stays");

        let anonymous = app.get("/cabinet").await;
        assert_eq!(
            (anonymous.status.as_u16(), anonymous.location()),
            (303, "/login?next=/cabinet")
        );

        let cookie = signed_in(&app, "anna@example.ru", "+79005550301").await;
        let cabinet = get(&app, "/cabinet", &cookie).await;
        assert_eq!(cabinet.status, 200, "{b}");
        assert_eq!(cabinet.headers.get("cache-control").unwrap(), "no-store");
        assert!(cabinet.body.contains("Здравствуйте, Анна Павловна!"), "{b}");
        assert!(cabinet.body.contains("Предстоящих записей нет"), "{b}");
        assert!(
            cabinet.body.contains(r#"<span class="badge">1 непрочитанное<"#),
            "{b}: the welcome is unread"
        );

        // The slot link of a specialist's page leads a signed-in patient to a one-click form.
        // Next week's first slot: far enough ahead to move and cancel online.
        let (specialist, _) = app.bookable(0).await;
        let week = app.kabinet.specialist_page(specialist, 1, None, Lang::Ru).await.unwrap();
        let start = week.days.iter().flat_map(|d| &d.slots).next().unwrap().start.as_second();
        let (specialist, start) = (specialist.to_string(), start.to_string());
        let offer =
            get(&app, &format!("/booking/new?specialist={specialist}&start={start}"), &cookie)
                .await;
        assert_eq!(offer.status, 200, "{b}");
        assert!(offer.body.contains(r#"action="/cabinet/visits""#), "{b}");
        assert!(!offer.body.contains(r#"name="last_name""#), "{b}: no data typed again");
        let csrf = offer.csrf();

        let forged = post(
            &app,
            "/cabinet/visits",
            &cookie,
            &[("csrf", "forged"), ("specialist", &specialist), ("start", &start)],
        )
        .await;
        assert_eq!(forged.status, 403, "{b}: a form without the session's token");
        let booking = [("csrf", csrf.as_str()), ("specialist", &specialist), ("start", &start)];
        let booked = post(&app, "/cabinet/visits", &cookie, &booking).await;
        assert_eq!(booked.location(), "/cabinet?done=booked", "{b}: {}", booked.body);
        let cabinet = get(&app, "/cabinet?done=booked", &cookie).await;
        assert!(cabinet.body.contains("Вы записаны"), "{b}");
        let visit = first_visit_id(&cabinet);

        // Unconfirmed access: one active visit, said before a time is confirmed.
        let (other, other_start) = app.bookable(1).await;
        let offer = format!("/booking/new?specialist={other}&start={other_start}");
        let offer = get(&app, &offer, &cookie).await;
        assert!(offer.body.contains("Достигнут предел активных записей"), "{b}");
        assert!(!offer.body.contains(r#"action="/cabinet/visits""#), "{b}: no button to press");
        let second = post(
            &app,
            "/cabinet/visits",
            &cookie,
            &[
                ("csrf", &csrf),
                ("specialist", &other.to_string()),
                ("start", &other_start.to_string()),
            ],
        )
        .await;
        assert_eq!(second.status, 409, "{b}");
        assert!(second.body.contains("Достигнут предел активных записей"), "{b}");

        let ics = get(&app, &format!("/cabinet/visits/{visit}/calendar.ics"), &cookie).await;
        assert_eq!(ics.status, 200, "{b}");
        assert!(ics.body.starts_with("BEGIN:VCALENDAR"), "{b}");

        let moving =
            get(&app, &format!("/cabinet/visits/{visit}/reschedule?week=1"), &cookie).await;
        assert_eq!(moving.status, 200, "{b}");
        let new_start = moving.body.split(r#"name="start" value=""#).nth(1).unwrap();
        let new_start = new_start.split('"').next().unwrap().to_owned();
        assert_ne!(new_start, start, "{b}: the current time is not offered");
        let moved = post(
            &app,
            &format!("/cabinet/visits/{visit}/reschedule"),
            &cookie,
            &[("csrf", &csrf), ("start", &new_start)],
        )
        .await;
        assert_eq!(moved.location(), "/cabinet?done=moved", "{b}: {}", moved.body);

        // A page on another site posts the cancel form with the patient's cookie.
        let forged = axum::http::Request::post(format!("/cabinet/visits/{visit}/cancel"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &cookie)
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://evil.example")
            .body(axum::body::Body::from(format!("csrf={csrf}")))
            .unwrap();
        assert_eq!(app.send(forged).await.status, 403, "{b}: a cross-site post");
        let cabinet = get(&app, "/cabinet", &cookie).await;
        assert_eq!(first_visit_id(&cabinet), visit, "{b}: the visit stands");

        let cancel = get(&app, &format!("/cabinet/visits/{visit}/cancel"), &cookie).await;
        assert!(cancel.body.contains("Отменить эту запись?"), "{b}");
        let cancelled =
            post(&app, &format!("/cabinet/visits/{visit}/cancel"), &cookie, &[("csrf", &csrf)])
                .await;
        assert_eq!(cancelled.location(), "/cabinet?done=cancelled", "{b}");
        let cabinet = get(&app, "/cabinet", &cookie).await;
        assert!(cabinet.body.contains("Предстоящих записей нет"), "{b}");
        assert!(cabinet.body.contains("отменён"), "{b}: the cancelled visit is in the past list");

        // The inbox: opening the welcome marks it read.
        let inbox = get(&app, "/cabinet/messages", &cookie).await;
        let message = inbox
            .body
            .split("/cabinet/messages/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let opened = get(&app, &format!("/cabinet/messages/{message}"), &cookie).await;
        assert!(opened.body.contains("Добро пожаловать в личный кабинет"), "{b}");
        assert!(!opened.body.contains(r#"<span class="badge">1<"#), "{b}: read now");

        // Personal data: shown as held; a change is only a request until the registrar acts.
        let profile = get(&app, "/cabinet/profile", &cookie).await;
        assert!(
            profile.body.contains("3 февраля 1990") && profile.body.contains("+79005550301"),
            "{b}"
        );
        let empty =
            post(&app, "/cabinet/profile/requests", &cookie, &[("csrf", &csrf), ("last_name", "")])
                .await;
        assert_eq!(empty.status, 422, "{b}");
        assert!(empty.body.contains("Укажите хотя бы одно новое значение"), "{b}");
        let bad = post(
            &app,
            "/cabinet/profile/requests",
            &cookie,
            &[("csrf", &csrf), ("last_name", "Петрова"), ("phone", "12")],
        )
        .await;
        assert_eq!(bad.status, 422, "{b}");
        assert!(bad.body.contains(r#"value="Петрова""#), "{b}: what was typed stays");
        let asked = post(
            &app,
            "/cabinet/profile/requests",
            &cookie,
            &[("csrf", &csrf), ("last_name", "Петрова")],
        )
        .await;
        assert_eq!(asked.location(), "/cabinet/profile?done=requested", "{b}: {}", asked.body);
        let profile = get(&app, "/cabinet/profile?done=requested", &cookie).await;
        assert!(profile.body.contains("ожидает проверки документов"), "{b}");
        assert!(
            profile.body.contains("<dd>Соколова</dd>"),
            "{b}: nothing changes before the check"
        );

        // Sign out: the cookie no longer opens the cabinet.
        let out = post(&app, "/logout", &cookie, &[("csrf", &csrf)]).await;
        assert_eq!(out.location(), "/", "{b}");
        assert_eq!(get(&app, "/cabinet", &cookie).await.status, 303, "{b}");
    }
}

#[tokio::test]
async fn another_patients_ids_get_not_found_on_every_cabinet_page() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let owner = signed_in(&app, "owner@example.ru", "+79005550311").await;
        let (specialist, start) = app.bookable(2).await;
        let offer =
            get(&app, &format!("/booking/new?specialist={specialist}&start={start}"), &owner).await;
        let csrf = offer.csrf();
        post(
            &app,
            "/cabinet/visits",
            &owner,
            &[
                ("csrf", &csrf),
                ("specialist", &specialist.to_string()),
                ("start", &start.to_string()),
            ],
        )
        .await;
        let visit = first_visit_id(&get(&app, "/cabinet", &owner).await);
        let inbox = get(&app, "/cabinet/messages", &owner).await;
        let message = inbox
            .body
            .split("/cabinet/messages/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();

        let stranger = signed_in(&app, "stranger@example.ru", "+79005550312").await;
        let theirs = get(&app, "/cabinet", &stranger).await.csrf();
        for uri in [
            format!("/cabinet/visits/{visit}/calendar.ics"),
            format!("/cabinet/visits/{visit}/cancel"),
            format!("/cabinet/visits/{visit}/reschedule"),
            format!("/cabinet/messages/{message}"),
        ] {
            let page = get(&app, &uri, &stranger).await;
            assert_eq!(page.status, 404, "{b}: GET {uri}");
            assert!(
                !page.body.contains("Соколова") && !page.body.contains("BEGIN:VCALENDAR"),
                "{b}: {uri}"
            );
        }
        for uri in [
            format!("/cabinet/visits/{visit}/cancel"),
            format!("/cabinet/visits/{visit}/reschedule"),
        ] {
            let done =
                post(&app, &uri, &stranger, &[("csrf", &theirs), ("start", &start.to_string())])
                    .await;
            assert_eq!(done.status, 404, "{b}: POST {uri}");
        }
        let still = get(&app, "/cabinet", &owner).await;
        assert_eq!(first_visit_id(&still), visit, "{b}: the owner's visit stands");
    }
}

#[tokio::test]
async fn lost_credentials_end_every_session_and_a_reset_link_sets_a_new_password() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let login = "lost@example.ru";
        let cookie = signed_in(&app, login, "+79005550321").await;
        let other_browser = sign_in(&app, login, PASSWORD).await;

        let unknown = app.post_form("/account/lost", &[("login", "nobody@example.ru")]).await;
        let known = app.post_form("/account/lost", &[("login", login)]).await;
        assert_eq!(
            (unknown.status, unknown.location()),
            (known.status, known.location()),
            "{b}: same answer"
        );
        assert_eq!(get(&app, "/cabinet", &cookie).await.status, 200, "{b}: nothing yet");
        let mail = app.db.store.pending_outbox(100).await.unwrap();
        let letter = mail.iter().rev().find(|m| m.recipient == login).unwrap();
        assert!(letter.body.contains("/account/reset?token="), "{b}");
        let block = letter.body.split("/account/block?token=").nth(1).unwrap();
        let block = block.split_whitespace().next().unwrap();
        let asked = app.get(&format!("/account/block?token={block}")).await;
        assert!(asked.body.contains("Заблокировать доступ"), "{b}: a button, not the link");
        assert_eq!(get(&app, "/cabinet", &cookie).await.status, 200, "{b}: still nothing");
        let blocked = app.post_form("/account/block", &[("token", block)]).await;
        assert!(blocked.body.contains("Доступ заблокирован"), "{b}: {}", blocked.body);
        let twice = app.post_form("/account/block", &[("token", block)]).await;
        assert!(twice.body.contains("Ссылка недействительна"), "{b}: the link works once");
        for session in [&cookie, &other_browser] {
            assert_eq!(
                get(&app, "/cabinet", session).await.status,
                303,
                "{b}: every session ended"
            );
        }
        let refused = app.post_form("/login", &[("login", login), ("password", PASSWORD)]).await;
        assert_eq!(refused.status, 401, "{b}: the old password no longer opens the account");
        assert!(refused.body.contains("Неверный логин или пароль"), "{b}");

        let mail = app.db.store.pending_outbox(100).await.unwrap();
        let letter = mail
            .iter()
            .rev()
            .find(|m| m.recipient == login && m.body.contains("/account/reset"))
            .unwrap();
        let token = letter.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap();
        let page = app.get(&format!("/account/reset?token={token}")).await;
        assert!(page.body.contains(r#"name="token""#), "{b}");
        let new_password = "новый пароль для кабинета";
        let mismatch = app
            .post_form(
                "/account/reset",
                &[("token", token), ("password", new_password), ("password_repeat", "другой")],
            )
            .await;
        assert!(mismatch.body.contains("Пароли не совпадают"), "{b}");
        let reset = app
            .post_form(
                "/account/reset",
                &[("token", token), ("password", new_password), ("password_repeat", new_password)],
            )
            .await;
        assert!(reset.body.contains("Пароль сохранён"), "{b}: {}", reset.body);
        let again = app
            .post_form(
                "/account/reset",
                &[("token", token), ("password", new_password), ("password_repeat", new_password)],
            )
            .await;
        assert_eq!(again.status, 404, "{b}: the link works once");
        sign_in(&app, login, new_password).await;
    }
}

/// Issue 9, finding 1: a stranger's reports of someone's lost credentials used to end their
/// sessions, stop their password and void the reset link they had, ten times over.
#[tokio::test]
async fn a_stranger_cannot_lock_a_patient_out_by_reporting_a_loss() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let login = "target@example.ru";
        let cookie = signed_in(&app, login, "+79005550322").await;
        app.post_form("/account/lost", &[("login", login)]).await;
        let first = app.db.store.pending_outbox(100).await.unwrap();
        let first = first.iter().rev().find(|m| m.recipient == login).unwrap().body.clone();
        let reset = first.split("/account/reset?token=").nth(1).unwrap();
        let reset = reset.split_whitespace().next().unwrap().to_owned();

        let mut statuses = Vec::new();
        for n in 0..10 {
            let request = axum::http::Request::post("/account/lost")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(format!("login={login}")))
                .unwrap();
            statuses.push(app.send_from(request, &format!("203.0.113.{n}")).await.status.as_u16());
        }
        assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 2, "{b}: {statuses:?}");
        assert!(statuses[2..].iter().all(|s| *s == 429), "{b}: a few letters an hour");
        assert_eq!(get(&app, "/cabinet", &cookie).await.status, 200, "{b}: still signed in");
        sign_in(&app, login, PASSWORD).await;
        let letters = app.db.store.pending_outbox(100).await.unwrap();
        let to_target =
            letters.iter().filter(|m| m.recipient == login && m.kind.as_str() == "lost_report");
        assert_eq!(to_target.count(), 3, "{b}: at most three letters an hour to one mailbox");
        let form = [
            ("token", reset.as_str()),
            ("password", "совсем новый пароль"),
            ("password_repeat", "совсем новый пароль"),
        ];
        let done = app.post_form("/account/reset", &form).await;
        assert!(done.body.contains("Пароль сохранён"), "{b}: the first link still works");
    }
}

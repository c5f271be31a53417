//! The back office over HTTP, on every backend: the first administrator from the bootstrap
//! link, staff sign-in with throttling, a registrar added by the administrator, confirmed
//! access with its printed one-time password, reissue, CSRF, change requests, the feed and
//! suspension.

use axum::body::Body;
use axum::http::{Request, header};
use kabinet_core::Clock;
use kabinet_core::access::Origin;
use kabinet_core::totp::TotpSecret;
use serde_json::json;

use crate::common::{TestApp, TestResponse};

pub(crate) const ADMIN_PASSWORD: &str = "сосновый бор у залива";
pub(crate) const REGISTRAR_PASSWORD: &str = "янтарная лампа на окне";

/// Posts a form with a staff cookie, from this site (or, with `site`, as the browser says).
pub(crate) async fn post(
    app: &TestApp,
    uri: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> TestResponse {
    post_from(app, uri, cookie, form, "same-origin").await
}

async fn post_from(
    app: &TestApp,
    uri: &str,
    cookie: &str,
    form: &[(&str, &str)],
    site: &str,
) -> TestResponse {
    let body = serde_urlencoded::to_string(form).unwrap();
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", site)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// The CSRF token of the session's forms, read from a staff page.
pub(crate) async fn csrf(app: &TestApp, cookie: &str) -> String {
    let page = app.get_with_cookie("/staff", Some(cookie)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

/// The password step: the response carries the waiting cookie (it opens nothing yet).
pub(crate) async fn sign_in(app: &TestApp, login: &str, password: &str) -> TestResponse {
    app.post_form("/staff/login", &[("login", login), ("password", password)]).await
}

/// Both steps: the password, then the enrolment (the first time) or the code from the app.
/// The full session's cookie.
pub(crate) async fn sign_in_fully(app: &TestApp, login: &str, password: &str) -> String {
    let signed = sign_in(app, login, password).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    assert_eq!(signed.location(), "/staff/code");
    let waiting = signed.cookie("staff").unwrap();
    code_step(app, login, &waiting).await
}

/// The second step of a waiting session: the full session's cookie.
pub(crate) async fn code_step(app: &TestApp, login: &str, waiting: &str) -> String {
    let page = app.get_with_cookie("/staff/code", Some(waiting)).await;
    if page.status == 303 && page.location() == "/staff/enrol" {
        return enrol(app, waiting).await.0;
    }
    assert_eq!(page.status, 200, "{}", page.body);
    let code = current_code(app, login).await;
    let form = [("csrf", page.csrf()), ("code", code)];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app.post_form_with_cookie("/staff/code", Some(waiting), &form).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), "/staff");
    done.cookie("staff").unwrap()
}

/// Enrols the waiting member with the code their app would show now: the full session's
/// cookie and the ten recovery codes shown.
pub(crate) async fn enrol(app: &TestApp, waiting: &str) -> (String, Vec<String>) {
    let page = app.get_with_cookie("/staff/enrol", Some(waiting)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let secret = page.body.split("data-secret=\"").nth(1).unwrap().split('"').next().unwrap();
    let secret = TotpSecret::from_base32(secret).unwrap();
    let code = secret.code_at(app.clock.now().as_second());
    let csrf = page.csrf();
    let form = [("csrf", csrf.as_str()), ("code", code.as_str())];
    let done = app.post_form_with_cookie("/staff/enrol", Some(waiting), &form).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes: Vec<String> = done
        .body
        .split("<li><code>")
        .skip(1)
        .map(|tail| tail.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "{}", done.body);
    (done.cookie("staff").unwrap(), codes)
}

/// The code the member's app shows now; the clock moves on a step if this step's code was
/// used already (a code is accepted once).
pub(crate) async fn current_code(app: &TestApp, login: &str) -> String {
    let member = app.db.store.staff_by_login(login).await.unwrap().unwrap();
    let stored = app.db.store.staff_totp(member.id).await.unwrap().unwrap();
    let mut now = app.clock.now().as_second();
    if now / 30 <= stored.last_step {
        app.clock.advance(jiff::SignedDuration::from_secs(30));
        now += 30;
    }
    TotpSecret::from_base32(&stored.secret).unwrap().code_at(now)
}

/// Creates the first administrator through the bootstrap page and signs in: the cookie.
pub(crate) async fn administrator(app: &TestApp) -> String {
    let url = app.kabinet.issue_bootstrap().await.unwrap();
    let token = url.split("token=").nth(1).unwrap();
    let page = app.get(&format!("/staff/bootstrap?token={token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Первый администратор"));
    let form = [
        ("token", token),
        ("login", "admin"),
        ("full_name", "Анна Главная"),
        ("password", ADMIN_PASSWORD),
    ];
    let done = app.post_form("/staff/bootstrap", &form).await;
    assert!(done.body.contains("Готово"), "{}: {}", app.backend(), done.body);
    let again = app.post_form("/staff/bootstrap", &form).await;
    assert_eq!(again.status, 404, "the bootstrap link works once");
    let signed = sign_in(app, "admin", ADMIN_PASSWORD).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    let waiting = signed.cookie("staff").unwrap();
    let raw = signed.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    assert!(raw.contains("HttpOnly") && raw.contains("SameSite=Lax"), "{raw}");
    code_step(app, "admin", &waiting).await
}

/// The administrator adds a registrar, who sets a password by the link and signs in.
pub(crate) async fn registrar(app: &TestApp, admin: &str) -> String {
    add_registrar(app, admin).await;
    sign_in_fully(app, "reg1", REGISTRAR_PASSWORD).await
}

/// The administrator adds the registrar `reg1`, who sets a password by the link.
pub(crate) async fn add_registrar(app: &TestApp, admin: &str) {
    let token = csrf(app, admin).await;
    let form = [("csrf", token.as_str()), ("login", "reg1"), ("full_name", "Ирина Регистратор")];
    let added = post(app, "/staff/team", admin, &form).await;
    assert_eq!(added.status, 200, "{}", added.body);
    let link = added.body.split("/staff/setup?token=").nth(1).unwrap().split('<').next().unwrap();
    let setup =
        app.post_form("/staff/setup", &[("token", link), ("password", REGISTRAR_PASSWORD)]).await;
    assert!(setup.body.contains("Готово"), "{}", setup.body);
}

fn sheet_password(page: &TestResponse) -> String {
    let after = page.body.split("Одноразовый пароль</dt><dd><strong class=\"code\">").nth(1);
    after.unwrap().split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_first_administrator_comes_once_and_sign_in_is_throttled() {
    for app in TestApp::each_backend().await {
        administrator(&app).await;
        assert!(app.kabinet.issue_bootstrap().await.is_err(), "no second bootstrap");
        for _ in 0..5 {
            assert_eq!(sign_in(&app, "admin", "не тот пароль вовсе").await.status, 401);
        }
        let throttled = sign_in(&app, "admin", ADMIN_PASSWORD).await;
        assert_eq!(throttled.status, 429, "{}", app.backend());
        assert!(throttled.headers.contains_key(header::RETRY_AFTER));
        assert!(throttled.cookie("staff").is_none());
    }
}

#[tokio::test]
async fn staff_pages_need_a_session_and_forms_need_its_token() {
    for app in TestApp::each_backend().await {
        for page in ["/staff", "/staff/patients/1", "/staff/requests", "/staff/feed"] {
            let response = app.get(page).await;
            assert_eq!(response.status, 303, "{page}");
            assert_eq!(response.location(), "/staff/login");
        }
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let team = app.get_with_cookie("/staff/team", Some(&reg)).await;
        assert_eq!(team.status, 403, "a registrar does not manage staff");
        let forged = post(&app, "/staff/search", &reg, &[("csrf", "forged"), ("q", "Ив")]).await;
        assert_eq!(forged.status, 403);
        let token = csrf(&app, &reg).await;
        let form = [("csrf", token.as_str()), ("q", "Ив")];
        let cross = post_from(&app, "/staff/search", &reg, &form, "cross-site").await;
        assert_eq!(cross.status, 403, "a cross-site post is refused");
        assert_eq!(post(&app, "/staff/search", &reg, &form).await.status, 200);
        let missing = app.get_with_cookie("/staff/patients/999999", Some(&reg)).await;
        assert_eq!(missing.status, 404);
    }
}

#[tokio::test]
async fn a_registrar_issues_access_on_a_printed_sheet_and_a_reissue_voids_it() {
    for app in TestApp::each_backend().await {
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let token = csrf(&app, &reg).await;
        let form = [
            ("csrf", token.as_str()),
            ("patient", ""),
            ("last_name", "Орлова"),
            ("first_name", "Вера"),
            ("middle_name", ""),
            ("birth_date", "1979-03-02"),
            ("phone", "+7 916 555-20-30"),
            ("login", "vera@example.ru"),
            ("card_number", "MK-1001"),
            ("rules_version", "1"),
            ("paper_reference", "Журнал 2026/118"),
        ];
        let sheet = post(&app, "/staff/access", &reg, &form).await;
        assert_eq!(sheet.status, 200, "{}: {}", app.backend(), sheet.body);
        assert_eq!(sheet.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        assert!(sheet.body.contains("http://127.0.0.1:8080/login"));
        let first = sheet_password(&sheet);
        assert_eq!(first.len(), 10);
        assert!(first.chars().all(|c| !"0O1lI".contains(c)), "{first}");

        let account = app.db.store.account_by_login("vera@example.ru").await.unwrap().unwrap();
        assert!(account.password_hash.is_none());
        let now = app.kabinet.now().as_second();
        let live = app.db.store.one_time_passwords_of(account.id, now).await.unwrap();
        assert_eq!(live.len(), 1);
        assert!(live[0].0.starts_with("$argon2id$") && !live[0].0.contains(&first));
        assert_eq!(live[0].1, now + 72 * 3600, "expires per the setting");

        let again = post(&app, "/staff/access", &reg, &form).await;
        assert_eq!(again.status, 422, "the card number and login are taken");

        let card = format!("/staff/patients/{}", account.patient_id);
        let page = app.get_with_cookie(&card, Some(&reg)).await;
        assert!(page.body.contains("Ожидает активации") && page.body.contains("MK-1001"));
        let reissued =
            post(&app, &format!("{card}/one-time-password"), &reg, &[("csrf", &token)]).await;
        assert_eq!(reissued.status, 200, "{}", reissued.body);
        assert_ne!(sheet_password(&reissued), first);
        let live = app.db.store.one_time_passwords_of(account.id, now).await.unwrap();
        assert_eq!(live.len(), 1, "{}: the reissue voids the previous one", app.backend());
        let trail = app.db.store.audit_trail(account.patient_id).await.unwrap();
        assert!(
            trail
                .iter()
                .any(|r| r.action.as_str() == "patient.view" && r.actor_kind.as_str() == "staff")
        );

        // The patient signs in with the sheet's password, typed as people type it.
        let b = app.backend();
        let login = account.login.as_str();
        let voided = app.post_form("/login", &[("login", login), ("password", &first)]).await;
        assert_eq!(voided.status, 401, "{b}: the first password was voided by the reissue");
        let otp = sheet_password(&reissued);
        let typed = format!("{} {}", otp[..5].to_lowercase(), &otp[5..]);
        let signed = app.post_form("/login", &[("login", login), ("password", &typed)]).await;
        assert_eq!(signed.status, 303, "{b}: {}", signed.body);
        let cookie = signed.cookie("session").unwrap();
        for uri in ["/cabinet", "/cabinet/security", "/cabinet/profile"] {
            let page = app.get_with_cookie(uri, Some(&cookie)).await;
            assert_eq!(page.location(), "/account/activate", "{b}: {uri} waits for activation");
        }
        let api = app.get_with_cookie("/api/v1/me/visits", Some(&cookie)).await;
        assert_eq!(api.json()["error"]["code"], "activation_required", "{b}");
        let form = app.get_with_cookie("/account/activate", Some(&cookie)).await;
        let csrf = form.csrf();
        let new = "сосновый бор у самой реки";
        let activation = [("csrf", csrf.as_str()), ("password", new), ("password_repeat", new)];
        let done = app.post_form_with_cookie("/account/activate", Some(&cookie), &activation).await;
        assert_eq!(done.location(), "/cabinet?done=activated", "{b}: {}", done.body);
        let fresh = done.cookie("session").unwrap();
        assert_ne!(fresh, cookie, "{b}: a new session token on activation");
        assert_eq!(app.get_with_cookie("/cabinet", Some(&cookie)).await.status, 303, "{b}");
        let cabinet = app.get_with_cookie("/cabinet", Some(&fresh)).await;
        assert!(cabinet.body.contains("Подтверждённый доступ."), "{b}");
        let reused = app.post_form("/login", &[("login", login), ("password", &otp)]).await;
        assert_eq!(reused.status, 401, "{b}: a one-time password works once");
    }
}

/// Registers a patient online, confirms the e-mail and signs in over the API: the token.
pub(crate) async fn online_patient(app: &TestApp, login: &str) -> String {
    let registration = json!({
        "login": login, "password": "лиловый дирижабль над рекой",
        "patient": {"last_name": "Седов", "first_name": "Иван", "birth_date": "1990-05-05",
                    "phone": "+79035551122"},
        "consents": {"personal_data": true, "rules": true}
    });
    assert_eq!(app.post_json("/api/v1/registrations", &registration).await.status, 202);
    let mail = app.db.store.pending_outbox(100).await.unwrap();
    let letter = mail.iter().rev().find(|m| m.recipient == login).unwrap();
    let token = letter.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap();
    app.kabinet.confirm_email(token, &Origin::default()).await.unwrap();
    let session = app
        .post_json(
            "/api/v1/session",
            &json!({"login": login, "password": "лиловый дирижабль над рекой"}),
        )
        .await;
    session.json()["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_feed_shows_online_bookings_and_a_suspension_ends_sessions_at_once() {
    for app in TestApp::each_backend().await {
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let patient = online_patient(&app, "ivan@example.ru").await;
        let (specialist, start) = app.bookable(0).await;
        let booked = app
            .api(
                "POST",
                "/api/v1/me/visits",
                &patient,
                Some(&json!({"specialist_id": specialist, "start": start.to_string()})),
            )
            .await;
        assert_eq!(booked.status, 201, "{}", booked.body);
        let feed = app.get_with_cookie("/staff/feed", Some(&reg)).await;
        assert!(feed.body.contains("Седов Иван"), "{}: {}", app.backend(), feed.body);
        assert!(feed.body.contains("Запись на приём онлайн"));
        let (one_time, one_time_start) = app.bookable(2).await;
        let (one_time, one_time_start) = (one_time.to_string(), one_time_start.to_string());
        let form = crate::common::booking_form(&one_time, &one_time_start, "+79005550777");
        assert_eq!(app.post_form("/booking", &form).await.status, 303);
        let feed = app.get_with_cookie("/staff/feed", Some(&reg)).await;
        assert!(feed.body.contains("Кузнецова Ольга"), "{}: a one-time booking", app.backend());

        let account = app.db.store.account_by_login("ivan@example.ru").await.unwrap().unwrap();
        let token = csrf(&app, &reg).await;
        let card = format!("/staff/patients/{}", account.patient_id);

        // The registrar's changes reach the patient: a message and a letter each (N2).
        let b = app.backend();
        let (other, other_start) = app.bookable(1).await;
        let (other, other_start) = (other.to_string(), other_start.to_string());
        let form = [("csrf", token.as_str()), ("specialist", &other), ("start", &other_start)];
        let by_clinic = post(&app, &format!("{card}/visits"), &reg, &form).await;
        assert_eq!(by_clinic.status, 303, "{b}: {}", by_clinic.body);
        let online = booked.json()["id"].as_i64().unwrap();
        let cancel = format!("{card}/visits/{online}/cancel");
        assert_eq!(post(&app, &cancel, &reg, &[("csrf", &token)]).await.status, 303, "{b}");
        let inbox = app.api("GET", "/api/v1/me/messages", &patient, None).await.json();
        let subjects: Vec<&str> = inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["subject"].as_str().unwrap())
            .collect();
        assert!(subjects.contains(&"Вы записаны на приём"), "{b}: {subjects:?}");
        assert!(subjects.contains(&"Запись на приём отменена"), "{b}: {subjects:?}");
        let mail = app.db.store.pending_outbox(100).await.unwrap();
        let letters: Vec<_> =
            mail.iter().filter(|m| m.kind.as_str() == "visit_changed_by_clinic").collect();
        assert_eq!(letters.len(), 2, "{b}");
        let visits = app.api("GET", "/api/v1/me/visits", &patient, None).await.json();
        let doctor = visits["items"][0]["specialist_name"].as_str().unwrap().to_owned();
        for letter in letters {
            assert_eq!(letter.recipient, "ivan@example.ru");
            assert!(!letter.subject.contains(&doctor), "{b}: no doctor in a subject");
            assert!(letter.body.contains("Код записи"), "{b}");
        }

        // A suspension takes a reason (issue 13, point 9).
        let form = [("csrf", token.as_str()), ("reason", "Проверка документов")];
        let suspended = post(&app, &format!("{card}/suspend"), &reg, &form).await;
        assert_eq!(suspended.status, 303);
        let after = app.api("GET", "/api/v1/me/visits", &patient, None).await;
        assert_eq!(after.status, 401, "{}: the session ended at once", app.backend());
        let page = app.get_with_cookie(&card, Some(&reg)).await;
        assert!(page.body.contains("Приостановлена клиникой"));

        // A suspended patient's report of a loss sends no reset link around the suspension.
        let lost = json!({"login": "ivan@example.ru"});
        assert_eq!(app.post_json("/api/v1/account/lost", &lost).await.status, 202);
        let mail = app.db.store.pending_outbox(200).await.unwrap();
        assert!(!mail.iter().any(|m| m.kind.as_str() == "credentials_lost"), "{b}: no reset link");
        let page = app.get_with_cookie(&card, Some(&reg)).await;
        assert!(page.body.contains("Приостановлена клиникой"), "{b}: still suspended");

        // Another patient's report reaches the clinic through the feed once it blocks access
        // (a report from the public form only writes to the owner).
        let olga = online_patient(&app, "olga.lost@example.ru").await;
        let lost = app.api("POST", "/api/v1/account/lost", &olga, Some(&json!({}))).await;
        assert_eq!(lost.status, 202);
        let feed = app.get_with_cookie("/staff/feed", Some(&reg)).await;
        assert!(feed.body.contains("Сообщение об утрате данных для входа"), "{b}");
    }
}

#[tokio::test]
async fn a_change_request_is_completed_or_rejected_and_the_patient_is_told() {
    for app in TestApp::each_backend().await {
        let admin = administrator(&app).await;
        online_patient(&app, "ivan@example.ru").await;
        let account = app.db.store.account_by_login("ivan@example.ru").await.unwrap().unwrap();
        let pid = account.patient_id;
        let fields = kabinet_service::change_requests::ChangeFields {
            last_name: Some("Седов-Белый".into()),
            ..Default::default()
        };
        let first = app.kabinet.request_change(pid, &fields, &Origin::default()).await.unwrap();
        let second = app.kabinet.request_change(pid, &fields, &Origin::default()).await.unwrap();
        let list = app.get_with_cookie("/staff/requests", Some(&admin)).await;
        assert!(list.body.contains("Седов-Белый"), "{}", list.body);
        let token = csrf(&app, &admin).await;
        let reject = format!("/staff/requests/{first}/reject");
        let no_reason = post(&app, &reject, &admin, &[("csrf", &token), ("reason", " ")]).await;
        assert_eq!(no_reason.status, 422);
        let form = [("csrf", token.as_str()), ("reason", "Нет свидетельства о браке")];
        assert_eq!(post(&app, &reject, &admin, &form).await.status, 303);
        let record = app.db.store.patient_record(pid).await.unwrap().unwrap();
        assert_eq!(record.last_name, "Седов", "a rejected request changes nothing");
        let complete = format!("/staff/requests/{second}/complete");
        let seen = [
            ("csrf", token.as_str()),
            ("document_kind", "passport_rf"),
            ("document_number", "4509 123456"),
        ];
        assert_eq!(post(&app, &complete, &admin, &seen).await.status, 303);
        let record = app.db.store.patient_record(pid).await.unwrap().unwrap();
        assert_eq!(record.last_name, "Седов-Белый", "{}", app.backend());
        let messages = app.db.store.messages_sent_to(pid).await.unwrap();
        assert!(messages.iter().any(|m| m.1.contains("Нет свидетельства о браке")));
        assert!(messages.iter().any(|m| m.0.contains("выполнен")));

        // A new e-mail: the login follows it, and both addresses hear of the change; an
        // address that is another patient's login is refused.
        let b = app.backend();
        online_patient(&app, "taken@example.ru").await;
        let to = |email: &str| kabinet_service::change_requests::ChangeFields {
            email: Some(email.into()),
            ..Default::default()
        };
        let clash = app
            .kabinet
            .request_change(pid, &to("Taken@example.ru"), &Origin::default())
            .await
            .unwrap();
        let refused = post(&app, &format!("/staff/requests/{clash}/complete"), &admin, &seen).await;
        assert!(refused.body.contains("уже служит логином другого пациента"), "{b}");
        let moved = app
            .kabinet
            .request_change(pid, &to("ivan.sedov@example.ru"), &Origin::default())
            .await
            .unwrap();
        let done = post(&app, &format!("/staff/requests/{moved}/complete"), &admin, &seen).await;
        assert_eq!(done.status, 303, "{b}: {}", done.body);
        let account = app.db.store.account(account.id).await.unwrap().unwrap();
        assert_eq!(account.login, "ivan.sedov@example.ru", "{b}: the login follows the e-mail");
        let mail = app.db.store.pending_outbox(200).await.unwrap();
        let told: Vec<_> = mail
            .iter()
            .filter(|m| m.kind.as_str() == "change_request_decided")
            .map(|m| m.recipient.as_str())
            .collect();
        assert!(
            told.contains(&"ivan@example.ru") && told.contains(&"ivan.sedov@example.ru"),
            "{b}: {told:?}"
        );
    }
}

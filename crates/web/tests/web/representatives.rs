//! Issue 13, point 6: legal representatives (A8; 323-FZ art. 20, 22, 54), on both databases.
//! The registrar links a parent after checking the documents (the number masked everywhere),
//! the parent switches into the child's cabinet and books for the child (the visit is the
//! child's, the audit names the parent), a representative reaches nobody else's data on any
//! id-taking route, a minor's link ends at 18, and a dependent of 15 with an account of their
//! own sees who acts for them and what was done.

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;
use kabinet_core::access::Origin;
use kabinet_core::patient::PatientInput;
use kabinet_service::registrar::AccessRequest;
use kabinet_service::staff::StaffUser;
use serde_json::{Value, json};

use crate::common::{TestApp, TestResponse};
use crate::staff::{administrator, csrf, post, registrar};

const NEW_PASSWORD: &str = "сосновый бор у самой реки";

/// A patient with confirmed access who signed in and set a password: the cabinet's cookie,
/// an API token and the patient's id.
pub(crate) struct Person {
    pub cookie: String,
    pub token: String,
    pub id: i64,
}

/// The staff user behind a staff cookie.
pub(crate) async fn staff_user(app: &TestApp, cookie: &str) -> StaffUser {
    let token = cookie.trim_start_matches("staff=");
    app.kabinet.staff_session(token).await.unwrap().unwrap()
}

/// Confirmed access issued at the front desk for a new patient, the one-time password used
/// and a personal password set.
pub(crate) async fn confirmed_person(
    app: &TestApp,
    staff: &StaffUser,
    login: &str,
    (last_name, first_name, birth_date): (&str, &str, &str),
    phone: &str,
) -> Person {
    let request = AccessRequest {
        patient_id: None,
        patient: PatientInput {
            last_name: last_name.into(),
            first_name: first_name.into(),
            middle_name: Some("Петровна".into()),
            birth_date: birth_date.into(),
            phone: phone.into(),
            email: None,
            postal_address: None,
        },
        login: login.into(),
        card_number: format!("MK-{}", &phone[phone.len() - 2..]),
        rules_version: "1".into(),
        paper_reference: format!("Журнал 2026/{login}"),
        paper_consents: Vec::new(),
    };
    let issued = app.kabinet.confirm_access(staff, &request, &Origin::default()).await.unwrap();
    let form = [("login", login), ("password", issued.one_time_password.as_str())];
    let signed = app.post_form("/login", &form).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    let cookie = signed.cookie("session").unwrap();
    let page = app.get_with_cookie("/account/activate", Some(&cookie)).await;
    let csrf = page.csrf();
    let activation =
        [("csrf", csrf.as_str()), ("password", NEW_PASSWORD), ("password_repeat", NEW_PASSWORD)];
    let done = app.post_form_with_cookie("/account/activate", Some(&cookie), &activation).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let cookie = done.cookie("session").unwrap();
    let session =
        app.post_json("/api/v1/session", &json!({"login": login, "password": NEW_PASSWORD})).await;
    assert_eq!(session.status, 200, "{}", session.body);
    let token = session.json()["token"].as_str().unwrap().to_owned();
    Person { cookie, token, id: issued.patient_id }
}

/// An API call with a bearer token and, if given, `X-Act-For`.
async fn api_for(
    app: &TestApp,
    (method, uri): (&str, &str),
    token: &str,
    act_for: Option<i64>,
    json: Option<&Value>,
) -> TestResponse {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(id) = act_for {
        request = request.header("X-Act-For", id.to_string());
    }
    let body = json.map_or_else(Body::empty, |j| Body::from(j.to_string()));
    app.send(request.body(body).unwrap()).await
}

/// A child recorded from the representative's card by the registrar's form: the child's id.
async fn record_child(app: &TestApp, staff: &str, parent: i64, name: &str, born: &str) -> i64 {
    let token = csrf(app, staff).await;
    let form = [
        ("csrf", token.as_str()),
        ("last_name", "Иванов"),
        ("first_name", name),
        ("middle_name", ""),
        ("birth_date", born),
        ("phone", ""),
        ("basis", "parent"),
        ("document_kind", "birth_certificate"),
        ("document_number", "IV-МЮ 512345"),
    ];
    let made = post(app, &format!("/staff/patients/{parent}/dependents"), staff, &form).await;
    assert_eq!(made.status, 303, "{}: {}", app.backend(), made.body);
    made.location().trim_start_matches("/staff/patients/").parse().unwrap()
}

/// Switches a cabinet session by the header's form.
async fn act_for(app: &TestApp, person: &Person, patient: i64) -> TestResponse {
    let page = app.get_with_cookie("/cabinet", Some(&person.cookie)).await;
    let form = [("csrf", page.csrf()), ("patient", patient.to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form_with_cookie("/cabinet/act-for", Some(&person.cookie), &form).await
}

/// The first free start of an open specialist, as the API writes it.
async fn free_start(app: &TestApp) -> (i64, String) {
    let (specialist, _) = app.bookable(0).await;
    let slots = app
        .get(&format!("/api/v1/specialists/{specialist}/slots?from=2026-11-25&to=2026-12-05"))
        .await
        .json();
    (specialist, slots["items"][0]["start"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_parent_linked_with_documents_switches_into_the_childs_cabinet_and_books_for_it() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let staff = app.db.store.list_staff().await.unwrap();
        let reg_id = staff.iter().find(|m| m.login == "reg1").unwrap().id;
        let token = csrf(&app, &admin).await;
        let grant = format!("/staff/team/{reg_id}/auditor");
        assert_eq!(post(&app, &grant, &admin, &[("csrf", &token)]).await.status, 303, "{b}");
        let admin_user = staff_user(&app, &admin).await;
        let mama = confirmed_person(
            &app,
            &admin_user,
            "mama@example.ru",
            ("Иванова", "Анна", "1988-05-05"),
            "+7 916 555-30-01",
        )
        .await;

        // A form without the document's number is sent back with what was typed.
        let token = csrf(&app, &reg).await;
        let incomplete = [
            ("csrf", token.as_str()),
            ("last_name", "Иванов"),
            ("first_name", "Пётр"),
            ("birth_date", "2019-03-14"),
            ("basis", "parent"),
            ("document_kind", "birth_certificate"),
            ("document_number", ""),
        ];
        let refused =
            post(&app, &format!("/staff/patients/{}/dependents", mama.id), &reg, &incomplete).await;
        assert_eq!(refused.status, 422, "{b}: {}", refused.body);
        assert!(refused.body.contains("Заполните это поле"), "{b}");
        assert!(refused.body.contains(r#"value="Пётр""#), "{b}: what was typed stays");

        let child = record_child(&app, &reg, mama.id, "Пётр", "2019-03-14").await;
        let record = app.db.store.patient_record(child).await.unwrap().unwrap();
        assert_eq!(record.phone, "+79165553001", "{b}: a child without a phone has the parent's");
        assert!(record.login.is_none() && record.email.is_none(), "{b}: no account of its own");
        for uri in [
            format!("/staff/patients/{child}"),
            format!("/staff/patients/{mama_id}", mama_id = mama.id),
        ] {
            let card = app.get_with_cookie(&uri, Some(&reg)).await;
            assert_eq!(card.status, 200, "{b}");
            assert!(card.body.contains("свидетельство о рождении •••• 2345"), "{b}: {uri}");
            assert!(!card.body.contains("512345"), "{b}: the number is masked on {uri}");
        }
        let links = app
            .get_with_cookie(&format!("/staff/patients/{child}/representatives"), Some(&reg))
            .await;
        assert!(
            links.body.contains("Иванова Анна Петровна") && links.body.contains("родитель"),
            "{b}"
        );
        assert!(!links.body.contains("512345"), "{b}: masked on the links page");

        // The parent's cabinet offers the switch; the switch says whom the parent acts for.
        let own = app.get_with_cookie("/cabinet", Some(&mama.cookie)).await;
        assert!(own.body.contains("Иванов Пётр"), "{b}: the switcher names the child");
        assert!(!own.body.contains("Вы действуете за"), "{b}");
        let switched = act_for(&app, &mama, child).await;
        assert_eq!((switched.status.as_u16(), switched.location()), (303, "/cabinet"), "{b}");
        let acting = app.get_with_cookie("/cabinet", Some(&mama.cookie)).await;
        assert!(acting.body.contains("Вы действуете за: Иванов Пётр"), "{b}");
        let profile = app.get_with_cookie("/cabinet/profile", Some(&mama.cookie)).await;
        assert!(profile.body.contains("14 марта 2019"), "{b}: the child's data");

        // Booking in the child's cabinet: the visit is the child's; the audit names the parent.
        let (specialist, start) = free_start(&app).await;
        let body = json!({"specialist_id": specialist, "start": start});
        let booked =
            api_for(&app, ("POST", "/api/v1/me/visits"), &mama.token, Some(child), Some(&body))
                .await;
        assert_eq!(booked.status, 201, "{b}: {}", booked.body);
        let visit = booked.json()["id"].as_i64().unwrap();
        let of_child = app.db.store.visits_of_patient(child).await.unwrap();
        assert!(of_child.iter().any(|v| v.id == visit), "{b}: the child's visit");
        let of_mama = app.db.store.visits_of_patient(mama.id).await.unwrap();
        assert!(of_mama.is_empty(), "{b}: not the parent's");
        let listed = app.get_with_cookie("/cabinet", Some(&mama.cookie)).await;
        assert!(listed.body.contains(&format!("/cabinet/visits/{visit}/")), "{b}");
        let own_visits =
            api_for(&app, ("GET", "/api/v1/me/visits"), &mama.token, None, None).await.json();
        assert_eq!(own_visits["items"].as_array().unwrap().len(), 0, "{b}: own data apart");
        let trail = app.db.store.audit_trail(child).await.unwrap();
        let row = trail.iter().find(|r| r.action.as_str() == "appointment.create").unwrap();
        assert_eq!((row.actor_kind.as_str(), row.actor_id), ("patient", Some(mama.id)), "{b}");
        let details: Value = serde_json::from_str(&row.details).unwrap();
        assert_eq!(details["on_behalf_of"], json!(child), "{b}");
        assert!(trail.iter().any(|r| r.action.as_str() == "representative.link"), "{b}");
        assert!(!trail.iter().any(|r| r.details.contains("512345")), "{b}: no number in audit");

        let log = app.get_with_cookie(&format!("/staff/audit?patient={child}"), Some(&reg)).await;
        assert_eq!(log.status, 200, "{b}");
        assert!(log.body.contains("Представитель Иванова А. П. за Иванов П."), "{b}: {}", log.body);
        assert!(log.body.contains("Регистратор связал законного представителя"), "{b}");
        assert!(log.body.contains("основание: родитель"), "{b}");
        assert!(!log.body.contains("512345"), "{b}: masked in the audit page too");

        // Back to the parent's own cabinet.
        let back = act_for(&app, &mama, mama.id).await;
        assert_eq!(back.status, 303, "{b}");
        let own = app.get_with_cookie("/cabinet", Some(&mama.cookie)).await;
        assert!(!own.body.contains("Вы действуете за"), "{b}");
    }
}

#[tokio::test]
async fn a_representative_reaches_only_their_own_dependents_on_every_id_taking_route() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let admin_user = staff_user(&app, &admin).await;
        let mama = confirmed_person(
            &app,
            &admin_user,
            "mama@example.ru",
            ("Иванова", "Анна", "1988-05-05"),
            "+7 916 555-30-01",
        )
        .await;
        let papa = confirmed_person(
            &app,
            &admin_user,
            "papa@example.ru",
            ("Сидоров", "Олег", "1985-01-01"),
            "+7 916 555-30-02",
        )
        .await;
        let a = record_child(&app, &admin, mama.id, "Пётр", "2019-03-14").await;
        let c = record_child(&app, &admin, papa.id, "Коля", "2017-06-01").await;
        // Child C's visit and thread, made at the front desk.
        let (specialist, _) = app.bookable(0).await;
        let slot = app.kabinet.nearest_free_slot(specialist).await.unwrap().unwrap();
        let start = slot.start.as_second().to_string();
        let origin = Origin::default();
        let visit = app
            .kabinet
            .book_for_patient(&admin_user, c, specialist, &start, &origin)
            .await
            .unwrap()
            .id;
        let thread = app
            .kabinet
            .write_to_patient(&admin_user, (c, None), Some("Анализы"), "Готовы", &origin)
            .await
            .unwrap()
            .thread_id;

        // Acting for another's child: refused, the session stays as it was.
        let refused = act_for(&app, &mama, c).await;
        assert_eq!(refused.status, 404, "{b}");
        let own = app.get_with_cookie("/cabinet", Some(&mama.cookie)).await;
        assert!(!own.body.contains("Вы действуете за"), "{b}");
        for uri in [
            "/api/v1/me/visits",
            "/api/v1/me/messages",
            "/api/v1/me/waitlist",
            "/api/v1/me/profile",
        ] {
            let other = api_for(&app, ("GET", uri), &mama.token, Some(c), None).await;
            assert_eq!(other.status, 404, "{b}: {uri} for another's child");
            assert!(!other.body.contains("Коля"), "{b}: no data");
        }
        let bogus = api_for(&app, ("GET", "/api/v1/me/visits"), &mama.token, Some(0), None).await;
        assert_eq!(bogus.status, 404, "{b}");

        // Acting for one's own child, the other child's objects stay out of reach.
        assert_eq!(act_for(&app, &mama, a).await.status, 303, "{b}");
        for uri in [
            format!("/cabinet/visits/{visit}/cancel"),
            format!("/cabinet/visits/{visit}/reschedule"),
            format!("/cabinet/visits/{visit}/calendar.ics"),
            format!("/cabinet/messages/{thread}"),
        ] {
            let page = app.get_with_cookie(&uri, Some(&mama.cookie)).await;
            assert_eq!(page.status, 404, "{b}: {uri}");
            assert!(!page.body.contains("Анализы"), "{b}: {uri}");
        }
        for uri in
            [format!("/api/v1/me/visits/{visit}"), format!("/api/v1/me/messages/{thread}/read")]
        {
            let method = if uri.ends_with("/read") { "POST" } else { "GET" };
            let other = api_for(&app, (method, &uri), &mama.token, Some(a), None).await;
            assert_eq!(other.status, 404, "{b}: {uri}");
        }
        let cancel = app.get_with_cookie("/cabinet", Some(&mama.cookie)).await;
        let form = [("csrf", cancel.csrf())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let cancelled = app
            .post_form_with_cookie(
                &format!("/cabinet/visits/{visit}/cancel"),
                Some(&mama.cookie),
                &form,
            )
            .await;
        assert_eq!(cancelled.status, 404, "{b}");
        assert!(app.db.store.visits_of_patient(c).await.unwrap()[0].is_planned(0), "{b}: intact");

        // The registrar ends the link: acting stops at once, on the page and over the API.
        let links = app.kabinet.representative_links(&admin_user, a).await.unwrap().0;
        let token = csrf(&app, &admin).await;
        let end = format!("/staff/patients/{a}/representatives/{}/end", links[0].link.id);
        let no_reason = post(&app, &end, &admin, &[("csrf", &token), ("reason", " ")]).await;
        assert_eq!(no_reason.status, 422, "{b}");
        let ended = post(&app, &end, &admin, &[("csrf", &token), ("reason", "Решение суда")]).await;
        assert_eq!(ended.status, 303, "{b}: {}", ended.body);
        let own = app.get_with_cookie("/cabinet", Some(&mama.cookie)).await;
        assert!(!own.body.contains("Вы действуете за"), "{b}: back in the own cabinet");
        assert!(!own.body.contains("Иванов Пётр"), "{b}: no switch to the child any more");
        let gone = api_for(&app, ("GET", "/api/v1/me/visits"), &mama.token, Some(a), None).await;
        assert_eq!(gone.status, 404, "{b}");
        assert_eq!(act_for(&app, &mama, a).await.status, 404, "{b}");
        let dependents =
            api_for(&app, ("GET", "/api/v1/me/dependents"), &mama.token, None, None).await.json();
        assert_eq!(dependents["items"], json!([]), "{b}");
    }
}

#[tokio::test]
async fn a_minors_link_ends_on_the_eighteenth_birthday() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let admin_user = staff_user(&app, &admin).await;
        let mama = confirmed_person(
            &app,
            &admin_user,
            "mama@example.ru",
            ("Иванова", "Анна", "1970-05-05"),
            "+7 916 555-30-01",
        )
        .await;
        // Born on 2008-11-25: 17 on the test's Monday, 18 two days later.
        let son = record_child(&app, &admin, mama.id, "Илья", "2008-11-25").await;
        let dependents =
            api_for(&app, ("GET", "/api/v1/me/dependents"), &mama.token, None, None).await.json();
        assert_eq!(dependents["items"][0]["patient_id"], json!(son), "{b}");
        assert_eq!(act_for(&app, &mama, son).await.status, 303, "{b}");
        let profile =
            api_for(&app, ("GET", "/api/v1/me/profile"), &mama.token, Some(son), None).await;
        assert_eq!(profile.json()["id"], json!(son), "{b}");

        app.clock.advance(SignedDuration::from_hours(48));
        // Two days on, the sessions idled out: the parent signs in again.
        let form = [("login", "mama@example.ru"), ("password", NEW_PASSWORD), ("next", "")];
        let cookie = app.post_form("/login", &form).await.cookie("session").unwrap();
        let login = json!({"login": "mama@example.ru", "password": NEW_PASSWORD});
        let token = app.post_json("/api/v1/session", &login).await.json()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let mama = Person { cookie, token, id: mama.id };
        let own = app.get_with_cookie("/cabinet", Some(&mama.cookie)).await;
        assert_eq!(own.status, 200, "{b}");
        assert!(!own.body.contains("Иванов Илья"), "{b}: no switch to an adult son");
        assert_eq!(act_for(&app, &mama, son).await.status, 404, "{b}: the link no longer holds");
        let gone = api_for(&app, ("GET", "/api/v1/me/profile"), &mama.token, Some(son), None).await;
        assert_eq!(gone.status, 404, "{b}");
        assert_eq!(app.kabinet.end_links_come_of_age().await.unwrap(), 1, "{b}");
        assert_eq!(app.kabinet.end_links_come_of_age().await.unwrap(), 0, "{b}: once");
        let trail = app.db.store.audit_trail(son).await.unwrap();
        let row = trail.iter().find(|r| r.action.as_str() == "representative.unlink").unwrap();
        assert_eq!(row.actor_kind.as_str(), "system", "{b}");
        let (links, _) = app.kabinet.representative_links(&admin_user, son).await.unwrap();
        let reason = links[0].link.end_reason.as_deref();
        assert_eq!(reason, Some("Представляемому исполнилось 18 лет"), "{b}");
        assert!(!links[0].live, "{b}");
    }
}

#[tokio::test]
async fn a_dependent_of_fifteen_with_an_account_sees_who_acts_for_them_and_what_was_done() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let admin_user = staff_user(&app, &admin).await;
        let mama = confirmed_person(
            &app,
            &admin_user,
            "mama@example.ru",
            ("Иванова", "Анна", "1980-05-05"),
            "+7 916 555-30-01",
        )
        .await;
        let teen = confirmed_person(
            &app,
            &admin_user,
            "teen@example.ru",
            ("Иванова", "Маша", "2010-09-01"),
            "+7 916 555-30-03",
        )
        .await;
        let token = csrf(&app, &admin).await;
        let search = format!("/staff/patients/{}/representatives/search", teen.id);
        let found =
            post(&app, &search, &admin, &[("csrf", &token), ("q", "mama@example.ru")]).await;
        assert!(found.body.contains("Иванова Анна Петровна"), "{b}: {}", found.body);
        let link = format!("/staff/patients/{}/representatives", teen.id);
        let mama_id = mama.id.to_string();
        let form = [
            ("csrf", token.as_str()),
            ("representative_id", mama_id.as_str()),
            ("basis", "parent"),
            ("document_kind", "birth_certificate"),
            ("document_number", "II-МЮ 700111"),
        ];
        assert_eq!(post(&app, &link, &admin, &form).await.status, 303, "{b}");
        let twice = post(&app, &link, &admin, &form).await;
        assert_eq!(twice.status, 422, "{b}");
        assert!(twice.body.contains("уже связан"), "{b}");

        // The parent books for the teenager.
        let (specialist, start) = free_start(&app).await;
        let body = json!({"specialist_id": specialist, "start": start});
        let booked =
            api_for(&app, ("POST", "/api/v1/me/visits"), &mama.token, Some(teen.id), Some(&body))
                .await;
        assert_eq!(booked.status, 201, "{b}: {}", booked.body);

        let cabinet = app.get_with_cookie("/cabinet", Some(&teen.cookie)).await;
        assert!(
            cabinet.body.contains("Ваш законный представитель Иванова Анна Петровна"),
            "{b}: {}",
            cabinet.body
        );
        assert!(cabinet.body.contains("основание: родитель"), "{b}");
        let profile = app.get_with_cookie("/cabinet/profile", Some(&teen.cookie)).await;
        assert!(profile.body.contains("Что сделано от вашего имени"), "{b}");
        assert!(
            profile.body.contains("Иванова Анна Петровна: Запись на приём"),
            "{b}: {}",
            profile.body
        );
    }
}

//! Issue 10, point 6: the back office speaks people — access levels in words, dates as
//! 12.04.1985, phones as +7 916 123-45-67 — never the values the database keeps; the feed in
//! neutral words with each event's own time; a change request from what to what; the
//! specialist picker warns about the patient's age; what is hard to undo asks first; required
//! fields are marked.

use jiff::Timestamp;
use kabinet_core::Clock;
use kabinet_core::access::Origin;
use kabinet_core::lang::Lang;
use kabinet_service::change_requests::ChangeFields;
use serde_json::json;

use crate::common::TestApp;
use crate::staff::{
    REGISTRAR_PASSWORD, administrator, csrf, online_patient, post, registrar, sign_in_fully,
};

#[tokio::test]
async fn a_patients_card_and_the_search_speak_people() {
    let app = TestApp::sqlite().await;
    let admin = administrator(&app).await;
    let reg = registrar(&app, &admin).await;
    online_patient(&app, "ivan@example.ru").await;
    let patient = app.db.store.account_by_login("ivan@example.ru").await.unwrap().unwrap();
    let path = format!("/staff/patients/{}", patient.patient_id);
    let card = app.get_with_cookie(&path, Some(&reg)).await.body;
    let token = csrf(&app, &reg).await;
    let found = post(&app, "/staff/search", &reg, &[("csrf", &token), ("q", "Седов")]).await.body;
    for page in [&card, &found] {
        assert!(page.contains("Онлайн-регистрация"), "{page}");
        assert!(page.contains("05.05.1990"), "{page}");
        assert!(page.contains("+7 903 555-11-22"), "{page}");
        for raw in ["unconfirmed", "1990-05-05", "+79035551122<"] {
            assert!(!page.contains(raw), "{raw} shown as stored");
        }
    }
}

/// The patient's id, as the registrar's search links it.
async fn found_id(app: &TestApp, reg: &str, q: &str) -> i64 {
    let token = csrf(app, reg).await;
    let found = post(app, "/staff/search", reg, &[("csrf", &token), ("q", q)]).await.body;
    let id = found.split("href=\"/staff/patients/").nth(1).unwrap().split('"').next().unwrap();
    id.parse().unwrap()
}

/// «2026-11-23T09:00:00+03:00»: an instant as the feed's `<time datetime>` carries it.
fn iso(app: &TestApp, at: Timestamp) -> String {
    at.to_zoned(app.kabinet.settings.time_zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[tokio::test]
async fn the_feed_says_what_happened_in_neutral_words_and_when_it_happened() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        registrar(&app, &admin).await;
        let patient = online_patient(&app, "ivan@example.ru").await;
        let (specialist, start) = app.bookable(0).await;
        let booked_at = app.clock.now();
        let visit = json!({"specialist_id": specialist, "start": start.to_string()});
        let booked = app.api("POST", "/api/v1/me/visits", &patient, Some(&visit)).await;
        assert_eq!(booked.status, 201, "{b}: {}", booked.body);

        // The registrar reads the feed three hours later (signed in again): the entry keeps
        // its own time.
        app.clock.advance(jiff::SignedDuration::from_hours(3));
        let reg = sign_in_fully(&app, "reg1", REGISTRAR_PASSWORD).await;
        let feed = app.get_with_cookie("/staff/feed", Some(&reg)).await.body;
        assert!(feed.contains(&format!("datetime=\"{}\"", iso(&app, booked_at))), "{b}: {feed}");
        assert!(feed.contains("23 ноября 2026, 09:00"), "{b}: the booking's time, in words");
        assert!(!feed.contains("23 ноября 2026, 12:00"), "{b}: not the time of viewing");
        assert!(feed.contains("Запись на приём онлайн"), "{b}: {feed}");
        assert!(feed.contains("приём:"), "{b}: the visit's own time is labelled");
        for gendered in ["записался", "записалась", "перенёс", "отменил", "сообщил"]
        {
            assert!(!feed.contains(gendered), "{b}: «{gendered}» guesses the patient's gender");
        }
        let english = app.get_with_cookie("/staff/feed", Some(&format!("{reg}; lang=en"))).await;
        assert!(english.body.contains("Booked online"), "{b}: {}", english.body);
        assert!(english.body.contains("23 November 2026, 09:00"), "{b}");
    }
}

#[tokio::test]
async fn a_change_request_shows_each_field_from_what_to_what() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        online_patient(&app, "ivan@example.ru").await;
        let account = app.db.store.account_by_login("ivan@example.ru").await.unwrap().unwrap();
        let fields = ChangeFields {
            last_name: Some("Седов-Белый".into()),
            birth_date: Some("06.05.1990".into()),
            phone: Some("8 916 123-45-67".into()),
            ..Default::default()
        };
        app.kabinet.request_change(account.patient_id, &fields, &Origin::default()).await.unwrap();
        let page = app.get_with_cookie("/staff/requests", Some(&admin)).await.body;
        for (was, becomes) in [
            ("Седов", "Седов-Белый"),
            ("05.05.1990", "06.05.1990"),
            ("+7 903 555-11-22", "+7 916 123-45-67"),
        ] {
            let change = format!(
                "сейчас: </span>{was}</span> <span aria-hidden=\"true\">→</span> \
                 <strong><span class=\"visually-hidden\">станет: </span>{becomes}</strong>"
            );
            assert!(page.contains(&change), "{b}: {was} → {becomes} in {page}");
        }
        assert!(!page.contains("Имя</dt>"), "{b}: only the fields asked to change");
        assert!(!page.contains("class=\"card\""), "{b}: not the specialist's card layout");
    }
}

#[tokio::test]
async fn the_specialist_picker_names_specialties_and_warns_when_the_age_does_not_fit() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let cards = app.kabinet.all_specialists(Lang::Ru).await.unwrap();
        let only = |name: &str| {
            cards
                .iter()
                .find(|c| {
                    c.specialist.online_booking
                        && !c.specialties.is_empty()
                        && c.specialties.iter().all(|s| s.name.as_str() == name)
                })
                .map(|c| (c.specialist.id, c.specialist.full_name()))
                .unwrap()
        };
        let (pediatrician, pediatrician_name) = only("Педиатр");
        let (therapist, therapist_name) = only("Терапевт");

        // A grown-up (36 on the clock's day): the pediatrician is marked, the therapist not.
        online_patient(&app, "ivan@example.ru").await;
        let adult = found_id(&app, &reg, "Седов").await;
        let card = app.get_with_cookie(&format!("/staff/patients/{adult}"), Some(&reg)).await;
        assert!(card.body.contains("05.05.1990 (36 лет)"), "{b}: {}", card.body);
        assert!(card.body.contains("Пациенту 36 лет."), "{b}");
        let marked = format!("{pediatrician_name} — Педиатр · не по возрасту пациента</option>");
        assert!(card.body.contains(&marked), "{b}: {}", card.body);
        assert!(card.body.contains(&format!("{therapist_name} — Терапевт</option>")), "{b}");

        let book = format!("/staff/patients/{adult}/book?specialist={pediatrician}");
        let page = app.get_with_cookie(&book, Some(&reg)).await;
        assert_eq!(page.status, 200, "{b}");
        assert!(page.body.contains("Этот специалист не принимает пациентов такого возраста"));
        assert!(page.body.contains("Пациенту 36 лет. Педиатр: от 0 до 17 лет."), "{b}");
        // A warning, not a refusal: the registrar books all the same.
        let start = page.body.split("name=\"start\" value=\"").nth(1).unwrap();
        let start = start.split('"').next().unwrap().to_owned();
        let token = csrf(&app, &reg).await;
        let id = pediatrician.to_string();
        let form = [("csrf", token.as_str()), ("specialist", &id), ("start", &start)];
        let booked = post(&app, &format!("/staff/patients/{adult}/visits"), &reg, &form).await;
        assert_eq!(booked.status, 303, "{b}: {}", booked.body);
        let fits = format!("/staff/patients/{adult}/book?specialist={therapist}");
        let fits = app.get_with_cookie(&fits, Some(&reg)).await.body;
        assert!(!fits.contains("class=\"warning\""), "{b}: a therapist sees a grown-up");

        // A child of seven: the therapist is the one that does not fit.
        let (one_time, one_time_start) = app.bookable(3).await;
        let (one_time, one_time_start) = (one_time.to_string(), one_time_start.to_string());
        let mut form = crate::common::booking_form(&one_time, &one_time_start, "+79005550778");
        form.retain(|(name, _)| *name != "birth_date" && *name != "last_name");
        form.extend([("birth_date", "2019-03-14"), ("last_name", "Малышева")]);
        assert_eq!(app.post_form("/booking", &form).await.status, 303, "{b}");
        let child = found_id(&app, &reg, "Малышева").await;
        let book = format!("/staff/patients/{child}/book?specialist={therapist}");
        let page = app.get_with_cookie(&book, Some(&reg)).await.body;
        assert!(page.contains("Пациенту 7 лет. Терапевт: с 18 лет."), "{b}: {page}");
        let english = app.get_with_cookie(&book, Some(&format!("{reg}; lang=en"))).await.body;
        assert!(
            english.contains("The patient is 7 years old. General practitioner: aged 18 and over.")
        );
        let book = format!("/staff/patients/{child}/book?specialist={pediatrician}");
        let page = app.get_with_cookie(&book, Some(&reg)).await.body;
        assert!(!page.contains("class=\"warning\""), "{b}: a pediatrician sees a child");
    }
}

#[tokio::test]
async fn cancel_suspend_and_a_new_password_ask_to_confirm_first() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let patient = online_patient(&app, "ivan@example.ru").await;
        let (specialist, start) = app.bookable(0).await;
        let visit = json!({"specialist_id": specialist, "start": start.to_string()});
        let booked = app.api("POST", "/api/v1/me/visits", &patient, Some(&visit)).await;
        let visit = booked.json()["id"].as_i64().unwrap();
        let id = found_id(&app, &reg, "Седов").await;
        let card = app.get_with_cookie(&format!("/staff/patients/{id}"), Some(&reg)).await.body;

        // The card's buttons lead to a page that asks; opening it changes nothing.
        for (path, question, yes) in [
            (
                format!("/staff/patients/{id}/visits/{visit}/cancel"),
                "Отменить приём?",
                "Да, отменить приём",
            ),
            (
                // Since issue 13 the page asks for the reason too.
                format!("/staff/patients/{id}/suspend"),
                "Приостановить доступ",
                "Приостановить доступ",
            ),
        ] {
            let link = format!("class=\"button button-danger-outline\" href=\"{path}\"");
            assert!(card.contains(&link), "{b}: {path} in {card}");
            let page = app.get_with_cookie(&path, Some(&reg)).await;
            assert_eq!(page.status, 200, "{b}: {path}");
            assert!(page.body.contains(question), "{b}: {}", page.body);
            let form = format!("<form method=\"post\" action=\"{path}\"");
            assert!(page.body.contains(&form), "{b}: the form posts the action");
            assert!(page.body.contains(&format!("class=\"button button-danger\">{yes}")), "{b}");
            assert!(
                page.body.contains(&format!("href=\"/staff/patients/{id}\"")),
                "{b}: a way back"
            );
        }
        let visits = app.api("GET", "/api/v1/me/visits", &patient, None).await;
        assert_eq!(visits.status, 200, "{b}: the patient is still signed in");
        assert_eq!(visits.json()["items"][0]["status"], "booked", "{b}: the visit stands");

        // Another patient's visit has no such page.
        online_patient(&app, "olga@example.ru").await;
        let olga = app.db.store.account_by_login("olga@example.ru").await.unwrap().unwrap();
        let other = format!("/staff/patients/{}/visits/{visit}/cancel", olga.patient_id);
        assert_eq!(app.get_with_cookie(&other, Some(&reg)).await.status, 404, "{b}");

        // A new one-time password, once the patient has confirmed access.
        let otp = format!("/staff/patients/{id}/one-time-password");
        let page = app.get_with_cookie(&otp, Some(&reg)).await;
        assert_eq!(page.status, 200, "{b}");
        assert!(page.body.contains("Выдать новый одноразовый пароль?"), "{b}");
        assert!(page.body.contains("личный пароль пациента перестанут действовать"), "{b}");

        // A colleague: the administrator is asked; a registrar may not; nobody suspends
        // themselves.
        let team = app.get_with_cookie("/staff/team", Some(&admin)).await.body;
        let member = app.db.store.staff_by_login("reg1").await.unwrap().unwrap();
        let path = format!("/staff/team/{}/suspend", member.id);
        assert!(team.contains(&format!("class=\"button button-danger-outline\" href=\"{path}\"")));
        let page = app.get_with_cookie(&path, Some(&admin)).await;
        assert_eq!(page.status, 200, "{b}");
        assert!(page.body.contains("Приостановить доступ сотрудника?"), "{b}");
        assert!(page.body.contains("Ирина Регистратор"), "{b}");
        assert_eq!(app.get_with_cookie(&path, Some(&reg)).await.status, 403, "{b}");
        let me = app.db.store.staff_by_login("admin").await.unwrap().unwrap();
        let myself = format!("/staff/team/{}/suspend", me.id);
        assert_eq!(app.get_with_cookie(&myself, Some(&admin)).await.status, 404, "{b}");
        let card = app.get_with_cookie("/staff", Some(&reg)).await;
        assert_eq!(card.status, 200, "{b}: the registrar was not suspended by the question");
    }
}

#[tokio::test]
async fn the_setup_link_sits_in_a_neutral_box_with_a_copy_button() {
    let app = TestApp::sqlite().await;
    let admin = administrator(&app).await;
    let token = csrf(&app, &admin).await;
    let form = [("csrf", token.as_str()), ("login", "reg2"), ("full_name", "Пётр Новиков")];
    let added = post(&app, "/staff/team", &admin, &form).await.body;
    assert!(added.contains("<div class=\"linkbox\" role=\"status\">"), "{added}");
    assert!(!added.contains("class=\"alert\""), "not an error's colour");
    assert!(added.contains("<code id=\"setup-link\">"), "the link as text, selectable");
    assert!(added.contains("data-copy=\"setup-link\""), "a copy button for the script");
}

#[tokio::test]
async fn staff_forms_mark_required_fields_and_say_what_the_mark_means() {
    let app = TestApp::sqlite().await;
    let login = app.get("/staff/login").await.body;
    assert!(login.contains("Поля, отмеченные звёздочкой (*), обязательны"), "{login}");
    assert!(login.contains("Логин сотрудника <span aria-hidden=\"true\">*</span>"), "{login}");
    let admin = administrator(&app).await;
    let team = app.get_with_cookie("/staff/team", Some(&admin)).await.body;
    assert!(team.contains("Поля, отмеченные звёздочкой (*), обязательны"), "{team}");
    assert!(team.contains("ФИО сотрудника <span aria-hidden=\"true\">*</span>"), "{team}");
    let english = app.get_with_cookie("/staff/login", Some("lang=en")).await.body;
    assert!(english.contains("Fields marked with an asterisk (*) are required."), "{english}");
}

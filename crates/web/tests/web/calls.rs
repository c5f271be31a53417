//! Issue 12, point 1: the registrar's confirmation calls, on both databases. The list covers
//! the next working day after today (a day picked shows that day); only patients whose
//! consent to calls is in force are to be called, the others are listed apart, and a consent
//! withdrawn in the cabinet takes the patient off the list at once; several calls per visit
//! are kept with who called and when, the last one is the visit's state; «отменил» cancels
//! the visit, «перенёс» opens the move page; another patient's visit is 404.

use kabinet_core::access::Origin;
use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;
use serde_json::json;

use crate::cabinet::PASSWORD;
use crate::common::{TestApp, TestResponse};
use crate::staff::{administrator, csrf, post, registrar};

/// A patient registered over the API (consenting to calls or not), their e-mail confirmed,
/// signed in over the API: their token.
pub(crate) async fn api_patient(
    app: &TestApp,
    (login, last_name, phone): (&str, &str, &str),
    calls: bool,
) -> String {
    let registration = json!({
        "login": login, "password": PASSWORD,
        "patient": {"last_name": last_name, "first_name": "Пётр", "birth_date": "1980-01-02",
                    "phone": phone},
        "consents": {"personal_data": true, "rules": true, "calls": calls}
    });
    let made = app.post_json("/api/v1/registrations", &registration).await;
    assert_eq!(made.status, 202, "{}", made.body);
    let mail = app.db.store.pending_outbox(100).await.unwrap();
    let letter = mail.iter().rev().find(|m| m.recipient == login).unwrap();
    let token = letter.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap();
    app.kabinet.confirm_email(token, &Origin::default()).await.unwrap();
    api_token(app, login).await
}

/// A fresh API token of a registered patient.
pub(crate) async fn api_token(app: &TestApp, login: &str) -> String {
    let session =
        app.post_json("/api/v1/session", &json!({"login": login, "password": PASSWORD})).await;
    assert_eq!(session.status, 200, "{}", session.body);
    session.json()["token"].as_str().unwrap().to_owned()
}

/// Books the free time starting at `start` (Unix seconds) with `specialist`: the visit's id.
pub(crate) async fn book(app: &TestApp, token: &str, specialist: i64, start: i64) -> i64 {
    let body = json!({"specialist_id": specialist, "start": start.to_string()});
    let booked = app.api("POST", "/api/v1/me/visits", token, Some(&body)).await;
    assert_eq!(booked.status, 201, "{}: {}", app.backend(), booked.body);
    booked.json()["id"].as_i64().unwrap()
}

/// A specialist open for online booking with at least three free starts on both days
/// (`YYYY-MM-DD`), and those starts (Unix seconds) of each day.
pub(crate) async fn starts_on(app: &TestApp, days: [&str; 2]) -> (i64, [Vec<i64>; 2]) {
    let cards = app.kabinet.all_specialists(kabinet_core::lang::Lang::Ru).await.unwrap();
    for card in cards.iter().filter(|c| c.specialist.online_booking) {
        let id = card.specialist.id;
        let mut found = [Vec::new(), Vec::new()];
        for (day, starts) in days.iter().zip(found.iter_mut()) {
            let uri = format!("/api/v1/specialists/{id}/slots?from={day}&to={day}");
            *starts = app.get(&uri).await.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["start"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap())
                .map(|t| t.as_second())
                .collect();
        }
        if found.iter().all(|s| s.len() >= 3) {
            return (id, found);
        }
    }
    panic!("{}: no specialist has free time on {days:?}", app.backend());
}

/// The patient's id, as the registrar's search finds them by name.
pub(crate) async fn patient_id(app: &TestApp, reg: &str, name: &str) -> i64 {
    let token = csrf(app, reg).await;
    let found = post(app, "/staff/search", reg, &[("csrf", &token), ("q", name)]).await;
    let tail = found.body.split("/staff/patients/").nth(1).expect("the patient is found");
    tail.split('"').next().unwrap().parse().unwrap()
}

/// The part of the call list to call, and the part not to.
fn sections(page: &TestResponse) -> (&str, &str) {
    let (to_call, no_consent) = page.body.split_once("id=\"no-consent\"").unwrap();
    (to_call, no_consent)
}

async fn call(
    app: &TestApp,
    reg: &str,
    (patient, visit): (i64, i64),
    outcome: &str,
) -> TestResponse {
    let token = csrf(app, reg).await;
    let uri = format!("/staff/patients/{patient}/visits/{visit}/calls");
    post(app, &uri, reg, &[("csrf", &token), ("outcome", outcome), ("date", "")]).await
}

#[tokio::test]
async fn the_call_list_is_of_the_next_working_day_and_of_patients_who_consent_to_calls() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        // Monday: the list is Tuesday's.
        let (specialist, [tuesday, wednesday]) =
            starts_on(&app, ["2026-11-24", "2026-11-25"]).await;
        let agrees = api_patient(&app, ("agrees@example.ru", "Звонкова", "+79005550201"), true);
        let agrees = agrees.await;
        let refuses = api_patient(&app, ("refuses@example.ru", "Тихонова", "+79005550202"), false);
        let refuses = refuses.await;
        let later = api_patient(&app, ("later@example.ru", "Позднякова", "+79005550203"), true);
        let later = later.await;
        book(&app, &agrees, specialist, tuesday[0]).await;
        book(&app, &refuses, specialist, tuesday[1]).await;
        book(&app, &later, specialist, wednesday[0]).await;

        let page = app.get_with_cookie("/staff/calls", Some(&reg)).await;
        assert_eq!(page.status, 200, "{b}: {}", page.body);
        assert!(page.body.contains("вторник, 24 ноября"), "{b}: the next working day");
        let (to_call, no_consent) = sections(&page);
        assert!(to_call.contains("Звонкова Пётр"), "{b}: consent given, to call");
        assert!(to_call.contains("+7 900 555-02-01"), "{b}: the phone as people read it");
        assert!(to_call.contains("tel:+79005550201"), "{b}");
        assert!(!to_call.contains("Тихонова"), "{b}: no consent, not to call");
        assert!(no_consent.contains("Тихонова Пётр"), "{b}: listed apart");
        assert!(!no_consent.contains("tel:+79005550202"), "{b}: no phone-call button");
        assert!(no_consent.contains("Нет согласия на звонки — не звонить"), "{b}");
        assert!(!page.body.contains("Позднякова"), "{b}: Wednesday is outside the window");

        // Another day picked.
        let picked = app.get_with_cookie("/staff/calls?date=2026-11-25", Some(&reg)).await;
        assert!(sections(&picked).0.contains("Позднякова Пётр"), "{b}: the day picked");
        assert!(!picked.body.contains("Звонкова"), "{b}");

        // The consent withdrawn in the cabinet takes the patient off the list at once.
        let cabinet = crate::cabinet::sign_in(&app, "agrees@example.ru", PASSWORD).await;
        let settings = app.get_with_cookie("/cabinet/calendar", Some(&cabinet)).await;
        assert!(settings.body.contains("Согласие дано."), "{b}: the calendar says it is given");
        assert!(settings.body.contains("href=\"/cabinet/consents#consent-calls\""), "{b}");
        let confirm = app.get_with_cookie("/cabinet/consents/calls/withdraw", Some(&cabinet)).await;
        assert_eq!(confirm.status, 200, "{b}: a confirmation first");
        let form = [("csrf", confirm.csrf())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let withdrawn = app
            .post_form_with_cookie("/cabinet/consents/calls/withdraw", Some(&cabinet), &form)
            .await;
        assert_eq!(withdrawn.status, 303, "{b}: {}", withdrawn.body);
        let page = app.get_with_cookie("/staff/calls", Some(&reg)).await;
        let (to_call, no_consent) = sections(&page);
        assert!(!to_call.contains("Звонкова"), "{b}: withdrawn, not to call");
        assert!(no_consent.contains("Звонкова Пётр"), "{b}");
        let filter = AuditFilter {
            action: Some(AuditAction::ConsentWithdraw),
            limit: 10,
            ..AuditFilter::default()
        };
        assert_eq!(app.db.store.audit_log(&filter).await.unwrap().len(), 1, "{b}: audited");

        // Given again: back on the list.
        let form = [("csrf", settings.csrf())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post_form_with_cookie("/cabinet/consents/calls/give", Some(&cabinet), &form).await;
        let page = app.get_with_cookie("/staff/calls", Some(&reg)).await;
        assert!(sections(&page).0.contains("Звонкова Пётр"), "{b}: given again");
    }
}

#[tokio::test]
async fn calls_are_kept_one_by_one_and_cancel_or_move_the_visit() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let (specialist, [tuesday, _]) = starts_on(&app, ["2026-11-24", "2026-11-25"]).await;
        let first = api_patient(&app, ("first@example.ru", "Первова", "+79005550211"), true);
        let first = first.await;
        let second = api_patient(&app, ("second@example.ru", "Вторых", "+79005550212"), true);
        let second = second.await;
        let visit = book(&app, &first, specialist, tuesday[0]).await;
        let other = book(&app, &second, specialist, tuesday[1]).await;
        let patient = patient_id(&app, &reg, "Первова").await;
        let other_patient = patient_id(&app, &reg, "Вторых").await;

        let page = app.get_with_cookie("/staff/calls", Some(&reg)).await;
        assert!(page.body.contains("не звонили"), "{b}: nobody called yet");

        let answered = call(&app, &reg, (patient, visit), "no_answer").await;
        assert_eq!(answered.status, 303, "{b}: {}", answered.body);
        assert_eq!(answered.location(), format!("/staff/calls#visit-{visit}"));
        app.clock.advance(jiff::SignedDuration::from_mins(20));
        assert_eq!(call(&app, &reg, (patient, visit), "confirmed").await.status, 303, "{b}");

        let page = app.get_with_cookie("/staff/calls", Some(&reg)).await;
        let row = page.body.split(&format!("id=\"visit-{visit}\"")).nth(1).unwrap();
        let row = row.split("</tr>").next().unwrap();
        assert!(row.contains("<strong>подтвердил</strong>"), "{b}: the last call is the state");
        assert!(row.contains("23 ноября 2026, 09:00 — не дозвонились (Ирина Регистратор)"), "{b}");
        assert!(row.contains("23 ноября 2026, 09:20 — подтвердил (Ирина Регистратор)"), "{b}");
        let card = app.get_with_cookie(&format!("/staff/patients/{patient}"), Some(&reg)).await;
        assert!(card.body.contains("подтверждение: подтвердил"), "{b}: on the card");
        let filter = AuditFilter {
            action: Some(AuditAction::AppointmentCall),
            limit: 10,
            ..AuditFilter::default()
        };
        assert_eq!(app.db.store.audit_log(&filter).await.unwrap().len(), 2, "{b}: audited");

        // Another patient's visit through this patient's path: 404.
        let foreign = call(&app, &reg, (patient, other), "confirmed").await;
        assert_eq!(foreign.status, 404, "{b}");
        let unknown = call(&app, &reg, (patient, visit), "maybe").await;
        assert_eq!(unknown.status, 404, "{b}: an unknown outcome");

        // «Перенёс» opens the move page; «отменил» cancels the visit.
        let moved = call(&app, &reg, (other_patient, other), "moved").await;
        assert_eq!(moved.status, 303, "{b}");
        assert_eq!(
            moved.location(),
            format!("/staff/patients/{other_patient}/visits/{other}/move")
        );
        let cancelled = call(&app, &reg, (other_patient, other), "cancelled").await;
        assert_eq!(cancelled.status, 303, "{b}: {}", cancelled.body);
        let shown = app.api("GET", &format!("/api/v1/me/visits/{other}"), &second, None).await;
        assert_eq!(shown.json()["status"], "cancelled", "{b}: the call cancelled the visit");
        let page = app.get_with_cookie("/staff/calls", Some(&reg)).await;
        assert!(!page.body.contains("Вторых"), "{b}: a cancelled visit leaves the list");
        let again = call(&app, &reg, (other_patient, other), "confirmed").await;
        assert_eq!(again.status, 404, "{b}: no calls about a cancelled visit");
    }
}

#[tokio::test]
async fn the_window_counts_working_days_after_today() {
    for db in kabinet_testkit::TestDb::each_backend().await {
        let settings = kabinet_service::Settings { call_window_days: 3, ..Default::default() };
        let app = TestApp::with_settings(db, settings).await;
        let b = app.backend();
        // Friday 27 November, 09:00 in Moscow; the demo clinic works every day.
        app.clock.set("2026-11-27T06:00:00Z".parse().unwrap());
        let days = app.kabinet.next_working_days().await.unwrap();
        let days: Vec<String> = days.iter().map(ToString::to_string).collect();
        assert_eq!(days, ["2026-11-28", "2026-11-29", "2026-11-30"], "{b}");
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let page = app.get_with_cookie("/staff/calls", Some(&reg)).await;
        assert!(page.body.contains("суббота, 28 ноября"), "{b}: {}", page.body);
        assert!(page.body.contains("понедельник, 30 ноября"), "{b}");

        // Saturday made everyone's day off (a holiday): the window looks past it.
        let schedules = app.get_with_cookie("/staff/schedules", Some(&admin)).await;
        let ids: Vec<&str> = schedules
            .body
            .split("href=\"/staff/schedules/")
            .skip(1)
            .filter_map(|tail| tail.split('"').next())
            .collect();
        assert!(!ids.is_empty(), "{b}: {}", schedules.body);
        for id in ids {
            let token = csrf(&app, &admin).await;
            let form = [("csrf", token.as_str()), ("kind", "day_off"), ("from", "28.11.2026")];
            let uri = format!("/staff/schedules/{id}/exceptions");
            assert_eq!(post(&app, &uri, &admin, &form).await.status, 303, "{b}: {uri}");
        }
        let days = app.kabinet.next_working_days().await.unwrap();
        let days: Vec<String> = days.iter().map(ToString::to_string).collect();
        assert_eq!(days, ["2026-11-29", "2026-11-30", "2026-12-01"], "{b}");
    }
}

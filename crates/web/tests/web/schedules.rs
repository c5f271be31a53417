//! The administrator's schedules over HTTP, on every backend: a specialist's schedule in
//! words, a vacation that takes free time away (and its removal that gives it back), a
//! template until further notice and its end, a bad form kept as typed, and a registrar
//! refused.

use jiff::ToSpan;
use kabinet_core::access::ActorKind;
use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;

use crate::common::TestApp;
use serde_json::json;

use crate::staff::{administrator, csrf, online_patient, post, registrar};

/// The id of the schedule item shown as `words`: the first form after them whose action is
/// `{base}/{part}/{id}{tail}`.
fn id_after(body: &str, words: &str, (base, part, tail): (&str, &str, &str)) -> i64 {
    let after = body.split(words).nth(1).unwrap_or_else(|| panic!("{words} in {body}"));
    let rest = after.split(&format!("action=\"{base}/{part}/")).nth(1).unwrap();
    rest.split_once(tail).unwrap().0.parse().unwrap()
}

#[tokio::test]
async fn the_administrator_keeps_a_schedule_in_words() {
    for app in TestApp::each_backend().await {
        let admin = administrator(&app).await;
        let (id, first) = app.bookable(0).await;
        let base = format!("/staff/schedules/{id}");
        let list = app.get_with_cookie("/staff/schedules", Some(&admin)).await;
        assert_eq!(list.status, 200, "{}", list.body);
        assert!(list.body.contains(&format!("href=\"{base}\"")));

        let page = app.get_with_cookie(&base, Some(&admin)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("до дальнейших изменений"), "{}", page.body);
        assert!(page.body.contains("приём по"), "the slot step in words");

        // A vacation over the day of the first free slot takes that day's time away.
        let day = jiff::Timestamp::from_second(first)
            .unwrap()
            .to_zoned(app.kabinet.settings.time_zone.clone())
            .date();
        let typed = day.strftime("%d.%m.%Y").to_string();
        let token = csrf(&app, &admin).await;
        let form = [("csrf", token.as_str()), ("kind", "vacation"), ("from", typed.as_str())];
        let added = post(&app, &format!("{base}/exceptions"), &admin, &form).await;
        assert_eq!(added.status, 303, "{}", added.body);
        let page = app.get_with_cookie(&base, Some(&admin)).await;
        assert!(page.body.contains(&format!("Отпуск: {typed}")), "{}", page.body);
        assert!(app.kabinet.free_slots(id, day, day).await.unwrap().is_empty(), "no time that day");

        // Removing it gives the day back.
        let exception =
            id_after(&page.body, &format!("Отпуск: {typed}"), (&base, "exceptions", "/remove"));
        let form = [("csrf", token.as_str())];
        let uri = format!("{base}/exceptions/{exception}/remove");
        assert_eq!(post(&app, &uri, &admin, &form).await.status, 303);
        assert!(!app.kabinet.free_slots(id, day, day).await.unwrap().is_empty());

        // An extra Sunday evening with hours of its own.
        let sunday = (0..7)
            .map(|n| day + n.days())
            .find(|d| d.weekday() == jiff::civil::Weekday::Sunday)
            .unwrap();
        let sunday_typed = sunday.to_string();
        let form = [
            ("csrf", token.as_str()),
            ("kind", "extra_day"),
            ("from", sunday_typed.as_str()),
            ("start", "20:00"),
            ("end", "22:00"),
            ("slot_minutes", "30"),
        ];
        assert_eq!(post(&app, &format!("{base}/exceptions"), &admin, &form).await.status, 303);
        let evening = |slots: Vec<kabinet_core::schedule::Slot>| -> Vec<String> {
            let tz = app.kabinet.settings.time_zone.clone();
            slots
                .iter()
                .map(|s| s.start.to_zoned(tz.clone()).strftime("%H:%M").to_string())
                .filter(|t| t.as_str() >= "20:00")
                .collect()
        };
        let extra = evening(app.kabinet.free_slots(id, sunday, sunday).await.unwrap());
        assert_eq!(extra, ["20:00", "20:30", "21:00", "21:30"]);

        // A bad template is refused in words, the form keeps what was typed.
        let form = [
            ("csrf", token.as_str()),
            ("weekday", "6"),
            ("start", "15:00"),
            ("end", "14:00"),
            ("slot_minutes", "20"),
            ("valid_from", "завтра"),
        ];
        let bad = post(&app, &format!("{base}/templates"), &admin, &form).await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("Конец приёма должен быть позже начала."), "{}", bad.body);
        assert!(bad.body.contains("Укажите дату в виде ДД.ММ.ГГГГ"));
        assert!(bad.body.contains("value=\"завтра\""), "kept as typed");

        // A Saturday evening template until further notice, then ended.
        let saturday = sunday - 1.day();
        let form = [
            ("csrf", token.as_str()),
            ("weekday", "6"),
            ("start", "20:00"),
            ("end", "22:00"),
            ("slot_minutes", "60"),
            ("valid_from", typed.as_str()),
            ("valid_until", ""),
        ];
        assert_eq!(post(&app, &format!("{base}/templates"), &admin, &form).await.status, 303);
        let page = app.get_with_cookie(&base, Some(&admin)).await;
        let words = "Суббота, 20:00–22:00, приём по 60 мин";
        assert!(page.body.contains(words), "{}", page.body);
        let later = saturday + 14.days();
        let slots = evening(app.kabinet.free_slots(id, later, later).await.unwrap());
        assert_eq!(slots, ["20:00", "21:00"]);
        let template = id_after(&page.body, words, (&base, "templates", "/end"));
        let last = saturday.to_string();
        let form = [("csrf", token.as_str()), ("last_day", last.as_str())];
        let uri = format!("{base}/templates/{template}/end");
        assert_eq!(post(&app, &uri, &admin, &form).await.status, 303);
        let slots = evening(app.kabinet.free_slots(id, later, later).await.unwrap());
        assert!(slots.is_empty(), "the Saturday evening ended: {slots:?}");

        // Every change is in the audit log, by the administrator.
        for (action, count) in [
            (AuditAction::ScheduleExceptionAdd, 2),
            (AuditAction::ScheduleExceptionRemove, 1),
            (AuditAction::ScheduleTemplateAdd, 1),
            (AuditAction::ScheduleTemplateEnd, 1),
        ] {
            let filter = AuditFilter {
                action: Some(action),
                actor_kind: Some(ActorKind::Staff),
                limit: 100,
                ..AuditFilter::default()
            };
            let rows = app.db.store.audit_log(&filter).await.unwrap();
            assert_eq!(rows.len(), count, "{action:?}");
        }
        let reg = registrar(&app, &admin).await;
        assert_eq!(app.get_with_cookie(&base, Some(&reg)).await.status, 403, "{}", app.backend());
        let token = csrf(&app, &reg).await;
        let form = [("csrf", token.as_str()), ("kind", "vacation"), ("from", typed.as_str())];
        let refused = post(&app, &format!("{base}/exceptions"), &reg, &form).await;
        assert_eq!(refused.status, 403);
        let missing = app.get_with_cookie("/staff/schedules/999999", Some(&admin)).await;
        assert_eq!(missing.status, 404);
    }
}

#[tokio::test]
async fn a_vacation_over_a_booked_visit_lists_it_and_the_registrar_moves_it_with_a_reason() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let patient = online_patient(&app, "ivan@example.ru").await;
        let (specialist, start) = app.bookable(0).await;
        let body = json!({"specialist_id": specialist, "start": start.to_string()});
        let booked = app.api("POST", "/api/v1/me/visits", &patient, Some(&body)).await;
        assert_eq!(booked.status, 201, "{}", booked.body);
        let visit = booked.json()["id"].as_i64().unwrap();
        let patient_id =
            app.db.store.account_by_login("ivan@example.ru").await.unwrap().unwrap().patient_id;

        // The vacation takes the visit's day: saved, and the visit listed, not dropped.
        let tz = app.kabinet.settings.time_zone.clone();
        let day = jiff::Timestamp::from_second(start).unwrap().to_zoned(tz).date();
        let typed = day.strftime("%d.%m.%Y").to_string();
        let token = csrf(&app, &admin).await;
        let form = [("csrf", token.as_str()), ("kind", "vacation"), ("from", typed.as_str())];
        let base = format!("/staff/schedules/{specialist}");
        assert_eq!(post(&app, &format!("{base}/exceptions"), &admin, &form).await.status, 303);
        let sheet = app.get_with_cookie(&base, Some(&admin)).await;
        assert!(sheet.body.contains("Записи, которые задело изменение"), "{b}: {}", sheet.body);
        assert!(sheet.body.contains("Седов Иван"), "{b}");
        let list = app.get_with_cookie("/staff/moves", Some(&reg)).await;
        assert_eq!(list.status, 200, "{b}: {}", list.body);
        assert!(
            list.body.contains("Седов Иван") && list.body.contains("+7 903 555-11-22"),
            "{b}: {}",
            list.body
        );
        let move_page = format!("/staff/patients/{patient_id}/visits/{visit}/move");
        assert!(list.body.contains(&move_page), "{b}");

        // The move page offers the specialist's other free times; without a reason, refused.
        let page = app.get_with_cookie(&move_page, Some(&reg)).await;
        assert_eq!(page.status, 200, "{b}: {}", page.body);
        let new_start: i64 = page
            .body
            .split("name=\"start\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let new_start_text = new_start.to_string();
        let specialist_text = specialist.to_string();
        let token = csrf(&app, &reg).await;
        let mut form = vec![
            ("csrf", token.as_str()),
            ("specialist", specialist_text.as_str()),
            ("start", new_start_text.as_str()),
            ("reason", "  "),
        ];
        let refused = post(&app, &move_page, &reg, &form).await;
        assert_eq!(refused.status, 422, "{b}");
        // Another patient's id with this visit finds nothing to move.
        let elsewhere = format!("/staff/patients/{}/visits/{visit}/move", patient_id + 1);
        let mut theirs = form.clone();
        theirs[3] = ("reason", "Врач в отпуске");
        assert_eq!(post(&app, &elsewhere, &reg, &theirs).await.status, 404, "{b}");
        assert_eq!(app.get_with_cookie(&elsewhere, Some(&reg)).await.status, 404, "{b}");
        assert!(refused.body.contains("Напишите причину"), "{b}");
        form[3] = ("reason", "Врач в отпуске");
        let moved = post(&app, &move_page, &reg, &form).await;
        assert_eq!(moved.status, 303, "{b}: {}", moved.body);

        // The patient is told in the cabinet and by letter, with the reason; the list is empty.
        let mail = app.db.store.pending_outbox(200).await.unwrap();
        let letter = mail.iter().rev().find(|m| m.recipient == "ivan@example.ru").unwrap();
        assert!(
            letter.subject.starts_with("Запись на приём перенесена"),
            "{b}: {}",
            letter.subject
        );
        assert!(letter.body.contains("Причина: Врач в отпуске"), "{b}: {}", letter.body);
        let messages = app.api("GET", "/api/v1/me/messages", &patient, None).await;
        assert!(messages.body.contains("Врач в отпуске"), "{b}: {}", messages.body);
        let list = app.get_with_cookie("/staff/moves", Some(&reg)).await;
        assert!(list.body.contains("Таких записей нет."), "{b}");
        let stored = app.db.store.visit_of_patient(patient_id, visit).await.unwrap().unwrap();
        assert_eq!(stored.starts_at, new_start, "{b}: the visit stands at its new time");

        // Any planned visit can be moved from the card, to another specialist too.
        let card = app.get_with_cookie(&format!("/staff/patients/{patient_id}"), Some(&reg)).await;
        assert!(card.body.contains(&move_page), "{b}: the card offers the move");
        let (other, other_start) = app.bookable(1).await;
        assert_ne!(other, specialist);
        let page =
            app.get_with_cookie(&format!("{move_page}?specialist={other}"), Some(&reg)).await;
        assert!(page.body.contains(&format!("value=\"{other_start}\"")), "{b}: their free times");
        let (other_text, start_text) = (other.to_string(), other_start.to_string());
        let form = [
            ("csrf", token.as_str()),
            ("specialist", other_text.as_str()),
            ("start", start_text.as_str()),
            ("reason", "Заменяет коллега"),
        ];
        assert_eq!(post(&app, &move_page, &reg, &form).await.status, 303, "{b}");
        let stored = app.db.store.visit_of_patient(patient_id, visit).await.unwrap().unwrap();
        assert_eq!((stored.specialist_id, stored.starts_at), (other, other_start), "{b}");
        let filter = AuditFilter {
            action: Some(AuditAction::AppointmentReschedule),
            limit: 10,
            ..AuditFilter::default()
        };
        let rows = app.db.store.audit_log(&filter).await.unwrap();
        assert_eq!(rows.len(), 2, "{b}: each move is audited");
    }
}

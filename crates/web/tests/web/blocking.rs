//! Issue 13, point 2: blocking of a patient's personal data, on both databases. A registrar
//! blocks it on the patient's request with the basis and the document; from then on the
//! patient cannot book or write, is not called or reminded, the front desk neither finds nor
//! opens them (the visit already booked stays, shown without name or phone), while the
//! administrator (the responsible officer) and the auditor still do. The patient is told,
//! both events are audited, and unblocking with a reason restores everything.

use jiff::Timestamp;
use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;
use serde_json::json;

use crate::calls::{api_patient, book, patient_id, starts_on};
use crate::common::TestApp;
use crate::roles::auditor;
use crate::staff::{administrator, csrf, post, registrar};

fn block_form<'a>(token: &'a str, basis: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", token),
        ("requested_by", "authority"),
        ("authority", "Роскомнадзор"),
        ("basis", basis),
        ("document_type", "Запрос"),
        ("document_ref", "№ 08-1234"),
        ("document_date", "2026-11-20"),
    ]
}

#[tokio::test]
async fn blocked_data_is_not_processed_until_unblocked() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let (specialist, [wednesday, thursday]) =
            starts_on(&app, ["2026-11-25", "2026-11-26"]).await;
        let token = api_patient(&app, ("blocked@example.ru", "Блокова", "+79005550301"), true);
        let token = token.await;
        let visit = book(&app, &token, specialist, wednesday[0]).await;
        let id = patient_id(&app, &reg, "Блокова").await;

        // Bad input comes back with a message next to the field and what was typed.
        let form_token = csrf(&app, &reg).await;
        let uri = format!("/staff/patients/{id}/data-block");
        let page = app.get_with_cookie(&uri, Some(&reg)).await;
        assert_eq!(page.status, 200, "{b}: {}", page.body);
        let refused = post(&app, &uri, &reg, &block_form(&form_token, " ")).await;
        assert_eq!(refused.status, 422, "{b}: {}", refused.body);
        assert!(refused.body.contains("Укажите основание блокировки"), "{b}");
        assert!(refused.body.contains("value=\"Роскомнадзор\""), "{b}: the form keeps input");
        let blocked =
            post(&app, &uri, &reg, &block_form(&form_token, "Запрос о проверке сведений")).await;
        assert_eq!((blocked.status.as_u16(), blocked.location()), (303, "/staff?blocked=1"), "{b}");

        // The patient cannot book, reschedule, write or join the waiting list.
        let body = json!({"specialist_id": specialist, "start": thursday[0].to_string()});
        let booking = app.api("POST", "/api/v1/me/visits", &token, Some(&body)).await;
        assert_eq!(booking.status, 423, "{b}: {}", booking.body);
        assert_eq!(booking.json()["error"]["code"], "data_blocked", "{b}");
        let message = booking.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains("+7 (495) 555-01-00"), "{b}: the clinic's phone: {message}");
        let moved = json!({"start": thursday[1].to_string()});
        let uri_move = format!("/api/v1/me/visits/{visit}/reschedule");
        let moving = app.api("POST", &uri_move, &token, Some(&moved)).await;
        assert_eq!(moving.status, 423, "{b}: {}", moving.body);
        let text = json!({"subject": "Вопрос", "text": "Можно ли перенести приём?"});
        let writing = app.api("POST", "/api/v1/me/messages", &token, Some(&text)).await;
        assert_eq!(writing.status, 423, "{b}: {}", writing.body);
        let copy = app.api("GET", "/api/v1/me/export", &token, None).await;
        assert_eq!(copy.status, 423, "{b}: no copy of blocked data: {}", copy.body);

        // The front desk neither finds nor opens the patient, nor books for them.
        let search =
            post(&app, "/staff/search", &reg, &[("csrf", &form_token), ("q", "Блокова")]).await;
        assert!(!search.body.contains(&format!("/staff/patients/{id}\"")), "{b}: not found");
        let card = app.get_with_cookie(&format!("/staff/patients/{id}"), Some(&reg)).await;
        assert_eq!(card.status, 404, "{b}: the card is not there for the front desk");
        let start = thursday[2].to_string();
        let form = [
            ("csrf", form_token.as_str()),
            ("specialist", &specialist.to_string()),
            ("start", &start),
        ];
        let desk = post(&app, &format!("/staff/patients/{id}/visits"), &reg, &form).await;
        assert_eq!(desk.status, 404, "{b}: no booking at the front desk");

        // The responsible officer and the auditor do.
        let admin_token = csrf(&app, &admin).await;
        let found =
            post(&app, "/staff/search", &admin, &[("csrf", &admin_token), ("q", "Блокова")]).await;
        assert!(found.body.contains(&format!("/staff/patients/{id}\"")), "{b}");
        let card = app.get_with_cookie(&format!("/staff/patients/{id}"), Some(&admin)).await;
        assert_eq!(card.status, 200, "{b}");
        assert!(card.body.contains("Данные заблокированы с"), "{b}");
        assert!(card.body.contains("Запрос о проверке сведений"), "{b}: the basis");
        assert!(card.body.contains("Роскомнадзор"), "{b}: the authority");
        let aud = auditor(&app, &admin).await;
        let card = app.get_with_cookie(&format!("/staff/patients/{id}"), Some(&aud)).await;
        assert_eq!(card.status, 200, "{b}: the auditor opens it");

        // Not on the call list; the day's visits keep the visit without name or phone.
        let calls = app.get_with_cookie("/staff/calls?date=2026-11-25", Some(&reg)).await;
        assert!(!calls.body.contains("Блокова"), "{b}: not called");
        let day = app.get_with_cookie("/staff/visits?date=2026-11-25", Some(&reg)).await;
        assert!(day.body.contains("Данные заблокированы"), "{b}: {}", day.body);
        assert!(!day.body.contains("Блокова") && !day.body.contains("555-03-01"), "{b}");

        // No reminder the day before.
        let before = Timestamp::from_second(wednesday[0] - 23 * 3600).unwrap();
        app.clock.set(before);
        app.kabinet.queue_due_reminders().await.unwrap();
        let mail = app.db.store.pending_outbox(200).await.unwrap();
        let to_patient: Vec<_> =
            mail.iter().filter(|m| m.recipient == "blocked@example.ru").collect();
        assert!(!to_patient.iter().any(|m| m.kind.as_str() == "visit_reminder"), "{b}");
        app.clock.set(crate::common::MONDAY_9AM.parse::<Timestamp>().unwrap());
        // The patient was told, neutrally.
        let told = to_patient.iter().find(|m| m.kind.as_str() == "data_blocked").unwrap();
        assert!(told.subject.starts_with("Обработка персональных данных заблокирована"), "{b}");
        assert!(told.body.contains("по запросу уполномоченного органа"), "{b}");

        // Unblocking needs a reason and is the administrator's.
        let uri = format!("/staff/patients/{id}/data-unblock");
        let denied = post(&app, &uri, &reg, &[("csrf", &form_token), ("reason", "x")]).await;
        assert_eq!(denied.status, 403, "{b}");
        let empty = post(&app, &uri, &admin, &[("csrf", &admin_token), ("reason", " ")]).await;
        assert_eq!(empty.status, 422, "{b}");
        assert!(empty.body.contains("Укажите, почему блокировка снимается"), "{b}");
        let lifted =
            post(&app, &uri, &admin, &[("csrf", &admin_token), ("reason", "Проверка завершена")])
                .await;
        assert_eq!(lifted.status, 303, "{b}");

        // Everything is back.
        let moving = app.api("POST", &uri_move, &token, Some(&moved)).await;
        assert_eq!(moving.status, 200, "{b}: {}", moving.body);
        let writing = app.api("POST", "/api/v1/me/messages", &token, Some(&text)).await;
        assert_eq!(writing.status, 201, "{b}: {}", writing.body);
        let card = app.get_with_cookie(&format!("/staff/patients/{id}"), Some(&reg)).await;
        assert_eq!(card.status, 200, "{b}");
        assert!(card.body.contains("Блокировка снята"), "{b}: the history stays");

        let filter = AuditFilter { patient_id: Some(id), limit: 200, ..AuditFilter::default() };
        let rows = app.db.store.audit_log(&filter).await.unwrap();
        let actions: Vec<AuditAction> = rows.iter().map(|r| r.action).collect();
        assert!(actions.contains(&AuditAction::PatientDataBlock), "{b}");
        assert!(actions.contains(&AuditAction::PatientDataUnblock), "{b}");
        let copy = app.api("GET", "/api/v1/me/export", &token, None).await;
        assert_eq!(copy.status, 200, "{b}: the copy again once unblocked: {}", copy.body);
        // The reminder goes out again, the day before the visit (moved to Thursday).
        app.clock.set(Timestamp::from_second(thursday[1] - 23 * 3600).unwrap());
        app.kabinet.queue_due_reminders().await.unwrap();
        let mail = app.db.store.pending_outbox(200).await.unwrap();
        let to_patient: Vec<_> =
            mail.iter().filter(|m| m.recipient == "blocked@example.ru").collect();
        assert!(to_patient.iter().any(|m| m.kind.as_str() == "visit_reminder"), "{b}");
        assert!(to_patient.iter().any(|m| m.kind.as_str() == "data_unblocked"), "{b}");
    }
}

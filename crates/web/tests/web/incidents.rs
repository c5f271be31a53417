//! Issue 13, point 5: incidents with personal data, on both databases. An incident found by
//! "everyone with a visit between two days" is counted before saving and notifies exactly
//! those patients (cabinet message and letter, neutral subject); its two notices to the
//! supervisory authority are due 24 and 72 hours after detection, shown on the incident's
//! page and the administrator's home page until marked sent, red when overdue.

use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;

use crate::calls::{api_patient, book, starts_on};
use crate::common::TestApp;
use crate::staff::{administrator, csrf, post, registrar};

fn incident_form(token: &str) -> Vec<(&str, &str)> {
    vec![
        ("csrf", token),
        ("summary", "Список записей выгружен в открытую папку"),
        ("found_date", "2026-11-22"),
        ("found_time", "08:00"),
        ("categories", "full_name"),
        ("categories", "visits"),
        ("causes", "Ошибка настройки доступа"),
        ("harm", "Посторонние могли увидеть ФИО и время приёма"),
        ("measures", "Доступ закрыт, пароли сменены"),
        ("contact", "Смирнова Е. А., +7 495 555-01-00"),
        ("selection", "visits"),
        ("from", "2026-11-25"),
        ("to", "2026-11-25"),
    ]
}

#[tokio::test]
async fn an_incident_by_query_notifies_exactly_its_patients_and_tracks_the_notices() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let (specialist, [wednesday, thursday]) =
            starts_on(&app, ["2026-11-25", "2026-11-26"]).await;
        let first = api_patient(&app, ("one@example.ru", "Первова", "+79005550501"), false);
        let first = first.await;
        let second = api_patient(&app, ("two@example.ru", "Вторая", "+79005550502"), false);
        let second = second.await;
        let other = api_patient(&app, ("three@example.ru", "Третья", "+79005550503"), false);
        let other = other.await;
        book(&app, &first, specialist, wednesday[0]).await;
        book(&app, &second, specialist, wednesday[1]).await;
        book(&app, &other, specialist, thursday[0]).await;

        assert_eq!(app.get_with_cookie("/staff/incidents", Some(&reg)).await.status, 403, "{b}");
        let token = csrf(&app, &admin).await;
        let mut form = incident_form(&token);
        form.push(("preview", "1"));
        let preview = post(&app, "/staff/incidents", &admin, &form).await;
        assert_eq!(preview.status, 200, "{b}: {}", preview.body);
        assert!(preview.body.contains("Найдено 2 пациента"), "{b}: {}", preview.body);
        assert!(preview.body.contains("Ошибка настройки доступа"), "{b}: the form keeps input");
        let mut bad = incident_form(&token);
        bad.retain(|(k, _)| *k != "categories");
        let refused = post(&app, "/staff/incidents", &admin, &bad).await;
        assert_eq!(refused.status, 422, "{b}");
        assert!(refused.body.contains("Отметьте хотя бы одну категорию"), "{b}");

        let saved = post(&app, "/staff/incidents", &admin, &incident_form(&token)).await;
        assert_eq!(saved.status, 303, "{b}: {}", saved.body);
        let page_uri = saved.location().to_owned();

        // Exactly the two, in the cabinet and by letter, with a neutral subject.
        let mail = app.db.store.pending_outbox(500).await.unwrap();
        let notices: Vec<_> =
            mail.iter().filter(|m| m.kind.as_str() == "incident_notice").collect();
        let mut to: Vec<&str> = notices.iter().map(|m| m.recipient.as_str()).collect();
        to.sort_unstable();
        assert_eq!(to, ["one@example.ru", "two@example.ru"], "{b}");
        for m in &notices {
            assert!(m.subject.starts_with("Уведомление о безопасности персональных данных"));
            assert!(m.body.contains("сведения о записях на приём"), "{b}: the categories");
            assert!(!m.body.contains("Список записей выгружен"), "{b}: no internal detail");
        }
        let inbox = app.api("GET", "/api/v1/me/messages", &first, None).await.body;
        assert!(inbox.contains("Уведомление о безопасности персональных данных"), "{b}");
        let inbox = app.api("GET", "/api/v1/me/messages", &other, None).await.body;
        assert!(!inbox.contains("Уведомление о безопасности"), "{b}: not touched, not told");

        // The page: the count, both deadlines counted from detection.
        let page = app.get_with_cookie(&page_uri, Some(&admin)).await;
        assert_eq!(page.status, 200, "{b}");
        assert!(page.body.contains("2 пациента"), "{b}");
        // Found yesterday at 08:00, now 09:00: the first is overdue, in red, until sent.
        assert!(page.body.contains("срок — 23 ноября 2026, 08:00"), "{b}: {}", page.body);
        assert!(page.body.contains("срок — 25 ноября 2026, 08:00"), "{b}");
        assert_eq!(page.body.matches("просрочено").count(), 1, "{b}");
        assert!(page.body.contains("id=\"notice-24\" class=\"overdue\""), "{b}");
        let home = app.get_with_cookie("/staff", Some(&admin)).await;
        assert!(home.body.contains("Не отправлены уведомления Роскомнадзору"), "{b}");
        let notice = app.get_with_cookie(&format!("{page_uri}/notices/24"), Some(&admin)).await;
        assert_eq!(notice.status, 200, "{b}");
        assert!(notice.body.contains("Ошибка настройки доступа"), "{b}: the presumed causes");
        assert!(notice.body.contains("Смирнова Е. А."), "{b}: the contact person");
        let sent =
            post(&app, &format!("{page_uri}/notices/24/sent"), &admin, &[("csrf", &token)]).await;
        assert_eq!(sent.status, 303, "{b}");
        let page = app.get_with_cookie(&page_uri, Some(&admin)).await;
        assert!(!page.body.contains("просрочено"), "{b}");
        assert!(page.body.contains("отправлено"), "{b}");

        // The 72-hour notice carries the investigation.
        let form = [
            ("csrf", token.as_str()),
            ("investigation", "Папка открыта сотрудником по ошибке"),
            ("responsible", "Системный администратор"),
        ];
        let done = post(&app, &format!("{page_uri}/investigation"), &admin, &form).await;
        assert_eq!(done.status, 303, "{b}");
        let notice = app.get_with_cookie(&format!("{page_uri}/notices/72"), Some(&admin)).await;
        assert!(notice.body.contains("Папка открыта сотрудником по ошибке"), "{b}");
        let sent =
            post(&app, &format!("{page_uri}/notices/72/sent"), &admin, &[("csrf", &token)]).await;
        assert_eq!(sent.status, 303, "{b}");
        let home = app.get_with_cookie("/staff", Some(&admin)).await;
        assert!(!home.body.contains("Не отправлены уведомления Роскомнадзору"), "{b}");

        let filter = AuditFilter { limit: 500, ..AuditFilter::default() };
        let rows = app.db.store.audit_log(&filter).await.unwrap();
        let count = |a| rows.iter().filter(|r| r.action == a).count();
        assert_eq!(count(AuditAction::IncidentCreate), 1, "{b}");
        assert_eq!(count(AuditAction::IncidentNoticeSent), 2, "{b}");
    }
}

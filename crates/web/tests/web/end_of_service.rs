//! Issue 13, point 9: the clinic's closures of access, on both databases. A suspension takes
//! a reason that the patient reads on the sign-in page only after the right password (a
//! stranger typing the login learns nothing, and the letter never carries it); a cancelled
//! self-registration frees the times it held; the end of service closes access for good and
//! cancels the planned visits. Each is audited and told by a letter.

use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;
use serde_json::json;

use crate::cabinet::PASSWORD;
use crate::calls::{api_patient, book, patient_id, starts_on};
use crate::common::TestApp;
use crate::staff::{administrator, csrf, post, registrar};

async fn sign_in_form(app: &TestApp, login: &str, password: &str) -> crate::common::TestResponse {
    app.post_form("/login", &[("login", login), ("password", password), ("next", "")]).await
}

async fn audited(app: &TestApp, patient: i64, action: AuditAction) -> bool {
    let filter = AuditFilter { patient_id: Some(patient), limit: 200, ..AuditFilter::default() };
    app.db.store.audit_log(&filter).await.unwrap().iter().any(|r| r.action == action)
}

#[tokio::test]
async fn a_suspension_reason_is_shown_only_after_the_right_password() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let login = "suspended@example.ru";
        let token = api_patient(&app, (login, "Приостанова", "+79005550401"), false).await;
        let id = patient_id(&app, &reg, "Приостанова").await;
        let form_token = csrf(&app, &reg).await;
        let uri = format!("/staff/patients/{id}/suspend");
        let empty = post(&app, &uri, &reg, &[("csrf", &form_token), ("reason", "")]).await;
        assert_eq!(empty.status, 422, "{b}");
        assert!(empty.body.contains("Укажите причину"), "{b}");
        let reason = "Паспортные данные не совпадают с картой";
        let done = post(&app, &uri, &reg, &[("csrf", &form_token), ("reason", reason)]).await;
        assert_eq!(done.status, 303, "{b}: {}", done.body);

        // Every session ends at once.
        let visits = app.api("GET", "/api/v1/me/visits", &token, None).await;
        assert_eq!(visits.status, 401, "{b}");
        // A stranger with a wrong password learns nothing.
        let wrong = sign_in_form(&app, login, "не тот пароль совсем").await;
        assert_eq!(wrong.status, 401, "{b}");
        assert!(!wrong.body.contains(reason) && !wrong.body.contains("приостановлен"), "{b}");
        // The owner reads the reason and whom to call.
        let right = sign_in_form(&app, login, PASSWORD).await;
        assert_eq!(right.status, 403, "{b}: {}", right.body);
        assert!(right.body.contains("Доступ к личному кабинету приостановлен"), "{b}");
        assert!(right.body.contains(&format!("Причина: {reason}")), "{b}");
        assert!(right.body.contains("+7 (495) 555-01-00"), "{b}");
        let api =
            app.post_json("/api/v1/session", &json!({"login": login, "password": PASSWORD})).await;
        assert_eq!(
            (api.status.as_u16(), api.json()["error"]["code"].clone()),
            (403, json!("access_closed"))
        );

        // The letter says what happened and whom to call, never why.
        let mail = app.db.store.pending_outbox(200).await.unwrap();
        let letter =
            mail.iter().find(|m| m.recipient == login && m.kind.as_str() == "account_suspended");
        let letter = letter.unwrap();
        assert!(!letter.body.contains(reason) && !letter.subject.contains(reason), "{b}");
        assert!(letter.body.contains("обратитесь в регистратуру"), "{b}");
        // The card shows it.
        let card = app.get_with_cookie(&format!("/staff/patients/{id}"), Some(&reg)).await;
        assert!(card.body.contains(reason), "{b}");
        assert!(audited(&app, id, AuditAction::AccountBlock).await, "{b}");
    }
}

#[tokio::test]
async fn a_cancelled_registration_frees_its_times_and_the_end_of_service_is_for_good() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let (specialist, [wednesday, _]) = starts_on(&app, ["2026-11-25", "2026-11-26"]).await;
        let login = "false@example.ru";
        let token = api_patient(&app, (login, "Ложкина", "+79005550402"), false).await;
        book(&app, &token, specialist, wednesday[0]).await;
        let id = patient_id(&app, &reg, "Ложкина").await;
        let slots = format!("/api/v1/specialists/{specialist}/slots?from=2026-11-25&to=2026-11-25");
        let free = |body: String| -> Vec<i64> {
            let json: serde_json::Value = serde_json::from_str(&body).unwrap();
            json["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["start"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap())
                .map(|t| t.as_second())
                .collect()
        };
        assert!(!free(app.get(&slots).await.body).contains(&wednesday[0]), "{b}: taken");

        let form_token = csrf(&app, &reg).await;
        let uri = format!("/staff/patients/{id}/cancel-registration");
        let reason = "Указаны чужие паспортные данные";
        let done = post(&app, &uri, &reg, &[("csrf", &form_token), ("reason", reason)]).await;
        assert_eq!(done.status, 303, "{b}: {}", done.body);
        let again = free(app.get(&slots).await.body);
        assert!(again.contains(&wednesday[0]), "{b}: the time is free again");
        let right = sign_in_form(&app, login, PASSWORD).await;
        assert_eq!(right.status, 403, "{b}");
        assert!(right.body.contains("аннулировала вашу регистрацию"), "{b}");
        let mail = app.db.store.pending_outbox(200).await.unwrap();
        let to: Vec<_> = mail.iter().filter(|m| m.recipient == login).collect();
        assert!(to.iter().any(|m| m.kind.as_str() == "registration_cancelled"), "{b}");
        assert!(to.iter().all(|m| !m.body.contains(reason)), "{b}: the reason is not mailed");
        assert!(audited(&app, id, AuditAction::AccountCancelRegistration).await, "{b}");
        assert!(audited(&app, id, AuditAction::AppointmentCancel).await, "{b}");
        // Once only.
        let again = post(&app, &uri, &reg, &[("csrf", &form_token), ("reason", reason)]).await;
        assert_eq!(again.status, 409, "{b}");

        // The end of service is the administrator's.
        let login = "ended@example.ru";
        let token = api_patient(&app, (login, "Конечная", "+79005550403"), false).await;
        book(&app, &token, specialist, wednesday[1]).await;
        let id = patient_id(&app, &reg, "Конечная").await;
        let uri = format!("/staff/patients/{id}/end-service");
        let denied = post(&app, &uri, &reg, &[("csrf", &form_token), ("reason", "x")]).await;
        assert_eq!(denied.status, 403, "{b}");
        let admin_token = csrf(&app, &admin).await;
        let form = [("csrf", admin_token.as_str()), ("reason", "Договор расторгнут")];
        let done = post(&app, &uri, &admin, &form).await;
        assert_eq!(done.status, 303, "{b}: {}", done.body);
        assert_eq!(app.api("GET", "/api/v1/me/visits", &token, None).await.status, 401, "{b}");
        let right = sign_in_form(&app, login, PASSWORD).await;
        assert!(right.body.contains("прекратила обслуживание"), "{b}");
        let visits = app
            .kabinet
            .patient_visits(
                &app.kabinet
                    .staff_session(admin.trim_start_matches("staff="))
                    .await
                    .unwrap()
                    .unwrap(),
                id,
            )
            .await
            .unwrap();
        assert!(visits.iter().all(|v| v.status.as_str() == "cancelled"), "{b}");
        let mail = app.db.store.pending_outbox(200).await.unwrap();
        assert!(mail.iter().any(|m| m.recipient == login && m.kind.as_str() == "service_ended"));
        assert!(audited(&app, id, AuditAction::AccountEndService).await, "{b}");
        let card = app.get_with_cookie(&format!("/staff/patients/{id}"), Some(&admin)).await;
        assert!(card.body.contains("Обслуживание прекращено"), "{b}: the record stays");
    }
}

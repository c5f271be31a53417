//! The auditor's page (issue 9, finding 8): only an auditor reads the log — an administrator
//! too only when a colleague made them one — and finds who opened a patient's record, from
//! where; every reading is itself recorded.

use kabinet_core::audit::AuditAction;
use kabinet_store::audit::{AuditFilter, ChainReport};

use crate::common::TestApp;
use crate::staff::{administrator, csrf, online_patient, post, registrar};

/// The log's entries on a page (the filter's lists name every action too).
fn entries(body: &str) -> &str {
    body.split("<ol class=\"audit\">").nth(1).unwrap_or_default()
}

#[tokio::test]
async fn only_an_auditor_reads_the_audit_log_and_finds_who_opened_a_record() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        online_patient(&app, "ivan@example.ru").await;
        let patient = app.db.store.account_by_login("ivan@example.ru").await.unwrap().unwrap();
        let staff = app.db.store.list_staff().await.unwrap();
        let id_of = |login: &str| staff.iter().find(|m| m.login == login).unwrap().id;
        let (admin_id, reg_id) = (id_of("admin"), id_of("reg1"));

        for cookie in [&admin, &reg] {
            let page = app.get_with_cookie("/staff/audit", Some(cookie)).await;
            assert_eq!(page.status, 403, "{b}: not an auditor yet");
        }
        let token = csrf(&app, &admin).await;
        let own_grant = format!("/staff/team/{admin_id}/auditor");
        let own = post(&app, &own_grant, &admin, &[("csrf", &token)]).await;
        assert_eq!(own.status, 403, "{b}: an administrator does not make themselves one");
        let reg_token = csrf(&app, &reg).await;
        let grant = format!("/staff/team/{admin_id}/auditor");
        let by_registrar = post(&app, &grant, &reg, &[("csrf", &reg_token)]).await;
        assert_eq!(by_registrar.status, 403, "{b}: a registrar gives no roles");

        let grant = format!("/staff/team/{reg_id}/auditor");
        assert_eq!(post(&app, &grant, &admin, &[("csrf", &token)]).await.status, 303, "{b}");
        let team = app.get_with_cookie("/staff/team", Some(&admin)).await;
        assert!(team.body.contains("Регистратор · Аудитор"), "{b}: {}", team.body);

        // The registrar opens the patient's record; as an auditor they find that visit.
        let card = format!("/staff/patients/{}", patient.patient_id);
        let opened = app.get_with_cookie(&card, Some(&reg)).await;
        assert!(opened.body.contains("Кто обращался к данным пациента"), "{b}");
        let log = app
            .get_with_cookie(&format!("/staff/audit?patient={}", patient.patient_id), Some(&reg))
            .await;
        assert_eq!(log.status, 200, "{b}: {}", log.body);
        assert!(log.body.contains("Журнал аудита"), "{b}: the menu has it");
        let rows = entries(&log.body);
        assert!(rows.contains("Просмотр карточки пациента"), "{b}: {}", log.body);
        assert!(rows.contains("Ирина Регистратор"), "{b}: the member by name");
        assert!(rows.contains("Седов Иван"), "{b}: the patient by name");
        assert!(rows.contains("IP: 192.0.2.10"), "{b}: {rows}");
        assert!(!rows.contains("Назначен аудитор"), "{b}: only this patient's rows");

        let by_action =
            app.get_with_cookie("/staff/audit?action=staff.auditor_grant", Some(&reg)).await;
        let rows = entries(&by_action.body);
        assert!(rows.contains("Назначен аудитор"), "{b}");
        assert!(rows.contains("Анна Главная"), "{b}: who gave it");
        assert!(!rows.contains("Просмотр карточки пациента"), "{b}");
        let by_actor =
            app.get_with_cookie(&format!("/staff/audit?actor=staff:{admin_id}"), Some(&reg)).await;
        assert!(entries(&by_actor.body).contains("Назначен аудитор"), "{b}");
        let not_theirs = !entries(&by_actor.body).contains("Просмотр карточки пациента");
        assert!(not_theirs, "{b}: not the admin's");
        let future = app.get_with_cookie("/staff/audit?from=2099-01-01", Some(&reg)).await;
        assert!(future.body.contains("Записей с такими условиями нет"), "{b}");

        let bad = app.get_with_cookie("/staff/audit?patient=Седов&to=01.12.2026", Some(&reg)).await;
        assert_eq!(bad.status, 422, "{b}");
        assert!(bad.body.contains("Укажите номер пациента"), "{b}");
        assert!(bad.body.contains("Укажите дату в виде ГГГГ-ММ-ДД"), "{b}");
        assert!(bad.body.contains("value=\"Седов\""), "{b}: what was typed stays");

        // Every reading is itself a row, with its filter and no names in it.
        let filter =
            AuditFilter { action: Some(AuditAction::AuditView), limit: 100, ..Default::default() };
        let views = app.db.store.audit_log(&filter).await.unwrap();
        assert!(views.len() >= 4, "{b}: {}", views.len());
        assert!(views.iter().all(|v| v.actor_id == Some(reg_id) && !v.details.contains("Седов")));
        let chain = app.db.store.verify_audit_chain().await.unwrap();
        assert!(matches!(chain, ChainReport::Intact { .. }), "{b}: {chain:?}");

        let revoke = format!("/staff/team/{reg_id}/not-auditor");
        assert_eq!(post(&app, &revoke, &admin, &[("csrf", &token)]).await.status, 303, "{b}");
        let page = app.get_with_cookie("/staff/audit", Some(&reg)).await;
        assert_eq!(page.status, 403, "{b}: the role is gone at once");
    }
}

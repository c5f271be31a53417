//! The staff's second factor over HTTP, on every backend (issue 9, finding 10): a password
//! alone opens nothing; the first sign-in enrols (a QR code of our own, the secret for typing,
//! ten recovery codes once); every later sign-in needs a code, accepted once; wrong codes are
//! throttled; only an administrator resets a colleague's second factor, audited.

use axum::http::header;
use kabinet_core::Clock;
use kabinet_core::audit::AuditAction;
use kabinet_core::totp::TotpSecret;
use kabinet_store::audit::AuditFilter;

use crate::common::{TestApp, TestResponse};
use crate::staff::{
    REGISTRAR_PASSWORD, add_registrar, administrator, csrf, current_code, enrol, post, sign_in,
};

/// Posts a code on the code step of the waiting session.
async fn send_code(app: &TestApp, waiting: &str, csrf: &str, code: &str) -> TestResponse {
    let form = [("csrf", csrf), ("code", code)];
    app.post_form_with_cookie("/staff/code", Some(waiting), &form).await
}

#[tokio::test]
async fn a_password_alone_opens_nothing_and_the_first_sign_in_enrols() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        add_registrar(&app, &admin).await;
        let signed = sign_in(&app, "reg1", REGISTRAR_PASSWORD).await;
        assert_eq!(signed.location(), "/staff/code", "{b}");
        let waiting = signed.cookie("staff").unwrap();
        for page in ["/staff", "/staff/patients/1", "/staff/feed", "/staff/requests"] {
            let response = app.get_with_cookie(page, Some(&waiting)).await;
            assert_eq!(response.status, 303, "{b}: {page} needs the code step");
            assert_eq!(response.location(), "/staff/login");
        }
        let code_page = app.get_with_cookie("/staff/code", Some(&waiting)).await;
        assert_eq!(code_page.location(), "/staff/enrol", "{b}: not enrolled yet");

        let page = app.get_with_cookie("/staff/enrol", Some(&waiting)).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Подключите второй фактор"), "{}", page.body);
        assert!(page.body.contains(r#"src="/staff/enrol/qr.svg""#), "our own QR route");
        let secret = page.body.split("data-secret=\"").nth(1).unwrap().split('"').next().unwrap();
        assert!(
            !page.body.contains("qr.svg?") && !page.body.contains("otpauth"),
            "no secret in a URL"
        );
        assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");

        let qr = app.get_with_cookie("/staff/enrol/qr.svg", Some(&waiting)).await;
        assert_eq!(qr.status, 200);
        assert_eq!(qr.headers.get(header::CONTENT_TYPE).unwrap(), "image/svg+xml");
        assert!(qr.body.contains("<svg"));
        assert_eq!(app.get("/staff/enrol/qr.svg").await.status, 303, "no QR without the session");

        let token = page.csrf();
        let wrong = app
            .post_form_with_cookie(
                "/staff/enrol",
                Some(&waiting),
                &[("csrf", token.as_str()), ("code", "12345")],
            )
            .await;
        assert_eq!(wrong.status, 401, "{b}");
        assert!(wrong.body.contains("Код не подошёл"), "{}", wrong.body);

        let (full, codes) = enrol(&app, &waiting).await;
        assert!(codes.iter().all(|c| c.len() == 19), "{codes:?}");
        assert_eq!(app.get_with_cookie("/staff", Some(&full)).await.status, 200, "{b}");
        let old = app.get_with_cookie("/staff/code", Some(&waiting)).await;
        assert_eq!(old.location(), "/staff/login", "the waiting session gave way");
        let team = app.get_with_cookie("/staff/team", Some(&admin)).await;
        assert!(team.body.contains("Подключён"), "{}", team.body);
        // The secret is never shown again, nor its QR code.
        let again = app.get_with_cookie("/staff/enrol/qr.svg", Some(&full)).await;
        assert_ne!(again.status, 200);
        let _ = TotpSecret::from_base32(secret).unwrap();
    }
}

#[tokio::test]
async fn every_sign_in_needs_a_code_accepted_once_and_a_recovery_code_works_once() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        add_registrar(&app, &admin).await;
        let waiting = sign_in(&app, "reg1", REGISTRAR_PASSWORD).await.cookie("staff").unwrap();
        let (_, recovery) = enrol(&app, &waiting).await;

        // The enrolment's code, in its own step, is spent: a replay is refused.
        let member = app.db.store.staff_by_login("reg1").await.unwrap().unwrap();
        let stored = app.db.store.staff_totp(member.id).await.unwrap().unwrap();
        let secret = TotpSecret::from_base32(&stored.secret).unwrap();
        let spent = secret.code_at(app.clock.now().as_second());
        let waiting = sign_in(&app, "reg1", REGISTRAR_PASSWORD).await.cookie("staff").unwrap();
        let page = app.get_with_cookie("/staff/code", Some(&waiting)).await;
        assert_eq!(page.status, 200, "{b}");
        assert!(page.body.contains("Код подтверждения"));
        let token = page.csrf();
        let replay = send_code(&app, &waiting, &token, &spent).await;
        assert_eq!(replay.status, 401, "{b}: a code is accepted once");
        assert!(replay.cookie("staff").is_none());
        let forged = app
            .post_form_with_cookie("/staff/code", Some(&waiting), &[("csrf", "x"), ("code", "1")])
            .await;
        assert_eq!(forged.status, 403);

        let code = current_code(&app, "reg1").await;
        let passed = send_code(&app, &waiting, &token, &code).await;
        assert_eq!(passed.status, 303, "{b}: {}", passed.body);
        assert_eq!(passed.location(), "/staff");
        let full = passed.cookie("staff").unwrap();
        assert_ne!(full, waiting, "a new session after the code step");
        assert_eq!(app.get_with_cookie("/staff", Some(&full)).await.status, 200);

        // The same code once more, from a new sign-in in the same step: refused.
        let waiting = sign_in(&app, "reg1", REGISTRAR_PASSWORD).await.cookie("staff").unwrap();
        let token = app.get_with_cookie("/staff/code", Some(&waiting)).await.csrf();
        assert_eq!(send_code(&app, &waiting, &token, &code).await.status, 401, "{b}: no replay");

        // A recovery code, typed loosely, works once.
        let typed = recovery[0].to_lowercase();
        let by_recovery = send_code(&app, &waiting, &token, &typed).await;
        assert_eq!(by_recovery.status, 303, "{b}: {}", by_recovery.body);
        let waiting = sign_in(&app, "reg1", REGISTRAR_PASSWORD).await.cookie("staff").unwrap();
        let token = app.get_with_cookie("/staff/code", Some(&waiting)).await.csrf();
        let form = [("csrf", token.as_str()), ("code", recovery[0].as_str())];
        let used = app.post_form_with_cookie("/staff/code", Some(&waiting), &form).await;
        assert_eq!(used.status, 401, "{b}: a recovery code works once");

        // Wrong codes are throttled like passwords.
        let mut last = used;
        for _ in 0..6 {
            let form = [("csrf", token.as_str()), ("code", "000000")];
            last = app.post_form_with_cookie("/staff/code", Some(&waiting), &form).await;
        }
        assert_eq!(last.status, 429, "{b}: {}", last.body);
        assert!(last.headers.contains_key(header::RETRY_AFTER));
    }
}

#[tokio::test]
async fn only_an_administrator_resets_a_second_factor_and_it_is_audited() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = crate::staff::registrar(&app, &admin).await;
        let admin_id = app.db.store.staff_by_login("admin").await.unwrap().unwrap().id;
        let reg_id = app.db.store.staff_by_login("reg1").await.unwrap().unwrap().id;

        let token = csrf(&app, &reg).await;
        let by_registrar = post(
            &app,
            &format!("/staff/team/{admin_id}/reset-second-factor"),
            &reg,
            &[("csrf", token.as_str())],
        )
        .await;
        assert_eq!(by_registrar.status, 403, "{b}: a registrar cannot reset");

        let team = app.get_with_cookie("/staff/team", Some(&admin)).await;
        assert!(team.body.contains(&format!("/staff/team/{reg_id}/reset-second-factor")));
        let token = csrf(&app, &admin).await;
        let reset = post(
            &app,
            &format!("/staff/team/{reg_id}/reset-second-factor"),
            &admin,
            &[("csrf", token.as_str())],
        )
        .await;
        assert_eq!(reset.status, 303, "{b}: {}", reset.body);
        let filter = AuditFilter {
            action: Some(AuditAction::StaffTotpReset),
            limit: 10,
            ..AuditFilter::default()
        };
        let rows = app.db.store.audit_log(&filter).await.unwrap();
        assert_eq!(rows.len(), 1, "{b}");
        assert_eq!((rows[0].actor_id, rows[0].object_id), (Some(admin_id), Some(reg_id)));
        assert_eq!(rows[0].ip.as_deref(), Some(crate::common::CLIENT));

        let ended = app.get_with_cookie("/staff", Some(&reg)).await;
        assert_eq!(ended.location(), "/staff/login", "{b}: the colleague's sessions ended");
        let waiting = sign_in(&app, "reg1", REGISTRAR_PASSWORD).await.cookie("staff").unwrap();
        let next = app.get_with_cookie("/staff/code", Some(&waiting)).await;
        assert_eq!(next.location(), "/staff/enrol", "{b}: the colleague enrols again");
    }
}

//! Issue 9, finding 9: nobody holds an e-mail address by registering it first. An unconfirmed
//! registration gives way to a new one for the same address, a completed reset by the
//! e-mailed link confirms the address, and the confirmation letter can be sent again (a few
//! times an hour). And finding 11: an address the mail library refuses is refused at once.

use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;
use serde_json::json;

use crate::common::{TestApp, TestResponse};

const OWNER_PASSWORD: &str = "сирень цветёт у старого моста";
const SQUATTER_PASSWORD: &str = "чужой пароль для чужой почты";

fn registration<'a>(
    login: &'a str,
    last_name: &'a str,
    password: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("last_name", last_name),
        ("first_name", "Вера"),
        ("birth_date", "1985-05-05"),
        ("phone", "+79005550777"),
        ("login", login),
        ("password", password),
        ("password_repeat", password),
        ("consent_personal_data", "yes"),
        ("consent_health_data", "yes"),
        ("accept_rules", "yes"),
    ]
}

async fn register(app: &TestApp, login: &str, last_name: &str, password: &str) -> TestResponse {
    app.post_form("/register", &registration(login, last_name, password)).await
}

/// The token of the newest letter to `login` whose link goes to `path`.
async fn link_in_letter(app: &TestApp, login: &str, path: &str) -> String {
    let mail = app.db.store.pending_outbox(200).await.unwrap();
    let letter = mail.iter().rev().find(|m| m.recipient == login && m.body.contains(path));
    let body = &letter.unwrap_or_else(|| panic!("{}: no letter to {path}", app.backend())).body;
    let token = body.split(&format!("{path}?token=")).nth(1).unwrap();
    token.split_whitespace().next().unwrap().to_owned()
}

async fn sign_in(app: &TestApp, login: &str, password: &str) -> TestResponse {
    app.post_form("/login", &[("login", login), ("password", password), ("next", "")]).await
}

#[tokio::test]
async fn an_unconfirmed_registration_gives_way_to_the_owner_of_the_address() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let login = "vera@example.ru";
        let squatted = register(&app, login, "Чужая", SQUATTER_PASSWORD).await;
        assert_eq!(squatted.status, 303, "{b}");
        let first_link = link_in_letter(&app, login, "/account/confirm").await;

        let owner = register(&app, login, "Белова", OWNER_PASSWORD).await;
        assert_eq!((owner.status.as_u16(), owner.location()), (303, "/register/sent"), "{b}");
        let link = link_in_letter(&app, login, "/account/confirm").await;
        assert_ne!(link, first_link, "{b}: a new link");
        let old = app.post_form("/account/confirm", &[("token", &first_link)]).await;
        assert!(old.body.contains("Ссылка недействительна"), "{b}: the first link is void");
        let confirmed = app.post_form("/account/confirm", &[("token", &link)]).await;
        assert!(confirmed.body.contains("Адрес подтверждён"), "{b}: {}", confirmed.body);

        assert_eq!(sign_in(&app, login, SQUATTER_PASSWORD).await.status, 401, "{b}");
        let signed_in = sign_in(&app, login, OWNER_PASSWORD).await;
        assert_eq!(signed_in.status, 303, "{b}: {}", signed_in.body);
        let cookie = signed_in.cookie("session").unwrap();
        let cabinet = app.get_with_cookie("/cabinet/profile", Some(&cookie)).await;
        assert!(cabinet.body.contains("Белова") && !cabinet.body.contains("Чужая"), "{b}");
        let filter = AuditFilter {
            action: Some(AuditAction::AccountReplace),
            limit: 10,
            ..AuditFilter::default()
        };
        assert_eq!(app.db.store.audit_log(&filter).await.unwrap().len(), 1, "{b}");

        // A confirmed address is not replaced: its owner gets a letter instead.
        let late = register(&app, login, "Чужая", SQUATTER_PASSWORD).await;
        assert_eq!(late.location(), "/register/sent", "{b}: the same answer");
        assert_eq!(sign_in(&app, login, SQUATTER_PASSWORD).await.status, 401, "{b}");
        assert_eq!(sign_in(&app, login, OWNER_PASSWORD).await.status, 303, "{b}");
    }
}

#[tokio::test]
async fn a_reset_by_the_emailed_link_confirms_the_address() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let login = "reset@example.ru";
        let squatted = register(&app, login, "Чужая", SQUATTER_PASSWORD).await;
        assert_eq!(squatted.status, 303, "{b}");
        app.post_form("/account/lost", &[("login", login)]).await;
        let token = link_in_letter(&app, login, "/account/reset").await;
        let form = [("token", token.as_str()), ("password", OWNER_PASSWORD)];
        let reset = app
            .post_form("/account/reset", &[form[0], form[1], ("password_repeat", OWNER_PASSWORD)])
            .await;
        assert!(reset.body.contains("Пароль сохранён"), "{b}: {}", reset.body);
        let signed_in = sign_in(&app, login, OWNER_PASSWORD).await;
        assert_eq!(signed_in.status, 303, "{b}: not email_unconfirmed: {}", signed_in.body);
    }
}

#[tokio::test]
async fn the_confirmation_letter_is_sent_again_a_few_times_an_hour() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let login = "again@example.ru";
        register(&app, login, "Белова", OWNER_PASSWORD).await;
        let first_link = link_in_letter(&app, login, "/account/confirm").await;

        let unconfirmed = sign_in(&app, login, OWNER_PASSWORD).await;
        assert_eq!(unconfirmed.status, 403, "{b}");
        assert!(unconfirmed.body.contains("Отправить письмо ещё раз"), "{b}: a button to resend");
        assert!(unconfirmed.body.contains(r#"action="/account/confirm/resend""#), "{b}");

        let resent = app.post_form("/account/confirm/resend", &[("login", login)]).await;
        assert_eq!(resent.status, 200, "{b}: {}", resent.body);
        assert!(resent.body.contains("мы отправили на него новое письмо"), "{b}");
        let unknown =
            app.post_form("/account/confirm/resend", &[("login", "nobody@example.ru")]).await;
        assert_eq!(unknown.status, 200, "{b}: the same answer for an unknown login");
        assert!(unknown.body.contains("мы отправили на него новое письмо"), "{b}");
        let api = json!({"login": "nobody@example.ru"});
        let api = app.post_json("/api/v1/registrations/confirmation", &api).await;
        assert_eq!(api.json()["status"], json!("confirmation_sent"), "{b}: {}", api.body);
        let link = link_in_letter(&app, login, "/account/confirm").await;
        assert_ne!(link, first_link, "{b}");
        let old = app.post_form("/account/confirm", &[("token", &first_link)]).await;
        assert!(old.body.contains("Ссылка недействительна"), "{b}: the older link is void");

        let mut statuses = Vec::new();
        for _ in 0..3 {
            let tried = app.post_form("/account/confirm/resend", &[("login", login)]).await;
            statuses.push(tried.status.as_u16());
            if tried.status == 429 {
                assert!(tried.headers.contains_key("retry-after"), "{b}");
                assert!(tried.body.contains("Слишком много запросов"), "{b}");
                assert!(tried.body.contains(login), "{b}: the form keeps the address");
            }
        }
        assert_eq!(statuses, [200, 200, 429], "{b}: three letters an hour");
        let api = json!({"login": login});
        let api = app.post_json("/api/v1/registrations/confirmation", &api).await;
        assert_eq!(api.status, 429, "{b}: the same limit over the API");
        assert_eq!(api.json()["error"]["code"], json!("too_many_requests"), "{b}");
        let letters = app.db.store.pending_outbox(200).await.unwrap();
        let confirmations = letters
            .iter()
            .filter(|m| m.recipient == login && m.kind.as_str() == "confirm_email")
            .count();
        assert_eq!(confirmations, 4, "{b}: the registration's and three more");

        let newest = link_in_letter(&app, login, "/account/confirm").await;
        let confirmed = app.post_form("/account/confirm", &[("token", &newest)]).await;
        assert!(confirmed.body.contains("Адрес подтверждён"), "{b}");
    }
}

#[tokio::test]
async fn an_address_the_mail_library_refuses_is_refused_at_registration() {
    let app = TestApp::sqlite().await;
    let form = registration("vera<b>@example.ru", "Белова", OWNER_PASSWORD);
    let refused = app.post_form("/register", &form).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("vera&#60;b&#62;@example.ru"), "the form keeps what was typed");
    assert!(app.db.store.pending_outbox(10).await.unwrap().is_empty(), "no letter to retry");
}

/// Finding 11: a loss report for an unknown login does the work a known one does — one
/// audit row in one transaction — so its answer takes as long and tells nothing.
#[tokio::test]
async fn a_loss_report_for_an_unknown_login_costs_the_same_work() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let filter = AuditFilter {
            action: Some(AuditAction::AccountLostReport),
            limit: 10,
            ..AuditFilter::default()
        };
        let before = app.db.store.audit_log(&filter).await.unwrap().len();
        let nobody = json!({"login": "nobody@example.ru"});
        let lost = app.post_json("/api/v1/account/lost", &nobody).await;
        assert_eq!(lost.status, 202, "{b}");
        let rows = app.db.store.audit_log(&filter).await.unwrap();
        assert_eq!(rows.len(), before + 1, "{b}: one row, as for a known login");
        assert_eq!(rows[0].patient_id, None, "{b}: about nobody");
        assert!(!rows[0].details.contains("nobody"), "{b}: the typed login is not kept");
    }
}

/// Issue 13, point 6 (323-FZ art. 54): a child under 15 does not register themselves; the
/// form says a legal representative acts for them and keeps what was typed. At 15 they may.
#[tokio::test]
async fn a_child_under_15_is_sent_to_a_legal_representative_at_registration() {
    let app = TestApp::sqlite().await;
    let today = app.kabinet.today();
    let fifteen = today.saturating_sub(jiff::Span::new().years(15)).to_string();
    let turns_15_tomorrow = today
        .saturating_sub(jiff::Span::new().years(15))
        .saturating_add(jiff::Span::new().days(1))
        .to_string();
    let mut form = registration("teen@example.ru", "Юная", OWNER_PASSWORD);
    form[2] = ("birth_date", &turns_15_tomorrow);
    let refused = app.post_form("/register", &form).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Зарегистрироваться самостоятельно можно с 15 лет"));
    assert!(refused.body.contains("Юная"), "the form keeps what was typed");
    assert!(app.db.store.pending_outbox(10).await.unwrap().is_empty(), "no account, no letter");

    form[2] = ("birth_date", &fifteen);
    let registered = app.post_form("/register", &form).await;
    assert_eq!(registered.status, 303, "{}", registered.body);
}

/// Nor does the front desk issue a child under 15 access of their own: the form says to link
/// a legal representative.
#[tokio::test]
async fn the_front_desk_issues_no_access_of_their_own_to_a_child_under_15() {
    use kabinet_core::access::Origin;
    use kabinet_core::patient::PatientInput;
    use kabinet_service::Error;
    use kabinet_service::registrar::AccessRequest;

    let app = TestApp::sqlite().await;
    let admin = crate::staff::administrator(&app).await;
    let cookie = crate::staff::registrar(&app, &admin).await;
    let staff = crate::representatives::staff_user(&app, &cookie).await;
    let today = app.kabinet.today();
    let born = today.saturating_sub(jiff::Span::new().years(14)).to_string();
    let request = AccessRequest {
        patient: PatientInput {
            last_name: "Юнова".into(),
            first_name: "Лиза".into(),
            birth_date: born,
            phone: "+79005550779".into(),
            ..PatientInput::default()
        },
        login: "liza@example.ru".into(),
        card_number: "KID-14".into(),
        rules_version: "1".into(),
        paper_reference: "Журнал 14".into(),
        ..AccessRequest::default()
    };
    let refused = app.kabinet.confirm_access(&staff, &request, &Origin::default()).await;
    match refused {
        Err(Error::Validation(errors)) => {
            assert_eq!(errors.get("birth_date"), Some("error-access-under-15"))
        }
        other => panic!("a child of 14 got access of their own: {other:?}"),
    }
}

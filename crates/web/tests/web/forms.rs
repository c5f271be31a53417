//! Issue 10, point 9: a form sent back with errors opens on its error summary (focused on load,
//! without a script), which links to each field with a problem; the new password's hint is tied
//! to its field. (The focus itself is checked in a browser: e2e/tests/forms.test.js.)

use crate::common::TestApp;

const HINT: &str = r#"<p class="muted" id="password-help">Не короче 10 символов."#;

#[tokio::test]
async fn the_registration_summary_links_to_each_field_and_the_hint_describes_the_password() {
    let app = TestApp::sqlite().await;
    let form = app.get("/register").await;
    assert!(form.body.contains(r#"aria-describedby="password-help">"#), "{}", form.body);
    assert!(form.body.contains(HINT));
    assert!(!form.body.contains(r#"role="alert""#), "no summary before the form is sent");

    let fields =
        [("login", "anna@example.ru"), ("password", "short"), ("password_repeat", "short")];
    let refused = app.post_form("/register", &fields).await;
    assert_eq!(refused.status, 422);
    let body = &refused.body;
    assert!(body.contains(r#"<div class="alert" role="alert" tabindex="-1" autofocus>"#), "{body}");
    for link in [
        r##"<a href="#last_name">Фамилия: Заполните это поле.</a>"##,
        r##"<a href="#password">Новый пароль: Пароль должен быть не короче 10 символов.</a>"##,
        r##"<a href="#accept_rules">Согласия: Без согласия с правилами портала зарегистрироваться нельзя.</a>"##,
    ] {
        assert!(body.contains(link), "{link} in {body}");
    }
    assert!(!body.contains(r##"href="#middle_name""##), "no link to a field without an error");
    assert!(
        body.contains(r#"aria-invalid="true" aria-describedby="password-help password-error">"#)
    );
    assert!(body.contains(HINT));
}

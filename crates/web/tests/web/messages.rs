//! Issue 12, point 6: messages both ways (K3, N2), on both databases. Staff write from the
//! patient's card; the patient sees it unread, gets only a neutral letter (delivered to a real
//! SMTP server on loopback), reads it and answers in the cabinet; the front desk sees the
//! answer unread in its menu, on the card and in the feed, and no letter carries the
//! patient's text. Reading marks read for that side only. Another patient's thread is a 404 on
//! every route that takes its id; bad input and too many messages come back with the form as
//! typed.

use jiff::SignedDuration;
use kabinet_core::audit::AuditAction;
use kabinet_service::mail::Mailer;
use kabinet_store::audit::AuditFilter;
use kabinet_testkit::SmtpSink;
use serde_json::{Value, json};

use crate::cabinet::{PASSWORD, signed_in};
use crate::common::{TestApp, TestResponse};
use crate::staff::{administrator, csrf, post, registrar};

const FROM: &str = "Клиника «Ясень» <noreply@yasen.example>";
const STAFF_TEXT: &str = "Анализы готовы: гемоглобин в норме, повторите через полгода.";
const PATIENT_TEXT: &str = "Спасибо! А можно прислать расшифровку по поводу щитовидки?";

/// A registered, confirmed, signed-in patient who has read the welcome: the cabinet's cookie,
/// an API token, the id.
async fn patient(app: &TestApp, login: &str, phone: &str) -> (String, String, i64) {
    let cookie = signed_in(app, login, phone).await;
    let session =
        app.post_json("/api/v1/session", &json!({"login": login, "password": PASSWORD})).await;
    assert_eq!(session.status, 200, "{}", session.body);
    let token = session.json()["token"].as_str().unwrap().to_owned();
    let id = app.db.store.account_by_login(login).await.unwrap().unwrap().patient_id;
    let inbox = app.api("GET", "/api/v1/me/messages", &token, None).await.json();
    for thread in inbox["items"].as_array().unwrap() {
        let read = format!("/api/v1/me/messages/{}/read", thread["id"]);
        assert_eq!(app.api("POST", &read, &token, None).await.status, 200);
    }
    (cookie, token, id)
}

async fn get(app: &TestApp, uri: &str, cookie: &str) -> TestResponse {
    app.get_with_cookie(uri, Some(cookie)).await
}

/// The thread id a redirect after writing points to.
fn thread_of(answer: &TestResponse) -> i64 {
    assert_eq!(answer.status, 303, "{}", answer.body);
    answer.location().rsplit('/').next().unwrap().parse().unwrap()
}

/// The API's thread with `id` among the caller's.
async fn api_thread(app: &TestApp, token: &str, id: i64) -> Value {
    let list = app.api("GET", "/api/v1/me/messages", token, None).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let items = list.json()["items"].as_array().unwrap().clone();
    items.into_iter().find(|t| t["id"] == json!(id)).expect("the thread is listed")
}

#[tokio::test]
async fn staff_write_the_patient_reads_and_answers_and_the_front_desk_sees_the_answer() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let sink = SmtpSink::start();
        let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let (cookie, token, pid) = patient(&app, "ivan@example.ru", "+79005550401").await;
        app.kabinet.deliver_due(&mailer).await.unwrap();
        let letters_before = sink.messages().len();

        // The registrar writes from the card.
        let card = format!("/staff/patients/{pid}");
        let page = app.get_with_cookie(&card, Some(&reg)).await;
        assert!(page.body.contains("Написать пациенту"), "{b}: the card's form");
        let token_reg = csrf(&app, &reg).await;
        let form = [
            ("csrf", token_reg.as_str()),
            ("subject", "Результаты анализов"),
            ("text", STAFF_TEXT),
        ];
        let thread = thread_of(&post(&app, &format!("{card}/messages"), &reg, &form).await);
        let staff_thread = format!("{card}/messages/{thread}");

        // One neutral letter: the exact subject, a link, no text, no name, nothing medical.
        app.kabinet.deliver_due(&mailer).await.unwrap();
        let letters = sink.messages();
        assert_eq!(letters.len(), letters_before + 1, "{b}: one letter");
        let letter = letters.last().unwrap();
        assert_eq!(letter.to, "ivan@example.ru", "{b}");
        assert_eq!(letter.subject, "Новое сообщение в личном кабинете", "{b}");
        assert!(letter.body.contains("/cabinet/messages"), "{b}: {}", letter.body);
        for secret in [STAFF_TEXT, "Анализы", "Результаты", "Ирина", "Регистратор"]
        {
            assert!(!letter.body.contains(secret), "{b}: {secret} in {}", letter.body);
        }

        // The patient sees it unread: in the menu, the list and the API.
        let list = get(&app, "/cabinet/messages", &cookie).await;
        assert!(list.body.contains("Результаты анализов"), "{b}");
        assert!(list.body.contains("1 непрочитанное"), "{b}: {}", list.body);
        let t = api_thread(&app, &token, thread).await;
        assert_eq!(t["subject"], "Результаты анализов", "{b}");
        assert_eq!(t["started_by"], "clinic", "{b}");
        assert_eq!(t["unread"], 1, "{b}");
        assert_eq!(t["messages"][0]["author"], "clinic", "{b}");
        assert_eq!(t["messages"][0]["text"], STAFF_TEXT, "{b}");
        assert_eq!(t["messages"][0]["read"], false, "{b}");
        assert!(t["last_message_at"].as_str().unwrap().ends_with('Z'), "{b}: {t}");
        let staff_page = app.get_with_cookie(&staff_thread, Some(&reg)).await;
        assert!(staff_page.body.contains("не прочитано"), "{b}: staff see it unread");

        // Opening marks it read for the patient.
        let open = get(&app, &format!("/cabinet/messages/{thread}"), &cookie).await;
        assert_eq!(open.status, 200, "{b}");
        assert!(open.body.contains(STAFF_TEXT), "{b}");
        assert!(!open.body.contains("непрочитан"), "{b}: read now");
        assert_eq!(api_thread(&app, &token, thread).await["unread"], 0, "{b}");
        let staff_page = app.get_with_cookie(&staff_thread, Some(&reg)).await;
        assert!(staff_page.body.contains("прочитано"), "{b}");
        assert!(!staff_page.body.contains("не прочитано"), "{b}: the patient read it");

        // The patient answers in the thread: no letter, the front desk's count and feed.
        let csrf_patient = open.csrf();
        let form = [("csrf", csrf_patient.as_str()), ("text", PATIENT_TEXT)];
        let answered = app
            .post_form_with_cookie(&format!("/cabinet/messages/{thread}"), Some(&cookie), &form)
            .await;
        assert_eq!(thread_of(&answered), thread, "{b}: the same thread");
        app.kabinet.deliver_due(&mailer).await.unwrap();
        assert_eq!(sink.messages().len(), letters_before + 1, "{b}: no letter for an answer");
        for mail in app.db.store.pending_outbox(500).await.unwrap() {
            assert!(!mail.body.contains(PATIENT_TEXT), "{b}: the text stays in the portal");
        }
        let home = app.get_with_cookie("/staff", Some(&reg)).await;
        assert!(home.body.contains("1 новое"), "{b}: the menu's count: {}", home.body);
        let card_page = app.get_with_cookie(&card, Some(&reg)).await;
        assert!(card_page.body.contains(&format!("{card}/messages/{thread}")), "{b}");
        assert!(card_page.body.contains("1 новое"), "{b}: the thread's count");
        let feed = app.get_with_cookie("/staff/feed", Some(&reg)).await;
        assert!(feed.body.contains("Сообщение от пациента"), "{b}: {}", feed.body);
        assert!(feed.body.contains(&staff_thread), "{b}: the feed links the thread");
        assert!(!feed.body.contains(PATIENT_TEXT), "{b}: the feed names, it does not quote");
        let cabinet = get(&app, "/cabinet", &cookie).await;
        assert!(!cabinet.body.contains("непрочитан"), "{b}: one's own is never unread");

        // The registrar opens it: read for the front desk, audited; the patient's side as it was.
        let opened = app.get_with_cookie(&staff_thread, Some(&reg)).await;
        assert!(opened.body.contains(PATIENT_TEXT), "{b}");
        assert!(opened.body.contains("Соколова Анна"), "{b}: the patient's name");
        assert!(!opened.body.contains("1 новое"), "{b}: the page's own menu counts it read");
        let home = app.get_with_cookie("/staff", Some(&reg)).await;
        assert!(!home.body.contains("1 новое"), "{b}: read by the front desk");
        let t = api_thread(&app, &token, thread).await;
        assert_eq!(t["messages"][1]["author"], "patient", "{b}");
        assert_eq!(t["messages"][1]["read"], true, "{b}: the clinic read the answer");
        assert_eq!(t["unread"], 0, "{b}");
        let views = AuditFilter {
            action: Some(AuditAction::MessageThreadView),
            limit: 100,
            ..AuditFilter::default()
        };
        let views = app.db.store.audit_log(&views).await.unwrap();
        assert!(views.iter().all(|r| r.patient_id == Some(pid)), "{b}");
        assert!(views.len() >= 3, "{b}: every opening by staff is audited");
        let writes = AuditFilter {
            action: Some(AuditAction::MessageCreate),
            limit: 100,
            ..AuditFilter::default()
        };
        let writes = app.db.store.audit_log(&writes).await.unwrap();
        assert_eq!(writes.len(), 2, "{b}: every message written is audited");
        assert!(writes.iter().all(|r| !r.details.to_string().contains("Спасибо")), "{b}");

        // The staff answer again in the same thread: a new unread for the patient, one letter.
        let form = [("csrf", token_reg.as_str()), ("text", "Да, пришлём завтра.")];
        assert_eq!(thread_of(&post(&app, &staff_thread, &reg, &form).await), thread, "{b}");
        app.kabinet.deliver_due(&mailer).await.unwrap();
        assert_eq!(sink.messages().len(), letters_before + 2, "{b}");
        assert!(get(&app, "/cabinet", &cookie).await.body.contains("1 непрочитанное"), "{b}");

        // The patient starts a thread over the API: the answer's shape.
        let body = json!({"subject": "Справка для бассейна", "text": "Нужна справка."});
        let made = app.api("POST", "/api/v1/me/messages", &token, Some(&body)).await;
        assert_eq!(made.status, 201, "{b}: {}", made.body);
        let made = made.json();
        assert_eq!(made["subject"], "Справка для бассейна", "{b}");
        assert_eq!(made["started_by"], "patient", "{b}");
        assert_eq!(made["messages"].as_array().unwrap().len(), 1, "{b}");
        assert_eq!(made["messages"][0]["author"], "patient", "{b}");
        assert_eq!(made["messages"][0]["read"], false, "{b}");
        let newest = app.api("GET", "/api/v1/me/messages", &token, None).await.json();
        assert_eq!(newest["items"][0]["id"], made["id"], "{b}: newest activity first");
        // An answer over the API in the clinic's thread.
        let body = json!({"thread_id": thread, "text": "Жду."});
        let answered = app.api("POST", "/api/v1/me/messages", &token, Some(&body)).await;
        assert_eq!(answered.status, 201, "{b}: {}", answered.body);
        assert_eq!(answered.json()["id"], json!(thread), "{b}");
        assert_eq!(answered.json()["messages"].as_array().unwrap().len(), 4, "{b}");
        let home = app.get_with_cookie("/staff", Some(&reg)).await;
        assert!(home.body.contains("2 новых"), "{b}: {}", home.body);
        app.kabinet.deliver_due(&mailer).await.unwrap();
        assert_eq!(sink.messages().len(), letters_before + 2, "{b}: patients' messages: none");
    }
}

#[tokio::test]
async fn another_patients_thread_is_not_found_on_every_route_that_takes_its_id() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        let (_, owner_token, owner) = patient(&app, "owner@example.ru", "+79005550411").await;
        let (stranger, stranger_token, other) =
            patient(&app, "stranger@example.ru", "+79005550412").await;
        let token_reg = csrf(&app, &reg).await;
        let form = [("csrf", token_reg.as_str()), ("subject", "Лично"), ("text", STAFF_TEXT)];
        let thread =
            thread_of(&post(&app, &format!("/staff/patients/{owner}/messages"), &reg, &form).await);

        let theirs = get(&app, "/cabinet/messages", &stranger).await;
        assert!(!theirs.body.contains("Лично"), "{b}: not in another's list");
        let csrf_stranger = theirs.csrf();
        let page = get(&app, &format!("/cabinet/messages/{thread}"), &stranger).await;
        assert_eq!(page.status, 404, "{b}");
        assert!(!page.body.contains(STAFF_TEXT), "{b}");
        for text in ["Это моё?", ""] {
            let form = [("csrf", csrf_stranger.as_str()), ("text", text)];
            let uri = format!("/cabinet/messages/{thread}");
            let answer = app.post_form_with_cookie(&uri, Some(&stranger), &form).await;
            assert_eq!(answer.status, 404, "{b}: POST {uri} with {text:?}");
            assert!(!answer.body.contains(STAFF_TEXT), "{b}");
        }
        let read = format!("/api/v1/me/messages/{thread}/read");
        assert_eq!(app.api("POST", &read, &stranger_token, None).await.status, 404, "{b}");
        let body = json!({"thread_id": thread, "text": "Это моё?"});
        let answer = app.api("POST", "/api/v1/me/messages", &stranger_token, Some(&body)).await;
        assert_eq!(answer.status, 404, "{b}: {}", answer.body);
        // Under another patient's card, the thread is not there either.
        let wrong = format!("/staff/patients/{other}/messages/{thread}");
        assert_eq!(app.get_with_cookie(&wrong, Some(&reg)).await.status, 404, "{b}");
        let form = [("csrf", token_reg.as_str()), ("text", "Ответ не туда")];
        assert_eq!(post(&app, &wrong, &reg, &form).await.status, 404, "{b}");

        // Nothing was written or read by the attempts.
        let t = api_thread(&app, &owner_token, thread).await;
        assert_eq!(t["messages"].as_array().unwrap().len(), 1, "{b}");
        assert_eq!(t["unread"], 1, "{b}");
        let none = app.api("GET", "/api/v1/me/messages", &stranger_token, None).await.json();
        assert!(none["items"].as_array().unwrap().iter().all(|t| t["id"] != json!(thread)));
    }
}

#[tokio::test]
async fn bad_input_and_too_many_messages_come_back_with_the_form_as_typed() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let (cookie, token, pid) = patient(&app, "anna@example.ru", "+79005550421").await;
        let page = get(&app, "/cabinet/messages", &cookie).await;
        let csrf_patient = page.csrf();

        // The cabinet's form: an empty text, a text too long.
        let form =
            [("csrf", csrf_patient.as_str()), ("subject", "Вопрос о справке"), ("text", " ")];
        let empty = app.post_form_with_cookie("/cabinet/messages", Some(&cookie), &form).await;
        assert_eq!(empty.status, 422, "{b}");
        assert!(empty.body.contains("Напишите текст сообщения."), "{b}");
        assert!(empty.body.contains(r#"value="Вопрос о справке""#), "{b}: the subject is kept");
        let long = "д".repeat(4001);
        let form = [("csrf", csrf_patient.as_str()), ("subject", ""), ("text", long.as_str())];
        let too_long = app.post_form_with_cookie("/cabinet/messages", Some(&cookie), &form).await;
        assert_eq!(too_long.status, 422, "{b}");
        assert!(too_long.body.contains("не больше 4000 символов"), "{b}");
        assert!(too_long.body.contains("Укажите тему."), "{b}");
        assert!(too_long.body.contains(&long), "{b}: the text is kept");

        // The API names the fields.
        let bad = app.api("POST", "/api/v1/me/messages", &token, Some(&json!({"text": ""}))).await;
        assert_eq!(bad.status, 422, "{b}");
        let fields = &bad.json()["error"]["fields"];
        assert!(fields["text"].is_string() && fields["subject"].is_string(), "{b}: {fields}");
        let long_api = json!({"subject": "Тема", "text": "д".repeat(4001)});
        let bad = app.api("POST", "/api/v1/me/messages", &token, Some(&long_api)).await;
        assert_eq!(bad.status, 422, "{b}");

        // Staff's form: the same rules, the form kept on its own page.
        let token_admin = csrf(&app, &admin).await;
        let form = [("csrf", token_admin.as_str()), ("subject", "Запись"), ("text", "")];
        let staff_empty =
            post(&app, &format!("/staff/patients/{pid}/messages"), &admin, &form).await;
        assert_eq!(staff_empty.status, 422, "{b}");
        assert!(staff_empty.body.contains(r#"value="Запись""#), "{b}");
        assert!(staff_empty.body.contains("Напишите текст сообщения."), "{b}");

        // Ten messages an hour; the eleventh waits, with the text kept.
        for n in 0..10 {
            let body = json!({"subject": format!("Вопрос {n}"), "text": "Текст"});
            let made = app.api("POST", "/api/v1/me/messages", &token, Some(&body)).await;
            assert_eq!(made.status, 201, "{b}: message {n}: {}", made.body);
        }
        let body = json!({"subject": "Ещё", "text": "Текст"});
        let limited = app.api("POST", "/api/v1/me/messages", &token, Some(&body)).await;
        assert_eq!(limited.status, 429, "{b}");
        assert!(limited.headers.contains_key("retry-after"), "{b}");
        let form = [
            ("csrf", csrf_patient.as_str()),
            ("subject", "Срочный вопрос"),
            ("text", "Перезвоните, пожалуйста."),
        ];
        let page = app.post_form_with_cookie("/cabinet/messages", Some(&cookie), &form).await;
        assert_eq!(page.status, 429, "{b}");
        assert!(page.body.contains("Вы отправили много сообщений"), "{b}");
        assert!(page.body.contains("Перезвоните, пожалуйста."), "{b}: the text is kept");
        assert!(page.body.contains(r#"value="Срочный вопрос""#), "{b}");
        app.clock.advance(SignedDuration::from_mins(61));
        let again = app.post_form_with_cookie("/cabinet/messages", Some(&cookie), &form).await;
        assert_eq!(again.status, 303, "{b}: an hour later: {}", again.body);
    }
}

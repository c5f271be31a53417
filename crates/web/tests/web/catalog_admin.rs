//! The administrator's catalog over HTTP, on every backend (C1): a branch, a specialty and a
//! specialist added through the forms show in the directory and on the specialist's page; a
//! specialist works at two branches, is changed, hidden and shown again; bad input comes back
//! with messages beside the fields and as typed; a branch in use is kept; a registrar is
//! refused; and the demo clinic came in through the same use cases.

use kabinet_core::access::ActorKind;
use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;

use crate::common::TestApp;
use crate::staff::{administrator, csrf, post, registrar};

/// The id at the end of a redirect to `/staff/catalog/specialists/{id}`.
fn specialist_id(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

/// The id of the row named `name` in the catalog's list under `path` (`branches`, …).
fn listed_id(body: &str, path: &str, name: &str) -> i64 {
    let before = body.split(&format!("\" lang=\"ru\">{name}</a>")).next().unwrap();
    before.rsplit(&format!("/staff/catalog/{path}/")).next().unwrap().parse().unwrap()
}

/// How many `action` rows members of staff left (the demo's own are the system's).
async fn audited(app: &TestApp, action: AuditAction) -> usize {
    let filter = AuditFilter {
        action: Some(action),
        actor_kind: Some(ActorKind::Staff),
        limit: 1000,
        ..AuditFilter::default()
    };
    app.db.store.audit_log(&filter).await.unwrap().len()
}

#[tokio::test]
async fn a_specialist_added_in_the_back_office_shows_in_the_directory() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let t = token.as_str();

        let branch = [
            ("csrf", t),
            ("name", "На Лесной"),
            ("address", "Москва, ул. Лесная, 5"),
            ("phone", "+7 (495) 555-02-00"),
            ("hours", "Пн–Пт 8:00–21:00"),
            ("metro", "м. Белорусская, 5 минут пешком"),
            ("name_en", "Lesnaya"),
            ("second_phone", "8 800 555-02-01"),
        ];
        let added = post(&app, "/staff/catalog/branches", &admin, &branch).await;
        assert_eq!((added.status.as_u16(), added.location()), (303, "/staff/catalog#branches"));
        let specialty = [("csrf", t), ("name", "Остеопат"), ("name_en", "Osteopath")];
        let added = post(&app, "/staff/catalog/specialties", &admin, &specialty).await;
        assert_eq!(added.status, 303, "{b}: {}", added.body);

        let catalog = app.get_with_cookie("/staff/catalog", Some(&admin)).await;
        assert_eq!(catalog.status, 200, "{b}");
        assert!(catalog.body.contains("Москва, ул. Лесная, 5"), "{b}");
        let home = app.get("/").await.body;
        assert!(
            home.contains("+7 (495) 555-02-00</a>, <a href=\"tel:88005550201\">"),
            "{b}: {home}"
        );
        let lesnaya = listed_id(&catalog.body, "branches", "На Лесной");
        let osteopath = listed_id(&catalog.body, "specialties", "Остеопат");
        let other = app.kabinet.filters(kabinet_core::lang::Lang::Ru).await.unwrap().0[0].id;

        let form = vec![
            ("csrf", t.to_owned()),
            ("last_name", "Ясенева".to_owned()),
            ("first_name", "Дарья".to_owned()),
            ("middle_name", "Олеговна".to_owned()),
            ("gender", "f".to_owned()),
            ("specialty", osteopath.to_string()),
            ("qualification", "Врач первой категории".to_owned()),
            ("degree", "кандидат медицинских наук".to_owned()),
            ("career_start_year", "2010".to_owned()),
            ("main_branch", lesnaya.to_string()),
            ("branch", other.to_string()),
            ("bio", "Лечит спины руками.".to_owned()),
        ];
        let typed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let created = post(&app, "/staff/catalog/specialists", &admin, &typed).await;
        assert_eq!(created.status, 303, "{b}: {}", created.body);
        let id = specialist_id(created.location());

        // Online booking was left off: the page gives the main branch's phone to call.
        let page = app.get(&format!("/specialists/{id}")).await;
        assert_eq!(page.status, 200, "{b}");
        assert!(page.body.contains("Ясенева Дарья Олеговна"), "{b}");
        assert!(page.body.contains("Врач первой категории, кандидат медицинских наук"), "{b}");
        assert!(page.body.contains("Москва, ул. Лесная, 5"), "{b}: the main branch");
        assert!(page.body.contains("Записаться можно по телефону"), "{b}");
        assert!(page.body.contains("+7 (495) 555-02-00"), "{b}");
        assert!(page.body.contains(&format!("/specialists/{id}/photo.svg")), "{b}: initials");
        // Both branches find them.
        for branch in [lesnaya, other] {
            let found = app.get(&format!("/specialists?branch={branch}&q=Ясенева")).await;
            assert!(found.body.contains("Ясенева Дарья"), "{b}: branch {branch}");
        }
        let api = app.get(&format!("/api/v1/specialists?branch_id={other}")).await.json();
        assert!(api.to_string().contains("Ясенева"), "{b}: the API's branch filter too");
        let item = api["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap();
        let branches: Vec<i64> =
            item["branch_ids"].as_array().unwrap().iter().map(|b| b.as_i64().unwrap()).collect();
        assert_eq!(branches, [lesnaya, other], "{b}: every branch, the main one first");
        assert_eq!(item["branch"]["id"], lesnaya, "{b}");

        // Changed: online booking on, another qualification.
        let mut changed = typed.clone();
        changed.retain(|(k, _)| *k != "qualification");
        changed.push(("qualification", "Врач высшей категории"));
        changed.push(("online_booking", "yes"));
        changed.push(("online_discount_percent", "12"));
        let saved = post(&app, &format!("/staff/catalog/specialists/{id}"), &admin, &changed).await;
        assert_eq!(saved.status, 303, "{b}: {}", saved.body);
        let page = app.get(&format!("/specialists/{id}")).await;
        assert!(page.body.contains("Врач высшей категории"), "{b}");
        assert!(!page.body.contains("Записаться можно по телефону"), "{b}: booking is open");
        let edit =
            app.get_with_cookie(&format!("/staff/catalog/specialists/{id}"), Some(&admin)).await;
        let field = edit.body.split("name=\"online_discount_percent\"").nth(1).unwrap_or_default();
        let field = field.split('>').next().unwrap_or_default();
        assert!(field.contains("value=\"12\""), "{b}: the discount kept: {field}");

        // Hidden: gone from the directory and its page; shown again: back.
        let only_token = [("csrf", t)];
        let base = format!("/staff/catalog/specialists/{id}");
        let hide = post(&app, &format!("{base}/hide"), &admin, &only_token).await;
        assert_eq!(hide.status, 303, "{b}");
        assert_eq!(app.get(&format!("/specialists/{id}")).await.status, 404, "{b}");
        let directory = app.get("/specialists?q=Ясенева").await;
        assert!(!directory.body.contains("Ясенева Дарья"), "{b}");
        let edit = app.get_with_cookie(&base, Some(&admin)).await;
        assert!(edit.body.contains("Специалист скрыт"), "{b}");
        let show = post(&app, &format!("{base}/show"), &admin, &only_token).await;
        assert_eq!(show.status, 303, "{b}");
        assert_eq!(app.get(&format!("/specialists/{id}")).await.status, 200, "{b}");

        for (action, count) in [
            (AuditAction::BranchCreate, 1),
            (AuditAction::SpecialtyCreate, 1),
            (AuditAction::SpecialistUpdate, 1),
            (AuditAction::SpecialistHide, 1),
            (AuditAction::SpecialistShow, 1),
        ] {
            assert_eq!(audited(&app, action).await, count, "{b}: {action:?}");
        }
    }
}

#[tokio::test]
async fn bad_input_comes_back_beside_the_fields_as_typed() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let t = token.as_str();

        let form = [
            ("csrf", t),
            ("last_name", ""),
            ("first_name", "Дарья"),
            ("gender", "f"),
            ("qualification", "Врач"),
            ("career_start_year", "2099"),
            ("bio", "Пишет стихи."),
            ("online_discount_percent", "150"),
        ];
        let refused = post(&app, "/staff/catalog/specialists", &admin, &form).await;
        assert_eq!(refused.status, 422, "{b}");
        for message in [
            "Фамилия: Заполните это поле.",
            "Укажите год числом, например 2005",
            "Выберите хотя бы одно значение.",
            "Скидка за онлайн-запись, %: Скидка — целое число от 0 до 100",
        ] {
            assert!(refused.body.contains(message), "{b}: {message} in {}", refused.body);
        }
        assert!(refused.body.contains("value=\"2099\""), "{b}: the year as typed");
        assert!(refused.body.contains("value=\"150\""), "{b}: the discount as typed");
        assert!(refused.body.contains(">Пишет стихи.</textarea>"), "{b}: the bio as typed");

        let branch = [
            ("csrf", t),
            ("name", "На Лесной"),
            ("address", "ул. Лесная, 5"),
            ("phone", "позвоните нам"),
            ("second_phone", "и сюда"),
            ("hours", "9–21"),
        ];
        let refused = post(&app, "/staff/catalog/branches", &admin, &branch).await;
        assert_eq!(refused.status, 422, "{b}");
        assert!(refused.body.contains("Телефон: Укажите телефон из 10–11 цифр"), "{b}");
        assert!(refused.body.contains("Второй телефон: Укажите телефон из 10–11 цифр"), "{b}");
        assert!(refused.body.contains("value=\"и сюда\""), "{b}: kept as typed");
        assert!(refused.body.contains("value=\"На Лесной\""), "{b}");

        let taken = [("csrf", t), ("name", "Невролог")];
        let refused = post(&app, "/staff/catalog/specialties", &admin, &taken).await;
        assert_eq!(refused.status, 422, "{b}");
        assert!(refused.body.contains("Такая специальность уже есть."), "{b}");
    }
}

#[tokio::test]
async fn a_branch_with_specialists_is_kept_and_an_empty_one_deleted() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let t = token.as_str();
        let used = app.kabinet.filters(kabinet_core::lang::Lang::Ru).await.unwrap().0[0].id;
        let only_token = [("csrf", t)];
        let uri = format!("/staff/catalog/branches/{used}/delete");
        let kept = post(&app, &uri, &admin, &only_token).await;
        assert_eq!(kept.status, 422, "{b}");
        assert!(kept.body.contains("В филиале работают специалисты"), "{b}");

        let branch = [
            ("csrf", t),
            ("name", "Временный"),
            ("address", "ул. Пустая, 1"),
            ("phone", "+7 495 555 03 00"),
            ("hours", "Пн–Пт 9:00–18:00"),
        ];
        assert_eq!(post(&app, "/staff/catalog/branches", &admin, &branch).await.status, 303);
        let catalog = app.get_with_cookie("/staff/catalog", Some(&admin)).await;
        let id = listed_id(&catalog.body, "branches", "Временный");
        let uri = format!("/staff/catalog/branches/{id}/delete");
        let gone = post(&app, &uri, &admin, &only_token).await;
        assert_eq!(gone.status, 303, "{b}");
        let catalog = app.get_with_cookie("/staff/catalog", Some(&admin)).await;
        assert!(!catalog.body.contains("Временный"), "{b}");
        assert_eq!(audited(&app, AuditAction::BranchDelete).await, 1, "{b}");
    }
}

#[tokio::test]
async fn a_registrar_may_not_change_the_catalog() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let reg = registrar(&app, &admin).await;
        assert_eq!(app.get_with_cookie("/staff/catalog", Some(&reg)).await.status, 403, "{b}");
        let token = csrf(&app, &reg).await;
        let form = [("csrf", token.as_str()), ("name", "Остеопат")];
        let refused = post(&app, "/staff/catalog/specialties", &reg, &form).await;
        assert_eq!(refused.status, 403, "{b}");
        assert_eq!(audited(&app, AuditAction::SpecialtyCreate).await, 0, "{b}");
    }
}

#[tokio::test]
async fn the_demo_clinic_came_in_through_the_administrators_use_cases() {
    let app = TestApp::sqlite().await;
    let filter = AuditFilter {
        action: Some(AuditAction::SpecialistCreate),
        actor_kind: Some(ActorKind::System),
        limit: 1000,
        ..AuditFilter::default()
    };
    let rows = app.db.store.audit_log(&filter).await.unwrap();
    let cards = app.kabinet.all_specialists(kabinet_core::lang::Lang::Ru).await.unwrap();
    assert_eq!(rows.len(), cards.len(), "one audited creation per demo specialist");
    let store = &app.db.store;
    let count = |action| {
        let filter = AuditFilter { action: Some(action), ..filter.clone() };
        async move { store.audit_log(&filter).await.unwrap() }
    };
    assert_eq!(count(AuditAction::BranchCreate).await.len(), 2);
    // Schedules, the price list and the documents came through their own doors too, and
    // nothing through the bulk path of fixtures.
    let templates = count(AuditAction::ScheduleTemplateAdd).await;
    assert!(templates.len() > cards.len(), "{} templates", templates.len());
    assert!(!count(AuditAction::ScheduleExceptionAdd).await.is_empty());
    assert_eq!(count(AuditAction::PriceListCreate).await.len(), 1);
    assert_eq!(count(AuditAction::DocumentPublish).await.len(), 2);
    assert!(count(AuditAction::CatalogLoad).await.is_empty());
    // The groups the price list made have their English names.
    let english = app.get_with_cookie("/prices", Some("lang=en")).await;
    assert!(
        english.body.contains("Functional diagnostics (ECG, Holter, ABPM)"),
        "{}",
        english.body
    );
}

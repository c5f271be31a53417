//! Issue 10, point 6: the back office speaks people — access levels in words, dates as
//! 12.04.1985, phones as +7 916 123-45-67 — never the values the database keeps.

use crate::common::TestApp;
use crate::staff::{administrator, csrf, online_patient, post, registrar};

#[tokio::test]
async fn a_patients_card_and_the_search_speak_people() {
    let app = TestApp::sqlite().await;
    let admin = administrator(&app).await;
    let reg = registrar(&app, &admin).await;
    online_patient(&app, "ivan@example.ru").await;
    let patient = app.db.store.account_by_login("ivan@example.ru").await.unwrap().unwrap();
    let path = format!("/staff/patients/{}", patient.patient_id);
    let card = app.get_with_cookie(&path, Some(&reg)).await.body;
    let token = csrf(&app, &reg).await;
    let found = post(&app, "/staff/search", &reg, &[("csrf", &token), ("q", "Седов")]).await.body;
    for page in [&card, &found] {
        assert!(page.contains("Онлайн-регистрация"), "{page}");
        assert!(page.contains("05.05.1990"), "{page}");
        assert!(page.contains("+7 903 555-11-22"), "{page}");
        for raw in ["unconfirmed", "1990-05-05", "+79035551122<"] {
            assert!(!page.contains(raw), "{raw} shown as stored");
        }
    }
}

//! What a visitor sees: the catalog pages in Russian (and English), filters, prices.

use kabinet_core::lang::Lang;

use crate::common::TestApp;

#[tokio::test]
async fn every_page_answers_in_russian_with_the_cookie_notice() {
    let app = TestApp::sqlite().await;
    for (uri, heading) in [
        ("/", "Запись к врачу онлайн"),
        ("/specialists", "Специалисты"),
        ("/prices", "Цены на услуги"),
        ("/rules", "Правила использования сервиса"),
        ("/privacy", "Политика конфиденциальности"),
        ("/notice/declined", "Вы не согласились с условиями"),
    ] {
        let page = app.get(uri).await;
        assert_eq!(page.status, 200, "{uri}");
        assert!(page.body.contains("<html lang=\"ru\">"), "{uri}");
        assert!(page.body.contains(heading), "{uri} lacks «{heading}»");
        assert!(page.body.contains("Уведомление о cookie"), "{uri}: first visit shows the notice");
    }
}

#[tokio::test]
async fn accepting_the_notice_hides_it_and_records_the_consent() {
    let app = TestApp::sqlite().await;
    let accepted = app.post_form("/notice", &[("next", "/prices")]).await;
    assert_eq!(accepted.status, 303);
    assert_eq!(accepted.location(), "/prices");
    let cookie = accepted.cookie("notice").expect("the notice cookie");
    let visitor = cookie.trim_start_matches("notice=");
    let consents = app.db.store.visitor_consents(visitor).await.unwrap();
    assert_eq!(consents.len(), 1);
    assert_eq!((consents[0].kind.as_str(), consents[0].document_version), ("cookies", 1));
    let page = app.get_with_cookie("/prices", Some(&cookie)).await;
    assert!(!page.body.contains("Уведомление о cookie"));

    let evil = app.post_form("/notice", &[("next", "https://evil.example/")]).await;
    assert_eq!(evil.location(), "/", "never redirects off the site");
}

#[tokio::test]
async fn english_is_one_click_away() {
    let app = TestApp::sqlite().await;
    let switched = app.get("/lang/en?next=/specialists").await;
    assert_eq!(switched.location(), "/specialists");
    let cookie = switched.cookie("lang").unwrap();
    let page = app.get_with_cookie("/specialists", Some(&cookie)).await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("specialists found"));
}

#[tokio::test]
async fn the_directory_filters_by_specialty_branch_and_name_and_shows_online_prices() {
    for app in TestApp::each_backend().await {
        let all = app.get("/specialists").await;
        assert!(all.body.contains("Найдено 24 специалиста"), "{}", app.backend());
        assert!(all.body.contains("за онлайн-запись"), "online discount shown");
        assert!(all.body.contains("Ближайшее время"), "nearest free slot shown");
        assert!(
            all.body.contains("Онлайн-запись к этому специалисту закрыта"),
            "closed ones show the phone"
        );

        let (_, specialties) = app.kabinet.filters(Lang::Ru).await.unwrap();
        let neurology = specialties.iter().find(|s| s.name.as_str() == "Невролог").unwrap();
        let page = app.get(&format!("/specialists?specialty={}", neurology.id)).await;
        assert!(page.body.contains("Соловьёва Марина Андреевна"));
        assert!(!page.body.contains("Абрамова Татьяна"), "a paediatrician is not a neurologist");

        let by_name =
            app.get("/specialists?q=%D1%81%D0%BE%D0%BB%D0%BE%D0%B2%D1%8C%D1%91%D0%B2%D0%B0").await;
        assert!(by_name.body.contains("Найден 1 специалист"), "lower-case «соловьёва» finds her");

        let nobody = app.get("/specialists?q=zzzz").await;
        assert!(nobody.body.contains("Никого не нашли"));
        let bad = app.get("/specialists?specialty=abc&branch=").await;
        assert_eq!(bad.status, 200, "a bad filter is ignored, not an error");
    }
}

#[tokio::test]
async fn a_specialist_page_shows_services_prices_and_a_week_of_free_time() {
    let app = TestApp::sqlite().await;
    let (id, _) = app.bookable(0).await;
    let page = app.get(&format!("/specialists/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Свободное время"));
    assert!(page.body.contains("class=\"slot\""), "slots are links to book");
    assert!(page.body.contains("Услуги и цены"));
    assert!(page.body.contains("<s class=\"muted\">"), "the regular price is struck through");
    let next = app.get(&format!("/specialists/{id}?week=1")).await;
    assert!(next.body.contains("Предыдущая неделя"));
    assert_eq!(app.get("/specialists/99999").await.status, 404);
    assert_eq!(app.get("/specialists/abc").await.status, 400);
}

#[tokio::test]
async fn complex_programs_never_get_the_online_discount() {
    let app = TestApp::sqlite().await;
    for card in app.kabinet.all_specialists(Lang::Ru).await.unwrap() {
        let page =
            app.kabinet.specialist_page(card.specialist.id, 0, None, Lang::Ru).await.unwrap();
        for p in page.services.iter().flat_map(|g| &g.services).filter(|p| p.service.complex) {
            assert_eq!(
                p.quote.price,
                p.quote.base,
                "{} at {}",
                p.service.name,
                card.specialist.full_name()
            );
        }
    }
    let prices = app.get("/prices").await;
    assert!(prices.body.contains("Комплексная программа"));
    assert!(prices.body.contains("Скидка за онлайн-запись на комплексные программы не действует"));
}

#[tokio::test]
async fn a_specialist_closed_for_online_booking_shows_the_phone_and_no_slots() {
    let app = TestApp::sqlite().await;
    let cards = app.kabinet.all_specialists(Lang::Ru).await.unwrap();
    let closed = cards.iter().find(|c| !c.specialist.online_booking).unwrap();
    let page = app.get(&format!("/specialists/{}", closed.specialist.id)).await;
    assert!(page.body.contains("Записаться можно по телефону"));
    assert!(page.body.contains(&closed.branch.phone));
    assert!(!page.body.contains("class=\"slot\""));
}

#[tokio::test]
async fn the_price_list_is_grouped_and_searchable() {
    let app = TestApp::sqlite().await;
    let all = app.get("/prices").await;
    assert!(all.body.contains("Приёмы и консультации"));
    let ultrasound = app.get("/prices?q=%D0%A3%D0%97%D0%98").await;
    assert!(ultrasound.body.contains("УЗИ"));
    assert!(!ultrasound.body.contains("Приём (осмотр, консультация) врача-невролога"));
    let nothing = app.get("/prices?q=zzzz").await;
    assert!(nothing.body.contains("Ничего не нашли"));
}

#[tokio::test]
async fn unknown_pages_get_a_russian_404_page() {
    let app = TestApp::sqlite().await;
    let page = app.get("/no-such-page").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("Страница не найдена"), "{}", page.body);
}

/// Issue 10, point 3: case never matters and «е» finds «ё», on every search of the catalog.
#[tokio::test]
async fn search_forgives_case_and_the_letter_yo() {
    let app = TestApp::sqlite().await;
    let q = |text: &str| serde_urlencoded::to_string([("q", text)]).unwrap()[2..].to_owned();
    let directory = app.get(&format!("/specialists?q={}", q("соловьева"))).await;
    assert!(directory.body.contains("Соловьёва Марина Андреевна"), "«соловьева» on /specialists");
    let upper = app.get(&format!("/specialists?q={}", q("СОЛОВЬЕВА марина"))).await;
    assert!(upper.body.contains("Найден 1 специалист"));
    let prices = app.get(&format!("/prices?q={}", q("прием невролога"))).await;
    assert!(prices.body.contains("Приём (осмотр, консультация) врача-невролога"), "/prices");
    let api = app.get(&format!("/api/v1/specialists?q={}", q("соловьева"))).await.json();
    let names: Vec<&str> =
        api["items"].as_array().unwrap().iter().map(|s| s["full_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Соловьёва Марина Андреевна"], "the API");
}

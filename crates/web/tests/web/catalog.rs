//! Honest prices and English on the catalog pages (issue 10, points 4 and 8): the directory's
//! «от» price is a consultation's, a specialist's services come by kind under headings, and
//! English pages show the catalog in English, with a Russian stand-in marked `lang="ru"`.

use kabinet_core::catalog::ServiceKind;
use kabinet_core::lang::Lang;
use kabinet_service::catalog::SpecialistCard;

use crate::common::TestApp;

/// The language cookie of a visitor who switched to English.
const EN: Option<&str> = Some("lang=en");

/// A therapist of the demo clinic: an injection (450 ₽) costs less than any of their visits.
async fn therapist(app: &TestApp) -> SpecialistCard {
    let cards = app.kabinet.all_specialists(Lang::Ru).await.unwrap();
    let is_therapist =
        |c: &SpecialistCard| c.specialties.iter().any(|s| s.name.as_str() == "Терапевт");
    cards.into_iter().find(|c| is_therapist(c) && c.specialist.online_booking).unwrap()
}

/// The id of the specialty «Терапевт».
fn therapy(card: &SpecialistCard) -> i64 {
    card.specialties.iter().find(|s| s.name.as_str() == "Терапевт").unwrap().id
}

/// The HTML of a specialist's card in the directory.
fn card(directory: &str, id: i64) -> &str {
    let start = directory.find(&format!("<a href=\"/specialists/{id}\"")).unwrap();
    let end = directory[start..].find("</li>").unwrap();
    &directory[start..start + end]
}

/// Where each of `texts` stands in `body`, failing for one that is missing.
/// Where each text first stands in `body` from the first of them on (the services' list; the
/// service picker above it names some of the same services).
fn positions(body: &str, texts: &[&str]) -> Vec<usize> {
    let from = body.find(texts[0]).unwrap_or_else(|| panic!("no «{}»", texts[0]));
    let body = &body[from..];
    texts.iter().map(|t| body.find(t).unwrap_or_else(|| panic!("no «{t}»"))).collect()
}

#[tokio::test]
async fn the_directory_price_from_is_the_lowest_consultation_never_a_procedure() {
    for app in TestApp::each_backend().await {
        for card in app.kabinet.all_specialists(Lang::Ru).await.unwrap() {
            let page =
                app.kabinet.specialist_page(card.specialist.id, 0, None, Lang::Ru).await.unwrap();
            let visits = page.services.iter().find(|g| g.kind == ServiceKind::Consultation);
            let lowest = visits.and_then(|g| g.services.iter().map(|p| p.quote.price).min());
            let who = card.specialist.full_name();
            assert_eq!(card.from_price.map(|q| q.price), lowest, "{who} on {}", app.backend());
            assert!(lowest.is_some(), "{who} gives consultations");
        }

        let therapist = therapist(&app).await;
        let page = app.kabinet.specialist_page(therapist.specialist.id, 0, None, Lang::Ru).await;
        let cheapest =
            page.unwrap().services.iter().flat_map(|g| &g.services).map(|p| p.quote.price).min();
        let from = therapist.from_price.unwrap().price;
        assert!(cheapest.unwrap() < from, "a procedure is cheaper than the therapist's visits");
        let directory = app.get(&format!("/specialists?specialty={}", therapy(&therapist))).await;
        let card = card(&directory.body, therapist.specialist.id);
        let shown = card.split("class=\"from-price\"").nth(1).unwrap();
        assert!(shown.contains(&from.display()), "the card shows {}: {card}", from.display());
        assert!(!shown.contains(&cheapest.unwrap().display()), "never the procedure's price");
    }
}

#[tokio::test]
async fn a_specialist_page_lists_services_by_kind_under_headings_in_both_languages() {
    for app in TestApp::each_backend().await {
        let id = therapist(&app).await.specialist.id;
        let ru = app.get(&format!("/specialists/{id}")).await;
        let order = positions(
            &ru.body,
            &[
                "<h3 id=\"services-consultation\">Приёмы и консультации</h3>",
                "Приём (осмотр, консультация) врача-терапевта повторный",
                "<h3 id=\"services-procedure\">Процедуры</h3>",
                "Внутримышечное введение лекарственного препарата",
                "<h3 id=\"services-diagnostics\">Диагностика</h3>",
                "Регистрация электрокардиограммы",
                "<h3 id=\"services-certificate\">Справки и документы</h3>",
                "<h3 id=\"services-program\">Комплексные программы</h3>",
                "Check-up «Базовый»",
            ],
        );
        assert!(order.is_sorted(), "consultations first, then procedures…: {order:?}");
        assert!(ru.body.contains("aria-labelledby=\"services-procedure\""), "each table named");

        let en = app.get_with_cookie(&format!("/specialists/{id}"), EN).await;
        let order = positions(
            &en.body,
            &[
                "<h3 id=\"services-consultation\">Consultations</h3>",
                "Follow-up visit to a general practitioner",
                "<h3 id=\"services-procedure\">Procedures</h3>",
                "Intramuscular injection",
                "<h3 id=\"services-diagnostics\">Diagnostics</h3>",
                "Electrocardiogram (ECG) with interpretation",
                "<h3 id=\"services-certificate\">Certificates and records</h3>",
                "<h3 id=\"services-program\">Complex programs</h3>",
            ],
        );
        assert!(order.is_sorted(), "{}: {order:?}", app.backend());
    }
}

#[tokio::test]
async fn english_pages_show_the_catalog_and_the_documents_in_english() {
    for app in TestApp::each_backend().await {
        let directory = app.get_with_cookie("/specialists", EN).await;
        for english in [
            "General practitioner",
            "Neurologist",
            "Yasen Clinic at Tikhiye Prudy",
            "Doctor of the highest qualification category",
        ] {
            assert!(directory.body.contains(english), "{}: «{english}»", app.backend());
        }
        for russian in ["Терапевт", "Невролог", "на Тихих Прудах", "квалификационной"]
        {
            assert!(!directory.body.contains(russian), "no «{russian}» in English");
        }
        assert!(
            directory.body.contains("\" lang=\"ru\">Абрамова "),
            "a name has no English: it is marked Russian"
        );

        let id = therapist(&app).await.specialist.id;
        let page = app.get_with_cookie(&format!("/specialists/{id}"), EN).await;
        assert!(page.body.contains("Initial visit to a general practitioner"));
        assert!(
            page.body.contains("7 Tikhikh Prudov St., bldg. 1, Moscow")
                || page.body.contains("23 Ryabinovy Blvd., bldg. 2, Moscow")
        );
        assert!(page.body.contains("<p class=\"bio\" lang=\"ru\">"), "a bio has no English");

        let prices = app.get_with_cookie("/prices", EN).await;
        assert!(prices.body.contains("Ultrasound of the abdominal organs (comprehensive)"));
        assert!(prices.body.contains(">Laboratory tests</h2>"));
        assert!(!prices.body.contains("Приём (осмотр"), "no Russian service names");

        let home = app.get_with_cookie("/", EN).await;
        assert!(home.body.contains("Mon–Fri 8:00–21:00, Sat 9:00–18:00, Sun closed"));
        assert!(home.body.contains("Tikhiye Prudy metro, a 5-minute walk"));

        for (uri, title) in [
            ("/rules", "Rules of the Patient Portal of Yasen Clinic"),
            ("/privacy", "Privacy Policy of the Patient Portal"),
        ] {
            let document = app.get_with_cookie(uri, EN).await;
            assert!(document.body.contains(&format!("<h1>{title}</h1>")), "{uri}");
            assert!(!document.body.contains("Федеральн"), "{uri} is in English");
        }

        for uri in ["/specialists", &format!("/specialists/{id}"), "/prices", "/", "/rules"] {
            let russian = app.get(uri).await.body;
            let main = russian.split("<main").nth(1).unwrap();
            let marked = main.find("lang=\"ru\"").map(|at| &main[at.saturating_sub(80)..at]);
            assert_eq!(marked, None, "{uri}: Russian pages mark nothing");
        }
    }
}

#[tokio::test]
async fn a_text_without_english_shows_in_russian_marked_lang_ru() {
    for app in TestApp::each_backend().await {
        app.db
            .raw_sql(
                "UPDATE specialties SET name_en = NULL WHERE name = 'Терапевт'; \
                 UPDATE services SET name_en = NULL WHERE code = 'A11.02.002'; \
                 UPDATE branches SET address_en = NULL; \
                 UPDATE documents SET title_en = NULL, body_en = NULL WHERE kind = 'rules'",
            )
            .await
            .unwrap();
        let directory = app.get_with_cookie("/specialists", EN).await;
        assert!(directory.body.contains("<span lang=\"ru\">Терапевт</span>"), "{}", app.backend());
        assert!(directory.body.contains(" lang=\"ru\">Терапевт</option>"), "in the filter too");
        assert!(directory.body.contains(">Neurologist</option>"), "the others stay English");

        let id = therapist(&app).await.specialist.id;
        let page = app.get_with_cookie(&format!("/specialists/{id}"), EN).await;
        assert!(page.body.contains("<span lang=\"ru\">Внутримышечное введение"));
        assert!(page.body.contains("<span lang=\"ru\">г. Москва"), "the address");
        assert!(page.body.contains("Intravenous injection"), "a translated service is English");

        let rules = app.get_with_cookie("/rules", EN).await;
        assert!(rules.body.contains("<h1 lang=\"ru\">Правила использования сервиса"));
        assert!(rules.body.contains("<div lang=\"ru\">"), "the text too");
        assert!(rules.body.contains("Version 1"), "what the page itself says stays English");
    }
}

#[tokio::test]
async fn search_finds_what_the_page_shows_in_either_language() {
    for app in TestApp::each_backend().await {
        let count = |body: &str| body.matches("<li class=\"card\">").count();
        let neurologists = app.get_with_cookie("/specialists?q=neurologist", EN).await;
        assert!(count(&neurologists.body) > 0, "{}: «neurologist» finds", app.backend());
        let russian =
            app.get("/specialists?q=%D0%BD%D0%B5%D0%B2%D1%80%D0%BE%D0%BB%D0%BE%D0%B3").await;
        assert_eq!(count(&russian.body), count(&neurologists.body), "«невролог» finds the same");

        let ultrasound = app.get_with_cookie("/prices?q=ultrasound", EN).await;
        assert!(ultrasound.body.contains("Breast ultrasound"), "by an English name");
        let uzi = app.get("/prices?q=%D0%A3%D0%97%D0%98").await;
        assert!(
            uzi.body.contains("Ультразвуковое исследование молочных желёз"),
            "«УЗИ» finds the ultrasound group"
        );
        let code = app.get_with_cookie("/prices?q=B01.023", EN).await;
        assert!(code.body.contains("Initial visit to a neurologist"), "by code in English too");
    }
}

#[tokio::test]
async fn the_api_tells_each_services_kind_and_answers_in_the_language_asked() {
    for app in TestApp::each_backend().await {
        let therapist = therapist(&app).await;
        let id = therapist.specialist.id;
        let detail = app.get(&format!("/api/v1/specialists/{id}")).await.json();
        let services = detail["services"].as_array().unwrap();
        let kinds: Vec<&str> = services.iter().map(|s| s["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.first(), Some(&"consultation"), "{}", app.backend());
        let order = ["consultation", "procedure", "diagnostics", "test", "certificate", "program"];
        let rank = |kind: &str| order.iter().position(|k| *k == kind).unwrap();
        assert!(kinds.iter().map(|k| rank(k)).is_sorted(), "by kind: {kinds:?}");
        let lowest_visit = services
            .iter()
            .filter(|s| s["kind"] == "consultation")
            .map(|s| s["price"]["price_kopecks"].as_i64().unwrap())
            .min();
        assert_eq!(detail["price_from"]["price_kopecks"].as_i64(), lowest_visit);
        assert!(services.iter().all(|s| s["complex"] == (s["kind"] == "program")));

        let request = axum::http::Request::get(format!("/api/v1/specialists/{id}"))
            .header("accept-language", "en-GB,en;q=0.9,ru;q=0.5")
            .body(axum::body::Body::empty())
            .unwrap();
        let english = app.send(request).await.json();
        assert!(
            english["specialties"].as_array().unwrap().contains(&"General practitioner".into())
        );
        assert!(english["branch"]["name"].as_str().unwrap().starts_with("Yasen Clinic"));
        assert_eq!(english["services"][0]["kind"], "consultation");
        let cyrillic = |text: &str| text.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё'));
        let names = english["services"].as_array().unwrap().iter().map(|s| &s["name"]);
        assert!(names.map(|n| n.as_str().unwrap()).all(|n| !cyrillic(n)), "all in English");
    }
}

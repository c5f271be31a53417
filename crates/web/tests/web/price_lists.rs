//! Services, price lists and discounts kept by the administrator (issue 11, point 3), over
//! HTTP on every backend: a file with a bad line is previewed with its error and changes
//! nothing; the fixed file, applied today, changes the public price list; a list dated ahead
//! waits for its day, and a visit booked before keeps its price; lists export as CSV; a
//! service is hidden instead of deleted; a discount card added on the discounts page prices
//! a booking.

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;
use kabinet_core::audit::AuditAction;
use kabinet_store::audit::AuditFilter;
use serde_json::json;

use crate::common::{TestApp, TestResponse};
use crate::staff::{administrator, csrf, online_patient, post};

pub(crate) const BOUNDARY: &str = "kabinet-test-boundary";

/// Uploads `file` as the price-list import form does (multipart, with the session's token).
pub(crate) async fn upload(app: &TestApp, cookie: &str, token: &str, file: &[u8]) -> TestResponse {
    let request = Request::post("/staff/prices/import")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(multipart_body(token, file)))
        .unwrap();
    app.send(request).await
}

/// A multipart body as the form sends it: the token first (browsers send fields in the
/// form's order, and the CSRF check reads the token from the body's head), then the file.
pub(crate) fn multipart_body(token: &str, file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"prices.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend(file);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The value of the hidden `content` field of the preview's apply form.
fn content_of(page: &str) -> String {
    let raw = page.split("name=\"content\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    raw.replace("&#10;", "\n")
        .replace("&#13;", "\r")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A consultation's code and current price (rubles) from the public price list's API.
async fn a_consultation(app: &TestApp) -> (i64, String, i64) {
    let (id, _) = app.bookable(0).await;
    let services = app.get(&format!("/api/v1/specialists/{id}/services")).await.json();
    let service = &services["items"][0];
    let service_id = service["id"].as_i64().unwrap();
    let record = app.db.store.service_record(service_id).await.unwrap().unwrap().0;
    (service_id, record.code, record.price_kopecks / 100)
}

#[tokio::test]
async fn a_bad_line_is_shown_and_changes_nothing_then_the_fixed_file_changes_the_prices() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let (_, code, old) = a_consultation(&app).await;
        let prices = app.get("/prices").await.body;
        assert!(!prices.contains("7\u{202f}777"), "{b}");

        let bad = format!("Код;Цена\n{code};7 777\nNOPE.1;100\n{code};сто\n");
        let preview = upload(&app, &admin, &token, bad.as_bytes()).await;
        assert_eq!(preview.status, 422, "{b}: {}", preview.body);
        assert!(preview.body.contains("Ошибки в 2 строках"), "{b}: {}", preview.body);
        assert!(preview.body.contains("Услуги с таким кодом нет"), "{b}");
        assert!(preview.body.contains("Этот код уже был в файле выше"), "{b}");
        assert!(!preview.body.contains("action=\"/staff/prices/apply\""), "no apply with errors");
        // Sent anyway (a forged or stale form): refused, nothing made.
        let forced = post(
            &app,
            "/staff/prices/apply",
            &admin,
            &[("csrf", &token), ("content", &bad), ("effective_from", "2026-11-23")],
        )
        .await;
        assert_eq!(forced.status, 422, "{b}: {}", forced.body);
        let lists = app.db.store.price_lists().await.unwrap();
        assert_eq!(lists.len(), 1, "{b}: the demo's list only, nothing changed");
        assert!(!app.get("/prices").await.body.contains("7\u{202f}777"), "{b}");

        // Windows-1251 with commas, as older accounting systems write.
        let fixed = format!("код,цена\n{code},\"7 777,00\"\n");
        let fixed = encoding_rs::WINDOWS_1251.encode(&fixed).0.into_owned();
        let preview = upload(&app, &admin, &token, &fixed).await;
        assert_eq!(preview.status, 200, "{b}: {}", preview.body);
        assert!(preview.body.contains("Windows-1251") && preview.body.contains("запятая"), "{b}");
        let now = kabinet_core::pricing::Money::rubles(old).display();
        assert!(preview.body.contains(&now), "{b}: the price now is shown");
        let content = content_of(&preview.body);
        let applied = post(
            &app,
            "/staff/prices/apply",
            &admin,
            &[
                ("csrf", &token),
                ("content", &content),
                ("name", "Зимний прейскурант"),
                ("effective_from", "23.11.2026"),
            ],
        )
        .await;
        assert_eq!((applied.status.as_u16(), applied.location()), (303, "/staff/prices"), "{b}");
        assert!(app.get("/prices").await.body.contains("7\u{202f}777"), "{b}: the new price");
        let lists = app.get_with_cookie("/staff/prices", Some(&admin)).await.body;
        assert!(lists.contains("Зимний прейскурант") && lists.contains("23 ноября 2026"), "{b}");

        for action in [AuditAction::PriceListCreate, AuditAction::PriceListApply] {
            let filter = AuditFilter { action: Some(action), limit: 100, ..AuditFilter::default() };
            let rows = app.db.store.audit_log(&filter).await.unwrap();
            // The demo's list, and the administrator's.
            assert_eq!(rows.len(), 2, "{b}: {action:?}");
        }
    }
}

#[tokio::test]
async fn a_list_dated_ahead_waits_for_its_day_and_a_booked_visit_keeps_its_price() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let (service_id, code, old) = a_consultation(&app).await;
        let (specialist, _) = app.bookable(0).await;

        let patient = online_patient(&app, "prices@example.ru").await;
        let slots = app
            .get(&format!("/api/v1/specialists/{specialist}/slots?service_id={service_id}"))
            .await
            .json();
        // A visit a week ahead, after the new list's day.
        let start = slots["items"].as_array().unwrap().last().unwrap()["start"].clone();
        let booking =
            json!({"specialist_id": specialist, "service_id": service_id, "start": start});
        let made = app.api("POST", "/api/v1/me/visits", &patient, Some(&booking)).await;
        assert_eq!(made.status, 201, "{b}: {}", made.body);
        let visit_id = made.json()["id"].as_i64().unwrap();

        let file = format!("code;price\n{code};{}\n", old + 1000);
        let preview = upload(&app, &admin, &token, file.as_bytes()).await;
        assert_eq!(preview.status, 200, "{b}: {}", preview.body);
        let form = [
            ("csrf", token.as_str()),
            ("content", &content_of(&preview.body)),
            ("name", ""),
            ("effective_from", "2026-12-01"),
        ];
        let applied = post(&app, "/staff/prices/apply", &admin, &form).await;
        assert_eq!(applied.status, 303, "{b}: {}", applied.body);
        let price = |app: &TestApp| {
            let store = app.db.store.clone();
            async move { store.service_record(service_id).await.unwrap().unwrap().0.price_kopecks }
        };
        assert_eq!(price(&app).await, old * 100, "{b}: not before its day");
        let lists = app.get_with_cookie("/staff/prices", Some(&admin)).await.body;
        assert!(
            lists.contains("Прейскурант с 01.12.2026") && lists.contains("1 декабря 2026"),
            "{b}"
        );
        assert_eq!(app.kabinet.apply_due_price_lists().await.unwrap(), 0, "{b}: not yet");
        // The waiting list exports with its prices (UTF-8 with a BOM, `;`, for Excel).
        let waiting = app.db.store.price_lists().await.unwrap()[0].id;
        let uri = format!("/staff/prices/{waiting}/export.csv");
        let export = app.get_with_cookie(&uri, Some(&admin)).await;
        assert_eq!(export.status, 200, "{b}");
        let disposition = export.headers.get(header::CONTENT_DISPOSITION).unwrap();
        assert!(disposition.to_str().unwrap().starts_with("attachment;"), "{b}");
        assert!(export.body.starts_with('\u{feff}'), "{b}: a BOM for Excel");
        assert!(export.body.contains(&format!("{code};")), "{b}");
        assert!(export.body.contains(&format!(";{}\r\n", old + 1000)), "{b}");

        app.clock.advance(SignedDuration::from_hours(24 * 8));
        assert_eq!(app.kabinet.apply_due_price_lists().await.unwrap(), 1, "{b}: its day came");
        assert_eq!(app.kabinet.apply_due_price_lists().await.unwrap(), 0, "{b}: applied once");
        assert_eq!(price(&app).await, (old + 1000) * 100, "{b}");
        let visit = app.db.store.visit(visit_id).await.unwrap().unwrap();
        assert_eq!(visit.base_price_kopecks, Some(old * 100), "{b}: the visit keeps its price");
    }
}

#[tokio::test]
async fn a_hidden_service_leaves_the_price_list_and_a_new_card_prices_a_booking() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let list = app.get_with_cookie("/staff/services", Some(&admin)).await;
        assert_eq!(list.status, 200, "{b}");
        let (service_id, _, _) = a_consultation(&app).await;
        let record = app.db.store.service_record(service_id).await.unwrap().unwrap().0;
        assert!(app.get("/prices").await.body.contains(&record.name), "{b}");
        let hide = format!("/staff/services/{service_id}/archive");
        assert_eq!(post(&app, &hide, &admin, &[("csrf", &token)]).await.status, 303, "{b}");
        assert!(!app.get("/prices").await.body.contains(&record.name), "{b}: hidden");
        let form =
            app.get_with_cookie(&format!("/staff/services/{service_id}"), Some(&admin)).await;
        assert!(form.body.contains("Услуга скрыта"), "{b}");
        let show = format!("/staff/services/{service_id}/restore");
        assert_eq!(post(&app, &show, &admin, &[("csrf", &token)]).await.status, 303, "{b}");
        assert!(app.get("/prices").await.body.contains(&record.name), "{b}: back");

        // A bad card is refused next to its fields, as typed.
        let bad = [
            ("csrf", token.as_str()),
            ("number", "CARD-77"),
            ("holder", ""),
            ("percent", "150"),
            ("valid_until", "2027-12-31"),
        ];
        let refused = post(&app, "/staff/discounts/cards", &admin, &bad).await;
        assert_eq!(refused.status, 422, "{b}");
        assert!(refused.body.contains("Скидка — целое число от 1 до 100"), "{b}");
        assert!(refused.body.contains("value=\"CARD-77\""), "{b}: kept as typed");
        let taken = [
            ("csrf", token.as_str()),
            ("number", "demo-card-15"),
            ("holder", "Орлова Нина"),
            ("percent", "30"),
            ("valid_until", "2027-12-31"),
        ];
        let taken = post(&app, "/staff/discounts/cards", &admin, &taken).await;
        assert_eq!(taken.status, 422, "{b}");
        assert!(taken.body.contains("Такой номер или код уже есть"), "{b}");

        let good = [
            ("csrf", token.as_str()),
            ("number", "card-77"),
            ("holder", "Орлова Нина"),
            ("percent", "30"),
            ("valid_until", "31.12.2027"),
        ];
        let added = post(&app, "/staff/discounts/cards", &admin, &good).await;
        assert_eq!(added.status, 303, "{b}: {}", added.body);
        let page = app.get_with_cookie("/staff/discounts", Some(&admin)).await.body;
        assert!(page.contains("••••\u{a0}D-77") && !page.contains("CARD-77"), "{b}: masked");

        let (specialist, _) = app.bookable(0).await;
        let quote = app.get(&format!("/api/v1/specialists/{specialist}/services")).await.json();
        let base = quote["items"][0]["base_price"].as_f64().unwrap();
        let slots = app
            .get(&format!("/api/v1/specialists/{specialist}/slots?service_id={service_id}"))
            .await
            .json();
        let booking = json!({
            "specialist_id": specialist, "service_id": service_id,
            "discount_code": "CARD-77", "start": slots["items"][0]["start"],
            "patient": {"last_name": "Орлова", "first_name": "Нина", "birth_date": "1981-06-15",
                        "phone": "+79005558301"},
            "consents": {"personal_data": true}
        });
        let made = app.post_json("/api/v1/bookings", &booking).await;
        assert_eq!(made.status, 201, "{b}: {}", made.body);
        let price = &made.json()["price"];
        assert_eq!(price["discount"]["kind"], "card", "{b}");
        assert_eq!(price["final"].as_f64().unwrap(), ((base * 0.7) + 0.5).floor(), "{b}");
    }
}

#[tokio::test]
async fn an_ended_card_prices_no_booking_and_the_page_says_so() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let cards = app.db.store.discount_lists().await.unwrap().0;
        let card = cards.iter().find(|c| c.number == "DEMO-CARD-15").unwrap();
        let end = format!("/staff/discounts/cards/{}/end", card.id);
        let ended = post(&app, &end, &admin, &[("csrf", &token)]).await;
        assert_eq!(
            (ended.status.as_u16(), ended.location()),
            (303, "/staff/discounts#cards-title")
        );
        let page = app.get_with_cookie("/staff/discounts", Some(&admin)).await.body;
        let row = page.split("••••\u{a0}D-15").nth(1).unwrap_or_default();
        let row = row.split("</tr>").next().unwrap_or_default();
        assert!(row.contains("Не действует"), "{b}: {row}");
        assert!(!row.contains(&end), "{b}: no button for an ended card");

        let (id, start) = app.bookable(0).await;
        let booking = json!({
            "specialist_id": id, "start": start.to_string(), "discount_code": "DEMO-CARD-15",
            "patient": {"last_name": "Орлова", "first_name": "Нина", "birth_date": "1981-06-15",
                        "phone": "+79005558301"},
            "consents": {"personal_data": true}
        });
        let refused = app.post_json("/api/v1/bookings", &booking).await;
        assert_eq!(refused.status, 422, "{b}: {}", refused.body);
        let error = &refused.json()["error"];
        assert_eq!(
            error["fields"]["discount_code"],
            "Срок действия карты, сертификата или промокода истёк."
        );

        let filter =
            AuditFilter { action: Some(AuditAction::DiscountEnd), limit: 10, ..Default::default() };
        assert_eq!(app.db.store.audit_log(&filter).await.unwrap().len(), 1, "{b}");
        let unknown =
            post(&app, "/staff/discounts/cards/999999/end", &admin, &[("csrf", &token)]).await;
        assert_eq!(unknown.status, 404, "{b}");
    }
}

//! A visit is booked for a service at a price (B1, C4, C5): the services one books online
//! with their prices, free times that fit the service's length, and the one discount a
//! card, a certificate or a promotion code gives, kept on the visit.

use serde_json::{Value, json};

use crate::common::TestApp;

fn booking(specialist: i64, service: i64, start: &str, phone: &str, code: Option<&str>) -> Value {
    json!({
        "specialist_id": specialist,
        "service_id": service,
        "discount_code": code,
        "start": start,
        "patient": {
            "last_name": "Орлова", "first_name": "Нина", "birth_date": "1981-06-15",
            "phone": phone
        },
        "consents": {"personal_data": true}
    })
}

/// A specialist open for booking online with a service of `kind`, and that service.
async fn with_service(app: &TestApp, kind: &str) -> (i64, Value) {
    let list = app.get("/api/v1/specialists").await.json();
    for s in list["items"].as_array().unwrap().iter().filter(|s| s["online_booking"] == true) {
        let id = s["id"].as_i64().unwrap();
        let services = app.get(&format!("/api/v1/specialists/{id}/services")).await.json();
        let found = services["items"].as_array().unwrap().iter().find(|x| x["kind"] == kind);
        if let Some(service) = found {
            return (id, service.clone());
        }
    }
    panic!("no specialist gives a {kind} online");
}

async fn first_time(app: &TestApp, specialist: i64, service: i64, nth: usize) -> String {
    let uri = format!("/api/v1/specialists/{specialist}/slots?service_id={service}");
    let slots = app.get(&uri).await.json();
    slots["items"][nth]["start"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_specialists_services_come_with_their_online_price_and_why() {
    for app in TestApp::each_backend().await {
        let (id, _) = app.bookable(0).await;
        let answer = app.get(&format!("/api/v1/specialists/{id}/services")).await;
        assert_eq!(answer.status, 200, "{}", app.backend());
        let items = answer.json()["items"].as_array().unwrap().clone();
        assert!(!items.is_empty());
        assert_eq!(items[0]["kind"], "consultation", "a consultation comes first");
        for item in &items {
            let kind = item["kind"].as_str().unwrap();
            assert!(["consultation", "procedure", "diagnostics", "complex"].contains(&kind));
            let (base, online) =
                (item["base_price"].as_f64().unwrap(), item["online_price"].as_f64().unwrap());
            assert!(online <= base && online >= 0.0, "{item}");
            assert!(item["duration_minutes"].as_i64().unwrap() > 0);
        }
        let consultation = &items[0];
        if consultation["online_price"] != consultation["base_price"] {
            let reason = consultation["discount_reason"].as_str().unwrap();
            assert!(reason.starts_with("скидка за онлайн-запись"), "{reason}");
        }
        let english = app
            .send(
                axum::http::Request::get(format!("/api/v1/specialists/{id}/services"))
                    .header("accept-language", "en")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .json();
        let reason = &english["items"][0]["discount_reason"];
        assert!(
            reason.is_null() || reason.as_str().unwrap().starts_with("Online booking"),
            "{reason}"
        );

        let (_, program) = with_service(&app, "complex").await;
        assert_eq!(
            program["online_price"], program["base_price"],
            "no online discount on programs"
        );
    }
}

#[tokio::test]
async fn the_card_wins_over_the_online_discount_and_the_visit_keeps_the_price() {
    for app in TestApp::each_backend().await {
        let (id, _) = app.bookable(0).await;
        let services = app.get(&format!("/api/v1/specialists/{id}/services")).await.json();
        let service = &services["items"][0];
        let service_id = service["id"].as_i64().unwrap();
        let base = service["base_price"].as_f64().unwrap();
        let start = first_time(&app, id, service_id, 0).await;
        let made = app
            .post_json(
                "/api/v1/bookings",
                &booking(id, service_id, &start, "+79005558101", Some("demo-card-15")),
            )
            .await;
        assert_eq!(made.status, 201, "{}: {}", app.backend(), made.body);
        let made = made.json();
        assert_eq!(made["service"]["id"], service_id);
        let price = &made["price"];
        assert_eq!(price["base"].as_f64().unwrap(), base);
        let expected = ((base * 0.85) + 0.5).floor();
        assert_eq!(price["final"].as_f64().unwrap(), expected, "15 % off, whole rubles");
        assert_eq!(price["discount"]["kind"], "card");
        let reason = price["discount"]["reason"].as_str().unwrap();
        assert!(reason.contains("не суммируется") && reason.contains("15"), "{reason}");
    }
}

#[tokio::test]
async fn a_single_use_certificate_pays_for_one_booking_only() {
    for app in TestApp::each_backend().await {
        let (id, _) = app.bookable(1).await;
        let services = app.get(&format!("/api/v1/specialists/{id}/services")).await.json();
        let service_id = services["items"][0]["id"].as_i64().unwrap();
        let base = services["items"][0]["base_price"].as_f64().unwrap();
        let first = first_time(&app, id, service_id, 0).await;
        let second = first_time(&app, id, service_id, 1).await;
        let code = Some("DEMO-CERT-1000");
        let made = app
            .post_json("/api/v1/bookings", &booking(id, service_id, &first, "+79005558201", code))
            .await;
        assert_eq!(made.status, 201, "{}: {}", app.backend(), made.body);
        let price = &made.json()["price"];
        assert_eq!(price["discount"]["kind"], "certificate");
        assert_eq!(price["final"].as_f64().unwrap(), (base - 1000.0).max(0.0));

        let again = app
            .post_json("/api/v1/bookings", &booking(id, service_id, &second, "+79005558202", code))
            .await;
        assert_eq!(again.status, 422, "{}", again.body);
        let error = &again.json()["error"];
        assert_eq!(error["fields"]["discount_code"], "Этот сертификат уже использован.");
    }
}

#[tokio::test]
async fn a_code_that_gives_nothing_is_refused_on_its_field() {
    for app in TestApp::each_backend().await {
        let (id, _) = app.bookable(0).await;
        let services = app.get(&format!("/api/v1/specialists/{id}/services")).await.json();
        let consultation = services["items"][0]["id"].as_i64().unwrap();
        let start = first_time(&app, id, consultation, 0).await;
        for (code, message) in [
            (
                "NO-SUCH-CODE",
                "Такой карты, сертификата или промокода нет. Проверьте, как он написан.",
            ),
            ("YASEN20", "Этот промокод не действует на выбранную услугу."),
        ] {
            let refused = app
                .post_json(
                    "/api/v1/bookings",
                    &booking(id, consultation, &start, "+79005558301", Some(code)),
                )
                .await;
            assert_eq!(refused.status, 422, "{code}: {}", refused.body);
            assert_eq!(refused.json()["error"]["fields"]["discount_code"], message);
        }
        let no_service = app
            .post_json("/api/v1/bookings", &booking(id, 999_999, &start, "+79005558302", None))
            .await;
        assert_eq!(no_service.status, 422);
        assert!(no_service.json()["error"]["fields"]["service_id"].is_string());

        // The promotion does lower an examination.
        let (examiner, examination) = with_service(&app, "diagnostics").await;
        let service_id = examination["id"].as_i64().unwrap();
        let start = first_time(&app, examiner, service_id, 0).await;
        let made = app
            .post_json(
                "/api/v1/bookings",
                &booking(examiner, service_id, &start, "+79005558303", Some("yasen20")),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.body);
        let discount = &made.json()["price"]["discount"];
        assert!(
            discount["kind"] == "promotion" || discount["kind"] == "online",
            "the best of the two: {discount}"
        );
    }
}

#[tokio::test]
async fn a_long_service_is_offered_only_where_it_fits_and_takes_its_whole_time() {
    for app in TestApp::each_backend().await {
        let (id, program) = with_service(&app, "complex").await;
        let service_id = program["id"].as_i64().unwrap();
        let minutes = program["duration_minutes"].as_i64().unwrap();
        let uri = format!("/api/v1/specialists/{id}/slots?service_id={service_id}");
        let times = app.get(&uri).await.json();
        let first = &times["items"][0];
        let (start, end) = (first["start"].as_str().unwrap(), first["end"].as_str().unwrap());
        let at = |t: &str| t.parse::<jiff::Timestamp>().unwrap();
        let length = at(end).duration_since(at(start));
        assert_eq!(length.as_mins(), minutes, "each time lasts the service");

        let made = app
            .post_json("/api/v1/bookings", &booking(id, service_id, start, "+79005558401", None))
            .await;
        assert_eq!(made.status, 201, "{}: {}", app.backend(), made.body);
        assert_eq!(made.json()["end"], end);
        // The slots inside the booked hour are no longer free for anyone.
        let slots = app.get(&format!("/api/v1/specialists/{id}/slots")).await.json();
        let inside: Vec<&Value> = slots["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["start"].as_str().unwrap() >= start && s["start"].as_str().unwrap() < end)
            .collect();
        assert!(inside.is_empty(), "{inside:?}");
    }
}

#[tokio::test]
async fn a_patient_in_the_cabinet_books_a_service_with_a_card_and_a_move_keeps_its_price() {
    for app in TestApp::each_backend().await {
        let token = crate::accounts::registered(&app, "irina@example.ru", "+79005558501").await;
        let (id, _) = app.bookable(3).await;
        let services = app.get(&format!("/api/v1/specialists/{id}/services")).await.json();
        let service_id = services["items"][0]["id"].as_i64().unwrap();
        let start = first_time(&app, id, service_id, 0).await;
        let later = first_time(&app, id, service_id, 1).await;
        let body = json!({"specialist_id": id, "service_id": service_id, "start": start,
                          "discount_code": "DEMO-CARD-15"});
        let booked = app.api("POST", "/api/v1/me/visits", &token, Some(&body)).await;
        assert_eq!(booked.status, 201, "{}: {}", app.backend(), booked.body);
        let booked = booked.json();
        assert_eq!(booked["price"]["discount"]["kind"], "card");
        let visit = booked["id"].as_i64().unwrap();

        let uri = format!("/api/v1/me/visits/{visit}/reschedule");
        let moved = app.api("POST", &uri, &token, Some(&json!({"start": later}))).await;
        assert_eq!(moved.status, 200, "{}", moved.body);
        let moved = moved.json();
        assert_eq!(moved["start"], later.as_str());
        assert_eq!(moved["service"], booked["service"], "the service stays");
        assert_eq!(moved["price"], booked["price"], "the price it was booked at stays");
    }
}

#[tokio::test]
async fn a_cancelled_visit_gives_its_certificate_back() {
    for app in TestApp::each_backend().await {
        let token = crate::accounts::registered(&app, "olga@example.ru", "+79005558601").await;
        let (id, _) = app.bookable(4).await;
        let services = app.get(&format!("/api/v1/specialists/{id}/services")).await.json();
        let service_id = services["items"][0]["id"].as_i64().unwrap();
        let start = first_time(&app, id, service_id, 0).await;
        let body = json!({"specialist_id": id, "service_id": service_id, "start": start,
                          "discount_code": "DEMO-CERT-1000"});
        let booked = app.api("POST", "/api/v1/me/visits", &token, Some(&body)).await;
        assert_eq!(booked.status, 201, "{}: {}", app.backend(), booked.body);
        assert_eq!(booked.json()["price"]["discount"]["kind"], "certificate");
        let visit = booked.json()["id"].as_i64().unwrap();

        let other = first_time(&app, id, service_id, 1).await;
        let spent = app
            .post_json(
                "/api/v1/bookings",
                &booking(id, service_id, &other, "+79005558602", Some("DEMO-CERT-1000")),
            )
            .await;
        assert_eq!(spent.status, 422, "used while the visit stands");

        let uri = format!("/api/v1/me/visits/{visit}/cancel");
        assert_eq!(app.api("POST", &uri, &token, None).await.status, 200);
        let again = app
            .post_json(
                "/api/v1/bookings",
                &booking(id, service_id, &other, "+79005558603", Some("DEMO-CERT-1000")),
            )
            .await;
        assert_eq!(again.status, 201, "given back by the cancel: {}", again.body);
        assert_eq!(again.json()["price"]["discount"]["kind"], "certificate");
    }
}

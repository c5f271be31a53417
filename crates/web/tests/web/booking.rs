//! One-time booking in the browser: form, errors that keep the input, confirmation, print and
//! calendar, and the rules that refuse a second booking or a taken slot.

use kabinet_core::lang::Lang;

use crate::common::{TestApp, booking_form};

#[tokio::test]
async fn a_visitor_books_a_slot_and_sees_the_confirmation() {
    for app in TestApp::each_backend().await {
        let (id, start) = app.bookable(0).await;
        let (id, start) = (id.to_string(), start.to_string());
        let form = app.get(&format!("/booking/new?specialist={id}&start={start}")).await;
        assert_eq!(form.status, 200, "{}", app.backend());
        assert_eq!(form.headers["cache-control"], "no-store");
        assert!(form.body.contains("name=\"consent_personal_data\""));
        assert!(!form.body.contains("checked"), "consents start unticked");

        let done = app.post_form("/booking", &booking_form(&id, &start, "+7 900 555-10-01")).await;
        assert_eq!(done.status, 303, "{}: {}", app.backend(), done.body);
        assert_eq!(done.location(), "/booking/done", "no code or personal data in the URL");
        let receipt = done.cookie("receipt").expect("a receipt cookie");
        assert!(done.headers["set-cookie"].to_str().unwrap().contains("HttpOnly"));

        let page = app.get_with_cookie("/booking/done", Some(&receipt)).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Вы записаны"));
        assert!(page.body.contains("Кузнецова Ольга Игоревна"));
        assert!(page.body.contains("нельзя отменить или перенести онлайн"));
        let visits =
            app.kabinet.visit_by_receipt(receipt.trim_start_matches("receipt=")).await.unwrap();
        assert!(page.body.contains(&visits.code));
        assert_eq!(visits.code.len(), 8);
        let service = visits.service_name.clone().expect("booked for a service");
        assert!(page.body.contains(&service), "the service on the confirmation");
        assert!(page.body.contains("К оплате"), "and what it costs");

        let ics = app.get_with_cookie("/booking/done.ics", Some(&receipt)).await;
        assert_eq!(ics.headers["content-type"], "text/calendar; charset=utf-8");
        assert!(ics.body.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.body.contains(&format!("UID:visit-{}@", visits.code)));
        assert!(ics.body.contains("DTSTART:20261"));
        let unfolded = ics.body.replace("\r\n ", "");
        assert!(unfolded.contains("Стоимость: "), "the price in the calendar: {unfolded}");

        assert_eq!(app.get("/booking/done").await.status, 404, "no receipt, nothing to show");
        assert_eq!(app.get_with_cookie("/booking/done", Some("receipt=forged")).await.status, 404);

        let slots = app
            .kabinet
            .free_slots(visits.specialist_id, app.kabinet.today(), app.kabinet.today())
            .await;
        let taken = jiff::Timestamp::from_second(visits.starts_at).unwrap();
        assert!(!slots.unwrap().iter().any(|s| s.start == taken), "the slot is no longer offered");
    }
}

#[tokio::test]
async fn bad_input_re_renders_the_form_with_russian_messages_and_the_typed_values() {
    let app = TestApp::sqlite().await;
    let (id, start) = app.bookable(0).await;
    let (id, start) = (id.to_string(), start.to_string());
    let mut form = booking_form(&id, &start, "12345");
    form.retain(|(k, _)| *k != "consent_personal_data" && *k != "email");
    form.push(("email", "not-an-email"));
    let page = app.post_form("/booking", &form).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Проверьте выделенные поля."));
    assert!(page.body.contains("Укажите номер телефона, например +7 900 123-45-67."));
    assert!(page.body.contains("Без согласия на обработку персональных данных записаться нельзя."));
    assert!(page.body.contains("value=\"Кузнецова\""), "the surname is kept");
    assert!(page.body.contains("value=\"12345\""), "the bad phone is kept to be corrected");
    assert!(page.body.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn a_second_one_time_booking_from_one_phone_is_refused() {
    for app in TestApp::each_backend().await {
        let (a, start_a) = app.bookable(0).await;
        let (b, start_b) = app.bookable(1).await;
        let first = app
            .post_form(
                "/booking",
                &booking_form(&a.to_string(), &start_a.to_string(), "8 (900) 555-20-02"),
            )
            .await;
        assert_eq!(first.status, 303);
        let second = app
            .post_form(
                "/booking",
                &booking_form(&b.to_string(), &start_b.to_string(), "+7 900 555 20 02"),
            )
            .await;
        assert_eq!(second.status, 409, "{}", app.backend());
        assert!(second.body.contains("С этого номера телефона уже сделана разовая онлайн-запись"));
        assert!(
            second.body.contains("value=\"+7 900 555 20 02\""),
            "the form keeps what was typed"
        );
    }
}

#[tokio::test]
async fn a_taken_slot_is_refused_with_a_way_to_choose_another() {
    let app = TestApp::sqlite().await;
    let (id, start) = app.bookable(0).await;
    let (id, start) = (id.to_string(), start.to_string());
    assert_eq!(
        app.post_form("/booking", &booking_form(&id, &start, "+79005553001")).await.status,
        303
    );
    let late = app.post_form("/booking", &booking_form(&id, &start, "+79005553002")).await;
    assert_eq!(late.status, 409);
    assert!(late.body.contains("Это время уже занято"));
    assert!(late.body.contains("Выбрать другое время"));
    let form = app.get(&format!("/booking/new?specialist={id}&start={start}")).await;
    assert!(
        form.body.contains("Это время уже занято"),
        "the form for a taken slot says so up front"
    );
    assert!(!form.body.contains("name=\"last_name\""));
}

#[tokio::test]
async fn a_double_submitted_form_makes_one_booking() {
    let app = TestApp::sqlite().await;
    let (id, start) = app.bookable(0).await;
    let (id, start) = (id.to_string(), start.to_string());
    let mut form = booking_form(&id, &start, "+79005554001");
    form.retain(|(k, _)| *k != "request_key");
    form.push(("request_key", "0123456789abcdef0123456789abcdef"));
    let (one, two) =
        tokio::join!(app.post_form("/booking", &form), app.post_form("/booking", &form));
    let mut statuses = [one.status.as_u16(), two.status.as_u16()];
    statuses.sort_unstable();
    // A repeat never hands out a receipt (issue 9, finding 2): the click that booked lands on
    // the confirmation, the other says the booking was made.
    assert_eq!(statuses, [303, 409], "one booking, one confirmation");
    let (booked, repeated) = if one.status == 303 { (one, two) } else { (two, one) };
    assert!(repeated.cookie("receipt").is_none());
    assert!(repeated.body.contains("Эта запись уже сделана"));
    let token = booked.cookie("receipt").unwrap();
    let visit = app.kabinet.visit_by_receipt(token.trim_start_matches("receipt=")).await.unwrap();
    let slot = start.parse::<i64>().unwrap();
    assert_eq!(visit.starts_at, slot);
    assert_eq!(
        app.db.store.taken_starts(visit.specialist_id, slot, slot + 1).await.unwrap(),
        [slot]
    );
}

#[tokio::test]
async fn slots_outside_the_schedule_or_the_window_cannot_be_booked() {
    let app = TestApp::sqlite().await;
    let (id, start) = app.bookable(0).await;
    let id = id.to_string();
    for start in [start + 60, start - 7 * 86400, start + 90 * 86400] {
        let page =
            app.post_form("/booking", &booking_form(&id, &start.to_string(), "+79005555001")).await;
        assert_eq!(page.status, 409, "{start}");
    }
    let cards = app.kabinet.all_specialists(Lang::Ru).await.unwrap();
    let closed =
        cards.iter().find(|c| !c.specialist.online_booking).unwrap().specialist.id.to_string();
    let page =
        app.post_form("/booking", &booking_form(&closed, &start.to_string(), "+79005555001")).await;
    assert_eq!(page.status, 409);
    assert!(page.body.contains("Онлайн-запись к этому специалисту закрыта"));
}

#[tokio::test]
async fn the_booking_is_audited_and_its_consents_recorded() {
    let app = TestApp::sqlite().await;
    let (id, start) = app.bookable(0).await;
    let (id, start) = (id.to_string(), start.to_string());
    let mut form = booking_form(&id, &start, "+79005556001");
    form.push(("consent_calls", "yes"));
    let done = app.post_form("/booking", &form).await;
    let token = done.cookie("receipt").unwrap();
    let visit = app.kabinet.visit_by_receipt(token.trim_start_matches("receipt=")).await.unwrap();
    let patient = app.db.store.patient_of_visit(visit.id).await.unwrap().unwrap();
    let consents = app.db.store.consents_of(patient).await.unwrap();
    let kinds: Vec<_> = consents
        .iter()
        .map(|c| (c.kind.as_str(), c.document_kind.as_str(), c.document_version))
        .collect();
    assert_eq!(
        kinds,
        [("personal_data", "privacy", 1), ("health_data", "privacy", 1), ("calls", "rules", 1)]
    );
    let audit = app.db.store.audit_trail(patient).await.unwrap();
    assert!(audit.iter().any(|a| a.action.as_str() == "appointment.create"));
    assert!(
        audit.iter().all(|a| !a.details.contains("Кузнецова") && !a.details.contains("+7900")),
        "no personal data in audit details"
    );
}

#[tokio::test]
async fn a_slot_stops_being_bookable_once_inside_the_lead_time() {
    let app = TestApp::sqlite().await;
    let (id, start) = app.bookable(0).await;
    let slot = jiff::Timestamp::from_second(start).unwrap();
    app.clock.set(slot - jiff::SignedDuration::from_mins(90));
    let (id, start) = (id.to_string(), start.to_string());
    let late = app.post_form("/booking", &booking_form(&id, &start, "+79005559001")).await;
    assert_eq!(late.status, 409, "two hours' lead time by default");
    let next = app.kabinet.nearest_free_slot(id.parse().unwrap()).await.unwrap().unwrap();
    assert!(next.start > slot, "the nearest slot moved on");
}

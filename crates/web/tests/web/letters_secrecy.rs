//! Issue 13, point 12: medical secrecy (323-FZ art. 13) of everything that leaves the cabinet.
//! The real flows of a clinic are driven on both databases until every kind of letter is in
//! the outbox — [`flow`] names the flow of each kind, an exhaustive `match` with no wildcard,
//! so a new kind does not compile until a flow here makes it — and the calendar feed is read.
//! No subject or body may name a specialty, a service or a specialist of the clinic's catalog,
//! nor a word of the diagnosis list.

use std::collections::BTreeSet;

use jiff::Timestamp;
use kabinet_core::access::Origin;
use kabinet_core::blocking::DataBlockInput;
use kabinet_core::incident::{AffectedInput, IncidentInput};
use kabinet_core::lang::Lang;
use kabinet_core::mail::MailKind;
use kabinet_core::patient::PatientInput;
use kabinet_service::change_requests::ChangeFields;
use kabinet_service::registrar::AccessRequest;
use kabinet_service::waitlist::WaitFor;
use serde_json::json;

use crate::cabinet::PASSWORD;
use crate::calls::{api_patient, book, starts_on};
use crate::common::TestApp;
use crate::staff::administrator;

/// The flow below that makes each kind of letter.
fn flow(kind: MailKind) -> &'static str {
    match kind {
        MailKind::BookingConfirmation => "a one-time booking with an e-mail",
        MailKind::ConfirmEmail => "a registration",
        MailKind::AlreadyRegistered => "a registration of a login that has an account",
        MailKind::AccountActivated => "confirmed access activated with the one-time password",
        MailKind::PasswordChanged => "a password change",
        MailKind::CredentialsLost => "a signed-in report of lost credentials",
        MailKind::LostReport => "a report of lost credentials on the public form",
        MailKind::AccountSuspended => "a suspension",
        MailKind::VisitChangedByClinic => "the registrar cancels a visit",
        MailKind::VisitChanged => "the patient books",
        MailKind::ChangeRequestDecided => "a change request rejected",
        MailKind::VisitReminder => "a reminder the day before",
        MailKind::NewMessage => "the clinic writes to the patient",
        MailKind::WaitlistOffer => "a time offered from the waiting list",
        MailKind::DataBlocked => "the data blocked",
        MailKind::DataUnblocked => "the data unblocked",
        MailKind::RegistrationCancelled => "a registration cancelled",
        MailKind::ServiceEnded => "the end of service",
        MailKind::IncidentNotice => "an incident",
        MailKind::RequestAnswered => "the clinic answers a request for a copy of one's data",
    }
}

/// Words that name a diagnosis or a condition.
const DIAGNOSES: &[&str] = &[
    "диагноз",
    "гипертони",
    "диабет",
    "онколог",
    "опухол",
    "беременн",
    "вич-",
    "туберкул",
    "депресс",
    "гепатит",
    "астм",
    "инфаркт",
    "инсульт",
    "аллерги",
    "бесплод",
];

/// The names of the catalog, lower case: specialties, services, specialists.
async fn catalog_words(app: &TestApp) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for card in app.kabinet.all_specialists(Lang::Ru).await.unwrap() {
        words.insert(card.specialist.last_name.to_lowercase());
        words.insert(card.specialist.full_name().to_lowercase());
        for specialty in &card.specialties {
            words.insert(specialty.name.text.to_lowercase());
        }
        let uri = format!("/api/v1/specialists/{}/services", card.specialist.id);
        let services = app.get(&uri).await.json();
        for s in services["items"].as_array().into_iter().flatten() {
            if let Some(name) = s["name"].as_str() {
                words.insert(name.to_lowercase());
            }
        }
    }
    words.retain(|w| w.chars().count() >= 4);
    words
}

/// What `text` names that it must not, as «what: word» lines.
fn named(what: &str, text: &str, words: &BTreeSet<String>) -> Vec<String> {
    let lower = text.to_lowercase();
    let forbidden = words.iter().map(String::as_str).chain(DIAGNOSES.iter().copied());
    forbidden.filter(|w| lower.contains(w)).map(|w| format!("{what}: «{w}»")).collect()
}

fn block_input() -> DataBlockInput {
    DataBlockInput {
        requested_by: "patient".into(),
        basis: "Заявление пациента".into(),
        document_type: "Заявление".into(),
        document_ref: "№ 5".into(),
        document_date: "2026-11-20".into(),
        ..DataBlockInput::default()
    }
}

#[tokio::test]
async fn no_letter_and_no_calendar_event_names_a_specialty_a_service_a_doctor_or_a_diagnosis() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let k = app.kabinet.clone();
        let o = Origin::default();
        let admin_cookie = administrator(&app).await;
        let token = admin_cookie.trim_start_matches("staff=");
        let admin = k.staff_session(token).await.unwrap().unwrap();
        let words = catalog_words(&app).await;
        assert!(words.len() > 5, "{b}: the catalog has names");
        let (specialist, [wednesday, thursday]) =
            starts_on(&app, ["2026-11-25", "2026-11-26"]).await;

        // A registration, and again with the same login.
        let first = api_patient(&app, ("first@example.ru", "Секретова", "+79005550601"), true);
        let first_token = first.await;
        let again = json!({
            "login": "first@example.ru", "password": PASSWORD,
            "patient": {"last_name": "Секретова", "first_name": "Ада", "birth_date": "1980-01-02",
                        "phone": "+79005550601"},
            "consents": {"personal_data": true, "rules": true}
        });
        assert_eq!(app.post_json("/api/v1/registrations", &again).await.status, 202, "{b}");
        let first = k.patient_session(&first_token).await.unwrap().unwrap();
        let first_id = first.account.patient_id;

        // A one-time booking with an e-mail.
        let one_time = json!({
            "specialist_id": specialist,
            "start": Timestamp::from_second(thursday[2]).unwrap().to_string(),
            "patient": {"last_name": "Разова", "first_name": "Ева", "birth_date": "1979-03-02",
                        "phone": "+79005550609", "email": "once@example.ru"},
            "consents": {"personal_data": true, "calls": false}
        });
        let made = app.post_json("/api/v1/bookings", &one_time).await;
        assert_eq!(made.status, 201, "{b}: {}", made.body);

        // The patient books; the clinic cancels; the patient books again and is reminded.
        let visit = book(&app, &first_token, specialist, wednesday[0]).await;
        k.cancel_for_patient(&admin, first_id, visit, Some("Врач заболел"), &o).await.unwrap();
        book(&app, &first_token, specialist, wednesday[1]).await;
        let feed = k.create_my_calendar_feed(&first, &o).await.unwrap();
        let feed_path = feed.address.https.split("/calendar/").nth(1).unwrap();
        let calendar = app.get(&format!("/calendar/{feed_path}")).await;
        assert_eq!(calendar.status, 200, "{b}: {}", calendar.body);
        let mut found = named("the calendar feed", &calendar.body, &words);

        // The clinic writes; a change request is turned down; the password changes.
        k.write_to_patient(&admin, (first_id, None), Some("Вопрос"), "Текст", &o).await.unwrap();
        let fields =
            ChangeFields { middle_name: Some("Петровна".into()), ..Default::default() };
        let request = k.request_change(first_id, &fields, &o).await.unwrap();
        k.reject_change_request(&admin, request, "Нужен паспорт", &o).await.unwrap();
        let new_password = "зелёный трамвай за мостом";
        let asked = k.file_subject_request(&first, "access", "Копию данных", None, &o);
        let asked = asked.await.unwrap();
        k.answer_subject_request(&admin, asked.id, "Копия в кабинете", &o).await.unwrap();
        let signed = k.change_password(&first, PASSWORD, new_password, &o, None).await.unwrap();
        let first = k.patient_session(&signed.token).await.unwrap().unwrap();

        // Lost credentials: the public form, then the signed-in report.
        let lost = json!({"login": "first@example.ru"});
        let lost = app.post_json("/api/v1/account/lost", &lost).await;
        assert!(lost.status.is_success(), "{b}: {}", lost.body);
        k.report_my_lost_credentials(&first, &o).await.unwrap();

        // Confirmed access activated; the waiting list offers a time.
        let request = AccessRequest {
            patient: PatientInput {
                last_name: "Очередная".into(),
                first_name: "Зоя".into(),
                birth_date: "1975-05-05".into(),
                phone: "+79005550602".into(),
                ..PatientInput::default()
            },
            login: "queue@example.ru".into(),
            card_number: "SEC-1".into(),
            rules_version: "1".into(),
            paper_reference: "Журнал 1".into(),
            ..AccessRequest::default()
        };
        let issued = k.confirm_access(&admin, &request, &o).await.unwrap();
        let otp = k.sign_in("queue@example.ru", &issued.one_time_password, &o, None).await.unwrap();
        let waiting = k.patient_session(&otp.token).await.unwrap().unwrap();
        let active = k.activate(&waiting, "медленный кит в тёплом море", &o, None).await.unwrap();
        let waiting = k.patient_session(&active.token).await.unwrap().unwrap();
        let wanted = WaitFor {
            specialist_id: specialist,
            service_id: None,
            from: "2026-11-25".into(),
            to: "2026-11-26".into(),
        };
        k.join_waitlist(&waiting, &wanted, &o).await.unwrap();
        k.offer_waitlist_times().await.unwrap();

        // Suspension, blocking and unblocking, the end of service.
        let second = api_patient(&app, ("second@example.ru", "Второва", "+79005550603"), false);
        let second_id = k.patient_session(&second.await).await.unwrap().unwrap().account.patient_id;
        k.suspend_patient(&admin, second_id, "Проверка документов", &o).await.unwrap();
        let queue_id = issued.patient_id;
        k.block_patient_data(&admin, queue_id, &block_input(), &o).await.unwrap();
        k.unblock_patient_data(&admin, queue_id, "Проверка завершена", &o).await.unwrap();
        k.end_service(&admin, queue_id, "Договор расторгнут", &o).await.unwrap();
        let third = api_patient(&app, ("third@example.ru", "Третьякова", "+79005550604"), false);
        let third_id = k.patient_session(&third.await).await.unwrap().unwrap().account.patient_id;
        k.cancel_registration(&admin, third_id, "Чужие данные", &o).await.unwrap();

        // An incident.
        let incident = IncidentInput {
            summary: "Выгрузка записей к кардиологу попала в открытый доступ".into(),
            found_date: "2026-11-23".into(),
            found_time: "08:00".into(),
            categories: vec!["visits".into(), "health".into()],
            causes: "Ошибка".into(),
            harm: "Раскрыты записи".into(),
            measures: "Доступ закрыт".into(),
            contact: "Администратор".into(),
            affected: AffectedInput {
                selection: "chosen".into(),
                chosen: "first@example.ru".into(),
                ..AffectedInput::default()
            },
        };
        k.create_incident(&admin, &incident, &o).await.unwrap();

        // The day before the visit: its reminder.
        app.clock.set(Timestamp::from_second(wednesday[1] - 23 * 3600).unwrap());
        k.queue_due_reminders().await.unwrap();

        let mail = app.db.store.pending_outbox(1000).await.unwrap();
        let kinds: BTreeSet<&str> = mail.iter().map(|m| m.kind.as_str()).collect();
        for kind in MailKind::ALL {
            assert!(kinds.contains(kind.as_str()), "{b}: no {kind} letter from {}", flow(*kind));
        }
        for m in &mail {
            found.extend(named(&format!("the subject of a {} letter", m.kind), &m.subject, &words));
            found.extend(named(&format!("the body of a {} letter", m.kind), &m.body, &words));
        }
        found.sort();
        found.dedup();
        assert!(found.is_empty(), "{b}: letters name what they must not:\n{}", found.join("\n"));
    }
}

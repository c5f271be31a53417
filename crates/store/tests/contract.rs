//! The store's contract, run on every backend: SQLite always, PostgreSQL when
//! `KABINET_TEST_POSTGRES_URL` is set. Each test gets a fresh database.
#![expect(clippy::unwrap_used, reason = "helpers of tests fail loudly, as tests do")]

use jiff::civil::date;
use kabinet_core::access::Origin;
use kabinet_core::catalog::{AgeRange, Gender, ServiceKind};
use kabinet_core::consent::{ConsentKind, DocumentKind};
use kabinet_core::lang::{Lang, Localized};
use kabinet_core::mail::MailKind;
use kabinet_core::patient::{NamePart, PatientData, Phone};
use kabinet_core::schedule::{ExceptionKind, ScheduleException, WorkRule};
use kabinet_store::Store;
use kabinet_store::booking::{BookingError, NewOneTimeBooking, OutboxMail};
use kabinet_store::catalog::SpecialistFilter;
use kabinet_store::seed::{
    BranchSeed, CatalogSeed, GroupSeed, ServiceSeed, SpecialistSeed, SpecialtySeed,
};
use kabinet_testkit::TestDb;

const NOW: i64 = 1_795_420_800; // 2026-11-23T08:00:00Z

fn rule(weekday: i8) -> WorkRule {
    WorkRule {
        weekday,
        start_minute: 9 * 60,
        end_minute: 12 * 60,
        slot_minutes: 30,
        valid_from: date(2026, 11, 1),
        valid_until: Some(date(2026, 12, 31)),
    }
}

fn specialist(last: &str, branch: usize, specialties: Vec<usize>, online: bool) -> SpecialistSeed {
    SpecialistSeed {
        last_name: last.into(),
        first_name: "Анна".into(),
        middle_name: "Сергеевна".into(),
        gender: Gender::Female,
        qualification: "Врач первой категории".into(),
        qualification_en: Some("Doctor of the first category".into()),
        career_start_year: 2010,
        branch,
        online_booking: online,
        online_discount_percent: 10,
        bio: "Ведёт приём взрослых.".into(),
        bio_en: None,
        specialties,
        rules: vec![rule(1), rule(3)],
        exceptions: vec![ScheduleException::away(
            ExceptionKind::Vacation,
            date(2026, 12, 1),
            date(2026, 12, 7),
        )],
    }
}

fn service(code: &str, price: i64, kind: ServiceKind, specialties: Vec<usize>) -> ServiceSeed {
    ServiceSeed {
        code: code.into(),
        name: format!("Услуга {code}"),
        name_en: code.starts_with('B').then(|| format!("Service {code}")),
        price_kopecks: price,
        kind,
        specialties,
        duration_minutes: 30,
    }
}

/// Two branches (the first with English texts), three specialties (the first two in English
/// too), a price list whose cheapest services are a procedure and a test, not consultations.
fn small_clinic() -> CatalogSeed {
    let branch = |name: &str| BranchSeed {
        name: name.into(),
        address: "г. Москва, ул. Тестовая, 1".into(),
        phone: "+7 (495) 555-00-00".into(),
        hours: "Пн–Пт 9–18".into(),
        metro: String::new(),
        ..BranchSeed::default()
    };
    let english = |ru: &str, en: &str| SpecialtySeed {
        name: ru.into(),
        name_en: Some(en.into()),
        ..SpecialtySeed::default()
    };
    use ServiceKind::{Consultation, Procedure, Program, Test};
    CatalogSeed {
        branches: vec![
            BranchSeed {
                name_en: Some("Centre".into()),
                address_en: Some("1 Testovaya St., Moscow".into()),
                hours_en: Some("Mon–Fri 9–18".into()),
                ..branch("Центр")
            },
            branch("Север"),
        ],
        specialties: vec![
            english("Невролог", "Neurologist"),
            SpecialtySeed {
                ages: AgeRange { from: Some(18), to: None },
                ..english("Терапевт", "General practitioner")
            },
            "Кардиолог".into(),
        ],
        groups: vec![
            GroupSeed {
                name: "Приёмы".into(),
                name_en: Some("Consultations".into()),
                services: vec![
                    service("B01.023.001", 300_000, Consultation, vec![0]),
                    service("B01.023.002", 280_000, Consultation, vec![0]),
                    service("B01.047.001", 250_000, Consultation, vec![1]),
                ],
            },
            GroupSeed {
                name: "Процедуры и анализы".into(),
                name_en: None,
                services: vec![
                    service("A11.02.002", 45_000, Procedure, vec![1]),
                    service("A09.05.023", 38_000, Test, vec![0, 1]),
                ],
            },
            GroupSeed {
                name: "Программы".into(),
                name_en: None,
                services: vec![service("P1", 1_500_000, Program, vec![0, 1])],
            },
        ],
        specialists: vec![
            specialist("Иванова", 0, vec![0], true),
            specialist("Борисова", 1, vec![1], true),
            specialist("Закрытова", 0, vec![0, 1], false),
        ],
    }
}

/// The audit row of a document published by the system at `at`.
fn published(at: i64) -> kabinet_store::AuditEntry {
    use kabinet_core::access::Actor;
    use kabinet_core::audit::{AuditAction, ObjectKind};
    kabinet_store::AuditEntry::new(
        at,
        Actor::System,
        AuditAction::DocumentPublish,
        ObjectKind::Document,
        None,
    )
}

async fn clinic_db() -> Vec<TestDb> {
    let dbs = TestDb::each_backend().await;
    for db in &dbs {
        db.store.load_catalog(&small_clinic(), NOW).await.unwrap();
        db.store
            .publish_document(
                DocumentKind::Privacy,
                ("Политика", "## 1. Общее"),
                None,
                published(NOW),
            )
            .await
            .unwrap();
    }
    dbs
}

fn patient(phone: &str) -> PatientData {
    PatientData {
        last_name: NamePart::parse("Петров").unwrap(),
        first_name: NamePart::parse("Пётр").unwrap(),
        middle_name: None,
        birth_date: date(1980, 1, 31),
        phone: Phone::parse(phone).unwrap(),
        email: None,
        postal_address: None,
    }
}

/// Monday 2026-11-30, 09:00 Moscow.
const SLOT: i64 = 1_795_989_600;

fn booking(specialist_id: i64, start: i64, phone: &str, code: &str) -> NewOneTimeBooking {
    NewOneTimeBooking {
        specialist_id,
        starts_at: start,
        ends_at: start + 1800,
        patient: patient(phone),
        consents: vec![(ConsentKind::PersonalData, DocumentKind::Privacy, 1)],
        code: code.into(),
        price: None,
        request_key: None,
        request_hash: None,
        rate_keys: Vec::new(),
        receipt_hash: Some(format!("hash-{code}")),
        receipt_expires_at: NOW + 3600,
        mail: None,
        origin: Origin { ip: Some("127.0.0.1".into()), request_id: Some("r-1".into()) },
        now: NOW,
    }
}

#[tokio::test]
async fn migrations_run_twice_and_a_new_database_has_no_catalog() {
    for db in TestDb::each_backend().await {
        db.store.migrate().await.unwrap();
        assert!(!db.store.has_catalog().await.unwrap(), "{}", db.backend());
        db.store.ping().await.unwrap();
    }
}

#[tokio::test]
async fn the_catalog_lists_and_filters_specialists() {
    for db in clinic_db().await {
        let s = &db.store;
        assert!(s.has_catalog().await.unwrap());
        assert_eq!(s.list_branches(Lang::Ru).await.unwrap().len(), 2);
        let specialties = s.list_specialties(Lang::Ru).await.unwrap();
        let names: Vec<_> = specialties.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["Невролог", "Терапевт"],
            "{}: only specialties someone has",
            db.backend()
        );

        let all = s.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap();
        let surnames: Vec<_> = all.iter().map(|s| s.last_name.as_str()).collect();
        assert_eq!(surnames, ["Борисова", "Закрытова", "Иванова"], "sorted by surname");

        let neurologists = s
            .list_specialists(
                SpecialistFilter { specialty_id: Some(specialties[0].id), ..Default::default() },
                Lang::Ru,
            )
            .await
            .unwrap();
        assert_eq!(
            neurologists.iter().map(|s| s.last_name.as_str()).collect::<Vec<_>>(),
            ["Закрытова", "Иванова"]
        );
        let north = s.list_branches(Lang::Ru).await.unwrap()[1].id;
        let in_north = s
            .list_specialists(
                SpecialistFilter { branch_id: Some(north), ..Default::default() },
                Lang::Ru,
            )
            .await
            .unwrap();
        assert_eq!(in_north.len(), 1);
        assert_eq!(in_north[0].full_name(), "Борисова Анна Сергеевна");

        // The ages a specialty sees come back as they were seeded: the therapist's from 18.
        let adults = AgeRange { from: Some(18), to: None };
        assert_eq!(specialties[1].ages, adults, "{}", db.backend());
        assert_eq!(specialties[0].ages, AgeRange::default(), "a neurologist sees every age");
        let links = s.specialist_specialties(Lang::Ru).await.unwrap();
        assert_eq!(links.len(), 4);
        let therapist = links.iter().find(|(_, sp)| sp.name.as_str() == "Терапевт").unwrap();
        assert_eq!(therapist.1.ages, adults, "{}", db.backend());
        assert!(s.specialist(9999, Lang::Ru).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn services_and_prices_follow_specialties() {
    for db in clinic_db().await {
        let s = &db.store;
        let all_specialists = s.list_specialists(SpecialistFilter::default(), Lang::Ru);
        let ivanova = all_specialists.await.unwrap()[2].clone();
        let services = s.services_of_specialist(ivanova.id, Lang::Ru).await.unwrap();
        let codes: Vec<_> = services.iter().map(|s| (s.code.as_str(), s.kind)).collect();
        assert_eq!(
            codes,
            [
                ("A09.05.023", ServiceKind::Test),
                ("B01.023.002", ServiceKind::Consultation),
                ("B01.023.001", ServiceKind::Consultation),
                ("P1", ServiceKind::Program),
            ],
            "{}: by price, each with its kind",
            db.backend()
        );
        assert_eq!(services.iter().filter(|s| s.complex).count(), 1, "a program is complex");
        let (groups, all) = s.price_list(Lang::Ru).await.unwrap();
        assert_eq!(
            groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
            ["Приёмы", "Процедуры и анализы", "Программы"]
        );
        assert_eq!(all.len(), 6);
        assert!(all.iter().any(|s| s.complex));
    }
}

#[tokio::test]
async fn the_lowest_price_of_a_specialist_is_a_consultations_never_a_procedures() {
    for db in clinic_db().await {
        let s = &db.store;
        let all = s.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap();
        let id = |surname: &str| all.iter().find(|s| s.last_name == surname).unwrap().id;
        let mut lowest = s.lowest_consultation_prices().await.unwrap();
        lowest.sort_unstable();
        let mut expected = vec![
            // A therapist: the injection (450 ₽) and the test (380 ₽) are cheaper, not visits.
            (id("Борисова"), 250_000),
            // A neurologist: the follow-up visit, not the test.
            (id("Иванова"), 280_000),
            // Both specialties: the cheapest consultation of either.
            (id("Закрытова"), 250_000),
        ];
        expected.sort_unstable();
        assert_eq!(lowest, expected, "{}", db.backend());
    }
}

#[tokio::test]
async fn english_texts_are_read_where_written_and_russian_stands_in_marked() {
    let ru = |text: &str| Localized { text: text.into(), fallback: false };
    let en = |text: &str| Localized { text: text.into(), fallback: false };
    let stand_in = |text: &str| Localized { text: text.into(), fallback: true };
    for db in clinic_db().await {
        let s = &db.store;
        let branches = s.list_branches(Lang::En).await.unwrap();
        assert_eq!(
            (&branches[0].name, &branches[0].address, &branches[0].hours, &branches[0].metro),
            (&en("Centre"), &en("1 Testovaya St., Moscow"), &en("Mon–Fri 9–18"), &stand_in("")),
            "{}",
            db.backend()
        );
        assert_eq!(branches[1].name, stand_in("Север"), "no English: the Russian, marked");
        assert_eq!(s.list_branches(Lang::Ru).await.unwrap()[0].name, ru("Центр"));

        let specialties = s.list_specialties(Lang::En).await.unwrap();
        assert_eq!(
            specialties.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["General practitioner", "Neurologist"],
            "by the English name"
        );
        let links = s.specialist_specialties(Lang::En).await.unwrap();
        assert!(links.iter().all(|(_, s)| !s.name.fallback));

        let all = s.list_specialists(SpecialistFilter::default(), Lang::En).await.unwrap();
        assert_eq!(all[0].qualification, en("Doctor of the first category"));
        assert_eq!(all[0].bio, stand_in("Ведёт приём взрослых."));
        let one = s.specialist(all[0].id, Lang::Ru).await.unwrap().unwrap();
        assert_eq!(
            (one.qualification, one.bio),
            (ru("Врач первой категории"), ru("Ведёт приём взрослых."))
        );

        let services = s.services_of_specialist(all[0].id, Lang::En).await.unwrap();
        let names: Vec<_> = services.iter().map(|s| (s.code.as_str(), &s.name)).collect();
        assert!(names.contains(&("B01.047.001", &en("Service B01.047.001"))), "{names:?}");
        assert!(names.contains(&("A11.02.002", &stand_in("Услуга A11.02.002"))), "{names:?}");
        let (groups, _) = s.price_list(Lang::En).await.unwrap();
        assert_eq!(
            groups.iter().map(|g| &g.name).collect::<Vec<_>>(),
            [&en("Consultations"), &stand_in("Процедуры и анализы"), &stand_in("Программы")]
        );
    }
}

#[tokio::test]
async fn a_schedule_holds_rules_and_absences_of_the_asked_days() {
    for db in clinic_db().await {
        let s = &db.store;
        let id = s.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[0].id;
        let schedule = s.schedule(id, ("2026-11-30", "2026-12-06"), 0..0).await.unwrap().unwrap();
        assert!(schedule.online_booking);
        assert_eq!(schedule.rules.len(), 2, "{}", db.backend());
        assert_eq!(
            schedule.exceptions,
            vec![ScheduleException::away(
                ExceptionKind::Vacation,
                date(2026, 12, 1),
                date(2026, 12, 7)
            )]
        );
        let later = s.schedule(id, ("2027-01-10", "2027-01-16"), 0..0).await.unwrap().unwrap();
        assert!(later.rules.is_empty() && later.exceptions.is_empty(), "rules ended in December");
        assert!(s.schedule(9999, ("2026-11-30", "2026-12-06"), 0..0).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn documents_get_versions_and_take_effect_when_published() {
    for db in TestDb::each_backend().await {
        let s = &db.store;
        let rules = |body, at| {
            s.publish_document(DocumentKind::Rules, ("Правила", body), None, published(at))
        };
        assert_eq!(rules("v1", NOW).await.unwrap(), 1);
        assert_eq!(rules("v2", NOW + 100).await.unwrap(), 2);
        let then = s.current_document(DocumentKind::Rules, NOW + 50, Lang::Ru).await.unwrap();
        assert_eq!(then.unwrap().body.as_str(), "v1");
        let now = s.current_document(DocumentKind::Rules, NOW + 100, Lang::Ru).await.unwrap();
        let now = now.unwrap();
        assert_eq!((now.version, now.body.as_str()), (2, "v2"), "{}", db.backend());
        assert!(s.current_document(DocumentKind::Privacy, NOW, Lang::Ru).await.unwrap().is_none());
        let version = |at| s.current_document_version(DocumentKind::Rules, at);
        assert_eq!(version(NOW + 50).await.unwrap(), Some(1), "{}", db.backend());
        assert_eq!(version(NOW + 100).await.unwrap(), Some(2));
        let privacy = s.current_document_version(DocumentKind::Privacy, NOW).await.unwrap();
        assert_eq!(privacy, None);
    }
}

#[tokio::test]
async fn a_document_reads_in_english_when_translated_and_in_russian_otherwise() {
    for db in TestDb::each_backend().await {
        let s = &db.store;
        let english = Some(("Privacy Policy", "## 1. General"));
        s.publish_document(
            DocumentKind::Privacy,
            ("Политика", "## 1. Общее"),
            english,
            published(NOW),
        )
        .await
        .unwrap();
        s.publish_document(
            DocumentKind::Rules,
            ("Правила", "## 1. Что даёт"),
            None,
            published(NOW),
        )
        .await
        .unwrap();
        let privacy = s.current_document(DocumentKind::Privacy, NOW, Lang::En).await.unwrap();
        let privacy = privacy.unwrap();
        assert_eq!(
            (privacy.title.as_str(), privacy.body.as_str()),
            ("Privacy Policy", "## 1. General")
        );
        assert!(!privacy.title.fallback && !privacy.body.fallback, "{}", db.backend());
        let russian = s.current_document(DocumentKind::Privacy, NOW, Lang::Ru).await.unwrap();
        assert_eq!(russian.unwrap().title.as_str(), "Политика");
        let rules = s.current_document(DocumentKind::Rules, NOW, Lang::En).await.unwrap().unwrap();
        assert_eq!((rules.title.as_str(), rules.version), ("Правила", 1));
        assert!(rules.title.fallback && rules.body.fallback, "no English: Russian, marked");
    }
}

#[tokio::test]
async fn a_one_time_booking_stores_patient_consents_audit_mail_and_receipt() {
    for db in clinic_db().await {
        let s = &db.store;
        let id = s.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[2].id;
        let mut b = booking(id, SLOT, "+79005550001", "ABCD2345");
        b.consents.push((ConsentKind::Calls, DocumentKind::Rules, 1));
        b.mail = Some(OutboxMail {
            kind: MailKind::BookingConfirmation,
            recipient: "petrov@example.ru".into(),
            subject: "Запись подтверждена".into(),
            body: "…".into(),
        });
        let visit = s.book_one_time(&b).await.unwrap().visit;
        assert_eq!(visit.code, "ABCD2345");
        assert_eq!(
            visit.patient_name,
            "Петров Пётр",
            "{}: no trailing space without patronymic",
            db.backend()
        );
        assert_eq!(visit.specialist_name, "Иванова Анна Сергеевна");
        assert_eq!(visit.status.as_str(), "booked");
        assert_eq!(s.taken_starts(id, SLOT, SLOT + 1).await.unwrap(), vec![SLOT]);
        let schedule = s.schedule(id, ("2026-11-30", "2026-11-30"), SLOT..SLOT + 1).await;
        assert_eq!(
            schedule.unwrap().unwrap().booked,
            vec![(SLOT, visit.ends_at)],
            "{}",
            db.backend()
        );

        let patient = s.patient_of_visit(visit.id).await.unwrap().unwrap();
        let actions: Vec<_> =
            s.audit_trail(patient).await.unwrap().into_iter().map(|a| a.action.as_str()).collect();
        assert_eq!(
            actions,
            ["patient.create", "consent.give", "consent.give", "appointment.create"]
        );
        let consents = s.consents_of(patient).await.unwrap();
        assert_eq!(
            consents.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>(),
            ["personal_data", "calls"]
        );
        assert_eq!(consents[0].channel.as_str(), "online");
        assert_eq!(consents[0].ip.as_deref(), Some("127.0.0.1"));
        let mail = s.pending_outbox(10).await.unwrap();
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].recipient, "petrov@example.ru");

        assert_eq!(s.visit_by_receipt("hash-ABCD2345", NOW).await.unwrap().unwrap().id, visit.id);
        assert!(
            s.visit_by_receipt("hash-ABCD2345", NOW + 3600).await.unwrap().is_none(),
            "expired"
        );
        assert!(s.visit_by_receipt("unknown", NOW).await.unwrap().is_none());
        s.add_receipt(visit.id, "second", NOW + 10).await.unwrap();
        assert_eq!(s.visit_by_receipt("second", NOW).await.unwrap().unwrap().code, "ABCD2345");
    }
}

#[tokio::test]
async fn a_taken_slot_and_a_used_phone_are_refused_and_leave_nothing_behind() {
    for db in clinic_db().await {
        let s = &db.store;
        let id = s.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[2].id;
        s.book_one_time(&booking(id, SLOT, "+79005550001", "FIRST234")).await.unwrap();
        let taken = s.book_one_time(&booking(id, SLOT, "+79005550002", "SECOND23")).await;
        assert!(matches!(taken, Err(BookingError::SlotTaken)), "{}: {taken:?}", db.backend());
        let used = s.book_one_time(&booking(id, SLOT + 1800, "+79005550001", "THIRD234")).await;
        assert!(matches!(used, Err(BookingError::OneTimeUsed)), "{}: {used:?}", db.backend());
        // The refused bookings rolled back their patients: the second phone can still book.
        s.book_one_time(&booking(id, SLOT + 1800, "+79005550002", "FOURTH23")).await.unwrap();
    }
}

#[tokio::test]
async fn a_repeated_request_returns_the_first_booking() {
    for db in clinic_db().await {
        let s = &db.store;
        let id = s.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[2].id;
        let mut first = booking(id, SLOT, "+79005550001", "ONCE2345");
        first.request_key = Some("form-123".into());
        first.request_hash = Some("this caller, this request".into());
        let mut again = booking(id, SLOT, "+79005550001", "TWICE234");
        again.request_key = first.request_key.clone();
        again.request_hash = first.request_hash.clone();
        let a = s.book_one_time(&first).await.unwrap();
        let b = s.book_one_time(&again).await.unwrap();
        assert_eq!(a.visit.id, b.visit.id, "{}", db.backend());
        assert_eq!(b.visit.code, "ONCE2345");
        assert!(!a.replayed && b.replayed);
        let mut other = booking(id, SLOT + 1800, "+79005550009", "OTHER234");
        other.request_key = first.request_key.clone();
        other.request_hash = Some("another request".into());
        let refused = s.book_one_time(&other).await;
        assert!(matches!(refused, Err(BookingError::IdempotencyMismatch)), "{}", db.backend());
    }
}

async fn race_for_one_slot(stores: &[Store], specialist_id: i64) -> (usize, usize) {
    let mut tasks = Vec::new();
    for i in 0..50 {
        let store = stores[i % stores.len()].clone();
        let b = booking(specialist_id, SLOT, &format!("+7900555{i:04}"), &format!("RACE{i:04}"));
        tasks.push(tokio::spawn(async move { store.book_one_time(&b).await }));
    }
    let (mut won, mut taken) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(BookingError::SlotTaken) => taken += 1,
            Err(other) => panic!("unexpected: {other}"),
        }
    }
    (won, taken)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_bookings_of_one_slot_make_exactly_one() {
    for db in clinic_db().await {
        let id =
            db.store.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[2].id;
        let (won, taken) = race_for_one_slot(std::slice::from_ref(&db.store), id).await;
        assert_eq!((won, taken), (1, 49), "{}", db.backend());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_database_never_double_book() {
    for db in clinic_db().await {
        let second = db.second_instance().await;
        let id =
            db.store.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[2].id;
        let (won, taken) = race_for_one_slot(&[db.store.clone(), second], id).await;
        assert_eq!((won, taken), (1, 49), "{}", db.backend());
    }
}

#[tokio::test]
async fn a_visitor_consent_is_recorded_with_its_document_version() {
    for db in clinic_db().await {
        db.store
            .record_visitor_consent(
                "visitor-1",
                ConsentKind::Cookies,
                (DocumentKind::Privacy, 1),
                &Origin { ip: Some("10.0.0.1".into()), request_id: None },
                NOW,
            )
            .await
            .unwrap();
        let consents = db.store.visitor_consents("visitor-1").await.unwrap();
        assert_eq!(consents.len(), 1, "{}", db.backend());
        assert_eq!((consents[0].kind.as_str(), consents[0].document_version), ("cookies", 1));
    }
}

#[tokio::test]
async fn seeded_visits_take_their_slots() {
    for db in clinic_db().await {
        let id =
            db.store.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[0].id;
        let visits: Vec<_> =
            (0..2500).map(|i| (id, SLOT + i * 1800, SLOT + i * 1800 + 1800)).collect();
        let patients: Vec<_> = (0..100).map(|i| patient(&format!("+7900555{i:04}"))).collect();
        db.store.seed_visits(&visits, &patients, NOW).await.unwrap();
        let taken = db.store.taken_starts(id, SLOT, SLOT + 2500 * 1800).await.unwrap();
        assert_eq!(taken.len(), 2500, "{}", db.backend());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_due_price_list_is_applied_once_by_two_instances_at_once() {
    use kabinet_core::access::Actor;
    use kabinet_core::audit::{AuditAction, ObjectKind};
    use kabinet_store::AuditEntry;
    use kabinet_store::prices::{ListedService, NewPriceList};

    for db in clinic_db().await {
        let b = db.backend();
        let second = db.second_instance().await;
        let services = db.store.service_records().await.unwrap();
        let (first, other) = (&services[0], &services[1]);
        let list = NewPriceList {
            name: "Зимний".into(),
            effective_from: "2026-12-01".into(),
            created_by: None,
            items: vec![(ListedService::Existing(first.id), 123_400)],
        };
        let audit = AuditEntry::new(
            NOW,
            Actor::System,
            AuditAction::PriceListCreate,
            ObjectKind::PriceList,
            None,
        );
        db.store.create_price_list(&list, audit).await.unwrap();
        let early = db.store.apply_due_price_lists("2026-11-30", NOW, Actor::System).await.unwrap();
        assert!(early.is_empty(), "{b}: not before its day");

        let mut tasks = Vec::new();
        for store in [db.store.clone(), second.clone(), db.store.clone(), second] {
            tasks.push(tokio::spawn(async move {
                store.apply_due_price_lists("2026-12-01", NOW, Actor::System).await.unwrap().len()
            }));
        }
        let mut applied = 0;
        for task in tasks {
            applied += task.await.unwrap();
        }
        assert_eq!(applied, 1, "{b}: one instance applies it");
        let after = db.store.service_records().await.unwrap();
        let price = |id: i64| after.iter().find(|s| s.id == id).unwrap().price_kopecks;
        assert_eq!(price(first.id), 123_400, "{b}");
        assert_eq!(
            price(other.id),
            other.price_kopecks,
            "{b}: a service not in the list keeps its price"
        );
        let lists = db.store.price_lists().await.unwrap();
        assert!(lists[0].applied_at.is_some() && lists[0].items == 1, "{b}");
    }
}

#[tokio::test]
async fn a_postal_address_is_kept_and_a_representatives_link_lives_until_it_ends() {
    use kabinet_core::access::StaffRole;
    use kabinet_core::patient::PostalAddress;
    use kabinet_core::representative::{IdDocumentKind, RepresentativeBasis};
    use kabinet_store::registrar::PatientQuery;
    use kabinet_store::representatives::{Dependent, NewLink};
    use kabinet_store::staff::NewStaff;

    for db in clinic_db().await {
        let s = &db.store;
        let b = db.backend();
        let id = s.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[2].id;
        let mut one = booking(id, SLOT, "+79005550071", "ADDRESS2");
        let address = "190000, Санкт-Петербург, ул. Ленина, д. 1";
        one.patient.postal_address = Some(PostalAddress::parse(address).unwrap());
        s.book_one_time(&one).await.unwrap();
        let query = PatientQuery { phone: Some("+79005550071".into()), ..Default::default() };
        let parent = s.find_patients(&query).await.unwrap()[0].id;
        let record = s.patient_record(parent).await.unwrap().unwrap();
        assert_eq!(record.postal_address.as_deref(), Some(address), "{b}");

        let member =
            NewStaff {
                login: "reg".into(), full_name: "Ирина".into(), role: StaffRole::Registrar
            };
        let staff =
            s.create_staff(&member, "hash", NOW + 60, 0, &Origin::default(), NOW).await.unwrap();
        let mut child = patient("+79005550071");
        child.birth_date = date(2019, 3, 14);
        let link = NewLink {
            representative_id: parent,
            dependent: Dependent::New(child),
            basis: RepresentativeBasis::Parent,
            document_kind: IdDocumentKind::BirthCertificate,
            document_number: "IV-МЮ 512345".into(),
            staff_id: staff,
            origin: Origin::default(),
            now: NOW,
        };
        let (link_id, dependent) = s.link_representative(&link).await.unwrap();
        let again = NewLink { dependent: Dependent::Existing(dependent), ..link.clone() };
        assert!(s.link_representative(&again).await.is_err(), "{b}: one live link a pair");
        let open = s.open_link(parent, dependent).await.unwrap().unwrap();
        assert_eq!((open.id, open.document_number.as_str()), (link_id, "IV-МЮ 512345"), "{b}");
        assert_eq!(s.links_of_representative(parent).await.unwrap().len(), 1, "{b}");
        assert!(s.links_come_of_age("2008-12-01").await.unwrap().is_empty(), "{b}: a child");
        assert_eq!(s.links_come_of_age("2019-03-14").await.unwrap().len(), 1, "{b}: an adult");
        let origin = Origin::default();
        assert!(
            s.end_representative_link(link_id, dependent, None, "18", &origin, NOW).await.unwrap()
        );
        assert!(
            !s.end_representative_link(link_id, dependent, None, "18", &origin, NOW).await.unwrap()
        );
        assert!(s.open_link(parent, dependent).await.unwrap().is_none(), "{b}");
        let trail = s.audit_trail(dependent).await.unwrap();
        assert!(!trail.iter().any(|r| r.details.contains("512345")), "{b}: no number in the log");
    }
}

#[tokio::test]
async fn requests_withdraw_consents_keep_files_by_owner_and_calendars_by_year() {
    use kabinet_core::access::Actor;
    use kabinet_core::requests::{AppealCategory, RequestKind, RequestStatus, WithdrawableConsent};
    use kabinet_store::files::NewFile;
    use kabinet_store::requests::{NewAppeal, NewSubjectRequest};
    for db in clinic_db().await {
        let (s, b) = (&db.store, db.backend());
        let id = s.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[2].id;
        let patient = s.book_one_time(&booking(id, SLOT, "+79005550001", "FIRST234")).await;
        let visit = patient.unwrap().visit.id;
        let patient = s.patient_of_visit(visit).await.unwrap().unwrap();
        let request = NewSubjectRequest {
            patient_id: patient,
            kind: RequestKind::Deletion,
            text: "Удалите".into(),
            received_on: "2026-11-23".into(),
            due_on: "2026-12-23".into(),
            withdraw: Some(WithdrawableConsent::PersonalData),
            actor: Actor::Patient(patient),
            origin: Origin::default(),
            now: NOW,
        };
        let request_id = s.file_subject_request(&request).await.unwrap();
        let consents = s.consents_of(patient).await.unwrap();
        assert!(consents.iter().all(|c| c.withdrawn_at == Some(NOW)), "{b}: withdrawn");
        let mine = s.subject_request(request_id, Some(patient)).await.unwrap().unwrap();
        assert_eq!((mine.status, mine.due_on.as_str()), (RequestStatus::New, "2026-12-23"));
        assert!(s.subject_request(request_id, Some(patient + 1)).await.unwrap().is_none(), "{b}");
        assert_eq!(s.subject_request_queue(true).await.unwrap().len(), 1, "{b}");

        let appeal = NewAppeal {
            patient_id: patient,
            category: AppealCategory::Complaint,
            text: "Жалоба".into(),
            details: "{}".into(),
            due_on: "2026-12-23".into(),
            files: vec![NewFile {
                name: "f1.png".into(),
                content_type: "image/png",
                bytes: b"\x89PNG\r\n\x1a\nbytes".to_vec(),
            }],
            actor: Actor::Patient(patient),
            origin: Origin::default(),
            now: NOW,
        };
        let appeal_id = s.file_appeal(&appeal).await.unwrap();
        let files = s.files_of("appeal", appeal_id).await.unwrap();
        assert_eq!((files.len(), files[0].size), (1, 13), "{b}");
        let (owner, kind, bytes) = s.stored_file("f1.png", Some(patient)).await.unwrap().unwrap();
        assert_eq!((owner, kind.as_str(), bytes.len()), (patient, "image/png", 13), "{b}");
        assert!(s.stored_file("f1.png", Some(patient + 1)).await.unwrap().is_none(), "{b}");

        s.upload_calendar(&[2026], &[("2026-11-25".into(), "holiday")], 0, &Origin::default(), NOW)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        s.upload_calendar(&[2026], &[("2026-11-26".into(), "holiday")], 0, &Origin::default(), NOW)
            .await
            .unwrap();
        let days = s.uploaded_calendar().await.unwrap();
        assert_eq!(days, vec![("2026-11-26".to_owned(), "holiday".to_owned())], "{b}: replaced");
    }
}

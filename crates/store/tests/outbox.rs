//! The outbox's part of the store contract, on every backend: due mail is claimed for a lease,
//! comes back when the lease runs out, waits after a failure, and two instances on one database
//! never hold the same message.

#![expect(clippy::unwrap_used, reason = "helpers of tests fail loudly, as tests do")]

use std::collections::HashSet;

use jiff::civil::date;
use kabinet_core::access::Origin;
use kabinet_core::catalog::Gender;
use kabinet_core::consent::{ConsentKind, DocumentKind};
use kabinet_core::lang::Lang;
use kabinet_core::mail::MailKind;
use kabinet_core::patient::{NamePart, PatientData, Phone};
use kabinet_store::Store;
use kabinet_store::booking::{NewOneTimeBooking, OutboxMail};
use kabinet_store::catalog::SpecialistFilter;
use kabinet_store::seed::{BranchSeed, CatalogSeed, SpecialistSeed};
use kabinet_testkit::TestDb;

const NOW: i64 = 1_795_420_800; // 2026-11-23T08:00:00Z
const LEASE: i64 = 300;

/// A clinic of one specialist, whose bookings bring mail into the outbox.
async fn clinic() -> Vec<(TestDb, i64)> {
    let seed = CatalogSeed {
        branches: vec![BranchSeed {
            name: "Центр".into(),
            address: "г. Москва, ул. Тестовая, 1".into(),
            phone: "+7 (495) 555-00-00".into(),
            hours: "Пн–Пт 9–18".into(),
            metro: String::new(),
            ..BranchSeed::default()
        }],
        specialties: vec!["Терапевт".into()],
        groups: vec![],
        specialists: vec![SpecialistSeed {
            last_name: "Иванова".into(),
            first_name: "Анна".into(),
            middle_name: "Сергеевна".into(),
            gender: Gender::Female,
            qualification: String::new(),
            qualification_en: None,
            career_start_year: 2010,
            branch: 0,
            online_booking: true,
            online_discount_percent: 0,
            bio: String::new(),
            bio_en: None,
            specialties: vec![0],
            rules: vec![],
            exceptions: vec![],
        }],
    };
    let mut dbs = Vec::new();
    for db in TestDb::each_backend().await {
        db.store.load_catalog(&seed, NOW).await.unwrap();
        let id =
            db.store.list_specialists(SpecialistFilter::default(), Lang::Ru).await.unwrap()[0].id;
        dbs.push((db, id));
    }
    dbs
}

/// Books visit number `n`, with its confirmation mail written at `at`.
async fn book_with_mail(store: &Store, specialist_id: i64, n: i64, at: i64) {
    let start = NOW + 86_400 + n * 1800;
    let booking = NewOneTimeBooking {
        specialist_id,
        starts_at: start,
        ends_at: start + 1800,
        patient: PatientData {
            last_name: NamePart::parse("Петров").unwrap(),
            first_name: NamePart::parse("Пётр").unwrap(),
            middle_name: None,
            birth_date: date(1980, 1, 31),
            phone: Phone::parse(&format!("+7900555{n:04}")).unwrap(),
            email: None,
            postal_address: None,
        },
        consents: vec![(ConsentKind::PersonalData, DocumentKind::Privacy, 1)],
        code: format!("MAIL{n:04}"),
        price: None,
        request_key: None,
        request_hash: None,
        rate_keys: Vec::new(),
        receipt_hash: None,
        receipt_expires_at: at,
        mail: Some(OutboxMail {
            kind: MailKind::BookingConfirmation,
            recipient: format!("patient{n}@example.ru"),
            subject: "Запись подтверждена".into(),
            body: format!("Код записи: MAIL{n:04}"),
        }),
        origin: Origin::default(),
        now: at,
    };
    store.book_one_time(&booking).await.unwrap();
}

fn ids(mail: &[kabinet_store::outbox::ClaimedMail]) -> Vec<i64> {
    mail.iter().map(|m| m.id).collect()
}

#[tokio::test]
async fn due_mail_is_claimed_once_until_its_lease_runs_out() {
    for (db, specialist) in clinic().await {
        let s = &db.store;
        for n in 0..3 {
            book_with_mail(s, specialist, n, NOW + n).await;
        }
        assert!(s.claim_due_mail(NOW - 1, LEASE, 10).await.unwrap().is_empty(), "not yet due");

        let first = s.claim_due_mail(NOW + 10, LEASE, 2).await.unwrap();
        assert_eq!(first.len(), 2, "{}: the limit holds", db.backend());
        assert_eq!(first[0].recipient, "patient0@example.ru", "oldest first");
        assert_eq!((first[0].kind.as_str(), first[0].attempts), ("booking_confirmation", 0));
        assert_eq!(first[0].body, "Код записи: MAIL0000");
        let rest = s.claim_due_mail(NOW + 10, LEASE, 10).await.unwrap();
        assert_eq!(rest.len(), 1, "{}: only the unclaimed one is left", db.backend());
        assert!(s.claim_due_mail(NOW + 10 + LEASE - 1, LEASE, 10).await.unwrap().is_empty());

        let status = s.mail_status(rest[0].id).await.unwrap().unwrap();
        assert_eq!(status.locked_until, Some(NOW + 10 + LEASE));
        assert_eq!((status.attempts, status.delivered_at), (0, None));

        // The holder died: when the lease runs out, every message can be claimed again.
        let again = s.claim_due_mail(NOW + 10 + LEASE, LEASE, 10).await.unwrap();
        let mut expected = ids(&first);
        expected.extend(ids(&rest));
        assert_eq!(ids(&again), expected, "{}", db.backend());
    }
}

#[tokio::test]
async fn delivered_mail_is_never_claimed_again() {
    for (db, specialist) in clinic().await {
        let s = &db.store;
        book_with_mail(s, specialist, 0, NOW).await;
        let claimed = s.claim_due_mail(NOW, LEASE, 10).await.unwrap();
        s.mark_mail_delivered(claimed[0].id, NOW + 1).await.unwrap();
        s.mark_mail_delivered(claimed[0].id, NOW + 2).await.unwrap();

        let status = s.mail_status(claimed[0].id).await.unwrap().unwrap();
        assert_eq!(
            status.delivered_at,
            Some(NOW + 1),
            "{}: the first delivery stays",
            db.backend()
        );
        assert_eq!(status.locked_until, None);
        assert!(s.claim_due_mail(NOW + 10 * LEASE, LEASE, 10).await.unwrap().is_empty());
        assert!(s.pending_outbox(10).await.unwrap().is_empty());
        assert!(s.mail_status(9999).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn failed_mail_waits_for_its_next_attempt() {
    for (db, specialist) in clinic().await {
        let s = &db.store;
        book_with_mail(s, specialist, 0, NOW).await;
        let id = s.claim_due_mail(NOW, LEASE, 10).await.unwrap()[0].id;
        let long_error = format!("421 4.3.2 Service not available: {}", "ещё ".repeat(300));
        s.mark_mail_failed(id, &long_error, NOW + 60).await.unwrap();

        let status = s.mail_status(id).await.unwrap().unwrap();
        assert_eq!((status.attempts, status.next_attempt_at), (1, NOW + 60), "{}", db.backend());
        assert_eq!(status.locked_until, None, "the lease is released");
        let kept = status.last_error.unwrap();
        assert!(kept.starts_with("421 4.3.2") && kept.chars().count() == 500, "{kept}");

        assert!(s.claim_due_mail(NOW + 59, LEASE, 10).await.unwrap().is_empty(), "not yet");
        let retry = s.claim_due_mail(NOW + 60, LEASE, 10).await.unwrap();
        assert_eq!((retry[0].id, retry[0].attempts), (id, 1), "{}", db.backend());

        s.mark_mail_failed(id, "timed out", NOW + 180).await.unwrap();
        s.claim_due_mail(NOW + 180, LEASE, 10).await.unwrap();
        s.mark_mail_delivered(id, NOW + 181).await.unwrap();
        s.mark_mail_failed(id, "late failure report", NOW + 999).await.unwrap();
        let status = s.mail_status(id).await.unwrap().unwrap();
        assert_eq!(status.attempts, 2, "{}: a delivered message stays delivered", db.backend());
        assert_eq!(status.delivered_at, Some(NOW + 181));
        assert_eq!(status.last_error, None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_claiming_at_once_never_get_the_same_mail() {
    const MAILS: i64 = 60;
    for (db, specialist) in clinic().await {
        for n in 0..MAILS {
            book_with_mail(&db.store, specialist, n, NOW).await;
        }
        let stores = [db.store.clone(), db.second_instance().await];
        let mut workers = Vec::new();
        for w in 0..8 {
            let store = stores[w % 2].clone();
            workers.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let batch = store.claim_due_mail(NOW, LEASE, 3).await.unwrap();
                    if batch.is_empty() {
                        return mine;
                    }
                    mine.extend(ids(&batch));
                    tokio::task::yield_now().await;
                }
            }));
        }
        let mut all = Vec::new();
        for worker in workers {
            all.extend(worker.await.unwrap());
        }
        let unique: HashSet<_> = all.iter().copied().collect();
        assert_eq!(all.len(), unique.len(), "{}: a message was claimed twice", db.backend());
        assert_eq!(unique.len() as i64, MAILS, "{}: every message was claimed", db.backend());
    }
}

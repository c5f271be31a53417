//! E-mail that is never lost: a booking's confirmation goes through the outbox to a real SMTP
//! server on loopback, waits while the server is down, arrives once when it is back, and lands
//! in a folder when no server is configured. Store-backed tests run on every backend.

#![expect(clippy::unwrap_used, reason = "helpers of tests fail loudly, as tests do")]

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use kabinet_core::ManualClock;
use kabinet_core::lang::Lang;
use kabinet_core::patient::PatientInput;
use kabinet_service::booking::{Booked, OneTimeRequest};
use kabinet_service::catalog::SpecialistCard;
use kabinet_service::mail::Mailer;
use kabinet_service::{Kabinet, Settings};
use kabinet_testkit::{SmtpSink, TestDb};

/// Monday 2026-11-23, 09:00 Moscow.
const MONDAY_9AM: &str = "2026-11-23T06:00:00Z";
const PUBLIC_URL: &str = "https://kabinet.yasen.example";
const FROM: &str = "Клиника «Ясень» <noreply@yasen.example>";

struct Clinic {
    kabinet: Kabinet,
    clock: Arc<ManualClock>,
    db: TestDb,
}

async fn each_clinic() -> Vec<Clinic> {
    let mut clinics = Vec::new();
    for db in TestDb::each_backend().await {
        let clock = Arc::new(ManualClock::new(MONDAY_9AM.parse::<Timestamp>().unwrap()));
        let settings = Settings { public_url: PUBLIC_URL.into(), ..Settings::default() };
        let kabinet = Kabinet::new(db.store.clone(), clock.clone(), settings);
        kabinet.load_demo().await.unwrap();
        clinics.push(Clinic { kabinet, clock, db });
    }
    clinics
}

/// Books the first open specialist's nearest slot for a patient with an e-mail address.
async fn book(kabinet: &Kabinet) -> (Booked, SpecialistCard) {
    book_for(kabinet, "smirnov@example.ru").await
}

async fn book_for(kabinet: &Kabinet, email: &str) -> (Booked, SpecialistCard) {
    let cards = kabinet.all_specialists(Lang::Ru).await.unwrap();
    let card = cards.into_iter().find(|c| c.specialist.online_booking).unwrap();
    let slot = kabinet.nearest_free_slot(card.specialist.id).await.unwrap().unwrap();
    let booked = kabinet
        .book_one_time(OneTimeRequest {
            specialist_id: card.specialist.id,
            service_id: None,
            discount_code: None,
            start: slot.start.as_second().to_string(),
            patient: PatientInput {
                last_name: "Смирнов".into(),
                first_name: "Алексей".into(),
                middle_name: Some("Павлович".into()),
                birth_date: "1979-03-02".into(),
                phone: "+7 900 555-70-01".into(),
                email: Some(email.into()),
                postal_address: None,
            },
            consent_personal_data: true,
            consent_health_data: true,
            ..OneTimeRequest::default()
        })
        .await
        .unwrap();
    (booked, card)
}

async fn only_outbox_id(db: &TestDb) -> i64 {
    let pending = db.store.pending_outbox(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    pending[0].id
}

#[tokio::test]
async fn a_booking_confirmation_arrives_over_smtp_in_russian_with_the_public_link() {
    let sink = SmtpSink::start();
    let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
    for clinic in each_clinic().await {
        let before = sink.messages().len();
        let (booked, card) = book(&clinic.kabinet).await;
        let id = only_outbox_id(&clinic.db).await;

        assert_eq!(
            clinic.kabinet.deliver_due(&mailer).await.unwrap(),
            1,
            "{}",
            clinic.db.backend()
        );
        let received = sink.messages();
        assert_eq!(received.len(), before + 1);
        let mail = &received[before];
        assert_eq!(mail.to, "smirnov@example.ru");
        assert_eq!(mail.from, "noreply@yasen.example");
        assert_eq!(mail.subject, "Запись подтверждена — Клиника «Ясень»");
        assert!(!mail.subject.contains(&card.specialist.last_name), "no doctor in the subject");
        for specialty in &card.specialties {
            assert!(!mail.subject.to_lowercase().contains(&specialty.name.as_str().to_lowercase()));
        }
        assert!(mail.raw.contains("Subject: =?utf-8?"), "RFC 2047 on the wire: {}", mail.raw);
        assert!(mail.raw.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(mail.body.contains("Вы записаны на приём"), "{}", mail.body);
        assert!(mail.body.contains(&booked.visit.code));
        assert!(mail.body.contains(PUBLIC_URL));

        let status = clinic.db.store.mail_status(id).await.unwrap().unwrap();
        assert_eq!(status.delivered_at, Some(clinic.kabinet.now().as_second()));
        clinic.clock.advance(SignedDuration::from_hours(24));
        assert_eq!(clinic.kabinet.deliver_due(&mailer).await.unwrap(), 0, "sent once");
        assert_eq!(sink.messages().len(), before + 1);
    }
}

#[tokio::test]
async fn a_mailbox_the_server_refuses_for_good_is_not_tried_again_and_is_listed() {
    let sink = SmtpSink::start();
    let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
    for clinic in each_clinic().await {
        let (k, b) = (&clinic.kabinet, clinic.db.backend());
        book_for(k, "nobody.here@example.ru").await;
        let id = only_outbox_id(&clinic.db).await;
        assert_eq!(k.deliver_due(&mailer).await.unwrap(), 0, "{b}");
        let status = clinic.db.store.mail_status(id).await.unwrap().unwrap();
        assert_eq!(status.failed_at, Some(k.now().as_second()), "{b}: failed for good");
        assert_eq!(status.attempts, 1);
        let error = status.last_error.unwrap();
        assert!(error.contains("550"), "{b}: the server's answer is kept: {error}");
        assert!(!error.contains("nobody.here"), "{b}: no address in the error: {error}");

        clinic.clock.advance(SignedDuration::from_hours(24));
        assert_eq!(k.deliver_due(&mailer).await.unwrap(), 0);
        let status = clinic.db.store.mail_status(id).await.unwrap().unwrap();
        assert_eq!(status.attempts, 1, "{b}: never tried again");
        let failed = clinic.db.store.failed_mail(10).await.unwrap();
        assert_eq!(failed.len(), 1, "{b}");
        assert_eq!(failed[0].recipient, "nobody.here@example.ru");
        assert!(sink.messages().iter().all(|m| m.to != "nobody.here@example.ru"));
    }
}

#[tokio::test]
async fn mail_waits_while_smtp_is_down_and_arrives_once_when_it_is_back() {
    for clinic in each_clinic().await {
        let k = &clinic.kabinet;
        // A port that was just free: nothing listens there until the sink starts on it.
        let port = SmtpSink::start().port();
        let mailer = Mailer::smtp(&format!("smtp://127.0.0.1:{port}"), FROM).unwrap();
        book(k).await;
        let id = only_outbox_id(&clinic.db).await;

        assert_eq!(k.deliver_due(&mailer).await.unwrap(), 0, "{}", clinic.db.backend());
        let status = clinic.db.store.mail_status(id).await.unwrap().unwrap();
        let now = k.now().as_second();
        assert_eq!((status.attempts, status.next_attempt_at), (1, now + 60), "retry in a minute");
        assert_eq!((status.locked_until, status.delivered_at), (None, None));
        let error = status.last_error.unwrap();
        assert!(!error.contains("smirnov"), "no address in the error: {error}");

        clinic.clock.advance(SignedDuration::from_secs(60));
        assert_eq!(k.deliver_due(&mailer).await.unwrap(), 0);
        let status = clinic.db.store.mail_status(id).await.unwrap().unwrap();
        assert_eq!(status.attempts, 2);
        assert_eq!(status.next_attempt_at, k.now().as_second() + 120, "twice as long");

        let sink = SmtpSink::start_on(port);
        assert_eq!(k.deliver_due(&mailer).await.unwrap(), 0, "not due yet");
        assert!(sink.messages().is_empty());
        clinic.clock.advance(SignedDuration::from_secs(120));
        assert_eq!(k.deliver_due(&mailer).await.unwrap(), 1);
        clinic.clock.advance(SignedDuration::from_hours(7));
        assert_eq!(k.deliver_due(&mailer).await.unwrap(), 0);
        assert_eq!(sink.messages().len(), 1, "{}: delivered exactly once", clinic.db.backend());
        assert_eq!(clinic.db.store.mail_status(id).await.unwrap().unwrap().attempts, 2);
    }
}

#[tokio::test]
async fn two_instances_delivering_at_once_send_each_message_once() {
    let sink = SmtpSink::start();
    let mailer = Arc::new(Mailer::smtp(&sink.url(), FROM).unwrap());
    for clinic in each_clinic().await {
        let before = sink.messages().len();
        book(&clinic.kabinet).await;
        let second = Kabinet::new(
            clinic.db.second_instance().await,
            clinic.clock.clone(),
            (*clinic.kabinet.settings).clone(),
        );
        let (a, b) = tokio::join!(clinic.kabinet.deliver_due(&mailer), second.deliver_due(&mailer));
        assert_eq!(a.unwrap() + b.unwrap(), 1, "{}", clinic.db.backend());
        assert_eq!(sink.messages().len(), before + 1);
    }
}

#[tokio::test]
async fn without_smtp_mail_is_written_to_a_folder_as_readable_eml() {
    let dir = std::env::temp_dir().join(format!("kabinet-mail-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mailer = Mailer::folder(&dir, FROM).unwrap();
    let clinic = each_clinic().await.remove(0);
    let (booked, _) = book(&clinic.kabinet).await;

    assert_eq!(clinic.kabinet.deliver_due(&mailer).await.unwrap(), 1);
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "one file, no temporary left: {files:?}");
    assert_eq!(files[0].extension().unwrap(), "eml");
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains("To: smirnov@example.ru\r\n"), "{eml}");
    assert!(eml.contains("Subject: =?utf-8?"));
    assert!(eml.contains("Content-Transfer-Encoding: 8bit"));
    assert!(eml.contains("Здравствуйте!"), "the text reads as it is");
    assert!(eml.contains(&booked.visit.code) && eml.contains(PUBLIC_URL));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only the owner reads personal data");
    }
    assert!(clinic.db.store.pending_outbox(10).await.unwrap().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

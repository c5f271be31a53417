//! The back office over the service layer, on every backend: the first administrator from a
//! one-time bootstrap secret, confirmed access with a one-time password, reissue, change
//! requests, suspension and the registrar's feed.

#![expect(clippy::unwrap_used, reason = "helpers of tests fail loudly, as tests do")]

use kabinet_core::access::Origin;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use kabinet_core::ManualClock;
use kabinet_core::patient::PatientInput;
use kabinet_service::accounts::RegistrationRequest;
use kabinet_service::change_requests::ChangeFields;
use kabinet_service::registrar::AccessRequest;
use kabinet_service::staff::{StaffInput, StaffUser};
use kabinet_service::{Error, Kabinet, Settings};
use kabinet_testkit::TestDb;

const MONDAY_9AM: &str = "2026-11-23T06:00:00Z";
const ADMIN_PASSWORD: &str = "сосновый бор у залива";

struct Clinic {
    kabinet: Kabinet,
    clock: Arc<ManualClock>,
    db: TestDb,
}

async fn each_clinic() -> Vec<Clinic> {
    let mut clinics = Vec::new();
    for db in TestDb::each_backend().await {
        let clock = Arc::new(ManualClock::new(MONDAY_9AM.parse::<Timestamp>().unwrap()));
        let kabinet = Kabinet::new(db.store.clone(), clock.clone(), Settings::default());
        kabinet.load_demo().await.unwrap();
        clinics.push(Clinic { kabinet, clock, db });
    }
    clinics
}

fn token_of(url: &str) -> &str {
    url.split("token=").nth(1).unwrap()
}

async fn admin(k: &Kabinet) -> StaffUser {
    let url = k.issue_bootstrap().await.unwrap();
    let input = StaffInput {
        login: "admin".into(), full_name: "Администратор Клиники".into()
    };
    k.bootstrap_administrator(token_of(&url), &input, ADMIN_PASSWORD, &Origin::default())
        .await
        .unwrap();
    let signed = k.staff_sign_in("admin", ADMIN_PASSWORD, &Origin::default(), None).await.unwrap();
    k.staff_session(&signed.token).await.unwrap().unwrap()
}

fn new_patient(login: &str, card: &str) -> AccessRequest {
    AccessRequest {
        patient_id: None,
        patient: PatientInput {
            last_name: "Орлова".into(),
            first_name: "Вера".into(),
            middle_name: Some("Павловна".into()),
            birth_date: "1979-03-02".into(),
            phone: "+7 916 555-20-30".into(),
            email: None,
        },
        login: login.into(),
        card_number: card.into(),
        rules_version: "1".into(),
        paper_reference: "Журнал 2026/118".into(),
    }
}

#[tokio::test]
async fn the_bootstrap_works_once_and_never_twice() {
    for c in each_clinic().await {
        let k = &c.kabinet;
        let url = k.issue_bootstrap().await.unwrap();
        assert!(url.starts_with("http://127.0.0.1:8080/staff/bootstrap?token="), "{url}");
        let input =
            StaffInput { login: "Admin".into(), full_name: "Анна Главная".into() };
        let weak = k
            .bootstrap_administrator(token_of(&url), &input, "admin12345", &Origin::default())
            .await;
        assert!(matches!(weak, Err(Error::Validation(_))), "the password policy applies");
        k.bootstrap_administrator(token_of(&url), &input, ADMIN_PASSWORD, &Origin::default())
            .await
            .unwrap();
        let again = k
            .bootstrap_administrator(token_of(&url), &input, ADMIN_PASSWORD, &Origin::default())
            .await;
        assert!(matches!(again, Err(Error::NotFound)), "{}: the secret works once", c.db.backend());
        assert!(matches!(k.issue_bootstrap().await, Err(Error::Forbidden)), "no second bootstrap");
        let member = c.db.store.staff_by_login("admin").await.unwrap().unwrap();
        assert!(member.password_hash.starts_with("$argon2id$"));
    }
}

#[tokio::test]
async fn confirmed_access_issues_a_hashed_one_time_password_that_a_reissue_voids() {
    for c in each_clinic().await {
        let k = &c.kabinet;
        let staff = admin(k).await;
        let issued = k
            .confirm_access(&staff, &new_patient("Vera@Example.ru", "MK-1001"), &Origin::default())
            .await
            .unwrap();
        assert_eq!(issued.login, "vera@example.ru");
        assert_eq!(issued.one_time_password.len(), 10);
        assert!(issued.one_time_password.chars().all(|ch| !"0O1lI".contains(ch)));
        let now: Timestamp = MONDAY_9AM.parse().unwrap();
        assert_eq!(issued.expires_at, now + SignedDuration::from_hours(72));

        let account = c.db.store.account_by_login("vera@example.ru").await.unwrap().unwrap();
        assert_eq!(account.access_level.as_str(), "confirmed");
        assert!(account.password_hash.is_none() && account.email_confirmed_at.is_some());
        let record =
            k.patient_record(&staff, account.patient_id, &Origin::default()).await.unwrap();
        assert_eq!(record.card_number.as_deref(), Some("MK-1001"));
        assert_eq!(record.paper_rules_version, Some(1));
        let live = live_otps(&c, account.id).await;
        assert_eq!(live.len(), 1);
        assert!(live[0].0.starts_with("$argon2id$"), "stored only as Argon2id");
        assert!(!live[0].0.contains(&issued.one_time_password));
        assert_eq!(live[0].1, issued.expires_at.as_second());

        let taken = k
            .confirm_access(&staff, &new_patient("other@example.ru", "MK-1001"), &Origin::default())
            .await;
        assert!(matches!(taken, Err(Error::Validation(e)) if e.get("card_number").is_some()));

        c.clock.advance(SignedDuration::from_mins(5));
        let again = k
            .reissue_one_time_password(&staff, account.patient_id, &Origin::default())
            .await
            .unwrap();
        assert_ne!(again.one_time_password, issued.one_time_password);
        let live = live_otps(&c, account.id).await;
        assert_eq!(live.len(), 1, "{}: the reissue voids the previous one", c.db.backend());
    }
}

async fn live_otps(c: &Clinic, account_id: i64) -> Vec<(String, i64)> {
    let now = c.kabinet.now().as_second();
    c.db.store.one_time_passwords_of(account_id, now).await.unwrap()
}

#[tokio::test]
async fn an_online_registration_is_upgraded_and_its_data_changed_by_request() {
    for c in each_clinic().await {
        let k = &c.kabinet;
        let staff = admin(k).await;
        let registration = RegistrationRequest {
            login: "ivan@example.ru".into(),
            password: "лиловый дирижабль над рекой".into(),
            patient: PatientInput {
                last_name: "Седов".into(),
                first_name: "Иван".into(),
                middle_name: None,
                birth_date: "1990-05-05".into(),
                phone: "+79035551122".into(),
                email: None,
            },
            consent_personal_data: true,
            accept_rules: true,
            ..Default::default()
        };
        k.register(registration).await.unwrap();
        let found = k.find_patients(&staff, "седов", &Origin::default()).await.unwrap();
        assert_eq!(found.len(), 1, "{}: found by name in any case", c.db.backend());
        assert_eq!(
            k.find_patients(&staff, "8 903 555-11-22", &Origin::default()).await.unwrap().len(),
            1
        );
        let patient_id = found[0].id;
        let request = AccessRequest {
            patient_id: Some(patient_id),
            card_number: "MK-2002".into(),
            rules_version: "1".into(),
            paper_reference: "Журнал 2026/119".into(),
            ..Default::default()
        };
        let issued = k.confirm_access(&staff, &request, &Origin::default()).await.unwrap();
        assert_eq!(issued.login, "ivan@example.ru");
        assert_eq!(
            k.find_patients(&staff, "MK-2002", &Origin::default()).await.unwrap()[0]
                .access_level
                .as_str(),
            "confirmed"
        );

        let empty =
            k.request_change(patient_id, &ChangeFields::default(), &Origin::default()).await;
        assert!(matches!(empty, Err(Error::Validation(_))));
        let fields = ChangeFields {
            last_name: Some("Седов-Белый".into()),
            phone: Some("8 903 555 99 00".into()),
            ..Default::default()
        };
        let first = k.request_change(patient_id, &fields, &Origin::default()).await.unwrap();
        let second = k.request_change(patient_id, &fields, &Origin::default()).await.unwrap();
        assert_eq!(k.pending_change_requests(&staff).await.unwrap().len(), 2);
        k.reject_change_request(&staff, first, "Нет документа о смене фамилии", &Origin::default())
            .await
            .unwrap();
        assert_eq!(
            k.patient_record(&staff, patient_id, &Origin::default()).await.unwrap().last_name,
            "Седов"
        );
        k.complete_change_request(&staff, second, &Origin::default()).await.unwrap();
        let record = k.patient_record(&staff, patient_id, &Origin::default()).await.unwrap();
        assert_eq!(
            (record.last_name.as_str(), record.phone.as_str()),
            ("Седов-Белый", "+79035559900")
        );
        let twice = k.complete_change_request(&staff, second, &Origin::default()).await;
        assert!(matches!(twice, Err(Error::NotFound)), "a decided request stays decided");
        let mine = k.change_requests_of(patient_id).await.unwrap();
        let statuses: Vec<_> = mine.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses, ["completed", "rejected"]);
        let messages = c.db.store.messages_sent_to(patient_id).await.unwrap();
        assert!(messages.iter().any(|m| m.1.contains("Нет документа о смене фамилии")));
        assert!(messages.iter().any(|m| m.0.contains("выполнен")));
        let mail = c.db.store.pending_outbox(100).await.unwrap();
        let told: Vec<_> =
            mail.iter().filter(|m| m.kind.as_str() == "change_request_decided").collect();
        assert_eq!(told.len(), 2, "an e-mail either way");
        assert!(told.iter().all(|m| !m.subject.contains("Седов") && !m.body.contains("Седов")));
    }
}

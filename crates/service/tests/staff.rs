//! The back office over the service layer, on every backend: the first administrator from a
//! one-time bootstrap secret, confirmed access with a one-time password, reissue, change
//! requests, suspension and the registrar's feed.

#![expect(clippy::unwrap_used, reason = "helpers of tests fail loudly, as tests do")]

use kabinet_core::access::Origin;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use kabinet_core::ManualClock;
use kabinet_core::audit::AuditAction;
use kabinet_core::patient::PatientInput;
use kabinet_core::totp::TotpSecret;
use kabinet_service::accounts::RegistrationRequest;
use kabinet_service::change_requests::ChangeFields;
use kabinet_service::registrar::AccessRequest;
use kabinet_service::second_factor::PendingStaff;
use kabinet_service::staff::{StaffInput, StaffUser};
use kabinet_service::{Error, Kabinet, Settings};
use kabinet_store::audit::AuditFilter;
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
    sign_in_and_enrol(k, "admin", ADMIN_PASSWORD).await.0
}

/// Signs a member in for the first time and enrols their second factor with the code their
/// app would show now: the full session and the secret.
async fn sign_in_and_enrol(k: &Kabinet, login: &str, password: &str) -> (StaffUser, TotpSecret) {
    let signed = k.staff_sign_in(login, password, &Origin::default(), None).await.unwrap();
    assert!(
        k.staff_session(&signed.token).await.unwrap().is_none(),
        "a password alone grants nothing"
    );
    let pending = k.staff_pending(&signed.token).await.unwrap().unwrap();
    assert!(!pending.enrolled());
    let enrolment = k.totp_enrolment(&pending).await.unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    assert!(enrolment.otpauth_url.starts_with("otpauth://totp/"));
    let code = secret.code_at(k.now().as_second());
    let enrolled =
        k.finish_totp_enrolment(&pending, &code, &Origin::default(), None).await.unwrap();
    assert_eq!(enrolled.recovery_codes.len(), 10);
    let user = k.staff_session(&enrolled.signed_in.token).await.unwrap().unwrap();
    assert!(k.staff_pending(&signed.token).await.unwrap().is_none(), "the waiting session is gone");
    (user, secret)
}

/// The password step of a later sign-in: the waiting member.
async fn password_step(k: &Kabinet, login: &str, password: &str) -> (String, PendingStaff) {
    let signed = k.staff_sign_in(login, password, &Origin::default(), None).await.unwrap();
    assert!(k.staff_session(&signed.token).await.unwrap().is_none());
    let pending = k.staff_pending(&signed.token).await.unwrap().unwrap();
    (signed.token, pending)
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
            postal_address: None,
        },
        login: login.into(),
        card_number: card.into(),
        rules_version: "1".into(),
        paper_reference: "Журнал 2026/118".into(),
        paper_consents: Vec::new(),
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
                postal_address: None,
            },
            consent_personal_data: true,
            consent_health_data: true,
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
        let seen = kabinet_service::change_requests::IdentityDocument {
            document_kind: "passport_rf".into(),
            document_number: "4509 123456".into(),
        };
        k.complete_change_request(&staff, second, &seen, &Origin::default()).await.unwrap();
        let record = k.patient_record(&staff, patient_id, &Origin::default()).await.unwrap();
        assert_eq!(
            (record.last_name.as_str(), record.phone.as_str()),
            ("Седов-Белый", "+79035559900")
        );
        let twice = k.complete_change_request(&staff, second, &seen, &Origin::default()).await;
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

#[tokio::test]
async fn every_staff_sign_in_needs_a_code_and_each_code_works_once() {
    for c in each_clinic().await {
        let k = &c.kabinet;
        let origin = Origin::default();
        let admin = admin(k).await;
        k.staff_sign_out(&admin, &origin).await.unwrap();
        let url = k.issue_bootstrap().await;
        assert!(url.is_err());

        // The code of the step the enrolment used is spent already: no replay.
        let (token, pending) = password_step(k, "admin", ADMIN_PASSWORD).await;
        assert!(pending.enrolled());
        let enrolment = k.totp_enrolment(&pending).await;
        assert!(matches!(enrolment, Err(Error::Forbidden)), "no second enrolment over the first");
        let secret = {
            let stored = c.db.store.staff_totp(pending.member.id).await.unwrap().unwrap();
            TotpSecret::from_base32(&stored.secret).unwrap()
        };
        let now = k.now().as_second();
        let replay = k.pass_staff_code(&pending, &secret.code_at(now), &origin, None).await;
        assert!(matches!(replay, Err(Error::Unauthorized)), "{}", c.db.backend());
        let wrong = if secret.code_at(now + 30) == "000000" { "111111" } else { "000000" };
        c.clock.advance(SignedDuration::from_secs(30));
        let refused = k.pass_staff_code(&pending, wrong, &origin, None).await;
        assert!(matches!(refused, Err(Error::Unauthorized)));
        assert!(k.staff_session(&token).await.unwrap().is_none());

        let code = secret.code_at(k.now().as_second());
        let signed = k.pass_staff_code(&pending, &code, &origin, None).await.unwrap();
        assert!(k.staff_session(&signed.token).await.unwrap().is_some());
        assert!(k.staff_session(&token).await.unwrap().is_none(), "the waiting token is gone");

        // The same code once more, in the same step, from a new sign-in: refused.
        let (_, again) = password_step(k, "admin", ADMIN_PASSWORD).await;
        let replay = k.pass_staff_code(&again, &code, &origin, None).await;
        assert!(matches!(replay, Err(Error::Unauthorized)), "a code is accepted once");
    }
}

#[tokio::test]
async fn a_recovery_code_works_once_and_wrong_codes_are_throttled() {
    for c in each_clinic().await {
        let k = &c.kabinet;
        let origin = Origin::default();
        let url = k.issue_bootstrap().await.unwrap();
        let input = StaffInput {
            login: "admin".into(), full_name: "Администратор Клиники".into()
        };
        k.bootstrap_administrator(token_of(&url), &input, ADMIN_PASSWORD, &origin).await.unwrap();
        let signed = k.staff_sign_in("admin", ADMIN_PASSWORD, &origin, None).await.unwrap();
        let pending = k.staff_pending(&signed.token).await.unwrap().unwrap();
        let enrolment = k.totp_enrolment(&pending).await.unwrap();
        let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
        let code = secret.code_at(k.now().as_second());
        let enrolled = k.finish_totp_enrolment(&pending, &code, &origin, None).await.unwrap();
        let recovery = enrolled.recovery_codes[3].clone();

        let (_, pending) = password_step(k, "admin", ADMIN_PASSWORD).await;
        let typed = recovery.to_lowercase().replace('-', " ");
        let signed = k.pass_staff_code(&pending, &typed, &origin, None).await.unwrap();
        let user = k.staff_session(&signed.token).await.unwrap().unwrap();
        assert_eq!(k.unused_recovery_codes(&user).await.unwrap(), 9);
        let (_, pending) = password_step(k, "admin", ADMIN_PASSWORD).await;
        let used = k.pass_staff_code(&pending, &recovery, &origin, None).await;
        assert!(matches!(used, Err(Error::Unauthorized)), "a recovery code works once");

        for _ in 0..4 {
            let wrong = k.pass_staff_code(&pending, "ABCD-EFGH-JKMN-PQRS", &origin, None).await;
            assert!(matches!(wrong, Err(Error::Unauthorized)));
        }
        c.clock.advance(SignedDuration::from_secs(30));
        let right = secret.code_at(k.now().as_second());
        let throttled = k.pass_staff_code(&pending, &right, &origin, None).await;
        assert!(matches!(throttled, Err(Error::Throttled { .. })), "{}", c.db.backend());
    }
}

#[tokio::test]
async fn only_an_administrator_resets_a_second_factor_and_it_is_audited() {
    for c in each_clinic().await {
        let k = &c.kabinet;
        let origin = Origin::default();
        let admin = admin(k).await;
        let input = StaffInput {
            login: "reg1".into(), full_name: "Ирина Регистратор".into()
        };
        let link = k
            .create_staff_member(
                &admin,
                &input,
                kabinet_core::access::StaffRole::Registrar,
                &origin,
            )
            .await
            .unwrap();
        let password = "янтарная лампа на окне";
        k.set_up_staff_password(token_of(&link), password, &origin).await.unwrap();
        let (registrar, _) = sign_in_and_enrol(k, "reg1", password).await;

        let by_registrar = k.reset_staff_totp(&registrar, admin.member.id, &origin).await;
        assert!(matches!(by_registrar, Err(Error::Forbidden)), "a registrar cannot reset");
        let own = k.reset_staff_totp(&admin, admin.member.id, &origin).await;
        assert!(matches!(own, Err(Error::Forbidden)), "not one's own");

        k.reset_staff_totp(&admin, registrar.member.id, &origin).await.unwrap();
        let filter = AuditFilter {
            action: Some(AuditAction::StaffTotpReset),
            limit: 10,
            ..AuditFilter::default()
        };
        let rows = c.db.store.audit_log(&filter).await.unwrap();
        assert_eq!(rows.len(), 1, "{}", c.db.backend());
        assert_eq!(rows[0].actor_id, Some(admin.member.id));
        assert_eq!(rows[0].object_id, Some(registrar.member.id));
        let session = c.db.store.session(&registrar.session_hash).await.unwrap();
        assert!(session.is_none(), "the registrar's sessions ended");
        let (_, pending) = password_step(k, "reg1", password).await;
        assert!(!pending.enrolled(), "the colleague enrols again");
        k.totp_enrolment(&pending).await.unwrap();
    }
}

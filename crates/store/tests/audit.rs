//! The audit log as a hash chain (G6), on every backend: it verifies while the store writes it,
//! including from two instances at once, and a row changed, deleted or slipped in behind the
//! store's back — by someone with direct access to the database — is named by the verify.
//! The append-only triggers refuse what the store never does: update, delete, replace,
//! truncate.
#![expect(clippy::unwrap_used, reason = "helpers of tests fail loudly, as tests do")]

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_store::audit::{AuditEntry, ChainReport};
use kabinet_store::{Store, StoreError};
use kabinet_testkit::TestDb;
use sqlx::Connection as _;

const NOW: i64 = 1_795_900_000;

fn entry(n: i64) -> AuditEntry {
    let origin = Origin { ip: Some(format!("10.0.0.{n}")), request_id: Some(format!("r-{n}")) };
    AuditEntry::new(
        NOW + n,
        Actor::Staff(1),
        AuditAction::PatientView,
        ObjectKind::Patient,
        Some(n),
    )
    .patient(n)
    .origin(&origin)
}

/// A database with `rows` audit rows written through the store.
async fn audited(rows: i64) -> Vec<TestDb> {
    let dbs = TestDb::each_backend().await;
    for db in &dbs {
        for n in 1..=rows {
            db.store.record_access(&entry(n)).await.unwrap();
        }
    }
    dbs
}

async fn verify(store: &Store) -> ChainReport {
    store.verify_audit_chain().await.unwrap()
}

fn broken_at(report: &ChainReport) -> Option<i64> {
    match report {
        ChainReport::Broken { id, .. } => Some(*id),
        ChainReport::Intact { .. } => None,
    }
}

/// The statements that switch the append-only triggers off, as the database's owner can.
fn triggers_off(db: &TestDb) -> &'static str {
    match db.backend() {
        "sqlite" => {
            "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; \
             DROP TRIGGER audit_log_in_chain;"
        }
        _ => "ALTER TABLE audit_log DISABLE TRIGGER USER;",
    }
}

#[tokio::test]
async fn a_chain_written_by_two_instances_at_once_verifies() {
    for db in TestDb::each_backend().await {
        let second = db.second_instance().await;
        let mut tasks = Vec::new();
        for n in 0..40 {
            let store = if n % 2 == 0 { db.store.clone() } else { second.clone() };
            tasks.push(tokio::spawn(async move { store.record_access(&entry(n)).await }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        match verify(&db.store).await {
            ChainReport::Intact { rows, head, .. } => {
                assert_eq!(rows, 40, "{}", db.backend());
                assert_eq!(head.len(), 64);
            }
            broken => panic!("{}: {broken:?}", db.backend()),
        }
    }
}

#[tokio::test]
async fn a_changed_row_breaks_the_chain_at_that_row() {
    for db in audited(6).await {
        let ChainReport::Intact { first_id, .. } = verify(&db.store).await else { panic!() };
        let target = first_id + 2;
        let change = format!("UPDATE audit_log SET ip = '6.6.6.6' WHERE id = {target}");
        assert!(db.raw_sql(&change).await.is_err(), "{}: the trigger refuses", db.backend());
        db.raw_sql(&format!("{} {change}", triggers_off(&db))).await.unwrap();
        assert_eq!(broken_at(&verify(&db.store).await), Some(target), "{}", db.backend());
    }
}

#[tokio::test]
async fn a_deleted_row_breaks_the_chain_where_it_was() {
    for db in audited(6).await {
        let ChainReport::Intact { first_id, .. } = verify(&db.store).await else { panic!() };
        let target = first_id + 3;
        let delete = format!("DELETE FROM audit_log WHERE id = {target}");
        assert!(db.raw_sql(&delete).await.is_err(), "{}: the trigger refuses", db.backend());
        db.raw_sql(&format!("{} {delete}", triggers_off(&db))).await.unwrap();
        assert_eq!(broken_at(&verify(&db.store).await), Some(target), "{}", db.backend());
    }
}

#[tokio::test]
async fn an_inserted_row_breaks_the_chain() {
    for db in audited(4).await {
        let ChainReport::Intact { first_id, .. } = verify(&db.store).await else { panic!() };
        let next = first_id + 4;
        let insert = format!(
            "INSERT INTO audit_log (id, at, actor_kind, action, object_kind, details, prev_hash, \
             hash) VALUES ({next}, {NOW}, 'system', 'patient.view', 'patient', '{{}}', 'x', 'y')"
        );
        assert!(db.raw_sql(&insert).await.is_err(), "{}: the trigger refuses", db.backend());
        db.raw_sql(&format!("{} {insert}", triggers_off(&db))).await.unwrap();
        assert!(broken_at(&verify(&db.store).await).is_some(), "{}", db.backend());
    }
}

#[tokio::test]
async fn the_log_refuses_replace_and_truncate() {
    for db in audited(3).await {
        let ChainReport::Intact { first_id, .. } = verify(&db.store).await else { panic!() };
        let refused = match db.backend() {
            "sqlite" => {
                db.raw_sql(&format!(
                    "INSERT OR REPLACE INTO audit_log (id, at, actor_kind, action, object_kind, \
                     details, prev_hash, hash) VALUES ({first_id}, 0, 'system', 'patient.view', \
                     'patient', '{{}}', '', 'z')"
                ))
                .await
            }
            _ => db.raw_sql("TRUNCATE audit_log").await,
        };
        assert!(refused.is_err(), "{}", db.backend());
        assert!(matches!(verify(&db.store).await, ChainReport::Intact { rows: 3, .. }));
    }
}

#[tokio::test]
async fn a_failed_change_leaves_the_chain_whole() {
    for db in audited(2).await {
        // A booking for a patient and a specialist that do not exist fails in its transaction.
        let booking = kabinet_store::visits::NewVisit {
            patient_id: 999_999,
            specialist_id: 999_999,
            starts_at: NOW,
            ends_at: NOW + 1800,
            code: "NOPE".into(),
            price: None,
            source: kabinet_core::visit::VisitSource::Cabinet,
            max_active: 5,
            actor: Actor::System,
            notice: None,
            origin: Origin::default(),
            now: NOW,
        };
        let failed = db.store.book_visit(&booking).await;
        assert!(matches!(
            failed,
            Err(kabinet_store::booking::BookingError::Store(StoreError::Database(_)))
        ));
        db.store.record_access(&entry(3)).await.unwrap();
        assert!(
            matches!(verify(&db.store).await, ChainReport::Intact { rows: 3, .. }),
            "{}",
            db.backend()
        );
    }
}

#[tokio::test]
async fn the_application_role_on_postgresql_can_only_add_to_the_audit_log() {
    let Some(db) = TestDb::postgres().await else { return };
    db.store.record_access(&entry(1)).await.unwrap();
    let role = format!("kabinet_app_{}", std::process::id());
    db.store.grant_app_role(&role, None).await.unwrap();
    db.store.grant_app_role(&role, Some("it's secret")).await.unwrap();
    let (app, mut connection) = db.postgres_as(&role).await.unwrap();
    app.record_access(&entry(2)).await.unwrap();
    for statement in
        ["UPDATE audit_log SET ip = NULL", "DELETE FROM audit_log", "TRUNCATE audit_log"]
    {
        let refused = sqlx::raw_sql(statement).execute(&mut connection).await.unwrap_err();
        assert!(refused.to_string().contains("permission denied"), "{statement}: {refused}");
    }
    assert!(matches!(app.verify_audit_chain().await.unwrap(), ChainReport::Intact { rows: 2, .. }));
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP OWNED BY {role}; DROP ROLE {role}")))
        .execute(
            &mut sqlx::PgConnection::connect(&std::env::var("KABINET_TEST_POSTGRES_URL").unwrap())
                .await
                .unwrap(),
        )
        .await
        .ok();
    assert!(db.store.grant_app_role("Robert'); DROP TABLE x; --", None).await.is_err());
}

//! Backups of the embedded database (O4): a copy taken while bookings pour in holds every
//! booking acknowledged before it began and a verifying audit chain, and restores into a new
//! folder; a restore refuses a corrupt copy, the database itself, and a database a portal
//! runs on. PostgreSQL is pointed to `pg_dump`.

#![expect(clippy::unwrap_used, reason = "helpers of tests fail loudly, as tests do")]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use kabinet_core::ManualClock;
use kabinet_core::lang::Lang;
use kabinet_core::patient::PatientInput;
use kabinet_service::booking::OneTimeRequest;
use kabinet_service::{Kabinet, Settings};
use kabinet_store::audit::ChainReport;
use kabinet_store::backup::{DatabaseLock, RestoreError, restore_sqlite};
use kabinet_store::{PoolSize, Store, StoreError};
use kabinet_testkit::TestDb;

/// Monday 2026-11-23, 09:00 Moscow.
const MONDAY_9AM: &str = "2026-11-23T06:00:00Z";

fn clinic(db: &TestDb) -> Kabinet {
    let clock = Arc::new(ManualClock::new(MONDAY_9AM.parse::<Timestamp>().unwrap()));
    // No per-address limit: the load comes from one test.
    let settings = Settings { booking_rate_limit: 0, ..Settings::default() };
    Kabinet::new(db.store.clone(), clock, settings)
}

fn scratch_dir(name: &str) -> PathBuf {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let dir = std::env::temp_dir().join(format!("kabinet-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Books `count` one-time visits with `specialist`, one after another, each with its own
/// phone; every acknowledged booking is noted with the moment it was acknowledged.
async fn book_many(
    kabinet: Kabinet,
    specialist: i64,
    task: usize,
    count: usize,
    acknowledged: Arc<Mutex<Vec<(i64, Instant)>>>,
) {
    for n in 0..count {
        let slot = kabinet.nearest_free_slot(specialist).await.unwrap().unwrap();
        let booked = kabinet
            .book_one_time(OneTimeRequest {
                specialist_id: specialist,
                service_id: None,
                discount_code: None,
                start: slot.start.as_second().to_string(),
                patient: PatientInput {
                    last_name: "Нагрузкина".into(),
                    first_name: "Вера".into(),
                    middle_name: None,
                    birth_date: "1990-01-01".into(),
                    phone: format!("+7 901 {task:03}-{n:02}-{n:02}"),
                    email: None,
                    postal_address: None,
                },
                consent_personal_data: true,
                consent_health_data: true,
                ..OneTimeRequest::default()
            })
            .await
            .unwrap();
        acknowledged.lock().unwrap().push((booked.visit.id, Instant::now()));
    }
}

#[tokio::test]
async fn a_backup_under_load_restores_every_booking_acknowledged_before_it() {
    let db = TestDb::sqlite().await;
    let kabinet = clinic(&db);
    kabinet.load_demo().await.unwrap();
    let cards = kabinet.all_specialists(Lang::Ru).await.unwrap();
    let open: Vec<i64> =
        cards.iter().filter(|c| c.specialist.online_booking).map(|c| c.specialist.id).collect();

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (0..4)
        .map(|task| {
            tokio::spawn(book_many(kabinet.clone(), open[task], task, 15, acknowledged.clone()))
        })
        .collect();
    // The backup starts in the middle of the load.
    while acknowledged.lock().unwrap().len() < 12 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let folder = scratch_dir("backup");
    let backup = folder.join("copy.db");
    let started = Instant::now();
    db.store.backup_into(&backup).await.unwrap();
    let finished = Instant::now();
    for task in tasks {
        task.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let before = acknowledged.iter().filter(|(_, at)| *at < started).count();
    let during_or_after = acknowledged.iter().filter(|(_, at)| *at >= started).count();
    println!(
        "{} bookings: {before} acknowledged before the backup, {during_or_after} during or after; \
         backup took {:?}",
        acknowledged.len(),
        finished - started
    );
    assert_eq!(acknowledged.len(), 60);
    assert!(before >= 12);

    let restored_dir = scratch_dir("restored");
    let database = restored_dir.join("kabinet.db");
    let restored = restore_sqlite(&backup, &database).await.unwrap();
    assert!(restored.previous.is_none());
    assert!(restored.audit_rows > 0);
    let store = Store::connect(&format!("sqlite://{}", database.display()), PoolSize::default())
        .await
        .unwrap();
    for (id, at) in &acknowledged {
        if *at < started {
            assert!(store.visit(*id).await.unwrap().is_some(), "visit {id} lost");
        }
    }
    assert!(matches!(store.verify_audit_chain().await.unwrap(), ChainReport::Intact { .. }));
    store.close().await;
    let _ = std::fs::remove_dir_all(&folder);
    let _ = std::fs::remove_dir_all(&restored_dir);
}

/// The bytes of a file, to see that a refused restore left it alone.
fn bytes_of(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[tokio::test]
async fn a_restore_refuses_a_corrupt_copy_the_database_itself_and_a_running_portal() {
    let db = TestDb::sqlite().await;
    let kabinet = clinic(&db);
    kabinet.load_demo().await.unwrap();
    let database = db.store.sqlite_file().unwrap().to_owned();
    let folder = scratch_dir("refuse");
    let good = folder.join("good.db");
    db.store.backup_into(&good).await.unwrap();

    // A portal runs on the database: it holds the lock, as `kabinet serve` does.
    let lock = DatabaseLock::acquire(&database).unwrap();
    let refused = restore_sqlite(&good, &database).await;
    assert!(matches!(refused, Err(RestoreError::InUse(_))), "{refused:?}");
    drop(lock);

    // The database itself is no copy.
    let refused = restore_sqlite(&database, &database).await;
    assert!(matches!(refused, Err(RestoreError::SameFile(_))), "{refused:?}");

    // Not a database at all, and a database with a page overwritten.
    let garbage = folder.join("garbage.db");
    std::fs::write(&garbage, b"this is not a database, just some bytes".repeat(200)).unwrap();
    let damaged = folder.join("damaged.db");
    let mut copy = bytes_of(&good);
    let page = 4096;
    assert!(copy.len() > 8 * page);
    for byte in &mut copy[3 * page..6 * page] {
        *byte = 0x5a;
    }
    std::fs::write(&damaged, &copy).unwrap();
    let target = scratch_dir("target").join("kabinet.db");
    std::fs::copy(&good, &target).unwrap();
    let untouched = bytes_of(&target);
    for bad in [&garbage, &damaged] {
        let refused = restore_sqlite(bad, &target).await;
        assert!(matches!(refused, Err(RestoreError::BadCopy(_))), "{}: {refused:?}", bad.display());
        assert_eq!(bytes_of(&target), untouched, "the database was touched");
        let mut leftovers: Vec<_> = std::fs::read_dir(target.parent().unwrap())
            .unwrap()
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| !name.ends_with(".lock"))
            .collect();
        leftovers.sort();
        assert_eq!(leftovers, ["kabinet.db"], "a refused restore leaves nothing behind");
    }

    // The good copy restores, and the database it replaces is kept aside.
    let restored = restore_sqlite(&good, &target).await.unwrap();
    let previous = restored.previous.unwrap();
    assert_eq!(bytes_of(&previous), untouched);
    let _ = std::fs::remove_dir_all(&folder);
    let _ = std::fs::remove_dir_all(target.parent().unwrap());
}

/// A copy whose audit chain was rewritten, or that comes from another schema version, is
/// refused, naming why.
#[tokio::test]
async fn a_restore_refuses_a_rewritten_audit_log_and_another_schema_version() {
    let folder = scratch_dir("checks");
    let target = folder.join("portal").join("kabinet.db");
    let cases = [
        (
            "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; \
             DROP TRIGGER audit_log_in_chain; \
             UPDATE audit_log SET ip = '6.6.6.6' WHERE id = (SELECT MAX(id) FROM audit_log)",
            "audit log broken",
        ),
        (
            "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
            "schema version",
        ),
    ];
    for (n, (tampering, reason)) in cases.into_iter().enumerate() {
        let db = TestDb::sqlite().await;
        clinic(&db).load_demo().await.unwrap();
        db.raw_sql(tampering).await.unwrap();
        let copy = folder.join(format!("copy-{n}.db"));
        db.store.backup_into(&copy).await.unwrap();
        match restore_sqlite(&copy, &target).await {
            Err(RestoreError::BadCopy(why)) => assert!(why.contains(reason), "{why}"),
            other => panic!("{reason}: {other:?}"),
        }
        assert!(!target.exists(), "nothing was put in place");
    }
    let _ = std::fs::remove_dir_all(&folder);
}

#[tokio::test]
async fn postgres_is_backed_up_with_pg_dump() {
    let Some(db) = TestDb::postgres().await else { return };
    let folder = scratch_dir("pg");
    let refused = db.store.backup_into(&folder.join("copy.db")).await;
    match refused {
        Err(StoreError::Unsupported(message)) => assert!(message.contains("pg_dump")),
        other => panic!("{other:?}"),
    }
    assert!(db.store.sqlite_file().is_none());
    assert!(kabinet_store::backup::sqlite_file_of("postgres://u@h/db").is_none());
    let _ = std::fs::remove_dir_all(&folder);
}

//! The embedded database's files are private (issue 9, finding 11): a new SQLite database, its
//! write-ahead log and shared-memory file, its folder and its backups are readable by the
//! portal's user only, whatever the umask.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_store::audit::AuditEntry;
use kabinet_store::{PoolSize, Store};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn a_new_sqlite_database_its_journal_files_and_backups_are_private() {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let dir = std::env::temp_dir()
        .join(format!("kabinet-files-{}-{nanos}", std::process::id()))
        .join("data");
    let file = dir.join("kabinet.db");
    let store =
        Store::connect(&format!("sqlite://{}", file.display()), PoolSize::default()).await.unwrap();
    store.migrate().await.unwrap();
    let entry = AuditEntry::new(
        1_795_900_000,
        Actor::Staff(1),
        AuditAction::PatientView,
        ObjectKind::Patient,
        Some(1),
    )
    .origin(&Origin { ip: None, request_id: None });
    store.record_access(&entry).await.unwrap();

    assert_eq!(mode(&dir), 0o700, "the folder");
    for name in ["kabinet.db", "kabinet.db-wal", "kabinet.db-shm"] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    let backup = dir.join("copy.db");
    store.backup_into(&backup).await.unwrap();
    assert_eq!(mode(&backup), 0o600, "a backup");
    store.close().await;
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

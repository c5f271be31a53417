//! Automatic backups of the SQLite database while `serve` runs (O4): one every
//! `KABINET_BACKUP_EVERY_HOURS` into `KABINET_BACKUP_DIR`, named by the time it was taken
//! (`kabinet-20261123T060000Z.db`), the newest `KABINET_BACKUP_KEEP` kept. The first one is
//! due one interval after the newest backup in the folder, so restarts do not skip them.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use kabinet_store::Store;
use tokio::sync::watch;

const PREFIX: &str = "kabinet-";
const SUFFIX: &str = ".db";

/// Where, how often and how many.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The folder.
    pub dir: PathBuf,
    /// Time between backups.
    pub every: Duration,
    /// Backups kept.
    pub keep: usize,
}

/// Takes backups on `schedule` until `stop` changes.
pub async fn run(store: Store, schedule: Schedule, mut stop: watch::Receiver<bool>) {
    loop {
        let wait = match newest(&schedule.dir) {
            Some(taken) => {
                let age = SystemTime::now().duration_since(taken).unwrap_or_default();
                schedule.every.saturating_sub(age)
            }
            None => Duration::ZERO,
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
        match take(&store, &schedule.dir).await {
            Ok(path) => tracing::info!(path = %path.display(), "backup taken"),
            Err(error) => {
                tracing::error!(%error, "backup failed");
                // Try again in a while rather than at once, or never.
                tokio::select! {
                    () = tokio::time::sleep(schedule.every.min(Duration::from_secs(3600))) => {}
                    _ = stop.changed() => return,
                }
                continue;
            }
        }
        match prune(&schedule.dir, schedule.keep) {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "old backups removed"),
            Err(error) => tracing::warn!(%error, "cannot remove old backups"),
        }
    }
}

/// Takes one backup into `dir`, named by the time.
pub async fn take(
    store: &Store,
    dir: &Path,
) -> Result<PathBuf, Box<dyn std::error::Error + Send + Sync>> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let path = dir.join(format!("{PREFIX}{stamp}{SUFFIX}"));
    store.backup_into(&path).await?;
    Ok(path)
}

/// The backups in `dir`, oldest first (their names sort by time).
fn backups(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name().and_then(|n| n.to_str()).is_some_and(|name| {
                name.starts_with(PREFIX) && name.ends_with(SUFFIX) && path.is_file()
            })
        })
        .collect();
    found.sort();
    found
}

/// When the newest backup in `dir` was written.
fn newest(dir: &Path) -> Option<SystemTime> {
    let last = backups(dir).pop()?;
    std::fs::metadata(last).and_then(|m| m.modified()).ok()
}

/// Deletes all but the newest `keep` backups in `dir`; how many it deleted.
pub fn prune(dir: &Path, keep: usize) -> std::io::Result<usize> {
    let found = backups(dir);
    let excess = found.len().saturating_sub(keep);
    for old in &found[..excess] {
        std::fs::remove_file(old)?;
    }
    Ok(excess)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_keeps_the_newest_backups_and_nothing_else_is_touched() {
        let dir = std::env::temp_dir().join(format!("kabinet-prune-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let names = [
            "kabinet-20261120T060000Z.db",
            "kabinet-20261121T060000Z.db",
            "kabinet-20261122T060000Z.db",
            "kabinet-20261123T060000Z.db",
            "notes.txt",
        ];
        for name in names {
            std::fs::write(dir.join(name), b"x").unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(prune(&dir, 2).ok(), Some(2));
        let left: Vec<String> = backups(&dir)
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
            .collect();
        assert_eq!(left, ["kabinet-20261122T060000Z.db", "kabinet-20261123T060000Z.db"]);
        assert!(dir.join("notes.txt").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! What changed since a value was read: every booking, cancellation, move and schedule change
//! counts one change of its specialist's free time, and every change of the catalog (a
//! specialist, a service, a price, a promotion) one change of the catalog; so what the
//! service computes from them (its availability index, its catalog memo) is kept until a
//! change comes. On PostgreSQL, the transaction that makes a change also sends `NOTIFY`, so
//! the other instances on the same database count it too once it commits.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use sqlx::postgres::{PgListener, PgPool};
use tokio::task::AbortHandle;

use crate::Store;

/// The channel the changes of one database are announced on.
pub(crate) const CHANNEL: &str = "kabinet_free_time";
/// The statement that announces a change on [`CHANNEL`] when its transaction commits: a
/// specialist's id, or [`CATALOG`].
pub(crate) const NOTIFY: &str = "SELECT pg_notify('kabinet_free_time', $1)";
/// The announcement of a change of the catalog.
pub(crate) const CATALOG: &str = "catalog";

/// A count of changes: equal counts read at two moments mean nothing changed in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreeTimeVersion(u64);

/// A count of the catalog's changes, as [`FreeTimeVersion`] is of free time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogVersion(u64);

/// The change counts of one store, shared by its clones.
#[derive(Debug, Default)]
pub(crate) struct FreeTimeChanges {
    /// Changes to everyone's free time (a catalog change, a lost notification channel).
    all: AtomicU64,
    /// Changes to the catalog.
    catalog: AtomicU64,
    /// Changes per specialist.
    each: Mutex<HashMap<i64, u64>>,
    /// The task that listens to other instances' changes (PostgreSQL).
    listener: Mutex<Option<AbortHandle>>,
}

impl FreeTimeChanges {
    fn version(&self, specialist_id: i64) -> FreeTimeVersion {
        let each = self.each.lock().unwrap_or_else(PoisonError::into_inner);
        let own = each.get(&specialist_id).copied().unwrap_or(0);
        // Both counts only grow, so their sum changes whenever either does.
        FreeTimeVersion(self.all.load(Ordering::Acquire) + own)
    }

    fn changed(&self, specialist_id: i64) {
        let mut each = self.each.lock().unwrap_or_else(PoisonError::into_inner);
        *each.entry(specialist_id).or_default() += 1;
    }

    /// A change of the catalog, or of anything: it may open or close anyone's booking.
    fn all_changed(&self) {
        self.catalog.fetch_add(1, Ordering::AcqRel);
        self.all.fetch_add(1, Ordering::AcqRel);
    }

    /// Counts the changes other instances announce, until the store closes. A lost
    /// connection may have lost announcements, so it counts as a change of everyone's.
    pub(crate) async fn listen(self: &Arc<Self>, pool: &PgPool) -> crate::Result<()> {
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        let changes = Arc::downgrade(self);
        let task = tokio::spawn(async move {
            loop {
                let received = listener.try_recv().await;
                let Some(changes) = changes.upgrade() else { return };
                match received {
                    Ok(Some(note)) => match note.payload().parse() {
                        Ok(id) => changes.changed(id),
                        // The catalog, or a word this version does not know.
                        Err(_) => changes.all_changed(),
                    },
                    // Reconnected: what was sent meanwhile is lost.
                    Ok(None) => changes.all_changed(),
                    Err(error) => {
                        tracing::warn!(%error, "free time notifications failed; retrying");
                        changes.all_changed();
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        *self.listener.lock().unwrap_or_else(PoisonError::into_inner) = Some(task.abort_handle());
        Ok(())
    }

    pub(crate) fn stop(&self) {
        if let Some(task) = self.listener.lock().unwrap_or_else(PoisonError::into_inner).take() {
            task.abort();
        }
    }
}

impl Store {
    /// How many changes the specialist's free time has seen, as far as this instance knows.
    /// Read it before reading the schedule: a change that commits after the read counts.
    pub fn free_time_version(&self, specialist_id: i64) -> FreeTimeVersion {
        self.free_time.version(specialist_id)
    }

    /// Counts a committed change of these specialists' free time.
    pub(crate) fn free_time_changed(&self, specialist_ids: &[i64]) {
        for &id in specialist_ids {
            self.free_time.changed(id);
        }
    }

    /// How many changes the catalog has seen, as far as this instance knows. Read it before
    /// reading the catalog.
    pub fn catalog_version(&self) -> CatalogVersion {
        CatalogVersion(self.free_time.catalog.load(Ordering::Acquire))
    }

    /// Counts a committed change of the catalog (which may touch anyone's free time).
    pub(crate) fn catalog_changed(&self) {
        self.free_time.all_changed();
    }
}

impl Drop for FreeTimeChanges {
    fn drop(&mut self) {
        self.stop();
    }
}

//! The catalog as bookings and pages read it — a specialist, the services they give, the
//! automatic promotions of a day, the directory's lists — kept between requests until the
//! store counts a change of the catalog (an administrator's edit, an import, a price list
//! taking effect; on PostgreSQL, made by any instance). A booking, the directory and its API
//! read no catalog row from the database while nothing changes.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use kabinet_core::lang::Lang;
use kabinet_store::CatalogVersion;
use kabinet_store::catalog::{Branch, Service, Specialist, SpecialistFilter, Specialty};
use kabinet_store::discounts::Promotion;

use crate::{Error, Kabinet, Result};

/// Values read under one catalog version, by key.
#[derive(Debug)]
struct Memo<K, V> {
    entries: Mutex<HashMap<K, (CatalogVersion, Arc<V>)>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self { entries: Mutex::default() }
    }
}

/// More keys than a clinic's specialists in two languages: past it, stale entries go.
const MAX_ENTRIES: usize = 4096;

impl<K: Hash + Eq + Clone, V> Memo<K, V> {
    /// The value kept for `key` under `version`, else `read` and keep it. `version` must be
    /// read before `read` runs, so a change committed meanwhile makes the entry stale.
    async fn get(
        &self,
        key: K,
        version: CatalogVersion,
        read: impl Future<Output = Result<V>>,
    ) -> Result<Arc<V>> {
        let kept = {
            let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            entries.get(&key).filter(|(v, _)| *v == version).map(|(_, value)| Arc::clone(value))
        };
        if let Some(value) = kept {
            return Ok(value);
        }
        let value = Arc::new(read.await?);
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (v, _)| *v == version);
        }
        entries.insert(key, (version, Arc::clone(&value)));
        Ok(value)
    }
}

/// A directory list's key: its filter (specialty, branch, hidden ones too) and language.
type DirectoryKey = (Option<i64>, Option<i64>, bool, Lang);

/// The kept reads of the catalog.
#[derive(Debug, Default)]
pub(crate) struct CatalogMemo {
    specialists: Memo<(i64, Lang), Option<Specialist>>,
    services: Memo<(i64, Lang), Vec<Service>>,
    promotions: Memo<String, Vec<Promotion>>,
    directory: Memo<DirectoryKey, Vec<Specialist>>,
    specialties_of: Memo<Lang, HashMap<i64, Vec<Specialty>>>,
    branches: Memo<Lang, Vec<Branch>>,
    specialties: Memo<Lang, Vec<Specialty>>,
    lowest_prices: Memo<(), HashMap<i64, i64>>,
    branches_of: Memo<(), HashMap<i64, Vec<i64>>>,
}

impl Kabinet {
    /// A specialist in `lang`; `NotFound` if there is no such specialist.
    pub(crate) async fn catalog_specialist(&self, id: i64, lang: Lang) -> Result<Specialist> {
        let version = self.store.catalog_version();
        let read = async { Ok(self.store.specialist(id, lang).await?) };
        let found = self.catalog_memo.specialists.get((id, lang), version, read).await?;
        found.as_ref().clone().ok_or(Error::NotFound)
    }

    /// Every service the specialist gives, in `lang`, as the store lists them.
    pub(crate) async fn catalog_services(&self, id: i64, lang: Lang) -> Result<Arc<Vec<Service>>> {
        let version = self.store.catalog_version();
        let read = async { Ok(self.store.services_of_specialist(id, lang).await?) };
        self.catalog_memo.services.get((id, lang), version, read).await
    }

    /// The specialists the filter lists, in the directory's order, in `lang`.
    pub(crate) async fn catalog_directory(
        &self,
        filter: SpecialistFilter,
        lang: Lang,
    ) -> Result<Arc<Vec<Specialist>>> {
        let version = self.store.catalog_version();
        let key = (filter.specialty_id, filter.branch_id, filter.with_hidden, lang);
        let read = async { Ok(self.store.list_specialists(filter, lang).await?) };
        self.catalog_memo.directory.get(key, version, read).await
    }

    /// Each specialist's specialties, in `lang`.
    pub(crate) async fn specialties_of(
        &self,
        lang: Lang,
    ) -> Result<Arc<HashMap<i64, Vec<Specialty>>>> {
        let version = self.store.catalog_version();
        let read = async {
            let mut of: HashMap<i64, Vec<Specialty>> = HashMap::new();
            for (who, specialty) in self.store.specialist_specialties(lang).await? {
                of.entry(who).or_default().push(specialty);
            }
            Ok(of)
        };
        self.catalog_memo.specialties_of.get(lang, version, read).await
    }

    /// The branches, in `lang`.
    pub(crate) async fn catalog_branches(&self, lang: Lang) -> Result<Arc<Vec<Branch>>> {
        let version = self.store.catalog_version();
        let read = async { Ok(self.store.list_branches(lang).await?) };
        self.catalog_memo.branches.get(lang, version, read).await
    }

    /// The specialties that have specialists, in `lang`.
    pub(crate) async fn catalog_specialties(&self, lang: Lang) -> Result<Arc<Vec<Specialty>>> {
        let version = self.store.catalog_version();
        let read = async { Ok(self.store.list_specialties(lang).await?) };
        self.catalog_memo.specialties.get(lang, version, read).await
    }

    /// Each specialist's lowest consultation price, kopecks.
    pub(crate) async fn lowest_prices(&self) -> Result<Arc<HashMap<i64, i64>>> {
        let version = self.store.catalog_version();
        let read =
            async { Ok(self.store.lowest_consultation_prices().await?.into_iter().collect()) };
        self.catalog_memo.lowest_prices.get((), version, read).await
    }

    /// The branches each specialist works at.
    pub(crate) async fn branches_of(&self) -> Result<Arc<HashMap<i64, Vec<i64>>>> {
        let version = self.store.catalog_version();
        let read = async {
            let mut of: HashMap<i64, Vec<i64>> = HashMap::new();
            for (who, branch) in self.store.specialist_branches().await? {
                of.entry(who).or_default().push(branch);
            }
            Ok(of)
        };
        self.catalog_memo.branches_of.get((), version, read).await
    }

    /// The promotions that apply without a code on `day` (`YYYY-MM-DD`).
    pub(crate) async fn automatic_promotions(&self, day: &str) -> Result<Arc<Vec<Promotion>>> {
        let version = self.store.catalog_version();
        let read = async { Ok(self.store.automatic_promotions(day).await?) };
        self.catalog_memo.promotions.get(day.to_owned(), version, read).await
    }
}

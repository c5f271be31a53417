//! Visit statistics (O3, P3.3–3.4). A page view of a visitor who allowed statistics cookies
//! is put in a bounded buffer in memory (never a write in the request's path); the worker
//! writes the buffer in one transaction every few seconds and deletes rows older than the
//! retention period. The administrator reads aggregates only: addresses truncated to their
//! network, browsers as families.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use kabinet_core::roles::Action;
use kabinet_core::statistics::{browser_family, truncate_ip};
use kabinet_store::statistics::PageView;

use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// Page views waiting for the worker; more than this many are dropped (statistics may lose
/// a burst, requests never wait for them).
const BUFFER_CAP: usize = 10_000;
/// The most rows one report reads.
const REPORT_ROWS: i64 = 500_000;
/// The most rows each top list shows.
const TOP: usize = 20;

/// Page views waiting to be written.
#[derive(Debug, Default)]
pub struct ViewBuffer(Mutex<Vec<PageView>>);

impl ViewBuffer {
    fn push(&self, view: PageView) {
        if let Ok(mut views) = self.0.lock()
            && views.len() < BUFFER_CAP
        {
            views.push(view);
        }
    }

    fn take(&self) -> Vec<PageView> {
        self.0.lock().map(|mut views| std::mem::take(&mut *views)).unwrap_or_default()
    }
}

/// One day of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayViews {
    /// The day, in the clinic's zone.
    pub day: Date,
    /// Page views.
    pub views: u64,
    /// Distinct networks (IPv4 /24, IPv6 /48) seen.
    pub networks: u64,
}

/// The aggregates of a period.
#[derive(Debug, Clone, Default)]
pub struct VisitStatistics {
    /// The first and last day, in the clinic's zone.
    pub from: Option<Date>,
    /// The last day.
    pub to: Option<Date>,
    /// Every page view of the period.
    pub total: u64,
    /// Per day, oldest first.
    pub days: Vec<DayViews>,
    /// The most viewed paths, with their counts.
    pub pages: Vec<(String, u64)>,
    /// Where visitors came from (origin and path), with counts.
    pub referrers: Vec<(String, u64)>,
    /// Browser families, with counts.
    pub browsers: Vec<(&'static str, u64)>,
    /// Networks (truncated addresses), with counts.
    pub networks: Vec<(String, u64)>,
    /// Answers with an error: path, status, count.
    pub errors: Vec<(String, i32, u64)>,
}

fn top<K: Ord + Clone>(counts: HashMap<K, u64>) -> Vec<(K, u64)> {
    let mut list: Vec<(K, u64)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(TOP);
    list
}

impl Kabinet {
    /// Notes a page view for the statistics; the caller checked the visitor's consent.
    /// Never waits: the worker writes it.
    pub fn note_page_view(&self, view: PageView) {
        self.page_views.push(view);
    }

    /// Writes the page views noted since the last pass (the worker, every few seconds) and
    /// deletes those older than the retention period; returns how many were written.
    pub async fn flush_statistics(&self) -> Result<usize> {
        let views = self.page_views.take();
        self.store.record_page_views(&views).await?;
        let days = i64::from(self.settings.statistics_retention_days);
        let before = self.now().as_second() - days * 86_400;
        self.store.purge_page_views(before).await?;
        Ok(views.len())
    }

    /// The aggregates of `from..=to` (days in the clinic's zone) for the administrator.
    pub async fn visit_statistics(
        &self,
        staff: &StaffUser,
        from: Date,
        to: Date,
    ) -> Result<VisitStatistics> {
        staff.require(Action::ReadStatistics)?;
        if from > to {
            return Err(Error::NotFound);
        }
        let tz = &self.settings.time_zone;
        let start = from.to_zoned(tz.clone()).map_err(|e| Error::Internal(e.to_string()))?;
        let end = to
            .checked_add(1.day())
            .and_then(|d| d.to_zoned(tz.clone()))
            .map_err(|e| Error::Internal(e.to_string()))?;
        let rows = self
            .store
            .page_views(start.timestamp().as_second(), end.timestamp().as_second(), REPORT_ROWS)
            .await?;
        let mut stats = VisitStatistics { from: Some(from), to: Some(to), ..Default::default() };
        let mut days: BTreeMap<Date, (u64, HashSet<String>)> = BTreeMap::new();
        let (mut pages, mut referrers, mut networks) =
            (HashMap::new(), HashMap::new(), HashMap::new());
        let mut browsers: HashMap<&'static str, u64> = HashMap::new();
        let mut errors: HashMap<(String, i32), u64> = HashMap::new();
        for (at, path, status, referrer, ip, user_agent) in rows {
            stats.total += 1;
            let day = Timestamp::from_second(at).map(|t| t.to_zoned(tz.clone()).date());
            let network = ip.as_deref().and_then(truncate_ip);
            if let Ok(day) = day {
                let entry = days.entry(day).or_default();
                entry.0 += 1;
                if let Some(n) = &network {
                    entry.1.insert(n.clone());
                }
            }
            if let Some(n) = network {
                *networks.entry(n).or_insert(0) += 1;
            }
            if let Some(r) = referrer {
                *referrers.entry(r).or_insert(0) += 1;
            }
            *browsers.entry(browser_family(user_agent.as_deref().unwrap_or(""))).or_insert(0) += 1;
            if status >= 400 {
                *errors.entry((path.clone(), status)).or_insert(0) += 1;
            }
            *pages.entry(path).or_insert(0) += 1;
        }
        stats.days = days
            .into_iter()
            .map(|(day, (views, nets))| DayViews { day, views, networks: nets.len() as u64 })
            .collect();
        stats.pages = top(pages);
        stats.referrers = top(referrers);
        stats.browsers = top(browsers);
        stats.networks = top(networks);
        stats.errors = top(errors).into_iter().map(|((p, s), n)| (p, s, n)).collect();
        Ok(stats)
    }
}

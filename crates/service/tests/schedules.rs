//! Schedules that roll (C2, B4), on every backend: the demo clinic's weekly templates run until
//! further notice, so its specialists stay bookable however long after loading one looks.

#![expect(clippy::unwrap_used, reason = "helpers of tests fail loudly, as tests do")]

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use kabinet_core::ManualClock;
use kabinet_core::lang::Lang;
use kabinet_service::{Kabinet, Settings};
use kabinet_testkit::TestDb;

const MONDAY_9AM: &str = "2026-11-23T06:00:00Z";

/// The specialists open for online booking who have no free time in the horizon at the
/// clock's present, by name.
async fn without_free_time(k: &Kabinet) -> Vec<String> {
    let mut missing = Vec::new();
    for card in k.all_specialists(Lang::Ru).await.unwrap() {
        let s = &card.specialist;
        if s.online_booking && k.nearest_free_slot(s.id).await.unwrap().is_none() {
            missing.push(s.full_name());
        }
    }
    missing
}

#[tokio::test]
async fn the_demo_specialists_stay_bookable_ten_weeks_and_two_years_after_loading() {
    for db in TestDb::each_backend().await {
        let clock = Arc::new(ManualClock::new(MONDAY_9AM.parse::<Timestamp>().unwrap()));
        let k = Kabinet::new(db.store.clone(), clock.clone(), Settings::default());
        k.load_demo().await.unwrap();
        let open = k.all_specialists(Lang::Ru).await.unwrap();
        assert!(open.iter().filter(|c| c.specialist.online_booking).count() > 10);
        assert_eq!(without_free_time(&k).await, Vec::<String>::new(), "on the day of loading");

        clock.advance(SignedDuration::from_hours(10 * 7 * 24));
        assert_eq!(without_free_time(&k).await, Vec::<String>::new(), "ten weeks later");

        clock.advance(SignedDuration::from_hours(2 * 365 * 24));
        assert_eq!(without_free_time(&k).await, Vec::<String>::new(), "two years later");
        // The horizon's last week has free time too, not only its first days.
        let (from, until) =
            (k.today() + jiff::ToSpan::days(21), k.today() + jiff::ToSpan::days(28));
        for card in open.iter().filter(|c| c.specialist.online_booking) {
            let id = card.specialist.id;
            assert!(!k.free_slots(id, from, until).await.unwrap().is_empty(), "{id} at the edge");
        }
    }
}

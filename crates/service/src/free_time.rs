//! The availability index (C6): each specialist's free slots over the booking horizon,
//! computed from their schedule once and kept until the store counts a change of it — a
//! booking, a cancellation, a move or a schedule change, made here or, on PostgreSQL, by
//! another instance. The week of slots, the nearest free time and the directory's "free on"
//! filter and sort read it instead of the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use jiff::Timestamp;
use jiff::ToSpan;
use jiff::civil::Date;
use kabinet_core::schedule::{BookingWindow, Slot, free_slots, working_slots};
use kabinet_store::FreeTimeVersion;

use crate::{Kabinet, Result};

/// The free time of every specialist asked about so far.
#[derive(Debug, Default)]
pub(crate) struct FreeTimeIndex {
    entries: Mutex<HashMap<i64, Arc<FreeTime>>>,
}

/// One specialist's free slots on the days `from..=until`.
#[derive(Debug)]
pub(crate) struct FreeTime {
    /// The store's count of changes when the schedule was read.
    version: FreeTimeVersion,
    from: Date,
    until: Date,
    /// In order; not cut to the minimum lead time, which moves with the clock.
    slots: Vec<Slot>,
}

impl FreeTime {
    /// The free slots that start in `[start, end)` and not before `earliest`.
    pub(crate) fn between(&self, earliest: Timestamp, start: Timestamp, end: Timestamp) -> &[Slot] {
        let start = start.max(earliest);
        let first = self.slots.partition_point(|s| s.start < start);
        let last = self.slots.partition_point(|s| s.start < end).max(first);
        &self.slots[first..last]
    }

    /// The first free slot not before `earliest`.
    pub(crate) fn first_from(&self, earliest: Timestamp) -> Option<Slot> {
        self.between(earliest, earliest, Timestamp::MAX).first().copied()
    }
}

impl FreeTimeIndex {
    fn get(&self, specialist_id: i64) -> Option<Arc<FreeTime>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.get(&specialist_id).cloned()
    }

    fn put(&self, specialist_id: i64, free: Arc<FreeTime>) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.insert(specialist_id, free);
    }
}

impl Kabinet {
    /// The specialist's free time as kept, if nothing changed it since and it covers today's
    /// booking horizon; `None` rather than a read.
    pub(crate) fn kept_free_time(&self, specialist_id: i64) -> Option<Arc<FreeTime>> {
        let window = self.window();
        let first_day = window.first_day(&self.settings.time_zone);
        let version = self.store.free_time_version(specialist_id);
        self.free_time_index.get(specialist_id).filter(|free| {
            free.version == version && free.from <= first_day && window.last_day <= free.until
        })
    }

    /// The specialist's free time over today's booking horizon: from the index while nothing
    /// changed it and the horizon it covers still holds today's, else read and kept. No
    /// slots when online booking is closed; `NotFound` for an unknown specialist.
    pub(crate) async fn free_time(&self, specialist_id: i64) -> Result<Arc<FreeTime>> {
        // Read before the schedule, so a change committed meanwhile makes the entry stale.
        let version = self.store.free_time_version(specialist_id);
        if let Some(free) = self.kept_free_time(specialist_id) {
            return Ok(free);
        }
        let window = self.window();
        let first_day = window.first_day(&self.settings.time_zone);
        let (from, until) = (first_day, window.last_day);
        let schedule = self.schedule(specialist_id, from, until).await?;
        let slots = if schedule.online_booking {
            let tz = &self.settings.time_zone;
            let whole_days = BookingWindow { earliest: self.day_start(from), last_day: until };
            let working = working_slots(&schedule.rules, &schedule.exceptions, from, until, tz);
            free_slots(working, &schedule.booked, &whole_days)
        } else {
            Vec::new()
        };
        let free = Arc::new(FreeTime { version, from, until, slots });
        self.free_time_index.put(specialist_id, Arc::clone(&free));
        Ok(free)
    }

    /// Whether the specialist has a free slot on `day` that can still be booked.
    pub async fn free_on(&self, specialist_id: i64, day: Date) -> Result<bool> {
        let earliest = self.window().earliest;
        let (start, end) = self.day_bounds(day);
        let free = self.free_time(specialist_id).await?;
        Ok(!free.between(earliest, start, end).is_empty())
    }

    /// The instants `day` starts and the next day starts, in the clinic's zone.
    pub(crate) fn day_bounds(&self, day: Date) -> (Timestamp, Timestamp) {
        let next = day.checked_add(1.day()).unwrap_or(day);
        (self.day_start(day), self.day_start(next))
    }
}

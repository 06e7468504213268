//! RBM capability answers per number, kept for a while: a campaign sends to each number once, but retries,
//! follow-ups and fallbacks ask again, and each question costs a round trip and quota. A "not capable" (404) is
//! kept too, so that a number without RCS falls back at once. Bounded: past the size, the oldest answers go.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Mutex, MutexGuard},
    time::{Duration, Instant},
};

/// Capability answers by number, each kept for `ttl`.
#[derive(Debug)]
pub struct CapabilityCache {
    ttl: Duration,
    max_entries: usize,
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// Number → (when answered, capable).
    answers: HashMap<String, (Instant, bool)>,
    /// Numbers in the order they were answered; with one ttl for all, also the order they expire in.
    order: VecDeque<(String, Instant)>,
}

impl CapabilityCache {
    /// A cache keeping answers for `ttl` (zero keeps none), at most `max_entries` of them.
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        Self {
            ttl,
            max_entries,
            entries: Mutex::default(),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Entries> {
        // A poisoned lock only means a sender panicked; the cache is still consistent.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer for `msisdn` still fresh at `now`: whether it can receive RCS.
    pub fn get(&self, msisdn: &str, now: Instant) -> Option<bool> {
        let entries = self.entries();
        let (answered, capable) = entries.answers.get(msisdn)?;
        (now.saturating_duration_since(*answered) < self.ttl).then_some(*capable)
    }

    /// Keeps RBM's answer for `msisdn`, given at `now`.
    pub fn insert(&self, msisdn: &str, capable: bool, now: Instant) {
        if self.ttl.is_zero() || self.max_entries == 0 {
            return;
        }
        let mut entries = self.entries();
        let Entries { answers, order } = &mut *entries;
        // Drop what expired, then the oldest while full.
        while let Some((number, answered)) = order.front() {
            let expired = now.saturating_duration_since(*answered) >= self.ttl;
            if !expired && answers.len() < self.max_entries {
                break;
            }
            // A number answered again since has a newer entry in the map: leave that one.
            if answers.get(number).is_some_and(|(at, _)| at == answered) {
                answers.remove(number);
            }
            order.pop_front();
        }
        if answers.insert(msisdn.to_owned(), (now, capable)).is_some() {
            // Re-answered before expiry (concurrent sends): its older place in the order no longer counts.
            order.retain(|(number, _)| number != msisdn);
        }
        order.push_back((msisdn.to_owned(), now));
    }

    /// How many answers are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries().answers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_for_the_ttl_both_capable_and_not() {
        let cache = CapabilityCache::new(Duration::from_secs(600), 10);
        let start = Instant::now();
        cache.insert("+1", true, start);
        cache.insert("+2", false, start);
        let later = start + Duration::from_secs(599);
        assert_eq!(cache.get("+1", later), Some(true));
        assert_eq!(cache.get("+2", later), Some(false));
        assert_eq!(cache.get("+3", later), None);
        let expired = start + Duration::from_secs(600);
        assert_eq!(cache.get("+1", expired), None);
        cache.insert("+1", false, expired);
        assert_eq!(cache.get("+1", expired), Some(false));
        assert_eq!(
            cache.len(),
            1,
            "the expired +2 went when +1 was answered again"
        );
    }

    #[test]
    fn past_its_size_the_oldest_answers_go() {
        let cache = CapabilityCache::new(Duration::from_secs(600), 2);
        let start = Instant::now();
        for (i, number) in ["+1", "+2", "+3"].into_iter().enumerate() {
            cache.insert(number, true, start + Duration::from_secs(i as u64));
        }
        let now = start + Duration::from_secs(5);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get("+1", now), None);
        assert_eq!(cache.get("+2", now), Some(true));
        assert_eq!(cache.get("+3", now), Some(true));
    }

    #[test]
    fn a_zero_ttl_keeps_nothing() {
        let cache = CapabilityCache::new(Duration::ZERO, 10);
        let now = Instant::now();
        cache.insert("+1", true, now);
        assert_eq!(cache.get("+1", now), None);
        assert_eq!(cache.len(), 0);
    }
}

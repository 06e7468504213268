//! Quiet hours for the worker: the compliance rule, with time zones parsed once.

use canvass_campaigns::compliance::{SendWindow, next_allowed};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::collections::HashMap;
use std::sync::Mutex;

/// The zone assumed for a recipient whose zone is unknown: the continental US's latest, so that "8am" has come
/// everywhere (Pacific). The earliest end is Eastern's; [`Hours::next_allowed`] checks both ends.
const UNKNOWN_ZONES: [&str; 2] = ["America/Los_Angeles", "America/New_York"];

/// Parsed time zones, by name.
#[derive(Debug, Default)]
pub struct Hours {
    zones: Mutex<HashMap<String, Option<TimeZone>>>,
}

impl Hours {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// When a message to a recipient in `zone`/`state` may go, at or after `now`: `now` inside the window.
    /// An unknown or unparseable zone must satisfy both coasts. `None`: no lawful window within a week.
    pub fn next_allowed(
        &self,
        now: Timestamp,
        zone: Option<&str>,
        state: Option<&str>,
        window: Option<SendWindow>,
    ) -> Option<Timestamp> {
        if let Some(tz) = zone.and_then(|z| self.zone(z)) {
            return next_allowed(now, &tz, state, window);
        }
        // Without a zone, a time is lawful only when it is lawful on both coasts: iterate to a common instant.
        let mut at = now;
        for _ in 0..16 {
            let mut latest = at;
            for name in UNKNOWN_ZONES {
                let tz = self.zone(name)?;
                latest = latest.max(next_allowed(at, &tz, state, window)?);
            }
            if latest == at {
                return Some(at);
            }
            at = latest;
        }
        None
    }

    fn zone(&self, name: &str) -> Option<TimeZone> {
        let mut zones = self.zones.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tz) = zones.get(name) {
            return tz.clone();
        }
        let tz = TimeZone::get(name).ok();
        zones.insert(name.to_owned(), tz.clone());
        tz
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn known_zone_follows_the_rule() {
        let hours = Hours::new();
        // 07:00 in New York on a Wednesday: the window opens at 08:00 local (13:00 UTC in November).
        let next = hours
            .next_allowed(
                ts("2026-11-25T12:00:00Z"),
                Some("America/New_York"),
                None,
                None,
            )
            .expect("a window");
        assert_eq!(next, ts("2026-11-25T13:00:00Z"));
    }

    #[test]
    fn unknown_zone_waits_for_the_west_and_stops_for_the_east() {
        let hours = Hours::new();
        // 14:00 UTC: 09:00 in New York but 06:00 in Los Angeles, so wait until 08:00 Pacific (16:00 UTC).
        let next = hours
            .next_allowed(ts("2026-11-25T14:00:00Z"), None, None, None)
            .expect("a window");
        assert_eq!(next, ts("2026-11-25T16:00:00Z"));
        // 02:30 UTC: 18:30 in LA but 21:30 in New York, past the federal end: the next common start.
        let next = hours
            .next_allowed(ts("2026-11-26T02:30:00Z"), Some("Not/AZone"), None, None)
            .expect("a window");
        assert_eq!(next, ts("2026-11-26T16:00:00Z"));
    }
}

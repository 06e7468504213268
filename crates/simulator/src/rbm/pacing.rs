//! Carrier-side pacing for the RBM endpoint and the Twilio-shaped upstream: `SimConfig::throttle_every` answers
//! every Nth submit 429, and `SimConfig::rate_limit` answers 429 to an account's (or agent's) submits past that
//! many in a one-second window, as the real APIs do when a quota runs out.

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use crate::SimConfig;

/// The rate limit's window.
const WINDOW: Duration = Duration::from_secs(1);

/// Past this many accounts, windows that ended are forgotten.
const TRACKED_ACCOUNTS: usize = 10_000;

/// Submit counters.
#[derive(Debug)]
pub struct Pacing {
    every: u64,
    per_second: u32,
    submits: AtomicU64,
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    admitted: u32,
}

impl Pacing {
    pub fn new(config: &SimConfig) -> Self {
        Self {
            every: u64::from(config.throttle_every),
            per_second: config.rate_limit,
            submits: AtomicU64::new(0),
            windows: Mutex::default(),
        }
    }

    /// Whether a submit from `account` arriving at `now` is refused with 429.
    pub fn throttle(&self, account: &str, now: Instant) -> bool {
        let count = self.submits.fetch_add(1, Ordering::Relaxed) + 1;
        if self.every > 0 && count.is_multiple_of(self.every) {
            return true;
        }
        self.over_rate(account, now)
    }

    /// Counts the submit in `account`'s window; true when the window is full (a refused submit is not counted).
    fn over_rate(&self, account: &str, now: Instant) -> bool {
        if self.per_second == 0 {
            return false;
        }
        // A poisoned lock only means a handler panicked; the counters are still usable for a simulator.
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() >= TRACKED_ACCOUNTS && !windows.contains_key(account) {
            windows.retain(|_, w| now.saturating_duration_since(w.started) < WINDOW);
        }
        let window = windows.entry(account.to_owned()).or_insert(Window {
            started: now,
            admitted: 0,
        });
        if now.saturating_duration_since(window.started) >= WINDOW {
            *window = Window {
                started: now,
                admitted: 0,
            };
        }
        if window.admitted >= self.per_second {
            return true;
        }
        window.admitted += 1;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacing(throttle_every: u32, rate_limit: u32) -> Pacing {
        Pacing::new(&SimConfig {
            throttle_every,
            rate_limit,
            ..SimConfig::ephemeral()
        })
    }

    #[test]
    fn every_nth_submit_is_throttled_whatever_the_account() {
        let pacing = pacing(3, 0);
        let now = Instant::now();
        let throttled: Vec<bool> = ["a", "b", "a", "b", "a", "b"]
            .into_iter()
            .map(|account| pacing.throttle(account, now))
            .collect();
        assert_eq!(throttled, [false, false, true, false, false, true]);
    }

    #[test]
    fn an_account_past_its_rate_waits_for_the_next_window() {
        let pacing = pacing(0, 2);
        let start = Instant::now();
        let within = start + Duration::from_millis(999);
        assert!(!pacing.throttle("a", start));
        assert!(!pacing.throttle("a", within));
        assert!(pacing.throttle("a", within), "third in the window");
        assert!(!pacing.throttle("b", within), "each account has its own");
        let next = start + WINDOW;
        assert!(!pacing.throttle("a", next));
        assert!(!pacing.throttle("a", next));
        assert!(pacing.throttle("a", next));
    }

    #[test]
    fn no_settings_throttle_nothing() {
        let pacing = pacing(0, 0);
        let now = Instant::now();
        assert!((0..100).all(|_| !pacing.throttle("a", now)));
    }
}

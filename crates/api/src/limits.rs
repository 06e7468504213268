//! Per-credential request limits: a token bucket for each account token or API key, refilled continuously.
//! A caller over its limit gets 429 (Twilio's 20429) with `Retry-After`. The buckets live in each node's
//! memory, so N API nodes allow N times the rate; the limit is a guard against runaway clients, not billing.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Buckets at most; past it the least recently used half is forgotten.
const CAPACITY: usize = 100_000;

/// Requests per second and burst for every credential.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Sustained requests per second.
    pub per_second: f64,
    /// Requests that may come at once.
    pub burst: f64,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            per_second: 1_000.0,
            burst: 2_000.0,
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets.
pub struct Limiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limiter {
    /// Buckets under `limit`.
    pub fn new(limit: RateLimit) -> Self {
        Limiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `who`'s bucket at `now`; `Err(seconds)` to wait when it is empty.
    pub fn take(&self, who: &str, now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= CAPACITY && !buckets.contains_key(who) {
            let mut ages: Vec<Instant> = buckets.values().map(|b| b.at).collect();
            ages.sort_unstable();
            let cutoff = ages[ages.len() / 2];
            buckets.retain(|_, b| b.at > cutoff);
        }
        let bucket = buckets.entry(who.to_owned()).or_insert(Bucket {
            tokens: self.limit.burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.limit.per_second).min(self.limit.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.limit.per_second;
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_passes_then_the_rate_holds_per_caller() {
        let limiter = Limiter::new(RateLimit {
            per_second: 2.0,
            burst: 3.0,
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take("SKa", t0), Ok(()));
        }
        assert_eq!(limiter.take("SKa", t0), Err(1), "the burst is spent");
        assert_eq!(
            limiter.take("SKb", t0),
            Ok(()),
            "another caller has its own"
        );
        let later = t0 + Duration::from_millis(500);
        assert_eq!(
            limiter.take("SKa", later),
            Ok(()),
            "half a second refills one"
        );
        assert_eq!(limiter.take("SKa", later), Err(1));
    }
}

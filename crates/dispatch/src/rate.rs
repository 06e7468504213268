//! Pacing: token buckets per route, per sender and per campaign on a route, and the carrier's throttling fed back
//! into them (halve on a throttle, pause, then climb back slowly: AIMD, as TCP does).
//!
//! Every function here takes the instant it should act at, so tests drive time explicitly; only
//! [`RateLimits::acquire`] reads a clock (tokio's, which tests can pause).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use canvass_types::CampaignId;

/// Tokens short of a whole one by less than this count as whole: float refills land a hair below 1.0 after
/// sleeping exactly the computed wait, and that must not cost another wake-up.
const EPSILON: f64 = 1e-9;

/// The longest [`RateLimits::acquire`] sleeps before looking again, so that a raised limit or a lifted pause
/// takes effect without waiting out a wait computed under the old one.
const MAX_SLEEP: Duration = Duration::from_secs(1);

/// `seconds` as a duration; an infinite or huge wait (a zero rate) saturates instead of panicking.
fn secs(seconds: f64) -> Duration {
    Duration::try_from_secs_f64(seconds.max(0.0)).unwrap_or(Duration::MAX)
}

/// A token bucket: `rate` tokens a second, at most `burst` saved up. It starts full.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    /// Tokens are counted up to this instant. It may lie in the future while the bucket is paused.
    stamp: Instant,
}

impl TokenBucket {
    /// A full bucket. A burst below one would never let a send through, so it is raised to one; a negative or
    /// NaN rate is taken as zero (closed).
    pub fn new(rate: f64, burst: u32, now: Instant) -> Self {
        let burst = f64::from(burst.max(1));
        Self {
            rate: if rate.is_finite() { rate.max(0.0) } else { 0.0 },
            burst,
            tokens: burst,
            stamp: now,
        }
    }

    /// Tokens per second now.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Tokens saved up at most.
    pub fn burst(&self) -> u32 {
        self.burst as u32
    }

    fn refill(&mut self, now: Instant) {
        if now > self.stamp {
            let elapsed = now.duration_since(self.stamp).as_secs_f64();
            self.tokens = (self.tokens + self.rate * elapsed).min(self.burst);
            self.stamp = now;
        }
    }

    /// How long until one token is there; zero when one is there now.
    fn wait(&mut self, now: Instant) -> Duration {
        self.refill(now);
        let paused = self.stamp.saturating_duration_since(now);
        let deficit = 1.0 - self.tokens;
        if deficit <= EPSILON {
            return paused;
        }
        if self.rate <= 0.0 {
            return Duration::MAX;
        }
        paused.saturating_add(secs(deficit / self.rate))
    }

    fn take(&mut self) {
        self.tokens = (self.tokens - 1.0).max(0.0);
    }

    /// Takes a token, or says how long to wait for one.
    pub fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        match self.wait(now) {
            Duration::ZERO => {
                self.take();
                Ok(())
            }
            wait => Err(wait),
        }
    }

    /// Changes the rate from `now` on; tokens earned until now are kept at the old rate.
    pub fn set_rate(&mut self, rate: f64, now: Instant) {
        self.refill(now);
        self.rate = if rate.is_finite() { rate.max(0.0) } else { 0.0 };
    }

    /// Empties the bucket and earns nothing before `until`, so that a send resumes there at the bucket's rate
    /// instead of with a burst.
    pub fn pause_until(&mut self, until: Instant) {
        self.tokens = 0.0;
        self.stamp = self.stamp.max(until);
    }
}

/// What a bucket paces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RateKey {
    /// A route (connector), across everything sent through it.
    Route(String),
    /// A sender (a long code, short code or RBM agent), which carriers rate on their own (10DLC, short codes).
    Sender(String),
    /// One campaign on one route, when the campaign asks for a gentler pace than the route allows.
    CampaignRoute(CampaignId, String),
}

/// A configured limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// Sends a second, sustained.
    pub per_second: f64,
    /// Sends that may go at once after a quiet spell.
    pub burst: u32,
}

/// How throttling feedback moves the rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    /// A throttle never halves the rate below this (nor below the configured rate, if that is lower).
    pub floor_per_second: f64,
    /// After a pause, the rate climbs back by this share of the configured rate per second.
    pub increase_per_second: f64,
    /// The pause when the carrier names none.
    pub default_pause: Duration,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            floor_per_second: 1.0,
            increase_per_second: 0.05,
            default_pause: Duration::from_secs(1),
        }
    }
}

/// One key's bucket and where its rate stands against the configured one.
#[derive(Debug)]
struct Entry {
    configured: Limit,
    bucket: TokenBucket,
    /// No tokens are earned before this instant (a carrier's pause).
    paused_until: Instant,
    /// The rate has been raised for the time up to this instant.
    raised_to: Instant,
    /// Throttles before this instant belong to the last halving.
    halved_until: Instant,
}

impl Entry {
    fn new(limit: Limit, now: Instant) -> Self {
        Self {
            configured: limit,
            bucket: TokenBucket::new(limit.per_second, limit.burst, now),
            paused_until: now,
            raised_to: now,
            halved_until: now,
        }
    }

    /// Additive increase for the time since the last look, not counting any pause.
    fn recover(&mut self, now: Instant, tuning: &Tuning) {
        let from = self.raised_to.max(self.paused_until);
        if now <= from {
            return;
        }
        let target = self.configured.per_second;
        if self.bucket.rate() < target {
            let elapsed = now.duration_since(from).as_secs_f64();
            let step = target * tuning.increase_per_second * elapsed;
            self.bucket
                .set_rate((self.bucket.rate() + step).min(target), now);
        }
        self.raised_to = now;
    }
}

/// Keyed token buckets, shared by a process's workers. A key without a configured limit is not limited.
#[derive(Debug, Default)]
pub struct RateLimits {
    tuning: Tuning,
    entries: Mutex<HashMap<RateKey, Entry>>,
}

impl RateLimits {
    /// No limits yet, with the default [`Tuning`].
    pub fn new() -> Self {
        Self::default()
    }

    /// No limits yet, with `tuning`.
    pub fn with_tuning(tuning: Tuning) -> Self {
        Self {
            tuning,
            entries: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RateKey, Entry>> {
        // A panic elsewhere while holding the lock leaves only pacing state behind; carrying on is safe.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets `key`'s limit only if it has none yet: cheap enough to call before every send.
    pub fn ensure_limit(&self, key: &RateKey, limit: Limit) {
        let mut entries = self.lock();
        if !entries.contains_key(key) {
            entries.insert(key.clone(), Entry::new(limit, Instant::now()));
        }
    }

    /// Sets `key`'s limit. A key already there keeps its tokens and any throttling under way, capped at the new
    /// rate; a new key starts with a full bucket.
    pub fn set_limit(&self, key: RateKey, limit: Limit, now: Instant) {
        let mut entries = self.lock();
        match entries.get_mut(&key) {
            Some(entry) => {
                entry.recover(now, &self.tuning);
                entry.configured = limit;
                let rate = entry.bucket.rate().min(limit.per_second);
                entry.bucket.set_rate(rate, now);
                entry.bucket.burst = f64::from(limit.burst.max(1));
                entry.bucket.tokens = entry.bucket.tokens.min(entry.bucket.burst);
            }
            None => {
                entries.insert(key, Entry::new(limit, now));
            }
        }
    }

    /// Stops limiting `key` (a campaign that finished).
    pub fn remove(&self, key: &RateKey) {
        self.lock().remove(key);
    }

    /// The rate `key` runs at now, after throttling; `None` when it is not limited.
    pub fn current_rate(&self, key: &RateKey, now: Instant) -> Option<f64> {
        let mut entries = self.lock();
        let entry = entries.get_mut(key)?;
        entry.recover(now, &self.tuning);
        Some(entry.bucket.rate())
    }

    /// Takes one token from every limited key in `keys`, or from none: when any lacks one, nothing is taken and
    /// the answer is the longest wait among them.
    pub fn try_take(&self, keys: &[RateKey], now: Instant) -> Result<(), Duration> {
        let mut entries = self.lock();
        let mut wait = Duration::ZERO;
        for (i, key) in keys.iter().enumerate() {
            // The same key twice is one bucket, one token.
            if keys[..i].contains(key) {
                continue;
            }
            if let Some(entry) = entries.get_mut(key) {
                entry.recover(now, &self.tuning);
                wait = wait.max(entry.bucket.wait(now));
            }
        }
        if wait > Duration::ZERO {
            return Err(wait);
        }
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].contains(key) {
                continue;
            }
            if let Some(entry) = entries.get_mut(key) {
                entry.bucket.take();
            }
        }
        Ok(())
    }

    /// The carrier throttled a send under `key`: halve its rate (not below the floor), and pause it until
    /// `retry_after` when the carrier named one.
    ///
    /// Throttles within the default pause of a halving (or during a pause) are the same signal: the submits in
    /// flight when the carrier started refusing all come back throttled together, and halving once per submit
    /// would crash the rate to the floor. Without a named pause the key only slows: a bare throttle may concern
    /// one recipient, and stopping the whole route for each would stall everything behind it. A key with no limit is left alone, having no rate to halve: give every
    /// route a limit (its capabilities' `max_per_second`) for throttling to act on it.
    pub fn throttled(&self, key: &RateKey, now: Instant, retry_after: Option<Duration>) {
        let mut entries = self.lock();
        let Some(entry) = entries.get_mut(key) else {
            return;
        };
        // One halving per signal: throttles within `default_pause` of the last halving are the same signal.
        if now >= entry.paused_until.max(entry.halved_until) {
            entry.recover(now, &self.tuning);
            let floor = self
                .tuning
                .floor_per_second
                .min(entry.configured.per_second);
            let halved = (entry.bucket.rate() / 2.0).max(floor);
            entry.bucket.set_rate(halved, now);
            entry.halved_until = now + self.tuning.default_pause;
        }
        entry.raised_to = entry.raised_to.max(now);
        // Only a pause the carrier names stops the route; a bare "throttled" (which may be about one recipient)
        // slows it instead of stalling every message behind it.
        if let Some(pause) = retry_after {
            entry.paused_until = entry.paused_until.max(now + pause);
            entry.bucket.pause_until(entry.paused_until);
        }
    }

    /// Waits until one token can be taken from every key in `keys`, and takes them.
    pub async fn acquire(&self, keys: &[RateKey]) {
        loop {
            let now = tokio::time::Instant::now().into_std();
            match self.try_take(keys, now) {
                Ok(()) => return,
                Err(wait) => tokio::time::sleep(wait.min(MAX_SLEEP)).await,
            }
        }
    }
}

#[cfg(test)]
#[path = "rate_tests.rs"]
mod tests;

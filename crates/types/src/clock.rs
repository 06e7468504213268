//! Time as a port, so that schedulers and queues can be tested against a clock the test controls.

use jiff::Timestamp;
use std::sync::Mutex;

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that only moves when told to, for tests.
#[derive(Debug)]
pub struct FixedClock(Mutex<Timestamp>);

impl FixedClock {
    /// A clock stopped at `at`.
    pub fn new(at: Timestamp) -> Self {
        FixedClock(Mutex::new(at))
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: Timestamp) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The wall clock moved by a fixed offset: it runs at real speed from a chosen instant. The demo uses it to play a
/// campaign at a lawful hour whatever the time here.
#[derive(Debug, Clone, Copy)]
pub struct OffsetClock(jiff::SignedDuration);

impl OffsetClock {
    /// A clock that reads `at` now, and moves on in real time.
    pub fn to(at: Timestamp) -> Self {
        OffsetClock(at.duration_since(Timestamp::now()))
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
            .checked_add(self.0)
            .unwrap_or_else(|_| Timestamp::now())
    }
}

//! When to try a message again after a temporary failure: exponential backoff with jitter, capped, and a
//! limit on attempts.
//!
//! Separate from `canvass_connectors::Backoff`, which keeps its attempt count itself and draws from the thread's
//! random generator: here the attempt count lives in the queue row and the generator is passed in, so the
//! policy is a pure function that tests can seed.

use std::time::Duration;

use rand::Rng;

/// How the delay is spread below its exponential ceiling, so that messages that failed together do not all come
/// back together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Jitter {
    /// Exactly the ceiling.
    None,
    /// Uniform in `[0, ceiling]`: spreads best, but may retry at once.
    Full,
    /// Uniform in `[ceiling/2, ceiling]`: still grows with each attempt.
    #[default]
    Equal,
}

/// A retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The ceiling after the first failure; it doubles with each further one.
    pub base: Duration,
    /// The ceiling never grows past this.
    pub max_delay: Duration,
    /// Attempts in all, the first included; no retry is offered once this many have been made.
    pub max_attempts: u32,
    /// How the delay is spread under the ceiling.
    pub jitter: Jitter,
}

impl Default for RetryPolicy {
    /// 30 s, 1 min, 2 min, 4 min … capped at 30 min, for six attempts: about an hour of carrier trouble.
    fn default() -> Self {
        Self {
            base: Duration::from_secs(30),
            max_delay: Duration::from_secs(30 * 60),
            max_attempts: 6,
            jitter: Jitter::Equal,
        }
    }
}

impl RetryPolicy {
    /// The ceiling of the delay after `attempts` attempts (1 after the first failure): `base · 2^(attempts-1)`,
    /// at most `max_delay`.
    pub fn ceiling(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(31);
        self.base
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay)
    }

    /// The delay before the next attempt, `attempts` having been made and failed; `None` when they are used up.
    pub fn next<R: Rng + ?Sized>(&self, attempts: u32, rng: &mut R) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let ceiling = self.ceiling(attempts);
        let floor = match self.jitter {
            Jitter::None => return Some(ceiling),
            Jitter::Full => Duration::ZERO,
            Jitter::Equal => ceiling / 2,
        };
        // Microseconds: fine enough for anything from milliseconds to hours, and u64 never overflows here.
        let spread = ceiling.saturating_sub(floor).as_micros() as u64;
        Some(floor + Duration::from_micros(rng.random_range(0..=spread)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn policy(jitter: Jitter) -> RetryPolicy {
        RetryPolicy {
            base: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_attempts: 8,
            jitter,
        }
    }

    #[test]
    fn ceilings_double_and_stop_at_the_cap() {
        let ceilings: Vec<u128> = (1..=8)
            .map(|n| policy(Jitter::None).ceiling(n).as_millis())
            .collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1600, 2000, 2000, 2000]);
        // Attempt 0 (nothing tried yet) has the base as its ceiling rather than half of it.
        assert_eq!(policy(Jitter::None).ceiling(0), Duration::from_millis(100));
    }

    #[test]
    fn no_jitter_is_the_ceiling_and_attempts_run_out() {
        let mut rng = StdRng::seed_from_u64(1);
        let p = policy(Jitter::None);
        assert_eq!(p.next(3, &mut rng), Some(Duration::from_millis(400)));
        assert_eq!(p.next(7, &mut rng), Some(Duration::from_secs(2)));
        assert_eq!(p.next(8, &mut rng), None);
        assert_eq!(p.next(u32::MAX, &mut rng), None);
        let never = RetryPolicy {
            max_attempts: 1,
            ..p
        };
        assert_eq!(never.next(1, &mut rng), None);
    }

    #[test]
    fn jitter_spreads_the_delays() {
        let mut rng = StdRng::seed_from_u64(7);
        let delays: std::collections::HashSet<Duration> = (0..50)
            .filter_map(|_| policy(Jitter::Full).next(5, &mut rng))
            .collect();
        assert!(delays.len() > 40, "only {} distinct delays", delays.len());
    }

    #[test]
    fn huge_bases_and_attempts_saturate() {
        let p = RetryPolicy {
            base: Duration::from_secs(u64::MAX / 2),
            max_delay: Duration::MAX,
            max_attempts: u32::MAX,
            jitter: Jitter::None,
        };
        assert_eq!(p.ceiling(u32::MAX - 1), Duration::MAX);
    }

    proptest! {
        #[test]
        fn every_delay_lies_under_its_ceiling(
            seed in any::<u64>(),
            attempts in 0u32..100,
            base_ms in 1u64..10_000,
            cap_ms in 1u64..3_600_000,
            max_attempts in 1u32..50,
            jitter in prop_oneof![Just(Jitter::None), Just(Jitter::Full), Just(Jitter::Equal)],
        ) {
            let p = RetryPolicy {
                base: Duration::from_millis(base_ms),
                max_delay: Duration::from_millis(cap_ms),
                max_attempts,
                jitter,
            };
            let mut rng = StdRng::seed_from_u64(seed);
            match p.next(attempts, &mut rng) {
                None => prop_assert!(attempts >= max_attempts),
                Some(delay) => {
                    prop_assert!(attempts < max_attempts);
                    let ceiling = p.ceiling(attempts);
                    prop_assert!(ceiling <= p.max_delay);
                    prop_assert!(delay <= ceiling);
                    let floor = match jitter {
                        Jitter::None => ceiling,
                        Jitter::Full => Duration::ZERO,
                        Jitter::Equal => ceiling / 2,
                    };
                    prop_assert!(delay >= floor, "{delay:?} < {floor:?}");
                }
            }
        }
    }
}

use super::*;
use proptest::prelude::*;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn route(name: &str) -> RateKey {
    RateKey::Route(name.into())
}

fn limit(per_second: f64, burst: u32) -> Limit {
    Limit { per_second, burst }
}

#[test]
fn steady_state_lets_the_rate_through_and_no_more() {
    let t0 = Instant::now();
    let mut bucket = TokenBucket::new(10.0, 1, t0);
    assert_eq!(bucket.try_take(t0), Ok(()));
    let wait = bucket.try_take(t0).unwrap_err();
    assert!(wait > ms(99) && wait <= ms(100), "{wait:?}");
    assert!(bucket.try_take(t0 + ms(50)).is_err());
    assert_eq!(bucket.try_take(t0 + ms(100)), Ok(()));
    // Polling every millisecond for ten seconds gets 100 more sends: the rate, not the polling, decides.
    let sent = (101..=10_100)
        .filter(|n| bucket.try_take(t0 + ms(*n)).is_ok())
        .count();
    assert_eq!(sent, 100);
}

#[test]
fn a_quiet_spell_saves_up_to_the_burst() {
    let t0 = Instant::now();
    let mut bucket = TokenBucket::new(1.0, 5, t0);
    for _ in 0..5 {
        assert_eq!(bucket.try_take(t0), Ok(()));
    }
    assert!(bucket.try_take(t0).is_err());
    // A minute idle still saves only five.
    let later = t0 + Duration::from_secs(60);
    let sent = (0..10).filter(|_| bucket.try_take(later).is_ok()).count();
    assert_eq!(sent, 5);
}

#[test]
fn a_zero_rate_never_lets_a_send_through_once_empty() {
    let t0 = Instant::now();
    let mut bucket = TokenBucket::new(0.0, 1, t0);
    assert_eq!(bucket.try_take(t0), Ok(()));
    assert_eq!(
        bucket.try_take(t0 + Duration::from_secs(3600)),
        Err(Duration::MAX)
    );
}

#[test]
fn several_buckets_take_all_or_nothing_and_report_the_longest_wait() {
    let t0 = Instant::now();
    let limits = RateLimits::new();
    let sender = RateKey::Sender("+12155550100".into());
    limits.set_limit(route("smpp-a"), limit(1.0, 2), t0);
    limits.set_limit(sender.clone(), limit(0.5, 1), t0);
    let both = [route("smpp-a"), sender.clone()];
    assert_eq!(limits.try_take(&both, t0), Ok(()));
    // The sender is empty (2 s to the next token); the route still has one, and must keep it.
    let wait = limits.try_take(&both, t0).unwrap_err();
    assert!(wait > ms(1999) && wait <= ms(2000), "{wait:?}");
    assert_eq!(limits.try_take(&[route("smpp-a")], t0), Ok(()));
    // Now the route is empty too (1 s away) but the sender's 2 s is still the longer wait.
    let wait = limits.try_take(&both, t0).unwrap_err();
    assert!(wait > ms(1999), "{wait:?}");
    assert_eq!(limits.try_take(&both, t0 + ms(2000)), Ok(()));
}

#[test]
fn unlimited_and_repeated_keys() {
    let t0 = Instant::now();
    let limits = RateLimits::new();
    limits.set_limit(route("a"), limit(1.0, 1), t0);
    let campaign = RateKey::CampaignRoute(CampaignId(7), "a".into());
    for _ in 0..100 {
        assert_eq!(limits.try_take(std::slice::from_ref(&campaign), t0), Ok(()));
    }
    // One bucket named twice gives one token, so this passes with a burst of one.
    assert_eq!(limits.try_take(&[route("a"), route("a")], t0), Ok(()));
    assert!(limits.try_take(&[route("a")], t0).is_err());
    assert_eq!(limits.current_rate(&campaign, t0), None);
}

#[test]
fn a_bare_throttle_halves_the_rate_without_stalling_the_route() {
    let t0 = Instant::now();
    let limits = RateLimits::new();
    limits.set_limit(route("a"), limit(100.0, 10), t0);
    limits.throttled(&route("a"), t0, None);
    assert_eq!(limits.current_rate(&route("a"), t0), Some(50.0));
    // No pause was named: the route keeps sending, slower.
    assert_eq!(limits.try_take(&[route("a")], t0 + ms(1)), Ok(()));
    // Another bare throttle within the default pause is the same signal: no second halving.
    limits.throttled(&route("a"), t0 + ms(500), None);
    let rate = limits
        .current_rate(&route("a"), t0 + ms(500))
        .expect("a limit");
    assert!(rate > 50.0 && rate < 100.0, "{rate}");
    // After it, a new throttle halves again.
    limits.throttled(&route("a"), t0 + ms(1500), None);
    let later = limits
        .current_rate(&route("a"), t0 + ms(1500))
        .expect("a limit");
    assert!(later < rate * 0.6, "{later} after {rate}");
}

#[test]
fn the_carriers_pause_is_honoured() {
    let t0 = Instant::now();
    let limits = RateLimits::new();
    limits.set_limit(route("a"), limit(10.0, 1), t0);
    limits.throttled(&route("a"), t0, Some(Duration::from_secs(5)));
    let wait = limits
        .try_take(&[route("a")], t0 + Duration::from_secs(4))
        .unwrap_err();
    assert!(wait > ms(1199) && wait <= ms(1200), "{wait:?}");
}

#[test]
fn throttles_during_a_pause_lengthen_it_without_halving_again() {
    let t0 = Instant::now();
    let limits = RateLimits::new();
    limits.set_limit(route("a"), limit(80.0, 1), t0);
    for i in 0..10 {
        limits.throttled(&route("a"), t0 + ms(i), Some(ms(1000 + i * 100)));
    }
    assert_eq!(limits.current_rate(&route("a"), t0 + ms(10)), Some(40.0));
    assert!(limits.try_take(&[route("a")], t0 + ms(1800)).is_err());
    // Once the longest pause (9 + 1900 ms) is over, a throttle halves again.
    limits.throttled(&route("a"), t0 + ms(1909), None);
    let rate = limits.current_rate(&route("a"), t0 + ms(1909));
    assert_eq!(rate, Some(20.0));
}

#[test]
fn repeated_throttles_stop_at_the_floor() {
    let t0 = Instant::now();
    let limits = RateLimits::new();
    limits.set_limit(route("a"), limit(3.0, 1), t0);
    for i in 0..6 {
        limits.throttled(&route("a"), t0 + ms(i * 1000), Some(ms(1000)));
    }
    assert_eq!(limits.current_rate(&route("a"), t0 + ms(6000)), Some(1.0));
    // A configured rate under the floor is its own floor.
    limits.set_limit(route("slow"), limit(0.5, 1), t0);
    limits.throttled(&route("slow"), t0, None);
    assert_eq!(limits.current_rate(&route("slow"), t0), Some(0.5));
}

#[test]
fn the_rate_climbs_back_after_the_pause() {
    let t0 = Instant::now();
    let limits = RateLimits::new();
    limits.set_limit(route("a"), limit(100.0, 1), t0);
    limits.throttled(&route("a"), t0, Some(Duration::from_secs(2)));
    // No climbing while paused.
    assert_eq!(limits.current_rate(&route("a"), t0 + ms(1500)), Some(50.0));
    // 5 % of 100/s per second: 4 s after the pause, 50 + 20.
    let rate = limits
        .current_rate(&route("a"), t0 + Duration::from_secs(6))
        .unwrap_or_default();
    assert!((rate - 70.0).abs() < 1e-6, "{rate}");
    // And never past the configured rate.
    let rate = limits.current_rate(&route("a"), t0 + Duration::from_secs(60));
    assert_eq!(rate, Some(100.0));
}

#[test]
fn a_new_limit_keeps_throttling_under_way() {
    let t0 = Instant::now();
    let limits = RateLimits::new();
    limits.set_limit(route("a"), limit(100.0, 5), t0);
    limits.throttled(&route("a"), t0, None);
    limits.set_limit(route("a"), limit(200.0, 5), t0 + ms(10));
    // Still about half (recovering by 5% of the old limit a second), not the new limit.
    let rate = limits
        .current_rate(&route("a"), t0 + ms(10))
        .expect("a limit");
    assert!((50.0..51.0).contains(&rate), "{rate}");
    limits.set_limit(route("a"), limit(20.0, 5), t0 + ms(20));
    assert_eq!(limits.current_rate(&route("a"), t0 + ms(20)), Some(20.0));
    limits.remove(&route("a"));
    assert_eq!(limits.current_rate(&route("a"), t0 + ms(20)), None);
}

#[tokio::test(start_paused = true)]
async fn acquire_waits_for_every_bucket() {
    let limits = RateLimits::new();
    let start = tokio::time::Instant::now();
    limits.set_limit(route("a"), limit(10.0, 1), start.into_std());
    for _ in 0..3 {
        limits.acquire(&[route("a")]).await;
    }
    // Virtual time: three sends at 10/s from a burst of one take 200 ms.
    let elapsed = start.elapsed();
    assert!(elapsed >= ms(200) && elapsed < ms(210), "{elapsed:?}");
}

proptest! {
    /// However sends are timed, no window of time lets more than the burst plus the rate through.
    #[test]
    fn never_more_than_burst_plus_rate(
        rate in 0.5f64..500.0,
        burst in 1u32..20,
        gaps in proptest::collection::vec(0u64..50, 1..400),
    ) {
        let t0 = Instant::now();
        let mut bucket = TokenBucket::new(rate, burst, t0);
        let mut at = t0;
        let mut sent = 0u32;
        for gap in gaps {
            at += ms(gap);
            if bucket.try_take(at).is_ok() {
                sent += 1;
            }
        }
        let allowed = f64::from(burst) + rate * at.duration_since(t0).as_secs_f64();
        prop_assert!(f64::from(sent) <= allowed + 1e-6, "{sent} > {allowed}");
    }
}

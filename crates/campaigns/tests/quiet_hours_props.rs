//! Property tests over random US time zones, states, instants across 2026 (both DST changes included) and
//! campaign windows: a send time is never outside the recipient's lawful hours, never before now, and never later
//! than the first lawful moment.

use canvass_campaigns::compliance::{SendWindow, next_allowed, window_on};
use jiff::{Timestamp, civil::Time, tz::TimeZone};
use proptest::prelude::*;

const ZONES: [&str; 8] = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
];
const STATES: [Option<&str>; 9] = [
    None,
    Some("PA"),
    Some("FL"),
    Some("CT"),
    Some("TX"),
    Some("RI"),
    Some("LA"),
    Some("KY"),
    Some("CA"),
];

fn window() -> impl Strategy<Value = Option<SendWindow>> {
    prop_oneof![
        Just(None),
        (0i8..24, 0i8..4, 1i8..24).prop_map(|(start, quarter, length)| {
            let start_time = Time::constant(start, 0, 0, 0)
                .saturating_add(jiff::Span::new().minutes(i64::from(quarter) * 15));
            let end_hour = (start + length).min(23);
            Some(SendWindow {
                start: start_time,
                end: Time::constant(end_hour, 59, 0, 0),
            })
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn sends_fall_only_in_lawful_hours(
        zone in 0usize..ZONES.len(),
        state in 0usize..STATES.len(),
        // Every minute of 2026, UTC.
        minute in 0i64..(365 * 24 * 60),
        campaign in window(),
    ) {
        let tz = TimeZone::get(ZONES[zone]).expect("bundled tz");
        let state = STATES[state];
        let now = Timestamp::from_second(1_767_225_600 + minute * 60).expect("2026");
        match next_allowed(now, &tz, state, campaign) {
            Some(at) => {
                prop_assert!(at >= now);
                let local = at.to_zoned_datetime(tz.clone());
                let allowed = window_on(local.date(), state, campaign);
                prop_assert!(allowed.is_some(), "sent on a forbidden day: {local}");
                let allowed = allowed.expect("checked");
                prop_assert!(local.time() >= allowed.start && local.time() < allowed.end, "{local} outside {allowed:?}");
                // Not later than needed: either now, or the very start of a window (a DST gap may move it later).
                prop_assert!(at == now || local.time() <= allowed.start.saturating_add(jiff::Span::new().hours(1)),
                    "{local} is neither now nor a window's opening");
            }
            None => {
                // Only when no day of the coming week has any lawful hour inside the campaign window.
                let today = now.to_zoned_datetime(tz.clone()).date();
                for offset in 0..8 {
                    let date = today.checked_add(jiff::Span::new().days(offset)).expect("date");
                    prop_assert!(window_on(date, state, campaign).is_none(), "{date} had a window");
                }
            }
        }
    }
}

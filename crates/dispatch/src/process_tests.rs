//! The worker's vetoes as properties: whatever the zone, state, instant (DST days included), campaign window,
//! expiry and opt-out, a submit happens only to a number that did not opt out, at an instant that an independent
//! reading of the rules (`window_on` on the recipient's local date and time) allows; and a message held back by
//! the hours is moved to the first allowed instant, or expires when its campaign ends first.

#[path = "process_doubles.rs"]
mod doubles;
#[path = "process_examples.rs"]
mod examples;

use doubles::{FakePlan, Harness, RecordingConnector, claimed, fixed_clock};

use crate::ports::Settlement;
use crate::worker::DispatchConfig;
use canvass_campaigns::compliance::{SendWindow, window_on};
use canvass_types::{Channel, MessageStatus, TenantId};
use jiff::Timestamp;
use jiff::civil::time;
use jiff::tz::TimeZone;
use proptest::prelude::*;

const PHONE: &str = "+12155550123";
const MINUTE: i64 = 60_000;
const QUARTER: i64 = 15 * MINUTE;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

const ZONES: [&str; 10] = [
    "America/Phoenix",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Puerto_Rico",
    "America/Chicago",
    "America/New_York",
    "America/Denver",
    "America/Los_Angeles",
    "America/Indiana/Indianapolis",
    "America/Boise",
];

/// States with stricter rules (one in lower case: codes are matched in any case), states without, and none.
const STATES: [Option<&str>; 16] = [
    Some("FL"),
    Some("OK"),
    Some("MD"),
    Some("MS"),
    Some("NJ"),
    Some("CT"),
    Some("TX"),
    Some("tx"),
    Some("RI"),
    Some("AL"),
    Some("KY"),
    Some("PA"),
    Some("CA"),
    Some("AZ"),
    Some("HI"),
    None,
];

/// US DST changes in 2026 and 2027 (UTC midnight of the day; the strategy ranges a day either side).
const DST_DAYS: [&str; 4] = [
    "2026-03-08T00:00:00Z",
    "2026-11-01T00:00:00Z",
    "2027-03-14T00:00:00Z",
    "2027-11-07T00:00:00Z",
];

fn ts(s: &str) -> Timestamp {
    s.parse().expect("a timestamp")
}

fn at_ms(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).expect("in range")
}

fn tz(name: &str) -> TimeZone {
    TimeZone::get(name).expect("a bundled zone")
}

/// An instant in 2026–2027: anywhere, around a DST change, or exactly on a quarter hour (where windows open).
fn instant() -> impl Strategy<Value = Timestamp> {
    let start = ts("2026-01-01T00:00:00Z").as_millisecond();
    let end = ts("2028-01-01T00:00:00Z").as_millisecond();
    prop_oneof![
        (start..end).prop_map(at_ms),
        (0..DST_DAYS.len(), -DAY..2 * DAY)
            .prop_map(|(i, offset)| at_ms(ts(DST_DAYS[i]).as_millisecond() + offset)),
        (0..DST_DAYS.len(), -4 * 24i64..8 * 24)
            .prop_map(|(i, q)| at_ms(ts(DST_DAYS[i]).as_millisecond() + q * QUARTER)),
        (start / QUARTER..end / QUARTER).prop_map(|q| at_ms(q * QUARTER)),
    ]
}

/// A campaign window on quarter hours, `start < end`; about half the campaigns have none.
fn campaign_window() -> impl Strategy<Value = Option<SendWindow>> {
    let quarter = |q: i32| time((q / 4) as i8, ((q % 4) * 15) as i8, 0, 0);
    prop::option::of(
        (0i32..95)
            .prop_flat_map(|s| (Just(s), s + 1..96))
            .prop_map(move |(s, e)| SendWindow {
                start: quarter(s),
                end: quarter(e),
            }),
    )
}

/// Expiry relative to now: none, passed (or passing now), within the next hours (often before the next window), or
/// within ten days.
fn expires_in() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        3 => Just(None),
        1 => (-HOUR..=0).prop_map(Some),
        2 => (1..DAY).prop_map(Some),
        1 => (1..10 * DAY).prop_map(Some),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum OptOut {
    No,
    /// The store said so at claim.
    Flag,
    /// A STOP seen by this process since.
    Recent,
    /// Someone else opted out: no effect.
    OtherNumber,
    OtherTenant,
}

fn opt_out() -> impl Strategy<Value = OptOut> {
    prop_oneof![
        3 => Just(OptOut::No),
        1 => Just(OptOut::Flag),
        1 => Just(OptOut::Recent),
        1 => Just(OptOut::OtherNumber),
        1 => Just(OptOut::OtherTenant),
    ]
}

/// Whether `t` lies in the allowed hours of every zone in `zones`, read on the local clock.
fn allowed(
    t: Timestamp,
    zones: &[TimeZone],
    state: Option<&str>,
    window: Option<SendWindow>,
) -> bool {
    zones.iter().all(|zone| {
        let local = t.to_zoned_datetime(zone.clone());
        window_on(local.date(), state, window)
            .is_some_and(|w| w.start <= local.time() && local.time() < w.end)
    })
}

/// The first allowed instant at or after `now`, within eight days. Windows open and close on local quarter hours
/// and every zone here is a whole number of hours from UTC, so the first allowed instant after a disallowed `now`
/// is a quarter hour of UTC.
fn first_allowed(
    now: Timestamp,
    zones: &[TimeZone],
    state: Option<&str>,
    window: Option<SendWindow>,
) -> Option<Timestamp> {
    if allowed(now, zones, state, window) {
        return Some(now);
    }
    let first = now.as_millisecond().div_euclid(QUARTER) * QUARTER + QUARTER;
    (0..8 * 96)
        .map(|k| at_ms(first + k * QUARTER))
        .find(|&t| allowed(t, zones, state, window))
}

fn local(t: Timestamp, zones: &[TimeZone]) -> String {
    let times: Vec<String> = zones
        .iter()
        .map(|z| {
            t.to_zoned_datetime(z.clone())
                .strftime("%a %F %T %Z")
                .to_string()
        })
        .collect();
    times.join(" / ")
}

fn done(s: &Settlement) -> Option<(MessageStatus, &str)> {
    match s {
        Settlement::Done {
            status, error_code, ..
        } => Some((*status, error_code.as_deref().unwrap_or(""))),
        _ => None,
    }
}

/// One message through `process`, checked against the rules read independently.
#[allow(clippy::too_many_arguments)]
fn check(
    no_contact: bool,
    zone: Option<&str>,
    oracle_zones: &[TimeZone],
    state: Option<&str>,
    now: Timestamp,
    window: Option<SendWindow>,
    opt: OptOut,
    expires_in: Option<i64>,
) -> Result<(), TestCaseError> {
    let clock = fixed_clock(now);
    let sms = RecordingConnector::new("sms", &[Channel::Sms], clock.clone());
    let h = Harness::new(
        FakePlan::new(&[Channel::Sms], window),
        std::slice::from_ref(&sms),
        clock,
        DispatchConfig::default(),
    );
    let now_ms = now.as_millisecond();
    let mut m = claimed(PHONE, zone, state);
    m.expires_at = expires_in.map(|d| now_ms + d);
    // A number that is not a contact has no state either: only the federal hours and the campaign's apply.
    let state = if no_contact {
        m.contact = None;
        None
    } else {
        state
    };
    let optouts = h.dispatcher.recent_opt_outs();
    match opt {
        OptOut::No => {}
        OptOut::Flag => m.opted_out = true,
        OptOut::Recent => optouts.opt_out(TenantId::DEFAULT, PHONE),
        OptOut::OtherNumber => optouts.opt_out(TenantId::DEFAULT, "+12155550199"),
        OptOut::OtherTenant => optouts.opt_out(TenantId(2), PHONE),
    }
    let opted_out = matches!(opt, OptOut::Flag | OptOut::Recent);
    let settlement = h.process(m);
    let sent = sms.sent();
    let at = local(now, oracle_zones);

    // (a) A submit only to a number that did not opt out, at an allowed instant.
    for (instant, message) in &sent {
        prop_assert!(!opted_out, "submitted to an opted-out number at {at}");
        prop_assert!(
            allowed(*instant, oracle_zones, state, window),
            "submitted at {} outside the hours of {state:?} / {window:?}",
            local(*instant, oracle_zones)
        );
        prop_assert_eq!(&message.to, PHONE);
    }
    // (c) Opted out: never submitted, suppressed.
    if opted_out {
        prop_assert!(sent.is_empty());
        prop_assert_eq!(
            done(&settlement),
            Some((MessageStatus::Suppressed, "opted_out"))
        );
        return Ok(());
    }
    let expires_at = expires_in.map(|d| now_ms + d);
    if expires_at.is_some_and(|e| e <= now_ms) {
        prop_assert!(sent.is_empty());
        prop_assert_eq!(
            done(&settlement),
            Some((MessageStatus::Expired, "campaign_expired"))
        );
        return Ok(());
    }
    match first_allowed(now, oracle_zones, state, window) {
        None => {
            prop_assert!(
                sent.is_empty(),
                "sent at {at} though no hour is ever allowed"
            );
            prop_assert_eq!(
                done(&settlement),
                Some((MessageStatus::Expired, "no_lawful_window")),
                "no hour is ever allowed, yet {:?}",
                settlement
            );
        }
        Some(first) if first == now => {
            prop_assert_eq!(
                sent.len(),
                1,
                "allowed at {} but not sent: {:?}",
                at,
                settlement
            );
            let Settlement::Sent {
                channel,
                route,
                carrier_id,
                ..
            } = &settlement
            else {
                return Err(TestCaseError::fail(format!(
                    "allowed at {at} but settled {settlement:?}"
                )));
            };
            prop_assert_eq!(*channel, Channel::Sms);
            prop_assert_eq!(route.as_str(), "sms");
            prop_assert_eq!(carrier_id.as_deref(), Some("sms:c-7"));
        }
        // (b) Held back by the hours: the next allowed instant, or expired when the campaign ends first.
        Some(first) => {
            prop_assert!(
                sent.is_empty(),
                "sent at {at}, not allowed until {}",
                local(first, oracle_zones)
            );
            prop_assert!(first > now);
            if expires_at.is_some_and(|e| e <= first.as_millisecond()) {
                prop_assert_eq!(
                    done(&settlement),
                    Some((MessageStatus::Expired, "quiet_hours"))
                );
            } else {
                let Settlement::Retry {
                    due_at,
                    counts,
                    channel,
                    error_code,
                    ..
                } = &settlement
                else {
                    return Err(TestCaseError::fail(format!(
                        "held at {at} until {} but settled {settlement:?}",
                        local(first, oracle_zones)
                    )));
                };
                let due = at_ms(*due_at);
                prop_assert!(
                    due > now,
                    "due {} is not after {at}",
                    local(due, oracle_zones)
                );
                prop_assert!(
                    allowed(due, oracle_zones, state, window),
                    "rescheduled from {at} to {}, which is not allowed",
                    local(due, oracle_zones)
                );
                prop_assert_eq!(
                    due,
                    first,
                    "rescheduled from {} to {}, but {} is allowed first",
                    at,
                    local(due, oracle_zones),
                    local(first, oracle_zones)
                );
                prop_assert!(!counts, "quiet hours count as an attempt");
                prop_assert_eq!(*channel, None);
                prop_assert_eq!(error_code, &None);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn sends_only_when_allowed_and_not_opted_out_in_a_known_zone(
        zone in prop::sample::select(&ZONES[..]),
        state in prop::sample::select(&STATES[..]),
        now in instant(),
        window in campaign_window(),
        opt in opt_out(),
        expires_in in expires_in(),
    ) {
        check(false, Some(zone), &[tz(zone)], state, now, window, opt, expires_in)?;
    }

    /// Without a usable zone, an instant is lawful only when it is lawful in both New York and Los Angeles.
    #[test]
    fn an_unknown_zone_sends_only_when_both_coasts_allow(
        no_contact in any::<bool>(),
        zone in prop::sample::select(&[None, Some(""), Some("Not/AZone"), Some("EST5EDT/Nowhere")][..]),
        state in prop::sample::select(&STATES[..]),
        now in instant(),
        window in campaign_window(),
        opt in opt_out(),
        expires_in in expires_in(),
    ) {
        let coasts = [tz("America/New_York"), tz("America/Los_Angeles")];
        check(no_contact, zone, &coasts, state, now, window, opt, expires_in)?;
    }
}

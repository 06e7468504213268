//! The worker's carrier answers, one example each: channel fallback, throttling, retries and their end, expiry,
//! missing routes, and an opt-out or the end of the hours arriving while a message is in flight.

use super::doubles::{FakePlan, Harness, RecordingConnector, claimed, fixed_clock};
use crate::ports::{Claimed, Settlement};
use crate::rate::{Limit, RateKey};
use crate::retry::{Jitter, RetryPolicy};
use crate::worker::DispatchConfig;
use canvass_connectors::{Content, SubmitOutcome};
use canvass_types::{Channel, Clock, MessageId, MessageStatus, TenantId};
use jiff::Timestamp;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PHONE: &str = "+12155550123";

/// Wednesday 2026-11-25, 15:00 in New York: inside every rule.
fn afternoon() -> Timestamp {
    "2026-11-25T20:00:00Z".parse().expect("a timestamp")
}

fn message() -> Claimed {
    claimed(PHONE, Some("America/New_York"), Some("PA"))
}

fn permanent(code: &str) -> SubmitOutcome {
    SubmitOutcome::PermanentFailure {
        code: code.into(),
        reason: format!("refused ({code})"),
    }
}

fn temporary() -> SubmitOutcome {
    SubmitOutcome::TemporaryFailure {
        code: "0x00000058".into(),
        reason: "busy".into(),
    }
}

struct Setup {
    h: Harness,
    rcs: Arc<RecordingConnector>,
    mms: Arc<RecordingConnector>,
    sms: Arc<RecordingConnector>,
    now_ms: i64,
}

/// One route per channel (named after it), those in `routes` only, and a plan over `plan`.
fn setup(plan: &[Channel], routes: &[Channel], config: DispatchConfig) -> Setup {
    let clock = fixed_clock(afternoon());
    let rcs = RecordingConnector::new("rcs", &[Channel::Rcs], clock.clone());
    let mms = RecordingConnector::new("mms", &[Channel::Mms], clock.clone());
    let sms = RecordingConnector::new("sms", &[Channel::Sms], clock.clone());
    let used: Vec<Arc<RecordingConnector>> = [
        (Channel::Rcs, &rcs),
        (Channel::Mms, &mms),
        (Channel::Sms, &sms),
    ]
    .into_iter()
    .filter(|(c, _)| routes.contains(c))
    .map(|(_, r)| r.clone())
    .collect();
    let h = Harness::new(FakePlan::new(plan, None), &used, clock, config);
    Setup {
        h,
        rcs,
        mms,
        sms,
        now_ms: afternoon().as_millisecond(),
    }
}

fn status(s: &Settlement) -> Option<(MessageStatus, &str, &str)> {
    match s {
        Settlement::Done {
            status,
            error_code,
            detail,
            ..
        } => Some((
            *status,
            error_code.as_deref().unwrap_or(""),
            detail.as_deref().unwrap_or(""),
        )),
        _ => None,
    }
}

fn sent_on(s: &Settlement) -> Option<(Channel, &str)> {
    match s {
        Settlement::Sent { channel, route, .. } => Some((*channel, route.as_str())),
        _ => None,
    }
}

const ALL: [Channel; 3] = [Channel::Rcs, Channel::Mms, Channel::Sms];

#[test]
fn rcs_not_capable_falls_back_to_mms_in_the_same_call() {
    let s = setup(&ALL, &ALL, DispatchConfig::default());
    s.rcs.script(PHONE, [permanent("not_rcs_capable")]);
    let settled = s.h.process(message());
    assert_eq!(
        sent_on(&settled),
        Some((Channel::Mms, "mms")),
        "{settled:?}"
    );
    assert_eq!(s.rcs.sent().len(), 1);
    assert_eq!(s.mms.sent().len(), 1);
    assert!(s.sms.sent().is_empty());
    assert_eq!(
        s.h.plan.calls(),
        [(Channel::Rcs, false), (Channel::Mms, false)]
    );
}

#[test]
fn an_mms_refusal_falls_back_to_sms_with_a_link() {
    let s = setup(
        &[Channel::Mms, Channel::Sms],
        &ALL,
        DispatchConfig::default(),
    );
    s.mms.script(PHONE, [permanent("unsupported_content")]);
    let settled = s.h.process(message());
    assert_eq!(
        sent_on(&settled),
        Some((Channel::Sms, "sms")),
        "{settled:?}"
    );
    assert_eq!(
        s.h.plan.calls(),
        [(Channel::Mms, false), (Channel::Sms, true)]
    );
    let sms = s.sms.sent();
    assert_eq!(sms.len(), 1);
    assert!(matches!(&sms[0].1.content, Content::Text(t) if t.contains("https://l.test/x")));
}

#[test]
fn an_unsubscribed_refusal_ends_the_plan_without_trying_poorer_channels() {
    let s = setup(&ALL, &ALL, DispatchConfig::default());
    s.rcs.script(PHONE, [permanent("21610")]);
    let settled = s.h.process(message());
    assert_eq!(
        status(&settled).map(|(st, code, _)| (st, code)),
        Some((MessageStatus::Failed, "21610"))
    );
    assert!(s.mms.sent().is_empty() && s.sms.sent().is_empty());
}

#[test]
fn throttling_retries_without_counting_and_halves_the_route_rate() {
    let s = setup(&[Channel::Sms], &ALL, DispatchConfig::default());
    let key = RateKey::Route("sms".into());
    s.h.limits.set_limit(
        key.clone(),
        Limit {
            per_second: 40.0,
            burst: 10,
        },
        Instant::now(),
    );
    s.sms.script(
        PHONE,
        [SubmitOutcome::Throttled {
            retry_after: Some(Duration::from_secs(5)),
        }],
    );
    let settled = s.h.process(message());
    let Settlement::Retry {
        due_at,
        channel,
        error_code,
        counts,
        ..
    } = settled
    else {
        panic!("not a retry: {settled:?}");
    };
    assert_eq!(due_at, s.now_ms + 5_000, "the carrier's pause");
    assert_eq!(channel, Some(Channel::Sms));
    assert_eq!(error_code.as_deref(), Some("throttled"));
    assert!(!counts, "throttling is not the message's fault");
    assert_eq!(s.h.limits.current_rate(&key, Instant::now()), Some(20.0));

    // Without a pause named, a second later.
    s.sms
        .script(PHONE, [SubmitOutcome::Throttled { retry_after: None }]);
    let Settlement::Retry { due_at, counts, .. } = s.h.process(message()) else {
        panic!("not a retry");
    };
    assert_eq!((due_at, counts), (s.now_ms + 1_000, false));
}

fn policy() -> DispatchConfig {
    DispatchConfig {
        retry: RetryPolicy {
            base: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
            max_attempts: 3,
            jitter: Jitter::Equal,
        },
        ..DispatchConfig::default()
    }
}

#[test]
fn a_temporary_failure_retries_within_the_policy_and_counts() {
    let s = setup(&[Channel::Sms], &ALL, policy());
    for _ in 0..20 {
        s.sms.script(PHONE, [temporary()]);
        let m = Claimed {
            attempts: 2,
            ..message()
        };
        let Settlement::Retry {
            due_at,
            channel,
            error_code,
            detail,
            counts,
            ..
        } = s.h.process(m)
        else {
            panic!("not a retry");
        };
        // Second attempt failed: ceiling 20 s, equal jitter keeps it above 10 s.
        assert!(
            (s.now_ms + 10_000..=s.now_ms + 20_000).contains(&due_at),
            "due in {} ms",
            due_at - s.now_ms
        );
        assert!(counts);
        assert_eq!(channel, Some(Channel::Sms));
        assert_eq!(error_code.as_deref(), Some("0x00000058"));
        assert_eq!(detail.as_deref(), Some("busy"));
    }
    let route = s.h.dispatcher.routes.get("sms").expect("the sms route");
    assert!(
        !route.is_healthy(),
        "a temporary failure marks the route unhealthy"
    );
}

#[test]
fn retries_run_out_after_max_attempts() {
    let s = setup(&[Channel::Sms], &ALL, policy());
    s.sms.script(PHONE, [temporary()]);
    let settled = s.h.process(Claimed {
        attempts: 3,
        ..message()
    });
    assert_eq!(
        status(&settled),
        Some((
            MessageStatus::Failed,
            "retries_exhausted",
            "0x00000058: busy"
        ))
    );
    assert_eq!(s.sms.sent().len(), 1, "the last attempt was still made");
}

#[test]
fn an_expired_campaign_never_submits() {
    let s = setup(&ALL, &ALL, DispatchConfig::default());
    let settled = s.h.process(Claimed {
        expires_at: Some(s.now_ms),
        ..message()
    });
    assert_eq!(
        status(&settled).map(|(st, c, _)| (st, c)),
        Some((MessageStatus::Expired, "campaign_expired"))
    );
    assert!(s.rcs.sent().is_empty() && s.mms.sent().is_empty() && s.sms.sent().is_empty());
    assert!(
        s.h.plan.calls().is_empty(),
        "nothing composed for an expired message"
    );
}

#[test]
fn a_channel_without_a_route_falls_to_the_next() {
    let s = setup(&ALL, &[Channel::Sms], DispatchConfig::default());
    let settled = s.h.process(message());
    assert_eq!(
        sent_on(&settled),
        Some((Channel::Sms, "sms")),
        "{settled:?}"
    );
    assert_eq!(s.sms.sent().len(), 1);
    // The SMS stands in for the MMS it fell from, so it carries the link.
    assert_eq!(s.h.plan.calls().last(), Some(&(Channel::Sms, true)));

    // No route for any channel of the plan: the message fails.
    let none = setup(
        &[Channel::Rcs, Channel::Mms],
        &[Channel::Sms],
        DispatchConfig::default(),
    );
    let settled = none.h.process(message());
    assert_eq!(
        status(&settled).map(|(st, c, _)| (st, c)),
        Some((MessageStatus::Failed, "no_route"))
    );
    assert!(none.sms.sent().is_empty());
}

#[test]
fn an_opt_out_recorded_while_the_message_is_in_flight_stops_the_submit() {
    let s = setup(&[Channel::Sms], &ALL, DispatchConfig::default());
    let optouts = s.h.dispatcher.recent_opt_outs().clone();
    *s.h.plan.on_content.lock().expect("hook") =
        Some(Box::new(move || optouts.opt_out(TenantId::DEFAULT, PHONE)));
    let settled = s.h.process(message());
    assert_eq!(settled.id(), MessageId(7));
    assert_eq!(
        status(&settled).map(|(st, c, _)| (st, c)),
        Some((MessageStatus::Suppressed, "opted_out"))
    );
    assert_eq!(
        s.h.plan.calls().len(),
        1,
        "the STOP came after the first check"
    );
    assert!(s.sms.sent().is_empty());
}
/// A clock that follows tokio's (paused) time from `at`, so a pacing wait moves it.
struct TokioClock {
    start: tokio::time::Instant,
    at: Timestamp,
}

impl Clock for TokioClock {
    fn now(&self) -> Timestamp {
        let ms = self.at.as_millisecond() + self.start.elapsed().as_millis() as i64;
        Timestamp::from_millisecond(ms).expect("in range")
    }
}

/// Runs one message whose route allows a send every two minutes and has just sent, starting at `at` on a paused
/// tokio clock: the message waits two minutes for its token.
fn after_a_pacing_wait(
    at: &str,
    message: impl FnOnce(i64) -> Claimed,
) -> (Settlement, Vec<Timestamp>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    let _entered = rt.enter();
    let at: Timestamp = at.parse().expect("a timestamp");
    let clock = Arc::new(TokioClock {
        start: tokio::time::Instant::now(),
        at,
    });
    let sms = RecordingConnector::new("sms", &[Channel::Sms], clock.clone());
    let h = Harness::new(
        FakePlan::new(&[Channel::Sms], None),
        std::slice::from_ref(&sms),
        clock,
        DispatchConfig::default(),
    );
    let key = RateKey::Route("sms".into());
    let now = tokio::time::Instant::now().into_std();
    h.limits.set_limit(
        key.clone(),
        Limit {
            per_second: 1.0 / 120.0,
            burst: 1,
        },
        now,
    );
    assert_eq!(
        h.limits.try_take(&[key], now),
        Ok(()),
        "the one token, spent"
    );
    let settled = rt.block_on(crate::process::process(
        &h.dispatcher,
        message(at.as_millisecond()),
    ));
    (settled, sms.sent().into_iter().map(|(t, _)| t).collect())
}

#[test]
fn the_hours_are_checked_again_after_the_pacing_wait() {
    // 20:59 in New York: allowed when claimed, 21:01 by the time the route has a token.
    let (settled, sent) = after_a_pacing_wait("2026-11-26T01:59:00Z", |_| message());
    assert!(sent.is_empty(), "submitted at {sent:?}, after 21:00 local");
    let Settlement::Retry {
        due_at,
        counts,
        channel,
        ..
    } = settled
    else {
        panic!("not rescheduled: {settled:?}");
    };
    assert_eq!(
        channel,
        Some(Channel::Sms),
        "resumes on the channel reached"
    );
    // 08:00 the next morning in New York.
    assert_eq!(
        due_at,
        "2026-11-26T13:00:00Z"
            .parse::<Timestamp>()
            .expect("ts")
            .as_millisecond()
    );
    assert!(!counts);

    // Inside the hours the wait changes nothing.
    let (settled, sent) = after_a_pacing_wait("2026-11-25T20:00:00Z", |_| message());
    assert!(matches!(settled, Settlement::Sent { .. }), "{settled:?}");
    assert_eq!(sent.len(), 1);
}

#[test]
fn the_expiry_is_checked_again_after_the_pacing_wait() {
    let (settled, sent) = after_a_pacing_wait("2026-11-25T20:00:00Z", |now| Claimed {
        expires_at: Some(now + 60_000),
        ..message()
    });
    assert!(
        sent.is_empty(),
        "submitted at {sent:?}, after the campaign expired"
    );
    assert_eq!(
        status(&settled).map(|(st, c, _)| (st, c)),
        Some((MessageStatus::Expired, "campaign_expired"))
    );
}

/// Two SMS routes in failover order, over one plan.
fn two_sms_routes() -> (Harness, Arc<RecordingConnector>, Arc<RecordingConnector>) {
    let clock = fixed_clock(afternoon());
    let first = RecordingConnector::new("sms-a", &[Channel::Sms], clock.clone());
    let second = RecordingConnector::new("sms-b", &[Channel::Sms], clock.clone());
    let h = Harness::new(
        FakePlan::new(&[Channel::Sms], None),
        &[first.clone(), second.clone()],
        clock,
        policy(),
    );
    (h, first, second)
}

#[test]
fn a_temporary_failure_moves_the_message_to_the_next_route_at_once() {
    let (h, first, second) = two_sms_routes();
    first.script(PHONE, [temporary()]);
    let settled = h.process(message());
    let Settlement::Sent { route, .. } = &settled else {
        panic!("not sent: {settled:?}");
    };
    assert_eq!(route, "sms-b", "the second route carried it");
    assert_eq!(first.sent().len(), 1);
    assert_eq!(second.sent().len(), 1);
    // The failed route goes last for the next message, which the healthy one takes first.
    let next = h.process(message());
    assert!(matches!(&next, Settlement::Sent { route, .. } if route == "sms-b"));
    assert_eq!(
        first.sent().len(),
        1,
        "the unhealthy route was not tried first"
    );
}

#[test]
fn when_every_route_fails_temporarily_each_is_tried_once_then_the_message_waits() {
    let (h, first, second) = two_sms_routes();
    first.script(PHONE, [temporary()]);
    second.script(PHONE, [temporary()]);
    let settled = h.process(message());
    assert!(
        matches!(settled, Settlement::Retry { counts: true, .. }),
        "a retry later: {settled:?}"
    );
    assert_eq!((first.sent().len(), second.sent().len()), (1, 1));
}

#[test]
fn throttling_does_not_move_the_message_to_another_route() {
    let (h, first, second) = two_sms_routes();
    first.script(
        PHONE,
        [SubmitOutcome::Throttled {
            retry_after: Some(Duration::from_secs(2)),
        }],
    );
    let settled = h.process(message());
    assert!(
        matches!(settled, Settlement::Retry { counts: false, .. }),
        "throttling waits for the carrier's pause: {settled:?}"
    );
    assert_eq!((first.sent().len(), second.sent().len()), (1, 0));
}

#[test]
fn the_route_table_sends_a_prefix_its_own_way_and_fails_over_inside_the_rule() {
    let clock = fixed_clock(afternoon());
    let shared = RecordingConnector::new("sms-a", &[Channel::Sms], clock.clone());
    let philly = RecordingConnector::new("sms-philly", &[Channel::Sms], clock.clone());
    let backup = RecordingConnector::new("sms-backup", &[Channel::Sms], clock.clone());
    let table: crate::routing::RouteTable = toml::from_str(
        "[[rules]]\nprefix = \"+1215\"\nroutes = [\"sms-philly\", \"sms-backup\"]\n\n\
         [[rules]]\nroutes = [\"sms-a\"]\n",
    )
    .expect("table");
    let h = Harness::with_table(
        FakePlan::new(&[Channel::Sms], None),
        &[shared.clone(), philly.clone(), backup.clone()],
        Some(table),
        clock,
        policy(),
    );
    let route_of = |s: &Settlement| match s {
        Settlement::Sent { route, .. } => route.clone(),
        other => panic!("not sent: {other:?}"),
    };
    assert_eq!(route_of(&h.process(message())), "sms-philly");
    let elsewhere = claimed("+12025550123", Some("America/New_York"), Some("DC"));
    assert_eq!(route_of(&h.process(elsewhere)), "sms-a");
    // A temporary failure moves on within the deciding rule only: never to the shared route.
    philly.script(PHONE, [temporary()]);
    assert_eq!(route_of(&h.process(message())), "sms-backup");
    assert!(shared.sent().iter().all(|(_, m)| m.to != PHONE));
}

#[test]
fn a_rule_whose_only_route_failed_still_tries_it_for_the_next_message() {
    let clock = fixed_clock(afternoon());
    let philly = RecordingConnector::new("sms-philly", &[Channel::Sms], clock.clone());
    let table: crate::routing::RouteTable =
        toml::from_str("[[rules]]\nroutes = [\"sms-philly\"]\n").expect("table");
    let h = Harness::with_table(
        FakePlan::new(&[Channel::Sms], None),
        std::slice::from_ref(&philly),
        Some(table),
        clock,
        policy(),
    );
    philly.script(PHONE, [temporary()]);
    let first = h.process(message());
    assert!(matches!(first, Settlement::Retry { .. }), "{first:?}");
    let second = h.process(message());
    assert!(
        matches!(&second, Settlement::Sent { route, .. } if route == "sms-philly"),
        "the unhealthy route is tried again rather than the message failing for want of a route: {second:?}"
    );
}

#[test]
fn a_plan_without_quiet_hours_sends_at_night_and_a_campaign_waits() {
    // 03:00 in New York: outside every lawful window.
    let night: Timestamp = "2026-11-26T08:00:00Z".parse().expect("a timestamp");
    for quiet_hours in [true, false] {
        let clock = fixed_clock(night);
        let sms = RecordingConnector::new("sms", &[Channel::Sms], clock.clone());
        let plan = Arc::new(FakePlan {
            quiet_hours,
            ..Arc::into_inner(FakePlan::new(&[Channel::Sms], None)).expect("the only handle")
        });
        let h = Harness::new(
            plan,
            std::slice::from_ref(&sms),
            clock,
            DispatchConfig::default(),
        );
        let settled = h.process(message());
        if quiet_hours {
            assert!(
                matches!(settled, Settlement::Retry { counts: false, .. }),
                "a campaign's message waits for the morning: {settled:?}"
            );
            assert!(sms.sent().is_empty());
        } else {
            assert_eq!(
                sent_on(&settled),
                Some((Channel::Sms, "sms")),
                "{settled:?}"
            );
            assert_eq!(sms.sent().len(), 1, "an API message goes when asked");
        }
    }
}

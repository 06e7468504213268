//! One message through the rules, in the order they veto: opt-out, expiry, quiet hours, then content, route,
//! pace and submit, with fallback to the next channel and retries for temporary failures.

use crate::fallback::{self, Next};
use crate::plan::MessagePlan;
use crate::ports::{Claimed, Queue, Settlement};
use crate::rate::{Limit, RateKey};
use crate::routing::RouteQuery;
use crate::worker::Dispatcher;
use canvass_connectors::{OutboundMessage, SubmitOutcome};
use canvass_types::{Channel, MessageStatus};
use jiff::Timestamp;
use std::time::{Duration, Instant};

fn done(m: &Claimed, status: MessageStatus, code: &str, detail: impl Into<String>) -> Settlement {
    Settlement::Done {
        id: m.id,
        status,
        error_code: Some(code.to_owned()),
        detail: Some(detail.into()),
    }
}

pub(crate) async fn process<Q: Queue>(d: &Dispatcher<Q>, m: Claimed) -> Settlement {
    let now = d.clock.now();
    let now_ms = now.as_millisecond();
    if m.opted_out || d.optouts.contains(m.tenant, &m.phone) {
        return done(
            &m,
            MessageStatus::Suppressed,
            "opted_out",
            "the number opted out",
        );
    }
    if m.expires_at.is_some_and(|at| now_ms >= at) {
        return done(
            &m,
            MessageStatus::Expired,
            "campaign_expired",
            "the campaign's expiry passed",
        );
    }
    let plan = match d.plans.plan(&m).await {
        Ok(plan) => plan,
        // The store may be back in a moment; a campaign that no longer compiles will not.
        Err(e) if e.code == "store_error" => {
            return Settlement::Retry {
                id: m.id,
                due_at: now_ms + 5_000,
                channel: m.channel,
                error_code: Some(e.code),
                detail: Some(e.detail),
                counts: true,
            };
        }
        Err(e) => return done(&m, MessageStatus::Failed, &e.code, e.detail),
    };
    if let Some(veto) = outside_hours(d, &m, plan.as_ref(), now, m.channel) {
        return veto;
    }

    let channels = plan.channels();
    let Some(step) = fallback::resume(channels, m.channel) else {
        return done(
            &m,
            MessageStatus::Failed,
            "no_channel",
            "the campaign has no channel",
        );
    };
    let mut channel = step.channel;
    let mut with_link = step.sms_with_link;
    let sender = m.sender.clone().unwrap_or_else(|| plan.sender(&m));
    // Routes that failed this message temporarily in this attempt: the next candidate gets it at once, and only
    // when none is left does the message wait for its retry.
    let mut failed_routes: Vec<String> = Vec::new();
    loop {
        let query = RouteQuery {
            to: &m.phone,
            tenant: m.tenant,
            channel,
            carrier: None,
        };
        let routes = d.routes.candidates(&query);
        let untried = routes.iter().find(|r| !failed_routes.contains(&r.name));
        let Some(route) = untried.or(routes.first()).cloned() else {
            match fallback::after(channels, channel) {
                Some(next) => {
                    channel = next.channel;
                    with_link = next.sms_with_link;
                    continue;
                }
                None => {
                    return done(
                        &m,
                        MessageStatus::Failed,
                        "no_route",
                        format!("no route carries {channel} to {}", m.phone),
                    );
                }
            }
        };
        // Composed once a route exists, so a channel without one costs no render.
        let content = match plan.content(&m, channel, with_link).await {
            Ok(c) => c,
            Err(e) => return done(&m, MessageStatus::Failed, &e.code, e.detail),
        };
        let mut keys = vec![
            RateKey::Route(route.name.clone()),
            RateKey::Sender(sender.clone()),
        ];
        if let (Some(campaign), Some(pace)) = (m.campaign, plan.pace()) {
            let key = RateKey::CampaignRoute(campaign, route.name.clone());
            d.limits.ensure_limit(
                &key,
                Limit {
                    per_second: pace,
                    burst: pace.ceil().max(1.0) as u32,
                },
            );
            keys.push(key);
        }
        d.limits.acquire(&keys).await;
        // The wait (pacing, a carrier's pause, composing media) may have crossed an opt-out, the campaign's expiry or
        // the end of the recipient's hours: the vetoes hold at the submit instant, not only at the claim.
        if d.optouts.contains(m.tenant, &m.phone) {
            return done(
                &m,
                MessageStatus::Suppressed,
                "opted_out",
                "the number opted out",
            );
        }
        let now = d.clock.now();
        if m.expires_at.is_some_and(|at| now.as_millisecond() >= at) {
            return done(
                &m,
                MessageStatus::Expired,
                "campaign_expired",
                "the campaign's expiry passed",
            );
        }
        // Resume on the channel reached: the ones before it were refused or have no route.
        if let Some(veto) = outside_hours(d, &m, plan.as_ref(), now, Some(channel)) {
            return veto;
        }
        let outbound = OutboundMessage {
            id: m.id.0.to_string(),
            from: sender.clone(),
            to: m.phone.clone(),
            content,
            validity: plan.validity(),
            want_receipt: true,
        };
        let outcome = route.connector.submit(&outbound).await;
        route.set_healthy(!matches!(outcome, SubmitOutcome::TemporaryFailure { .. }));
        match fallback::decide(channels, channel, &outcome) {
            Next::Done { channel } => {
                let segments = match &outcome {
                    SubmitOutcome::Accepted { carrier_ids } => carrier_ids.len().max(1) as u32,
                    _ => 1,
                };
                return Settlement::Sent {
                    id: m.id,
                    channel,
                    route: route.name.clone(),
                    sender,
                    carrier_id: outcome.carrier_id().map(|id| carrier_key(&route.name, id)),
                    segments,
                    receipt_deadline: d.now_ms() + d.config.receipt_timeout.as_millis() as i64,
                };
            }
            Next::Fallback(step) => {
                tracing::debug!(message = m.id.0, from = %channel, to = %step.channel, "channel fallback");
                channel = step.channel;
                with_link = step.sms_with_link;
            }
            Next::Retry {
                channel,
                throttled,
                retry_after,
                ..
            } => {
                let (code, detail) = describe(&outcome);
                failed_routes.push(route.name.clone());
                let another = routes.iter().any(|r| !failed_routes.contains(&r.name));
                if !throttled && another {
                    tracing::debug!(message = m.id.0, route = %route.name, %code, "temporary failure: trying the next route");
                    continue;
                }
                let delay = if throttled {
                    // The carrier's pause, not our backoff: throttling says "later", not "broken".
                    d.limits.throttled(
                        &RateKey::Route(route.name.clone()),
                        Instant::now(),
                        retry_after,
                    );
                    Some(retry_after.unwrap_or(Duration::from_secs(1)))
                } else {
                    d.config.retry.next(m.attempts, &mut rand::rng())
                };
                return match delay {
                    Some(delay) => Settlement::Retry {
                        id: m.id,
                        due_at: d.now_ms() + delay.as_millis() as i64,
                        channel: Some(channel),
                        error_code: Some(code),
                        detail: Some(detail),
                        counts: !throttled,
                    },
                    None => done(
                        &m,
                        MessageStatus::Failed,
                        "retries_exhausted",
                        format!("{code}: {detail}"),
                    ),
                };
            }
            Next::Fail { code, reason } => {
                return done(&m, MessageStatus::Failed, &code, reason);
            }
        }
    }
}

/// The quiet-hours veto at `now`: `None` when the message may go now; else a reschedule to the next allowed
/// instant, resuming on `resume`, or expiry when the campaign ends first or no window opens within a week.
fn outside_hours<Q: Queue>(
    d: &Dispatcher<Q>,
    m: &Claimed,
    plan: &dyn MessagePlan,
    now: Timestamp,
    resume: Option<Channel>,
) -> Option<Settlement> {
    if !plan.keeps_quiet_hours() {
        return None;
    }
    let window = plan.window();
    let contact = m.contact.as_ref();
    let zone = contact.and_then(|c| c.time_zone.as_deref());
    let state = contact.and_then(|c| c.state.as_deref());
    match d.hours.next_allowed(now, zone, state, window) {
        None => Some(done(
            m,
            MessageStatus::Expired,
            "no_lawful_window",
            "no allowed hour within a week",
        )),
        Some(at) if at > now => {
            let at = at.as_millisecond();
            if m.expires_at.is_some_and(|exp| exp <= at) {
                return Some(done(
                    m,
                    MessageStatus::Expired,
                    "quiet_hours",
                    "the campaign expires before the recipient's next allowed hour",
                ));
            }
            Some(Settlement::Retry {
                id: m.id,
                due_at: at,
                channel: resume,
                error_code: None,
                detail: None,
                counts: false,
            })
        }
        Some(_) => None,
    }
}

/// Carrier ids are unique per route only; the route name makes them unique in the store.
pub(crate) fn carrier_key(route: &str, carrier_id: &str) -> String {
    format!("{route}:{carrier_id}")
}

fn describe(outcome: &SubmitOutcome) -> (String, String) {
    match outcome {
        SubmitOutcome::Accepted { .. } => ("accepted".into(), String::new()),
        SubmitOutcome::Throttled { retry_after } => (
            "throttled".into(),
            format!("carrier throttled (retry after {retry_after:?})"),
        ),
        SubmitOutcome::TemporaryFailure { code, reason }
        | SubmitOutcome::PermanentFailure { code, reason } => (code.clone(), reason.clone()),
    }
}

#[cfg(test)]
#[path = "process_tests.rs"]
mod tests;

//! The simulator's RBM endpoint and Twilio-shaped upstream pace submits as `SimConfig` says: every Nth answered
//! 429 (`throttle_every`), and an account past `rate_limit` submits in a second answered 429 while another
//! account is not. The connectors report both as `Throttled`, with the `Retry-After` pause.

#[path = "support/sim.rs"]
mod sim;

use std::{sync::Arc, time::Duration};

use canvass_connectors::{Built, OutboundMessage, SubmitOutcome};
use canvass_simulator::SimConfig;
use canvass_types::Personality;

const PAUSE: SubmitOutcome = SubmitOutcome::Throttled {
    retry_after: Some(Duration::from_secs(1)),
};

fn paced(throttle_every: u32, rate_limit: u32) -> Arc<SimConfig> {
    Arc::new(SimConfig {
        throttle_every,
        rate_limit,
        ..SimConfig::ephemeral()
    })
}

fn text(id: String) -> OutboundMessage {
    let to = Personality::Happy.number(20);
    OutboundMessage::text(id, "+12025550100", to, "Doors open at 6")
}

/// Which of `count` submits were throttled.
async fn throttled(built: &Built, prefix: &str, count: usize) -> Vec<bool> {
    let mut throttled = Vec::new();
    for i in 0..count {
        let outcome = built.connector.submit(&text(format!("{prefix}-{i}"))).await;
        match outcome {
            SubmitOutcome::Accepted { .. } => throttled.push(false),
            outcome => {
                assert_eq!(outcome, PAUSE, "{prefix}-{i}");
                throttled.push(true);
            }
        }
    }
    throttled
}

/// Submits until one is throttled (at most 50: far more than fit in a second's window of 2), then how many went.
async fn submits_until_throttled(built: &Built, prefix: &str) -> Option<usize> {
    let answers = throttled(built, prefix, 50).await;
    answers.iter().position(|&t| t)
}

#[tokio::test]
async fn rbm_throttles_every_nth_submit() {
    let (_rig, built) = sim::rcs_rig_with(paced(3, 0), |_| {}).await;
    let answers = throttled(&built, "rbm-every", 6).await;
    assert_eq!(answers, [false, false, true, false, false, true]);
    built.connector.shutdown().await;
}

#[tokio::test]
async fn upstream_throttles_every_nth_submit() {
    let (_rig, built) = sim::upstream_rig_with(paced(2, 0), |_| {}).await;
    let answers = throttled(&built, "up-every", 4).await;
    assert_eq!(answers, [false, true, false, true]);
    built.connector.shutdown().await;
}

#[tokio::test]
async fn rbm_throttles_an_agent_past_its_rate_and_not_another() {
    let sim_config = paced(0, 2);
    let (rig, built) = sim::rcs_rig_with(sim_config, |_| {}).await;
    let went = submits_until_throttled(&built, "rbm-rate").await;
    assert!(went.is_some_and(|n| n >= 2), "throttled after {went:?}");
    // Another agent (another token) has its own window.
    let mut other = sim::rcs_config(&rig.rbm);
    other.token = "another-agent".into();
    other.webhook_bind = None;
    let other = canvass_connectors::rcs::build(other).await.expect("build");
    let outcome = other.connector.submit(&text("rbm-other".into())).await;
    assert!(outcome.is_accepted(), "{outcome:?}");
    built.connector.shutdown().await;
    other.connector.shutdown().await;
}

#[tokio::test]
async fn upstream_throttles_an_account_past_its_rate_and_not_another() {
    let (rig, built) = sim::upstream_rig_with(paced(0, 2), |_| {}).await;
    let went = submits_until_throttled(&built, "up-rate").await;
    assert!(went.is_some_and(|n| n >= 2), "throttled after {went:?}");
    let other = canvass_connectors::http::HttpConfig::new(
        "other-account",
        rig.upstream.base_url(),
        "AC99999999999999999999999999999999",
        rig.upstream.auth_token(),
    );
    let other = canvass_connectors::http::build(other).await.expect("build");
    let outcome = other.connector.submit(&text("up-other".into())).await;
    assert!(outcome.is_accepted(), "{outcome:?}");
    built.connector.shutdown().await;
    other.connector.shutdown().await;
}

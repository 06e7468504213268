//! Capability answers are kept per number: a second send to the same number asks RBM once, a "not capable"
//! answer (404) is kept too, and a zero ttl asks every time.

#[path = "support/sim.rs"]
mod sim;

use std::time::Duration;

use canvass_connectors::{OutboundMessage, SubmitOutcome};
use canvass_types::Personality;

fn text(id: &str, to: &str) -> OutboundMessage {
    OutboundMessage::text(id, sim::AGENT_ID, to, "Polls open at 7")
}

fn not_capable(outcome: &SubmitOutcome) -> bool {
    matches!(outcome, SubmitOutcome::PermanentFailure { code, .. } if code == "not_rcs_capable")
}

#[tokio::test]
async fn a_second_send_to_a_number_reuses_its_capability_answer() {
    let (rig, built) = sim::rcs_rig().await;
    let capable = Personality::Happy.number(11);
    let other = Personality::Happy.number(12);
    for (id, to) in [("c-1", &capable), ("c-2", &capable), ("c-3", &other)] {
        let outcome = built.connector.submit(&text(id, to)).await;
        assert!(outcome.is_accepted(), "{id}: {outcome:?}");
    }
    assert_eq!(rig.rbm.capability_checks(), [capable.clone(), other]);
    assert_eq!(rig.rbm.received().len(), 3, "every message was sent");
    built.connector.shutdown().await;
}

#[tokio::test]
async fn a_not_capable_answer_is_kept_too() {
    let (rig, built) = sim::rcs_rig().await;
    let without_rcs = Personality::NotRcsCapable.number(13);
    for id in ["n-1", "n-2"] {
        let outcome = built.connector.submit(&text(id, &without_rcs)).await;
        assert!(not_capable(&outcome), "{id}: {outcome:?}");
    }
    assert_eq!(rig.rbm.capability_checks(), [without_rcs]);
    assert!(rig.rbm.received().is_empty(), "nothing was sent");
    built.connector.shutdown().await;
}

#[tokio::test]
async fn a_zero_ttl_asks_before_every_send() {
    let (rig, built) = sim::rcs_rig_with(sim::sim_config(), |config| {
        config.capability_cache_ttl = Duration::ZERO;
    })
    .await;
    let capable = Personality::Happy.number(14);
    for id in ["z-1", "z-2"] {
        let outcome = built.connector.submit(&text(id, &capable)).await;
        assert!(outcome.is_accepted(), "{id}: {outcome:?}");
    }
    assert_eq!(rig.rbm.capability_checks(), [capable.clone(), capable]);
    built.connector.shutdown().await;
}

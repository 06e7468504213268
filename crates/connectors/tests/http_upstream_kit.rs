//! The conformance kit against the simulator's Twilio-shaped upstream, every personality.

#[path = "support/sim.rs"]
mod sim;

use std::{sync::Arc, time::Duration};

use canvass_connectors::{
    OutboundMessage,
    kit::{self, Case, KitOptions},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_connector_passes_the_kit_against_every_upstream_personality() {
    let (rig, built) = sim::upstream_rig().await;
    let options = KitOptions {
        message: Arc::new(|id: &str, to: &str| {
            OutboundMessage::text(id, "+12025550100", to, format!("Polls open at 7. ({id})"))
        }),
        our_number: "+12025550100".into(),
        event_timeout: Duration::from_secs(5),
        cases: Case::MESSAGING.to_vec(),
        number_offset: 0,
    };
    kit::run(built, &rig, options).await.assert_passed();
}

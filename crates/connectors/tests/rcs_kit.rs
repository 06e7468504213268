//! The conformance kit against the simulator's RBM endpoint, every personality.

#[path = "support/sim.rs"]
mod sim;

use std::{sync::Arc, time::Duration};

use canvass_connectors::{
    Content, OutboundMessage, RcsContent, Suggestion,
    kit::{self, Case, KitOptions},
};

fn rcs_text(id: &str, to: &str) -> OutboundMessage {
    let mut message = OutboundMessage::text(id, sim::AGENT_ID, to, "");
    message.content = Content::Rcs(RcsContent {
        text: Some(format!("Polls open at 7. ({id})")),
        suggestions: vec![Suggestion::Reply {
            text: "Remind me".into(),
            postback: format!("remind:{id}"),
        }],
        ..RcsContent::default()
    });
    message
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rcs_connector_passes_the_kit_against_every_rbm_personality() {
    let (rig, built) = sim::rcs_rig().await;
    let mut cases = Case::MESSAGING.to_vec();
    cases.push(Case::NotRcsCapable);
    let options = KitOptions {
        message: Arc::new(rcs_text),
        our_number: sim::AGENT_ID.into(),
        event_timeout: Duration::from_secs(5),
        cases,
        number_offset: 0,
    };
    kit::run(built, &rig, options).await.assert_passed();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_text_content_goes_out_as_an_rbm_text_message() {
    let (rig, built) = sim::rcs_rig().await;
    let options = KitOptions {
        message: Arc::new(|id: &str, to: &str| {
            OutboundMessage::text(id, sim::AGENT_ID, to, format!("hello {id}"))
        }),
        our_number: sim::AGENT_ID.into(),
        event_timeout: Duration::from_secs(5),
        cases: vec![Case::Happy, Case::NotRcsCapable, Case::Nack],
        number_offset: 4000,
    };
    kit::run(built, &rig, options).await.assert_passed();
    let texts: Vec<_> = rig
        .rbm
        .received()
        .iter()
        .map(|m| m.body["contentMessage"]["text"].clone())
        .collect();
    assert_eq!(texts.len(), 1, "only the happy message is accepted");
    assert!(
        texts[0]
            .as_str()
            .is_some_and(|t| t.starts_with("hello kit-happy"))
    );
}

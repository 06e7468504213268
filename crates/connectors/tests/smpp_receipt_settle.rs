//! A receipt is answered `ESME_ROK` only once its consumer has stored it. The simulator's SMSC, like a real one,
//! sends a deliver_sm again when it is refused, and when the session that had it ends unanswered: so a receipt
//! that a crashed worker had read but not stored comes back on the next bind instead of being lost.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use canvass_connectors::{
    Connector, ConnectorEvent, EventStream, Incoming, OutboundMessage, SubmitOutcome,
    smpp::{self, SmppConfig},
};
use canvass_simulator::{SimConfig, Stats, smsc::Smsc};

async fn smsc() -> Smsc {
    Smsc::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(SimConfig::ephemeral()),
        Arc::new(Stats::default()),
    )
    .await
    .expect("the simulator's SMSC starts")
}

fn route(addr: SocketAddr) -> SmppConfig {
    let mut config = SmppConfig::new("settle", addr.to_string(), "settle", "secret");
    config.response_timeout = Duration::from_secs(1);
    config.reconnect = canvass_connectors::backoff::Backoff::new(
        Duration::from_millis(20),
        Duration::from_millis(200),
    );
    config
}

async fn submit(connector: &dyn Connector, n: u32) -> String {
    let message = OutboundMessage::text(
        format!("m{n}"),
        "+12025550100",
        format!("+1415555{n:04}"),
        format!("message {n}"),
    );
    match connector.submit(&message).await {
        SubmitOutcome::Accepted { carrier_ids } => carrier_ids[0].clone(),
        other => panic!("message {n} not accepted: {other:?}"),
    }
}

/// The next final receipt for `carrier_id`, with its settle; other events are settled as kept and skipped.
async fn receipt_for(events: &mut EventStream, carrier_id: &str) -> Option<Incoming> {
    let wait = async {
        while let Some(incoming) = events.next_incoming().await {
            match &incoming.event {
                ConnectorEvent::Receipt(r) if r.carrier_id == carrier_id && r.state.is_final() => {
                    return Some(incoming);
                }
                _ => incoming.settle.kept(),
            }
        }
        None
    };
    tokio::time::timeout(Duration::from_secs(5), wait)
        .await
        .ok()
        .flatten()
}

#[tokio::test]
async fn a_receipt_refused_by_its_consumer_is_sent_again_and_one_kept_is_not() {
    let smsc = smsc().await;
    let mut built = smpp::build(route(smsc.local_addr()))
        .await
        .expect("the route binds");
    let refused = submit(built.connector.as_ref(), 1).await;
    let first = receipt_for(&mut built.events, &refused)
        .await
        .expect("the first receipt");
    first.settle.not_kept();
    let again = receipt_for(&mut built.events, &refused)
        .await
        .expect("the SMSC sends a refused receipt again");
    again.settle.kept();

    let kept = submit(built.connector.as_ref(), 2).await;
    receipt_for(&mut built.events, &kept)
        .await
        .expect("the second message's receipt")
        .settle
        .kept();
    // Twice the SMSC's redelivery pause: neither kept receipt comes back.
    let mut later = Vec::new();
    let _ = tokio::time::timeout(Duration::from_millis(2500), async {
        while let Some(incoming) = built.events.next_incoming().await {
            if let ConnectorEvent::Receipt(r) = &incoming.event {
                later.push(r.carrier_id.clone());
            }
            incoming.settle.kept();
        }
    })
    .await;
    assert!(
        !later.contains(&refused) && !later.contains(&kept),
        "kept receipts are not sent again: {later:?}"
    );
    built.connector.shutdown().await;
}

#[tokio::test]
async fn a_receipt_read_but_never_stored_comes_back_on_the_next_bind() {
    let smsc = smsc().await;
    let mut crashed = smpp::build(route(smsc.local_addr()))
        .await
        .expect("the route binds");
    let carrier_id = submit(crashed.connector.as_ref(), 3).await;
    let unsettled = receipt_for(&mut crashed.events, &carrier_id)
        .await
        .expect("the receipt arrives");
    // The worker dies holding it: its session ends with the deliver_sm unanswered.
    crashed.connector.shutdown().await;
    std::mem::forget(unsettled);

    let mut restarted = smpp::build(route(smsc.local_addr()))
        .await
        .expect("the route binds again");
    let redelivered = receipt_for(&mut restarted.events, &carrier_id)
        .await
        .expect("the unanswered receipt is delivered to the next bind");
    redelivered.settle.kept();
    restarted.connector.shutdown().await;
}

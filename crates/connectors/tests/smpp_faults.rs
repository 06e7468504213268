//! The SMPP connector against peers that misbehave: garbage, an oversized command_length, an unknown command,
//! a connection dropped with submits in flight, a half-open peer. Each time the connector must answer
//! "temporary failure" (never "accepted" for an unanswered submit), reconnect, and send later messages; the
//! peer counts what it received, so that nothing is sent twice behind the caller's back.

mod support;

use std::{sync::Arc, time::Duration};

use canvass_connectors::{Connector, OutboundMessage, SubmitOutcome, smpp};
use support::{
    fake_peer::{FakePeer, Script},
    test_config,
};

fn message(n: usize) -> OutboundMessage {
    OutboundMessage::text(
        format!("m{n}"),
        "12345",
        "+4915550100",
        format!("message {n}"),
    )
}

async fn connect(peer: &FakePeer) -> Arc<dyn Connector> {
    smpp::build(test_config(&peer.addr(), "secret"))
        .await
        .expect("bound")
        .connector
}

/// Submits until accepted, as dispatch would after temporary failures while the bind comes back.
async fn until_accepted(connector: &dyn Connector, message: &OutboundMessage) -> Vec<String> {
    until_accepted_counting(connector, message).await.0
}

/// [`until_accepted`], also counting the temporary failures on the way.
async fn until_accepted_counting(
    connector: &dyn Connector,
    message: &OutboundMessage,
) -> (Vec<String>, usize) {
    let mut failures = 0;
    for _ in 0..100 {
        match connector.submit(message).await {
            SubmitOutcome::Accepted { carrier_ids } => return (carrier_ids, failures),
            SubmitOutcome::TemporaryFailure { .. } | SubmitOutcome::Throttled { .. } => {
                failures += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => panic!("{}: {other:?}", message.id),
        }
    }
    panic!("{}: the connector did not recover", message.id);
}

fn assert_temporary(outcome: &SubmitOutcome) {
    assert!(
        matches!(outcome, SubmitOutcome::TemporaryFailure { .. }),
        "expected a temporary failure, got {outcome:?}"
    );
}

#[tokio::test]
async fn garbage_and_an_oversized_pdu_close_the_session_and_it_comes_back() {
    for script in [Script::Garbage, Script::Oversized] {
        let peer = FakePeer::start(vec![script]).await;
        let connector = connect(&peer).await;
        assert_temporary(&connector.submit(&message(1)).await);
        let ids = until_accepted(connector.as_ref(), &message(2)).await;
        let seen = peer.seen();
        assert!(seen.connections >= 2, "{script:?}: reconnected: {seen:?}");
        assert_eq!(seen.submits[0], 1, "{script:?}: {seen:?}");
        assert_eq!(
            seen.accepted, ids,
            "{script:?}: only the second message was accepted"
        );
        connector.shutdown().await;
    }
}

#[tokio::test]
async fn an_unknown_command_gets_a_generic_nack_and_the_session_stays() {
    let peer = FakePeer::start(vec![Script::UnknownCommand]).await;
    let connector = connect(&peer).await;
    assert!(connector.submit(&message(1)).await.is_accepted());
    let nacked = async {
        while peer.seen().nacks.is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), nacked)
        .await
        .expect("a generic_nack for the unknown command");
    assert!(connector.submit(&message(2)).await.is_accepted());
    let seen = peer.seen();
    assert_eq!(seen.nacks, [0x0000_0003], "ESME_RINVCMDID");
    assert_eq!(seen.connections, 1);
    assert_eq!(seen.accepted.len(), 2);
    connector.shutdown().await;
}

#[tokio::test]
async fn a_connection_dropped_mid_window_fails_each_unanswered_submit_once() {
    let peer = FakePeer::start(vec![Script::DropAfter(5)]).await;
    let connector = connect(&peer).await;
    let in_flight: Vec<OutboundMessage> = (0..5).map(message).collect();
    let outcomes = futures::future::join_all(in_flight.iter().map(|m| connector.submit(m))).await;
    outcomes.iter().for_each(assert_temporary);
    let mut accepted = Vec::new();
    for n in 5..10 {
        accepted.extend(until_accepted(connector.as_ref(), &message(n)).await);
    }
    let seen = peer.seen();
    assert_eq!(seen.submits[0], 5, "{seen:?}");
    assert_eq!(seen.accepted, accepted, "{seen:?}");
    assert_eq!(
        seen.submits.iter().sum::<usize>(),
        10,
        "no submit was sent twice: {seen:?}"
    );
    connector.shutdown().await;
}

#[tokio::test]
async fn a_half_open_peer_times_out_and_the_connector_reconnects() {
    let peer = FakePeer::start(vec![Script::Silent]).await;
    // No enquire_link tick within the test: the probe after the timed-out submit must find the peer dead.
    let mut config = test_config(&peer.addr(), "secret");
    config.enquire_link_interval = Duration::from_secs(600);
    let connector = smpp::build(config).await.expect("bound").connector;
    assert_temporary(&connector.submit(&message(1)).await);
    // Until the probe finds the peer dead, the next message may go to it too, and time out as well.
    let (ids, failures) = until_accepted_counting(connector.as_ref(), &message(2)).await;
    let seen = peer.seen();
    assert!(seen.connections >= 2, "{seen:?}");
    assert!(
        (1..=1 + failures).contains(&seen.submits[0]),
        "each submit the silent peer swallowed was reported failed: {seen:?}, {failures} failures"
    );
    assert_eq!(seen.accepted, ids, "{seen:?}");
    connector.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_smsc_builds_but_fails_its_health_check_and_submits_temporarily() {
    // A port that was just free: nothing listens there.
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    let mut config = test_config(&free.to_string(), "secret");
    config.bind_wait = Duration::from_millis(200);
    let built = smpp::build(config).await.expect("built without a bind");
    assert!(matches!(
        built.healthcheck.check().await,
        Err(canvass_connectors::ConnectorError::Unreachable { .. })
    ));
    assert!(matches!(
        built.connector.submit(&message(1)).await,
        SubmitOutcome::TemporaryFailure { ref code, .. } if code == "not_bound"
    ));
    built.connector.shutdown().await;
}

#[tokio::test]
async fn the_health_check_passes_while_a_bind_answers_enquire_link() {
    let peer = FakePeer::start(Vec::new()).await;
    let built = smpp::build(test_config(&peer.addr(), "secret"))
        .await
        .expect("bound");
    built.healthcheck.check().await.expect("healthy");
    built.connector.shutdown().await;
}

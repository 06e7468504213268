//! The MM7 connector against the simulator's MMSC: every personality, receipts matched to the MessageID,
//! DeliverReq as inbound, Basic auth, and the conformance kit.

mod mm7_support;

use std::{sync::Arc, time::Duration};

use canvass_connectors::{
    ConnectorError, ConnectorEvent, DeliveryState, EventStream, SubmitOutcome,
    kit::{self, Case, KitOptions, SimulatorProbe},
};
use canvass_simulator::{
    SimConfig,
    mmsc::{Mmsc, SimMedia},
};
use canvass_types::Personality;
use futures::{FutureExt, StreamExt, future::BoxFuture};
use mm7_support::{config, connect, mms, mmsc};

/// The next event that `pick` accepts, within a few seconds.
async fn next_event<T>(
    events: &mut EventStream,
    mut pick: impl FnMut(ConnectorEvent) -> Option<T>,
) -> T {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let event = events.next().await.expect("the event stream stays open");
            if let Some(found) = pick(event) {
                return found;
            }
        }
    })
    .await
    .expect("the event arrives in time")
}

#[tokio::test]
async fn each_personality_gets_the_answer_and_receipt_it_documents() {
    let mmsc = mmsc(SimConfig::ephemeral()).await;
    let mut built = connect(&mmsc, config(&mmsc.url())).await;
    let connector = built.connector.clone();
    let submit = |personality: Personality, n: u32| {
        let message = mms(
            &format!("p-{}-{n}", personality.name()),
            &personality.number(n),
        );
        let connector = connector.clone();
        async move { (connector.submit(&message).await, message.to) }
    };

    let (outcome, to) = submit(Personality::Happy, 1).await;
    let id = outcome.carrier_id().expect("happy is accepted").to_string();
    let receipt = next_event(&mut built.events, |e| match e {
        ConnectorEvent::Receipt(r) if r.carrier_id == id => Some(r),
        _ => None,
    })
    .await;
    assert_eq!(receipt.state, DeliveryState::Delivered);
    assert_eq!(receipt.to.as_deref(), Some(to.as_str()));

    let (first, _) = submit(Personality::Throttling, 2).await;
    assert_eq!(
        first,
        SubmitOutcome::Throttled {
            retry_after: Some(Duration::from_secs(1))
        }
    );
    let (again, to) = submit(Personality::Throttling, 2).await;
    assert!(again.is_accepted(), "{again:?}");
    assert_eq!(mmsc.stats().accepted_for(&to), 1);

    let (nack, to) = submit(Personality::Nack, 3).await;
    assert!(
        matches!(&nack, SubmitOutcome::PermanentFailure { code, .. } if code == "3002"),
        "{nack:?}"
    );
    assert_eq!(mmsc.stats().accepted_for(&to), 0);

    let (unbind, to) = submit(Personality::UnbindOnSubmit, 4).await;
    assert!(
        matches!(&unbind, SubmitOutcome::TemporaryFailure { code, .. } if code == "connection"),
        "{unbind:?}"
    );
    assert_eq!(mmsc.stats().accepted_for(&to), 0);

    let (silent, to) = submit(Personality::NoResponse, 5).await;
    assert!(
        matches!(&silent, SubmitOutcome::TemporaryFailure { code, .. } if code == "timeout"),
        "{silent:?}"
    );
    assert_eq!(mmsc.stats().accepted_for(&to), 0);

    let (landline, _) = submit(Personality::Landline, 6).await;
    let id = landline
        .carrier_id()
        .expect("a landline is accepted first")
        .to_string();
    let receipt = next_event(&mut built.events, |e| match e {
        ConnectorEvent::Receipt(r) if r.carrier_id == id => Some(r),
        _ => None,
    })
    .await;
    assert_eq!(receipt.state, DeliveryState::Undeliverable);
    assert_eq!(receipt.error_code.as_deref(), Some("RejectionByOtherRS"));

    let snapshot = mmsc.stats().snapshot();
    assert_eq!(snapshot.by_interface["mm7"].accepted, 3);
    assert_eq!(snapshot.by_interface["mm7"].refused, 2);
    assert_eq!(snapshot.by_interface["mm7"].dropped, 2);
    built.connector.shutdown().await;
}

#[tokio::test]
async fn a_deliver_req_arrives_as_inbound_text_and_media() {
    let mmsc = mmsc(SimConfig::ephemeral()).await;
    let mut built = connect(&mmsc, config(&mmsc.url())).await;
    let picture = SimMedia {
        content_type: "image/jpeg".into(),
        name: "cat.jpg".into(),
        data: vec![0xFF, 0xD8, 0xFF, 0xD9],
    };
    mmsc.send_deliver(
        "+12025550999",
        "12345",
        "STOP",
        std::slice::from_ref(&picture),
    )
    .await
    .expect("the connector takes the DeliverReq");
    let inbound = next_event(&mut built.events, |e| match e {
        ConnectorEvent::Inbound(m) => Some(m),
        _ => None,
    })
    .await;
    assert_eq!(inbound.from, "+12025550999");
    assert_eq!(inbound.to, "12345");
    assert_eq!(inbound.text.as_deref(), Some("STOP"));
    assert_eq!(inbound.media.len(), 1);
    assert_eq!(inbound.media[0].content_type, "image/jpeg");
    assert_eq!(inbound.media[0].name, "cat.jpg");
    assert_eq!(inbound.media[0].data.as_ref(), picture.data.as_slice());
    assert_eq!(mmsc.stats().snapshot().by_interface["mm7"].inbound, 1);
}

#[tokio::test]
async fn basic_auth_is_sent_and_wrong_credentials_fail_the_healthcheck() {
    let sim = SimConfig {
        credentials: Some(("vasp".into(), "s3cret".into())),
        ..SimConfig::ephemeral()
    };
    let mmsc = mmsc(sim).await;

    let good = connect(
        &mmsc,
        config(&mmsc.url()).with_credentials("vasp", "s3cret"),
    )
    .await;
    good.healthcheck
        .check()
        .await
        .expect("right credentials pass");
    let outcome = good.connector.submit(&mms("auth-1", "+12025550111")).await;
    assert!(outcome.is_accepted(), "{outcome:?}");

    let bad = connect(&mmsc, config(&mmsc.url()).with_credentials("vasp", "wrong")).await;
    match bad.healthcheck.check().await {
        Err(ConnectorError::Refused { .. }) => {}
        other => panic!("expected Refused, got {other:?}"),
    }
    let outcome = bad.connector.submit(&mms("auth-2", "+12025550112")).await;
    assert!(
        matches!(&outcome, SubmitOutcome::PermanentFailure { code, .. } if code == "http_401"),
        "{outcome:?}"
    );

    let none = connect(&mmsc, config(&mmsc.url())).await;
    assert!(matches!(
        none.healthcheck.check().await,
        Err(ConnectorError::Refused { .. })
    ));
}

#[tokio::test]
async fn an_unreachable_mmsc_fails_the_healthcheck_and_submits_temporarily() {
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/mm7", closed.local_addr().expect("addr"));
    drop(closed);
    let built = canvass_connectors::mm7::build(config(&url))
        .await
        .expect("builds");
    assert!(matches!(
        built.healthcheck.check().await,
        Err(ConnectorError::Unreachable { .. })
    ));
    let outcome = built.connector.submit(&mms("down-1", "+12025550113")).await;
    assert!(
        matches!(&outcome, SubmitOutcome::TemporaryFailure { code, .. } if code == "connect"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn the_mmsc_serves_its_statistics() {
    let mmsc = mmsc(SimConfig::ephemeral()).await;
    let built = connect(&mmsc, config(&mmsc.url())).await;
    assert!(
        built
            .connector
            .submit(&mms("stats-1", "+12025550114"))
            .await
            .is_accepted()
    );
    // reqwest is built without a default TLS provider: install ring before a plain client.
    canvass_connectors::mm7::install_default_crypto_provider();
    let stats: serde_json::Value = reqwest::get(format!("http://{}/sim/stats", mmsc.local_addr()))
        .await
        .expect("GET /sim/stats")
        .bytes()
        .await
        .map(|body| serde_json::from_slice(&body).expect("JSON"))
        .expect("body");
    assert_eq!(stats["accepted_total"], 1);
    // Recipients are counted by number, without the "+" that only some protocols write.
    assert_eq!(stats["by_recipient"]["12025550114"], 1);
    assert_eq!(stats["by_interface"]["mm7"]["accepted"], 1);
}

/// The kit's view of the simulator's MMSC.
struct MmscProbe(Mmsc);

impl SimulatorProbe for MmscProbe {
    fn accepted_for<'a>(&'a self, to: &'a str) -> BoxFuture<'a, u64> {
        async move { self.0.stats().accepted_for(to) }.boxed()
    }

    fn send_inbound<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
        text: &'a str,
    ) -> BoxFuture<'a, Result<(), String>> {
        async move {
            self.0
                .send_deliver(from, to, text, &[])
                .await
                .map_err(|e| e.to_string())
        }
        .boxed()
    }
}

#[tokio::test]
async fn the_conformance_kit_passes_against_the_simulator_mmsc() {
    let mmsc = mmsc(SimConfig::ephemeral()).await;
    let built = connect(&mmsc, config(&mmsc.url())).await;
    let options = KitOptions {
        message: Arc::new(|id: &str, to: &str| mms(id, to)),
        our_number: "12345".into(),
        event_timeout: Duration::from_secs(5),
        cases: Case::MESSAGING.to_vec(),
        number_offset: 100,
    };
    let probe = MmscProbe(mmsc);
    let report = kit::run(built, &probe, options).await;
    report.assert_passed();
    assert_eq!(report.results.len(), Case::MESSAGING.len());
}

//! Basic auth on our MM7 endpoint: the MMSC's reports and DeliverReq get through only with the
//! credentials the route was given; without them the answer is 401 and nothing is emitted.

mod mm7_support;

use std::time::Duration;

use canvass_connectors::{ConnectorEvent, DeliveryState, EventStream, mm7};
use canvass_simulator::{
    SimConfig,
    mmsc::{Mmsc, MmscError},
};
use futures::StreamExt;
use mm7_support::{config, mms, mmsc};

fn credentials(password: &str) -> Option<(String, String)> {
    Some(("mmsc".to_string(), password.to_string()))
}

/// A route whose endpoint wants `mmsc`/`s3cret`, registered with `mmsc` with no credentials yet; and the
/// endpoint's URL.
async fn locked_route(mmsc: &Mmsc) -> (mm7::Mm7Parts, String) {
    let settings = config(&mmsc.url()).with_receiver_credentials("mmsc", "s3cret");
    let mut parts = mm7::build_parts(settings).await.expect("builds");
    parts.built.events = mm7_support::follow::follow(parts.built.events);
    let url = parts.receiver_url(mm7::RECEIVER_PATH).expect("served");
    mmsc.set_report_url(url.clone());
    (parts, url)
}

async fn next_event(events: &mut EventStream) -> ConnectorEvent {
    tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("an event in time")
        .expect("events stay open")
}

#[tokio::test]
async fn requests_without_the_credentials_are_refused_and_emit_nothing() {
    let mmsc = mmsc(SimConfig::ephemeral()).await;
    let (mut parts, url) = locked_route(&mmsc).await;

    match mmsc
        .send_deliver("+12025550401", "12345", "anonymous", &[])
        .await
    {
        Err(MmscError::Refused(reason)) => assert!(reason.contains("401"), "{reason}"),
        other => panic!("expected 401, got {other:?}"),
    }
    mmsc.set_report_target(url.clone(), credentials("wrong"));
    match mmsc
        .send_deliver("+12025550401", "12345", "wrong", &[])
        .await
    {
        Err(MmscError::Refused(reason)) => assert!(reason.contains("401"), "{reason}"),
        other => panic!("expected 401, got {other:?}"),
    }
    mm7::install_default_crypto_provider();
    let refusal = reqwest::Client::new()
        .post(&url)
        .body("whatever")
        .send()
        .await
        .expect("the endpoint answers");
    assert_eq!(refusal.status().as_u16(), 401);
    let challenge = refusal
        .headers()
        .get("www-authenticate")
        .expect("a challenge");
    assert!(challenge.to_str().expect("ASCII").starts_with("Basic"));

    // Nothing came of those: the first event is the one sent with the right credentials.
    mmsc.set_report_target(url, credentials("s3cret"));
    mmsc.send_deliver("+12025550401", "12345", "authorised", &[])
        .await
        .expect("taken with the right credentials");
    match next_event(&mut parts.built.events).await {
        ConnectorEvent::Inbound(inbound) => assert_eq!(inbound.text.as_deref(), Some("authorised")),
        other => panic!("expected the authorised DeliverReq, got {other:?}"),
    }
}

#[tokio::test]
async fn delivery_reports_with_the_credentials_become_receipts() {
    let mmsc = mmsc(SimConfig::ephemeral()).await;
    let (mut parts, url) = locked_route(&mmsc).await;
    mmsc.set_report_target(url, credentials("s3cret"));

    let outcome = parts
        .built
        .connector
        .submit(&mms("auth-1", "+12025550402"))
        .await;
    let id = outcome.carrier_id().expect("accepted").to_string();
    match next_event(&mut parts.built.events).await {
        ConnectorEvent::Receipt(receipt) => {
            assert_eq!(receipt.carrier_id, id);
            assert_eq!(receipt.state, DeliveryState::Delivered);
        }
        other => panic!("expected the receipt, got {other:?}"),
    }
}

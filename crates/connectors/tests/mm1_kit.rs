//! MM1 over SMPP end to end: our MM1 connector pushes the m-notification-ind through our SMPP connector to the
//! simulator's SMSC; the simulated handset fetches the m-retrieve-conf from our content server, decodes it, and
//! answers with m-notifyresp-ind and m-delivery-ind. The conformance kit runs over that whole path.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use bytes::Bytes;
use canvass_connectors::{
    Built, ConnectorEvent, Content, DeliveryState, MediaPart, MmsContent, OutboundMessage,
    kit::{self, Case, KitOptions, SimulatorProbe},
    mm1::{self, Mm1Config, PushSender},
    smpp::{self, SmppConfig},
};
use canvass_simulator::{SimConfig, Simulator};
use futures::{FutureExt, StreamExt, future::BoxFuture};

fn any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

async fn simulator() -> Simulator {
    let config = SimConfig {
        mm7: None,
        rbm: None,
        upstream: None,
        ..SimConfig::ephemeral()
    };
    Simulator::start(config)
        .await
        .expect("the simulator starts")
}

/// An MM1 route over an SMPP route to the simulator's SMSC.
async fn mm1_route(sim: &Simulator) -> Built {
    let smsc = sim.smsc.as_ref().expect("the SMSC runs").local_addr();
    let mut config = SmppConfig::new("mm1-push", smsc.to_string(), "mm1", "secret");
    config.response_timeout = Duration::from_secs(1);
    config.reconnect = canvass_connectors::backoff::Backoff::new(
        Duration::from_millis(20),
        Duration::from_millis(200),
    );
    config.throttle_pause = Duration::from_millis(50);
    let push = smpp::build_smpp(config)
        .await
        .expect("the push route binds");
    let pusher: Arc<dyn PushSender> = push.connector.clone();
    mm1::build(Mm1Config::new("mm1", any_port()), pusher, push.events)
        .await
        .expect("the MM1 route builds")
}

fn picture_message(id: &str, to: &str) -> OutboundMessage {
    OutboundMessage {
        id: id.into(),
        from: "+12025550100".into(),
        to: to.into(),
        content: Content::Mms(MmsContent {
            subject: Some("Your polling place".into()),
            parts: vec![
                MediaPart {
                    content_type: "image/jpeg".into(),
                    name: "map.jpg".into(),
                    data: Bytes::from_static(&[0xFF, 0xD8, 0xFF, 0xD9]),
                },
                MediaPart {
                    content_type: "text/plain".into(),
                    name: "note.txt".into(),
                    data: Bytes::from_static(b"Polls open at 7am."),
                },
            ],
        }),
        validity: None,
        want_receipt: true,
    }
}

/// Counts WAP Pushes (whole notifications, however many segments) the SMSC accepted for a phone.
struct PushProbe<'a>(&'a Simulator);

impl SimulatorProbe for PushProbe<'_> {
    fn accepted_for<'a>(&'a self, to: &'a str) -> BoxFuture<'a, u64> {
        let smsc = self.0.smsc.as_ref().expect("the SMSC runs");
        let digits = to.trim_start_matches('+');
        async move {
            smsc.wap_pushes_for(digits).len() as u64
                + if digits == to {
                    0
                } else {
                    smsc.wap_pushes_for(to).len() as u64
                }
        }
        .boxed()
    }

    fn send_inbound<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
        text: &'a str,
    ) -> BoxFuture<'a, Result<(), String>> {
        let smsc = self.0.smsc.as_ref().expect("the SMSC runs");
        async move { smsc.send_mo(from, to, text).map_err(|e| e.to_string()) }.boxed()
    }
}

#[tokio::test]
async fn the_kit_passes_over_mm1_push_and_simulated_handsets() {
    let sim = simulator().await;
    let built = mm1_route(&sim).await;
    built
        .healthcheck
        .check()
        .await
        .expect("our content server answers");
    let options = KitOptions {
        message: Arc::new(|id: &str, to: &str| picture_message(id, to)),
        our_number: "+12025550100".into(),
        event_timeout: Duration::from_secs(5),
        cases: Case::MESSAGING.to_vec(),
        number_offset: 0,
    };
    kit::run(built, &PushProbe(&sim), options)
        .await
        .assert_passed();
}

#[tokio::test]
async fn a_handset_fetches_decodes_and_reports_and_each_step_is_an_event() {
    let mut sim = simulator().await;
    let built = mm1_route(&sim).await;
    let mut events = built.events;
    let mut reports = sim
        .handset_reports
        .take()
        .expect("handsets follow the SMSC");
    let outcome = built
        .connector
        .submit(&picture_message("m-1", "+12155550288"))
        .await;
    let token = outcome
        .carrier_id()
        .expect("the push was accepted")
        .to_owned();

    let report = tokio::time::timeout(Duration::from_secs(5), reports.recv())
        .await
        .expect("the handset acts in time")
        .expect("the report channel is open")
        .expect("the handset took its MMS");
    assert_eq!(report.transaction_id, token);
    assert_eq!(report.parts, 3, "SMIL, the picture and the text");
    assert!(report.reported);

    let mut seen = Vec::new();
    let receipt = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(event) = events.next().await {
            match event {
                ConnectorEvent::Handset { message_id, what } if message_id == token => {
                    seen.push(what)
                }
                ConnectorEvent::Receipt(r) if r.carrier_id == token => return r,
                _ => {}
            }
        }
        panic!("the event stream ended");
    })
    .await
    .expect("the m-delivery-ind arrives");
    assert_eq!(receipt.state, DeliveryState::Delivered);
    assert!(seen.contains(&"fetched".to_owned()), "{seen:?}");
    assert!(
        seen.contains(&"notifyresp:Retrieved".to_owned()),
        "{seen:?}"
    );
}

#[tokio::test]
async fn text_is_refused_by_an_mm1_route() {
    let sim = simulator().await;
    let built = mm1_route(&sim).await;
    let outcome = built
        .connector
        .submit(&OutboundMessage::text(
            "t-1",
            "+12025550100",
            "+12155550289",
            "hi",
        ))
        .await;
    assert!(
        matches!(outcome, canvass_connectors::SubmitOutcome::PermanentFailure { ref code, .. } if code == "unsupported_content"),
        "{outcome:?}"
    );
}

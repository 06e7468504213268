//! What the Twilio-shaped upstream receives, how its refusals come back, and the health check.

#[path = "support/sim.rs"]
mod sim;

use std::sync::Arc;

use canvass_connectors::{
    ConnectorError, ConnectorEvent, Content, DeliveryState, MediaPart, MmsContent, OutboundMessage,
    SubmitOutcome,
};
use canvass_simulator::SimConfig;
use canvass_types::Personality;

fn param<'a>(params: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    params
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn mms(id: &str, to: &str, parts: Vec<MediaPart>) -> OutboundMessage {
    let mut message = OutboundMessage::text(id, "+12025550100", to, "");
    message.content = Content::Mms(MmsContent {
        subject: None,
        parts,
    });
    message
}

fn part(content_type: &str, name: &str, data: &'static [u8]) -> MediaPart {
    MediaPart {
        content_type: content_type.into(),
        name: name.into(),
        data: bytes::Bytes::from_static(data),
    }
}

#[tokio::test]
async fn a_text_goes_out_as_twilios_form_with_a_status_callback() {
    let (rig, built) = sim::upstream_rig().await;
    let outcome = built
        .connector
        .submit(&OutboundMessage::text(
            "t-1",
            "+12025550100",
            "+12025550251",
            "Hello",
        ))
        .await;
    let sid = outcome.carrier_id().expect("accepted").to_owned();
    assert!(sid.starts_with("SM") && sid.len() == 34, "{sid}");
    let received = rig.upstream.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].sid, sid);
    assert_eq!(received[0].account_sid, sim::ACCOUNT_SID);
    let params = &received[0].params;
    assert_eq!(param(params, "To"), ["+12025550251"]);
    assert_eq!(param(params, "From"), ["+12025550100"]);
    assert_eq!(param(params, "Body"), ["Hello"]);
    assert_eq!(param(params, "StatusCallback"), [rig.status_url().as_str()]);
    built.connector.shutdown().await;
}

#[tokio::test]
async fn an_mms_goes_out_with_media_urls_and_bytes_only_parts_are_refused() {
    let (rig, built) = sim::upstream_rig().await;
    let with_urls = mms(
        "m-1",
        "+12025550252",
        vec![
            part("text/plain", "text.txt", b"Rally Saturday"),
            part("image/jpeg", "https://cdn.example/rally.jpg", b""),
            part("image/png", "https://cdn.example/map.png", b""),
        ],
    );
    let outcome = built.connector.submit(&with_urls).await;
    assert!(outcome.is_accepted(), "{outcome:?}");
    let params = &rig.upstream.received()[0].params;
    assert_eq!(param(params, "Body"), ["Rally Saturday"]);
    assert_eq!(
        param(params, "MediaUrl"),
        [
            "https://cdn.example/rally.jpg",
            "https://cdn.example/map.png"
        ]
    );

    let bytes_only = mms(
        "m-2",
        "+12025550253",
        vec![part("image/jpeg", "rally.jpg", b"\xff\xd8\xff")],
    );
    match built.connector.submit(&bytes_only).await {
        SubmitOutcome::PermanentFailure { code, .. } => assert_eq!(code, "needs_media_urls"),
        other => panic!("expected needs_media_urls, got {other:?}"),
    }
    assert_eq!(rig.stats.accepted_for("+12025550253"), 0);
    built.connector.shutdown().await;
}

#[tokio::test]
async fn twilio_error_codes_come_back_as_the_failure_code() {
    let (_rig, mut built) = sim::upstream_rig().await;
    let nack = OutboundMessage::text("n-1", "+12025550100", Personality::Nack.number(1), "hi");
    match built.connector.submit(&nack).await {
        SubmitOutcome::PermanentFailure { code, .. } => assert_eq!(code, "21211"),
        other => panic!("expected 21211, got {other:?}"),
    }
    let landline =
        OutboundMessage::text("l-1", "+12025550100", Personality::Landline.number(1), "hi");
    let sid = built
        .connector
        .submit(&landline)
        .await
        .carrier_id()
        .expect("a landline is accepted first")
        .to_owned();
    let receipt = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Receipt(r) if r.carrier_id == sid && r.state.is_final() => Some(r.clone()),
        _ => None,
    })
    .await
    .expect("a final receipt");
    assert_eq!(receipt.state, DeliveryState::Undeliverable);
    assert_eq!(receipt.error_code.as_deref(), Some("30006"));
    built.connector.shutdown().await;
}

#[tokio::test]
async fn the_health_check_fetches_the_account_and_fails_on_a_wrong_token() {
    let sim_config = Arc::new(SimConfig {
        credentials: Some(("operator".into(), "upstream-secret".into())),
        ..SimConfig::ephemeral()
    });
    let (_rig, built) = sim::upstream_rig_with(sim_config.clone(), |config| {
        config.auth_token = "upstream-secret".into();
    })
    .await;
    built.healthcheck.check().await.expect("healthy");
    built.connector.shutdown().await;

    let (_rig, built) = sim::upstream_rig_with(sim_config, |config| {
        config.auth_token = "wrong".into();
    })
    .await;
    match built.healthcheck.check().await {
        Err(ConnectorError::Refused { .. }) => {}
        other => panic!("expected Refused, got {other:?}"),
    }
    let outcome = built
        .connector
        .submit(&OutboundMessage::text(
            "a-1",
            "+12025550100",
            "+12025550254",
            "hi",
        ))
        .await;
    assert!(
        matches!(&outcome, SubmitOutcome::PermanentFailure { code, .. } if code == "20003"),
        "{outcome:?}"
    );
    built.connector.shutdown().await;
}

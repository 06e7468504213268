//! RBM events back to the connector: receipts, user messages and suggestion taps; signatures checked; revoke on
//! expiry; credentials refused; 5xx retried.

#[path = "support/sim.rs"]
mod sim;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use base64::{Engine, engine::general_purpose::STANDARD};
use canvass_connectors::{
    ConnectorError, ConnectorEvent, Content, DeliveryState, OutboundMessage, RcsContent,
    SubmitOutcome, rcs,
};
use canvass_simulator::SimConfig;
use canvass_types::Personality;
use serde_json::json;

fn with_ttl(id: &str, to: &str, ttl: Duration) -> OutboundMessage {
    let mut message = OutboundMessage::text(id, sim::AGENT_ID, to, "");
    message.content = Content::Rcs(RcsContent {
        text: Some("Offer ends tonight".into()),
        ttl: Some(ttl),
        ..RcsContent::default()
    });
    message
}

#[tokio::test]
async fn an_undelivered_message_is_revoked_when_its_ttl_runs_out() {
    let (rig, mut built) = sim::rcs_rig().await;
    let to = Personality::Blackhole.number(1);
    let outcome = built
        .connector
        .submit(&with_ttl("ttl-1", &to, Duration::from_millis(200)))
        .await;
    assert_eq!(outcome.carrier_id(), Some("ttl-1"), "{outcome:?}");
    let receipt = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Receipt(r) if r.carrier_id == "ttl-1" => Some(r.clone()),
        _ => None,
    })
    .await
    .expect("a receipt for the expired message");
    assert_eq!(receipt.state, DeliveryState::Deleted);
    assert_eq!(receipt.to.as_deref(), Some(to.as_str()));
    assert_eq!(rig.rbm.revoked(), ["ttl-1"], "RBM saw the DELETE");
    built.connector.shutdown().await;
}

#[tokio::test]
async fn an_undelivered_message_is_revoked_at_its_expire_time_sent_as_expire_time() {
    let (rig, mut built) = sim::rcs_rig().await;
    let to = Personality::Blackhole.number(3);
    let expire_time = jiff::Timestamp::now() + jiff::SignedDuration::from_millis(200);
    let mut message = with_ttl("exp-1", &to, Duration::from_secs(3600));
    if let Content::Rcs(rcs) = &mut message.content {
        rcs.expire_time = Some(expire_time);
    }
    let outcome = built.connector.submit(&message).await;
    assert_eq!(outcome.carrier_id(), Some("exp-1"), "{outcome:?}");
    let body = &rig.rbm.received()[0].body;
    assert_eq!(body["expireTime"], expire_time.to_string());
    assert!(body.get("ttl").is_none(), "expireTime replaces ttl: {body}");
    // The hour-long ttl is ignored: the revoke comes at the expire time.
    let receipt = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Receipt(r) if r.carrier_id == "exp-1" => Some(r.clone()),
        _ => None,
    })
    .await
    .expect("a receipt for the expired message");
    assert_eq!(receipt.state, DeliveryState::Deleted);
    assert_eq!(rig.rbm.revoked(), ["exp-1"], "RBM saw the DELETE");
    built.connector.shutdown().await;
}

#[tokio::test]
async fn a_delivered_message_is_reported_delivered_then_read_and_not_revoked() {
    let (rig, mut built) = sim::rcs_rig().await;
    let to = Personality::Happy.number(2);
    // The ttl outlives the simulator's receipt delay (20 ms) by far; delivery must stop the revoke timer.
    let outcome = built
        .connector
        .submit(&with_ttl("ttl-2", &to, Duration::from_secs(2)))
        .await;
    assert!(outcome.is_accepted(), "{outcome:?}");
    let mut states = Vec::new();
    while states.len() < 2 {
        let state = sim::next_matching(&mut built.events, |event| match event {
            ConnectorEvent::Receipt(r) if r.carrier_id == "ttl-2" => Some(r.state),
            _ => None,
        })
        .await
        .expect("receipts for the delivered message");
        states.push(state);
    }
    assert_eq!(states, [DeliveryState::Delivered, DeliveryState::Read]);
    assert!(rig.rbm.revoked().is_empty());
    built.connector.shutdown().await;
}

#[tokio::test]
async fn a_tapped_suggestion_arrives_as_inbound_with_its_postback() {
    let (rig, mut built) = sim::rcs_rig().await;
    rig.rbm
        .send_suggestion_response("+12025550241", "Count me in", "rsvp:yes")
        .await
        .expect("the receiver takes the event");
    let inbound = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Inbound(m) => Some(m.clone()),
        _ => None,
    })
    .await
    .expect("an inbound message");
    assert_eq!(inbound.from, "+12025550241");
    assert_eq!(inbound.text.as_deref(), Some("Count me in"));
    assert_eq!(inbound.postback.as_deref(), Some("rsvp:yes"));
    built.connector.shutdown().await;
}

/// Posts an event to the receiver as RBM would, signed with `token` over `signed` (normally the event itself).
async fn post_event(
    webhook: std::net::SocketAddr,
    event: &serde_json::Value,
    token: &str,
    signed: &[u8],
) -> u16 {
    let data = serde_json::to_vec(event).expect("event JSON");
    let envelope = json!({ "message": { "data": STANDARD.encode(&data), "messageId": "1" } });
    {
        // reqwest has TLS without a default provider in this workspace.
        canvass_connectors::tls::install_default_crypto_provider();
        reqwest::Client::new()
    }
    .post(format!("http://{webhook}{}", rcs::WEBHOOK_PATH))
    .header("X-Goog-Signature", rcs::goog_signature(token, signed))
    .json(&envelope)
    .send()
    .await
    .expect("the receiver answers")
    .status()
    .as_u16()
}

#[tokio::test]
async fn the_receiver_takes_only_events_signed_with_the_client_token() {
    let (rig, mut built) = sim::rcs_rig().await;
    let event = |text: &str| json!({ "senderPhoneNumber": "+12025550242", "messageId": "u1", "text": text });
    let forged = event("forged");
    let forged_bytes = serde_json::to_vec(&forged).expect("JSON");
    assert_eq!(
        post_event(rig.webhook, &forged, "wrong-token", &forged_bytes).await,
        403
    );
    let tampered = serde_json::to_vec(&event("original")).expect("JSON");
    assert_eq!(
        post_event(rig.webhook, &forged, sim::CLIENT_TOKEN, &tampered).await,
        403
    );
    let genuine = event("genuine");
    let genuine_bytes = serde_json::to_vec(&genuine).expect("JSON");
    assert_eq!(
        post_event(rig.webhook, &genuine, sim::CLIENT_TOKEN, &genuine_bytes).await,
        200
    );
    let texts = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Inbound(m) => m.text.clone(),
        _ => None,
    })
    .await;
    assert_eq!(
        texts.as_deref(),
        Some("genuine"),
        "the forged events were dropped"
    );
    built.connector.shutdown().await;
}

#[tokio::test]
async fn refused_credentials_fail_the_health_check_and_the_submit() {
    let sim_config = SimConfig {
        credentials: Some(("agent".into(), "the-right-token".into())),
        ..SimConfig::ephemeral()
    };
    let (_rig, built) = sim::rcs_rig_with(Arc::new(sim_config.clone()), |_| {}).await;
    match built.healthcheck.check().await {
        Err(ConnectorError::Refused { .. }) => {}
        other => panic!("expected Refused, got {other:?}"),
    }
    let outcome = built
        .connector
        .submit(&OutboundMessage::text("auth-1", "a", "+12025550243", "hi"))
        .await;
    assert!(
        matches!(&outcome, SubmitOutcome::PermanentFailure { code, .. } if code == "UNAUTHENTICATED"),
        "{outcome:?}"
    );
    built.connector.shutdown().await;

    let (_rig, built) = sim::rcs_rig_with(Arc::new(sim_config), |config| {
        config.token = "the-right-token".into();
    })
    .await;
    built
        .healthcheck
        .check()
        .await
        .expect("healthy with the right token");
    built.connector.shutdown().await;
}

#[tokio::test]
async fn server_errors_are_retried_then_reported_temporary() {
    use axum::{Router, http::StatusCode, routing::get};
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    let router = Router::new().route(
        "/v1/phones/{msisdn}/capabilities",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { StatusCode::SERVICE_UNAVAILABLE }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let mut config = rcs::RcsConfig::new("rbm-503", format!("http://{addr}"), "agent", "token");
    config.retries = 2;
    config.retry_initial = Duration::from_millis(5);
    let built = rcs::build(config).await.expect("build");
    let outcome = built
        .connector
        .submit(&OutboundMessage::text("busy-1", "a", "+12025550244", "hi"))
        .await;
    assert!(
        matches!(&outcome, SubmitOutcome::TemporaryFailure { code, .. } if code == "503"),
        "{outcome:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 3, "one try and two retries");
    built.connector.shutdown().await;
    server.abort();
}

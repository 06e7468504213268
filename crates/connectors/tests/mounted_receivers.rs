//! The RCS and Twilio-compatible receivers mounted on a server of the caller's, nested under a prefix, as the
//! Canvass server serves every connector's webhook on its one port.

#[path = "support/sim.rs"]
mod sim;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{Router, routing::get};
use canvass_connectors::{
    ConnectorEvent, DeliveryState, OutboundMessage,
    http::{self, HttpConfig},
    rcs,
};
use canvass_simulator::{Stats, rbm::Rbm, upstream::Upstream};
use canvass_types::Personality;
use tokio::net::TcpListener;

async fn listener() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    (listener, addr)
}

/// Serves `app` the way the server would: one listener, other routes beside the receivers.
fn serve(listener: TcpListener, app: Router) {
    let app = app.route("/health", get(|| async { "ok" }));
    tokio::spawn(async move { axum::serve(listener, app).await });
}

#[tokio::test]
async fn the_rbm_receiver_works_nested_under_a_prefix_on_the_callers_server() {
    let stats = Arc::new(Stats::default());
    let rbm = Rbm::start(([127, 0, 0, 1], 0).into(), sim::sim_config(), stats)
        .await
        .expect("start the RBM endpoint");
    let mut config = sim::rcs_config(&rbm);
    config.webhook_bind = None;
    let parts = rcs::build_parts(config).await.expect("build the RCS route");
    assert_eq!(parts.receiver_addr, None, "no listener of its own");
    let receiver = parts.receiver.expect("the receiver is handed back");
    let (listener, addr) = listener().await;
    serve(listener, Router::new().nest("/hooks/rbm-a", receiver));
    rbm.set_webhook(
        format!("http://{addr}/hooks/rbm-a{}", rcs::WEBHOOK_PATH),
        sim::CLIENT_TOKEN,
    );
    let mut built = parts.built;
    built.events = sim::follow(built.events);
    let to = Personality::Happy.number(7);
    let outcome = built
        .connector
        .submit(&OutboundMessage::text(
            "mounted-1",
            sim::AGENT_ID,
            &to,
            "hi",
        ))
        .await;
    assert!(outcome.is_accepted(), "{outcome:?}");
    let state = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Receipt(r) if r.carrier_id == "mounted-1" => Some(r.state),
        _ => None,
    })
    .await;
    assert_eq!(state, Some(DeliveryState::Delivered));
    rbm.send_user_message("+12025550777", "hello agent")
        .await
        .expect("the mounted receiver takes a user message");
    let text = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Inbound(m) => m.text.clone(),
        _ => None,
    })
    .await;
    assert_eq!(text.as_deref(), Some("hello agent"));
    built.connector.shutdown().await;
}

#[tokio::test]
async fn the_twilio_receiver_checks_signatures_over_its_prefixed_public_url() {
    let stats = Arc::new(Stats::default());
    let upstream = Upstream::start(([127, 0, 0, 1], 0).into(), sim::sim_config(), stats)
        .await
        .expect("start the upstream");
    let (listener, addr) = listener().await;
    let public_url = format!("http://{addr}/hooks/twilio-a");
    let mut config = HttpConfig::new(
        "mounted",
        upstream.base_url(),
        sim::ACCOUNT_SID,
        upstream.auth_token(),
    );
    config.public_url = Some(format!("{public_url}/"));
    config.request_timeout = Duration::from_secs(1);
    let parts = http::build_parts(config).await.expect("build the route");
    assert_eq!(parts.receiver_addr, None, "no listener of its own");
    let receiver = parts.receiver.expect("the receiver is handed back");
    serve(listener, Router::new().nest("/hooks/twilio-a", receiver));
    let mut built = parts.built;
    built.events = sim::follow(built.events);
    let to = Personality::Happy.number(8);
    let outcome = built
        .connector
        .submit(&OutboundMessage::text("m-1", "+12025550100", &to, "hi"))
        .await;
    let sid = outcome.carrier_id().expect("accepted").to_owned();
    let callback = upstream.received()[0].params.clone();
    assert!(
        callback.contains(&(
            "StatusCallback".into(),
            format!("{public_url}{}", http::STATUS_PATH)
        )),
        "{callback:?}"
    );
    let state = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Receipt(r)
            if r.carrier_id == sid && r.state == DeliveryState::Delivered =>
        {
            Some(r.state)
        }
        _ => None,
    })
    .await;
    assert_eq!(
        state,
        Some(DeliveryState::Delivered),
        "signed callback taken"
    );
    let inbound_url = format!("{public_url}{}", http::INBOUND_PATH);
    upstream
        .send_inbound("+12025550778", "+12025550100", "reply", &inbound_url)
        .await
        .expect("the mounted receiver takes an inbound message");
    // A signature over the URL without the prefix does not cover where the post arrived: refused.
    let params = vec![
        ("From".to_owned(), "+12025550779".to_owned()),
        ("Body".to_owned(), "forged".to_owned()),
    ];
    let unprefixed = format!("http://{addr}{}", http::INBOUND_PATH);
    let status = {
        // reqwest has TLS without a default provider in this workspace.
        canvass_connectors::tls::install_default_crypto_provider();
        reqwest::Client::new()
    }
    .post(&inbound_url)
    .header(
        "X-Twilio-Signature",
        http::twilio_signature(&upstream.auth_token(), &unprefixed, &params),
    )
    .form(&params)
    .send()
    .await
    .expect("the server answers")
    .status();
    assert_eq!(status.as_u16(), 403);
    let text = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Inbound(m) => m.text.clone(),
        _ => None,
    })
    .await;
    assert_eq!(text.as_deref(), Some("reply"));
    built.connector.shutdown().await;
}

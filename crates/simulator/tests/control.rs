//! The control surface drives the simulator from outside: webhook registration for RBM and MM7, a handset's
//! message on request through each, and refusals that say why.

use std::sync::{Arc, Mutex};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::HeaderMap,
    response::{IntoResponse, Response},
    routing::post,
};
use canvass_mm7::{Body, DeliverRsp, Envelope, Status, StatusCode};
use canvass_simulator::{SimConfig, Simulator};
use tokio::sync::Notify;

/// What a tiny webhook receiver got: (path, content type, body).
#[derive(Default)]
struct Received {
    requests: Mutex<Vec<(String, String, String)>>,
    arrived: Notify,
}

async fn record(
    State(received): State<Arc<Received>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // The MMSC wants the VASP's DeliverRsp, in the request's transaction and namespace.
    let answer = canvass_mm7::decode_http(Some(&content_type), &body)
        .ok()
        .and_then(|request| {
            let rsp = DeliverRsp {
                status: Status::new(StatusCode::Success),
                service_code: None,
            };
            let envelope = Envelope::new(
                &request.transaction_id,
                request.namespace,
                Body::DeliverRsp(rsp),
            );
            canvass_mm7::encode(&envelope).ok()
        });
    received.requests.lock().expect("lock").push((
        uri.path().to_owned(),
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    ));
    received.arrived.notify_waiters();
    match answer {
        Some(encoded) => ([("content-type", encoded.content_type)], encoded.body).into_response(),
        None => "ok".into_response(),
    }
}

async fn receiver() -> (String, Arc<Received>) {
    let received = Arc::new(Received::default());
    let app = Router::new()
        .route("/{*path}", post(record))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

async fn wait_for(received: &Received, path: &str) -> (String, String) {
    tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            let notified = received.arrived.notified();
            if let Some((_, content_type, body)) = received
                .requests
                .lock()
                .expect("lock")
                .iter()
                .find(|(p, _, _)| p == path)
            {
                return (content_type.clone(), body.clone());
            }
            notified.await;
        }
    })
    .await
    .expect("the webhook is called in time")
}

async fn control(sim: &Simulator, path: &str, json: serde_json::Value) -> (u16, String) {
    canvass_simulator::mmsc::install_default_crypto_provider();
    let response = reqwest::Client::new()
        .post(format!(
            "http://{}{path}",
            sim.control.expect("the control surface runs")
        ))
        .json(&json)
        .send()
        .await
        .expect("the control surface answers");
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

#[tokio::test]
async fn registered_webhooks_receive_handset_messages_on_request() {
    let sim = Simulator::start(SimConfig::ephemeral())
        .await
        .expect("the simulator starts");
    let (url, received) = receiver().await;

    let (status, _) = control(
        &sim,
        "/sim/rbm-webhook",
        serde_json::json!({"url": format!("{url}/rbm"), "client_token": "t0k3n"}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, text) = control(
        &sim,
        "/sim/mo",
        serde_json::json!({"via": "rbm", "from": "+12025550123", "to": "agent", "text": "YES"}),
    )
    .await;
    assert_eq!(status, 202, "{text}");
    let (_, body) = wait_for(&received, "/rbm").await;
    // RBM delivers events in a Pub/Sub envelope: the event is base64 in message.data.
    let envelope: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let data = envelope["message"]["data"].as_str().expect("message.data");
    let event =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data).expect("base64");
    let event: serde_json::Value = serde_json::from_slice(&event).expect("the event is JSON");
    assert_eq!(event["text"], "YES");
    assert_eq!(event["senderPhoneNumber"], "+12025550123");

    let (status, _) = control(
        &sim,
        "/sim/mm7-reports",
        serde_json::json!({"url": format!("{url}/mm7")}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, text) = control(&sim, "/sim/mo", serde_json::json!({"via": "mm7", "from": "+12025550124", "to": "12345", "text": "photo please"})).await;
    assert_eq!(status, 202, "{text}");
    let (content_type, body) = wait_for(&received, "/mm7").await;
    assert!(
        content_type.starts_with("multipart/related") || content_type.contains("xml"),
        "{content_type}"
    );
    assert!(
        body.contains("<DeliverReq") && body.contains("<Number>+12025550124</Number>"),
        "{body}"
    );
    // The text travels in the content part, in whatever transfer encoding the MMSC chose.
    let base64_text =
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "photo please");
    assert!(
        body.contains("photo please") || body.contains(&base64_text),
        "{body}"
    );
    assert_eq!(sim.stats().snapshot().by_interface["mm7"].inbound, 1);
}

#[tokio::test]
async fn requests_that_cannot_be_carried_out_say_why() {
    let sim = Simulator::start(SimConfig {
        rbm: None,
        ..SimConfig::ephemeral()
    })
    .await
    .expect("the simulator starts");
    let (status, text) = control(
        &sim,
        "/sim/mo",
        serde_json::json!({"via": "rbm", "from": "1", "to": "2", "text": "x"}),
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (409, "the simulator's RBM interface is off")
    );
    let (status, text) = control(
        &sim,
        "/sim/mo",
        serde_json::json!({"via": "smpp", "from": "1", "to": "2", "text": "x"}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        text.to_lowercase().contains("receiver"),
        "no SMPP receiver is bound: {text}"
    );
    let (status, text) = control(
        &sim,
        "/sim/mo",
        serde_json::json!({"via": "upstream", "from": "1", "to": "2", "text": "x"}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(text.contains("callback_url"), "{text}");
}

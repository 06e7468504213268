//! The simulator's MMSC as an HTTP peer sees it: authentication, refusals of what is not a SubmitReq,
//! answers in the caller's namespace, throttling every Nth submit, and VASP registration.

use std::{net::SocketAddr, sync::Arc};

use canvass_mm7::{Address, Body, DeliverReq, Envelope, Namespace, StatusCode, SubmitReq};
use canvass_simulator::{
    SimConfig, Stats,
    mmsc::{Mmsc, MmscError},
};

async fn start(config: SimConfig) -> Mmsc {
    Mmsc::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(config),
        Arc::new(Stats::default()),
    )
    .await
    .expect("the MMSC starts")
}

fn submit(transaction: &str, namespace: Namespace, to: &str) -> Envelope {
    let mut submit = SubmitReq::default();
    submit.recipients.to.push(Address::number(to));
    Envelope::new(transaction, namespace, Body::SubmitReq(submit))
}

/// POSTs `envelope`; returns the HTTP status, Retry-After and the decoded answer.
async fn post(mmsc: &Mmsc, envelope: &Envelope) -> (u16, Option<String>, Envelope) {
    let encoded = canvass_mm7::encode(envelope).expect("encode");
    post_raw(mmsc, &encoded.content_type, encoded.body).await
}

async fn post_raw(
    mmsc: &Mmsc,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Option<String>, Envelope) {
    let response = client()
        .post(mmsc.url())
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the MMSC answers");
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.bytes().await.expect("body");
    let answer = canvass_mm7::decode_http(content_type.as_deref(), &body).expect("an MM7 answer");
    (status, retry_after, answer)
}

#[tokio::test]
async fn answers_in_the_callers_namespace_and_transaction() {
    let mmsc = start(SimConfig::ephemeral()).await;
    let (status, _, answer) =
        post(&mmsc, &submit("tx-5", Namespace::Rel5(0), "+12025550201")).await;
    assert_eq!(status, 200);
    assert_eq!(answer.transaction_id, "tx-5");
    assert_eq!(answer.namespace, Namespace::Rel5(0));
    match answer.body {
        Body::SubmitRsp(rsp) => {
            assert_eq!(rsp.status.code, StatusCode::Success);
            assert!(rsp.message_id.is_some());
        }
        other => panic!("expected SubmitRsp, got {other:?}"),
    }
    assert_eq!(mmsc.stats().accepted_for("+12025550201"), 1);
}

#[tokio::test]
async fn what_is_not_a_submit_req_is_refused_with_a_reason() {
    let mmsc = start(SimConfig::ephemeral()).await;
    let (status, _, answer) = post_raw(&mmsc, "text/xml", b"<broken".to_vec()).await;
    assert_eq!(status, 400);
    assert!(
        matches!(&answer.body, Body::RsErrorRsp(e) if e.status.code == StatusCode::MessageFormatCorrupt)
    );

    let deliver = Envelope::new(
        "tx-d",
        Namespace::Rel6(4),
        Body::DeliverReq(DeliverReq::new(Address::number("1"))),
    );
    let (status, _, answer) = post(&mmsc, &deliver).await;
    assert_eq!(status, 400);
    assert!(
        matches!(&answer.body, Body::RsErrorRsp(e) if e.status.code == StatusCode::UnsupportedOperation)
    );
    assert_eq!(answer.transaction_id, "tx-d");
    assert_eq!(mmsc.stats().snapshot().by_interface["mm7"].refused, 2);
}

#[tokio::test]
async fn every_nth_submit_is_throttled_when_configured() {
    let mmsc = start(SimConfig {
        throttle_every: 2,
        ..SimConfig::ephemeral()
    })
    .await;
    let (first, _, _) = post(&mmsc, &submit("t1", Namespace::Rel6(4), "+12025550202")).await;
    let (second, retry_after, answer) =
        post(&mmsc, &submit("t2", Namespace::Rel6(4), "+12025550203")).await;
    assert_eq!(first, 200);
    assert_eq!(second, 503);
    assert_eq!(retry_after.as_deref(), Some("1"));
    assert!(
        matches!(&answer.body, Body::RsErrorRsp(e) if e.status.code == StatusCode::ServiceUnavailable)
    );
}

#[tokio::test]
async fn credentials_are_checked_only_when_configured() {
    let open = start(SimConfig::ephemeral()).await;
    let client = client();
    let probe = client.get(open.url()).send().await.expect("GET");
    assert_eq!(probe.status().as_u16(), 200);

    let locked = start(SimConfig {
        credentials: Some(("vasp".into(), "pw".into())),
        ..SimConfig::ephemeral()
    })
    .await;
    let anonymous = client.get(locked.url()).send().await.expect("GET");
    assert_eq!(anonymous.status().as_u16(), 401);
    assert!(anonymous.headers().contains_key("www-authenticate"));
    let wrong = client
        .post(locked.url())
        .basic_auth("vasp", Some("no"))
        .body("x")
        .send()
        .await
        .expect("POST");
    assert_eq!(wrong.status().as_u16(), 401);
    let right = client
        .get(locked.url())
        .basic_auth("vasp", Some("pw"))
        .send()
        .await
        .expect("GET");
    assert_eq!(right.status().as_u16(), 200);
}

#[tokio::test]
async fn a_deliver_needs_a_registered_vasp_url() {
    let mmsc = start(SimConfig::ephemeral()).await;
    assert!(matches!(
        mmsc.send_deliver("+12025550204", "12345", "hi", &[]).await,
        Err(MmscError::NoVaspUrl)
    ));
    let client = client();
    let register = format!("http://{}/sim/vasp", mmsc.local_addr());
    let bad = client
        .post(&register)
        .body("not a url")
        .send()
        .await
        .expect("POST");
    assert_eq!(bad.status().as_u16(), 400);
    // Registered, but nobody listens there: the MMSC says so rather than pretend.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/mm7", closed.local_addr().expect("addr"));
    drop(closed);
    let good = client.post(&register).body(url).send().await.expect("POST");
    assert_eq!(good.status().as_u16(), 204);
    assert!(matches!(
        mmsc.send_deliver("+12025550204", "12345", "hi", &[]).await,
        Err(MmscError::Vasp(_))
    ));
}

/// A plain client; reqwest is built without a default TLS provider, so one is installed first.
fn client() -> reqwest::Client {
    canvass_simulator::mmsc::install_default_crypto_provider();
    reqwest::Client::new()
}

#[tokio::test]
async fn a_tls_listener_needs_a_readable_certificate_and_key() {
    let refused = Mmsc::start_tls(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(SimConfig::ephemeral()),
        Arc::new(Stats::default()),
        &canvass_simulator::mmsc::MmscTls::new("not a certificate", "not a key"),
    )
    .await;
    match refused {
        Err(error) => {
            assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
            assert!(error.to_string().contains("certificate"), "{error}");
        }
        Ok(mmsc) => panic!("started at {} with junk TLS settings", mmsc.url()),
    }
}

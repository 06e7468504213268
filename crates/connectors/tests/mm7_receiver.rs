//! Our MM7 endpoint for the MMSC: reports and read replies become receipts, answers carry the request's
//! TransactionID and namespace, and malformed bodies are refused with a reason, never a panic.

mod mm7_support;

use std::{sync::Arc, time::Duration};

use canvass_connectors::{Connector, ConnectorEvent, DeliveryState, EventStream, Receipt, mm7};
use canvass_mm7::{
    Address, Body, DeliveryReportReq, Envelope, MmStatus, Namespace, ReadReplyReq, StatusCode,
    SubmitReq,
};
use futures::StreamExt;
use mm7_support::config;

/// Our endpoint, its URL and events; the connector is kept too, since dropping it stops the endpoint.
async fn endpoint() -> (String, EventStream, Arc<dyn Connector>) {
    let parts = mm7::build_parts(config("http://127.0.0.1:9/mm7"))
        .await
        .expect("builds");
    let url = parts.receiver_url(mm7::RECEIVER_PATH).expect("served");
    (
        url,
        mm7_support::follow::follow(parts.built.events),
        parts.built.connector,
    )
}

async fn post(url: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
    // reqwest is built without a default TLS provider: install ring before a plain client.
    mm7::install_default_crypto_provider();
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the endpoint answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

async fn post_envelope(url: &str, envelope: &Envelope) -> Envelope {
    let encoded = canvass_mm7::encode(envelope).expect("encode");
    let (status, body) = post(url, &encoded.content_type, encoded.body).await;
    assert_eq!(status, 200, "{body}");
    canvass_mm7::decode(body.as_bytes()).expect("an MM7 answer")
}

async fn receipt(events: &mut EventStream) -> Receipt {
    match tokio::time::timeout(Duration::from_secs(5), events.next()).await {
        Ok(Some(ConnectorEvent::Receipt(receipt))) => receipt,
        other => panic!("expected a receipt, got {other:?}"),
    }
}

#[tokio::test]
async fn reports_and_read_replies_become_receipts_and_get_answered_in_kind() {
    let (url, mut events, _connector) = endpoint().await;
    let report = DeliveryReportReq {
        relay_server_id: None,
        message_id: "mmsc-7".into(),
        recipient: Address::number("+12025550123"),
        sender: Address::number("12345"),
        date: "2026-11-25T10:00:00Z".into(),
        mm_status: MmStatus::Expired,
        mm_status_extension: None,
        status_text: Some("validity ran out".into()),
        application: Default::default(),
        ua_capabilities: None,
    };
    let request = Envelope::new("tx-dr", Namespace::Rel5(2), Body::DeliveryReportReq(report));
    let answer = post_envelope(&url, &request).await;
    assert_eq!(answer.transaction_id, "tx-dr");
    assert_eq!(answer.namespace, Namespace::Rel5(2));
    match &answer.body {
        Body::DeliveryReportRsp(rsp) => assert_eq!(rsp.status.code, StatusCode::Success),
        other => panic!("expected DeliveryReportRsp, got {other:?}"),
    }
    let got = receipt(&mut events).await;
    assert_eq!(got.carrier_id, "mmsc-7");
    assert_eq!(got.state, DeliveryState::Expired);
    assert_eq!(got.error_code.as_deref(), Some("validity ran out"));

    let reply = ReadReplyReq {
        relay_server_id: None,
        message_id: "mmsc-8".into(),
        recipient: Address::number("+12025550124"),
        sender: Address::number("12345"),
        time_stamp: "2026-11-25T10:01:00Z".into(),
        mm_status: MmStatus::Read,
        status_text: None,
        application: Default::default(),
    };
    let request = Envelope::new("tx-rr", Namespace::Rel6(1), Body::ReadReplyReq(reply));
    let answer = post_envelope(&url, &request).await;
    assert!(
        matches!(&answer.body, Body::ReadReplyRsp(rsp) if rsp.status.code == StatusCode::Success)
    );
    let got = receipt(&mut events).await;
    assert_eq!(
        (got.carrier_id.as_str(), got.state, got.error_code),
        ("mmsc-8", DeliveryState::Read, None)
    );
}

#[tokio::test]
async fn malformed_bodies_get_a_soap_fault_with_the_reason() {
    let (url, _events, _connector) = endpoint().await;
    let cases: [(&str, &[u8]); 5] = [
        ("text/xml", b""),
        ("text/xml", b"<not-closed"),
        (
            "text/xml",
            b"<?xml version=\"1.0\"?><Envelope><Body><Nonsense/></Body></Envelope>",
        ),
        (
            "multipart/related; boundary=\"b\"",
            b"--b\r\nContent-Type: text/xml\r\n\r\n<x\r\n--b--",
        ),
        ("application/octet-stream", &[0xFF, 0x00, 0x80, 0x7F]),
    ];
    for (content_type, body) in cases {
        let (status, answer) = post(&url, content_type, body.to_vec()).await;
        assert_eq!(status, 400, "{content_type} {body:?}: {answer}");
        assert!(
            answer.contains("<faultcode>env:Client</faultcode>"),
            "{answer}"
        );
        assert!(answer.contains("not an MM7 request: "), "{answer}");
    }
}

#[tokio::test]
async fn a_request_meant_for_an_mmsc_is_refused_as_unsupported() {
    let (url, _events, _connector) = endpoint().await;
    let mut submit = SubmitReq::default();
    submit.recipients.to.push(Address::number("+12025550123"));
    let encoded = canvass_mm7::encode(&Envelope::new(
        "tx-s",
        Namespace::Rel6(4),
        Body::SubmitReq(submit),
    ))
    .expect("encode");
    let (status, answer) = post(&url, &encoded.content_type, encoded.body).await;
    assert_eq!(status, 400);
    let answer = canvass_mm7::decode(answer.as_bytes()).expect("a VASPErrorRsp");
    assert!(
        matches!(&answer.body, Body::VaspErrorRsp(e) if e.status.code == StatusCode::UnsupportedOperation)
    );
}

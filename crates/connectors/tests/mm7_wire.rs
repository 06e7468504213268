//! What the MM7 connector puts on the wire, as captured by a recording MMSC: the route's namespace and
//! version, Basic auth, and validators nobody here wrote (Python's email and xml.etree; tshark's HTTP,
//! MIME multipart and XML dissectors).

mod mm7_support;

#[allow(dead_code)] // Only the TCP segment writer is used here.
#[path = "../../mms/tests/support/pcap.rs"]
mod pcap;

use std::{path::PathBuf, process::Command};

use canvass_connectors::mm7;
use canvass_mm7::{Body, Namespace};
use mm7_support::{RawRequest, config, mms, recorder, require_tool};

/// Sends one MMS through a connector with `namespace` and `version` and returns the raw request.
async fn captured(
    namespace: Namespace,
    version: Option<&str>,
    credentials: Option<(&str, &str)>,
) -> RawRequest {
    let recorder = recorder().await;
    let mut config = config(&recorder.url);
    config.namespace = namespace;
    config.mm7_version = version.map(str::to_string);
    config.receiver_bind = None;
    if let Some((user, password)) = credentials {
        config = config.with_credentials(user, password);
    }
    let built = mm7::build(config).await.expect("builds");
    let outcome = built.connector.submit(&mms("wire-1", "+12025550123")).await;
    assert!(outcome.is_accepted(), "{outcome:?}");
    let requests = recorder.requests.lock().expect("lock");
    assert_eq!(requests.len(), 1);
    requests[0].clone()
}

#[tokio::test]
async fn namespace_and_version_are_set_per_route() {
    for (namespace, version, expected_version) in [
        (Namespace::Rel5(2), None, "5.6.0"),
        (Namespace::Rel6(3), Some("6.7.1"), "6.7.1"),
        (
            Namespace::Other("http://example.com/mm7-custom".into()),
            Some("6.8.0"),
            "6.8.0",
        ),
    ] {
        let request = captured(namespace.clone(), version, None).await;
        let soap = String::from_utf8_lossy(&request.body);
        assert!(
            soap.contains(&format!("<SubmitReq xmlns=\"{}\">", namespace.uri())),
            "{soap}"
        );
        assert!(
            soap.contains(&format!("<MM7Version>{expected_version}</MM7Version>")),
            "{soap}"
        );
        let envelope = request.mm7();
        assert_eq!(envelope.namespace, namespace);
        assert_eq!(envelope.transaction_id, "wire-1");
        let Body::SubmitReq(submit) = envelope.body else {
            panic!("not a SubmitReq")
        };
        assert_eq!(
            submit.sender_identification.vasp_id.as_deref(),
            Some("vasp-1")
        );
        assert_eq!(
            submit.sender_identification.vas_id.as_deref(),
            Some("vas-1")
        );
        assert_eq!(submit.service_code.as_deref(), Some("svc-7"));
        assert_eq!(submit.recipients.to[0].value, "+12025550123");
        assert_eq!(submit.delivery_report, Some(true));
        assert!(request.header("authorization").is_none());
        assert_eq!(request.header("soapaction").as_deref(), Some("\"\""));
    }
}

#[tokio::test]
async fn basic_auth_is_sent() {
    let request = captured(Namespace::Rel6(4), None, Some(("vasp", "s3cret"))).await;
    // base64("vasp:s3cret")
    assert_eq!(
        request.header("authorization").as_deref(),
        Some("Basic dmFzcDpzM2NyZXQ=")
    );
}

#[tokio::test]
async fn python_email_and_etree_read_what_we_send() {
    if require_tool("python3").is_none() {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mm7-connector-python");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let mut files = Vec::new();
    for namespace in [Namespace::Rel5(0), Namespace::Rel6(4)] {
        let request = captured(namespace.clone(), None, None).await;
        let path = dir.join(format!("{}.mime", namespace.name()));
        let content_type = request.header("content-type").expect("content type");
        let mut entity =
            format!("MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
        entity.extend_from_slice(&request.body);
        std::fs::write(&path, entity).expect("write");
        files.push((path, namespace));
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../mm7/tests/python_check.py");
    let output = Command::new("python3")
        .arg(script)
        .args(files.iter().map(|(path, _)| path))
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "python rejected our MM7: {stderr}");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), files.len());
    for ((_, namespace), seen) in files.iter().zip(&lines) {
        assert_eq!(seen["message"], "SubmitReq");
        assert_eq!(seen["transaction_id"], "wire-1");
        assert_eq!(seen["namespace"], namespace.uri());
        assert_eq!(seen["leaves"].as_array().map(Vec::len), Some(2), "{seen}");
    }
}

fn tshark(pcap: &PathBuf, args: &[&str]) -> String {
    let output = Command::new("tshark")
        .arg("-r")
        .arg(pcap)
        .args(args)
        .output()
        .expect("tshark runs");
    assert!(
        output.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn tshark_dissects_our_submit_without_malformed_packets() {
    if require_tool("tshark").is_none() {
        return;
    }
    let request = captured(Namespace::Rel6(4), None, Some(("vasp", "s3cret"))).await;
    let mut capture = pcap::Pcap::new();
    for segment in request.bytes().chunks(1460) {
        capture.tcp(40_000, 80, segment);
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mm7-connector-tshark");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join("submit.pcap");
    std::fs::write(&path, capture.bytes()).expect("write pcap");

    let malformed = tshark(
        &path,
        &["-Y", "_ws.malformed || _ws.expert.severity >= error"],
    );
    assert!(malformed.trim().is_empty(), "tshark flagged: {malformed}");

    let fields = tshark(
        &path,
        &[
            "-Y",
            "http.request && xml",
            "-T",
            "fields",
            "-E",
            "separator=|",
            "-E",
            "aggregator=,",
            "-e",
            "http.authorization",
            "-e",
            "mime_multipart.header.content-type",
            "-e",
            "xml.tag",
        ],
    );
    let row = fields
        .lines()
        .next()
        .unwrap_or_else(|| panic!("no HTTP request with XML: {fields:?}"));
    assert!(row.contains("Basic dmFzcDpzM2NyZXQ="), "{row}");
    for part in ["text/xml", "multipart/related", "text/plain", "image/gif"] {
        assert!(row.contains(part), "{part} missing in {row}");
    }
    assert!(row.contains("<SubmitReq xmlns="), "{row}");
    assert!(row.contains("TransactionID"), "{row}");
}

//! Handset knowledge end to end: a delivery report names the handset's UAProf, `canvass media learn` fetches it
//! over HTTP (from a server in this test) and stores the limits, and the next `media adapt --handset` for that
//! number fits the handset's own, tighter, picture size.

mod support;

use canvass_mm7::{
    Address, Body, DeliveryReportReq, Envelope, MmStatus, Namespace, UaCapabilities,
};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use support::{canvass_in as canvass, facts};

const PHONE: &str = "+12155550142";

/// A handset that shows pictures up to 176×144, written for this test (the device is made up).
const UAPROF: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:prf="http://www.openmobilealliance.org/tech/profiles/UAPROF/ccppschema-20021212#"
         xmlns:mms="http://www.openmobilealliance.org/tech/profiles/MMS/ccppschema-20050301-MMS1.2#">
  <rdf:Description rdf:ID="Profile">
    <prf:component>
      <rdf:Description rdf:ID="MmsCharacteristics">
        <mms:MmsMaxMessageSize>102400</mms:MmsMaxMessageSize>
        <mms:MmsMaxImageResolution>176x144</mms:MmsMaxImageResolution>
        <mms:MmsCcppAccept>
          <rdf:Bag>
            <rdf:li>image/jpeg</rdf:li>
            <rdf:li>text/plain</rdf:li>
            <rdf:li>application/smil</rdf:li>
          </rdf:Bag>
        </mms:MmsCcppAccept>
      </rdf:Description>
    </prf:component>
  </rdf:Description>
</rdf:RDF>
"##;

/// Serves `UAPROF` to one request on a free port; returns the URL.
fn serve_uaprof_once() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/ct-100.xml", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                UAPROF.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(UAPROF.as_bytes());
        }
    });
    url
}

fn report(uaprof: Option<String>) -> Vec<u8> {
    let body = Body::DeliveryReportReq(DeliveryReportReq {
        relay_server_id: None,
        message_id: "msg-1".into(),
        recipient: Address::number(PHONE.trim_start_matches('+')),
        sender: Address::number("12345"),
        date: "2026-11-25T10:00:00Z".into(),
        mm_status: MmStatus::Retrieved,
        mm_status_extension: None,
        status_text: None,
        application: Default::default(),
        ua_capabilities: uaprof.map(|url| UaCapabilities {
            ua_prof: Some(url),
            time_stamp: None,
        }),
    });
    canvass_mm7::encode(&Envelope::new("t-1", Namespace::Rel6(4), body))
        .expect("encode")
        .body
}

#[test]
fn a_delivery_reports_uaprof_tightens_the_next_adaptation() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let picture = dir.path().join("photo.png");
    image::RgbImage::from_fn(1200, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 256) as u8])
    })
    .save(&picture)
    .expect("write PNG");

    let adapt = |out: &Path| {
        facts(
            canvass(&data)
                .args(["media", "adapt"])
                .arg(&picture)
                .args(["--profile", "generic-600k", "--handset", PHONE, "-o"])
                .arg(out),
        )
    };
    // Before any report, the carrier profile (640×480) applies as it is.
    let before = adapt(&dir.path().join("before.jpg"));
    assert_eq!(
        (before["width"].as_u64(), before["height"].as_u64()),
        (Some(640), Some(480))
    );

    let file = dir.path().join("report.xml");
    std::fs::write(&file, report(Some(serve_uaprof_once()))).expect("write report");
    let learned = facts(canvass(&data).args(["media", "learn"]).arg(&file));
    assert_eq!(learned["phone"], PHONE);
    assert_eq!(learned["capabilities"]["max_message_bytes"], 102_400);

    let after_path = dir.path().join("after.jpg");
    let after = adapt(&after_path);
    let decoded = image::open(&after_path).expect("decode the output");
    assert!(
        decoded.width() <= 176 && decoded.height() <= 144,
        "{}×{} exceeds the handset's 176×144",
        decoded.width(),
        decoded.height()
    );
    assert!(std::fs::metadata(&after_path).unwrap().len() <= 102_400);
    assert_eq!(after["type"], "image/jpeg");
}

#[test]
fn a_report_without_capabilities_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bare.xml");
    std::fs::write(&file, report(None)).expect("write report");
    let out = canvass(&dir.path().join("data"))
        .args(["media", "learn"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bare.xml") && stderr.contains("UAProf"),
        "{stderr}"
    );
}

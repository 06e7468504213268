//! Wireshark's tshark, which nobody here wrote, reads a live session of the SMPP connector off the loopback
//! interface: plain GSM-7, UCS-2, UDH-concatenated text and a WAP Push in binary segments. No PDU may be
//! malformed, and every submit_sm must be there with the alphabet we chose.

mod support;

use std::{path::PathBuf, process::Stdio, time::Duration};

use canvass_connectors::{Connector, OutboundMessage, smpp};
use canvass_mms::{
    EncodedString, MessageType, Pdu, Time, Value,
    field::code,
    wap_push::{self, SegmentOptions},
};
use support::{fake_peer::FakePeer, require_tool, test_config};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
};

/// How tshark shows the GSM features bits of esm_class when the UDHI bit is set.
const UDHI_FEATURE: &str = "0x01";

fn notification() -> Pdu {
    let location = format!(
        "http://mmsc.example.com/retrieve?id={}",
        "0123456789abcdef".repeat(10)
    );
    Pdu::new(MessageType::NotificationInd, Some("notif-7"), (1, 2))
        .with(
            code::FROM,
            Value::From(Some(EncodedString::plain("+15551230009/TYPE=PLMN"))),
        )
        .with(code::MESSAGE_CLASS, Value::Octet(0x80))
        .with(code::MESSAGE_SIZE, Value::Long(31_337))
        .with(code::EXPIRY, Value::Time(Time::Relative(172_800)))
        .with(code::CONTENT_LOCATION, Value::Text(location))
}

fn tshark_read(tshark: &PathBuf, pcap: &PathBuf, port: u16, args: &[&str]) -> String {
    let decode_as = format!("tcp.port=={port},smpp");
    let out = std::process::Command::new(tshark)
        .arg("-r")
        .arg(pcap)
        .args(["-d", &decode_as])
        .args(args)
        .output()
        .expect("tshark runs");
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("tshark prints UTF-8")
}

#[tokio::test]
async fn tshark_reads_every_submit_sm_without_a_malformed_pdu() {
    let Some(tshark) = require_tool("tshark") else {
        return;
    };
    let peer = FakePeer::start(Vec::new()).await;
    let port = peer.addr.port();
    let pcap =
        std::env::temp_dir().join(format!("canvass-smpp-{}-{port}.pcap", std::process::id()));
    let mut capture = Command::new(&tshark)
        .args(["-i", "lo", "-f", &format!("tcp port {port}"), "-w"])
        .arg(&pcap)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("tshark captures");
    let mut stderr = BufReader::new(capture.stderr.take().expect("stderr is piped")).lines();
    let started = async {
        while let Some(line) = stderr.next_line().await.expect("tshark's stderr") {
            // "Capturing on 'lo'" comes before the capture is live; "Capture started" once it is.
            if line.contains("Capture started") {
                return;
            }
        }
        panic!("tshark ended before capturing");
    };
    tokio::time::timeout(Duration::from_secs(20), started)
        .await
        .expect("tshark starts capturing");

    let built = smpp::build_smpp(test_config(&peer.addr(), "secret"))
        .await
        .expect("bound");
    let connector = built.connector;
    let texts = [
        "Plain GSM-7 with € and [brackets]".to_owned(),
        "UCS-2: Привет 😀".to_owned(),
        format!("Long text in two parts: {}", "0123456789".repeat(15)),
    ];
    let mut expected = 0;
    for (n, text) in texts.iter().enumerate() {
        let message = OutboundMessage::text(format!("t{n}"), "12345", "+4915550200", text.clone());
        let outcome = connector.submit(&message).await;
        expected += outcome.carrier_ids_len();
    }
    let opts = SegmentOptions {
        reference: 0x42,
        ..SegmentOptions::default()
    };
    let push = wap_push::segments(&notification(), &opts).expect("a WAP Push");
    assert!(push.len() > 1, "the push needs several segments");
    let outcome = connector
        .submit_binary_segments("12345", "+4915550200", push.clone(), false)
        .await;
    assert_eq!(outcome.carrier_ids_len(), push.len(), "{outcome:?}");
    expected += push.len();
    connector.shutdown().await;

    // Give the capture a moment to write the last packets, then stop it as an operator would (Ctrl-C).
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = capture.id().expect("tshark is running").to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    tokio::time::timeout(Duration::from_secs(20), capture.wait())
        .await
        .expect("tshark stops")
        .expect("tshark exits");

    let malformed = tshark_read(&tshark, &pcap, port, &["-Y", "_ws.malformed"]);
    assert_eq!(malformed, "", "malformed SMPP");
    let submits = tshark_read(
        &tshark,
        &pcap,
        port,
        &[
            "-Y",
            "smpp.command_id == 0x00000004",
            "-T",
            "fields",
            "-E",
            "occurrence=f",
            "-e",
            "smpp.data_coding",
            "-e",
            "smpp.esm.submit.features",
        ],
    );
    let rows: Vec<Vec<&str>> = submits
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), expected, "submit_sm PDUs seen:\n{submits}");
    let codings: Vec<&str> = rows.iter().map(|row| row[0]).collect();
    for coding in ["0x00", "0x08", "0x04"] {
        assert!(
            codings.contains(&coding),
            "data_coding {coding} in {codings:?}"
        );
    }
    let with_udh = rows.iter().filter(|row| row[1] == UDHI_FEATURE).count();
    assert_eq!(with_udh, 2 + push.len(), "{submits}");
    // tshark puts the push's segments back together and reads the MMS notification inside.
    let mms = tshark_read(
        &tshark,
        &pcap,
        port,
        &["-Y", "mmse", "-T", "fields", "-e", "mmse.transaction_id"],
    );
    assert_eq!(
        mms.trim(),
        "notif-7",
        "the WAP Push as tshark reassembled it"
    );
    let _ = std::fs::remove_file(&pcap);
}

trait CarrierIds {
    fn carrier_ids_len(&self) -> usize;
}

impl CarrierIds for canvass_connectors::SubmitOutcome {
    fn carrier_ids_len(&self) -> usize {
        match self {
            Self::Accepted { carrier_ids } => carrier_ids.len(),
            other => panic!("expected accepted, got {other:?}"),
        }
    }
}

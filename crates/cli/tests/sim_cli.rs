//! `canvass sim` as an operator runs it: every listener on the port asked for, an SMPP bind accepted, a handset's
//! message sent on request through the control surface, and the statistics served over HTTP.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use support::canvass;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn bind_transceiver() -> Vec<u8> {
    // bind_transceiver (0x00000009), sequence 1: system_id "sim", password "pw", system_type "", version 3.4,
    // TON/NPI 0, empty address range.
    let body = b"sim\0pw\0\0\x34\x00\x00\0";
    let mut pdu = Vec::new();
    pdu.extend_from_slice(&((16 + body.len()) as u32).to_be_bytes());
    pdu.extend_from_slice(&0x0000_0009u32.to_be_bytes());
    pdu.extend_from_slice(&0u32.to_be_bytes());
    pdu.extend_from_slice(&1u32.to_be_bytes());
    pdu.extend_from_slice(body);
    pdu
}

#[test]
fn sim_serves_every_interface_and_its_statistics() {
    let mut child = canvass()
        .args([
            "sim",
            "--smpp",
            "127.0.0.1:0",
            "--mm7",
            "127.0.0.1:0",
            "--rbm",
            "127.0.0.1:0",
        ])
        .args([
            "--upstream",
            "127.0.0.1:0",
            "--control",
            "127.0.0.1:0",
            "--json",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("canvass sim starts");
    let stdout = child.stdout.take().expect("stdout");
    let _running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the listeners line");
    let listeners: serde_json::Value = serde_json::from_str(&line).expect("JSON");
    for name in ["smpp", "mm7", "rbm", "upstream", "control"] {
        assert!(
            listeners[name]
                .as_str()
                .is_some_and(|a| a.starts_with("127.0.0.1:")),
            "{name} in {line}"
        );
    }

    let mut smpp =
        TcpStream::connect(listeners["smpp"].as_str().expect("smpp")).expect("connect to the SMSC");
    smpp.write_all(&bind_transceiver()).expect("send the bind");
    let mut header = [0u8; 16];
    smpp.read_exact(&mut header).expect("the bind's answer");
    assert_eq!(
        &header[4..8],
        &0x8000_0009u32.to_be_bytes(),
        "bind_transceiver_resp"
    );
    assert_eq!(
        &header[8..12],
        &0u32.to_be_bytes(),
        "ESME_ROK: any bind is accepted by default"
    );

    let mut http =
        TcpStream::connect(listeners["mm7"].as_str().expect("mm7")).expect("connect to the MMSC");
    http.write_all(b"GET /sim/stats HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n")
        .expect("request");
    let mut response = String::new();
    http.read_to_string(&mut response).expect("response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let body = response.split("\r\n\r\n").nth(1).expect("a body");
    let stats: serde_json::Value = serde_json::from_str(body).expect("JSON statistics");
    assert_eq!(stats["accepted_total"], 0);
}

#[test]
fn a_bad_listener_address_is_refused_with_the_flag_named() {
    let out = canvass()
        .args(["sim", "--smpp", "nowhere"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--smpp") && stderr.contains("nowhere"),
        "{stderr}"
    );
}

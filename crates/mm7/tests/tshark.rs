//! Wireshark's dissectors (HTTP, MIME multipart, XML) read our MM7 with no malformed packets. Each message
//! is wrapped in an HTTP POST over a TCP stream in a pcap written here. When tshark is missing the test
//! fails under CI (env var CI set) and is skipped otherwise.

mod common;

use std::path::PathBuf;
use std::process::Command;

use canvass_mm7::*;

const CLIENT: [u8; 4] = [10, 0, 0, 1];
const SERVER: [u8; 4] = [10, 0, 0, 2];
const FIRST_CLIENT_PORT: u16 = 40000;
const SERVER_PORT: u16 = 8082;
const SEGMENT: usize = 1400;

fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = data
        .chunks(2)
        .map(|pair| u32::from(u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}

/// An IPv4 packet carrying one TCP segment of the connection from `client_port`.
fn packet(
    client_port: u16,
    seq: u32,
    ack: u32,
    flags: u8,
    payload: &[u8],
    forward: bool,
) -> Vec<u8> {
    let (src, dst, sport, dport) = if forward {
        (CLIENT, SERVER, client_port, SERVER_PORT)
    } else {
        (SERVER, CLIENT, SERVER_PORT, client_port)
    };
    let mut tcp = Vec::new();
    tcp.extend_from_slice(&sport.to_be_bytes());
    tcp.extend_from_slice(&dport.to_be_bytes());
    tcp.extend_from_slice(&seq.to_be_bytes());
    tcp.extend_from_slice(&ack.to_be_bytes());
    tcp.extend_from_slice(&[0x50, flags, 0xFF, 0xFF, 0, 0, 0, 0]);
    tcp.extend_from_slice(payload);
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&src);
    pseudo.extend_from_slice(&dst);
    pseudo.extend_from_slice(&[0, 6]);
    pseudo.extend_from_slice(&(tcp.len() as u16).to_be_bytes());
    pseudo.extend_from_slice(&tcp);
    let tcp_sum = checksum(&pseudo);
    tcp[16..18].copy_from_slice(&tcp_sum.to_be_bytes());
    let total = (20 + tcp.len()) as u16;
    let mut ip = vec![0x45, 0];
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&[0, 1, 0x40, 0, 64, 6, 0, 0]);
    ip.extend_from_slice(&src);
    ip.extend_from_slice(&dst);
    let ip_sum = checksum(&ip);
    ip[10..12].copy_from_slice(&ip_sum.to_be_bytes());
    ip.extend_from_slice(&tcp);
    ip
}

/// A pcap (LINKTYPE_RAW) with one TCP connection per request: handshake, then the request in segments.
fn pcap(requests: &[Vec<u8>]) -> Vec<u8> {
    let mut packets = Vec::new();
    for (index, request) in requests.iter().enumerate() {
        let port = FIRST_CLIENT_PORT + index as u16;
        packets.push(packet(port, 1000, 0, 0x02, &[], true));
        packets.push(packet(port, 5000, 1001, 0x12, &[], false));
        packets.push(packet(port, 1001, 5001, 0x10, &[], true));
        let mut seq = 1001u32;
        for chunk in request.chunks(SEGMENT) {
            packets.push(packet(port, seq, 5001, 0x18, chunk, true));
            seq += chunk.len() as u32;
        }
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0xA1B2C3D4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&101u32.to_le_bytes());
    for (index, packet) in packets.iter().enumerate() {
        out.extend_from_slice(&(1_700_000_000u32 + index as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(packet.len() as u32).to_le_bytes());
        out.extend_from_slice(&(packet.len() as u32).to_le_bytes());
        out.extend_from_slice(packet);
    }
    out
}

fn http_post(written: &Encoded) -> Vec<u8> {
    let mut request = format!(
        "POST /mm7 HTTP/1.1\r\nHost: mmsc.example\r\nContent-Type: {}\r\nSOAPAction: \"\"\r\nContent-Length: {}\r\n\r\n",
        written.content_type,
        written.body.len()
    )
    .into_bytes();
    request.extend_from_slice(&written.body);
    request
}

fn tshark(pcap: &PathBuf, args: &[&str]) -> String {
    let output = Command::new("tshark")
        .arg("-r")
        .arg(pcap)
        .args(["-o", "tcp.check_checksum:TRUE"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn tshark_dissects_our_mm7_without_malformed_packets() {
    let found = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "tshark is required under CI"
        );
        println!("SKIP: tshark not installed");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mm7-tshark");
    std::fs::create_dir_all(&dir).unwrap();
    let mut envelopes = common::every_message(&Namespace::Rel5(0));
    envelopes.extend(common::every_message(&Namespace::Rel6(4)));
    let requests: Vec<Vec<u8>> = envelopes
        .iter()
        .map(|envelope| http_post(&encode(envelope).unwrap()))
        .collect();
    let path = dir.join("mm7.pcap");
    std::fs::write(&path, pcap(&requests)).unwrap();

    let bad = tshark(
        &path,
        &[
            "-Y",
            "_ws.malformed || _ws.expert.severity >= error || tcp.checksum.status == 0",
        ],
    );
    assert!(bad.trim().is_empty(), "tshark flagged {bad}");

    let rows = tshark(
        &path,
        &[
            "-Y",
            "http.request",
            "-T",
            "fields",
            "-E",
            "separator=|",
            "-e",
            "tcp.srcport",
            "-e",
            "http.content_type",
            "-e",
            "xml.tag",
            "-e",
            "mime_multipart.header.content-id",
        ],
    );
    let rows: Vec<&str> = rows.lines().collect();
    assert_eq!(
        rows.len(),
        envelopes.len(),
        "one HTTP request per message: {rows:?}"
    );
    for (index, envelope) in envelopes.iter().enumerate() {
        let name = envelope.body.element_name();
        let port = (FIRST_CLIENT_PORT + index as u16).to_string();
        let row = rows
            .iter()
            .find(|row| row.split('|').next() == Some(port.as_str()))
            .unwrap_or_else(|| panic!("{name}: no request from port {port}"));
        assert!(row.contains(&format!("<{name} xmlns=")), "{name}: {row}");
        assert!(row.contains("TransactionID"), "{name}: {row}");
        if envelope.content.is_some() {
            assert!(row.contains("|multipart/related"), "{name}: {row}");
            assert!(row.contains("<content@canvass>"), "{name}: {row}");
            assert!(
                row.contains("<img>"),
                "{name}: nested parts missing in {row}"
            );
        } else {
            assert!(row.contains("|text/xml"), "{name}: {row}");
        }
    }
}

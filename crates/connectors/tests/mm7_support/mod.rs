//! Shared by the MM7 connector tests: a simulator MMSC with a connector pointed at it, a recording MMSC that
//! keeps the raw HTTP requests, and the rule for external validators.
#![allow(dead_code)] // Each test binary uses a different subset.

#[path = "../support/follow.rs"]
pub mod follow;
#[path = "../../../mms/tests/support/tools.rs"]
mod tools;

#[allow(unused_imports)] // Only the validator tests use it.
pub use tools::require_tool;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use bytes::Bytes;
use canvass_connectors::{
    Built, Content, MediaPart, MmsContent, OutboundMessage,
    backoff::Backoff,
    mm7::{self, Mm7Config, Mm7Parts},
};
use canvass_mm7::{Body, Envelope, Namespace, Status, StatusCode, SubmitRsp};
use canvass_simulator::{SimConfig, Stats, mmsc::Mmsc};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};

/// A simulator MMSC on an ephemeral port.
pub async fn mmsc(config: SimConfig) -> Mmsc {
    let any = SocketAddr::from(([127, 0, 0, 1], 0));
    Mmsc::start(any, Arc::new(config), Arc::new(Stats::default()))
        .await
        .expect("the MMSC starts")
}

/// Settings for tests: short timeout and backoff, our receiver on an ephemeral port.
pub fn config(url: &str) -> Mm7Config {
    let mut config = Mm7Config::new("mm7-test", url);
    config.vasp_id = Some("vasp-1".into());
    config.vas_id = Some("vas-1".into());
    config.service_code = Some("svc-7".into());
    config.timeout = Duration::from_millis(1500);
    config.retry_backoff = Backoff::new(Duration::from_millis(10), Duration::from_millis(40));
    config.receiver_bind = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    config
}

/// Builds a connector for `mmsc` and registers its receiver there.
pub async fn connect(mmsc: &Mmsc, config: Mm7Config) -> Built {
    let parts: Mm7Parts = mm7::build_parts(config)
        .await
        .expect("the connector builds");
    mmsc.set_report_url(
        parts
            .receiver_url(mm7::RECEIVER_PATH)
            .expect("the receiver is served"),
    );
    let mut built = parts.built;
    built.events = follow::follow(built.events);
    built
}

/// An MMS with a text and a picture.
pub fn mms(id: &str, to: &str) -> OutboundMessage {
    OutboundMessage {
        content: Content::Mms(MmsContent {
            subject: Some("Hello".into()),
            parts: vec![
                MediaPart {
                    content_type: "text/plain; charset=utf-8".into(),
                    name: "text.txt".into(),
                    data: Bytes::from(format!("Hello from {id}")),
                },
                MediaPart {
                    content_type: "image/gif".into(),
                    name: "dot.gif".into(),
                    data: Bytes::from_static(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
                },
            ],
        }),
        ..OutboundMessage::text(id, "12345", to, "")
    }
}

/// One HTTP request as it arrived on the socket.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// Request line and headers, as text.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The whole request, as bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut all = self.head.clone().into_bytes();
        all.extend_from_slice(&self.body);
        all
    }

    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }

    /// The request decoded as MM7.
    pub fn mm7(&self) -> Envelope {
        canvass_mm7::decode_http(self.header("content-type").as_deref(), &self.body)
            .expect("MM7 request")
    }
}

/// An MMSC that records each raw request and answers SubmitRsp 1000; one request per connection.
pub struct Recorder {
    pub url: String,
    pub requests: Arc<Mutex<Vec<RawRequest>>>,
}

pub async fn recorder() -> Recorder {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/mm7", listener.local_addr().expect("addr"));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let kept = requests.clone();
    tokio::spawn(async move {
        let mut serial = 0;
        while let Ok((mut stream, _)) = listener.accept().await {
            serial += 1;
            let Some(request) = read_request(&mut stream).await else {
                continue;
            };
            let transaction = request.mm7().transaction_id;
            kept.lock().expect("lock").push(request);
            let answer = Envelope::new(
                transaction,
                Namespace::Rel6(4),
                Body::SubmitRsp(SubmitRsp {
                    status: Status::new(StatusCode::Success),
                    message_id: Some(format!("rec-{serial}")),
                }),
            );
            let encoded = canvass_mm7::encode(&answer).expect("encode");
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                encoded.content_type,
                encoded.body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&encoded.body).await;
        }
    });
    Recorder { url, requests }
}

/// Reads one request with a Content-Length body.
async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<RawRequest> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    Some(RawRequest {
        head,
        body: buffer[head_end..head_end + length].to_vec(),
    })
}

//! Kannel (bearerbox + smsbox) as an SMPP client of the simulated SMSC: a plain text, a long UCS-2 text that
//! Kannel splits, and a WAP Push, each with delivery reports requested (dlr-mask=3) and checked at a DLR URL.
//! Skipped when Kannel is not installed, unless CI=true.

#[path = "../../mms/tests/support/tools.rs"]
mod tools;

use std::{
    collections::HashMap,
    fmt::Write as _,
    net::{SocketAddr, TcpListener as StdListener},
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use canvass_mms::{Time, compose, wap_push};
use canvass_simulator::{SimConfig, Stats, smsc::Smsc};
use canvass_types::Personality;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::mpsc,
};

/// Kannel needs a few seconds to start and bind; everything waits at most this long.
const KANNEL_WAIT: Duration = Duration::from_secs(60);

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free loopback port (bound then released; Kannel binds it a moment later).
fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Ports {
    admin: u16,
    smsbox: u16,
    sendsms: u16,
}

fn kannel_conf(dir: &Path, smsc: SocketAddr, ports: &Ports) -> String {
    let log = |name: &str| dir.join(name).display().to_string();
    format!(
        r#"group = core
admin-port = {admin}
admin-password = admin
status-password = admin
admin-allow-ip = "127.0.0.1"
smsbox-port = {smsbox}
box-allow-ip = "127.0.0.1"
log-file = "{bearerbox_log}"
log-level = 0
dlr-storage = internal

group = smsc
smsc = smpp
smsc-id = sim
host = 127.0.0.1
port = {smsc_port}
transceiver-mode = true
smsc-username = kannel
smsc-password = secret
system-type = canvass
enquire-link-interval = 30
reconnect-delay = 1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox}
sendsms-port = {sendsms}
log-file = "{smsbox_log}"
log-level = 0

group = sendsms-user
username = tester
password = pw
concatenation = true
max-messages = 5
"#,
        admin = ports.admin,
        smsbox = ports.smsbox,
        sendsms = ports.sendsms,
        smsc_port = smsc.port(),
        bearerbox_log = log("bearerbox.log"),
        smsbox_log = log("smsbox.log"),
    )
}

/// Waits until something listens on `port`.
async fn wait_for_port(port: u16, what: &str) {
    let started = tokio::time::Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(
            started.elapsed() < KANNEL_WAIT,
            "{what} never listened on {port}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One HTTP/1.0 GET over a raw socket; returns the whole response.
async fn http_get(port: u16, path_and_query: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let request = format!("GET {path_and_query} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("send the request");
    let mut response = Vec::new();
    tokio::time::timeout(KANNEL_WAIT, stream.read_to_end(&mut response))
        .await
        .expect("an answer in time")
        .expect("read the answer");
    String::from_utf8_lossy(&response).into_owned()
}

fn url_encode(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, &b| {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

/// Serves DLR callbacks: every request's path and query, sent on the channel, answered 200.
async fn dlr_listener() -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the DLR listener");
    let port = listener.local_addr().expect("local addr").port();
    let (sender, receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let sender = sender.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&request);
                if let Some(target) = text.split_whitespace().nth(1) {
                    let _ = sender.send(target.to_owned());
                }
                let _ = stream
                    .write_all(
                        b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                    )
                    .await;
            });
        }
    });
    (port, receiver)
}

fn query_param<'a>(target: &'a str, name: &str) -> Option<&'a str> {
    target
        .split_once('?')?
        .1
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

fn logs(dir: &Path) -> String {
    ["bearerbox.log", "smsbox.log"]
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(40).collect();
            format!("--- {name} (last lines, newest first)\n{}", tail.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kannel_sends_text_long_ucs2_and_wap_push_and_gets_matched_receipts() {
    let (Some(bearerbox), Some(smsbox)) = (
        tools::require_tool("bearerbox"),
        tools::require_tool("smsbox"),
    ) else {
        return;
    };
    let stats = Arc::new(Stats::default());
    let config = SimConfig {
        credentials: Some(("kannel".into(), "secret".into())),
        ..SimConfig::ephemeral()
    };
    let smsc = Smsc::start(
        "127.0.0.1:0".parse().expect("addr"),
        Arc::new(config),
        stats.clone(),
    )
    .await
    .expect("start the SMSC");
    let mut pushes = smsc.wap_pushes();
    let (dlr_port, mut dlrs) = dlr_listener().await;

    let dir = tempfile::tempdir().expect("a temp dir");
    let ports = Ports {
        admin: free_port(),
        smsbox: free_port(),
        sendsms: free_port(),
    };
    let conf = dir.path().join("kannel.conf");
    std::fs::write(&conf, kannel_conf(dir.path(), smsc.local_addr(), &ports))
        .expect("write kannel.conf");
    let spawn = |program: &Path| {
        Command::new(program)
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(Killed)
            .expect("start a Kannel box")
    };
    let _bearerbox = spawn(&bearerbox);
    wait_for_port(ports.smsbox, "bearerbox").await;
    let _smsbox = spawn(&smsbox);
    wait_for_port(ports.sendsms, "smsbox").await;

    let plain_to = Personality::Happy
        .number(101)
        .trim_start_matches('+')
        .to_owned();
    let long_to = Personality::Happy
        .number(102)
        .trim_start_matches('+')
        .to_owned();
    let push_to = Personality::Happy
        .number(103)
        .trim_start_matches('+')
        .to_owned();
    let long_text = "Привет, мир! Это длинное сообщение. ".repeat(4);
    assert!(long_text.chars().count() > 70);
    let notification = compose::notification_ind(
        "K1",
        Some("+12025550100"),
        None,
        12_000,
        Time::Relative(3_600),
        "http://mmsc.example/k1",
    );
    let push = wap_push::push_pdu(&notification, 1).expect("a WSP push");
    let port_udh = [0x06, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0];
    assert!(push.len() + port_udh.len() <= 140, "the push fits one SMS");

    let dlr_url = |name: &str| {
        url_encode(format!("http://127.0.0.1:{dlr_port}/dlr?msg={name}&status=%d").as_bytes())
    };
    let base = "/cgi-bin/sendsms?username=tester&password=pw&from=12345&dlr-mask=3";
    let requests = [
        (
            "plain",
            format!(
                "{base}&to={plain_to}&text=hello%20from%20kannel&dlr-url={}",
                dlr_url("plain")
            ),
        ),
        (
            "long",
            format!(
                "{base}&to={long_to}&coding=2&charset=UTF-8&text={}&dlr-url={}",
                url_encode(long_text.as_bytes()),
                dlr_url("long")
            ),
        ),
        (
            "push",
            format!(
                "{base}&to={push_to}&coding=1&udh={}&text={}&dlr-url={}",
                url_encode(&port_udh),
                url_encode(&push),
                dlr_url("push")
            ),
        ),
    ];
    for (name, request) in &requests {
        let response = http_get(ports.sendsms, request).await;
        assert!(
            response.contains("Accepted") || response.contains("Sent"),
            "sendsms refused {name}: {response}\n{}",
            logs(dir.path())
        );
    }

    // Delivery reports: each message must be reported delivered (%d = 1), and none failed.
    let mut delivered: HashMap<String, u32> = HashMap::new();
    let waited = tokio::time::timeout(KANNEL_WAIT, async {
        while delivered.len() < requests.len() {
            let Some(target) = dlrs.recv().await else {
                break;
            };
            let (Some(msg), Some(status)) =
                (query_param(&target, "msg"), query_param(&target, "status"))
            else {
                continue;
            };
            assert!(
                status == "1" || status == "8",
                "{msg} reported status {status}"
            );
            if status == "1" {
                *delivered.entry(msg.to_owned()).or_default() += 1;
            }
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "delivery reports so far: {delivered:?}\n{}",
        logs(dir.path())
    );
    println!("delivery reports (status 1) per message: {delivered:?}");

    let received = tokio::time::timeout(Duration::from_secs(5), pushes.recv())
        .await
        .expect("the WAP push was captured")
        .expect("the channel is open");
    assert_eq!(received.to, push_to);
    let decoded = wap_push::decode_push(&received.payload).expect("an intact WAP push");
    assert_eq!(decoded, notification);

    assert_eq!(stats.accepted_for(&plain_to), 1);
    assert!(
        stats.accepted_for(&long_to) >= 2,
        "the long text went in parts"
    );
    assert_eq!(stats.accepted_for(&push_to), 1);
    let smpp = stats.snapshot().by_interface["smpp"].clone();
    assert_eq!(smpp.refused, 0);
    assert!(smpp.receipts >= 3);
}

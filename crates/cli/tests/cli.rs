//! End to end: the real binary, as an operator runs it.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn canvass(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_canvass"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("CANVASS_DATABASE_URL")
        .env_remove("CANVASS_HTTP");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the canvass binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_answers_healthcheck_and_metrics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let addr = format!("127.0.0.1:{}", free_port());
    let child = canvass(dir.path())
        .args(["serve", "--http", &addr])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let _server = Server(child);
    // Poll the health check, as container orchestrators do; no fixed sleeps.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = run(canvass(dir.path()).args(["healthcheck", "--http", &addr]));
        if out.status.success() {
            assert!(text(&out.stdout).contains("is healthy"));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "server never became healthy: {}",
            text(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
    use std::io::{Read, Write};
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains("canvass_http_requests_total"),
        "{response}"
    );
}

#[test]
fn healthcheck_fails_when_nothing_listens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(canvass(dir.path()).args([
        "healthcheck",
        "--http",
        &format!("127.0.0.1:{}", free_port()),
    ]));
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("cannot reach"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn config_check_reports_every_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let toml = dir.path().join("canvass.toml");
    std::fs::write(
        &toml,
        "http = \"nowhere\"\nrole = \"boss\"\nfrobnicate = 1\n",
    )
    .expect("write");
    let out = run(canvass(dir.path())
        .arg("--config")
        .arg(&toml)
        .args(["config", "check", "--json"]));
    assert!(!out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let keys: Vec<&str> = report["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["key"].as_str())
        .collect();
    assert_eq!(keys.len(), 3, "{report}");
    for key in ["http", "role", "frobnicate"] {
        assert!(keys.contains(&key), "{key} missing from {report}");
    }
    let ok = run(canvass(dir.path()).args(["config", "check"]));
    assert!(ok.status.success(), "{}", text(&ok.stderr));
}

#[test]
fn import_count_and_a_precise_segment_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("voters.csv");
    std::fs::write(
        &csv,
        "mobile,firstName,zip5,issues\n2155550101,Ana,19103,healthcare\nnope,Bo,19103,\n",
    )
    .expect("write");
    let out = run(canvass(dir.path())
        .args(["contacts", "import"])
        .arg(&csv)
        .arg("--json"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["summary"]["imported"], 1);
    assert_eq!(report["summary"]["rejected"], 1);
    let rejects =
        std::fs::read_to_string(dir.path().join("voters.rejects.csv")).expect("rejects file");
    assert!(
        rejects.lines().nth(1).is_some_and(|l| l.starts_with("3,")),
        "{rejects}"
    );

    let count =
        run(canvass(dir.path()).args(["segments", "count", r#""healthcare" in issues"#, "--json"]));
    let report: serde_json::Value = serde_json::from_slice(&count.stdout).expect("json");
    assert_eq!(report["count"], 1);

    let bad = run(canvass(dir.path()).args(["segments", "count", r#"stat = "PA""#]));
    assert!(!bad.status.success());
    let err = text(&bad.stderr);
    assert!(
        err.contains("line 1, column 1") && err.contains("did you mean `state`"),
        "{err}"
    );
    assert!(
        err.contains("\n  ^"),
        "the caret points at the column: {err}"
    );

    let missing = run(canvass(dir.path()).args(["contacts", "import", "no-such.csv"]));
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("cannot open no-such.csv"));
}

#[test]
fn codec_tools_decode_real_pdus_and_refuse_garbage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/mms-vectors");
    let iphone = vectors.join("iPhone.mms");
    if !iphone.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs ../shared/mms-vectors"
        );
        eprintln!("skip: {} not found", iphone.display());
        return;
    }
    let out = run(canvass(dir.path()).args(["mms", "decode"]).arg(&iphone));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["message_type"], "m-send-req");
    assert_eq!(json["version"], "1.2");

    let push_dir = dir.path().join("push");
    let notification = vectors.join("ni-mms-1-3-con-271.mms");
    let out = run(canvass(dir.path())
        .args(["mms", "push", "--max-segment", "60"])
        .arg(&notification)
        .arg("-o")
        .arg(&push_dir));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let segments = json["segments"].as_array().expect("segments");
    assert!(
        segments.len() > 1,
        "a 60-octet limit splits the push: {json}"
    );
    assert!(
        segments
            .iter()
            .all(|s| s["bytes"].as_u64().is_some_and(|b| b <= 60))
    );

    let not_push = run(canvass(dir.path())
        .args(["mms", "push"])
        .arg(&iphone)
        .arg("-o")
        .arg(&push_dir));
    assert!(!not_push.status.success());
    assert!(text(&not_push.stderr).contains("not an m-notification-ind"));

    let garbage = dir.path().join("garbage.bin");
    std::fs::write(&garbage, b"\x8c\x80\x98").expect("write");
    let out = run(canvass(dir.path()).args(["mms", "decode"]).arg(&garbage));
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("is not a valid MMS PDU"),
        "{}",
        text(&out.stderr)
    );
    let out = run(canvass(dir.path()).args(["mm7", "decode"]).arg(&garbage));
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("is not a valid MM7 message"),
        "{}",
        text(&out.stderr)
    );
}

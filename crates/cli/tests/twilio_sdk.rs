//! The official Twilio SDKs against `canvass serve`, as a developer would point them: only the base URL changed.
//! `canvass sim` is the carrier; the test serves the MMS picture (on 127.0.0.1, let through by the explicit
//! `media_fetch_allow`) and receives the status callbacks, which twilio's own `RequestValidator` must accept.
//! The scripts are tests/sdk/twilio_sdk.py (PyPI twilio 9.x) and tests/peers/twilio_sdk.js (npm twilio).

mod support;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::routing::{get, post};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Running, canvass_in, json_of, ok, require_tool, start_sim, venv_python};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A port free now, for listeners whose address the simulator must be told before they start.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One status callback as received: the URL it was posted to, its form, and its signature header.
#[derive(Debug, Clone)]
struct Callback {
    url: String,
    form: Vec<(String, String)>,
    signature: String,
}

type Received = Arc<Mutex<Vec<Callback>>>;

async fn receive(
    State((received, base)): State<(Received, String)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> &'static str {
    let form = form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let signature = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    received.lock().expect("lock").push(Callback {
        url: format!("{base}{uri}"),
        form,
        signature,
    });
    "ok"
}

/// Serves `/pic.jpg` and receives `/status`, on a thread of its own; returns the base URL.
fn start_web(received: Received) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = (received, base.clone());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let picture = picture();
            let app = axum::Router::new()
                .route(
                    "/pic.jpg",
                    get(move || async move { ([("content-type", "image/jpeg")], picture) }),
                )
                .route("/status", post(receive))
                .route("/inbound", post(receive))
                .with_state(state);
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let _ = axum::serve(listener, app).await;
        });
    });
    base
}

/// A small real JPEG.
fn picture() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode");
    out.into_inner()
}

/// Everything the scripts need, made through the operator CLI, and a running server.
struct Rig {
    control: String,
    _sim: Running,
    _serve: Running,
    env: Vec<(String, String)>,
    token: String,
    received: Received,
    _dir: tempfile::TempDir,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (sim, listeners) = start_sim();
    let addr = |name: &str| listeners[name].as_str().expect("listener").to_owned();
    ok(canvass_in(&data).args([
        "routes",
        "sim",
        "--smpp",
        &addr("smpp"),
        "--mm7",
        &format!("http://{}/mm7", addr("mm7")),
        "--control",
        &format!("http://{}", addr("control")),
        "--mm7-receiver",
        &format!("127.0.0.1:{}", free_port()),
        "--without",
        "rcs",
    ]));
    let account = json_of(&ok(
        canvass_in(&data).args(["accounts", "create", "SDK", "--json"])
    ));
    let sid = account["account_sid"].as_str().expect("sid").to_owned();
    let token = account["auth_token"].as_str().expect("token").to_owned();
    let received: Received = Arc::default();
    let web = start_web(received.clone());
    ok(canvass_in(&data)
        .args(["numbers", "add", "+12025551000", "--account", &sid])
        .args(["--sms-url", &format!("{web}/inbound")]));
    ok(canvass_in(&data).args(["numbers", "add", "+12025551001", "--account", &sid]));
    let service = json_of(&ok(canvass_in(&data).args([
        "services",
        "create",
        "SDK pool",
        "--account",
        &sid,
        "--number",
        "+12025551001",
        "--sticky-sender",
        "--json",
    ])));
    let http = format!("127.0.0.1:{}", free_port());
    let serve = Running(
        canvass_in(&data)
            .args(["serve", "--http", &http])
            .env("CANVASS_MEDIA_FETCH_ALLOW", "127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("canvass serve starts"),
    );
    wait_healthy(&data, &http);
    let env = [
        ("CANVASS_API", format!("http://{http}")),
        ("ACCOUNT_SID", sid),
        ("AUTH_TOKEN", token.clone()),
        ("FROM", "+12025551000".into()),
        ("SERVICE", service["sid"].as_str().expect("MG").into()),
        ("MEDIA_URL", format!("{web}/pic.jpg")),
        ("CALLBACK_URL", format!("{web}/status")),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .to_vec();
    Rig {
        control: addr("control"),
        _sim: sim,
        _serve: serve,
        env,
        token,
        received,
        _dir: dir,
    }
}

fn wait_healthy(data: &Path, http: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = canvass_in(data)
            .args(["healthcheck", "--http", http])
            .output()
            .expect("healthcheck runs");
        if status.status.success() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "canvass serve never became healthy"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Runs a script with the rig's environment and distinct recipients; returns its JSON line.
fn run_script(rig: &Rig, program: &Path, script: &Path, recipients: [&str; 3]) -> Value {
    let out = Command::new(program)
        .arg(script)
        .envs(rig.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("TO_SMS", recipients[0])
        .env("TO_MMS", recipients[1])
        .env("TO_PAGED", recipients[2])
        .output()
        .expect("the script runs");
    assert!(
        out.status.success(),
        "{} failed:\n{}\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("the script's JSON line")
}

/// Waits until `sid`'s callbacks include `delivered`, and returns them.
fn callbacks_of(rig: &Rig, sid: &str) -> Vec<Callback> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let of: Vec<Callback> = rig
            .received
            .lock()
            .expect("lock")
            .iter()
            .filter(|c| c.form.iter().any(|(k, v)| k == "MessageSid" && v == sid))
            .cloned()
            .collect();
        if of
            .iter()
            .any(|c| field(c, "MessageStatus") == Some("delivered"))
        {
            return of;
        }
        assert!(
            Instant::now() < deadline,
            "no delivered callback for {sid}: {of:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn field<'a>(c: &'a Callback, key: &str) -> Option<&'a str> {
    c.form
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// twilio's own RequestValidator on every callback: prints one true/false per callback.
fn validate_with_twilio(python: &Path, token: &str, callbacks: &[Callback]) -> Vec<bool> {
    let script = r#"
import json, sys
from twilio.request_validator import RequestValidator
token, cases = json.load(sys.stdin)
v = RequestValidator(token)
print(json.dumps([v.validate(url, dict(form), sig) for url, form, sig in cases]))
"#;
    let cases: Vec<Value> = callbacks
        .iter()
        .map(|c| serde_json::json!([c.url, c.form, c.signature]))
        .collect();
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(serde_json::json!([token, cases]).to_string().as_bytes())
            .expect("write");
    }
    let out = child.wait_with_output().expect("python ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a JSON list")
}

fn twilio_python() -> Option<PathBuf> {
    venv_python("twilio", "twilio==9.*")
}

/// Checks what both SDK runs made: each message's callbacks, signed so that twilio's validator accepts them.
fn check_callbacks(rig: &Rig, python: &Path, made: &Value) {
    for kind in ["sms", "mms"] {
        let sid = made[kind].as_str().expect("sid");
        let callbacks = callbacks_of(rig, sid);
        for c in &callbacks {
            assert_eq!(
                field(c, "AccountSid"),
                rig.env
                    .iter()
                    .find(|(k, _)| k == "ACCOUNT_SID")
                    .map(|(_, v)| v.as_str())
            );
            assert_eq!(field(c, "SmsSid"), Some(sid));
            assert_eq!(field(c, "ApiVersion"), Some("2010-04-01"));
            assert_eq!(field(c, "From"), Some("+12025551000"));
        }
        let valid = validate_with_twilio(python, &rig.token, &callbacks);
        assert!(
            !valid.is_empty() && valid.iter().all(|v| *v),
            "{kind}: {valid:?} for {callbacks:?}"
        );
    }
    let scheduled = made["scheduled"].as_str().expect("sid");
    assert!(
        !rig.received
            .lock()
            .expect("lock")
            .iter()
            .any(|c| field(c, "MessageSid") == Some(scheduled)),
        "the canceled message had no callback URL and posted nothing"
    );
}

/// A handset texts the account's number through the simulator; the number's webhook gets it, signed.
fn check_inbound(rig: &Rig, python: &Path) {
    use std::io::{Read, Write};
    let body = r#"{"via":"smpp","from":"+12025559876","to":"+12025551000","text":"Count me in"}"#;
    let mut stream = std::net::TcpStream::connect(&rig.control).expect("the simulator's control");
    write!(
        stream,
        "POST /sim/mo HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        rig.control,
        body.len()
    )
    .expect("send the MO");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 2"), "{answer}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let webhook = loop {
        let found = rig
            .received
            .lock()
            .expect("lock")
            .iter()
            .find(|c| c.url.ends_with("/inbound"))
            .cloned();
        if let Some(found) = found {
            break found;
        }
        assert!(
            Instant::now() < deadline,
            "the number's webhook got nothing"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(field(&webhook, "From"), Some("+12025559876"));
    assert_eq!(field(&webhook, "To"), Some("+12025551000"));
    assert_eq!(field(&webhook, "Body"), Some("Count me in"));
    assert_eq!(field(&webhook, "NumMedia"), Some("0"));
    assert_eq!(field(&webhook, "SmsStatus"), Some("received"));
    assert!(field(&webhook, "MessageSid").is_some_and(|s| s.starts_with("SM") && s.len() == 34));
    assert_eq!(validate_with_twilio(python, &rig.token, &[webhook]), [true]);
}

#[test]
fn the_official_python_and_node_sdks_send_list_fetch_and_cancel() {
    let Some(python) = twilio_python() else {
        return;
    };
    let Some(node) = require_tool("node") else {
        return;
    };
    let peers = root().join("tests/peers");
    if !peers.join("node_modules/twilio").is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "tests/peers/node_modules/twilio is missing under CI: run scripts/setup/node.sh"
        );
        println!("skip: the twilio npm package is not installed");
        return;
    }
    let rig = rig();
    let made = run_script(
        &rig,
        &python,
        &root().join("tests/sdk/twilio_sdk.py"),
        ["+12025552001", "+12025552002", "+12025552003"],
    );
    check_callbacks(&rig, &python, &made);
    let made = run_script(
        &rig,
        &node,
        &peers.join("twilio_sdk.js"),
        ["+12025553001", "+12025553002", "+12025553003"],
    );
    check_callbacks(&rig, &python, &made);
    check_inbound(&rig, &python);
}

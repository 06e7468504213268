//! schemathesis (PyPI, in its own venv) against the running server's `/openapi.json`: it generates requests from
//! the document, valid and not, and every answer must be no 5xx, a documented status, the documented content
//! type and a body matching the documented schema.

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{Running, canvass_in, json_of, ok, venv_python};

fn schemathesis() -> Option<PathBuf> {
    venv_python("schemathesis", "schemathesis==4.*")
        .map(|python| python.with_file_name("schemathesis"))
}

#[test]
fn schemathesis_finds_no_5xx_and_no_answer_off_the_schema() {
    let Some(schemathesis) = schemathesis() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let account = json_of(&ok(
        canvass_in(&data).args(["accounts", "create", "Fuzz", "--json"])
    ));
    let sid = account["account_sid"].as_str().expect("sid").to_owned();
    let token = account["auth_token"].as_str().expect("token").to_owned();
    ok(canvass_in(&data).args(["numbers", "add", "+12025551000", "--account", &sid]));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let http = format!("127.0.0.1:{port}");
    let _serve = Running(
        canvass_in(&data)
            .args(["serve", "--role", "api", "--http", &http])
            .env("CANVASS_API_RATE_LIMIT", "100000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("canvass serve starts"),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !canvass_in(&data)
        .args(["healthcheck", "--http", &http])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        assert!(Instant::now() < deadline, "the server never became healthy");
        std::thread::sleep(Duration::from_millis(200));
    }
    let basic = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("{sid}:{token}"))
    };
    let out = Command::new(&schemathesis)
        .args(["run", &format!("http://{http}/openapi.json")])
        .args(["--header", &format!("Authorization: Basic {basic}")])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ])
        .args(["--max-examples", "40", "--seed", "7", "--no-color"])
        .env("SCHEMATHESIS_HOOKS", "")
        .output()
        .expect("schemathesis runs");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{report}"
    );
    println!("{report}");
    assert!(
        report.contains("/v1/messages"),
        "schemathesis tested no operation:\n{report}"
    );
}

//! python-messaging (PyPI 0.5.13), an MMS decoder nobody here wrote, must decode what we encode with the
//! values we put in. It implements MMS 1.0 only (message types 0x80–0x86, header fields 0x01–0x18, charsets
//! read as 8-bit text, one value per header name), so it checks the samples inside that subset; tshark checks
//! the rest. It runs from its own venv (scripts/setup/venv.sh python-messaging
//! python-messaging==0.5.13), found at $CANVASS_PYTHON_MESSAGING or <repo>/.cache/venvs/python-messaging.

mod support;

use std::path::PathBuf;
use std::process::Command;

use canvass_mms::field::code;
use canvass_mms::{Field, Pdu, Value, encode};
use serde_json::Value as Json;

fn python() -> Option<PathBuf> {
    let path = match std::env::var_os("CANVASS_PYTHON_MESSAGING") {
        Some(p) => PathBuf::from(p),
        None => {
            let root = std::env::var_os("CANVASS_VENV_ROOT")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.cache/venvs")
                });
            // Canonical folder, so the venv's python finds its pyvenv.cfg; the binary itself stays a link.
            std::fs::canonicalize(&root)
                .unwrap_or(root)
                .join("python-messaging/bin/python")
        }
    };
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "python-messaging venv missing at {} (run scripts/setup/venv.sh python-messaging python-messaging==0.5.13)",
        path.display()
    );
    println!(
        "skip: python-messaging venv not found at {}",
        path.display()
    );
    None
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python_messaging.py")
}

/// Header values as python-messaging shows them.
fn as_text(v: Option<&Json>) -> String {
    match v {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Array(a)) => a
            .iter()
            .map(|x| as_text(Some(x)))
            .collect::<Vec<_>>()
            .join("|"),
        Some(Json::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn check(pdu: &Pdu, got: &Json, problems: &mut Vec<String>, label: &str) {
    if let Some(err) = got.get("error") {
        problems.push(format!("{label}: python-messaging failed: {err}"));
        return;
    }
    let headers = &got["headers"];
    let mut bad = |what: &str, have: String, want: String| {
        if have != want {
            problems.push(format!("{label}: {what} is {have:?}, expected {want:?}"));
        }
    };
    bad(
        "Message-Type",
        as_text(headers.get("Message-Type")),
        pdu.message_type().unwrap().name().into(),
    );
    let (major, minor) = pdu.version().unwrap();
    bad(
        "MMS-Version",
        as_text(headers.get("MMS-Version")),
        format!("{major}.{minor}"),
    );
    if let Some(tid) = pdu.transaction_id() {
        bad(
            "Transaction-Id",
            as_text(headers.get("Transaction-Id")),
            tid.into(),
        );
    }
    if let Some(subject) = pdu.subject() {
        bad("Subject", as_text(headers.get("Subject")), subject.into());
    }
    // Its headers are a dict: of repeated To headers, the last one stays.
    if let Some(to) = pdu.to().last() {
        bad("To", as_text(headers.get("To")), (*to).to_owned());
    }
    if let Some(Value::Text(location)) = pdu.get(code::CONTENT_LOCATION) {
        bad(
            "Content-Location",
            as_text(headers.get("Content-Location")),
            location.clone(),
        );
    }
    if let Some(body) = &pdu.body {
        let parts: Vec<(String, usize)> = pdu
            .parts()
            .iter()
            .map(|p| (p.content_type.media_type(), p.data.len()))
            .collect();
        let have: Vec<(String, usize)> = got["parts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        (
                            as_text(p.get(0)),
                            p.get(1).and_then(Json::as_u64).unwrap_or(0) as usize,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        if body.content_type.is_multipart() {
            bad("parts", format!("{have:?}"), format!("{parts:?}"));
        }
    }
}

/// True when `pdu` uses only what python-messaging implements.
fn in_its_subset(pdu: &Pdu) -> bool {
    let narrow = |s: &canvass_mms::EncodedString| {
        s.charset
            .is_none_or(|c| !canvass_mms::wsp::charset::is_wide(c))
    };
    pdu.message_type().is_some_and(|t| t.code() <= 0x86)
        && pdu.headers.iter().all(|h| match (&h.field, &h.value) {
            (Field::Code(c), _) if *c > code::TRANSACTION_ID => false,
            (_, Value::Encoded(s)) => narrow(s),
            (Field::Code(_), _) => true,
            (Field::Text(_), _) => false,
        })
}

#[test]
fn python_messaging_decodes_what_we_encode() {
    let Some(python) = python() else { return };
    let dir = support::scratch_dir("python-messaging");
    let samples: Vec<(String, Pdu)> = support::samples::all()
        .into_iter()
        .filter(|(_, p)| in_its_subset(p))
        .chain([("large".to_owned(), support::samples::large_send_req())])
        .collect();
    let types: std::collections::BTreeSet<u8> = samples
        .iter()
        .filter_map(|(_, p)| p.message_type())
        .map(|t| t.code())
        .collect();
    assert_eq!(
        types.len(),
        7,
        "samples must cover m-send-req … m-delivery-ind"
    );
    assert!(
        samples.len() >= 20,
        "only {} samples in python-messaging's subset",
        samples.len()
    );
    for (i, (label, pdu)) in samples.iter().enumerate() {
        std::fs::write(
            dir.join(format!("{i:03}-{label}.mms")),
            encode(pdu).unwrap(),
        )
        .unwrap();
    }
    let out = Command::new(&python)
        .arg(script())
        .arg("decode")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Json> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), samples.len());
    let mut problems = Vec::new();
    for ((label, pdu), got) in samples.iter().zip(&results) {
        check(pdu, got, &mut problems, label);
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn we_decode_what_python_messaging_encodes() {
    let Some(python) = python() else { return };
    let path = support::scratch_dir("python-messaging-encode").join("theirs.mms");
    let out = Command::new(&python)
        .arg(script())
        .arg("encode")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdu = canvass_mms::decode(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(pdu.message_type(), Some(canvass_mms::MessageType::SendReq));
    assert_eq!(pdu.subject(), Some("From python-messaging"));
    assert_eq!(pdu.to(), ["+15551230001/TYPE=PLMN"]);
    let parts: Vec<(String, usize)> = pdu
        .parts()
        .iter()
        .map(|p| (p.content_type.media_type(), p.data.len()))
        .collect();
    assert_eq!(parts.len(), 5, "{parts:?}");
    assert_eq!(parts[0].0, "application/smil");
    assert_eq!(parts[1], ("image/jpeg".to_owned(), 256));
    assert_eq!(parts[3], ("image/jpeg".to_owned(), 512));
    assert_eq!(pdu.parts()[4].data, b"slide 1");
}

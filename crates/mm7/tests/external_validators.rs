//! What we write, read by software nobody here wrote: Python's email and xml.etree packages.
//! When python3 is missing the test fails under CI (env var CI set) and is skipped otherwise.

mod common;

use std::path::PathBuf;
use std::process::Command;

use canvass_mm7::*;

/// Whether `program` runs; when it does not, fails under CI and prints a skip line otherwise.
fn tool_available(program: &str, probe: &str) -> bool {
    let found = Command::new(program)
        .arg(probe)
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is required under CI but is not installed"
        );
        println!("SKIP: {program} not installed");
    }
    found
}

fn write_cases(dir: &PathBuf) -> Vec<(PathBuf, Envelope)> {
    std::fs::create_dir_all(dir).unwrap();
    let mut cases = Vec::new();
    for namespace in [
        Namespace::Rel5(0),
        Namespace::Rel5(5),
        Namespace::Rel6(0),
        Namespace::Rel6(4),
    ] {
        for (index, envelope) in common::every_message(&namespace).into_iter().enumerate() {
            let written = encode(&envelope).unwrap();
            let path = dir.join(format!(
                "{}-{index:02}-{}.mm7",
                namespace.uri().rsplit('/').next().unwrap(),
                envelope.body.element_name()
            ));
            let bytes = if envelope.content.is_some() {
                written.to_mime_entity()
            } else {
                written.body
            };
            std::fs::write(&path, bytes).unwrap();
            cases.push((path, envelope));
        }
    }
    cases
}

#[test]
fn python_email_and_etree_accept_what_we_write() {
    if !tool_available("python3", "--version") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mm7-python-check");
    let cases = write_cases(&dir);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python_check.py");
    let output = Command::new("python3")
        .arg(script)
        .args(cases.iter().map(|(path, _)| path))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "python rejected our output: {stderr}"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), cases.len());
    for ((path, envelope), seen) in cases.iter().zip(&lines) {
        assert_eq!(seen["message"], envelope.body.element_name(), "{path:?}");
        assert_eq!(seen["transaction_id"], envelope.transaction_id.as_str());
        assert_eq!(seen["namespace"], envelope.namespace.uri().as_str());
        let our_leaves: Vec<serde_json::Value> = match &envelope.content {
            Some(content) => content
                .leaves()
                .into_iter()
                .map(|leaf| serde_json::to_value(describe_leaf_sha(leaf)).unwrap())
                .collect(),
            None => Vec::new(),
        };
        assert_eq!(
            seen["leaves"],
            serde_json::Value::Array(our_leaves),
            "{path:?}"
        );
    }
}

/// SHA-256 of a leaf, via [`describe`] of a throwaway envelope so that the public function is what is
/// compared with Python.
fn describe_leaf_sha(leaf: &Part) -> String {
    let submit = SubmitReq {
        content: Some(ContentRef::cid("x")),
        ..SubmitReq::default()
    };
    let envelope = Envelope {
        content: Some(Part {
            content_id: Some("x".into()),
            ..leaf.clone()
        }),
        ..Envelope::new("t", Namespace::default(), Body::SubmitReq(submit))
    };
    let description = serde_json::to_value(describe(&envelope)).unwrap();
    description["content"]["sha256"]
        .as_str()
        .unwrap()
        .to_string()
}

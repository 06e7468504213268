//! Replays the seed corpus of the `mm7_decode` fuzz target on stable Rust, with the same checks as the
//! target, plus every truncation of each file. Files named `ok-*` must decode, `bad-*` must not.
//!
//! The generated files are rewritten by `MM7_WRITE_CORPUS=1 cargo test -p canvass-mm7 --test corpus`.

mod common;

use std::path::PathBuf;

use canvass_mm7::*;

/// The fuzz target's body (fuzz/fuzz_targets/mm7_decode.rs).
fn exercise(data: &[u8]) {
    let from_file = decode(data);
    if let Some(newline) = data.iter().position(|&byte| byte == b'\n')
        && let Ok(content_type) = std::str::from_utf8(&data[..newline])
    {
        let _ = decode_http(Some(content_type.trim_end()), &data[newline + 1..]);
    }
    if let Ok(envelope) = from_file {
        serde_json::to_string(&describe(&envelope)).unwrap();
        if let Ok(written) = encode(&envelope) {
            decode_http(Some(&written.content_type), &written.body)
                .expect("what we write must read back");
        }
    }
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn write_generated() {
    let dir = corpus_dir();
    let rel6 = common::every_message(&Namespace::Rel6(4));
    let rel5 = common::every_message(&Namespace::Rel5(0));
    let entity = |envelope: &Envelope| encode(envelope).unwrap().to_mime_entity();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("ok-submit-req-rel6.mm7", entity(&rel6[0])),
        ("ok-deliver-req-rel5.mm7", entity(&rel5[2])),
        ("ok-replace-req-rel6.mm7", entity(&rel6[10])),
        ("ok-submit-rsp.xml", encode(&rel6[1]).unwrap().body),
        ("ok-delivery-report-req.xml", encode(&rel5[4]).unwrap().body),
        ("ok-vasp-error-rsp.xml", encode(&rel6[13]).unwrap().body),
        ("ok-http-form-submit-req.txt", {
            let written = encode(&rel5[0]).unwrap();
            let mut bytes = format!("{}\n", written.content_type).into_bytes();
            bytes.extend_from_slice(&written.body);
            bytes
        }),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
fn corpus_replays_cleanly() {
    if std::env::var_os("MM7_WRITE_CORPUS").is_some() {
        write_generated();
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    assert!(entries.len() >= 10, "corpus is missing: {entries:?}");
    for path in entries {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let body = match name.strip_suffix(".txt") {
            // The HTTP form: the first line is the Content-Type.
            Some(_) => {
                let newline = data.iter().position(|&b| b == b'\n').unwrap();
                let content_type = std::str::from_utf8(&data[..newline]).unwrap();
                decode_http(Some(content_type), &data[newline + 1..])
            }
            None => decode(&data),
        };
        if name.starts_with("ok-") {
            assert!(body.is_ok(), "{name}: {body:?}");
        } else if name.starts_with("bad-") {
            assert!(body.is_err(), "{name} decoded");
        }
        for cut in 0..=data.len() {
            exercise(&data[..cut]);
        }
    }
}

//! `canvass mms encode` and `canvass mm7 encode`, end to end: what they write reads back through `canvass mms
//! decode` / `canvass mm7 decode` with the fields put in, Wireshark's tshark dissects the MMS PDUs (as an
//! MM1 HTTP POST) without `_ws.malformed`, and python-messaging decodes them. tshark and the
//! python-messaging venv (scripts/setup/venv.sh python-messaging python-messaging==0.5.13) are found as in
//! crates/mms/tests; when missing, the checks fail under CI and are skipped elsewhere.

#[allow(dead_code)] // The pcap writer of the mms tests, shared rather than copied; not every method is used.
#[path = "../../mms/tests/support/pcap.rs"]
mod pcap;
mod support;

use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{json_of, path, require_tool, run as canvass};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Media files to attach: a JPEG-looking blob, the same bytes under a name without a known extension, and
/// a UTF-8 text.
struct Media {
    _dir: tempfile::TempDir,
    jpeg: PathBuf,
    blob: PathBuf,
    text: PathBuf,
}

fn media() -> Media {
    let dir = tempfile::tempdir().expect("tempdir");
    let jpeg_bytes: Vec<u8> = [0xFF, 0xD8, 0xFF, 0xE0]
        .into_iter()
        .chain((0..=255u8).cycle().take(700))
        .collect();
    let jpeg = dir.path().join("photo.jpg");
    std::fs::write(&jpeg, &jpeg_bytes).unwrap();
    let blob = dir.path().join("poster.bin");
    std::fs::write(&blob, &jpeg_bytes).unwrap();
    let text = dir.path().join("note.txt");
    std::fs::write(&text, "Polls open 7am–8pm. Reply STOP to opt out.").unwrap();
    Media {
        _dir: dir,
        jpeg,
        blob,
        text,
    }
}

/// The values of the headers named `name` in `mms decode` JSON.
fn headers<'a>(decoded: &'a Json, name: &str) -> Vec<&'a Json> {
    decoded["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .filter(|h| h["name"] == name)
        .map(|h| &h["value"])
        .collect()
}

fn header<'a>(decoded: &'a Json, name: &str) -> &'a Json {
    headers(decoded, name)
        .first()
        .copied()
        .unwrap_or_else(|| panic!("{name} missing from {decoded}"))
}

/// One `mms encode` case: its flags, and what tshark and python-messaging must show.
struct MmsCase {
    label: &'static str,
    args: Vec<String>,
    transaction_id: &'static str,
    subject: &'static str,
    to_last: Option<&'static str>,
    content_location: Option<&'static str>,
    parts: Vec<(&'static str, usize)>,
}

fn mms_cases(m: &Media) -> Vec<MmsCase> {
    let owned = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let text_len = std::fs::metadata(&m.text).unwrap().len() as usize;
    let jpeg_len = std::fs::metadata(&m.jpeg).unwrap().len() as usize;
    let blob_as_jpeg = format!("{}:image/jpeg", path(&m.blob));
    vec![
        MmsCase {
            label: "send-req",
            args: owned(&[
                "--type",
                "send-req",
                "--transaction-id",
                "T-send-1",
                "--from",
                "+15551230000",
                "--to",
                "+15551230001",
                "--to",
                "voter@example.com",
                "--cc",
                "+15551230002",
                "--subject",
                "Election day",
                "--message-class",
                "advertisement",
                "--expiry",
                "86400",
                "--delivery-report",
                "yes",
                "--part",
                path(&m.jpeg),
                "--part",
                path(&m.text),
            ]),
            transaction_id: "T-send-1",
            subject: "Election day",
            to_last: Some("voter@example.com"),
            content_location: None,
            parts: vec![
                ("application/smil", 0),
                ("image/jpeg", jpeg_len),
                ("text/plain", text_len),
            ],
        },
        MmsCase {
            label: "notification-ind",
            args: owned(&[
                "--type",
                "notification-ind",
                "--transaction-id",
                "T-notif-2",
                "--from",
                "+15551230000",
                "--subject",
                "You have a message",
                "--message-size",
                "31337",
                "--expiry",
                "2026-12-01T00:00:00Z",
                "--content-location",
                "http://mmsc.example.com/m/abc",
                "--mms-version",
                "1.0",
            ]),
            transaction_id: "T-notif-2",
            subject: "You have a message",
            to_last: None,
            content_location: Some("http://mmsc.example.com/m/abc"),
            parts: Vec::new(),
        },
        MmsCase {
            label: "retrieve-conf",
            args: owned(&[
                "--type",
                "retrieve-conf",
                "--transaction-id",
                "T-retr-3",
                "--message-id",
                "M-3",
                "--date",
                "2026-11-25T10:00:00Z",
                "--from",
                "+15551230000",
                "--to",
                "+15551230001",
                "--subject",
                "Election day",
                "--mms-version",
                "1.3",
                "--part",
                &blob_as_jpeg,
                "--part",
                path(&m.text),
            ]),
            transaction_id: "T-retr-3",
            subject: "Election day",
            to_last: Some("+15551230001/TYPE=PLMN"),
            content_location: None,
            parts: vec![
                ("application/smil", 0),
                ("image/jpeg", jpeg_len),
                ("text/plain", text_len),
            ],
        },
    ]
}

/// Encodes every case into `dir` (as NN-label.mms) and returns the files.
fn encode_all(cases: &[MmsCase], dir: &Path) -> Vec<PathBuf> {
    cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let file = dir.join(format!("{i:02}-{}.mms", case.label));
            let mut args = vec!["mms", "encode"];
            args.extend(case.args.iter().map(String::as_str));
            args.extend(["-o", path(&file)]);
            let facts = json_of(&canvass(&args));
            let bytes = std::fs::read(&file).expect("output written");
            assert_eq!(facts["bytes"], bytes.len(), "{}", case.label);
            assert_eq!(
                facts["sha256"],
                canvass_mms::describe::sha256_hex(&bytes),
                "{}",
                case.label
            );
            assert_eq!(facts["message_type"], format!("m-{}", case.label));
            file
        })
        .collect()
}

#[test]
fn mms_encode_reads_back_through_mms_decode() {
    let m = media();
    let out = tempfile::tempdir().unwrap();
    let cases = mms_cases(&m);
    let files = encode_all(&cases, out.path());
    let decode = |file: &Path| json_of(&canvass(&["mms", "decode", path(file)]));

    let send = decode(&files[0]);
    assert_eq!(send["message_type"], "m-send-req");
    assert_eq!(send["version"], "1.2");
    assert_eq!(*header(&send, "X-Mms-Transaction-Id"), "T-send-1");
    assert_eq!(*header(&send, "From"), "+15551230000/TYPE=PLMN");
    assert_eq!(
        headers(&send, "To"),
        [
            &Json::from("+15551230001/TYPE=PLMN"),
            &Json::from("voter@example.com")
        ]
    );
    assert_eq!(*header(&send, "Cc"), "+15551230002/TYPE=PLMN");
    assert_eq!(*header(&send, "Subject"), "Election day");
    assert_eq!(*header(&send, "X-Mms-Message-Class"), "advertisement");
    assert_eq!(header(&send, "X-Mms-Expiry")["relative"], 86400);
    assert_eq!(*header(&send, "X-Mms-Delivery-Report"), "yes");
    assert_eq!(
        send["content_type"]["media_type"],
        "application/vnd.wap.multipart.related"
    );
    let parts = send["parts"].as_array().unwrap();
    let names: Vec<&str> = parts.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["smil.xml", "photo.jpg", "note.txt"]);
    assert_eq!(
        parts[1]["sha256"],
        canvass_mms::describe::sha256_hex(&std::fs::read(&m.jpeg).unwrap())
    );
    assert_eq!(
        parts[2]["sha256"],
        canvass_mms::describe::sha256_hex(&std::fs::read(&m.text).unwrap())
    );

    let notification = decode(&files[1]);
    assert_eq!(notification["version"], "1.0");
    assert_eq!(
        *header(&notification, "X-Mms-Content-Location"),
        "http://mmsc.example.com/m/abc"
    );
    assert_eq!(*header(&notification, "X-Mms-Message-Size"), 31337);
    assert_eq!(*header(&notification, "X-Mms-Message-Class"), "personal");
    // 2026-12-01T00:00:00Z
    assert_eq!(
        header(&notification, "X-Mms-Expiry")["absolute"],
        1_796_083_200
    );
    assert!(notification["parts"].as_array().unwrap().is_empty());

    let retrieve = decode(&files[2]);
    assert_eq!(retrieve["version"], "1.3");
    assert_eq!(*header(&retrieve, "Message-ID"), "M-3");
    assert_eq!(*header(&retrieve, "Date"), 1_795_600_800); // 2026-11-25T10:00:00Z
    let parts = retrieve["parts"].as_array().unwrap();
    assert_eq!(parts[1]["name"], "poster.bin");
    assert_eq!(parts[1]["content_type"]["media_type"], "image/jpeg");
    let smil = parts[0]["size"].as_u64().unwrap();
    assert!(smil > 100, "a generated SMIL: {}", parts[0]);
}

#[test]
fn mms_encode_names_the_missing_flag_and_refuses_guesses() {
    let m = media();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.mms");
    let run = |extra: &[&str]| {
        let mut args = vec!["mms", "encode", "-o", path(&file)];
        args.extend(extra);
        canvass(&args)
    };
    let missing = run(&[
        "--type",
        "notification-ind",
        "--transaction-id",
        "t",
        "--message-size",
        "1",
        "--expiry",
        "60",
    ]);
    assert!(!missing.status.success());
    let err = stderr(&missing);
    assert!(
        err.contains("--content-location (X-Mms-Content-Location)"),
        "{err}"
    );
    let no_body = run(&[
        "--type",
        "send-req",
        "--transaction-id",
        "t",
        "--to",
        "+15551230000",
    ]);
    assert!(
        stderr(&no_body).contains("--part (Content-Type)"),
        "{}",
        stderr(&no_body)
    );
    let unknown = run(&[
        "--type",
        "send-req",
        "--transaction-id",
        "t",
        "--part",
        path(&m.blob),
    ]);
    let err = stderr(&unknown);
    assert!(err.contains("poster.bin") && err.contains(":TYPE"), "{err}");
    let bad_type = run(&["--type", "send-rq"]);
    assert!(
        stderr(&bad_type).contains("not an MMS message type"),
        "{}",
        stderr(&bad_type)
    );
    let bad_status = run(&[
        "--type",
        "notifyresp-ind",
        "--transaction-id",
        "t",
        "--status",
        "great",
    ]);
    assert!(
        stderr(&bad_status).contains("--status \"great\""),
        "{}",
        stderr(&bad_status)
    );
    assert!(!file.exists(), "nothing is written on error");
    let ok = run(&[
        "--type",
        "notifyresp-ind",
        "--transaction-id",
        "t",
        "--status",
        "retrieved",
    ]);
    assert_eq!(json_of(&ok)["message_type"], "m-notifyresp-ind");
}

#[test]
fn tshark_dissects_mms_encode_output_cleanly() {
    let Some(tshark) = require_tool("tshark") else {
        return;
    };
    let m = media();
    let out = tempfile::tempdir().unwrap();
    let cases = mms_cases(&m);
    let files = encode_all(&cases, out.path());
    let mut capture = pcap::Pcap::new();
    let frames: Vec<u32> = files
        .iter()
        .enumerate()
        .map(|(i, f)| capture.http_post_mms(40_000 + i as u16, &std::fs::read(f).unwrap()))
        .collect();
    let pcap_file = out.path().join("encoded.pcap");
    std::fs::write(&pcap_file, capture.bytes()).unwrap();
    let fields = [
        "frame.number",
        "_ws.malformed",
        "_ws.expert.severity",
        "mmse.message_type",
        "mmse.transaction_id",
        "mmse.subject",
        "mmse.content_location",
    ];
    let mut cmd = Command::new(tshark);
    cmd.arg("-r").arg(&pcap_file).args([
        "-T",
        "fields",
        "-E",
        "occurrence=a",
        "-E",
        "aggregator=,",
        "-E",
        "separator=/t",
    ]);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let result = cmd.output().unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    let text = String::from_utf8(result.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    for row in &rows {
        assert_eq!(
            row.get(1).copied().unwrap_or(""),
            "",
            "malformed frame: {row:?}"
        );
    }
    let codes = ["0x80", "0x82", "0x84"];
    for ((case, frame), code) in cases.iter().zip(&frames).zip(codes) {
        let row = rows
            .iter()
            .find(|r| r[0] == frame.to_string())
            .unwrap_or_else(|| panic!("{}: frame {frame} missing", case.label));
        // Wireshark's PI_ERROR expert severity.
        assert!(
            !row[2].split(',').any(|s| s == "8388608"),
            "{}: expert error {row:?}",
            case.label
        );
        assert_eq!(row[3], code, "{}", case.label);
        assert_eq!(row[4], case.transaction_id, "{}", case.label);
        assert_eq!(row[5], case.subject, "{}", case.label);
        assert_eq!(
            row.get(6).copied().unwrap_or(""),
            case.content_location.unwrap_or("")
        );
    }
}

fn python_messaging() -> Option<PathBuf> {
    let python = match std::env::var_os("CANVASS_PYTHON_MESSAGING") {
        Some(p) => PathBuf::from(p),
        None => {
            let root = std::env::var_os("CANVASS_VENV_ROOT")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.cache/venvs")
                });
            std::fs::canonicalize(&root)
                .unwrap_or(root)
                .join("python-messaging/bin/python")
        }
    };
    if python.is_file() {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "python-messaging venv missing at {}",
        python.display()
    );
    println!(
        "skip: python-messaging venv not found at {}",
        python.display()
    );
    None
}

#[test]
fn python_messaging_decodes_mms_encode_output() {
    let Some(python) = python_messaging() else {
        return;
    };
    let m = media();
    let out = tempfile::tempdir().unwrap();
    let cases = mms_cases(&m);
    encode_all(&cases, out.path());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mms/tests/python_messaging.py");
    let result = Command::new(python)
        .arg(script)
        .arg("decode")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    let decoded: Vec<Json> = String::from_utf8(result.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(decoded.len(), cases.len());
    for (case, got) in cases.iter().zip(&decoded) {
        assert!(got.get("error").is_none(), "{}: {got}", case.label);
        let h = &got["headers"];
        assert_eq!(h["Message-Type"], format!("m-{}", case.label), "{got}");
        assert_eq!(h["Transaction-Id"], case.transaction_id, "{got}");
        assert_eq!(h["Subject"], case.subject, "{got}");
        if let Some(to) = case.to_last {
            assert_eq!(h["To"], to, "{got}");
        }
        if let Some(location) = case.content_location {
            assert_eq!(h["Content-Location"], location, "{got}");
        }
        let parts: Vec<(String, usize)> = got["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_owned(),
                    p[1].as_u64().unwrap() as usize,
                )
            })
            .collect();
        assert_eq!(parts.len(), case.parts.len(), "{}: {parts:?}", case.label);
        for ((media_type, size), (want_type, want_size)) in parts.iter().zip(&case.parts) {
            assert_eq!(media_type, want_type, "{}", case.label);
            if *want_size > 0 {
                assert_eq!(size, want_size, "{}", case.label);
            }
        }
    }
}

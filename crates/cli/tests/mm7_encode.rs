//! `canvass mm7 encode` → `canvass mm7 decode` for requests and responses in REL-5 and REL-6 namespaces, and
//! the strict writer's rule: an element the chosen namespace's schema lacks is refused, or dropped on request.

mod support;

use serde_json::Value as Json;
use std::path::Path;
use support::{json_of, path, run as canvass};

const BASE: &str = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/";

/// Encodes with `args` into `dir/name`, checks the facts printed, and returns (facts, `mm7 decode` JSON).
fn round_trip(dir: &Path, name: &str, args: &[&str]) -> (Json, Json) {
    let file = dir.join(name);
    let mut all = vec!["mm7", "encode", "-o", path(&file)];
    all.extend(args);
    let facts = json_of(&canvass(&all));
    let bytes = std::fs::read(&file).expect("output written");
    assert_eq!(facts["bytes"], bytes.len());
    let decoded = json_of(&canvass(&["mm7", "decode", path(&file)]));
    (facts, decoded)
}

#[test]
fn requests_and_responses_round_trip_in_several_namespaces() {
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("photo.jpg");
    std::fs::write(&photo, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4]).unwrap();
    let note = dir.path().join("note.txt");
    std::fs::write(&note, "Vote Tuesday").unwrap();

    // A slideshow SubmitReq with REL-6 fields, in the newest namespace.
    let (facts, decoded) = round_trip(
        dir.path(),
        "submit.mm7",
        &[
            "--type",
            "submit-req",
            "--namespace",
            "REL-6-MM7-1-4",
            "--transaction-id",
            "tx-1",
            "--vasp-id",
            "vasp",
            "--vas-id",
            "gotv",
            "--sender",
            "12345",
            "--to",
            "+15551230001",
            "--to",
            "voter@example.com",
            "--cc",
            "+15551230002",
            "--subject",
            "Election day",
            "--priority",
            "High",
            "--delivery-report",
            "true",
            "--expiry-date",
            "P2D",
            "--applic-id",
            "com.example.gotv",
            "--delivery-condition",
            "1",
            "--part",
            path(&photo),
            "--part",
            path(&note),
        ],
    );
    assert!(
        facts["content_type"]
            .as_str()
            .unwrap()
            .starts_with("multipart/related;"),
        "{facts}"
    );
    assert_eq!(decoded["namespace"], format!("{BASE}REL-6-MM7-1-4"));
    assert_eq!(decoded["transaction_id"], "tx-1");
    assert_eq!(decoded["mm7_version"], "6.8.0");
    let message = &decoded["message"];
    assert_eq!(message["type"], "SubmitReq");
    assert_eq!(message["sender_identification"]["vas_id"], "gotv");
    assert_eq!(
        message["sender_identification"]["sender_address"]["kind"],
        "ShortCode"
    );
    let to = message["recipients"]["to"].as_array().unwrap();
    assert_eq!(
        (to[0]["kind"].as_str(), to[0]["value"].as_str()),
        (Some("Number"), Some("+15551230001"))
    );
    assert_eq!(to[1]["kind"], "Rfc2822");
    assert_eq!(message["recipients"]["cc"][0]["value"], "+15551230002");
    assert_eq!(message["subject"], "Election day");
    assert_eq!(message["priority"], "High");
    assert_eq!(message["delivery_report"], true);
    assert_eq!(message["expiry_date"], "P2D");
    assert_eq!(message["application"]["applic_id"], "com.example.gotv");
    assert_eq!(message["delivery_condition"], serde_json::json!([1]));
    assert_eq!(message["content"]["href"], "cid:content@canvass");
    let content = &decoded["content"];
    assert_eq!(content["content_type"], "multipart/related");
    let leaves: Vec<(&str, u64)> = content["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["content_type"].as_str().unwrap(),
                p["size"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(leaves[0].0, "application/smil");
    assert_eq!(&leaves[1..], [("image/jpeg", 8), ("text/plain", 12)]);
    assert_eq!(
        content, &facts["content"],
        "encode's facts describe what decode reads"
    );

    // A single-part SubmitReq in an old namespace.
    let (facts, decoded) = round_trip(
        dir.path(),
        "submit-rel5.mm7",
        &[
            "--type",
            "submit-req",
            "--namespace",
            "REL-5-MM7-1-2",
            "--transaction-id",
            "tx-2",
            "--to",
            "+15551230001",
            "--part",
            &format!("{}:image/png", path(&photo)),
        ],
    );
    assert_eq!(decoded["namespace"], format!("{BASE}REL-5-MM7-1-2"));
    assert_eq!(decoded["mm7_version"], "5.6.0");
    assert_eq!(decoded["content"]["content_type"], "image/png");
    assert_eq!(decoded["content"]["name"], "photo.jpg");
    assert!(facts["dropped"].as_array().unwrap().is_empty());

    let (_, decoded) = round_trip(
        dir.path(),
        "deliver.mm7",
        &[
            "--type",
            "deliver-req",
            "--namespace",
            "REL-5-MM7-1-0",
            "--transaction-id",
            "tx-3",
            "--sender",
            "+15551230009",
            "--to",
            "12345",
            "--linked-id",
            "link-1",
            "--subject",
            "YES",
            "--part",
            path(&note),
        ],
    );
    assert_eq!(decoded["message"]["type"], "DeliverReq");
    assert_eq!(decoded["message"]["sender"]["value"], "+15551230009");
    assert_eq!(decoded["message"]["linked_id"], "link-1");
    assert_eq!(decoded["content"]["charset"], "utf-8");

    let (facts, decoded) = round_trip(
        dir.path(),
        "report.xml",
        &[
            "--type",
            "delivery-report-req",
            "--namespace",
            "REL-6-MM7-1-2",
            "--transaction-id",
            "tx-4",
            "--message-id",
            "msg-9",
            "--recipient",
            "+15551230001",
            "--sender",
            "12345",
            "--date",
            "2026-11-25T10:00:00Z",
            "--mm-status",
            "Retrieved",
            "--status-text",
            "ok",
        ],
    );
    assert_eq!(facts["content_type"], "text/xml; charset=\"utf-8\"");
    assert_eq!(decoded["message"]["type"], "DeliveryReportReq");
    assert_eq!(decoded["message"]["mm_status"], "Retrieved");
    assert_eq!(decoded["message"]["date"], "2026-11-25T10:00:00Z");

    let (_, decoded) = round_trip(
        dir.path(),
        "read.xml",
        &[
            "--type",
            "read-reply-req",
            "--namespace",
            "REL-5-MM7-1-5",
            "--transaction-id",
            "tx-5",
            "--message-id",
            "msg-9",
            "--recipient",
            "+15551230001",
            "--sender",
            "12345",
            "--time-stamp",
            "2026-11-25T11:00:00Z",
            "--mm-status",
            "Read",
        ],
    );
    assert_eq!(decoded["message"]["mm_status"], "Read");

    let (_, decoded) = round_trip(
        dir.path(),
        "replace.mm7",
        &[
            "--type",
            "replace-req",
            "--namespace",
            "REL-6-MM7-1-0",
            "--transaction-id",
            "tx-6",
            "--message-id",
            "msg-9",
            "--vasp-id",
            "vasp",
            "--part",
            path(&photo),
        ],
    );
    assert_eq!(decoded["message"]["message_id"], "msg-9");
    assert_eq!(decoded["content"]["size"], 8);

    let (_, decoded) = round_trip(
        dir.path(),
        "cancel.xml",
        &[
            "--type",
            "cancel-req",
            "--namespace",
            "REL-6-MM7-1-3",
            "--transaction-id",
            "tx-7",
            "--message-id",
            "msg-9",
        ],
    );
    assert_eq!(decoded["message"]["type"], "CancelReq");

    let (_, decoded) = round_trip(
        dir.path(),
        "submit-rsp.xml",
        &[
            "--type",
            "submit-rsp",
            "--transaction-id",
            "tx-1",
            "--status-code",
            "1000",
            "--message-id",
            "msg-9",
        ],
    );
    assert_eq!(decoded["message"]["status"]["code"], 1000);
    assert_eq!(decoded["message"]["status"]["text"], "Success");
    assert_eq!(decoded["message"]["message_id"], "msg-9");

    let (_, decoded) = round_trip(
        dir.path(),
        "error.xml",
        &[
            "--type",
            "vasp-error-rsp",
            "--namespace",
            "REL-5-MM7-1-0",
            "--transaction-id",
            "tx-3",
            "--status-code",
            "4004",
            "--details",
            "no such service",
        ],
    );
    assert_eq!(decoded["message"]["type"], "VaspErrorRsp");
    assert_eq!(decoded["message"]["status"]["text"], "Validation error");
    assert_eq!(decoded["message"]["status"]["details"], "no such service");
}

#[test]
fn elements_of_later_schemas_are_refused_or_dropped_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("submit.xml");
    let args = [
        "mm7",
        "encode",
        "--type",
        "submit-req",
        "--namespace",
        "REL-5-MM7-1-2",
        "--transaction-id",
        "t",
        "--to",
        "+15551230001",
        "--applic-id",
        "app",
        "--content-class",
        "image-basic",
        "-o",
        path(&file),
    ];
    let refused = canvass(&args);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("ApplicID is not defined in REL-5-MM7-1-2; it first appears in REL-6-MM7-1-0"),
        "{err}"
    );
    assert!(!file.exists(), "nothing is written on error");

    let mut dropping = args.to_vec();
    dropping.push("--drop-unsupported");
    let facts = json_of(&canvass(&dropping));
    assert_eq!(
        facts["dropped"],
        serde_json::json!(["ApplicID", "ContentClass"])
    );
    let decoded = json_of(&canvass(&["mm7", "decode", path(&file)]));
    assert_eq!(decoded["message"]["application"]["applic_id"], Json::Null);
    assert_eq!(decoded["message"]["content_class"], Json::Null);
    let xml = std::fs::read_to_string(&file).unwrap();
    assert!(
        !xml.contains("ApplicID") && !xml.contains("ContentClass"),
        "{xml}"
    );

    // The same fields are fine where the schema has them.
    let rel6 = dir.path().join("rel6.xml");
    let mut newer: Vec<&str> = args.to_vec();
    newer[5] = "REL-6-MM7-1-1";
    *newer.last_mut().unwrap() = path(&rel6);
    let facts = json_of(&canvass(&newer));
    assert!(facts["dropped"].as_array().unwrap().is_empty());
    let xml = std::fs::read_to_string(&rel6).unwrap();
    assert!(
        xml.contains("<ApplicID>app</ApplicID>")
            && xml.contains("<ContentClass>image-basic</ContentClass>")
    );
}

#[test]
fn missing_or_wrong_flags_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.xml");
    let run = |extra: &[&str]| {
        let mut args = vec!["mm7", "encode", "-o", path(&out)];
        args.extend(extra);
        String::from_utf8_lossy(&canvass(&args).stderr).into_owned()
    };
    assert!(run(&["--type", "deliver-req", "--transaction-id", "t"]).contains("--sender"));
    assert!(run(&["--type", "submit-req", "--to", "+15551230001"]).contains("--transaction-id"));
    assert!(run(&["--type", "submit-req", "--transaction-id", "t"]).contains("--to"));
    assert!(run(&["--type", "submit-rsp", "--transaction-id", "t"]).contains("--status-code"));
    assert!(
        run(&["--type", "submit-reqq", "--transaction-id", "t"]).contains("not an MM7 message")
    );
    assert!(
        run(&[
            "--type",
            "cancel-rsp",
            "--transaction-id",
            "t",
            "--namespace",
            "REL-7-MM7-1-0"
        ])
        .contains("--namespace")
    );
}

#[test]
fn flags_without_an_element_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.xml");
    let refused = canvass(&[
        "mm7",
        "encode",
        "--type",
        "cancel-req",
        "--transaction-id",
        "t",
        "--message-id",
        "m",
        "--subject",
        "hi",
        "--to",
        "+15551230001",
        "-o",
        path(&out),
    ]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("has no element for --to, --subject"), "{err}");
}

#[test]
fn decode_output_encodes_again_from_json() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.xml");
    json_of(&canvass(&[
        "mm7",
        "encode",
        "--type",
        "delivery-report-req",
        "--namespace",
        "REL-6-MM7-1-4",
        "--transaction-id",
        "tx-9",
        "--message-id",
        "msg-1",
        "--recipient",
        "+15551230001",
        "--sender",
        "12345",
        "--date",
        "2026-11-25T10:00:00Z",
        "--mm-status",
        "Expired",
        "--mm-status-extension",
        "ext",
        "-o",
        path(&first),
    ]));
    let decoded = canvass(&["mm7", "decode", path(&first)]);
    let json_file = dir.path().join("report.json");
    std::fs::write(&json_file, &decoded.stdout).unwrap();
    // Written again for an older peer: the MMStatusExtension its schema lacks is refused, then dropped.
    let second = dir.path().join("second.xml");
    let args = [
        "mm7",
        "encode",
        "--message-json",
        path(&json_file),
        "--namespace",
        "REL-6-MM7-1-3",
        "-o",
        path(&second),
    ];
    let refused = canvass(&args);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("MMStatusExtension"));
    let mut dropping = args.to_vec();
    dropping.push("--drop-unsupported");
    let facts = json_of(&canvass(&dropping));
    assert_eq!(facts["dropped"], serde_json::json!(["MMStatusExtension"]));
    let again = json_of(&canvass(&["mm7", "decode", path(&second)]));
    assert_eq!(again["transaction_id"], "tx-9");
    assert_eq!(again["namespace"], format!("{BASE}REL-6-MM7-1-3"));
    let before: Json = serde_json::from_slice(&decoded.stdout).unwrap();
    let mut expected = before["message"].clone();
    expected["mm_status_extension"] = Json::Null;
    assert_eq!(again["message"], expected);
    let stray = canvass(&[
        "mm7",
        "encode",
        "--message-json",
        path(&json_file),
        "--subject",
        "x",
        "-o",
        path(&second),
    ]);
    assert!(
        String::from_utf8_lossy(&stray.stderr)
            .contains("--message-json (the file gives every field) has no element for --subject")
    );
}

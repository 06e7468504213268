//! `canvass accounts|numbers|keys` as an operator uses them: Twilio-shaped ids, secrets shown once and never
//! listed, numbers owned by one account, and bad input refused with the reason.

mod support;

use std::path::Path;
use std::process::Output;

use support::{canvass_in, facts};

fn fails(data: &Path, args: &[&str]) -> String {
    let out: Output = canvass_in(data).args(args).output().expect("runs");
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn is_sid(value: &serde_json::Value, prefix: &str) -> bool {
    value.as_str().is_some_and(|s| {
        s.len() == 34 && s.starts_with(prefix) && s[2..].bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[test]
fn an_agency_creates_clients_numbers_and_scoped_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let agency = facts(canvass_in(data).args(["accounts", "create", "Agency", "--json"]));
    assert!(is_sid(&agency["account_sid"], "AC"), "{agency}");
    assert_eq!(
        agency["auth_token"].as_str().map(str::len),
        Some(32),
        "{agency}"
    );
    let agency_sid = agency["account_sid"].as_str().expect("sid");
    let client = facts(canvass_in(data).args([
        "accounts", "create", "Client", "--parent", agency_sid, "--json",
    ]));
    let client_sid = client["account_sid"].as_str().expect("sid");
    let children =
        facts(canvass_in(data).args(["accounts", "list", "--parent", agency_sid, "--json"]));
    assert_eq!(children.as_array().map(Vec::len), Some(1), "{children}");
    assert_eq!(children[0]["sid"], client_sid);
    assert_eq!(children[0]["parent"], agency_sid);
    let listed = children.to_string();
    assert!(
        !listed.contains(client["auth_token"].as_str().expect("token")),
        "tokens are never listed"
    );

    let ok = canvass_in(data)
        .args(["numbers", "add", "(202) 555-0100", "--account", client_sid])
        .output()
        .expect("runs");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let numbers =
        facts(canvass_in(data).args(["numbers", "list", "--account", client_sid, "--json"]));
    assert_eq!(
        numbers,
        serde_json::json!(["+12025550100"]),
        "stored as E.164"
    );
    let taken = fails(
        data,
        &["numbers", "add", "+12025550100", "--account", agency_sid],
    );
    assert!(taken.contains("registered to another account"), "{taken}");

    let key = facts(canvass_in(data).args([
        "keys",
        "create",
        "--account",
        client_sid,
        "--scope",
        "send,read",
        "--name",
        "ci",
        "--json",
    ]));
    assert!(is_sid(&key["sid"], "SK"), "{key}");
    assert_eq!(key["scopes"], serde_json::json!(["send", "read"]));
    let keys = facts(canvass_in(data).args(["keys", "list", "--account", client_sid, "--json"]));
    assert_eq!(keys[0]["sid"], key["sid"]);
    assert!(
        !keys
            .to_string()
            .contains(key["secret"].as_str().expect("secret")),
        "secrets are never listed"
    );
    let revoked = canvass_in(data)
        .args([
            "keys",
            "revoke",
            "--account",
            client_sid,
            key["sid"].as_str().expect("sid"),
        ])
        .output()
        .expect("runs");
    assert!(revoked.status.success());
    let keys = facts(canvass_in(data).args(["keys", "list", "--account", client_sid, "--json"]));
    assert_eq!(keys, serde_json::json!([]));
}

#[test]
fn bad_ids_scopes_and_numbers_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let bad_parent = fails(data, &["accounts", "create", "X", "--parent", "AC123"]);
    assert!(bad_parent.contains("32 hexadecimal digits"), "{bad_parent}");
    let unknown_parent = fails(
        data,
        &[
            "accounts",
            "create",
            "X",
            "--parent",
            "AC0123456789abcdef0123456789abcdef",
        ],
    );
    assert!(unknown_parent.contains("not found"), "{unknown_parent}");
    let account = facts(canvass_in(data).args(["accounts", "create", "A", "--json"]));
    let sid = account["account_sid"].as_str().expect("sid");
    let scope = fails(
        data,
        &["keys", "create", "--account", sid, "--scope", "send,root"],
    );
    assert!(
        scope.contains("\"root\"") && scope.contains("manage-audience"),
        "{scope}"
    );
    let phone = fails(data, &["numbers", "add", "12345", "--account", sid]);
    assert!(phone.contains("12345"), "{phone}");
}

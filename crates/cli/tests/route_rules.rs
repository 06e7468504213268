//! `canvass routes rules set|show|clear`: the route table is checked rule by rule against the stored routes before
//! it is stored, and shown back as written.

mod support;

use support::{canvass_in, facts, path};

fn smpp_route(data: &std::path::Path, name: &str) {
    let spec =
        r#"{"kind":"smpp","address":"127.0.0.1:2776","system_id":"canvass","password":"canvass"}"#;
    let out = canvass_in(data)
        .args(["routes", "add", name, spec])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn set(data: &std::path::Path, file: &std::path::Path) -> std::process::Output {
    canvass_in(data)
        .args(["routes", "rules", "set", path(file)])
        .output()
        .expect("runs")
}

#[test]
fn a_route_table_is_checked_stored_shown_and_cleared() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    smpp_route(&data, "smpp-philly");
    smpp_route(&data, "smpp-a");

    let shown = facts(canvass_in(&data).args(["routes", "rules", "show", "--json"]));
    assert!(shown.is_null(), "no table at first: {shown}");

    // Refused, each with the rule and the problem named; nothing is stored.
    let bad = [
        (
            "unknown.toml",
            "[[rules]]\nroutes = [\"smpp-a\"]\n\n[[rules]]\nroutes = [\"smpp-a\", \"nope\"]\n",
            "rule 1: no route named \"nope\"",
        ),
        (
            "prefix.toml",
            "[[rules]]\nprefix = \"1215\"\nroutes = [\"smpp-a\"]\n",
            "prefix \"1215\" is not `+` and digits",
        ),
        (
            "empty.toml",
            "[[rules]]\nroutes = []\n",
            "routing rule 0 names no route",
        ),
        (
            "typo.toml",
            "[[rules]]\nroute = [\"smpp-a\"]\n",
            "unknown field `route`",
        ),
        ("broken.json", "{\"rules\": [", "not JSON"),
    ];
    for (name, text, words) in bad {
        let file = dir.path().join(name);
        std::fs::write(&file, text).expect("rules file");
        let out = set(&data, &file);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} was accepted");
        assert!(stderr.contains(words), "{name}: {stderr}");
    }
    let shown = facts(canvass_in(&data).args(["routes", "rules", "show", "--json"]));
    assert!(shown.is_null(), "a refused table is not stored: {shown}");

    let good = dir.path().join("rules.toml");
    std::fs::write(
        &good,
        "[[rules]]\nprefix = \"+1215\"\nchannel = \"sms\"\nroutes = [\"smpp-philly\", \"smpp-a\"]\n\n\
         [[rules]]\nroutes = [\"smpp-a\", \"smpp-philly\"]\nmode = \"round_robin\"\n",
    )
    .expect("rules file");
    let out = set(&data, &good);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = facts(canvass_in(&data).args(["routes", "rules", "show", "--json"]));
    assert_eq!(shown["rules"][0]["prefix"], "+1215");
    assert_eq!(shown["rules"][0]["routes"][1], "smpp-a");
    assert_eq!(shown["rules"][1]["mode"], "round_robin");
    let text = canvass_in(&data)
        .args(["routes", "rules", "show"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("0. prefix +1215, channel sms → smpp-philly, smpp-a (Failover)"),
        "{text}"
    );
    assert!(
        text.contains("1. everything → smpp-a, smpp-philly (RoundRobin)"),
        "{text}"
    );

    let out = canvass_in(&data)
        .args(["routes", "rules", "clear"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let shown = facts(canvass_in(&data).args(["routes", "rules", "show", "--json"]));
    assert!(shown.is_null(), "cleared: {shown}");
}

//! `canvass demo --exit` end to end: after the audience and segments, the carriers table shows every connector
//! against the built-in simulator, each message with the outcome its magic number calls for.

mod support;

use support::canvass_in;

/// One line of the carriers table, split on its column gaps (two spaces or more).
#[derive(Debug)]
struct Row {
    channel: String,
    route: String,
    outcome: String,
    detail: String,
}

fn columns(line: &str) -> Vec<String> {
    line.trim()
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The table's rows: the lines after its header and before the statistics line.
fn carrier_rows(stdout: &str) -> Vec<Row> {
    stdout
        .lines()
        .skip_while(|line| !line.starts_with("Carriers (built-in simulator: SMSC 127.0.0.1:"))
        .skip(2)
        .take_while(|line| !line.trim_start().starts_with("Simulator /sim/stats"))
        .map(|line| {
            let c = columns(line);
            assert_eq!(c.len(), 6, "six columns in {line:?}");
            Row {
                channel: c[0].clone(),
                route: c[1].clone(),
                outcome: c[3].clone(),
                detail: c[5].clone(),
            }
        })
        .collect()
}

#[test]
fn demo_tours_every_carrier_connection_on_the_built_in_simulator() {
    let data = tempfile::tempdir().expect("temp dir");
    let out = canvass_in(data.path())
        .args(["demo", "--exit", "--contacts", "300"])
        .env("RUST_LOG", "error")
        .output()
        .expect("canvass demo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "demo failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let segments = stdout.find("\nSegments:").expect("the segments section");
    let carriers = stdout.find("\nCarriers (").expect("the carriers section");
    assert!(segments < carriers, "carriers come after segments");

    let rows = carrier_rows(&stdout);
    // (channel, route, outcome, words in what happened), in the tour's order.
    let expected = [
        ("SMS", "smpp", "delivered", "DELIVRD"),
        ("SMS", "smpp", "delivered", "segments"),
        ("SMS", "smpp", "permanent 0x0000000B", "ESME_RINVDSTADR"),
        ("SMS", "smpp", "undeliverable", "err:006"),
        ("MMS", "mm1 over smpp", "delivered", "fetched"),
        ("MMS", "mm7", "delivered", "DeliveryReportReq"),
        ("RCS", "rbm", "read", "delivered → read"),
        ("RCS", "rbm", "not_rcs_capable", "falls back to MMS"),
        ("SMS", "upstream", "delivered", "signed status callbacks"),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:#?}\n{stdout}");
    for (row, (channel, route, outcome, words)) in rows.iter().zip(expected) {
        assert_eq!(
            (
                row.channel.as_str(),
                row.route.as_str(),
                row.outcome.as_str()
            ),
            (channel, route, outcome),
            "{row:?}"
        );
        assert!(row.detail.contains(words), "{words:?} in {row:?}");
    }
    let long = &rows[1].detail;
    assert!(
        long.starts_with("UCS-2, ") && !long.starts_with("UCS-2, 1 segments"),
        "the long text goes in several segments: {long}"
    );

    let stats = stdout
        .lines()
        .find(|line| line.trim_start().starts_with("Simulator /sim/stats:"))
        .expect("the statistics line");
    assert!(stats.contains("0 duplicates"), "{stats}");
    for interface in ["smpp", "mm1", "mm7", "rbm", "upstream"] {
        assert!(
            stats.contains(&format!("{interface} ")),
            "{interface} in {stats}"
        );
    }
    assert!(
        stdout.contains("canvass sim"),
        "points to the standalone simulator"
    );
}

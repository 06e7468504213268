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

#[test]
fn demo_runs_a_campaign_through_the_simulator_and_honours_stop() {
    let data = tempfile::tempdir().expect("temp dir");
    let out = canvass_in(data.path())
        .args(["demo", "--exit", "--contacts", "400"])
        .env("RUST_LOG", "error")
        .output()
        .expect("canvass demo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "demo failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(" completed in "),
        "the campaign completes:\n{stdout}"
    );
    let table = &stdout[stdout.find("By variant:").expect("the variant table")..];
    let header: Vec<&str> = table
        .lines()
        .nth(1)
        .expect("header")
        .split_whitespace()
        .collect();
    assert_eq!(&header[..3], ["queued", "sending", "sent"], "{table}");
    // Every row: nothing left queued, sending or sent once the campaign completed.
    for row in table.lines().skip(2).take_while(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(&cells[1..4], ["0", "0", "0"], "{row}");
    }
    assert!(stdout.contains("STOP replies honoured (5; "), "{stdout}");
    // Whether a STOP beat its recipient's message depends on the machine's speed; the opt-out itself does not.
    let honoured = stdout
        .lines()
        .filter(|l| l.contains("→ opted out (ledger: sms_keyword)"))
        .count();
    assert_eq!(honoured, 5, "{stdout}");
    let channels = stdout
        .lines()
        .find(|l| l.starts_with("By channel:"))
        .expect("channel line");
    assert!(
        channels.contains("rcs") && channels.contains("mms"),
        "RCS first, MMS for handsets without it: {channels}"
    );
    let sim = stdout
        .lines()
        .find(|l| l.starts_with("Simulator: "))
        .expect("simulator line");
    assert!(sim.ends_with(" 0 duplicates"), "{sim}");
}

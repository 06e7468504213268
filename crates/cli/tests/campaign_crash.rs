//! Reliability as an operator would test it: a campaign sent by `canvass serve --role worker` to `canvass sim`,
//! with the worker killed by SIGKILL again and again and restarted each time. At the end every message is in a
//! terminal state, every recipient got the message, and the simulator saw no more duplicates than the worker's
//! in-flight window allows per crash. The full-size run (100k messages, 20 kills) is `scripts/bench/crash.sh`.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::{Running, canvass, canvass_in, facts, ok, path, start_sim};

/// Contacts in the campaign and worker kills: reduced for CI; `scripts/bench/crash.sh` sets the full size
/// through `CANVASS_CRASH_CONTACTS` and `CANVASS_CRASH_KILLS`. `CANVASS_CRASH_LOG=FILE` keeps the workers' logs.
fn size() -> (u64, u32) {
    let var = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    (
        var("CANVASS_CRASH_CONTACTS", 3_000),
        var("CANVASS_CRASH_KILLS", 5) as u32,
    )
}
/// `DispatchConfig::default().in_flight`: what one crash may resend.
const IN_FLIGHT: u64 = 2048;
/// The worker's clock: the next weekday afternoon in every US zone (quiet hours allow every send) that is not
/// before now, so the messages `campaigns launch` queues at the real time are already due. A fixed date stopped
/// working once it lay in the past: nothing launched after it was ever due.
fn clock() -> String {
    canvass_campaigns::compliance::next_open_afternoon(jiff::Timestamp::now()).to_string()
}

/// Where the workers' logs go: appended to `CANVASS_CRASH_LOG` when it names a file, else nowhere.
fn worker_log() -> Stdio {
    std::env::var_os("CANVASS_CRASH_LOG")
        .and_then(|path| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .ok()
        })
        .map_or_else(Stdio::null, Stdio::from)
}

fn worker(data: &Path) -> Running {
    Running(
        canvass_in(data)
            .args([
                "serve",
                "--role",
                "worker",
                "--http",
                "127.0.0.1:0",
                "--clock",
                &clock(),
            ])
            .env("CANVASS_RECEIPT_TIMEOUT", "20s")
            .env("CANVASS_LEASE", "3s")
            .stdout(Stdio::null())
            .stderr(worker_log())
            .spawn()
            .expect("canvass serve starts"),
    )
}

fn status(data: &Path) -> Value {
    facts(canvass_in(data).args(["campaigns", "status", "crash", "--json"]))
}

fn count(status: &Value, which: &str) -> u64 {
    status["by_status"][which].as_u64().unwrap_or(0)
}

fn stats(control: &str) -> Value {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(control).expect("the simulator's control");
    write!(
        stream,
        "GET /sim/stats HTTP/1.1\r\nHost: {control}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .expect("an HTTP answer");
    serde_json::from_str(body).expect("simulator statistics as JSON (not chunked)")
}

/// Drops the rows this test cannot expect delivered: numbers in the simulator's fault ranges (a synthetic file of
/// 100k draws a few by chance) and ZIPs outside the mainland, Alaska and Hawaii zones (Wake Island's is 07:00 at
/// the worker's clock, so its message waits an hour for lawful hours), as `canvass bench campaign` holds them back.
fn keep_sendable(voters: &Path) {
    let mut reader = csv::Reader::from_path(voters).expect("the synthetic file");
    let header = reader.headers().expect("header").clone();
    let phone = header
        .iter()
        .position(|h| h == "phone")
        .expect("phone column");
    let zip = header.iter().position(|h| h == "zip").expect("zip column");
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| canvass_types::Personality::of(&r[phone]) == canvass_types::Personality::Happy)
        .filter(|r| {
            canvass_audience::geo::normalize_zip(&r[zip])
                .and_then(|z| canvass_audience::geo::zip_info(&z))
                .is_none_or(|info| {
                    info.time_zone.starts_with("America/") || info.time_zone == "Pacific/Honolulu"
                })
        })
        .collect();
    let mut writer = csv::Writer::from_path(voters).expect("rewrite");
    writer.write_record(&header).expect("header");
    for row in rows {
        writer.write_record(&row).expect("row");
    }
    writer.flush().expect("flush");
}

#[test]
fn kill_nine_during_a_campaign_loses_nothing() {
    let (contacts, kills) = size();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let voters = dir.path().join("voters.csv");
    ok(canvass().args([
        "synth",
        "--rows",
        &contacts.to_string(),
        "--seed",
        "9",
        "-o",
        path(&voters),
    ]));
    keep_sendable(&voters);
    ok(canvass_in(&data).args(["contacts", "import", path(&voters)]));
    let (_sim, listeners) = start_sim();
    let addr = |name: &str| listeners[name].as_str().expect("listener").to_owned();
    let control = addr("control");
    ok(canvass_in(&data).args([
        "routes",
        "sim",
        "--smpp",
        &addr("smpp"),
        "--control",
        &format!("http://{control}"),
        "--without",
        "mms,rcs",
    ]));
    let campaign = dir.path().join("crash.toml");
    std::fs::write(
        &campaign,
        "channels = [\"sms\"]\nsender = \"+12025550100\"\n\n[[variants]]\nname = \"default\"\n\
         text = \"Hi {{ first_name|default('friend') }}, polls open 7am Tuesday in {{ state }}.\"\n",
    )
    .expect("campaign file");
    ok(canvass_in(&data).args(["campaigns", "create", path(&campaign)]));
    ok(canvass_in(&data).args(["campaigns", "launch", "crash"]));
    let total = status(&data)["by_status"]
        .as_object()
        .map_or(0, |m| m.len());
    assert_eq!(total, 0, "nothing is expanded before a worker runs");

    let mut handed_before = 0;
    let mut killed: u32 = 0;
    for kill in 0..kills {
        let mut running = worker(&data);
        // Kill it at a different point each time: right after progress shows, then later and later.
        let deadline = Instant::now() + Duration::from_secs(60);
        let finished = loop {
            std::thread::sleep(Duration::from_millis(150 + 100 * u64::from(kill % 10)));
            let s = status(&data);
            let handed = count(&s, "sent") + count(&s, "delivered");
            let finished = s["state"] == "completed";
            if handed > handed_before || finished || Instant::now() > deadline {
                handed_before = handed;
                break finished;
            }
        };
        running.0.kill().expect("SIGKILL the worker");
        let _ = running.0.wait();
        killed += 1;
        if finished {
            break; // nothing left to interrupt
        }
    }
    eprintln!("crash run: {killed} of {kills} kills made before the campaign completed");

    let _worker = worker(&data);
    let deadline = Instant::now() + Duration::from_secs(180 + contacts / 500);
    let last = loop {
        let s = status(&data);
        if s["state"] == "completed" || Instant::now() > deadline {
            break s;
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    assert_eq!(
        last["state"], "completed",
        "the campaign completes: {last:#}"
    );
    let by_status = last["by_status"].as_object().expect("counts");
    for (status, n) in by_status {
        assert!(
            matches!(
                status.as_str(),
                "delivered" | "undelivered" | "failed" | "expired" | "suppressed"
            ),
            "{n} messages left {status}"
        );
    }
    let imported: u64 = by_status.values().filter_map(Value::as_u64).sum();
    assert!(
        imported >= contacts * 99 / 100,
        "every imported contact has its message: {imported}"
    );
    let sim = stats(&control);
    let recipients = sim["by_recipient"].as_object().map_or(0, |m| m.len()) as u64;
    assert_eq!(
        recipients, imported,
        "every message reached its recipient at least once"
    );
    // A receipt is answered ESME_ROK only once stored, so one that a dying worker held comes back to the next
    // worker: every happy recipient ends delivered, none `expired` for want of a receipt (the receipt timeout,
    // 20 s here, is far longer than a restart).
    assert_eq!(
        count(&last, "delivered"),
        imported,
        "every happy recipient ends delivered, crashes or not: {last:#}"
    );
    let duplicates = sim["duplicates"].as_u64().expect("duplicates");
    eprintln!(
        "crash run: {imported} messages, {killed} kills, {duplicates} duplicates; by status {by_status:?}"
    );
    assert!(
        duplicates <= u64::from(killed) * IN_FLIGHT,
        "{duplicates} duplicates after {killed} crashes (window {IN_FLIGHT})"
    );
}

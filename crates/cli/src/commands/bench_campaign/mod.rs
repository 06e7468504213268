//! `canvass bench campaign`: in one run, on SQLite in a temporary data dir,
//! 1. expansion msgs/s against SQLite's own `INSERT … SELECT` of the same rows (median of runs);
//! 2. personalised SMS through the worker and the simulator's SMSC, launch → `completed`, against the bare
//!    SMPP connector on the same number of texts and the same binds and window;
//! 3. personalised picture MMS over MM7 (an SVG rendered per recipient), msgs/s and CPU per message, against the
//!    bare MM7 connector submitting one pre-rendered picture.

mod expansion;
mod raw;
mod send;
mod setup;
mod sim;

use crate::args::{BenchCampaignArgs, BenchPart};
use crate::output::thousands;
use canvass_connectors::{Content, MediaPart, MmsContent, OutboundMessage};
use canvass_server::sending::media::MediaCache;
use canvass_types::{OffsetClock, Personality};
use send::Sending;
use setup::{
    campaign_toml, contact_count, hold_back, import_contacts, open_app, open_hours_instant,
};
use sim::SimProcess;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

/// Milliseconds between the simulator accepting a message and its receipt.
const RECEIPT_DELAY_MS: u64 = 10;

/// Submits the bare MM7 connector keeps in flight: twice the route's window, as the SMPP peer does.
const MM7_WINDOW: usize = 32;

/// The picture every MMS variant carries: the recipient's name and state drawn into it.
const FLYER_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480" viewBox="0 0 640 480">
  <rect width="640" height="480" fill="#264653"/>
  <rect x="24" y="24" width="592" height="432" fill="none" stroke="#ffffff" stroke-width="4"/>
  <text id="name" x="320" y="150" font-family="DejaVu Sans" font-weight="bold" font-size="48" fill="#ffffff" text-anchor="middle" data-fit-width="560">{{first_name}},</text>
  <text x="320" y="240" font-family="DejaVu Sans" font-size="40" fill="#ffffff" text-anchor="middle">Tuesday is election day.</text>
  <text id="state" x="320" y="320" font-family="DejaVu Sans" font-size="30" fill="#ffffff" text-anchor="middle" data-fit-width="560">Your vote in {{state}} decides it.</text>
  <text x="320" y="410" font-family="DejaVu Sans" font-size="24" fill="#ffffff" text-anchor="middle">Polls open 7am to 8pm on Tuesday</text>
</svg>
"##;

/// The median of `values` (the upper one of an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

#[derive(Debug, Default, serde::Serialize)]
struct Report {
    contacts: u64,
    import_secs: Option<f64>,
    /// Contacts in far time zones, suppressed (see `setup::hold_back`).
    held: u64,
    mms_held: u64,
    expansion: Option<expansion::Expansion>,
    sms: Option<Sending>,
    mms: Option<Sending>,
}

pub async fn run(args: BenchCampaignArgs) -> anyhow::Result<ExitCode> {
    let tmp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let wants = |part| args.only.is_none_or(|only| only == part);
    let at = open_hours_instant()?;
    let mut report = Report {
        contacts: args.contacts,
        ..Report::default()
    };

    if wants(BenchPart::Expansion) || wants(BenchPart::Sms) {
        let main = dir.join("main");
        let _ = std::fs::remove_dir_all(&main);
        let app = open_app(&main).await?;
        eprintln!(
            "importing {} synthetic contacts…",
            thousands(args.contacts as i64)
        );
        report.import_secs = Some(import_contacts(&app, &dir, args.contacts).await?);
        report.held = hold_back(&app).await?;
        if wants(BenchPart::Expansion) {
            let now = at.as_millisecond();
            report.expansion = Some(expansion::run(&app, args.runs, now).await?);
        }
        if wants(BenchPart::Sms) {
            report.sms = Some(sms(&app, &args, at).await?);
        }
        app.store.close().await;
    }
    if wants(BenchPart::Mms) {
        let mms_dir = dir.join("mms");
        let _ = std::fs::remove_dir_all(&mms_dir);
        let app = open_app(&mms_dir).await?;
        eprintln!(
            "importing {} synthetic contacts for MMS…",
            thousands(args.mms as i64)
        );
        import_contacts(&app, &dir, args.mms).await?;
        report.mms_held = hold_back(&app).await?;
        report.mms = Some(mms(&app, &mms_dir, at).await?);
        app.store.close().await;
    }

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report, &args);
    }
    Ok(ExitCode::SUCCESS)
}

async fn sms(
    app: &canvass_server::App,
    args: &BenchCampaignArgs,
    at: jiff::Timestamp,
) -> anyhow::Result<Sending> {
    let sim = SimProcess::start(RECEIPT_DELAY_MS)?;
    let route = raw::sms_route(&sim, args.binds, args.window).await?;
    let campaign = send::campaign(
        app,
        &sim,
        "bench-sms",
        &campaign_toml("sms", None),
        vec![route],
        Arc::new(OffsetClock::to(at)),
        contact_count(app).await?,
    )
    .await?;
    drop(sim);
    eprintln!(
        "bare SMPP connector, {} texts…",
        thousands(campaign.messages as i64)
    );
    let sim = SimProcess::start(RECEIPT_DELAY_MS)?;
    let route = raw::sms_route(&sim, args.binds, args.window).await?;
    let raw = raw::run(
        route,
        campaign.messages as usize,
        args.binds * args.window * 2,
        |n| {
            OutboundMessage::text(
                format!("bare-{n}"),
                "+12025550100",
                Personality::Happy.number(n as u32),
                format!("Hi friend {n}, your vote counts. Vote Tuesday in PA."),
            )
        },
    )
    .await?;
    let raw_sim = sim.counts().await?;
    Ok(Sending {
        ratio: campaign.per_sec / raw.per_sec.max(1e-9),
        campaign,
        raw,
        raw_sim,
    })
}

async fn mms(
    app: &canvass_server::App,
    dir: &std::path::Path,
    at: jiff::Timestamp,
) -> anyhow::Result<Sending> {
    let flyer = dir.join("flyer.svg");
    std::fs::write(&flyer, FLYER_SVG)?;
    let flyer = flyer.canonicalize()?.display().to_string();
    let media = format!(r#"{{ kind = "picture", path = '{flyer}' }}"#);
    let sim = SimProcess::start(RECEIPT_DELAY_MS)?;
    let route = raw::mms_route(&sim).await?;
    let campaign = send::campaign(
        app,
        &sim,
        "bench-mms",
        &campaign_toml("mms", Some(&media)),
        vec![route],
        Arc::new(OffsetClock::to(at)),
        contact_count(app).await?,
    )
    .await?;
    drop(sim);

    // The peer: one picture rendered once, before the clock starts, submitted to every recipient.
    let fields: HashMap<String, String> = [("first_name", "Alex"), ("state", "PA")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let picture = MediaCache::new()
        .picture(&flyer, &fields)
        .map_err(|e| anyhow::anyhow!("rendering the peer's picture: {e}"))?;
    let content = MmsContent {
        subject: Some("Tuesday is election day".into()),
        parts: vec![
            MediaPart {
                content_type: picture.content_type.clone(),
                name: picture.name.clone(),
                data: picture.bytes.clone(),
            },
            MediaPart {
                content_type: "text/plain; charset=utf-8".into(),
                name: "text.txt".into(),
                data: "Hi Alex, your vote counts. Vote Tuesday in PA."
                    .as_bytes()
                    .into(),
            },
        ],
    };
    eprintln!(
        "bare MM7 connector, {} pictures…",
        thousands(campaign.messages as i64)
    );
    let sim = SimProcess::start(RECEIPT_DELAY_MS)?;
    let route = raw::mms_route(&sim).await?;
    let raw = raw::run(
        route,
        campaign.messages as usize,
        MM7_WINDOW * 2,
        move |n| OutboundMessage {
            id: format!("bare-{n}"),
            from: "+12025550100".into(),
            to: Personality::Happy.number(n as u32),
            content: Content::Mms(content.clone()),
            validity: None,
            want_receipt: true,
        },
    )
    .await?;
    let raw_sim = sim.counts().await?;
    Ok(Sending {
        ratio: campaign.per_sec / raw.per_sec.max(1e-9),
        campaign,
        raw,
        raw_sim,
    })
}

fn print_table(report: &Report, args: &BenchCampaignArgs) {
    if let Some(secs) = report.import_secs {
        println!(
            "import of {} contacts: {secs:.1} s ({} held back as opted out: far time zones, simulator fault numbers)",
            thousands(report.contacts as i64),
            report.held
        );
    }
    if let Some(e) = &report.expansion {
        println!(
            "\nexpansion of {} contacts (3 variants by rule), SQLite, median of {} runs:",
            thousands(report.contacts as i64),
            e.runs.len()
        );
        println!(
            "  canvass expansion (chunks of 20k)         {:>10} msgs/s",
            thousands(e.ours_per_sec as i64)
        );
        println!(
            "  SQLite INSERT…SELECT, same columns        {:>10} msgs/s",
            thousands(e.ceiling_per_sec as i64)
        );
        println!(
            "  ratio (goal ≥ 0.5)                        {:>10.2}",
            e.ratio
        );
    }
    for (label, part) in [
        ("personalised SMS over SMPP", &report.sms),
        ("picture MMS over MM7", &report.mms),
    ] {
        let Some(s) = part else { continue };
        let c = &s.campaign;
        println!(
            "\n{label}, {} messages, launch → completed (binds {}, window {}):",
            thousands(c.messages as i64),
            args.binds,
            args.window
        );
        println!(
            "  campaign through the worker   {:>9} msgs/s  ({:.1} s; queued by {:.1} s, handed over by {:.1} s)",
            thousands(c.per_sec as i64),
            c.secs,
            c.timeline.expanded_secs,
            c.timeline.handed_secs
        );
        println!(
            "  bare connector                {:>9} msgs/s  ({:.1} s, {}/{} receipts matched)",
            thousands(s.raw.per_sec as i64),
            s.raw.secs,
            s.raw.matched,
            s.raw.sent
        );
        println!("  ratio campaign/bare           {:>9.2}", s.ratio);
        println!(
            "  CPU per message               {:>9.3} ms campaign, {:.3} ms bare",
            c.cpu_secs * 1000.0 / c.messages.max(1) as f64,
            s.raw.cpu_secs * 1000.0 / s.raw.sent.max(1) as f64
        );
        println!(
            "  peak RSS during the campaign  {:>9} MB{}",
            c.peak_rss_mb,
            if c.peak_rss_reset {
                ""
            } else {
                " (since process start: the mark could not be reset)"
            }
        );
        let statuses: Vec<String> = c
            .statuses
            .iter()
            .map(|(k, v)| format!("{k} {}", thousands(*v)))
            .collect();
        println!("  final statuses                {}", statuses.join(", "));
        println!(
            "  simulator: campaign {} accepted, {} duplicates; bare {} accepted, {} duplicates",
            thousands(c.sim.accepted as i64),
            c.sim.duplicates,
            thousands(s.raw_sim.accepted as i64),
            s.raw_sim.duplicates
        );
    }
    println!(
        "\nmsgs/s count a message when its receipt made it final; CPU is this process (the simulator runs apart)."
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn median_takes_the_middle_value() {
        assert_eq!(super::median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(super::median(vec![]), 0.0);
    }
}

//! Parts 2 and 3: a campaign launched and run to `completed` by the worker (`sending::start`, the same code
//! `canvass serve` runs) against the simulator, timed from launch; the peer is the bare connector.

use super::raw::RawRun;
use super::setup::launch;
use super::sim::{SimCounts, SimProcess};
use crate::commands::bench_smpp::cpu::cpu_seconds;
use crate::output::peak_rss_bytes;
use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::CampaignStore;
use canvass_dispatch::worker::DispatchConfig;
use canvass_server::App;
use canvass_server::sending::{self, BuiltRoute};
use canvass_types::Clock;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A campaign run end to end.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CampaignRun {
    pub messages: u64,
    pub secs: f64,
    pub per_sec: f64,
    pub cpu_secs: f64,
    /// Peak RSS of this process over the run (the high-water mark is reset at launch where Linux allows).
    pub peak_rss_mb: u64,
    pub peak_rss_reset: bool,
    pub statuses: BTreeMap<String, i64>,
    pub sim: SimCounts,
    /// Seconds from launch until the last message was queued, handed over (sent or final), and final.
    pub timeline: Timeline,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Timeline {
    pub expanded_secs: f64,
    pub handed_secs: f64,
    pub final_secs: f64,
}

/// Both sides of one sending part.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sending {
    pub campaign: CampaignRun,
    pub raw: RawRun,
    pub raw_sim: SimCounts,
    pub ratio: f64,
}

/// Resets this process's peak-RSS mark (Linux ≥ 4.0: writing 5 to clear_refs), so the run's own peak shows.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Launches the campaign, runs a worker over `routes` until it completes, and stops the worker.
pub async fn campaign(
    app: &App,
    sim: &SimProcess,
    name: &str,
    toml: &str,
    routes: Vec<BuiltRoute>,
    clock: Arc<dyn Clock>,
    expected: u64,
) -> anyhow::Result<CampaignRun> {
    let reset = reset_peak_rss();
    let cpu_before = cpu_seconds(None).unwrap_or(0.0);
    let started = Instant::now();
    let record = launch(app, name, toml, clock.now().as_millisecond()).await?;
    let config = DispatchConfig {
        owner: "bench".into(),
        receipt_timeout: Duration::from_secs(60),
        ..DispatchConfig::default()
    };
    let worker = sending::start(app, config, routes, clock).await?;
    let mut timeline = Timeline::default();
    let mut last_report = Instant::now();
    let mut last_final = (0i64, Instant::now());
    let state = loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let state = app
            .store
            .campaign(record.id)
            .await?
            .map(|c| c.state)
            .unwrap_or(CampaignState::Cancelled);
        if matches!(state, CampaignState::Completed | CampaignState::Cancelled) {
            break state;
        }
        // Progress once a second: where the time goes (expansion, hand-over, receipts).
        if last_report.elapsed() >= Duration::from_secs(1) {
            last_report = Instant::now();
            let counts = app.store.message_counts_by_status(record.id).await?;
            let get = |s: &str| counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
            let total: i64 = counts.iter().map(|(_, n)| n).sum();
            let (queued, sending, sent) = (get("queued"), get("sending"), get("sent"));
            let done = total - queued - sending - sent;
            let t = started.elapsed().as_secs_f64();
            if total as u64 >= expected && timeline.expanded_secs == 0.0 {
                timeline.expanded_secs = t;
            }
            if total as u64 >= expected && queued + sending == 0 && timeline.handed_secs == 0.0 {
                timeline.handed_secs = t;
            }
            eprintln!(
                "  {t:6.1} s  {name}: {total} expanded, {queued} queued, {sending} sending, {sent} sent, {done} final"
            );
            if done != last_final.0 {
                last_final = (done, Instant::now());
            } else if last_final.1.elapsed() > Duration::from_secs(90) {
                worker.stop().await;
                anyhow::bail!("{name}: no message reached a final state in 90 s; stopping");
            }
        }
    };
    let secs = started.elapsed().as_secs_f64();
    timeline.final_secs = secs;
    if timeline.handed_secs == 0.0 {
        // Never seen with nothing queued or sending at a once-a-second sample: hand-over ended with the run.
        timeline.handed_secs = secs;
    }
    let cpu_secs = cpu_seconds(None).unwrap_or(0.0) - cpu_before;
    let peak_rss_mb = peak_rss_bytes().unwrap_or(0) / (1 << 20);
    worker.stop().await;
    anyhow::ensure!(state == CampaignState::Completed, "{name} ended {state}");
    let statuses: BTreeMap<String, i64> = app
        .store
        .message_counts_by_status(record.id)
        .await?
        .into_iter()
        .collect();
    let messages = statuses.values().sum::<i64>() as u64;
    Ok(CampaignRun {
        messages,
        secs,
        per_sec: messages as f64 / secs.max(1e-9),
        cpu_secs,
        peak_rss_mb,
        peak_rss_reset: reset,
        statuses,
        sim: sim.counts().await?,
        timeline,
    })
}

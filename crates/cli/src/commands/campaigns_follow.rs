//! Following a campaign: a worker in this process, with progress bars, until the campaign completes.

use crate::output::thousands;
use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::CampaignStore;
use canvass_dispatch::worker::DispatchConfig;
use canvass_server::App;
use canvass_server::sending::{self, BuiltRoute};
use canvass_store::Store;
use canvass_types::{CampaignId, Clock};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs a worker (stored routes plus `extra`) until campaign `id` completes or is cancelled; shows progress.
pub async fn follow(
    app: &App,
    id: CampaignId,
    name: &str,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    follow_with(
        app,
        id,
        name,
        DispatchConfig::default(),
        Vec::new(),
        clock,
        None,
    )
    .await
}

/// [`follow`] with a dispatch configuration and routes of the caller's (the demo's simulator), and a task that
/// must finish while the worker still runs.
pub async fn follow_with(
    app: &App,
    id: CampaignId,
    name: &str,
    config: DispatchConfig,
    extra: Vec<BuiltRoute>,
    clock: Arc<dyn Clock>,
    alongside: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
) -> anyhow::Result<()> {
    let worker = sending::start(app, config, extra, clock.clone()).await?;
    let started = Instant::now();
    let bars = MultiProgress::new();
    let style = ProgressStyle::with_template("  {prefix:<11} [{bar:40}] {pos:>9}/{len:<9} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let handed = bars.add(
        ProgressBar::new(0)
            .with_style(style.clone())
            .with_prefix("handed over"),
    );
    let finished = bars.add(ProgressBar::new(0).with_style(style).with_prefix("final"));
    let result = loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let counts = progress(&app.store, id).await?;
        let rate = counts.handed as f64 / started.elapsed().as_secs_f64().max(0.001);
        handed.set_length(counts.total.max(1) as u64);
        handed.set_position(counts.handed as u64);
        handed.set_message(format!("{}/s", thousands(rate as i64)));
        finished.set_length(counts.total.max(1) as u64);
        finished.set_position(counts.terminal as u64);
        finished.set_message(format!(
            "{} delivered, {} suppressed, {} failed/undelivered/expired",
            thousands(counts.delivered),
            thousands(counts.suppressed),
            thousands(counts.other_final)
        ));
        match app.store.campaign(id).await? {
            Some(c) if matches!(c.state, CampaignState::Completed | CampaignState::Cancelled) => {
                break Ok(Ended::State(c.state));
            }
            Some(c) => {
                // Everything sendable is done and the rest waits for its recipients' lawful hours: stop watching
                // (a running `canvass serve` sends them then).
                let expanded = c
                    .frozen_through
                    .is_some_and(|bound| c.expanded_through >= bound);
                let now = clock.now().as_millisecond();
                if expanded
                    && counts.in_flight == 0
                    && counts.queued > 0
                    && app.store.queued_due_by(id, now + 60_000).await? == 0
                {
                    break Ok(Ended::Waiting(counts.queued));
                }
            }
            None => break Err(anyhow::anyhow!("campaign {name} disappeared")),
        }
    };
    handed.finish();
    finished.finish();
    // Work that needs the worker running (the demo's STOP replies) finishes before it stops.
    if let Some(task) = alongside {
        task.await??;
    }
    worker.stop().await;
    match result? {
        Ended::State(state) => println!(
            "Campaign {name} {state} in {:.1} s.",
            started.elapsed().as_secs_f64()
        ),
        Ended::Waiting(n) => println!(
            "Campaign {name}: everything sendable now was sent in {:.1} s; {} message(s) wait for their recipients' \
             lawful hours (a running `canvass serve` sends them then).",
            started.elapsed().as_secs_f64(),
            thousands(n)
        ),
    }
    Ok(())
}

/// Why following stopped.
enum Ended {
    /// The campaign completed or was cancelled.
    State(CampaignState),
    /// Only messages waiting for quiet hours to end are left (this many).
    Waiting(i64),
}

/// Counts for the bars.
#[derive(Debug, Default)]
pub struct Progress {
    pub total: i64,
    pub queued: i64,
    pub in_flight: i64,
    pub handed: i64,
    pub terminal: i64,
    pub delivered: i64,
    pub suppressed: i64,
    pub other_final: i64,
}

pub async fn progress(store: &Store, id: CampaignId) -> anyhow::Result<Progress> {
    let mut p = Progress::default();
    for (status, n) in store.message_counts_by_status(id).await? {
        p.total += n;
        match status.as_str() {
            "queued" => p.queued += n,
            "sending" => p.in_flight += n,
            "sent" => {
                p.handed += n;
                p.in_flight += n;
            }
            "delivered" => {
                p.handed += n;
                p.terminal += n;
                p.delivered += n;
            }
            "suppressed" => {
                p.terminal += n;
                p.suppressed += n;
            }
            _ => {
                p.handed += n;
                p.terminal += n;
                p.other_final += n;
            }
        }
    }
    Ok(p)
}

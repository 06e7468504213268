//! The demo's campaign: issue-specific creative, a campaign over the whole audience with a variant per issue,
//! sent through the built-in simulator (RCS first, MMS for handsets without RCS, SMS with a link last), a few
//! STOP replies honoured mid-run, and a summary by variant, state and status.

pub mod creative;
mod routes;
mod summary;

use super::campaigns::{compile, resolve_media, summarise};
use super::campaigns_follow::follow_with;
use anyhow::{Context, anyhow};
use canvass_campaigns::definition::CampaignDefinition;
use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::CampaignStore;
use canvass_dispatch::worker::DispatchConfig;
use canvass_server::App;
use canvass_simulator::Simulator;
use canvass_types::{Clock, OffsetClock, TenantId};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How many recipients reply STOP during the run.
const STOPS: usize = 5;

/// Creates, launches and follows the demo campaign; prints its summary.
pub async fn run(app: &App, tenant: TenantId, dir: &Path, sim: &Simulator) -> anyhow::Result<()> {
    let creative_dir = dir.join("creative");
    println!(
        "\n5. Making issue-specific creative (SVG flyers personalised per recipient; ffmpeg test-source videos)…"
    );
    creative::write(&creative_dir)?;
    let file = creative_dir.join("campaign.toml");
    std::fs::write(&file, creative::campaign_toml())?;
    let mut definition = CampaignDefinition::from_path(&file)?;
    resolve_media(&mut definition, &creative_dir)?;
    let compiled = compile(&app.store, tenant, &definition)
        .await?
        .map_err(|p| anyhow!("the demo campaign does not compile: {}", p.join("; ")))?;
    let existing = app.store.campaigns(tenant).await?.len();
    let name = format!("demo-{}", existing + 1);
    let now = jiff::Timestamp::now().as_millisecond();
    let record = app
        .store
        .create_campaign(tenant, &name, &definition.to_json(), now)
        .await?;
    let summary = summarise(app, tenant, &compiled).await?;
    println!("\n6. Campaign {name} ({}):", file.display());
    summary::print_preflight(&summary);

    // Quiet hours are real: the demo runs on a clock set to the coming weekday at 13:30 in Washington, when it
    // is 8:30 in Honolulu and every state's window is open, so the whole story plays now.
    let clock: Arc<dyn Clock> = Arc::new(OffsetClock::to(demo_instant()?));
    println!(
        "\n7. Launching through the built-in simulator (demo clock: {} in New York)…",
        clock
            .now()
            .to_zoned_datetime(jiff::tz::TimeZone::get("America/New_York")?)
            .strftime("%A %H:%M")
    );
    app.store
        .transition(
            record.id,
            CampaignState::Draft,
            CampaignState::Running,
            Some("launched by the demo"),
            clock.now().as_millisecond(),
        )
        .await?;
    let extra = routes::build(sim).await?;
    let slowest_stop = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let stops = stop_senders(app.clone(), tenant, sim, &compiled, slowest_stop.clone()).await?;
    let config = DispatchConfig {
        owner: "demo".into(),
        receipt_timeout: Duration::from_secs(30),
        ..DispatchConfig::default()
    };
    follow_with(app, record.id, &name, config, extra, clock, Some(stops)).await?;
    summary::print_results(
        app,
        record.id,
        sim,
        slowest_stop.load(std::sync::atomic::Ordering::Relaxed),
    )
    .await
}

/// The coming weekday (today if it is one) at 13:30 in New York, as an instant.
fn demo_instant() -> anyhow::Result<jiff::Timestamp> {
    let tz = jiff::tz::TimeZone::get("America/New_York")?;
    let mut date = jiff::Timestamp::now().to_zoned_datetime(tz.clone()).date();
    while matches!(
        date.weekday(),
        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
    ) {
        date = date.tomorrow()?;
    }
    Ok(date.at(13, 30, 0, 0).to_zoned_datetime(tz)?.timestamp())
}

/// A few recipients reply STOP as the campaign starts, through the simulator's SMSC like real handsets; the task
/// ends once all five are in the inbox (the worker's events loop records them).
async fn stop_senders(
    app: App,
    tenant: TenantId,
    sim: &Simulator,
    compiled: &canvass_campaigns::definition::Compiled,
    slowest: Arc<std::sync::atomic::AtomicU64>,
) -> anyhow::Result<tokio::task::JoinHandle<anyhow::Result<()>>> {
    let smsc = sim.smsc.clone().context("the simulator runs no SMSC")?;
    // Recipients from the end of the audience: the campaign reaches them last.
    let senders = app.store.last_contacts(tenant, STOPS).await?;
    let to = compiled.senders.first().cloned().unwrap_or_default();
    Ok(tokio::spawn(async move {
        let started = Instant::now();
        for (i, from) in senders.iter().enumerate() {
            let text = ["STOP", "stop", "Stop.", "UNSUBSCRIBE", "opt out"][i % 5];
            // The worker's SMPP bind may still be coming up: the SMSC has nobody to hand an MO to until then.
            loop {
                match smsc.send_mo(from, &to, text) {
                    Ok(()) => break,
                    Err(e) if started.elapsed() < Duration::from_secs(10) => {
                        tracing::debug!(error = %e, "waiting for the worker's bind");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    Err(e) => return Err(anyhow!("STOP from {from}: {e}")),
                }
            }
            // From the handset's STOP to the opt-out in the store, where every later claim sees it.
            let sent = Instant::now();
            loop {
                let ledger = app.store.consent_ledger(tenant, Some(from)).await?;
                if ledger.last().is_some_and(|row| !row.opt_in) {
                    break;
                }
                if sent.elapsed() > Duration::from_secs(20) {
                    return Err(anyhow!("the STOP from {from} was not recorded"));
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            let ms = sent.elapsed().as_millis() as u64;
            slowest.fetch_max(ms, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }))
}

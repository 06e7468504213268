//! The campaign driver: expands running campaigns into the queue (resuming from their cursor after a restart)
//! and marks a campaign completed once every message has reached a terminal state.

use super::plans::compile_stored;
use canvass_campaigns::expansion::{CHUNK, expand};
use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::{CampaignRecord, CampaignStore};
use canvass_store::Store;
use canvass_types::{CampaignId, Clock};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// How often running campaigns are looked at.
const TICK: Duration = Duration::from_millis(250);
/// Consent records are kept four years (TCPA's statute of limitations), then purged; checked hourly.
const CONSENT_RETENTION_MS: i64 = 4 * 36_525 * 86_400_000 / 100;
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Runs until `shutdown`.
pub async fn run(store: Store, clock: Arc<dyn Clock>, mut shutdown: watch::Receiver<bool>) {
    // Expansions in progress, each with the flag that stops it.
    let mut expanding: HashMap<CampaignId, (Arc<AtomicBool>, tokio::task::JoinHandle<()>)> =
        HashMap::new();
    let mut last_purge: Option<tokio::time::Instant> = None;
    loop {
        if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
            last_purge = Some(tokio::time::Instant::now());
            let before = clock.now().as_millisecond() - CONSENT_RETENTION_MS;
            match store.purge_consent_before(before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(purged = n, "consent records past their four years purged"),
                Err(e) => tracing::warn!(error = %e, "purging old consent records failed"),
            }
        }
        let running = match store.running_campaigns().await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "listing running campaigns failed");
                Vec::new()
            }
        };
        // Stop expansions of campaigns no longer running (paused, cancelled).
        expanding.retain(|id, (go, task)| {
            let still = running.iter().any(|c| c.id == *id);
            if !still {
                go.store(false, Ordering::Relaxed);
            }
            still || !task.is_finished()
        });
        for campaign in running {
            let expanded = campaign
                .frozen_through
                .is_some_and(|bound| campaign.expanded_through >= bound);
            if !expanded {
                let busy = expanding
                    .get(&campaign.id)
                    .is_some_and(|(_, t)| !t.is_finished());
                if !busy {
                    let go = Arc::new(AtomicBool::new(true));
                    let task = tokio::spawn(expand_campaign(
                        store.clone(),
                        clock.clone(),
                        campaign.clone(),
                        go.clone(),
                    ));
                    expanding.insert(campaign.id, (go, task));
                }
                continue;
            }
            complete_if_done(&store, &campaign, clock.now().as_millisecond()).await;
        }
        tokio::select! {
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.changed() => break,
        }
    }
    for (go, task) in expanding.into_values() {
        go.store(false, Ordering::Relaxed);
        let _ = task.await;
    }
}

/// When the campaign was (first) launched: the anchor of its due time and expiry, the same after any restart.
async fn launched_at(store: &Store, campaign: &CampaignRecord) -> i64 {
    match store.campaign_events(campaign.id).await {
        Ok(events) => events
            .iter()
            .find(|e| e.to == CampaignState::Running)
            .map_or(campaign.updated_at, |e| e.at),
        Err(_) => campaign.updated_at,
    }
}

async fn expand_campaign(
    store: Store,
    clock: Arc<dyn Clock>,
    campaign: CampaignRecord,
    go: Arc<AtomicBool>,
) {
    let compiled = match compile_stored(&store, campaign.tenant, &campaign.definition).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(campaign = campaign.id.0, error = %e, "a running campaign no longer compiles; pausing it");
            let now = clock.now().as_millisecond();
            let _ = store
                .transition(
                    campaign.id,
                    CampaignState::Running,
                    CampaignState::Paused,
                    Some(&e.to_string()),
                    now,
                )
                .await;
            return;
        }
    };
    let launched = launched_at(&store, &campaign).await;
    let mut plan = compiled.expansion_plan(campaign.id, campaign.tenant, launched);
    plan.now = clock.now().as_millisecond();
    let result = expand(
        &store,
        &plan,
        CHUNK,
        || go.load(Ordering::Relaxed),
        |chunk| {
            tracing::debug!(
                campaign = campaign.id.0,
                through = chunk.through,
                queued = chunk.queued,
                "expanded a chunk"
            )
        },
    )
    .await;
    match result {
        Ok(totals) => tracing::info!(
            campaign = campaign.id.0,
            queued = totals.queued,
            suppressed = totals.suppressed,
            "expansion ran"
        ),
        Err(e) => {
            tracing::warn!(campaign = campaign.id.0, error = %e, "expansion stopped; it resumes from its cursor")
        }
    }
}

async fn complete_if_done(store: &Store, campaign: &CampaignRecord, now: i64) {
    let live = match store.campaign_has_live(campaign.id).await {
        Ok(live) => live,
        Err(e) => {
            tracing::warn!(campaign = campaign.id.0, error = %e, "checking for live messages failed");
            return;
        }
    };
    if !live {
        match store
            .transition(
                campaign.id,
                CampaignState::Running,
                CampaignState::Completed,
                Some("every message reached a final state"),
                now,
            )
            .await
        {
            Ok(true) => tracing::info!(campaign = campaign.id.0, "campaign completed"),
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(campaign = campaign.id.0, error = %e, "completing the campaign failed")
            }
        }
    }
}

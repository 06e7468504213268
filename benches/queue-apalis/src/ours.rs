//! Our side: the canvass-store table queue, driven the way `canvass_dispatch::worker` drives it.
//!
//! Enqueue is campaign expansion (`create_campaign`, `transition` Draft→Running, `expand_chunk` in chunks of
//! `expansion::CHUNK` contacts), the path every campaign message takes. The contacts it expands are inserted first
//! with one plain `INSERT … SELECT`, untimed. Drain claims up to 512 messages under a lease, hands each to its own
//! task (no work), and settles them `Sent` through the dispatcher's own settler (batches of up to 1024, one
//! transaction each), with the worker's in-flight bound of 2048.

use crate::Rates;
use anyhow::{Context, Result, bail, ensure};
use canvass_campaigns::expansion::{CHUNK, expand};
use canvass_campaigns::ports::{CampaignState, CampaignStore, ExpansionPlan};
use canvass_dispatch::ports::{Queue, Settlement};
use canvass_store::Store;
use canvass_types::{Channel, TenantId};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{Semaphore, mpsc};

const CLAIM_BATCH: usize = 512;
const IN_FLIGHT: usize = 2048;
const LEASE_MS: i64 = 60_000;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn pool(store: &Store) -> Result<&sqlx::SqlitePool> {
    match store {
        Store::Sqlite(p) => Ok(p),
        Store::Postgres(_) => bail!("this bench runs on SQLite"),
    }
}

/// `jobs` contacts of tenant 1 with distinct valid-looking numbers, in one statement.
async fn seed_contacts(store: &Store, jobs: usize) -> Result<()> {
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {jobs}) \
         INSERT INTO contacts (tenant_id, phone) SELECT 1, printf('+1215%07d', i) FROM n"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(pool(store)?)
        .await?;
    Ok(())
}

async fn count(store: &Store, status: &str) -> Result<i64> {
    let n: (i64,) = sqlx::query_as("SELECT count(*) FROM messages WHERE status = ?")
        .bind(status)
        .fetch_one(pool(store)?)
        .await?;
    Ok(n.0)
}

pub async fn run(path: &Path, jobs: usize) -> Result<Rates> {
    let store = Store::open(&path.display().to_string()).await?;
    store.migrate().await?;
    seed_contacts(&store, jobs).await?;
    let tenant = TenantId(1);

    // Enqueue: the campaign launch path.
    let start = Instant::now();
    let at = now_ms();
    let campaign = store
        .create_campaign(tenant, "bench", "{}", at)
        .await
        .context("create campaign")?;
    let moved = store
        .transition(
            campaign.id,
            CampaignState::Draft,
            CampaignState::Running,
            None,
            at,
        )
        .await
        .context("launch")?;
    ensure!(moved, "campaign did not start");
    let plan = ExpansionPlan {
        campaign: campaign.id,
        tenant,
        segment: None,
        rules: Vec::new(),
        default_variant: "a".into(),
        due_at: at,
        expires_at: None,
        frequency_cap: None,
        now: at,
    };
    let totals = expand(&store, &plan, CHUNK, || true, |_| {}).await?;
    let enqueue_s = start.elapsed().as_secs_f64();
    ensure!(
        totals.queued == jobs as u64,
        "expansion queued {} of {jobs}",
        totals.queued
    );

    // Drain.
    let start = Instant::now();
    let store = Arc::new(store);
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    let settler = tokio::spawn(canvass_dispatch::settler::run(store.clone(), rx, now_ms));
    let permits = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut claimed_total = 0usize;
    let mut idle = 0u32;
    while claimed_total < jobs {
        let first = permits.clone().acquire_owned().await?;
        let mut held = vec![first];
        while held.len() < CLAIM_BATCH {
            match permits.clone().try_acquire_owned() {
                Ok(p) => held.push(p),
                Err(_) => break,
            }
        }
        let now = now_ms();
        let claimed = store.claim("bench", held.len(), now, LEASE_MS).await?;
        if claimed.is_empty() {
            idle += 1;
            ensure!(
                idle < 5_000,
                "queue ran dry after {claimed_total} of {jobs}"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
            continue;
        }
        claimed_total += claimed.len();
        held.truncate(claimed.len());
        for (message, permit) in claimed.into_iter().zip(held) {
            let tx = tx.clone();
            tokio::spawn(async move {
                let settlement = Settlement::Sent {
                    id: message.id,
                    channel: Channel::Sms,
                    route: "bench".into(),
                    sender: "+12155550000".into(),
                    carrier_id: Some(format!("c{}", message.id.0)),
                    segments: 1,
                    receipt_deadline: now + 3_600_000,
                };
                let _ = tx.send((settlement, permit)).await;
            });
        }
    }
    drop(tx);
    settler.await?;
    let drain_s = start.elapsed().as_secs_f64();
    let sent = count(&store, "sent").await?;
    ensure!(sent == jobs as i64, "{sent} of {jobs} messages ended sent");
    store.close().await;
    Ok(Rates {
        enqueue: jobs as f64 / enqueue_s,
        drain: jobs as f64 / drain_s,
    })
}

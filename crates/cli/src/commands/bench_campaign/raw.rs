//! The routes the worker and the peer share, and the peer itself: the bare connector driven with a fixed
//! number of submits in flight, no store, no rendering, a message done when its DELIVRD receipt is matched.

use super::sim::SimProcess;
use crate::commands::bench_smpp::cpu::cpu_seconds;
use anyhow::Context;
use canvass_connectors::{
    ConnectorEvent, DeliveryState, OutboundMessage, SubmitOutcome,
    backoff::Backoff,
    mm7::{self, Mm7Config},
    smpp::{self, SmppConfig},
};
use canvass_server::sending::BuiltRoute;
use futures::StreamExt;
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The SMS route: `binds` SMPP binds with `window` submits in flight each.
pub async fn sms_route(
    sim: &SimProcess,
    binds: usize,
    window: usize,
) -> anyhow::Result<BuiltRoute> {
    let mut config = SmppConfig::new("bench-sms", sim.smpp.to_string(), "bench", "bench");
    config.binds = binds;
    config.window = window;
    config.reconnect = Backoff::new(Duration::from_millis(20), Duration::from_millis(500));
    let built = smpp::build(config).await.context("SMS route")?;
    built
        .healthcheck
        .check()
        .await
        .context("SMS route health")?;
    Ok(BuiltRoute {
        connector: built.connector,
        events: built.events,
        receiver: None,
        underlying: Vec::new(),
    })
}

/// The MMS route, with its receiver on a free port and the simulator's reports pointed at it.
pub async fn mms_route(sim: &SimProcess) -> anyhow::Result<BuiltRoute> {
    let mut config = Mm7Config::new("bench-mms", sim.mm7_url());
    config.vasp_id = Some("canvass-bench".into());
    config.receiver_bind = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    let parts = mm7::build_parts(config).await.context("MMS route")?;
    let url = parts
        .receiver_url(mm7::RECEIVER_PATH)
        .context("the MMS route serves its receiver")?;
    sim.set_mm7_reports(&url).await?;
    Ok(BuiltRoute {
        connector: parts.built.connector,
        events: parts.built.events,
        receiver: parts.receiver_addr,
        underlying: Vec::new(),
    })
}

/// One run of the bare connector.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct RawRun {
    pub sent: u64,
    pub matched: u64,
    pub secs: f64,
    pub per_sec: f64,
    pub cpu_secs: f64,
}

/// Submits `count` messages made by `make` through `route`, `concurrency` at a time, and waits for their
/// receipts (30 s of silence ends the wait).
pub async fn run(
    route: BuiltRoute,
    count: usize,
    concurrency: usize,
    make: impl Fn(usize) -> OutboundMessage + Send + Sync + 'static,
) -> anyhow::Result<RawRun> {
    let BuiltRoute {
        connector,
        mut events,
        ..
    } = route;
    let (cpu_before, started) = (cpu_seconds(None).unwrap_or(0.0), Instant::now());
    let collector = tokio::spawn(async move {
        let mut delivered = HashSet::with_capacity(count);
        while delivered.len() < count {
            match tokio::time::timeout(Duration::from_secs(30), events.next()).await {
                Ok(Some(ConnectorEvent::Receipt(r))) if r.state == DeliveryState::Delivered => {
                    delivered.insert(r.carrier_id);
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        delivered
    });
    let (next, make) = (Arc::new(AtomicUsize::new(0)), Arc::new(make));
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency.max(1) {
        let (next, make, connector) = (next.clone(), make.clone(), connector.clone());
        workers.push(tokio::spawn(async move {
            let mut accepted = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    return Ok::<_, anyhow::Error>(accepted);
                }
                match connector.submit(&make(n)).await {
                    SubmitOutcome::Accepted { carrier_ids } => accepted.extend(carrier_ids),
                    other => anyhow::bail!("a bare submit was not accepted: {other:?}"),
                }
            }
        }));
    }
    let mut accepted = HashSet::with_capacity(count);
    for worker in workers {
        accepted.extend(worker.await??);
    }
    let delivered = collector.await?;
    let secs = started.elapsed().as_secs_f64();
    let cpu_secs = cpu_seconds(None).unwrap_or(0.0) - cpu_before;
    connector.shutdown().await;
    let matched = delivered.intersection(&accepted).count() as u64;
    Ok(RawRun {
        sent: count as u64,
        matched,
        secs,
        per_sec: matched as f64 / secs.max(1e-9),
        cpu_secs,
    })
}

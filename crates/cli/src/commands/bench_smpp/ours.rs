//! Our SMPP connector under load: submit through the window, and count a message done when its delivery
//! receipt has been matched to the id the SMSC returned.

use std::{
    collections::HashSet,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use canvass_connectors::{
    ConnectorEvent, DeliveryState, OutboundMessage, SubmitOutcome,
    smpp::{SmppConfig, build},
};
use canvass_types::Personality;
use futures::StreamExt;
use tokio::sync::Semaphore;

use super::RunResult;
use super::cpu::cpu_seconds;

pub async fn run(
    smsc: SocketAddr,
    binds: usize,
    window: usize,
    count: usize,
    tag: &str,
) -> anyhow::Result<RunResult> {
    let mut config = SmppConfig::new(format!("bench-{tag}"), smsc.to_string(), "bench", "bench");
    config.binds = binds;
    config.window = window;
    config.outstanding_ids = count.max(1024) * 2;
    let built = build(config)
        .await
        .context("binding our connector to the simulator")?;
    built.healthcheck.check().await.context("health check")?;
    let connector = built.connector;
    let mut events = built.events;

    let (cpu_before, started) = (cpu_seconds(None).unwrap_or(0.0), Instant::now());
    // Enough submits in flight to keep every bind's window full; the connector enforces the window itself.
    let gate = Arc::new(Semaphore::new(binds * window * 2));
    let collector = tokio::spawn(async move {
        let mut delivered = HashSet::new();
        while delivered.len() < count {
            match tokio::time::timeout(Duration::from_secs(30), events.next()).await {
                Ok(Some(ConnectorEvent::Receipt(r))) if r.state == DeliveryState::Delivered => {
                    delivered.insert(r.carrier_id);
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        (delivered, events)
    });
    let mut submits = Vec::with_capacity(count);
    for n in 0..count {
        let permit = gate.clone().acquire_owned().await?;
        let connector = connector.clone();
        let message = OutboundMessage::text(
            format!("{tag}-{n}"),
            "+12025550200",
            Personality::Happy.number(n as u32),
            format!("bench {tag} {n}"),
        );
        submits.push(tokio::spawn(async move {
            let outcome = connector.submit(&message).await;
            drop(permit);
            outcome
        }));
    }
    let mut accepted = HashSet::with_capacity(count);
    for submit in submits {
        match submit.await? {
            SubmitOutcome::Accepted { carrier_ids } => accepted.extend(carrier_ids),
            other => bail!("a benchmark submit was not accepted: {other:?}"),
        }
    }
    let (delivered, _events) = collector.await?;
    let elapsed = started.elapsed();
    let cpu = cpu_seconds(None).unwrap_or(0.0) - cpu_before;
    connector.shutdown().await;
    let matched = delivered.intersection(&accepted).count();
    Ok(RunResult {
        sent: count,
        matched,
        elapsed,
        cpu_seconds: cpu,
        driver_cpu_seconds: 0.0,
    })
}

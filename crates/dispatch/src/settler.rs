//! Writes outcomes back in batches: one transaction per batch keeps the store's write rate far above the send
//! rate. A failed write is retried until it lands; until then the messages stay `sending` under their lease, so a
//! crash in between costs a resend, never a loss.
//!
//! Each settlement carries its message's in-flight permit, released only once the batch is written: "in flight"
//! then means "claimed and not yet recorded", which is exactly what a crash can resend.

use crate::ports::{Queue, Settlement};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, mpsc};

/// Largest batch written in one transaction.
pub const MAX_BATCH: usize = 1024;
/// How long a settlement may wait for others to share its transaction.
pub const LINGER: Duration = Duration::from_millis(20);

/// Runs until every sender is dropped and the channel is drained. `now_ms` stamps each write.
pub async fn run<Q: Queue>(
    queue: Arc<Q>,
    mut rx: mpsc::Receiver<(Settlement, OwnedSemaphorePermit)>,
    now_ms: impl Fn() -> i64 + Send,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut permits = Vec::with_capacity(MAX_BATCH);
    loop {
        let Some((first, permit)) = rx.recv().await else {
            return;
        };
        batch.push(first);
        permits.push(permit);
        let deadline = tokio::time::Instant::now() + LINGER;
        while batch.len() < MAX_BATCH {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some((s, p))) => {
                    batch.push(s);
                    permits.push(p);
                }
                Ok(None) | Err(_) => break,
            }
        }
        write(&*queue, &batch, &now_ms).await;
        batch.clear();
        permits.clear();
    }
}

async fn write<Q: Queue>(queue: &Q, batch: &[Settlement], now_ms: &impl Fn() -> i64) {
    let mut delay = Duration::from_millis(50);
    loop {
        match queue.settle(batch, now_ms()).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(error = %e, n = batch.len(), "settling a batch failed; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
}

//! Expansion: a launched campaign's segment becomes queued messages, one keyset chunk at a time. Each chunk lands
//! in one transaction with the cursor, so a crash resumes exactly where the last chunk ended; memory holds one
//! chunk's bounds, never the audience.

use crate::ports::{CampaignStore, ExpandedChunk, ExpansionPlan, StoreFailure};

/// Contacts per chunk: large enough that per-transaction costs vanish, small enough that a crash repeats little
/// and other writers (the dispatcher's settlements) interleave.
pub const CHUNK: usize = 20_000;

/// Totals over a whole expansion run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExpansionTotals {
    /// Messages queued.
    pub queued: u64,
    /// Messages suppressed at expansion (opted out, frequency cap).
    pub suppressed: u64,
    /// Chunks written.
    pub chunks: u64,
}

/// Expands until the cursor reaches the frozen bound, or until `keep_going` says stop (pause, cancel, shutdown).
/// `progress` sees every chunk.
pub async fn expand<S: CampaignStore>(
    store: &S,
    plan: &ExpansionPlan,
    chunk: usize,
    mut keep_going: impl FnMut() -> bool,
    mut progress: impl FnMut(&ExpandedChunk),
) -> Result<ExpansionTotals, StoreFailure> {
    let mut totals = ExpansionTotals::default();
    loop {
        if !keep_going() {
            return Ok(totals);
        }
        let step = store.expand_chunk(plan, chunk.max(1)).await?;
        totals.queued += step.queued;
        totals.suppressed += step.suppressed;
        totals.chunks += 1;
        progress(&step);
        if step.done {
            return Ok(totals);
        }
        // SQLite has one writer: a short pause between chunks lets the dispatcher's claims and settlements in, so
        // sending starts while a large audience is still expanding.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

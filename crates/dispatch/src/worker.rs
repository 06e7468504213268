//! The dispatch loop: claim due messages in batches, process each (compliance, content, route, pace, submit),
//! and write the outcomes back in batches. Receipts and inbound messages run beside it ([`crate::events`]).
//!
//! In flight at any moment: at most `in_flight` messages, each claimed under a lease. A crash loses only leases,
//! so the messages are claimed again when their leases lapse: duplicates are bounded by `in_flight`.

use crate::hours::Hours;
use crate::optouts::RecentOptOuts;
use crate::plan::Plans;
use crate::ports::{Claimed, Queue, Settlement};
use crate::rate::RateLimits;
use crate::retry::RetryPolicy;
use crate::routes::Routes;
use canvass_types::Clock;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};

/// How a worker behaves.
#[derive(Debug, Clone)]
pub struct DispatchConfig {
    /// This worker's name in leases (node and process).
    pub owner: String,
    /// Messages claimed per batch.
    pub claim_batch: usize,
    /// Messages claimed and not yet recorded at once: the bound on duplicates after a crash.
    pub in_flight: usize,
    /// How long a claim holds a message before another worker may take it.
    pub lease: Duration,
    /// How long to wait before claiming again when nothing was due.
    pub idle_poll: Duration,
    /// How long a sent message waits for its receipt before it is `expired` (`no_receipt`).
    pub receipt_timeout: Duration,
    /// Backoff for temporary failures and throttling.
    pub retry: RetryPolicy,
    /// Replies to compliance keywords.
    pub replies: KeywordReplies,
}

/// The texts sent back to STOP, START and HELP.
#[derive(Debug, Clone)]
pub struct KeywordReplies {
    /// The one confirmation of an opt-out.
    pub stop: String,
    /// The confirmation of an opt-in.
    pub start: String,
    /// The help text.
    pub help: String,
}

impl Default for KeywordReplies {
    fn default() -> Self {
        KeywordReplies {
            stop: "You are unsubscribed and will receive no more messages. Reply START to resubscribe.".into(),
            start: "You are subscribed again. Reply STOP to unsubscribe, HELP for help.".into(),
            help: "Campaign messages. Msg & data rates may apply. Reply STOP to unsubscribe.".into(),
        }
    }
}

impl Default for DispatchConfig {
    fn default() -> Self {
        DispatchConfig {
            owner: format!("worker-{}", std::process::id()),
            claim_batch: 512,
            in_flight: 2048,
            lease: Duration::from_secs(60),
            idle_poll: Duration::from_millis(50),
            receipt_timeout: Duration::from_secs(3600),
            retry: RetryPolicy::default(),
            replies: KeywordReplies::default(),
        }
    }
}

/// What a worker shares with its message tasks and the event loop.
pub struct Dispatcher<Q: Queue> {
    pub(crate) queue: Arc<Q>,
    pub(crate) plans: Arc<dyn Plans>,
    pub(crate) routes: Arc<Routes>,
    pub(crate) limits: Arc<RateLimits>,
    pub(crate) optouts: Arc<RecentOptOuts>,
    pub(crate) hours: Hours,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) config: DispatchConfig,
}

impl<Q: Queue> Dispatcher<Q> {
    /// A dispatcher over `queue`, sending through `routes`.
    pub fn new(
        queue: Arc<Q>,
        plans: Arc<dyn Plans>,
        routes: Arc<Routes>,
        limits: Arc<RateLimits>,
        clock: Arc<dyn Clock>,
        config: DispatchConfig,
    ) -> Arc<Self> {
        Arc::new(Dispatcher {
            queue,
            plans,
            routes,
            limits,
            optouts: Arc::new(RecentOptOuts::new()),
            hours: Hours::new(),
            clock,
            config,
        })
    }

    /// Opt-outs seen by this process (the event loop adds to it; sends check it).
    pub fn recent_opt_outs(&self) -> &Arc<RecentOptOuts> {
        &self.optouts
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now().as_millisecond()
    }

    /// Claims and sends until `shutdown` turns true; then waits for the messages in flight and their writes.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let (settle_tx, settle_rx) =
            mpsc::channel::<(Settlement, OwnedSemaphorePermit)>(self.config.in_flight.max(1));
        let clock = self.clock.clone();
        let settler = tokio::spawn(crate::settler::run(
            self.queue.clone(),
            settle_rx,
            move || clock.now().as_millisecond(),
        ));
        let permits = Arc::new(Semaphore::new(self.config.in_flight.max(1)));
        let mut last_sweep = tokio::time::Instant::now();
        while !*shutdown.borrow() {
            // Claim only what can be in flight now, so leases are not spent waiting in memory.
            let first = tokio::select! {
                p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
                _ = shutdown.changed() => break,
            };
            let mut held = vec![first];
            while held.len() < self.config.claim_batch {
                match permits.clone().try_acquire_owned() {
                    Ok(p) => held.push(p),
                    Err(_) => break,
                }
            }
            let now = self.now_ms();
            let lease = self.config.lease.as_millis() as i64;
            let claimed = match self
                .queue
                .claim(&self.config.owner, held.len(), now, lease)
                .await
            {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "claim failed");
                    Vec::new()
                }
            };
            if last_sweep.elapsed() >= Duration::from_secs(1) {
                last_sweep = tokio::time::Instant::now();
                if let Err(e) = self.queue.expire_unreceipted(now, 10_000).await {
                    tracing::warn!(error = %e, "expiring unreceipted messages failed");
                }
            }
            if claimed.is_empty() {
                drop(held);
                tokio::select! {
                    _ = tokio::time::sleep(self.config.idle_poll) => {}
                    _ = shutdown.changed() => break,
                }
                continue;
            }
            held.truncate(claimed.len());
            for (message, permit) in claimed.into_iter().zip(held) {
                let this = self.clone();
                let tx = settle_tx.clone();
                tokio::spawn(async move {
                    let settlement = this.process(message).await;
                    // The settler outlives every task and frees the permit once the outcome is written.
                    let _ = tx.send((settlement, permit)).await;
                });
            }
        }
        // Let the messages in flight finish and their outcomes be written.
        drop(settle_tx);
        let _ = permits
            .acquire_many(self.config.in_flight.max(1) as u32)
            .await;
        let _ = settler.await;
    }

    /// Decides one message: suppressed, expired, rescheduled, retried, failed, or sent.
    pub(crate) async fn process(&self, message: Claimed) -> Settlement {
        crate::process::process(self, message).await
    }
}

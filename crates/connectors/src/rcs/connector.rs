//! The RCS connector: validate, check capability, send, and start the revoke timer.

use std::{
    sync::{Arc, Mutex},
    time::Instant,
};

use futures::future::BoxFuture;
use tokio::{sync::Semaphore, task::JoinHandle};

use super::{
    RcsConfig, agent_message,
    api::{RbmApi, not_rcs_capable},
    capability_cache::CapabilityCache,
    revoke::RevokeTimers,
};
use crate::{Capabilities, Channel, Connector, EventSender, OutboundMessage, SubmitOutcome};

pub struct RcsConnector {
    name: String,
    capabilities: Capabilities,
    api: Arc<RbmApi>,
    capable: CapabilityCache,
    events: EventSender,
    timers: Arc<RevokeTimers>,
    window: Arc<Semaphore>,
    window_size: u32,
    receiver: Mutex<Option<JoinHandle<()>>>,
}

impl RcsConnector {
    pub fn new(
        config: &RcsConfig,
        api: Arc<RbmApi>,
        events: EventSender,
        timers: Arc<RevokeTimers>,
        receiver: Option<JoinHandle<()>>,
    ) -> Self {
        let window_size = u32::try_from(config.window.max(1)).unwrap_or(u32::MAX);
        Self {
            name: config.name.clone(),
            capabilities: Capabilities {
                channels: vec![Channel::Rcs],
                max_message_bytes: None,
                max_per_second: config.max_per_second,
                window: config.window.max(1),
            },
            api,
            capable: CapabilityCache::new(
                config.capability_cache_ttl,
                config.capability_cache_size,
            ),
            events,
            timers,
            window: Arc::new(Semaphore::new(window_size as usize)),
            window_size,
            receiver: Mutex::new(receiver),
        }
    }

    async fn send(&self, message: &OutboundMessage) -> SubmitOutcome {
        let body = match agent_message::agent_message(message) {
            Ok(body) => body,
            Err(reason) => {
                return SubmitOutcome::PermanentFailure {
                    code: "invalid_content".into(),
                    reason,
                };
            }
        };
        let Ok(_permit) = self.window.acquire().await else {
            return SubmitOutcome::TemporaryFailure {
                code: "shut_down".into(),
                reason: format!("connector {} is shut down", self.name),
            };
        };
        if let Err(outcome) = self.check_capable(&message.to).await {
            return outcome;
        }
        // Our message id is RBM's messageId: a resend after a lost answer is recognised (409), not sent twice.
        let outcome = self.api.send(&message.to, &message.id, &body).await;
        if outcome.is_accepted()
            && let Some(expiry) = agent_message::expiry(message)
        {
            let ttl = expiry.remaining(jiff::Timestamp::now());
            self.timers.start(
                self.api.clone(),
                self.events.clone(),
                message.to.clone(),
                message.id.clone(),
                ttl,
            );
        }
        outcome
    }
}

impl RcsConnector {
    /// Whether `msisdn` can receive RCS, from the cache or else from RBM; `not_rcs_capable` when it cannot,
    /// so that dispatch falls back to the next channel.
    async fn check_capable(&self, msisdn: &str) -> Result<(), SubmitOutcome> {
        let capable = match self.capable.get(msisdn, Instant::now()) {
            Some(capable) => capable,
            None => {
                let capable = self.api.capable(msisdn).await?;
                self.capable.insert(msisdn, capable, Instant::now());
                capable
            }
        };
        if capable {
            Ok(())
        } else {
            Err(not_rcs_capable(msisdn))
        }
    }
}

impl Connector for RcsConnector {
    fn name(&self) -> &str {
        &self.name
    }

    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    fn submit<'a>(&'a self, message: &'a OutboundMessage) -> BoxFuture<'a, SubmitOutcome> {
        Box::pin(self.send(message))
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            // Taking every permit waits for the sends in flight; closing refuses new ones.
            if let Ok(all) = self.window.acquire_many(self.window_size).await {
                all.forget();
            }
            self.window.close();
            self.timers.stop_all();
            let receiver = self
                .receiver
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take();
            if let Some(receiver) = receiver {
                receiver.abort();
            }
        })
    }
}

//! Revoke on expiry: a timer per message sent with a time to live. If RBM has not reported it delivered when
//! the time runs out, the agent revokes it (DELETE), so that a stale offer never lands late, and reports it
//! deleted. A DELIVERED or READ event stops the timer.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use tokio::task::AbortHandle;

use super::api::RbmApi;
use crate::{ConnectorEvent, DeliveryState, EventSender, Receipt};

/// The running timers, by message id.
#[derive(Debug, Default)]
pub struct RevokeTimers {
    pending: Mutex<HashMap<String, AbortHandle>>,
}

impl RevokeTimers {
    fn pending(&self) -> MutexGuard<'_, HashMap<String, AbortHandle>> {
        // A poisoned lock only means a timer task panicked; the map is still consistent.
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts the timer for a message just accepted.
    pub fn start(
        self: &Arc<Self>,
        api: Arc<RbmApi>,
        events: EventSender,
        msisdn: String,
        message_id: String,
        ttl: Duration,
    ) {
        let timers = self.clone();
        let id = message_id.clone();
        // Held until the entry is in, so that even a zero ttl finds its own entry.
        let mut pending = self.pending();
        let task = tokio::spawn(async move {
            tokio::time::sleep(ttl).await;
            // Whoever removes the entry first wins: the delivery event or this timer.
            if timers.pending().remove(&id).is_none() {
                return;
            }
            if api.revoke(&msisdn, &id).await {
                let receipt = Receipt {
                    carrier_id: id,
                    state: DeliveryState::Deleted,
                    error_code: None,
                    to: Some(msisdn),
                };
                let _ = events.send(ConnectorEvent::Receipt(receipt)).await;
            }
        });
        pending.insert(message_id, task.abort_handle());
    }

    /// The message was delivered: no revoke.
    pub fn delivered(&self, message_id: &str) {
        if let Some(timer) = self.pending().remove(message_id) {
            timer.abort();
        }
    }

    /// Stops every timer (at shutdown).
    pub fn stop_all(&self) {
        for (_, timer) in self.pending().drain() {
            timer.abort();
        }
    }
}

//! What the RBM endpoint remembers: the webhook, which numbers were throttled once, and the messages it holds
//! until they are delivered or revoked.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, MutexGuard},
};

use super::{
    pacing::Pacing,
    webhook::{CallbackError, Webhook, post_rbm_event, random_hex},
};
use crate::{SimConfig, Stats};

/// The agent id RBM names in the events it sends.
pub const AGENT_ID: &str = "canvass-simulator-agent";

/// One agent message the endpoint accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedAgentMessage {
    /// Recipient, as in the URL.
    pub msisdn: String,
    /// The agent's `messageId`.
    pub message_id: String,
    /// The AgentMessage JSON as posted.
    pub body: serde_json::Value,
}

#[derive(Debug)]
struct Held {
    delivered: bool,
}

pub struct RbmState {
    pub config: Arc<SimConfig>,
    pub stats: Arc<Stats>,
    pub http: reqwest::Client,
    /// `throttle_every` and `rate_limit`, per agent.
    pub pacing: Pacing,
    webhook: Mutex<Option<Webhook>>,
    throttled: Mutex<HashSet<String>>,
    held: Mutex<HashMap<String, Held>>,
    received: Mutex<Vec<ReceivedAgentMessage>>,
    revoked: Mutex<Vec<String>>,
    capability_checks: Mutex<Vec<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock only means a handler panicked; the data is still consistent enough for a simulator.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl RbmState {
    pub fn new(config: Arc<SimConfig>, stats: Arc<Stats>, http: reqwest::Client) -> Self {
        Self {
            pacing: Pacing::new(&config),
            config,
            stats,
            http,
            webhook: Mutex::new(None),
            throttled: Mutex::default(),
            held: Mutex::default(),
            received: Mutex::default(),
            revoked: Mutex::default(),
            capability_checks: Mutex::default(),
        }
    }

    pub fn set_webhook(&self, webhook: Webhook) {
        *lock(&self.webhook) = Some(webhook);
    }

    /// True the first time a number asks, so the throttling personality answers 429 once per number.
    pub fn first_throttle(&self, msisdn: &str) -> bool {
        lock(&self.throttled).insert(msisdn.to_owned())
    }

    /// Records an accepted message; false when its id was taken already (RBM answers 409).
    pub fn hold(&self, message: ReceivedAgentMessage) -> bool {
        let mut held = lock(&self.held);
        if held.contains_key(&message.message_id) {
            return false;
        }
        held.insert(message.message_id.clone(), Held { delivered: false });
        lock(&self.received).push(message);
        true
    }

    /// Marks a message delivered; false when it was revoked first.
    pub fn mark_delivered(&self, message_id: &str) -> bool {
        match lock(&self.held).get_mut(message_id) {
            Some(held) => {
                held.delivered = true;
                true
            }
            None => false,
        }
    }

    /// Revokes a message not yet delivered; false when it is unknown or already delivered (RBM answers 404).
    pub fn revoke(&self, message_id: &str) -> bool {
        let mut held = lock(&self.held);
        match held.get(message_id) {
            Some(h) if !h.delivered => {
                held.remove(message_id);
                lock(&self.revoked).push(message_id.to_owned());
                true
            }
            _ => false,
        }
    }

    /// Records a capability request for `msisdn`.
    pub fn capability_asked(&self, msisdn: &str) {
        lock(&self.capability_checks).push(msisdn.to_owned());
    }

    pub fn capability_checks(&self) -> Vec<String> {
        lock(&self.capability_checks).clone()
    }

    pub fn received(&self) -> Vec<ReceivedAgentMessage> {
        lock(&self.received).clone()
    }

    pub fn revoked(&self) -> Vec<String> {
        lock(&self.revoked).clone()
    }

    /// Posts an event about message `message_id` (DELIVERED, READ) from `msisdn`.
    pub async fn message_event(
        &self,
        msisdn: &str,
        message_id: &str,
        event_type: &str,
    ) -> Result<(), CallbackError> {
        let event = serde_json::json!({
            "senderPhoneNumber": msisdn,
            "eventType": event_type,
            "eventId": random_hex(24),
            "messageId": message_id,
            "sendTime": jiff::Timestamp::now().to_string(),
            "agentId": AGENT_ID,
        });
        self.post(&event).await?;
        self.stats.receipt_sent("rbm");
        Ok(())
    }

    /// Posts a user message from `msisdn`; `fields` holds `text`, `suggestionResponse` or `userFile`.
    pub async fn user_event(
        &self,
        msisdn: &str,
        fields: serde_json::Value,
    ) -> Result<(), CallbackError> {
        let mut event = serde_json::json!({
            "senderPhoneNumber": msisdn,
            "messageId": random_hex(32),
            "sendTime": jiff::Timestamp::now().to_string(),
            "agentId": AGENT_ID,
        });
        if let (Some(event), serde_json::Value::Object(fields)) = (event.as_object_mut(), fields) {
            event.extend(fields);
        }
        self.post(&event).await?;
        self.stats.inbound_sent("rbm");
        Ok(())
    }

    async fn post(&self, event: &serde_json::Value) -> Result<(), CallbackError> {
        let webhook = lock(&self.webhook)
            .clone()
            .ok_or(CallbackError::NotConfigured)?;
        post_rbm_event(&self.http, &webhook, event).await
    }
}

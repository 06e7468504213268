//! Events out of the simulated carrier: RBM posts each event to the agent's webhook as a Pub/Sub push envelope,
//! signed with `X-Goog-Signature`; the Twilio-shaped upstream posts form-encoded callbacks. Both go through here.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use rand::Rng;
use sha2::Sha512;

/// Why an event could not be posted.
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    /// No webhook URL is configured (RBM) or the message named no callback URL (upstream).
    #[error("no webhook configured")]
    NotConfigured,
    /// The receiver could not be reached.
    #[error("posting to {url}: {reason}")]
    Unreachable {
        /// The webhook URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The receiver answered with an error status.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// The webhook URL.
        url: String,
        /// Its answer.
        status: u16,
    },
}

/// Where RBM posts events, and the client token it signs them with.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// The agent's webhook URL.
    pub url: String,
    /// The client token shown when the webhook was configured.
    pub client_token: String,
}

/// `X-Goog-Signature`: base64 of HMAC-SHA512 over the event JSON (the decoded `message.data`), keyed with the
/// webhook's client token.
pub fn goog_signature(client_token: &str, event_json: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha512> as KeyInit>::new_from_slice(client_token.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(event_json);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// A random lowercase hex id of `len` digits.
pub fn random_hex(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect()
}

/// Posts one RBM event to `webhook`, wrapped as RBM's Pub/Sub push does.
pub async fn post_rbm_event(
    http: &reqwest::Client,
    webhook: &Webhook,
    event: &serde_json::Value,
) -> Result<(), CallbackError> {
    let event_json = serde_json::to_vec(event).unwrap_or_default();
    let envelope = serde_json::json!({
        "message": {
            "attributes": {},
            "data": STANDARD.encode(&event_json),
            "messageId": random_hex(16),
            "publishTime": jiff::Timestamp::now().to_string(),
        },
        "subscription": "projects/rbm-simulator/subscriptions/rbm-agent",
    });
    let response = http
        .post(&webhook.url)
        .header(
            "X-Goog-Signature",
            goog_signature(&webhook.client_token, &event_json),
        )
        .json(&envelope)
        .send()
        .await
        .map_err(|e| CallbackError::Unreachable {
            url: webhook.url.clone(),
            reason: e.to_string(),
        })?;
    check_status(&webhook.url, response.status())
}

/// Maps a receiver's answer: any 2xx is taken.
pub fn check_status(url: &str, status: reqwest::StatusCode) -> Result<(), CallbackError> {
    if status.is_success() {
        Ok(())
    } else {
        Err(CallbackError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        })
    }
}

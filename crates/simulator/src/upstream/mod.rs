//! The Twilio-shaped upstream: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, Basic auth,
//! Twilio's error JSON, and status callbacks and inbound messages posted form-encoded with `X-Twilio-Signature`.
//! Any AccountSid is taken; its auth token is the password of [`SimConfig::credentials`], or
//! [`DEFAULT_AUTH_TOKEN`] when none is set. Documented in `docs/simulator.md`.

mod callbacks;
mod handlers;
mod signature;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use tokio::task::JoinHandle;

use crate::{SimConfig, Stats, rbm::CallbackError};
pub use signature::twilio_signature;

/// The auth token every AccountSid has when the simulator has no credentials configured.
pub const DEFAULT_AUTH_TOKEN: &str = "simulator-token";

/// The AccountSid the upstream names in inbound messages.
pub const INBOUND_ACCOUNT_SID: &str = "AC00000000000000000000000000000000";

/// One message the upstream accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedUpstreamMessage {
    /// The `SM…` sid it was given.
    pub sid: String,
    /// The account in the URL.
    pub account_sid: String,
    /// The form parameters as posted, in order.
    pub params: Vec<(String, String)>,
}

pub(crate) struct UpstreamState {
    config: Arc<SimConfig>,
    stats: Arc<Stats>,
    http: reqwest::Client,
    /// `throttle_every` and `rate_limit`, per AccountSid.
    pacing: crate::rbm::pacing::Pacing,
    throttled: Mutex<std::collections::HashSet<String>>,
    received: Mutex<Vec<ReceivedUpstreamMessage>>,
}

impl UpstreamState {
    fn auth_token(&self) -> &str {
        self.config
            .credentials
            .as_ref()
            .map_or(DEFAULT_AUTH_TOKEN, |(_, password)| password.as_str())
    }
}

/// A running Twilio-shaped upstream. Stops when dropped.
pub struct Upstream {
    addr: SocketAddr,
    state: Arc<UpstreamState>,
    server: JoinHandle<()>,
}

impl Upstream {
    /// Serves the Messages API on `addr` (port 0 picks one).
    pub async fn start(
        addr: SocketAddr,
        config: Arc<SimConfig>,
        stats: Arc<Stats>,
    ) -> std::io::Result<Self> {
        let state = Arc::new(UpstreamState {
            pacing: crate::rbm::pacing::Pacing::new(&config),
            config,
            stats,
            http: crate::client::http_client(std::time::Duration::from_secs(10))?,
            throttled: Mutex::default(),
            received: Mutex::default(),
        });
        let (addr, server) = crate::rbm::serve::bind(addr, handlers::router(state.clone())).await?;
        Ok(Self {
            addr,
            state,
            server,
        })
    }

    /// Where it listens.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL, e.g. `http://127.0.0.1:8085` (clients append `/2010-04-01/...`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The auth token it expects and signs with.
    pub fn auth_token(&self) -> String {
        self.state.auth_token().to_owned()
    }

    /// Makes handset `from` send `body` to our number `to`: posts Twilio's inbound SMS webhook to `callback_url`.
    pub async fn send_inbound(
        &self,
        from: &str,
        to: &str,
        body: &str,
        callback_url: &str,
    ) -> Result<(), CallbackError> {
        callbacks::inbound(&self.state, from, to, body, callback_url).await
    }

    /// Every message accepted so far, in arrival order.
    pub fn received(&self) -> Vec<ReceivedUpstreamMessage> {
        handlers::lock(&self.state.received).clone()
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.server.abort();
    }
}

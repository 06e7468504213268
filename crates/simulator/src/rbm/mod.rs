//! The RBM endpoint: Google's RCS Business Messaging REST API as an agent sees it. Capability checks, agent
//! messages and revocations come in; DELIVERED and READ events and user messages go out to the agent's webhook,
//! signed as RBM signs them. Each recipient gets its number's personality. Documented in `docs/simulator.md`.

pub(crate) mod handlers;
pub(crate) mod pacing;
pub(crate) mod serve;
mod state;
pub(crate) mod webhook;

use std::{net::SocketAddr, sync::Arc};

use tokio::task::JoinHandle;

use crate::{SimConfig, Stats};
use state::RbmState;
pub use state::ReceivedAgentMessage;
pub use webhook::{CallbackError, Webhook, goog_signature};

/// A running RBM endpoint. Stops when dropped.
pub struct Rbm {
    addr: SocketAddr,
    state: Arc<RbmState>,
    server: JoinHandle<()>,
}

impl Rbm {
    /// Serves the RBM API on `addr` (port 0 picks one).
    pub async fn start(
        addr: SocketAddr,
        config: Arc<SimConfig>,
        stats: Arc<Stats>,
    ) -> std::io::Result<Self> {
        let http = crate::client::http_client(std::time::Duration::from_secs(10))?;
        let state = Arc::new(RbmState::new(config, stats, http));
        let (addr, server) = serve::bind(addr, handlers::router(state.clone())).await?;
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

    /// The API base URL, e.g. `http://127.0.0.1:8084` (the agent appends `/v1/phones/...`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sets the agent's webhook, as the RBM console does; events go there from now on.
    pub fn set_webhook(&self, url: impl Into<String>, client_token: impl Into<String>) {
        self.state.set_webhook(Webhook {
            url: url.into(),
            client_token: client_token.into(),
        });
    }

    /// Makes handset `from` send `text` to the agent.
    pub async fn send_user_message(&self, from: &str, text: &str) -> Result<(), CallbackError> {
        self.state
            .user_event(from, serde_json::json!({ "text": text }))
            .await
    }

    /// Makes handset `from` tap a suggested reply with `text` and `postback` data.
    pub async fn send_suggestion_response(
        &self,
        from: &str,
        text: &str,
        postback: &str,
    ) -> Result<(), CallbackError> {
        let response = serde_json::json!({
            "suggestionResponse": { "postbackData": postback, "text": text, "type": "REPLY" }
        });
        self.state.user_event(from, response).await
    }

    /// Every agent message accepted so far, in arrival order, with the JSON as received.
    pub fn received(&self) -> Vec<ReceivedAgentMessage> {
        self.state.received()
    }

    /// The numbers whose capabilities the agent asked for, one entry per request, in order.
    pub fn capability_checks(&self) -> Vec<String> {
        self.state.capability_checks()
    }

    /// The message ids the agent revoked (DELETE answered 200), in order.
    pub fn revoked(&self) -> Vec<String> {
        self.state.revoked()
    }
}

impl Drop for Rbm {
    fn drop(&mut self) {
        self.server.abort();
    }
}

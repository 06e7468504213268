//! RCS through Google's RCS Business Messaging (RBM) REST API, as an agent. Before each send the connector asks
//! RBM whether the recipient is RCS-capable, and keeps the answer a while per number; a 404 becomes
//! `PermanentFailure("not_rcs_capable")` so that dispatch falls back to MMS or SMS. Content is checked against
//! RBM's limits before it goes out. Messages with a time to live or an expire time are revoked when they expire
//! undelivered. Events come back on a webhook receiver, served here or mounted by the caller ([`build_parts`]).
//!
//! Authentication is a static bearer token from the configuration. Real RBM wants an OAuth 2 access token
//! minted from a service-account key, valid for an hour; minting and refreshing it is not done here, so a
//! production deployment must keep `token` fresh (or put a token-injecting proxy in front). No TLS backend is
//! built in: `base_url` is plain HTTP (the simulator, or a TLS-terminating proxy).

mod agent_message;
mod api;
mod capability_cache;
mod connector;
mod revoke;
mod signature;
mod webhook;

use std::{net::SocketAddr, sync::Arc, time::Duration};

pub use agent_message::agent_message;
pub use signature::{sign as goog_signature, verify as verify_goog_signature};
pub use webhook::{WEBHOOK_PATH, to_connector_event};

use crate::{
    Built, ConnectorError, Healthcheck, event_channel,
    http::transport::{self, RetryPolicy},
};

/// How to reach an RBM agent, and where to take its events.
#[derive(Clone)]
pub struct RcsConfig {
    /// The route's name, for logs and metrics.
    pub name: String,
    /// The API base, e.g. `http://127.0.0.1:8084` (the connector appends `/v1/phones/...`).
    pub base_url: String,
    /// Our agent id; the `to` of user messages when the event names none.
    pub agent_id: String,
    /// Bearer token sent on every request (see the module docs about OAuth).
    pub token: String,
    /// The webhook's client token, to verify `X-Goog-Signature`; `None` accepts unsigned events.
    pub client_token: Option<String>,
    /// Where to serve the webhook receiver (`POST /rbm/events`); `None` leaves it to the caller to mount
    /// ([`build_parts`]).
    pub webhook_bind: Option<SocketAddr>,
    /// How long to wait for each answer.
    pub request_timeout: Duration,
    /// Retries after a 5xx answer, with backoff from `retry_initial`.
    pub retries: u32,
    /// The first pause between retries.
    pub retry_initial: Duration,
    /// Number whose capability check serves as the health check (404 counts as healthy).
    pub healthcheck_number: String,
    /// Sends awaiting an answer at once.
    pub window: usize,
    /// Sustained sends per second the agent's quota allows, if known.
    pub max_per_second: Option<u32>,
    /// How long a capability answer (capable, or 404 not capable) is reused for the same number; zero asks
    /// RBM before every send.
    pub capability_cache_ttl: Duration,
    /// How many numbers' capability answers are kept at most; the oldest go first.
    pub capability_cache_size: usize,
}

impl std::fmt::Debug for RcsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RcsConfig")
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .field("agent_id", &self.agent_id)
            .field("webhook_bind", &self.webhook_bind)
            .finish_non_exhaustive()
    }
}

impl RcsConfig {
    /// Settings with defaults: 10 s timeout, 2 retries from 200 ms, a window of 64, no receiver, capability
    /// answers kept 10 minutes for up to 100 000 numbers.
    pub fn new(
        name: impl Into<String>,
        base_url: impl Into<String>,
        agent_id: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            base_url: base_url.into(),
            agent_id: agent_id.into(),
            token: token.into(),
            client_token: None,
            webhook_bind: None,
            request_timeout: Duration::from_secs(10),
            retries: 2,
            retry_initial: Duration::from_millis(200),
            healthcheck_number: "+12025550299".into(),
            window: 64,
            max_per_second: None,
            capability_cache_ttl: Duration::from_secs(600),
            capability_cache_size: 100_000,
        }
    }
}

/// What building an RCS route gives; its receiver takes RBM's events at [`WEBHOOK_PATH`].
pub type RcsParts = crate::Parts;

/// Builds the connector, its health check and event stream, and serves the webhook receiver if configured.
pub async fn build(config: RcsConfig) -> Result<Built, ConnectorError> {
    build_parts(config).await.map(|parts| parts.built)
}

/// As [`build`], also returning the receiver's bound address (useful with port 0).
pub async fn build_listening(
    config: RcsConfig,
) -> Result<(Built, Option<SocketAddr>), ConnectorError> {
    build_parts(config)
        .await
        .map(|parts| (parts.built, parts.receiver_addr))
}

/// Builds the route; serves the receiver on [`RcsConfig::webhook_bind`] when set, and otherwise hands its
/// router back for the caller to mount.
pub async fn build_parts(config: RcsConfig) -> Result<RcsParts, ConnectorError> {
    let base = reqwest::Url::parse(&config.base_url)
        .map_err(|e| ConnectorError::Config(format!("RBM base URL {:?}: {e}", config.base_url)))?;
    if config.token.is_empty() {
        return Err(ConnectorError::Config("RBM bearer token is empty".into()));
    }
    let api = Arc::new(api::RbmApi {
        http: transport::client(config.request_timeout)?,
        base,
        token: config.token.clone(),
        retry: RetryPolicy {
            retries: config.retries,
            initial: config.retry_initial,
        },
    });
    let (events, stream) = event_channel(1024);
    let timers = Arc::new(revoke::RevokeTimers::default());
    let router = webhook::router(Arc::new(webhook::Receiver {
        client_token: config.client_token.clone(),
        agent_id: config.agent_id.clone(),
        events: events.clone(),
        timers: timers.clone(),
    }));
    let (receiver, receiver_addr, receiver_task) = match config.webhook_bind {
        Some(bind) => {
            let (addr, task) = transport::serve(bind, router).await?;
            (None, Some(addr), Some(task))
        }
        None => (Some(router), None, None),
    };
    let health_api = api.clone();
    let health_number = config.healthcheck_number.clone();
    let healthcheck = Healthcheck::new(move || {
        let api = health_api.clone();
        let number = health_number.clone();
        Box::pin(async move { api.health(&number).await })
    });
    let connector = connector::RcsConnector::new(&config, api, events, timers, receiver_task);
    Ok(RcsParts {
        built: Built {
            connector: Arc::new(connector),
            healthcheck,
            events: stream,
        },
        receiver,
        receiver_addr,
    })
}

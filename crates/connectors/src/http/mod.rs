//! Sending through a Twilio-compatible Messages API: Twilio itself, another provider with the same API, or
//! another Canvass. `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, Basic auth with
//! the AccountSid and auth token; the answer's `sid` is the carrier id. Status callbacks and inbound messages
//! come back on a receiver that checks `X-Twilio-Signature`.
//!
//! MMS: the API fetches media by URL, so an MMS part must name an `http(s)://` URL in [`crate::MediaPart::name`]
//! and carry no bytes (text/plain parts become `Body`); parts with bytes only are refused with
//! `needs_media_urls`. No TLS backend is built in: `base_url` is plain HTTP (the simulator, another Canvass on
//! a private network, or a TLS-terminating proxy).

mod connector;
mod form;
mod receiver;
mod signature;
pub(crate) mod transport;

use std::{net::SocketAddr, sync::Arc, time::Duration};

pub use form::message_form;
pub use receiver::{INBOUND_PATH, STATUS_PATH, delivery_state};
pub use signature::{sign as twilio_signature, verify as verify_twilio_signature};

use crate::{Built, ConnectorError, Healthcheck, event_channel};
use transport::RetryPolicy;

/// How to reach a Twilio-compatible upstream, and where to take its callbacks.
#[derive(Clone)]
pub struct HttpConfig {
    /// The route's name, for logs and metrics.
    pub name: String,
    /// The API base, e.g. `http://127.0.0.1:8085` (the connector appends `/2010-04-01/...`).
    pub base_url: String,
    /// The account, `AC…`.
    pub account_sid: String,
    /// The account's auth token: Basic auth password and the key of callback signatures.
    pub auth_token: String,
    /// Where to serve the receiver (`POST /twilio/status`, `POST /twilio/inbound`); `None` leaves it to the
    /// caller to mount ([`build_parts`]).
    pub webhook_bind: Option<SocketAddr>,
    /// The receiver's URL as the upstream reaches it (signatures cover it), e.g. `https://canvass.example` or,
    /// for a receiver mounted under a prefix, `https://canvass.example/hooks/twilio-a`; `None` means
    /// `http://{bound address}` when served on `webhook_bind`, and no receiver (no status callbacks) otherwise.
    pub public_url: Option<String>,
    /// How long to wait for each answer.
    pub request_timeout: Duration,
    /// Retries after a 5xx answer, with backoff from `retry_initial`.
    pub retries: u32,
    /// The first pause between retries.
    pub retry_initial: Duration,
    /// Sends awaiting an answer at once.
    pub window: usize,
    /// Sustained sends per second the account allows, if known.
    pub max_per_second: Option<u32>,
}

impl std::fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpConfig")
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .field("account_sid", &self.account_sid)
            .field("webhook_bind", &self.webhook_bind)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl HttpConfig {
    /// Settings with defaults: 10 s timeout, 2 retries from 200 ms, a window of 64, no receiver.
    pub fn new(
        name: impl Into<String>,
        base_url: impl Into<String>,
        account_sid: impl Into<String>,
        auth_token: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            base_url: base_url.into(),
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
            webhook_bind: None,
            public_url: None,
            request_timeout: Duration::from_secs(10),
            retries: 2,
            retry_initial: Duration::from_millis(200),
            window: 64,
            max_per_second: None,
        }
    }
}

/// What building a Twilio-compatible route gives; its receiver takes the upstream's status callbacks at
/// [`STATUS_PATH`] and inbound messages at [`INBOUND_PATH`]. It is handed back only when
/// [`HttpConfig::public_url`] is set: signatures cover the URL, so a receiver that does not know its own cannot
/// check them.
pub type HttpParts = crate::Parts;

/// Builds the connector, its health check and event stream, and serves the receiver if configured.
pub async fn build(config: HttpConfig) -> Result<Built, ConnectorError> {
    build_parts(config).await.map(|parts| parts.built)
}

/// As [`build`], also returning the receiver's bound address (useful with port 0).
pub async fn build_listening(
    config: HttpConfig,
) -> Result<(Built, Option<SocketAddr>), ConnectorError> {
    build_parts(config)
        .await
        .map(|parts| (parts.built, parts.receiver_addr))
}

/// Builds the route; serves the receiver on [`HttpConfig::webhook_bind`] when set, and otherwise hands its
/// router back for the caller to mount at [`HttpConfig::public_url`].
pub async fn build_parts(config: HttpConfig) -> Result<HttpParts, ConnectorError> {
    let base = reqwest::Url::parse(&config.base_url).map_err(|e| {
        ConnectorError::Config(format!("upstream base URL {:?}: {e}", config.base_url))
    })?;
    if config.account_sid.is_empty() || config.auth_token.is_empty() {
        return Err(ConnectorError::Config(
            "upstream AccountSid and auth token are required".into(),
        ));
    }
    let (events, stream) = event_channel(1024);
    let receiver_router = |public_url: &str| {
        receiver::router(Arc::new(receiver::Receiver {
            auth_token: config.auth_token.clone(),
            public_url: public_url.to_owned(),
            events: events.clone(),
        }))
    };
    let (receiver, receiver_addr, receiver_task, public_url) = match config.webhook_bind {
        Some(bind) => {
            // Bind first: the public URL may be the bound address, and the signatures cover it.
            let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| {
                ConnectorError::Config(format!("cannot bind the receiver on {bind}: {e}"))
            })?;
            let addr = listener
                .local_addr()
                .map_err(|e| ConnectorError::Config(format!("receiver address: {e}")))?;
            let public_url = public_url_or(&config, addr);
            let task = transport::serve_on(listener, receiver_router(&public_url));
            (None, Some(addr), Some(task), Some(public_url))
        }
        None => match config.public_url.as_deref() {
            Some(url) => {
                let public_url = url.trim_end_matches('/').to_owned();
                (
                    Some(receiver_router(&public_url)),
                    None,
                    None,
                    Some(public_url),
                )
            }
            None => (None, None, None, None),
        },
    };
    let api = Arc::new(connector::MessagesApi {
        http: transport::client(config.request_timeout)?,
        base,
        account_sid: config.account_sid.clone(),
        auth_token: config.auth_token.clone(),
        retry: RetryPolicy {
            retries: config.retries,
            initial: config.retry_initial,
        },
        status_callback: public_url.map(|url| format!("{url}{STATUS_PATH}")),
    });
    let health_api = api.clone();
    let healthcheck = Healthcheck::new(move || {
        let api = health_api.clone();
        Box::pin(async move { api.health().await })
    });
    let connector = connector::HttpConnector::new(&config, api, receiver_task);
    Ok(HttpParts {
        built: Built {
            connector: Arc::new(connector),
            healthcheck,
            events: stream,
        },
        receiver,
        receiver_addr,
    })
}

/// The configured public URL without a trailing slash, else the bound address.
fn public_url_or(config: &HttpConfig, addr: SocketAddr) -> String {
    config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_owned()
}

//! MM7 (3GPP TS 23.140 §8.7), VASP → MMSC: SubmitReq with the adapted content over HTTP(S) with Basic auth;
//! DeliveryReportReq, ReadReplyReq and DeliverReq received on an endpoint of ours ([`Mm7Receiver`]). The
//! schema namespace and MM7Version are set per route, because MMSCs validate against the one they run.
//!
//! Outcomes: 1000/1100 → `Accepted` with the MMSC's MessageID (which its delivery reports quote); HTTP 5xx,
//! a refused connection and the temporary MM7 codes (see `status_table.rs`) are retried `retries` times with
//! backoff, then `TemporaryFailure`; 429, 503 with Retry-After and MM7 4006 → `Throttled`; 401/403 and the
//! permanent codes → `PermanentFailure`. A timeout or a connection dropped after sending is not retried
//! here: the MMSC may have taken the message, and dispatch decides whether a duplicate is worth the risk.
//! An MMSC certificate we do not trust gives `TemporaryFailure` with code `tls-certificate`, not retried.
//!
//! https uses rustls with ring; [`Mm7Config::tls_roots_pem`] adds private roots. Our endpoint can require
//! Basic auth from the MMSC ([`Mm7Config::receiver_credentials`]).

mod answer;
mod basic_auth;
mod client;
mod config;
mod events;
mod health;
mod receiver;
mod request;
mod status_table;

use std::{net::SocketAddr, sync::Arc};

use axum::serve::ListenerExt;
use tokio::sync::{Semaphore, watch};
use tracing::warn;

pub use crate::tls::install_default_crypto_provider;
pub use config::Mm7Config;
pub use receiver::Mm7Receiver;

use crate::{Built, Capabilities, Channel, ConnectorError, event_channel};

/// Events waiting for dispatch before our endpoint stops answering the MMSC.
const EVENT_QUEUE: usize = 1024;

/// Room for MIME overhead and base64 on top of the content cap, for what the MMSC sends us.
const DEFAULT_RECEIVE_BYTES: usize = 8 * 1024 * 1024;

/// What building an MM7 route gives; its receiver takes `POST` [`RECEIVER_PATH`].
pub type Mm7Parts = crate::Parts;

/// Where our receiver takes the MMSC's requests.
pub const RECEIVER_PATH: &str = "/mm7";

/// Builds an MM7 route. When [`Mm7Config::receiver_bind`] is unset the receiving endpoint is dropped: use
/// [`build_parts`] to mount it elsewhere.
pub async fn build(config: Mm7Config) -> Result<Built, ConnectorError> {
    build_parts(config).await.map(|parts| parts.built)
}

/// Builds an MM7 route, and serves its receiver on [`Mm7Config::receiver_bind`] when set.
pub async fn build_parts(config: Mm7Config) -> Result<Mm7Parts, ConnectorError> {
    let url = reqwest::Url::parse(&config.url)
        .map_err(|error| ConnectorError::Config(format!("MM7 url {:?}: {error}", config.url)))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ConnectorError::Config(format!(
            "MM7 url {}: the scheme must be http or https",
            config.url
        )));
    }
    let client = client::http_client(&config)
        .map_err(|error| ConnectorError::Config(format!("HTTP client: {error}")))?;
    let (sender, events) = event_channel(EVENT_QUEUE);
    let receive_bytes = config
        .max_message_bytes
        .map_or(DEFAULT_RECEIVE_BYTES, |cap| {
            cap.saturating_mul(2).max(64 * 1024)
        });
    let router = Mm7Receiver::new(sender, receive_bytes)
        .with_vasp_id(config.vasp_id.clone())
        .with_credentials(config.receiver_credentials.clone())
        .router();
    let (stop_receiver, stopped) = watch::channel(false);
    let (receiver, receiver_addr) = match config.receiver_bind {
        Some(bind) => (None, Some(serve(bind, router, stopped).await?)),
        None => (Some(router), None),
    };
    let window = config.window.clamp(1, Semaphore::MAX_PERMITS);
    let capabilities = Capabilities {
        channels: vec![Channel::Mms],
        max_message_bytes: config.max_message_bytes,
        max_per_second: config.max_per_second,
        window,
    };
    let healthcheck = health::healthcheck(&config, client.clone());
    let connector = client::Mm7Connector {
        config: Mm7Config { window, ..config },
        client,
        capabilities,
        window: Arc::new(Semaphore::new(window)),
        stop_receiver,
    };
    Ok(Mm7Parts {
        built: Built {
            connector: Arc::new(connector),
            healthcheck,
            events,
        },
        receiver,
        receiver_addr,
    })
}

/// Serves `router` on `bind` until `stop` turns true; TCP_NODELAY on every accepted socket.
async fn serve(
    bind: SocketAddr,
    router: axum::Router,
    mut stop: watch::Receiver<bool>,
) -> Result<SocketAddr, ConnectorError> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|error| ConnectorError::Config(format!("cannot listen on {bind}: {error}")))?;
    let addr = listener
        .local_addr()
        .map_err(|error| ConnectorError::Config(format!("listener on {bind}: {error}")))?;
    tokio::spawn(async move {
        let listener = listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                warn!(%error, "cannot set TCP_NODELAY on an MM7 connection");
            }
        });
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            })
            .await;
        if let Err(error) = served {
            warn!(%error, %addr, "MM7 receiver stopped");
        }
    });
    Ok(addr)
}

//! HTTP plumbing shared by the RBM and Twilio-compatible adapters: sending with retries on 5xx, reading
//! `Retry-After`, and serving a webhook receiver on a bind address.

use std::{net::SocketAddr, time::Duration};

use axum::Router;
use tokio::{net::TcpListener, task::JoinHandle};

use crate::{ConnectorError, SubmitOutcome, backoff::Backoff};

/// How often and how patiently a request is retried when the server answers 5xx.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// The first pause; it doubles up to 16 times that.
    pub initial: Duration,
}

/// Sends the request `make` builds, again after a backoff pause while the answer is 5xx. A request that got
/// no answer (timeout, connection lost) is not retried here: the carrier may have taken it, so the caller
/// reports a temporary failure and dispatch decides. Returns the last answer, 5xx included.
pub async fn send_retrying(
    policy: RetryPolicy,
    make: impl Fn() -> reqwest::RequestBuilder,
) -> Result<reqwest::Response, SubmitOutcome> {
    let mut backoff = Backoff::new(policy.initial, policy.initial.saturating_mul(16));
    loop {
        let response = make().send().await.map_err(|error| no_answer(&error))?;
        if !response.status().is_server_error() || backoff.attempts() >= policy.retries {
            return Ok(response);
        }
        tokio::time::sleep(backoff.next_delay()).await;
    }
}

/// A request that got no HTTP answer.
pub fn no_answer(error: &reqwest::Error) -> SubmitOutcome {
    let code = if error.is_timeout() {
        "timeout"
    } else {
        "connection"
    };
    SubmitOutcome::TemporaryFailure {
        code: code.into(),
        reason: error.to_string(),
    }
}

/// The pause a `Retry-After` header asks for, in seconds (the HTTP-date form is not used by these APIs).
pub fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// A client with the request timeout, TCP_NODELAY, and https trusting the Mozilla roots.
pub fn client(timeout: Duration) -> Result<reqwest::Client, ConnectorError> {
    let tls = crate::tls::client_config(&[], false)
        .map_err(|e| ConnectorError::Config(format!("TLS: {e}")))?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .tcp_nodelay(true)
        .timeout(timeout)
        .build()
        .map_err(|e| ConnectorError::Config(format!("HTTP client: {e}")))
}

/// Binds `addr` and serves `router` there until the task is aborted.
pub async fn serve(
    addr: SocketAddr,
    router: Router,
) -> Result<(SocketAddr, JoinHandle<()>), ConnectorError> {
    let listener = TcpListener::bind(addr).await.map_err(|e| {
        ConnectorError::Config(format!("cannot bind the webhook receiver on {addr}: {e}"))
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| ConnectorError::Config(format!("webhook receiver address: {e}")))?;
    Ok((local, serve_on(listener, router)))
}

/// Serves `router` on a bound listener until the task is aborted.
pub fn serve_on(listener: TcpListener, router: Router) -> JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::warn!(%error, "webhook receiver stopped");
        }
    })
}

//! The sending half: SubmitReq over HTTP(S) with Basic auth, a window of requests in flight, and retries of
//! the submits that certainly did not go through.

use std::sync::Arc;

use canvass_mm7::Encoded;
use futures::future::BoxFuture;
use reqwest::header;
use tokio::sync::{Semaphore, watch};
use tracing::{debug, warn};

use super::Mm7Config;
use super::answer::{self, Attempt};
use super::request::submit_request;
use crate::{Capabilities, Connector, OutboundMessage, SubmitOutcome};

/// An MM7 route.
pub(crate) struct Mm7Connector {
    pub(crate) config: Mm7Config,
    pub(crate) client: reqwest::Client,
    pub(crate) capabilities: Capabilities,
    /// One permit per request in flight; closed at shutdown.
    pub(crate) window: Arc<Semaphore>,
    /// Tells our own receiver listener, when we serve one, to stop.
    pub(crate) stop_receiver: watch::Sender<bool>,
}

/// The HTTP client every MM7 route uses: TCP_NODELAY so that each request leaves at once, and the route's
/// TLS settings for https.
pub(crate) fn http_client(config: &Mm7Config) -> Result<reqwest::Client, String> {
    let tls = crate::tls::client_config(&config.tls_roots_pem, config.danger_accept_invalid_certs)?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .tcp_nodelay(true)
        .timeout(config.timeout)
        .connect_timeout(config.timeout)
        .pool_max_idle_per_host(config.window)
        .build()
        .map_err(|error| crate::tls::error_chain(&error))
}

impl Mm7Connector {
    pub(crate) fn post(&self, encoded: &Encoded) -> reqwest::RequestBuilder {
        let request = self
            .client
            .post(&self.config.url)
            .header(header::CONTENT_TYPE, &encoded.content_type)
            // SOAP 1.1 wants the header; MM7 gives it no value.
            .header("SOAPAction", "\"\"")
            .body(encoded.body.clone());
        match &self.config.username {
            Some(user) => request.basic_auth(user, self.config.password.as_ref()),
            None => request,
        }
    }

    async fn attempt(&self, encoded: &Encoded, message: &OutboundMessage) -> Attempt {
        match self.post(encoded).send().await {
            Ok(response) => answer::read(response, &message.id).await,
            Err(error) => answer::transport_error(&error),
        }
    }

    async fn submit_with_retries(&self, message: &OutboundMessage) -> SubmitOutcome {
        let Ok(_permit) = self.window.acquire().await else {
            return SubmitOutcome::TemporaryFailure {
                code: "shutdown".into(),
                reason: "the connector is shutting down".into(),
            };
        };
        let encoded = match submit_request(&self.config, message) {
            Ok(encoded) => encoded,
            Err(refused) => return refused,
        };
        let mut backoff = self.config.retry_backoff.clone();
        loop {
            match self.attempt(&encoded, message).await {
                Attempt::Done(outcome) => return outcome,
                Attempt::Retry(outcome) if backoff.attempts() >= self.config.retries => {
                    return outcome;
                }
                Attempt::Retry(outcome) => {
                    let pause = backoff.next_delay();
                    debug!(route = %self.config.name, id = %message.id, ?outcome, ?pause, "MM7 submit retried");
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }
}

impl Connector for Mm7Connector {
    fn name(&self) -> &str {
        &self.config.name
    }

    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    fn submit<'a>(&'a self, message: &'a OutboundMessage) -> BoxFuture<'a, SubmitOutcome> {
        Box::pin(async move {
            let outcome = self.submit_with_retries(message).await;
            if !outcome.is_accepted() {
                debug!(route = %self.config.name, id = %message.id, ?outcome, "MM7 submit not accepted");
            }
            outcome
        })
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let all = u32::try_from(self.config.window).unwrap_or(u32::MAX);
            // Waiting for every permit waits for the submits in flight.
            match self.window.acquire_many(all).await {
                Ok(permits) => permits.forget(),
                Err(_) => warn!(route = %self.config.name, "MM7 connector shut down twice"),
            }
            self.window.close();
            self.stop_receiver.send_replace(true);
        })
    }
}

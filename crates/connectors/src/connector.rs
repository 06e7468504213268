//! The [`Connector`] trait. Building a connector gives the connector, its health check and its event stream,
//! as Vector's sinks do, so that a route can be checked before it takes traffic.

use std::{fmt, sync::Arc};

use futures::future::BoxFuture;

use crate::{Capabilities, ConnectorError, EventStream, OutboundMessage, SubmitOutcome};

/// One way to reach phones: an SMPP route, an MMSC, an RBM agent, an HTTP upstream.
pub trait Connector: Send + Sync + 'static {
    /// The route's name, for logs and metrics.
    fn name(&self) -> &str;

    /// What this connector carries.
    fn capabilities(&self) -> &Capabilities;

    /// Hands one message to the carrier and waits for its answer. Returns `Accepted` only once the carrier has
    /// taken the message; every other answer means it was not handed over.
    fn submit<'a>(&'a self, message: &'a OutboundMessage) -> BoxFuture<'a, SubmitOutcome>;

    /// Stops taking messages, waits for those in flight, and closes the carrier sessions.
    fn shutdown(&self) -> BoxFuture<'_, ()>;
}

/// A check of the route, runnable again and again (at start, and by `/healthz`).
#[derive(Clone)]
pub struct Healthcheck(
    Arc<dyn Fn() -> BoxFuture<'static, Result<(), ConnectorError>> + Send + Sync>,
);

impl Healthcheck {
    /// Wraps a check.
    pub fn new<F>(check: F) -> Self
    where
        F: Fn() -> BoxFuture<'static, Result<(), ConnectorError>> + Send + Sync + 'static,
    {
        Self(Arc::new(check))
    }

    /// Runs the check.
    pub async fn check(&self) -> Result<(), ConnectorError> {
        (self.0)().await
    }
}

impl fmt::Debug for Healthcheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Healthcheck")
    }
}

/// What building a route that also receives (MM7 reports, RBM events, Twilio callbacks) gives: the usual
/// [`Built`], and the receiver, either served by the route itself or handed back for the server to mount.
#[derive(Debug)]
pub struct Parts {
    /// The connector, health check and events.
    pub built: Built,
    /// The receiver's routes, to mount on a server of ours (at the root, or nested under the prefix the route's
    /// public URL names); `None` when the route serves its receiver itself.
    pub receiver: Option<axum::Router>,
    /// Where the receiver listens when the route serves it itself; that listener stops with the connector.
    pub receiver_addr: Option<std::net::SocketAddr>,
}

impl Parts {
    /// The URL of `path` on the receiver, when the route serves it itself.
    pub fn receiver_url(&self, path: &str) -> Option<String> {
        self.receiver_addr
            .map(|addr| format!("http://{addr}{path}"))
    }
}

/// What building a connector gives.
pub struct Built {
    /// The connector.
    pub connector: Arc<dyn Connector>,
    /// Its health check.
    pub healthcheck: Healthcheck,
    /// Its receipts and inbound messages.
    pub events: EventStream,
}

impl fmt::Debug for Built {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Built")
            .field("connector", &self.connector.name())
            .finish_non_exhaustive()
    }
}

//! Sending: the worker role. It builds the stored routes' connectors, runs the dispatcher over the store's queue,
//! reads receipts and replies, and drives running campaigns (expansion and completion).

pub mod api_plan;
pub mod context;
pub mod driver;
pub mod links;
pub mod media;
pub mod plans;
pub mod route_spec;
pub mod sim_routes;

pub use plans::{CampaignPlans, LinkBase};
pub use route_spec::{BuiltRoute, RouteSpec};

use crate::App;
use anyhow::Context;
use canvass_campaigns::links::LinkSigner;
use canvass_connectors::Connector;
use canvass_dispatch::ports::{MediaSink, QueueError};
use canvass_dispatch::rate::{Limit, RateKey, RateLimits};
use canvass_dispatch::routes::Routes;
use canvass_dispatch::routing::RouteTable;
use canvass_dispatch::worker::{DispatchConfig, Dispatcher};
use canvass_store::{BlobStore, Store};
use canvass_types::Clock;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Inbound media goes to the blob store.
pub struct BlobSink(pub BlobStore);

impl MediaSink for BlobSink {
    async fn put(&self, bytes: &[u8]) -> Result<String, QueueError> {
        self.0
            .put(bytes)
            .await
            .map(|k| k.as_str().to_owned())
            .map_err(|e| QueueError(e.to_string()))
    }
}

/// A running worker.
pub struct Worker {
    /// The dispatcher (for its opt-out set and statistics).
    pub dispatcher: Arc<Dispatcher<Store>>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    connectors: Vec<Arc<dyn Connector>>,
}

/// The link signer: the configured secret, or one made once and kept in the data dir.
pub fn link_signer(app: &App) -> anyhow::Result<LinkSigner> {
    Ok(LinkSigner::new(
        &app.secret(app.config.link_secret.as_deref(), "link.key")?,
    ))
}

/// The links every worker and the HTTP surface agree on.
pub fn link_base(app: &App) -> anyhow::Result<LinkBase> {
    Ok(LinkBase {
        base: app.config.public_base(),
        signer: link_signer(app)?,
    })
}

/// Starts the worker with the stored routes (or `extra` routes built by the caller, e.g. the demo's).
pub async fn start(
    app: &App,
    config: DispatchConfig,
    extra: Vec<BuiltRoute>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Worker> {
    let mut built = extra;
    for route in app.store.routes().await? {
        if !route.enabled {
            continue;
        }
        let spec: RouteSpec = serde_json::from_value(route.spec.clone())
            .with_context(|| format!("route {}: not a route spec", route.name))?;
        built.push(spec.build(&route.name).await?);
    }
    if built.is_empty() {
        anyhow::bail!(
            "no routes: add one with `canvass routes add` (or `canvass routes sim` for the simulator)"
        );
    }
    let limits = Arc::new(RateLimits::new());
    // Routes are the top-level connectors; the ones under them (MM1's SMPP bind) are only closed with them.
    let mut top = Vec::new();
    let mut connectors = Vec::new();
    let mut streams = Vec::new();
    for route in built {
        let name = route.connector.name().to_owned();
        // Throttling feedback only moves a bucket that exists, so every route gets one: its declared rate, or a
        // generous ceiling that carrier throttling then lowers.
        let per_second = route
            .connector
            .capabilities()
            .max_per_second
            .map_or(50_000.0, f64::from);
        limits.set_limit(
            RateKey::Route(name.clone()),
            Limit {
                per_second,
                burst: per_second.clamp(1.0, 10_000.0) as u32,
            },
            std::time::Instant::now(),
        );
        top.push(route.connector.clone());
        connectors.push(route.connector.clone());
        connectors.extend(route.underlying);
        streams.push((name, route.events));
    }
    let table = route_table(app, &top).await?;
    let routes = Arc::new(Routes::new(top, table));
    let plans = Arc::new(CampaignPlans::new(
        app.store.clone(),
        link_base(app)?,
        Arc::new(media::MediaCache::new()),
        app.fetcher.clone(),
    ));
    let dispatcher = Dispatcher::new(
        Arc::new(app.store.clone()),
        plans,
        routes,
        limits,
        clock.clone(),
        config,
    );
    let (shutdown, rx) = watch::channel(false);
    let tasks = vec![
        tokio::spawn(dispatcher.clone().run(rx.clone())),
        tokio::spawn(canvass_dispatch::events::run(
            dispatcher.clone(),
            Arc::new(BlobSink(app.blobs.clone())),
            streams,
            rx.clone(),
        )),
        tokio::spawn(driver::run(app.store.clone(), clock, rx)),
    ];
    Ok(Worker {
        dispatcher,
        shutdown,
        tasks,
        connectors,
    })
}

/// The stored route table, checked. A rule naming a route this worker is not running (unknown, disabled, or
/// failed to start) is logged: messages it decides for find no route here, on purpose (see `dispatch::routing`).
async fn route_table(
    app: &App,
    running: &[Arc<dyn Connector>],
) -> anyhow::Result<Option<RouteTable>> {
    let Some(rules) = app.store.route_rules().await? else {
        return Ok(None);
    };
    let table: RouteTable = serde_json::from_value(rules).context("the stored route table")?;
    for (index, rule) in table.rules().iter().enumerate() {
        for name in rule
            .routes
            .iter()
            .filter(|n| !running.iter().any(|c| c.name() == *n))
        {
            tracing::warn!(rule = index, route = %name, "the route table names a route that is not running");
        }
    }
    Ok(Some(table))
}

impl Worker {
    /// Stops claiming, lets the messages in flight settle, and closes the routes.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        for connector in &self.connectors {
            connector.shutdown().await;
        }
    }
}

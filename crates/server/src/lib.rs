//! The composition root: reads configuration, opens the store, and runs the listeners of a role.
//! It wires crates together and holds no domain logic of its own.
#![forbid(unsafe_code)]

pub mod config;
pub mod http;
pub mod http_serve;
pub mod sending;
pub mod telemetry;

pub use config::{Config, ConfigIssue, Overrides};

use anyhow::Context;
use canvass_store::{BlobStore, Store};

/// Everything a running node shares between its listeners.
#[derive(Clone)]
pub struct App {
    /// The database.
    pub store: Store,
    /// Media blobs.
    pub blobs: BlobStore,
    /// The configuration it was started with.
    pub config: Config,
    /// Fetches developer-supplied URLs (media, callbacks) through the SSRF guard.
    pub fetcher: std::sync::Arc<canvass_connectors::fetch::Fetcher>,
}

impl App {
    /// Opens the store (creating the data dir for SQLite), applies migrations and seeds the built-in carrier
    /// profiles.
    pub async fn open(config: Config) -> anyhow::Result<App> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create data dir {}", config.data_dir.display()))?;
        let store = Store::open(&config.database_url()).await?;
        store.migrate().await?;
        seed_carrier_profiles(&store).await?;
        let blobs = BlobStore::new(config.blob_path());
        let allow = config
            .media_fetch_allow
            .iter()
            .map(|rule| canvass_connectors::fetch::AllowRule::parse(rule))
            .collect::<Result<Vec<_>, _>>()
            .context("media_fetch_allow")?;
        let policy = canvass_connectors::fetch::FetchPolicy {
            allow,
            ..Default::default()
        };
        let fetcher = std::sync::Arc::new(
            canvass_connectors::fetch::Fetcher::new(policy).context("the media fetcher")?,
        );
        Ok(App {
            store,
            blobs,
            config,
            fetcher,
        })
    }
}

impl App {
    /// A deployment secret: the configured one, or 32 random bytes made once and kept in the data dir as `file`.
    pub fn secret(&self, configured: Option<&str>, file: &str) -> anyhow::Result<Vec<u8>> {
        if let Some(secret) = configured {
            return Ok(secret.as_bytes().to_vec());
        }
        let path = self.config.data_dir.join(file);
        if let Ok(secret) = std::fs::read(&path)
            && secret.len() >= 16
        {
            return Ok(secret);
        }
        let secret: [u8; 32] = rand::random();
        std::fs::write(&path, secret)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(secret.to_vec())
    }

    /// Derives every account's auth token (see `canvass_accounts::TokenKey`).
    pub fn token_key(&self) -> anyhow::Result<canvass_accounts::TokenKey> {
        Ok(canvass_accounts::TokenKey::new(&self.secret(
            self.config.account_secret.as_deref(),
            "account.key",
        )?))
    }
}

/// Adds the shipped carrier profiles the database lacks (and refreshes untouched built-in ones); profiles an
/// operator edited are left alone. Runs at every start, after migrations.
pub async fn seed_carrier_profiles(store: &Store) -> anyhow::Result<canvass_store::SeedSummary> {
    let defaults = canvass_media::profile::defaults::default_profile_specs()
        .context("the built-in carrier profiles are invalid")?;
    let summary = store
        .seed_carrier_profiles(&defaults)
        .await
        .context("cannot seed the carrier profiles")?;
    if summary.inserted > 0 || summary.refreshed > 0 {
        tracing::info!(
            inserted = summary.inserted,
            refreshed = summary.refreshed,
            kept_edited = summary.kept_edited,
            "carrier profiles seeded"
        );
    }
    Ok(summary)
}

/// Runs `serve` until Ctrl-C or SIGTERM.
pub async fn serve(
    app: App,
    clock: std::sync::Arc<dyn canvass_types::Clock>,
) -> anyhow::Result<()> {
    let metrics = telemetry::install_metrics()?;
    let listener = tokio::net::TcpListener::bind(app.config.http)
        .await
        .with_context(|| format!("cannot listen for HTTP on {}", app.config.http))?;
    let links = sending::link_base(&app)?;
    let plans = std::sync::Arc::new(sending::CampaignPlans::new(
        app.store.clone(),
        links.clone(),
        std::sync::Arc::new(sending::media::MediaCache::new()),
        app.fetcher.clone(),
    ));
    let token_key = app.token_key()?;
    let api = canvass_api::ApiState::with_limit(
        app.store.clone(),
        clock.clone(),
        canvass_api::limits::RateLimit {
            per_second: app.config.api_rate_limit,
            burst: app.config.api_rate_limit * 2.0,
        },
    )
    .with_blobs(app.blobs.clone())
    .with_token_key(token_key.clone());
    let router = http::router(app.clone(), metrics)
        .merge(sending::links::router(app.store.clone(), links, plans))
        .merge(canvass_api::router(api));
    // Status callbacks go out from API nodes (and the single node of `all`); notifiers on several nodes take
    // disjoint callbacks.
    let (stop_notifier, notifier_rx) = tokio::sync::watch::channel(false);
    let notifier = matches!(app.config.role.as_str(), "all" | "api").then(|| {
        let notifier = std::sync::Arc::new(
            canvass_api::callbacks::Notifier::new(
                app.store.clone(),
                token_key,
                app.fetcher.clone(),
                clock.clone(),
            )
            .with_public_base(&app.config.public_base()),
        );
        anyhow::Ok(tokio::spawn(notifier.run(notifier_rx)))
    });
    let notifier = notifier.transpose()?;
    let worker = match app.config.role.as_str() {
        "all" | "worker" => {
            let config = canvass_dispatch::worker::DispatchConfig {
                receipt_timeout: app.config.receipt_timeout,
                lease: app.config.lease,
                ..Default::default()
            };
            match sending::start(&app, config, Vec::new(), clock).await {
                Ok(worker) => Some(worker),
                Err(e) if app.config.role == "all" => {
                    tracing::warn!(error = %e, "no worker: nothing will be sent until routes exist and the node restarts");
                    None
                }
                Err(e) => return Err(e),
            }
        }
        _ => None,
    };
    tracing::info!(http = %app.config.http, role = %app.config.role, worker = worker.is_some(), "canvass is serving");
    http_serve::serve(listener, router, shutdown_signal()).await;
    if let Some(worker) = worker {
        worker.stop().await;
    }
    let _ = stop_notifier.send(true);
    if let Some(notifier) = notifier {
        let _ = notifier.await;
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

//! The simulated MMSC, MM7 side: takes SubmitReq over HTTP (Basic auth when the simulator has
//! credentials), answers by each recipient's personality, sends DeliveryReportReq and, on request,
//! DeliverReq to the VASP, and serves `GET /sim/stats`.
//!
//! [`Mmsc::start_tls`] serves the same over https. `SimConfig::rate_limit` throttles per user or connection.
//!
//! Routes: `POST /mm7` (and `POST /`) for MM7; `GET /mm7` answers 200 to an authorised client (health
//! checks); `POST /sim/vasp` with a URL as body registers where reports go; `GET /sim/stats`.

mod auth;
mod rate;
mod reports;
mod server;
mod soap;
mod submit;
mod tls;

pub(crate) use tls::client_config as tls_client_config;
pub use tls::{MmscTls, install_default_crypto_provider};

use std::{
    collections::HashSet,
    io,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use canvass_mm7::Namespace;
use tokio::sync::watch;

use crate::{SimConfig, Stats};

/// The interface name in [`Stats`].
pub(crate) const INTERFACE: &str = "mm7";

/// Why the MMSC could not send the VASP a request.
#[derive(Debug, thiserror::Error)]
pub enum MmscError {
    /// No VASP URL registered yet.
    #[error("no VASP URL registered (Mmsc::set_report_url or POST /sim/vasp)")]
    NoVaspUrl,
    /// The request could not be written.
    #[error("cannot write the MM7 request: {0}")]
    Encode(String),
    /// The VASP could not be reached, or failed (5xx), after retries.
    #[error("the VASP did not take the request: {0}")]
    Vasp(String),
    /// The VASP answered with an error.
    #[error("the VASP refused the request: {0}")]
    Refused(String),
}

/// A media part of a DeliverReq the simulator sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimMedia {
    /// MIME type, e.g. `image/jpeg`.
    pub content_type: String,
    /// File name (Content-Location).
    pub name: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// State shared by every connection.
pub(crate) struct Shared {
    pub(crate) config: Arc<SimConfig>,
    pub(crate) stats: Arc<Stats>,
    pub(crate) client: reqwest::Client,
    report_url: Mutex<Option<String>>,
    /// Basic credentials (user, password) for requests to the VASP.
    report_credentials: Mutex<Option<(String, String)>>,
    /// `rate_limit` windows per Basic-auth user.
    pub(crate) user_rates: rate::UserRates,
    /// The namespace the VASP last submitted in: DeliverReq uses it too.
    namespace: Mutex<Namespace>,
    /// Throttling numbers already throttled once.
    throttled: Mutex<HashSet<String>>,
    submits: AtomicU64,
    serial: AtomicU64,
    shutdown: watch::Sender<bool>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means a handler panicked; the data is still usable.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl Shared {
    pub(crate) fn report_url(&self) -> Option<String> {
        lock(&self.report_url).clone()
    }

    pub(crate) fn report_credentials(&self) -> Option<(String, String)> {
        lock(&self.report_credentials).clone()
    }

    pub(crate) fn namespace(&self) -> Namespace {
        lock(&self.namespace).clone()
    }

    pub(crate) fn remember_namespace(&self, namespace: &Namespace) {
        *lock(&self.namespace) = namespace.clone();
    }

    /// True the first time `number` submits.
    pub(crate) fn first_submit_to(&self, number: &str) -> bool {
        lock(&self.throttled).insert(number.to_string())
    }

    /// Every `throttle_every`th submit is throttled, whatever the number.
    pub(crate) fn throttle_this_submit(&self) -> bool {
        let every = u64::from(self.config.throttle_every);
        let count = self.submits.fetch_add(1, Ordering::Relaxed) + 1;
        every > 0 && count.is_multiple_of(every)
    }

    pub(crate) fn next_message_id(&self) -> String {
        format!(
            "sim-mm7-{}",
            self.serial.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    pub(crate) fn transaction_id(&self, kind: &str) -> String {
        format!(
            "sim-{kind}-{}",
            self.serial.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    pub(crate) async fn until_shutdown(&self) {
        let mut stopped = self.shutdown.subscribe();
        let _ = stopped.wait_for(|stop| *stop).await;
    }
}

/// A running MMSC.
pub struct Mmsc {
    shared: Arc<Shared>,
    local_addr: SocketAddr,
    https: bool,
}

impl Mmsc {
    /// Listens on `addr` (plain HTTP) and serves until [`Mmsc::shutdown`] (or drop).
    pub async fn start(
        addr: SocketAddr,
        config: Arc<SimConfig>,
        stats: Arc<Stats>,
    ) -> io::Result<Mmsc> {
        Self::listen(addr, config, stats, None).await
    }

    /// Listens on `addr` over https with the certificate and key in `tls`.
    pub async fn start_tls(
        addr: SocketAddr,
        config: Arc<SimConfig>,
        stats: Arc<Stats>,
        tls: &MmscTls,
    ) -> io::Result<Mmsc> {
        let acceptor = tls.acceptor()?;
        Self::listen(addr, config, stats, Some(acceptor)).await
    }

    async fn listen(
        addr: SocketAddr,
        config: Arc<SimConfig>,
        stats: Arc<Stats>,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) -> io::Result<Mmsc> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let client = crate::client::http_client(std::time::Duration::from_secs(10))?;
        let (shutdown, stopped) = watch::channel(false);
        let shared = Arc::new(Shared {
            config,
            stats,
            client,
            report_url: Mutex::new(None),
            report_credentials: Mutex::new(None),
            user_rates: rate::UserRates::default(),
            namespace: Mutex::new(Namespace::default()),
            throttled: Mutex::new(HashSet::new()),
            submits: AtomicU64::new(0),
            serial: AtomicU64::new(0),
            shutdown,
        });
        let https = tls.is_some();
        tokio::spawn(server::serve(
            listener,
            router(shared.clone()),
            tls,
            stopped,
        ));
        Ok(Mmsc {
            shared,
            local_addr,
            https,
        })
    }

    /// Where it listens.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The MM7 endpoint URL to give a VASP.
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}/mm7", self.local_addr)
    }

    /// Where delivery reports and DeliverReq go (the VASP's MM7 endpoint); sent without credentials.
    pub fn set_report_url(&self, url: impl Into<String>) {
        self.set_report_target(url, None);
    }

    /// Where delivery reports and DeliverReq go, and the Basic credentials (user, password) to send with
    /// them; `None` sends none.
    pub fn set_report_target(&self, url: impl Into<String>, credentials: Option<(String, String)>) {
        *lock(&self.shared.report_url) = Some(url.into());
        *lock(&self.shared.report_credentials) = credentials;
    }

    /// Makes handset `from` send an MMS to the VASP's number `to`: a DeliverReq with `text` and `media`.
    pub async fn send_deliver(
        &self,
        from: &str,
        to: &str,
        text: &str,
        media: &[SimMedia],
    ) -> Result<(), MmscError> {
        reports::deliver(&self.shared, from, to, text, media).await
    }

    /// The counters.
    pub fn stats(&self) -> &Arc<Stats> {
        &self.shared.stats
    }

    /// Stops listening and drops every connection.
    pub fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
    }
}

impl Drop for Mmsc {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/mm7", post(submit::submit).get(probe))
        .route("/", post(submit::submit))
        .route("/sim/stats", get(stats))
        .route("/sim/vasp", post(register_vasp))
        .with_state(shared)
}

/// `GET /mm7`: a health check. 401 without valid credentials, else 200.
async fn probe(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match auth::check(&shared.config, &headers) {
        Some(refusal) => refusal,
        None => (StatusCode::OK, "MM7 endpoint: POST a SubmitReq").into_response(),
    }
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.stats.snapshot()).into_response()
}

/// `POST /sim/vasp` with the VASP's MM7 URL as the body.
async fn register_vasp(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match std::str::from_utf8(&body).map(str::trim) {
        Ok(url) if url.starts_with("http://") || url.starts_with("https://") => {
            *lock(&shared.report_url) = Some(url.to_string());
            (StatusCode::NO_CONTENT, "").into_response()
        }
        _ => (
            StatusCode::BAD_REQUEST,
            "body must be the VASP's http(s) URL",
        )
            .into_response(),
    }
}

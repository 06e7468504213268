//! The settings of one MM7 route: where the MMSC is, who we are to it, and which schema it speaks.

use std::{net::SocketAddr, time::Duration};

use canvass_mm7::Namespace;

use crate::backoff::Backoff;

/// One MM7 route (VASP → MMSC).
#[derive(Debug, Clone)]
pub struct Mm7Config {
    /// The route's name, for logs and metrics.
    pub name: String,
    /// The MMSC's MM7 endpoint, `http://` or `https://`, e.g. `https://mmsc.example:8443/mm7`.
    pub url: String,
    /// HTTP Basic user; `None` sends no Authorization header.
    pub username: Option<String>,
    /// HTTP Basic password.
    pub password: Option<String>,
    /// `VASPID` the MMSC gave us.
    pub vasp_id: Option<String>,
    /// `VASID` the MMSC gave us.
    pub vas_id: Option<String>,
    /// `ServiceCode` for charging, when the MMSC wants one.
    pub service_code: Option<String>,
    /// The schema namespace this MMSC validates against (MMSCs reject elements of newer schemas).
    pub namespace: Namespace,
    /// `MM7Version`; `None` writes the namespace's usual version.
    pub mm7_version: Option<String>,
    /// How long one HTTP exchange may take before the submit counts as lost.
    pub timeout: Duration,
    /// How many times a submit that certainly did not go through (5xx, a temporary MM7 code, connection
    /// refused) is tried again before answering `TemporaryFailure`.
    pub retries: u32,
    /// The pause between those tries.
    pub retry_backoff: Backoff,
    /// The MMSC's size cap for the content; larger messages are refused without sending.
    pub max_message_bytes: Option<usize>,
    /// Submits awaiting the MMSC's answer at once.
    pub window: usize,
    /// Sustained submits per second the MMSC allows, when it said so (for routing; not enforced here).
    pub max_per_second: Option<u32>,
    /// Where to serve our own MM7 endpoint (delivery reports, read replies, DeliverReq); `None` leaves it to
    /// the caller to mount [`crate::Parts::receiver`] on a listener of its own.
    pub receiver_bind: Option<SocketAddr>,
    /// HTTP Basic credentials (user, password) the MMSC must present on its requests to our endpoint;
    /// `None` takes requests without credentials.
    pub receiver_credentials: Option<(String, String)>,
    /// Extra trusted root certificates for an https MMSC, each a PEM text with one or more certificates
    /// (an MMSC behind a private CA); the Mozilla roots are trusted too.
    pub tls_roots_pem: Vec<String>,
    /// Takes any certificate the MMSC shows: the link is encrypted but anyone can pose as the MMSC. For
    /// test benches only; never the default.
    pub danger_accept_invalid_certs: bool,
}

impl Mm7Config {
    /// A route to `url` with defaults: REL-6-MM7-1-4, 30 s timeout, 2 retries, window 32, no auth, the
    /// Mozilla roots for https.
    pub fn new(name: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            url: url.into(),
            username: None,
            password: None,
            vasp_id: None,
            vas_id: None,
            service_code: None,
            namespace: Namespace::default(),
            mm7_version: None,
            timeout: Duration::from_secs(30),
            retries: 2,
            retry_backoff: Backoff::new(Duration::from_millis(200), Duration::from_secs(5)),
            max_message_bytes: None,
            window: 32,
            max_per_second: None,
            receiver_bind: None,
            receiver_credentials: None,
            tls_roots_pem: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }

    /// Sets HTTP Basic credentials.
    pub fn with_credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.username = Some(username.into());
        self.password = Some(password.into());
        self
    }

    /// Trusts the certificates in `pem` as roots too, for an https MMSC behind a private CA.
    pub fn with_tls_root_pem(mut self, pem: impl Into<String>) -> Self {
        self.tls_roots_pem.push(pem.into());
        self
    }

    /// Makes our endpoint require HTTP Basic credentials from the MMSC.
    pub fn with_receiver_credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.receiver_credentials = Some((username.into(), password.into()));
        self
    }
}

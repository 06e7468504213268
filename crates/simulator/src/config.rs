//! Simulator settings: where it listens and how it paces itself.

use std::{net::SocketAddr, time::Duration};

/// Settings shared by every simulated interface.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// SMSC listener (SMPP); `None` leaves it off.
    pub smpp: Option<SocketAddr>,
    /// MMSC listener (MM7 over HTTP, MM1 content fetches, `/sim/*` control); `None` leaves it off.
    pub mm7: Option<SocketAddr>,
    /// RBM endpoint; `None` leaves it off.
    pub rbm: Option<SocketAddr>,
    /// Twilio-shaped HTTP upstream; `None` leaves it off.
    pub upstream: Option<SocketAddr>,
    /// Control surface (`/sim/stats`, `/sim/mo`, webhook registration); `None` leaves it off.
    pub control: Option<SocketAddr>,
    /// Credentials a bind must present; `None` accepts any.
    pub credentials: Option<(String, String)>,
    /// Delay between accepting a message and sending its receipt.
    pub receipt_delay: Duration,
    /// Added before every submit answer (network and carrier latency), for benchmarks.
    pub latency: Duration,
    /// How long the `slow` personality waits before answering.
    pub slow_latency: Duration,
    /// Throttle every Nth submit on a session, whatever the number (0: never).
    pub throttle_every: u32,
    /// Submits per second per session before answering throttled (0: unlimited). A session is the SMPP bind;
    /// on MM7 the Basic-auth user, or the HTTP connection when the VASP sends no credentials; on RBM the agent
    /// and on the Twilio-shaped upstream the account.
    pub rate_limit: u32,
    /// Message id style. `false` (default): decimal everywhere. `true`: the submit_sm_resp (and the
    /// receipted_message_id TLV) carry the id in hex, while the receipt text's `id:` field carries the same number
    /// in decimal, the mismatch some real SMSCs have, which a client must match either way.
    pub hex_ids: bool,
    /// How long the SMSC lets a session stay silent before probing it with enquire_link; a session silent for
    /// twice this long (a half-open TCP connection) is closed.
    pub idle_timeout: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            smpp: Some(SocketAddr::from(([127, 0, 0, 1], 2776))),
            mm7: Some(SocketAddr::from(([127, 0, 0, 1], 8083))),
            rbm: Some(SocketAddr::from(([127, 0, 0, 1], 8084))),
            upstream: Some(SocketAddr::from(([127, 0, 0, 1], 8085))),
            control: Some(SocketAddr::from(([127, 0, 0, 1], 8086))),
            credentials: None,
            receipt_delay: Duration::from_millis(100),
            latency: Duration::ZERO,
            slow_latency: Duration::from_secs(2),
            throttle_every: 0,
            rate_limit: 0,
            hex_ids: false,
            idle_timeout: Duration::from_secs(30),
        }
    }
}

impl SimConfig {
    /// Every listener on an ephemeral loopback port, short delays: for tests.
    pub fn ephemeral() -> Self {
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        Self {
            smpp: Some(any),
            mm7: Some(any),
            rbm: Some(any),
            upstream: Some(any),
            control: Some(any),
            receipt_delay: Duration::from_millis(20),
            slow_latency: Duration::from_millis(300),
            ..Self::default()
        }
    }

    /// Whether a bind or HTTP login with these credentials is accepted.
    pub fn accepts(&self, user: &str, password: &str) -> bool {
        match &self.credentials {
            None => true,
            Some((u, p)) => u == user && p == password,
        }
    }
}

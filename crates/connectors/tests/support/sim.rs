//! The simulator's RBM endpoint and Twilio-shaped upstream, each with a connector built against it, for the
//! RCS and HTTP upstream tests.
#![allow(dead_code)]

use std::{net::SocketAddr, sync::Arc, time::Duration};

use canvass_connectors::{
    Built,
    http::{self, HttpConfig},
    kit::SimulatorProbe,
    rcs::{self, RcsConfig},
};
use canvass_simulator::{SimConfig, Stats, rbm::Rbm, upstream::Upstream};
use futures::future::BoxFuture;

#[path = "follow.rs"]
mod follow;
pub use follow::follow;

pub const CLIENT_TOKEN: &str = "rbm-client-token";
pub const AGENT_ID: &str = "canvass-test-agent";
pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";

fn any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

pub fn sim_config() -> Arc<SimConfig> {
    Arc::new(SimConfig::ephemeral())
}

/// The RBM endpoint, and a connector whose receiver it posts to.
pub struct RcsRig {
    pub rbm: Rbm,
    pub stats: Arc<Stats>,
    pub webhook: SocketAddr,
}

pub fn rcs_config(rbm: &Rbm) -> RcsConfig {
    let mut config = RcsConfig::new("rbm-test", rbm.base_url(), AGENT_ID, "test-bearer");
    config.client_token = Some(CLIENT_TOKEN.into());
    config.webhook_bind = Some(any_port());
    config.request_timeout = Duration::from_secs(1);
    config.retry_initial = Duration::from_millis(10);
    config
}

pub async fn rcs_rig_with(
    sim: Arc<SimConfig>,
    tweak: impl FnOnce(&mut RcsConfig),
) -> (RcsRig, Built) {
    let stats = Arc::new(Stats::default());
    let rbm = Rbm::start(any_port(), sim, stats.clone())
        .await
        .expect("start the RBM endpoint");
    let mut config = rcs_config(&rbm);
    tweak(&mut config);
    let (mut built, webhook) = rcs::build_listening(config)
        .await
        .expect("build the RCS connector");
    let webhook = webhook.expect("the receiver is served");
    built.events = follow(built.events);
    rbm.set_webhook(
        format!("http://{webhook}{}", rcs::WEBHOOK_PATH),
        CLIENT_TOKEN,
    );
    (
        RcsRig {
            rbm,
            stats,
            webhook,
        },
        built,
    )
}

pub async fn rcs_rig() -> (RcsRig, Built) {
    rcs_rig_with(sim_config(), |_| {}).await
}

impl SimulatorProbe for RcsRig {
    fn accepted_for<'a>(&'a self, to: &'a str) -> BoxFuture<'a, u64> {
        Box::pin(async move { self.stats.accepted_for(to) })
    }

    fn send_inbound<'a>(
        &'a self,
        from: &'a str,
        _to: &'a str,
        text: &'a str,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            self.rbm
                .send_user_message(from, text)
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// The Twilio-shaped upstream, and a connector whose receiver it posts to.
pub struct UpstreamRig {
    pub upstream: Upstream,
    pub stats: Arc<Stats>,
    pub receiver: SocketAddr,
}

impl UpstreamRig {
    pub fn inbound_url(&self) -> String {
        format!("http://{}{}", self.receiver, http::INBOUND_PATH)
    }

    pub fn status_url(&self) -> String {
        format!("http://{}{}", self.receiver, http::STATUS_PATH)
    }
}

pub async fn upstream_rig_with(
    sim: Arc<SimConfig>,
    tweak: impl FnOnce(&mut HttpConfig),
) -> (UpstreamRig, Built) {
    let stats = Arc::new(Stats::default());
    let upstream = Upstream::start(any_port(), sim, stats.clone())
        .await
        .expect("start the upstream");
    let mut config = HttpConfig::new(
        "upstream-test",
        upstream.base_url(),
        ACCOUNT_SID,
        upstream.auth_token(),
    );
    config.webhook_bind = Some(any_port());
    config.request_timeout = Duration::from_secs(1);
    config.retry_initial = Duration::from_millis(10);
    tweak(&mut config);
    let (mut built, receiver) = http::build_listening(config)
        .await
        .expect("build the HTTP connector");
    let receiver = receiver.expect("the receiver is served");
    built.events = follow(built.events);
    (
        UpstreamRig {
            upstream,
            stats,
            receiver,
        },
        built,
    )
}

pub async fn upstream_rig() -> (UpstreamRig, Built) {
    upstream_rig_with(sim_config(), |_| {}).await
}

impl SimulatorProbe for UpstreamRig {
    fn accepted_for<'a>(&'a self, to: &'a str) -> BoxFuture<'a, u64> {
        Box::pin(async move { self.stats.accepted_for(to) })
    }

    fn send_inbound<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
        text: &'a str,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            self.upstream
                .send_inbound(from, to, text, &self.inbound_url())
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// Waits for the first event `pick` accepts, up to five seconds.
pub async fn next_matching<T>(
    events: &mut canvass_connectors::EventStream,
    mut pick: impl FnMut(&canvass_connectors::ConnectorEvent) -> Option<T>,
) -> Option<T> {
    use futures::StreamExt;
    let wait = async {
        while let Some(event) = events.next().await {
            if let Some(found) = pick(&event) {
                return Some(found);
            }
        }
        None
    };
    tokio::time::timeout(Duration::from_secs(5), wait)
        .await
        .ok()
        .flatten()
}

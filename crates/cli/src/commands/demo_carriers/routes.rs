//! The five routes the tour sends over, each built the way a deployment builds it and pointed at the embedded
//! simulator: SMPP, MM1 (WAP Push over a second SMPP route), MM7, RCS (RBM) and a Twilio-compatible upstream.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context;
use canvass_connectors::{
    Built, Connector,
    backoff::Backoff,
    http::{self, HttpConfig},
    mm1::{self, Mm1Config, PushSender},
    mm7::{self, Mm7Config},
    rcs::{self, RcsConfig},
    smpp::{self, SmppConfig},
};
use canvass_simulator::Simulator;

use super::events::Events;

/// The demo's RBM agent and its webhook's client token (the simulator signs events with it).
const AGENT_ID: &str = "canvass-demo-agent";
const CLIENT_TOKEN: &str = "canvass-demo-client-token";
/// The simulator's upstream takes any account; this one has Twilio's shape.
const ACCOUNT_SID: &str = "AC00000000000000000000000000demo";

/// A built route and what it reported.
pub struct Route {
    pub name: &'static str,
    pub connector: Arc<dyn Connector>,
    pub events: Events,
}

impl Route {
    fn of(name: &'static str, built: Built) -> Self {
        Self {
            name,
            connector: built.connector,
            events: Events::follow(built.events),
        }
    }
}

/// Every route of the tour.
pub struct Routes {
    pub smpp: Route,
    pub mm1: Route,
    pub mm7: Route,
    pub rcs: Route,
    pub upstream: Route,
    /// The SMPP route under MM1, closed with the others.
    push: Arc<dyn Connector>,
}

fn any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

fn smpp_config(name: &str, smsc: SocketAddr) -> SmppConfig {
    let mut config = SmppConfig::new(name, smsc.to_string(), name, "demo");
    // Loopback answers in microseconds: keep waits short so that a fault shows within the tour's bounds.
    config.response_timeout = Duration::from_secs(2);
    config.bind_wait = Duration::from_secs(2);
    config.reconnect = Backoff::new(Duration::from_millis(20), Duration::from_millis(500));
    config
}

impl Routes {
    /// Builds every route against `sim`, whose every interface must be running.
    pub async fn build(sim: &Simulator) -> anyhow::Result<Self> {
        let (Some(smsc), Some(mmsc), Some(rbm), Some(upstream)) =
            (&sim.smsc, &sim.mmsc, &sim.rbm, &sim.upstream)
        else {
            anyhow::bail!("the tour needs every simulator interface running");
        };
        let smpp = smpp::build(smpp_config("demo-smpp", smsc.local_addr()))
            .await
            .context("SMPP route")?;

        let push = smpp::build_smpp(smpp_config("demo-push", smsc.local_addr()))
            .await
            .context("the SMPP route under MM1")?;
        let pusher: Arc<dyn PushSender> = push.connector.clone();
        let push_connector: Arc<dyn Connector> = push.connector;
        let mm1 = mm1::build(Mm1Config::new("demo-mm1", any_port()), pusher, push.events)
            .await
            .context("MM1 route")?;

        let mut mm7_config = Mm7Config::new("demo-mm7", mmsc.url());
        mm7_config.vasp_id = Some("canvass-demo".into());
        mm7_config.timeout = Duration::from_secs(2);
        mm7_config.receiver_bind = Some(any_port());
        let mm7 = mm7::build_parts(mm7_config).await.context("MM7 route")?;
        let report_url = mm7
            .receiver_url(mm7::RECEIVER_PATH)
            .context("the MM7 route serves its receiver")?;
        mmsc.set_report_url(report_url);

        let mut rcs_config = RcsConfig::new("demo-rcs", rbm.base_url(), AGENT_ID, "demo-bearer");
        rcs_config.client_token = Some(CLIENT_TOKEN.into());
        rcs_config.webhook_bind = Some(any_port());
        rcs_config.request_timeout = Duration::from_secs(2);
        let (rcs, webhook) = rcs::build_listening(rcs_config)
            .await
            .context("RCS route")?;
        let webhook = webhook.context("the RCS route serves its webhook")?;
        rbm.set_webhook(
            format!("http://{webhook}{}", rcs::WEBHOOK_PATH),
            CLIENT_TOKEN,
        );

        let mut http_config = HttpConfig::new(
            "demo-upstream",
            upstream.base_url(),
            ACCOUNT_SID,
            upstream.auth_token(),
        );
        http_config.webhook_bind = Some(any_port());
        http_config.request_timeout = Duration::from_secs(2);
        let (upstream, _) = http::build_listening(http_config)
            .await
            .context("Twilio-compatible route")?;

        Ok(Self {
            smpp: Route::of("smpp", smpp),
            mm1: Route::of("mm1 over smpp", mm1),
            mm7: Route::of("mm7", mm7.built),
            rcs: Route::of("rbm", rcs),
            upstream: Route::of("upstream", upstream),
            push: push_connector,
        })
    }

    /// Closes every route's sessions and listeners.
    pub async fn shutdown(&self) {
        for route in [&self.smpp, &self.mm1, &self.mm7, &self.rcs, &self.upstream] {
            route.connector.shutdown().await;
        }
        self.push.shutdown().await;
    }
}

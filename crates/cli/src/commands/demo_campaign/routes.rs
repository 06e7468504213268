//! The demo worker's routes, pointed at the in-process simulator: SMS over SMPP, MMS over MM7, RCS over RBM.

use anyhow::Context;
use canvass_connectors::{
    backoff::Backoff,
    mm7::{self, Mm7Config},
    rcs::{self, RcsConfig},
    smpp::{self, SmppConfig},
};
use canvass_server::sending::BuiltRoute;
use canvass_simulator::Simulator;
use std::net::SocketAddr;
use std::time::Duration;

const CLIENT_TOKEN: &str = "canvass-demo-client-token";

fn any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// Builds the three routes and points the simulator's reports at their receivers.
pub async fn build(sim: &Simulator) -> anyhow::Result<Vec<BuiltRoute>> {
    let (Some(smsc), Some(mmsc), Some(rbm)) = (&sim.smsc, &sim.mmsc, &sim.rbm) else {
        anyhow::bail!("the demo needs the simulator's SMSC, MMSC and RBM endpoint");
    };
    let mut config = SmppConfig::new("sim-sms", smsc.local_addr().to_string(), "demo", "demo");
    config.binds = 2;
    config.reconnect = Backoff::new(Duration::from_millis(20), Duration::from_millis(500));
    let sms = smpp::build(config).await.context("SMS route")?;

    let mut config = Mm7Config::new("sim-mms", mmsc.url());
    config.vasp_id = Some("canvass-demo".into());
    config.receiver_bind = Some(any_port());
    let mms = mm7::build_parts(config).await.context("MMS route")?;
    let report_url = mms
        .receiver_url(mm7::RECEIVER_PATH)
        .context("the MMS route serves its receiver")?;
    mmsc.set_report_url(report_url);

    let mut config = RcsConfig::new(
        "sim-rcs",
        rbm.base_url(),
        "canvass-demo-agent",
        "demo-bearer",
    );
    config.client_token = Some(CLIENT_TOKEN.into());
    config.webhook_bind = Some(any_port());
    let (rcs, webhook) = rcs::build_listening(config).await.context("RCS route")?;
    let webhook = webhook.context("the RCS route serves its webhook")?;
    rbm.set_webhook(
        format!("http://{webhook}{}", rcs::WEBHOOK_PATH),
        CLIENT_TOKEN,
    );

    Ok(vec![
        BuiltRoute {
            connector: rcs.connector,
            events: rcs.events,
            receiver: Some(webhook),
            underlying: Vec::new(),
        },
        BuiltRoute {
            connector: mms.built.connector,
            events: mms.built.events,
            receiver: mms.receiver_addr,
            underlying: Vec::new(),
        },
        BuiltRoute {
            connector: sms.connector,
            events: sms.events,
            receiver: None,
            underlying: Vec::new(),
        },
    ])
}

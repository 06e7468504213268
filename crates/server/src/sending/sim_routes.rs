//! Routes to a carrier simulator on known addresses: SMS over SMPP, MMS over MM7, RCS over RBM, each with its
//! receiver on an ephemeral loopback port. The demo, the benchmarks and the tests send through these; the caller
//! tells the simulator where the receivers are ([`SimReceivers`]).

use super::BuiltRoute;
use anyhow::Context;
use canvass_connectors::{
    backoff::Backoff,
    mm7::{self, Mm7Config},
    rcs::{self, RcsConfig},
    smpp::{self, SmppConfig},
};
use std::net::SocketAddr;
use std::time::Duration;

/// The RBM webhook's client token the simulator must sign events with.
pub const CLIENT_TOKEN: &str = "canvass-sim-client-token";

/// Where the simulator listens.
#[derive(Debug, Clone)]
pub struct SimAddrs {
    /// SMSC.
    pub smpp: SocketAddr,
    /// MMSC's MM7 URL.
    pub mm7_url: String,
    /// RBM base URL.
    pub rbm_url: String,
    /// SMPP binds to hold.
    pub smpp_binds: usize,
}

/// Where the simulator must send reports and events.
#[derive(Debug, Clone)]
pub struct SimReceivers {
    /// MM7 DeliveryReportReq / DeliverReq.
    pub mm7_report_url: String,
    /// RBM events.
    pub rbm_webhook_url: String,
}

fn any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// Builds the three routes (named `sim-rcs`, `sim-mms`, `sim-sms`, richest first).
pub async fn build(addrs: &SimAddrs) -> anyhow::Result<(Vec<BuiltRoute>, SimReceivers)> {
    let mut config = SmppConfig::new("sim-sms", addrs.smpp.to_string(), "canvass", "canvass");
    config.binds = addrs.smpp_binds.max(1);
    config.reconnect = Backoff::new(Duration::from_millis(20), Duration::from_millis(500));
    let sms = smpp::build(config).await.context("SMS route")?;

    let mut config = Mm7Config::new("sim-mms", addrs.mm7_url.clone());
    config.vasp_id = Some("canvass".into());
    config.receiver_bind = Some(any_port());
    let mms = mm7::build_parts(config).await.context("MMS route")?;
    let mm7_report_url = mms
        .receiver_url(mm7::RECEIVER_PATH)
        .context("the MMS route serves its receiver")?;

    let mut config = RcsConfig::new(
        "sim-rcs",
        addrs.rbm_url.clone(),
        "canvass-agent",
        "canvass-bearer",
    );
    config.client_token = Some(CLIENT_TOKEN.into());
    config.webhook_bind = Some(any_port());
    let (rcs, webhook) = rcs::build_listening(config).await.context("RCS route")?;
    let webhook = webhook.context("the RCS route serves its webhook")?;

    let routes = vec![
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
    ];
    Ok((
        routes,
        SimReceivers {
            mm7_report_url,
            rbm_webhook_url: format!("http://{webhook}{}", rcs::WEBHOOK_PATH),
        },
    ))
}

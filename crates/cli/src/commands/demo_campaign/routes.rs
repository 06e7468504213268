//! The demo worker's routes, pointed at the in-process simulator.

use anyhow::Context;
use canvass_server::sending::BuiltRoute;
use canvass_server::sending::sim_routes::{self, CLIENT_TOKEN, SimAddrs};
use canvass_simulator::Simulator;

/// Builds SMS, MMS and RCS routes to `sim` and points its reports at their receivers.
pub async fn build(sim: &Simulator) -> anyhow::Result<Vec<BuiltRoute>> {
    let (Some(smsc), Some(mmsc), Some(rbm)) = (&sim.smsc, &sim.mmsc, &sim.rbm) else {
        anyhow::bail!("the demo needs the simulator's SMSC, MMSC and RBM endpoint");
    };
    let (routes, receivers) = sim_routes::build(&SimAddrs {
        smpp: smsc.local_addr(),
        mm7_url: mmsc.url(),
        rbm_url: rbm.base_url(),
        smpp_binds: 2,
    })
    .await
    .context("routes to the built-in simulator")?;
    mmsc.set_report_url(receivers.mm7_report_url);
    rbm.set_webhook(receivers.rbm_webhook_url, CLIENT_TOKEN);
    Ok(routes)
}

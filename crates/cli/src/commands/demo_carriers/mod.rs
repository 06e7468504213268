//! The carriers part of `canvass demo`: the built-in simulator on ephemeral ports, a route of each kind pointed
//! at it, and one message per interesting case, each waited for until its receipt or event says what happened.

mod cases;
mod content;
mod events;
mod routes;

use std::{net::SocketAddr, time::Duration};

use anyhow::Context;
use canvass_simulator::{SimConfig, Simulator};

use routes::Routes;

/// One message of the tour and what became of it.
#[derive(Debug, Clone)]
pub struct Row {
    /// SMS, MMS or RCS.
    pub channel: &'static str,
    /// The route it went over.
    pub route: String,
    /// The recipient (a magic number choosing the simulator's behaviour).
    pub to: String,
    /// The final word: delivered, read, undeliverable, permanent 0x0000000B, not_rcs_capable…
    pub outcome: String,
    /// What the receipt or event said.
    pub detail: String,
    /// From submit to the final answer.
    pub elapsed_ms: u64,
}

/// The simulator with every interface on an ephemeral loopback port, and a receipt delay like a real carrier's.
pub async fn start_simulator() -> anyhow::Result<Simulator> {
    Simulator::start(SimConfig {
        receipt_delay: Duration::from_millis(100),
        ..SimConfig::ephemeral()
    })
    .await
    .context("starting the built-in simulator")
}

/// Sends every case over its route to `sim` and reports each, in a fixed order.
pub async fn tour(sim: &Simulator) -> anyhow::Result<Vec<Row>> {
    let routes = Routes::build(sim).await?;
    // Distinct numbers per case, so that the simulator's per-number counts stay readable.
    let (sms, mm1, mm7, rcs, upstream) = tokio::join!(
        cases::sms(&routes.smpp, 10),
        cases::mm1(&routes.mm1, 20),
        cases::mm7(&routes.mm7, 30),
        cases::rcs(&routes.rcs, 40),
        cases::upstream(&routes.upstream, 50),
    );
    routes.shutdown().await;
    let mut rows = sms;
    rows.extend([mm1, mm7]);
    rows.extend(rcs);
    rows.push(upstream);
    Ok(rows)
}

fn address(sim: &Simulator, name: &str) -> String {
    sim.listeners()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map_or_else(
            || "off".into(),
            |(_, addr): (_, SocketAddr)| addr.to_string(),
        )
}

/// The table's title: where each simulated interface listens.
pub fn title(sim: &Simulator) -> String {
    format!(
        "Carriers (built-in simulator: SMSC {}, MMSC {}, RBM {}, upstream {}):",
        address(sim, "smpp"),
        address(sim, "mm7"),
        address(sim, "rbm"),
        address(sim, "upstream"),
    )
}

/// The rows as an aligned table; columns are at least two spaces apart, so that a script can split them.
pub fn print_table(rows: &[Row]) {
    let width = |f: fn(&Row) -> usize, header: &str| {
        rows.iter()
            .map(f)
            .max()
            .unwrap_or(0)
            .max(header.chars().count())
    };
    let route = width(|r| r.route.chars().count(), "route");
    let to = width(|r| r.to.chars().count(), "to");
    let outcome = width(|r| r.outcome.chars().count(), "outcome");
    println!(
        "  {:<7}  {:<route$}  {:<to$}  {:<outcome$}  {:>7}  what happened",
        "channel", "route", "to", "outcome", "ms"
    );
    for row in rows {
        println!(
            "  {:<7}  {:<route$}  {:<to$}  {:<outcome$}  {:>7}  {}",
            row.channel, row.route, row.to, row.outcome, row.elapsed_ms, row.detail
        );
    }
}

/// The simulator's totals, as `GET /sim/stats` serves them, in one line.
pub fn stats_line(sim: &Simulator) -> String {
    let stats = sim.stats().snapshot();
    let interfaces: Vec<String> = stats
        .by_interface
        .iter()
        .map(|(name, c)| format!("{name} {}/{}/{}", c.accepted, c.refused, c.receipts))
        .collect();
    format!(
        "Simulator /sim/stats: {} accepted ({} distinct, {} duplicates); accepted/refused/receipts by interface: {}",
        stats.accepted_total,
        stats.distinct_messages,
        stats.duplicates,
        interfaces.join(", ")
    )
}

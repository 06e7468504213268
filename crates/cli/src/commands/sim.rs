//! `canvass sim`: the carrier simulator on its own, until interrupted.

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use anyhow::Context;
use canvass_simulator::{SimConfig, Simulator};

use crate::args::SimArgs;

fn listener(flag: &str, value: &str) -> anyhow::Result<Option<SocketAddr>> {
    if value.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .with_context(|| format!("--{flag} {value:?}: expected HOST:PORT or off"))
}

/// The simulator's settings from the command line.
pub fn config(args: &SimArgs) -> anyhow::Result<SimConfig> {
    Ok(SimConfig {
        smpp: listener("smpp", &args.smpp)?,
        mm7: listener("mm7", &args.mm7)?,
        rbm: listener("rbm", &args.rbm)?,
        upstream: listener("upstream", &args.upstream)?,
        control: listener("control", &args.control)?,
        credentials: args.system_id.clone().zip(args.password.clone()),
        receipt_delay: Duration::from_millis(args.receipt_delay_ms),
        latency: Duration::from_millis(args.latency_ms),
        slow_latency: Duration::from_millis(args.slow_ms),
        throttle_every: args.throttle_every,
        rate_limit: args.rate_limit,
        hex_ids: args.hex_ids,
        ..SimConfig::default()
    })
}

pub async fn run(args: SimArgs) -> anyhow::Result<ExitCode> {
    let sim = Simulator::start(config(&args)?)
        .await
        .context("starting the simulator")?;
    let listeners = sim.listeners();
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> = listeners
            .iter()
            .map(|(name, addr)| (name.to_string(), addr.to_string().into()))
            .collect();
        println!("{}", serde_json::Value::Object(map));
    } else {
        for (name, addr) in &listeners {
            eprintln!("simulator {name:8} listening on {addr}");
        }
        if let Some(control) = sim.control {
            eprintln!(
                "statistics: GET http://{control}/sim/stats; a handset's message: POST http://{control}/sim/mo"
            );
            eprintln!(
                "  {{\"via\": \"smpp\", \"from\": \"+12025550123\", \"to\": \"12345\", \"text\": \"STOP\"}}"
            );
        }
    }
    tokio::signal::ctrl_c().await?;
    Ok(ExitCode::SUCCESS)
}

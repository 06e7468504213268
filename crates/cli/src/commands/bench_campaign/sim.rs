//! The simulator as a child process, one per measured run: its CPU, memory and statistics maps are then
//! neither side's, and each run's accepted and duplicate counts are its own.

use super::super::sim_child::SimChild;
use anyhow::Context;
use std::net::SocketAddr;

/// A running `canvass sim`; killed on drop.
pub struct SimProcess {
    _child: SimChild,
    pub smpp: SocketAddr,
    pub mm7: SocketAddr,
    control: SocketAddr,
}

/// What the simulator counted over one run.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct SimCounts {
    pub accepted: u64,
    pub duplicates: u64,
}

impl SimProcess {
    /// Starts SMSC, MMSC and control on free ports, with receipts `receipt_delay_ms` after acceptance.
    pub fn start(receipt_delay_ms: u64) -> anyhow::Result<Self> {
        let args = [
            "--smpp",
            "127.0.0.1:0",
            "--mm7",
            "127.0.0.1:0",
            "--rbm",
            "off",
            "--upstream",
            "off",
            "--control",
            "127.0.0.1:0",
            "--receipt-delay-ms",
        ];
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.push(receipt_delay_ms.to_string());
        let child = SimChild::start(&args)?;
        Ok(Self {
            smpp: child.addr("smpp")?,
            mm7: child.addr("mm7")?,
            control: child.addr("control")?,
            _child: child,
        })
    }

    /// The MMSC's MM7 endpoint.
    pub fn mm7_url(&self) -> String {
        format!("http://{}/mm7", self.mm7)
    }

    /// Points the MMSC's delivery reports at our receiver.
    pub async fn set_mm7_reports(&self, url: &str) -> anyhow::Result<()> {
        let response = reqwest::Client::new()
            .post(format!("http://{}/sim/mm7-reports", self.control))
            .json(&serde_json::json!({ "url": url }))
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "the simulator refused the MM7 report URL: {}",
            response.status()
        );
        Ok(())
    }

    /// Accepted submits and duplicates so far.
    pub async fn counts(&self) -> anyhow::Result<SimCounts> {
        let stats: serde_json::Value = reqwest::get(format!("http://{}/sim/stats", self.control))
            .await?
            .json()
            .await
            .context("the simulator's statistics")?;
        Ok(SimCounts {
            accepted: stats["accepted_total"].as_u64().unwrap_or(0),
            duplicates: stats["duplicates"].as_u64().unwrap_or(0),
        })
    }
}

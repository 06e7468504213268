//! The simulator as a child process, one per measured run: its CPU, memory and statistics maps are then
//! neither side's, and each run's accepted and duplicate counts are its own.

use anyhow::Context;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

/// A running `canvass sim`; killed on drop.
pub struct SimProcess {
    child: Child,
    pub smpp: SocketAddr,
    pub mm7: SocketAddr,
    control: SocketAddr,
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
        let exe = std::env::current_exe()?;
        let mut child = Command::new(exe)
            .args(["sim", "--smpp", "127.0.0.1:0", "--mm7", "127.0.0.1:0"])
            .args([
                "--rbm",
                "off",
                "--upstream",
                "off",
                "--control",
                "127.0.0.1:0",
            ])
            .args([
                "--receipt-delay-ms",
                &receipt_delay_ms.to_string(),
                "--json",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting `canvass sim`")?;
        let stdout = child.stdout.take().context("simulator stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let listeners: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("simulator said {line:?}"))?;
        let addr = |name: &str| -> anyhow::Result<SocketAddr> {
            listeners[name]
                .as_str()
                .with_context(|| format!("simulator has no {name} listener"))?
                .parse()
                .with_context(|| format!("simulator {name} address"))
        };
        Ok(Self {
            smpp: addr("smpp")?,
            mm7: addr("mm7")?,
            control: addr("control")?,
            child,
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

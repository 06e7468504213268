//! `canvass sim` as a child process, for the benchmarks: its CPU, memory and statistics are then neither side's.

use anyhow::Context;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

/// A running `canvass sim` and the listeners it reported; killed on drop.
pub struct SimChild {
    child: Child,
    listeners: serde_json::Value,
}

impl Drop for SimChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SimChild {
    /// Runs `canvass sim ARGS --json` and reads the listeners line it prints first.
    pub fn start(args: &[String]) -> anyhow::Result<Self> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("sim")
            .args(args)
            .arg("--json")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting `canvass sim`")?;
        let stdout = child.stdout.take().context("simulator stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let listeners =
            serde_json::from_str(&line).with_context(|| format!("simulator said {line:?}"))?;
        Ok(Self { child, listeners })
    }

    /// The address of listener `name` (`smpp`, `mm7`, `control`, …).
    pub fn addr(&self, name: &str) -> anyhow::Result<SocketAddr> {
        self.listeners[name]
            .as_str()
            .with_context(|| format!("simulator has no {name} listener"))?
            .parse()
            .with_context(|| format!("simulator {name} address"))
    }
}

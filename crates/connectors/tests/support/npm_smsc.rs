//! Runs tests/peers/smsc.js (an SMSC on the npm `smpp` package) and reads what it logs.

use std::{path::PathBuf, process::Stdio, time::Duration};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines},
    process::{Child, ChildStdin, ChildStdout, Command},
};

use super::require_tool;

/// How long to wait for a line from the SMSC.
const WAIT: Duration = Duration::from_secs(10);

/// A running npm SMSC.
pub struct NpmSmsc {
    child: Child,
    stdin: ChildStdin,
    stdout: Lines<BufReader<ChildStdout>>,
    /// Every line it printed so far.
    pub seen: Vec<Value>,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

impl NpmSmsc {
    /// Starts it with `args`; `None` (after a skip line) when node or the npm packages are missing, unless
    /// CI is set.
    pub async fn start(args: &[&str]) -> Option<Self> {
        let node = require_tool("node")?;
        let peers = repo_root().join("tests/peers");
        if !peers.join("node_modules/smpp").is_dir() {
            assert!(
                std::env::var_os("CI").is_none(),
                "tests/peers/node_modules is missing under CI: run scripts/setup/node.sh"
            );
            println!("skip: tests/peers/node_modules is missing (run scripts/setup/node.sh)");
            return None;
        }
        let mut child = Command::new(node)
            .arg(peers.join("smsc.js"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts");
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
        let mut smsc = Self {
            child,
            stdin,
            stdout,
            seen: Vec::new(),
            port: 0,
        };
        let listening = smsc.wait_for(|line| line["event"] == "listening").await;
        smsc.port = listening["port"].as_u64().expect("a port") as u16;
        Some(smsc)
    }

    /// `127.0.0.1:port`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The next line that `pick` accepts; earlier lines are kept in `seen`.
    pub async fn wait_for(&mut self, pick: impl Fn(&Value) -> bool) -> Value {
        loop {
            let line = tokio::time::timeout(WAIT, self.stdout.next_line())
                .await
                .expect("the SMSC printed a line in time")
                .expect("the SMSC's stdout is readable")
                .expect("the SMSC is still running");
            let value: Value = serde_json::from_str(&line).expect("the SMSC prints JSON lines");
            self.seen.push(value.clone());
            if pick(&value) {
                return value;
            }
        }
    }

    /// Sends a command and waits until the SMSC has done it.
    pub async fn command(&mut self, command: Value) {
        let name = command["cmd"].clone();
        let mut line = command.to_string();
        line.push('\n');
        self.stdin
            .write_all(line.as_bytes())
            .await
            .expect("the SMSC reads stdin");
        let answer = self
            .wait_for(|v| v["cmd"] == name && (v["event"] == "done" || v["event"] == "error"))
            .await;
        assert_eq!(answer["event"], "done", "{command}: {answer}");
    }

    /// The next `count` submit_sm the SMSC logs.
    pub async fn submits(&mut self, count: usize) -> Vec<Value> {
        let mut submits = Vec::new();
        for _ in 0..count {
            submits.push(self.wait_for(|v| v["event"] == "submit_sm").await);
        }
        submits
    }

    /// Every submit_sm logged so far.
    pub fn seen_submits(&self) -> usize {
        self.seen
            .iter()
            .filter(|v| v["event"] == "submit_sm")
            .count()
    }

    /// Asks for a receipt.
    pub async fn receipt(&mut self, id: &str, stat: &str, err: &str, decimal: bool, tlvs: bool) {
        self.command(json!({
            "cmd": "receipt", "id": id, "stat": stat, "err": err, "decimal": decimal, "tlvs": tlvs
        }))
        .await;
    }
}

impl Drop for NpmSmsc {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

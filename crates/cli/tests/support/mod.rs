//! Shared by the CLI's end-to-end tests: running the real binary, reading its JSON, and the rule for external
//! validators that are not installed (fail under CI, skip elsewhere).
#![allow(dead_code)] // Each test binary uses a different subset.

#[path = "../../../mms/tests/support/tools.rs"]
mod tools;

#[allow(unused_imports)] // Only the validator tests use it.
pub use tools::{require_tool, venv_python};

use serde_json::Value as Json;
use std::path::Path;
use std::process::{Command, Output};

/// The `canvass` binary, with no database URL or config file leaking in from the environment.
pub fn canvass() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_canvass"));
    cmd.env_remove("CANVASS_DATABASE_URL")
        .env_remove("CANVASS_CONFIG");
    cmd
}

/// The binary with `--data-dir data_dir`.
pub fn canvass_in(data_dir: &Path) -> Command {
    let mut cmd = canvass();
    cmd.arg("--data-dir").arg(data_dir);
    cmd
}

/// Runs the binary with `args` and returns what it did.
pub fn run(args: &[&str]) -> Output {
    canvass()
        .args(args)
        .output()
        .expect("the canvass binary runs")
}

/// The JSON a successful run printed; panics with its stderr otherwise.
pub fn json_of(out: &Output) -> Json {
    assert!(
        out.status.success(),
        "canvass failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Runs `cmd`, which must succeed, and returns its JSON.
pub fn facts(cmd: &mut Command) -> Json {
    json_of(&cmd.output().expect("the canvass binary runs"))
}

/// A temporary path as an argument.
pub fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

/// A child process, killed when dropped.
pub struct Running(pub std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `canvass sim` on ephemeral ports (no Twilio-shaped upstream) and the listeners it reported.
pub fn start_sim() -> (Running, Json) {
    use std::io::{BufRead, BufReader};
    let mut child = canvass()
        .args(["sim", "--smpp", "127.0.0.1:0", "--mm7", "127.0.0.1:0"])
        .args(["--rbm", "127.0.0.1:0", "--upstream", "off"])
        .args(["--control", "127.0.0.1:0", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("canvass sim starts");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the listeners line");
    (
        running,
        serde_json::from_str(&line).expect("listeners as JSON"),
    )
}

/// Runs `cmd`, which must succeed; its output.
pub fn ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("canvass runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

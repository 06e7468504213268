//! Starting one program with its limits, collecting what it printed, and turning failures into [`Error::Tool`].

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::{Ffmpeg, Tool};
use crate::{Error, Result};

/// Most bytes kept from a child's stdout (ffprobe's JSON is a few KB; this only bounds a misbehaving child).
const MAX_STDOUT: u64 = 16 * 1024 * 1024;
/// Most bytes kept from a child's stderr; errors quote its last lines.
const MAX_STDERR: u64 = 1024 * 1024;
/// SIGXFSZ: what the kernel sends a process that writes past RLIMIT_FSIZE.
const SIGXFSZ: i32 = 25;

/// What a finished run printed.
#[derive(Debug, Clone)]
pub struct ToolOutput {
    /// Its standard output.
    pub stdout: Vec<u8>,
    /// Its standard error, lossily decoded.
    pub stderr: String,
}

impl Ffmpeg {
    /// Runs `tool` with `args` in `cwd`, under the timeout and the file-size limit. A non-zero exit, a signal or a
    /// timeout is an [`Error::Tool`] about `what`, quoting the last lines the tool printed.
    pub fn run<S: AsRef<OsStr>>(
        &self,
        tool: Tool,
        args: &[S],
        cwd: &Path,
        what: &str,
    ) -> Result<ToolOutput> {
        let program = match tool {
            Tool::Ffmpeg => &self.ffmpeg,
            Tool::Ffprobe => &self.ffprobe,
        };
        let mut command = match &self.prlimit {
            Some(prlimit) => {
                let mut c = Command::new(prlimit);
                c.arg(format!("--fsize={}", self.max_file_bytes))
                    .arg("--")
                    .arg(program);
                c
            }
            None => Command::new(program),
        };
        command
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let fail = |reason: String| Error::Tool {
            what: what.to_owned(),
            tool: tool.name(),
            reason,
        };
        let mut child = command
            .spawn()
            .map_err(|e| fail(format!("cannot start {}: {e}", program.display())))?;
        // Both pipes are drained on their own threads so that a chatty child never blocks on a full pipe.
        let stdout = child
            .stdout
            .take()
            .map(|s| thread::spawn(move || drain(s, MAX_STDOUT)));
        let stderr = child
            .stderr
            .take()
            .map(|s| thread::spawn(move || drain(s, MAX_STDERR)));
        let started = Instant::now();
        let deadline = started + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                Ok(None) => thread::sleep(Duration::from_millis(5)),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(fail(format!("cannot wait for it: {e}")));
                }
            }
        };
        let stdout = stdout.and_then(|h| h.join().ok()).unwrap_or_default();
        let stderr =
            String::from_utf8_lossy(&stderr.and_then(|h| h.join().ok()).unwrap_or_default())
                .into_owned();
        let Some(status) = status else {
            return Err(fail(format!(
                "timed out after {} s and was killed",
                self.timeout.as_secs_f64()
            )));
        };
        tracing::debug!(tool = tool.name(), what, elapsed_ms = started.elapsed().as_millis() as u64, %status, "media tool ran");
        if status.success() {
            return Ok(ToolOutput { stdout, stderr });
        }
        let how = match status.signal() {
            Some(SIGXFSZ) => format!(
                "wrote a file past the {} byte limit and was stopped",
                self.max_file_bytes
            ),
            Some(signal) => format!("killed by signal {signal}"),
            None => format!("exit status {}", status.code().unwrap_or(-1)),
        };
        Err(fail(format!("{how}: {}", last_lines(&stderr, 3))))
    }
}

fn drain(mut source: impl Read, limit: u64) -> Vec<u8> {
    let mut kept = Vec::new();
    let _ = source.by_ref().take(limit).read_to_end(&mut kept);
    // Whatever is past the limit is read and dropped, so the child can finish.
    let _ = std::io::copy(&mut source, &mut std::io::sink());
    kept
}

/// The last `n` non-empty lines of a tool's output, joined with " | ", for error messages.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines.len().saturating_sub(n);
    if lines.is_empty() {
        "(it printed nothing)".to_owned()
    } else {
        lines[start..].join(" | ")
    }
}

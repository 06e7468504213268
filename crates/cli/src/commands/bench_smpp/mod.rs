//! `canvass bench smpp`: submit → receipt matched, msgs/s, for our SMPP connector and for Kannel 1.4.5
//! (through its sendsms interface), against the same simulator process, for each latency × binds × window.
//! Prints the ratio per configuration and CPU-seconds per 100k messages for each side.

pub(super) mod cpu;
mod kannel;
mod ours;

use std::{net::SocketAddr, time::Duration};

use super::sim_child::SimChild;
use anyhow::bail;

/// HTTP requests the load driver keeps in flight against smsbox's sendsms.
const KANNEL_DRIVER_CONCURRENCY: usize = 64;

/// One measured run.
pub struct RunResult {
    pub sent: usize,
    pub matched: usize,
    pub elapsed: Duration,
    pub cpu_seconds: f64,
    pub driver_cpu_seconds: f64,
}

impl RunResult {
    fn rate(&self) -> f64 {
        self.matched as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn cpu_per_100k(&self) -> f64 {
        self.cpu_seconds * 100_000.0 / self.sent.max(1) as f64
    }
}

/// A port nothing listens on right now (Kannel takes ports only from its config file).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The simulator as a child process of its own, so that its CPU is neither side's.
struct SimProcess {
    _child: SimChild,
    smpp: SocketAddr,
}

impl SimProcess {
    fn start(latency: Duration) -> anyhow::Result<Self> {
        let mut args: Vec<String> = [
            "--smpp",
            "127.0.0.1:0",
            "--mm7",
            "off",
            "--rbm",
            "off",
            "--upstream",
            "off",
            "--control",
            "off",
            "--receipt-delay-ms",
            "0",
            "--latency-ms",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect();
        args.push(latency.as_millis().to_string());
        let child = SimChild::start(&args)?;
        Ok(Self {
            smpp: child.addr("smpp")?,
            _child: child,
        })
    }
}

/// Benchmark settings.
pub struct Settings {
    pub messages: usize,
    pub latencies_ms: Vec<u64>,
    pub binds: Vec<usize>,
    pub windows: Vec<usize>,
    pub seconds_per_run: f64,
    pub skip_kannel: bool,
}

/// Messages for one configuration: the requested count, or fewer when latency bounds the rate, so that a run
/// stays near `seconds_per_run`.
fn count_for(settings: &Settings, latency_ms: u64, binds: usize, window: usize) -> usize {
    if latency_ms == 0 {
        return settings.messages;
    }
    let bound = (binds * window) as f64 * 1000.0 / latency_ms as f64 * settings.seconds_per_run;
    (bound as usize).clamp(100, settings.messages)
}

pub async fn run(settings: Settings) -> anyhow::Result<std::process::ExitCode> {
    if !settings.skip_kannel && which("bearerbox").is_none() {
        bail!(
            "Kannel's bearerbox is not installed: run scripts/setup/system.sh --test, or pass --skip-kannel"
        );
    }
    let dir = tempfile::tempdir()?;
    println!(
        "{:>7} {:>5} {:>6} {:>7} | {:>10} {:>9} {:>8} | {:>8} {:>9} {:>8} {:>9} | {:>6}",
        "latency",
        "binds",
        "window",
        "msgs",
        "canvass/s",
        "matched",
        "cpu/100k",
        "kannel/s",
        "matched",
        "cpu/100k",
        "drv/100k",
        "ratio"
    );
    let mut all_matched = true;
    for &latency in &settings.latencies_ms {
        let sim = SimProcess::start(Duration::from_millis(latency))?;
        for &binds in &settings.binds {
            for &window in &settings.windows {
                let count = count_for(&settings, latency, binds, window);
                let tag = format!("l{latency}b{binds}w{window}");
                let ours = ours::run(sim.smpp, binds, window, count, &tag).await?;
                let theirs = if settings.skip_kannel {
                    None
                } else {
                    let run_dir = dir.path().join(&tag);
                    std::fs::create_dir_all(&run_dir)?;
                    let kannel = kannel::Kannel::start(kannel::KannelSetup {
                        smsc: sim.smpp,
                        binds,
                        window,
                        dir: &run_dir,
                    })
                    .await?;
                    // smsbox answers sendsms once bearerbox has queued the message, so the driver's own
                    // concurrency must not be what limits Kannel: keep plenty of requests in flight.
                    Some(kannel.run(count, KANNEL_DRIVER_CONCURRENCY, &tag).await?)
                };
                all_matched &= ours.matched == ours.sent
                    && theirs.as_ref().is_none_or(|t| t.matched == t.sent);
                print_row(latency, binds, window, count, &ours, theirs.as_ref());
            }
        }
    }
    println!(
        "msgs/s count a message when its DELIVRD receipt is matched; cpu/100k is CPU-seconds per 100k messages"
    );
    println!(
        "(canvass: the whole bench process; kannel: bearerbox + smsbox; drv: our HTTP load driver for Kannel)."
    );
    Ok(if all_matched {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}

fn print_row(
    latency: u64,
    binds: usize,
    window: usize,
    count: usize,
    ours: &RunResult,
    theirs: Option<&RunResult>,
) {
    let (k_rate, k_matched, k_cpu, k_driver, ratio) = match theirs {
        Some(t) => (
            format!("{:.0}", t.rate()),
            format!("{}/{}", t.matched, t.sent),
            format!("{:.2}", t.cpu_per_100k()),
            format!(
                "{:.2}",
                t.driver_cpu_seconds * 100_000.0 / t.sent.max(1) as f64
            ),
            format!("{:.1}x", ours.rate() / t.rate().max(1e-9)),
        ),
        None => ("-".into(), "-".into(), "-".into(), "-".into(), "-".into()),
    };
    println!(
        "{:>5}ms {:>5} {:>6} {:>7} | {:>10.0} {:>9} {:>8.2} | {:>8} {:>9} {:>8} {:>9} | {:>6}",
        latency,
        binds,
        window,
        count,
        ours.rate(),
        format!("{}/{}", ours.matched, ours.sent),
        ours.cpu_per_100k(),
        k_rate,
        k_matched,
        k_cpu,
        k_driver,
        ratio
    );
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .chain(["/usr/sbin", "/sbin"])
        .map(|dir| std::path::Path::new(dir).join(program))
        .find(|path| path.is_file())
}

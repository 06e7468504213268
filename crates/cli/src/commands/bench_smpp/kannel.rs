//! Kannel 1.4.5 as the benchmark's peer: bearerbox binds to the same simulator as our connector, and a load
//! driver sends through smsbox's sendsms interface, counting each message done when its delivery receipt comes
//! back through the dlr-url.

use std::{
    collections::HashSet,
    net::SocketAddr,
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use axum::{Router, extract::Query, routing::get};
use tokio::sync::Notify;

use super::cpu::cpu_seconds;
use super::{RunResult, free_port};

/// Running bearerbox and smsbox; killed on drop.
pub struct Kannel {
    children: Vec<Child>,
    sendsms: SocketAddr,
}

impl Drop for Kannel {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Kannel's settings for one run.
pub struct KannelSetup<'a> {
    pub smsc: SocketAddr,
    pub binds: usize,
    pub window: usize,
    pub dir: &'a Path,
}

impl Kannel {
    pub async fn start(setup: KannelSetup<'_>) -> anyhow::Result<Self> {
        let (admin, smsbox, sendsms) = (free_port()?, free_port()?, free_port()?);
        let mut conf = format!(
            "group = core\nadmin-port = {admin}\nadmin-password = bench\nsmsbox-port = {smsbox}\n\
             log-level = 4\nlog-file = \"{dir}/bearerbox.log\"\ndlr-storage = internal\n\
             sms-resend-retry = 0\n\n",
            dir = setup.dir.display()
        );
        // One smsc group per bind: Kannel has no "several binds" setting, it load-balances over groups. They
        // share one smsc-id because Kannel matches receipts per smsc-id, and the SMSC may send a receipt on any
        // bind of the account.
        for _ in 0..setup.binds {
            conf.push_str(&format!(
                "group = smsc\nsmsc = smpp\nsmsc-id = sim\nhost = {host}\nport = {port}\n\
                 transceiver-mode = true\nsmsc-username = bench\nsmsc-password = bench\nsystem-type = canvass\n\
                 max-pending-submits = {window}\nenquire-link-interval = 30\nreconnect-delay = 1\n\n",
                host = setup.smsc.ip(),
                port = setup.smsc.port(),
                window = setup.window,
            ));
        }
        conf.push_str(&format!(
            "group = smsbox\nbearerbox-host = 127.0.0.1\nbearerbox-port = {smsbox}\nsendsms-port = {sendsms}\n\
             log-level = 4\nlog-file = \"{dir}/smsbox.log\"\n\n\
             group = sendsms-user\nusername = bench\npassword = bench\nmax-messages = 1\n",
            dir = setup.dir.display()
        ));
        let conf_path = setup.dir.join("kannel.conf");
        std::fs::write(&conf_path, conf)?;
        let mut children = Vec::new();
        for program in ["bearerbox", "smsbox"] {
            let child = Command::new(program)
                .arg(&conf_path)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .with_context(|| {
                    format!("starting {program} (scripts/setup/system.sh --test installs Kannel)")
                })?;
            children.push(child);
            // smsbox connects to bearerbox's smsbox port; give bearerbox the head start it needs.
            wait_for_port(
                SocketAddr::from(([127, 0, 0, 1], smsbox)),
                Duration::from_secs(15),
            )
            .await?;
        }
        let sendsms = SocketAddr::from(([127, 0, 0, 1], sendsms));
        wait_for_port(sendsms, Duration::from_secs(15)).await?;
        let kannel = Self { children, sendsms };
        kannel.wait_until_bound(admin, setup.binds).await?;
        Ok(kannel)
    }

    fn pids(&self) -> Vec<u32> {
        self.children.iter().map(Child::id).collect()
    }

    fn cpu(&self) -> f64 {
        self.pids()
            .into_iter()
            .filter_map(|pid| cpu_seconds(Some(pid)))
            .sum()
    }

    /// Polls bearerbox's status page until every smsc group says "online".
    async fn wait_until_bound(&self, admin: u16, binds: usize) -> anyhow::Result<()> {
        let url = format!("http://127.0.0.1:{admin}/status.txt?password=bench");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(response) = client.get(&url).send().await {
                let text = response.text().await.unwrap_or_default();
                if text.matches("(online").count() >= binds {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                bail!("Kannel did not bind {binds} sessions to the simulator within 20 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sends `count` messages through sendsms with `concurrency` requests in flight, and waits for every
    /// delivered receipt to come back on the dlr-url.
    pub async fn run(
        &self,
        count: usize,
        concurrency: usize,
        tag: &str,
    ) -> anyhow::Result<RunResult> {
        let receipts = Arc::new(Receipts::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let dlr_addr = listener.local_addr()?;
        let app = Router::new()
            .route("/dlr", get(record_dlr))
            .with_state(receipts.clone());
        let server = tokio::spawn(async move { axum::serve(listener, app).await });

        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency)
            .build()?;
        let (cpu_kannel, cpu_driver, started) =
            (self.cpu(), cpu_seconds(None).unwrap_or(0.0), Instant::now());
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut workers = Vec::new();
        for _ in 0..concurrency {
            let (client, next, sendsms) = (client.clone(), next.clone(), self.sendsms);
            let tag = tag.to_owned();
            workers.push(tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if n >= count {
                        return Ok::<usize, anyhow::Error>(n);
                    }
                    let dlr = format!("http://{dlr_addr}/dlr?n={n}&s=%d");
                    let to = format!("+1215555{:04}", 2000 + n % 1000);
                    let text = format!("bench {tag} {n}");
                    let response = client
                        .get(format!("http://{sendsms}/cgi-bin/sendsms"))
                        .query(&[
                            ("username", "bench"),
                            ("password", "bench"),
                            ("from", "12025550200"),
                            ("to", to.as_str()),
                            ("text", text.as_str()),
                            ("dlr-mask", "1"),
                            ("dlr-url", dlr.as_str()),
                        ])
                        .send()
                        .await?;
                    if !response.status().is_success() && response.status().as_u16() != 202 {
                        bail!("sendsms refused message {n}: {}", response.status());
                    }
                }
            }));
        }
        for worker in workers {
            worker.await??;
        }
        let matched = receipts.wait_for(count, Duration::from_secs(120)).await;
        let elapsed = started.elapsed();
        server.abort();
        Ok(RunResult {
            sent: count,
            matched,
            elapsed,
            cpu_seconds: self.cpu() - cpu_kannel,
            driver_cpu_seconds: cpu_seconds(None).unwrap_or(0.0) - cpu_driver,
        })
    }
}

#[derive(Default)]
struct Receipts {
    delivered: Mutex<HashSet<usize>>,
    arrived: Notify,
}

impl Receipts {
    async fn wait_for(&self, count: usize, timeout: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.arrived.notified();
            let seen = self.delivered.lock().map(|d| d.len()).unwrap_or(0);
            if seen >= count || tokio::time::timeout_at(deadline, notified).await.is_err() {
                return seen;
            }
        }
    }
}

#[derive(serde::Deserialize)]
struct DlrParams {
    n: usize,
    s: u32,
}

async fn record_dlr(
    axum::extract::State(receipts): axum::extract::State<Arc<Receipts>>,
    Query(params): Query<DlrParams>,
) -> &'static str {
    // %d = 1 is "delivered to phone"; 8 (SMSC accepted) and others are intermediate.
    if params.s == 1 {
        if let Ok(mut delivered) = receipts.delivered.lock() {
            delivered.insert(params.n);
        }
        receipts.arrived.notify_waiters();
    }
    "ok"
}

async fn wait_for_port(addr: SocketAddr, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        if Instant::now() > deadline {
            bail!("nothing listened on {addr} within {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

//! The whole simulated carrier: every interface the configuration turns on, sharing one set of statistics.

use std::{io, net::SocketAddr, sync::Arc};

use tokio::sync::broadcast;

use crate::{
    SimConfig, Stats, control,
    handsets::{self, HandsetReport},
    mmsc::Mmsc,
    rbm::Rbm,
    smsc::Smsc,
    upstream::Upstream,
};

/// A running simulator.
pub struct Simulator {
    config: Arc<SimConfig>,
    stats: Arc<Stats>,
    /// The SMSC, when `config.smpp` is set.
    pub smsc: Option<Arc<Smsc>>,
    /// The MMSC, when `config.mm7` is set.
    pub mmsc: Option<Arc<Mmsc>>,
    /// The RBM endpoint, when `config.rbm` is set.
    pub rbm: Option<Arc<Rbm>>,
    /// The Twilio-shaped upstream, when `config.upstream` is set.
    pub upstream: Option<Arc<Upstream>>,
    /// Where the control surface listens, when `config.control` is set.
    pub control: Option<SocketAddr>,
    control_server: Option<tokio::task::JoinHandle<()>>,
    /// What the simulated handsets did with each MM1 notification the SMSC took.
    pub handset_reports: Option<broadcast::Receiver<Result<HandsetReport, String>>>,
}

impl Simulator {
    /// Starts every configured interface.
    pub async fn start(config: SimConfig) -> io::Result<Self> {
        let config = Arc::new(config);
        let stats = Arc::new(Stats::default());
        let smsc = match config.smpp {
            Some(addr) => Some(Arc::new(
                Smsc::start(addr, config.clone(), stats.clone()).await?,
            )),
            None => None,
        };
        let mmsc = match config.mm7 {
            Some(addr) => Some(Arc::new(
                Mmsc::start(addr, config.clone(), stats.clone()).await?,
            )),
            None => None,
        };
        let rbm = match config.rbm {
            Some(addr) => Some(Arc::new(
                Rbm::start(addr, config.clone(), stats.clone()).await?,
            )),
            None => None,
        };
        let upstream = match config.upstream {
            Some(addr) => Some(Arc::new(
                Upstream::start(addr, config.clone(), stats.clone()).await?,
            )),
            None => None,
        };
        let handset_reports = smsc
            .as_ref()
            .map(|smsc| handsets::start(smsc.wap_pushes(), config.clone(), stats.clone()));
        let (control, control_server) = match config.control {
            Some(addr) => {
                let interfaces = control::Interfaces {
                    stats: stats.clone(),
                    smsc: smsc.clone(),
                    mmsc: mmsc.clone(),
                    rbm: rbm.clone(),
                    upstream: upstream.clone(),
                };
                let (local, server) = control::serve(addr, interfaces).await?;
                (Some(local), Some(server))
            }
            None => (None, None),
        };
        Ok(Self {
            config,
            stats,
            smsc,
            mmsc,
            rbm,
            upstream,
            control,
            control_server,
            handset_reports,
        })
    }

    /// The settings it runs with.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// Its counters.
    pub fn stats(&self) -> &Arc<Stats> {
        &self.stats
    }

    /// Where each interface listens, for logs and tests: (name, address).
    pub fn listeners(&self) -> Vec<(&'static str, SocketAddr)> {
        let mut out = Vec::new();
        if let Some(s) = &self.smsc {
            out.push(("smpp", s.local_addr()));
        }
        if let Some(m) = &self.mmsc {
            out.push(("mm7", m.local_addr()));
        }
        if let Some(r) = &self.rbm {
            out.push(("rbm", r.local_addr()));
        }
        if let Some(u) = &self.upstream {
            out.push(("upstream", u.local_addr()));
        }
        if let Some(c) = self.control {
            out.push(("control", c));
        }
        out
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(server) = &self.control_server {
            server.abort();
        }
    }
}

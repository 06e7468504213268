//! The simulated SMSC: an SMPP 3.4/5.0 server on rusmpp's codec. It accepts binds (any, unless
//! [`SimConfig::credentials`] is set), submit_sm and data_sm, WAP Push included, answers each according to the
//! recipient's [`canvass_types::Personality`], sends delivery receipts after [`SimConfig::receipt_delay`], and
//! sends MO messages on request ([`Smsc::send_mo`]). Described in `docs/simulator.md`.

mod binds;
mod codec;
mod mo;
mod outbox;
mod receipt;
mod session;
mod submit;
mod wap;

/// Re-exports of the SMSC's framing, for the fuzz targets only (fuzz/); not an API.
#[doc(hidden)]
pub mod fuzzing {
    pub use super::codec::{Frame, FrameError, SmppCodec};
}

use std::{
    collections::HashSet,
    io,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use tokio::{net::TcpListener, sync::broadcast, task::JoinHandle};
use tokio_util::sync::CancellationToken;

pub use codec::MAX_COMMAND_LENGTH;
pub use wap::{WAP_PUSH_PORT, WapPush};

use crate::{SimConfig, Stats};
use receipt::{MessageId, Outcome, Receipted};
use session::INTERFACE;

/// What the SMSC cannot do on request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SmscError {
    /// No receiver or transceiver bind is up to take an MO message.
    #[error("no receiver or transceiver bind is up")]
    NoReceiver,
    /// An address that SMPP cannot carry (at most 20 ASCII characters).
    #[error("address {0:?} does not fit SMPP (at most 20 ASCII characters)")]
    Address(String),
    /// A message too long for one PDU.
    #[error("message too long for one PDU")]
    TooLong,
}

/// State shared by the sessions of one SMSC.
#[derive(Debug)]
pub(crate) struct Shared {
    config: Arc<SimConfig>,
    stats: Arc<Stats>,
    binds: binds::Binds,
    wap: wap::WapPushes,
    /// Numbers with the throttling personality that have been throttled once already.
    throttled: Mutex<HashSet<String>>,
    next_id: AtomicU64,
}

impl Shared {
    fn next_id(&self) -> MessageId {
        MessageId(self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    /// True the first time a number is seen (then remembered).
    fn first_for(&self, number: &str) -> bool {
        let mut seen = self.throttled.lock().unwrap_or_else(|p| p.into_inner());
        seen.insert(number.to_owned())
    }

    fn send_receipt(&self, system_id: &str, session: u64, receipted: &Receipted, outcome: Outcome) {
        let Some(pdu) = receipt::deliver_sm(receipted, outcome, SystemTime::now()) else {
            return;
        };
        if self.binds.receipt(system_id, session, pdu) {
            self.stats.receipt_sent(INTERFACE);
        }
    }
}

/// A running SMSC. Dropping it stops accepting and closes every session, like [`Smsc::shutdown`].
#[derive(Debug)]
pub struct Smsc {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    cancel: CancellationToken,
    acceptor: Option<JoinHandle<()>>,
}

/// Message ids start from the clock so that a restarted simulator does not reuse a running client's ids.
fn first_message_id() -> u64 {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    1_000_000_000 + millis % 1_000_000_000_000
}

impl Smsc {
    /// Listens on `addr` (port 0 for an ephemeral one) and serves until shut down.
    pub async fn start(
        addr: SocketAddr,
        config: Arc<SimConfig>,
        stats: Arc<Stats>,
    ) -> io::Result<Smsc> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            stats,
            binds: binds::Binds::default(),
            wap: wap::WapPushes::default(),
            throttled: Mutex::default(),
            next_id: AtomicU64::new(first_message_id()),
        });
        let cancel = CancellationToken::new();
        let acceptor = tokio::spawn(accept(listener, shared.clone(), cancel.clone()));
        tracing::info!(%local_addr, "SMSC listening");
        Ok(Smsc {
            local_addr,
            shared,
            cancel,
            acceptor: Some(acceptor),
        })
    }

    /// Where it listens.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Sends an MO text from `from` (a handset) to `to` as a deliver_sm on a receiver or transceiver bind
    /// (round-robin). GSM-7 when the text allows it, UCS-2 otherwise.
    pub fn send_mo(&self, from: &str, to: &str, text: &str) -> Result<(), SmscError> {
        let pdu = mo::deliver_sm(from, to, text)?;
        if !self.shared.binds.mobile_originated(pdu) {
            return Err(SmscError::NoReceiver);
        }
        self.shared.stats.inbound_sent(INTERFACE);
        Ok(())
    }

    /// Every WAP Push accepted from now on, reassembled (one item per push, not per segment).
    pub fn wap_pushes(&self) -> broadcast::Receiver<WapPush> {
        self.shared.wap.subscribe()
    }

    /// The WAP Pushes accepted so far for `to` (the destination_addr as submitted), oldest first; the most recent
    /// 64 are kept.
    pub fn wap_pushes_for(&self, to: &str) -> Vec<WapPush> {
        self.shared.wap.received_for(to)
    }

    /// Stops accepting, closes every session and waits for the listener to go.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.await;
        }
    }
}

impl Drop for Smsc {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>, cancel: CancellationToken) {
    loop {
        let accepted = tokio::select! {
            () = cancel.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                tracing::debug!(%peer, "SMPP session opened");
                tokio::spawn(session::run(stream, shared.clone(), cancel.child_token()));
            }
            // Out of descriptors and the like: keep serving the sessions we have, and try again.
            Err(error) => {
                tracing::warn!(%error, "SMPP accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}

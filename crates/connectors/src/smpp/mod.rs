//! The SMPP adapter (3.4 and 5.0), on rusmppc: several binds per route, a window of submits in flight per
//! bind, enquire_link, reconnects with backoff and jitter, GSM-7 or UCS-2 chosen per text, concatenation by
//! UDH or SAR, receipts matched to the ids we returned (in hex or decimal), and MO messages reassembled.

mod config;
mod connector;
mod deliver;
mod gsm7;
mod inbound;
mod outstanding;
mod pdu;
mod receipt;
mod segments;
mod session;
mod status;
mod submit;

/// Re-exports of the decoders that read what an SMSC sends, for the fuzz targets only (fuzz/); not an API.
#[doc(hidden)]
pub mod fuzzing {
    pub use super::gsm7::decode as gsm7_decode;
    pub use super::inbound::{MoPart, MoText, Reassembly, decode, split_udh};
    pub use super::receipt::{ParsedReceipt, ReceiptTlvs, parse as parse_receipt};
}

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicU16, AtomicUsize},
};

use futures::FutureExt;
use tokio::sync::{Notify, watch};

pub use config::{AddressPlan, BindMode, Concatenation, SmppConfig, SmppVersion};
pub use connector::SmppConnector;
use session::{BindSlot, BindState, Shared};

use crate::{
    Built, Capabilities, Channel, ConnectorError, EventStream, Healthcheck, event_channel,
};

/// Events buffered before the binds stop reading from the SMSC.
const EVENT_CAPACITY: usize = 1024;
/// Octets of user data in one segment, times the most segments a message may have.
const MAX_MESSAGE_BYTES: usize = 140 * 255;

/// What building an SMPP route gives, with the concrete connector (for binary submits such as WAP Push).
pub struct SmppBuilt {
    /// The connector.
    pub connector: Arc<SmppConnector>,
    /// Whether a bind is up and answers enquire_link.
    pub healthcheck: Healthcheck,
    /// Receipts and MO messages.
    pub events: EventStream,
}

impl SmppBuilt {
    /// As the generic [`Built`].
    pub fn into_built(self) -> Built {
        Built {
            connector: self.connector,
            healthcheck: self.healthcheck,
            events: self.events,
        }
    }
}

impl std::fmt::Debug for SmppBuilt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmppBuilt").finish_non_exhaustive()
    }
}

/// Builds an SMPP route; see [`build_smpp`].
pub async fn build(config: SmppConfig) -> Result<Built, ConnectorError> {
    build_smpp(config).await.map(SmppBuilt::into_built)
}

/// Opens the route's binds and waits for each one's first attempt. Fails with `Refused` when the SMSC refuses
/// our credentials; an unreachable SMSC is not an error here (the binds keep trying, the health check says).
pub async fn build_smpp(config: SmppConfig) -> Result<SmppBuilt, ConnectorError> {
    if config.binds == 0 || config.window == 0 {
        return Err(ConnectorError::Config(
            "an SMPP route needs at least one bind and a window of at least one".into(),
        ));
    }
    let credentials = pdu::Credentials::of(&config).map_err(ConnectorError::Config)?;
    let mut slots: Vec<Arc<BindSlot>> = (0..config.binds)
        .map(|_| Arc::new(BindSlot::new(config.bind, config.window)))
        .collect();
    if config.bind == BindMode::Transmitter {
        // Receipts and MO messages arrive on a receiver or transceiver bind only.
        slots.push(Arc::new(BindSlot::new(BindMode::Receiver, config.window)));
    }
    let (events_tx, events) = event_channel(EVENT_CAPACITY);
    let transmit_binds = slots.iter().filter(|s| s.submits()).count();
    let shared = Arc::new(Shared {
        outstanding: Mutex::new(outstanding::Outstanding::new(config.outstanding_ids)),
        reassembly: Mutex::new(inbound::Reassembly::default()),
        credentials,
        events: events_tx,
        slots,
        bound: Notify::new(),
        shutdown: watch::channel(false).0,
        config,
    });
    for slot in &shared.slots {
        tokio::spawn(session::run(shared.clone(), slot.clone()));
    }
    let first_attempt = shared.config.response_timeout * 2;
    for slot in &shared.slots {
        let mut state = slot.state.subscribe();
        let tried = state.wait_for(|s| *s != BindState::Connecting);
        let _ = tokio::time::timeout(first_attempt, tried).await;
    }
    if let Err(error @ ConnectorError::Refused { .. }) = health(&shared) {
        shared.shutdown.send_replace(true);
        return Err(error);
    }
    let capabilities = Capabilities {
        channels: vec![Channel::Sms],
        max_message_bytes: Some(MAX_MESSAGE_BYTES),
        max_per_second: None,
        window: shared.config.window * transmit_binds,
    };
    let healthcheck = {
        let shared = shared.clone();
        Healthcheck::new(move || {
            let shared = shared.clone();
            async move { check(&shared).await }.boxed()
        })
    };
    Ok(SmppBuilt {
        connector: Arc::new(SmppConnector {
            shared,
            capabilities,
            next_bind: AtomicUsize::new(0),
            next_reference: AtomicU16::new(rand::random()),
        }),
        healthcheck,
        events,
    })
}

/// Ok when a bind is up; otherwise the worst thing the binds report (a refusal before an outage).
fn health(shared: &Shared) -> Result<(), ConnectorError> {
    let states: Vec<BindState> = shared
        .slots
        .iter()
        .map(|s| s.state.borrow().clone())
        .collect();
    if states.contains(&BindState::Up) {
        return Ok(());
    }
    let peer = shared.config.addr.clone();
    if let Some(BindState::Refused(reason)) =
        states.iter().find(|s| matches!(s, BindState::Refused(_)))
    {
        return Err(ConnectorError::Refused {
            peer,
            reason: reason.clone(),
        });
    }
    let reason = states
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(ConnectorError::Unreachable { peer, reason })
}

/// [`health`], then an enquire_link on one bound session.
async fn check(shared: &Shared) -> Result<(), ConnectorError> {
    health(shared)?;
    let Some(client) = shared.slots.iter().find_map(|s| s.client()) else {
        return health(shared);
    };
    client
        .enquire_link()
        .await
        .map_err(|error| ConnectorError::Unreachable {
            peer: shared.config.addr.clone(),
            reason: format!("enquire_link: {error}"),
        })
}

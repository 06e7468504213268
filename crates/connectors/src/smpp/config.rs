//! The settings of one SMPP route.

use std::time::Duration;

use crate::backoff::Backoff;

/// Which kind of session each bind opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindMode {
    /// Submits only; the connector opens one extra receiver bind for receipts and MO messages.
    Transmitter,
    /// Receipts and MO messages only; the route cannot submit.
    Receiver,
    /// Both directions on one session.
    Transceiver,
}

/// How a long text is split into segments the handset puts back together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concatenation {
    /// A user data header (IEI 0x00, 8-bit reference) in each segment's short_message.
    Udh,
    /// The sar_msg_ref_num / sar_total_segments / sar_segment_seqnum TLVs.
    Sar,
}

/// The protocol version announced at bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmppVersion {
    /// SMPP 3.4 (interface_version 0x34).
    V34,
    /// SMPP 5.0 (interface_version 0x50).
    V50,
}

/// Type of number and numbering plan of an address; `None` fields are chosen per address (international for
/// `+` numbers, alphanumeric for sender names, unknown otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddressPlan {
    /// Type of number.
    pub ton: Option<u8>,
    /// Numbering plan indicator.
    pub npi: Option<u8>,
}

/// An SMPP route: one SMSC, one account, several binds.
#[derive(Debug, Clone)]
pub struct SmppConfig {
    /// The route's name, for logs and metrics.
    pub name: String,
    /// `host:port` of the SMSC.
    pub addr: String,
    /// Account name (at most 15 characters).
    pub system_id: String,
    /// Password (at most 8 characters).
    pub password: String,
    /// system_type sent at bind, often empty.
    pub system_type: String,
    /// Kind of session.
    pub bind: BindMode,
    /// Sessions of that kind to open; messages are spread across them.
    pub binds: usize,
    /// Submits awaiting their submit_sm_resp at once, per bind.
    pub window: usize,
    /// Protocol version announced at bind.
    pub version: SmppVersion,
    /// How often to send enquire_link on an idle session.
    pub enquire_link_interval: Duration,
    /// How long to wait for any response (bind, submit, enquire_link) before giving up on it.
    pub response_timeout: Duration,
    /// How long a submit waits for a bind to come up before it fails as temporary.
    pub bind_wait: Duration,
    /// Delay between reconnect attempts of a dropped bind.
    pub reconnect: Backoff,
    /// How long a bind rests after the SMSC answered ESME_RTHROTTLED.
    pub throttle_pause: Duration,
    /// How often a submit answered ESME_RMSGQFUL is retried before it fails as temporary.
    pub msgqful_retries: u32,
    /// How long text is split.
    pub concatenation: Concatenation,
    /// Addressing of the sender.
    pub source: AddressPlan,
    /// Addressing of the recipient.
    pub destination: AddressPlan,
    /// registered_delivery for messages that want a receipt (1: final receipt).
    pub registered_delivery: u8,
    /// Largest PDU accepted from the SMSC; a longer command_length closes the session.
    pub max_command_length: usize,
    /// Outstanding carrier ids remembered for matching receipts; the oldest are forgotten first.
    pub outstanding_ids: usize,
}

impl SmppConfig {
    /// A transceiver route with the usual defaults: one bind, window 10, 30 s enquire_link, 10 s responses.
    pub fn new(
        name: impl Into<String>,
        addr: impl Into<String>,
        system_id: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            addr: addr.into(),
            system_id: system_id.into(),
            password: password.into(),
            system_type: String::new(),
            bind: BindMode::Transceiver,
            binds: 1,
            window: 10,
            version: SmppVersion::V34,
            enquire_link_interval: Duration::from_secs(30),
            response_timeout: Duration::from_secs(10),
            bind_wait: Duration::from_secs(5),
            reconnect: Backoff::new(Duration::from_millis(200), Duration::from_secs(30)),
            throttle_pause: Duration::from_secs(1),
            msgqful_retries: 3,
            concatenation: Concatenation::Udh,
            source: AddressPlan::default(),
            destination: AddressPlan::default(),
            registered_delivery: 1,
            max_command_length: 8192,
            outstanding_ids: 100_000,
        }
    }
}

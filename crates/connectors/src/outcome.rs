//! What carriers tell us: the answer to a submit, and later receipts and inbound messages. All of it is data;
//! none of it is an error, because a refusal is an ordinary answer that dispatch acts on.

use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;

use crate::MediaPart;

/// The carrier's answer to one submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SubmitOutcome {
    /// Handed over. `carrier_ids` holds one id per segment or part the carrier numbered (several for a
    /// concatenated SMS); receipts name one of them.
    Accepted {
        /// The carrier's ids, first one primary.
        carrier_ids: Vec<String>,
    },
    /// The carrier asked us to slow down; nothing was handed over. Try again after `retry_after`.
    Throttled {
        /// The pause the carrier asked for, or the connector's own backoff.
        retry_after: Option<Duration>,
    },
    /// Not handed over this time (timeout, connection lost, carrier busy); the same message may be retried.
    TemporaryFailure {
        /// The carrier's code (SMPP command_status in hex, MM7 StatusCode, HTTP status), or ours.
        code: String,
        /// Human-readable reason.
        reason: String,
    },
    /// Refused for good: retrying the same message will not help.
    PermanentFailure {
        /// The carrier's code.
        code: String,
        /// Human-readable reason.
        reason: String,
    },
}

impl SubmitOutcome {
    /// The primary carrier id when accepted.
    pub fn carrier_id(&self) -> Option<&str> {
        match self {
            Self::Accepted { carrier_ids } => carrier_ids.first().map(String::as_str),
            _ => None,
        }
    }

    /// Whether the carrier took the message.
    pub fn is_accepted(&self) -> bool {
        matches!(self, Self::Accepted { .. })
    }
}

/// The final (or intermediate) state a receipt reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Reached the handset (SMPP DELIVRD, MM7 Retrieved, RBM DELIVERED).
    Delivered,
    /// Read by the user (RBM READ, MM7 read reply).
    Read,
    /// Still on its way (SMPP ENROUTE/ACCEPTD, MM7 Deferred/Forwarded).
    EnRoute,
    /// Validity ran out (SMPP EXPIRED, MM7 Expired).
    Expired,
    /// Could not be delivered (SMPP UNDELIV, MM7 Rejected/Unrecognised).
    Undeliverable,
    /// Refused by the carrier after acceptance (SMPP REJECTD).
    Rejected,
    /// Deleted before delivery (SMPP DELETED, RBM revoked).
    Deleted,
    /// The carrier does not know (SMPP UNKNOWN, MM7 Indeterminate).
    Unknown,
}

impl DeliveryState {
    /// Whether no further receipt will follow.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::EnRoute)
    }
}

/// A delivery receipt, matched to the carrier id returned at submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The id exactly as the connector returned it in [`SubmitOutcome::Accepted`].
    pub carrier_id: String,
    /// What happened.
    pub state: DeliveryState,
    /// The carrier's error code, when it gave one (SMPP `err:`, network_error_code, MM7 StatusCode).
    pub error_code: Option<String>,
    /// Recipient, when the receipt names it.
    pub to: Option<String>,
}

/// A message from a handset to one of our numbers (MO).
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    /// The handset, E.164 where the carrier gave a number.
    pub from: String,
    /// Our number or short code.
    pub to: String,
    /// Text, decoded to UTF-8.
    pub text: Option<String>,
    /// Media parts (MM7 DeliverReq, RBM user files).
    pub media: Vec<MediaPart>,
    /// The carrier's id for the message, when it gave one.
    pub carrier_id: Option<String>,
    /// RBM postback data of a tapped suggestion.
    pub postback: Option<String>,
}

/// Everything a connector reports after submit, on its event stream.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectorEvent {
    /// A delivery receipt.
    Receipt(Receipt),
    /// A mobile-originated message.
    Inbound(InboundMessage),
    /// A handset fetched MM1 content or acknowledged it (m-notifyresp-ind, m-acknowledge-ind).
    Handset {
        /// Our message id.
        message_id: String,
        /// What the handset did, e.g. `fetched`, `notifyresp:Retrieved`, `acknowledged`.
        what: String,
    },
    /// Raw bytes the connector could not interpret, kept for the operator rather than dropped.
    Unparsed {
        /// Where it came from.
        source: String,
        /// Why it was not understood.
        reason: String,
        /// The bytes.
        raw: Bytes,
    },
}

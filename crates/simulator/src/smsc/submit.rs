//! What a submit (submit_sm or data_sm) carries, and what the simulated carrier does with it.

use std::time::Duration;

use bytes::Bytes;
use canvass_types::Personality;
use rusmpp::{
    CommandStatus,
    pdus::{DataSm, SubmitMulti, SubmitSm},
    tlvs::{Tlv, TlvValue},
    values::{MCDeliveryReceipt, Npi, RegisteredDelivery, SmeAddress, Ton},
};

use canvass_mms::wsp::sms::{Concat, decode_user_data};

use super::{receipt::Outcome, wap::WAP_PUSH_PORT};
use crate::SimConfig;

/// esm_class bit "user data starts with a header".
const UDHI: u8 = 0x40;

/// One submitted message (or segment), independent of the PDU it came in.
#[derive(Debug, Clone)]
pub(crate) struct Submission {
    pub from: String,
    pub from_ton: Ton,
    pub from_npi: Npi,
    pub to: String,
    pub to_ton: Ton,
    pub to_npi: Npi,
    pub esm_class: u8,
    pub data_coding: u8,
    pub registered_delivery: RegisteredDelivery,
    /// short_message, or message_payload when that TLV is present.
    pub content: Bytes,
    sar: Option<Concat>,
    dest_port: Option<u16>,
}

/// The TLVs a submit may carry that matter here.
#[derive(Default)]
struct SubmitTlvs {
    payload: Option<Bytes>,
    sar_reference: Option<u16>,
    sar_total: Option<u8>,
    sar_seq: Option<u8>,
    dest_port: Option<u16>,
}

fn read_tlvs(tlvs: &[Tlv]) -> SubmitTlvs {
    let mut found = SubmitTlvs::default();
    for tlv in tlvs {
        match tlv.value() {
            Some(TlvValue::MessagePayload(p)) => {
                found.payload = Some(Bytes::copy_from_slice(p.value.as_ref()));
            }
            Some(TlvValue::SarMsgRefNum(r)) => found.sar_reference = Some(*r),
            Some(TlvValue::SarTotalSegments(t)) => found.sar_total = Some(*t),
            Some(TlvValue::SarSegmentSeqnum(s)) => found.sar_seq = Some(*s),
            Some(TlvValue::DestPort(p)) => found.dest_port = Some(*p),
            _ => {}
        }
    }
    found
}

impl SubmitTlvs {
    /// The message: message_payload when present, else short_message.
    fn content(&self, short_message: &[u8]) -> Bytes {
        match &self.payload {
            Some(payload) => payload.clone(),
            None => Bytes::copy_from_slice(short_message),
        }
    }

    fn sar(&self) -> Option<Concat> {
        Some(Concat {
            reference: self.sar_reference?,
            total: self.sar_total?,
            seq: self.sar_seq?,
        })
    }
}

impl Submission {
    pub(crate) fn from_submit_sm(sm: &SubmitSm) -> Self {
        let tlvs = read_tlvs(sm.tlvs());
        let content = tlvs.content(sm.short_message().as_ref());
        Self {
            from: sm.source_addr.to_string(),
            from_ton: sm.source_addr_ton,
            from_npi: sm.source_addr_npi,
            to: sm.destination_addr.to_string(),
            to_ton: sm.dest_addr_ton,
            to_npi: sm.dest_addr_npi,
            esm_class: u8::from(sm.esm_class),
            data_coding: u8::from(sm.data_coding),
            registered_delivery: sm.registered_delivery,
            content,
            sar: tlvs.sar(),
            dest_port: tlvs.dest_port,
        }
    }

    /// One destination of a submit_multi.
    pub(crate) fn from_submit_multi(sm: &SubmitMulti, destination: &SmeAddress) -> Self {
        let tlvs = read_tlvs(sm.tlvs());
        let content = tlvs.content(sm.short_message().as_ref());
        Self {
            from: sm.source_addr.to_string(),
            from_ton: sm.source_addr_ton,
            from_npi: sm.source_addr_npi,
            to: destination.destination_addr.to_string(),
            to_ton: destination.dest_addr_ton,
            to_npi: destination.dest_addr_npi,
            esm_class: u8::from(sm.esm_class),
            data_coding: u8::from(sm.data_coding),
            registered_delivery: sm.registered_delivery,
            content,
            sar: tlvs.sar(),
            dest_port: tlvs.dest_port,
        }
    }

    pub(crate) fn from_data_sm(sm: &DataSm) -> Self {
        let tlvs = read_tlvs(sm.tlvs());
        Self {
            from: sm.source_addr.to_string(),
            from_ton: sm.source_addr_ton,
            from_npi: sm.source_addr_npi,
            to: sm.destination_addr.to_string(),
            to_ton: sm.dest_addr_ton,
            to_npi: sm.dest_addr_npi,
            esm_class: u8::from(sm.esm_class),
            data_coding: u8::from(sm.data_coding),
            registered_delivery: sm.registered_delivery,
            content: tlvs.payload.clone().unwrap_or_default(),
            sar: tlvs.sar(),
            dest_port: tlvs.dest_port,
        }
    }

    /// The user data after any UDH, with concatenation and port from the UDH or the TLVs.
    fn user_data(&self) -> (&[u8], Option<Concat>, Option<u16>) {
        if self.esm_class & UDHI != 0
            && let Ok(header) = decode_user_data(&self.content)
        {
            return (
                header.payload,
                header.concat.or(self.sar),
                header.ports.map(|(dest, _)| dest).or(self.dest_port),
            );
        }
        (&self.content, self.sar, self.dest_port)
    }

    /// When this is (a segment of) a WAP Push: the user data and its concatenation.
    pub(crate) fn wap_push_segment(&self) -> Option<(&[u8], Option<Concat>)> {
        let (data, concat, port) = self.user_data();
        (port == Some(WAP_PUSH_PORT)).then_some((data, concat))
    }

    /// The user data text sample for receipts (after any UDH).
    pub(crate) fn text(&self) -> &[u8] {
        self.user_data().0
    }

    /// Whether a receipt for `outcome` was asked for.
    pub(crate) fn wants_receipt(&self, outcome: Outcome) -> bool {
        use MCDeliveryReceipt::*;
        match self.registered_delivery.mc_delivery_receipt() {
            McDeliveryReceiptRequestedWhereFinalDeliveryOutcomeIsSuccessOrFailure => true,
            McDeliveryReceiptRequestedWhereFinalDeliveryOutcomeIsFailure => {
                outcome != Outcome::Delivered
            }
            McDeliveryReceiptRequestedWhereFinalDeliveryOutcomeIsSuccess => {
                outcome == Outcome::Delivered
            }
            _ => false,
        }
    }
}

/// What the simulated carrier does with a submit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Answer OK after `delay`; then, after the receipt delay, report `outcome` (if any receipt at all).
    Accept {
        delay: Duration,
        outcome: Option<Outcome>,
    },
    /// Answer with this error after `delay`.
    Refuse {
        delay: Duration,
        status: CommandStatus,
    },
    /// Send unbind and close instead of answering.
    Unbind,
    /// Never answer.
    Ignore,
}

/// The network error a landline delivery fails with (`err:006` in the receipt text).
pub(crate) const LANDLINE_ERROR: u16 = 6;

/// The verdict for a submit to a number with `personality`. `first_for_number` tells whether this is the first
/// submit the SMSC has seen for that number (for the throttling personality).
pub(crate) fn verdict(
    personality: Personality,
    config: &SimConfig,
    first_for_number: bool,
) -> Verdict {
    let delay = config.latency;
    let accept = |outcome| Verdict::Accept { delay, outcome };
    match personality {
        Personality::UnbindOnSubmit => Verdict::Unbind,
        Personality::NoResponse => Verdict::Ignore,
        Personality::Nack => Verdict::Refuse {
            delay,
            status: CommandStatus::EsmeRinvdstadr,
        },
        Personality::Throttling if first_for_number => Verdict::Refuse {
            delay,
            status: CommandStatus::EsmeRthrottled,
        },
        Personality::Slow => Verdict::Accept {
            delay: delay + config.slow_latency,
            outcome: Some(Outcome::Delivered),
        },
        Personality::Blackhole | Personality::ReceiptLoss => accept(None),
        Personality::Landline => accept(Some(Outcome::Undeliverable {
            error: LANDLINE_ERROR,
        })),
        Personality::Happy | Personality::Throttling | Personality::NotRcsCapable => {
            accept(Some(Outcome::Delivered))
        }
    }
}

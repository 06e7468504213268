//! A deliver_sm, as an event: a receipt matched to the id we returned, an MO message, or, when it says it
//! is a receipt but cannot be read, the raw bytes.

use bytes::Bytes;
use rusmpp::{pdus::DeliverSm, tlvs::TlvValue};

use super::{
    inbound::{MoPart, MoText, Reassembly},
    outstanding::Outstanding,
    receipt::{self, ReceiptTlvs},
};
use crate::{ConnectorEvent, InboundMessage, Receipt};

/// esm_class bits of a receipt: SMSC delivery receipt (0x04) or intermediate notification (0x20). The
/// ANSI-41 acknowledgement bits (0x08, 0x10) are left out: some SMSCs set them on ordinary MO messages.
const RECEIPT_BITS: u8 = 0x24;
/// TON international: such numbers get their `+` back.
const TON_INTERNATIONAL: u8 = 1;

/// What a deliver_sm says, before receipt ids are matched.
pub enum Delivered {
    /// A receipt.
    Receipt(Receipt),
    /// A complete MO message.
    Inbound(MoText),
    /// A receipt we cannot read.
    Unparsed(String, Bytes),
    /// One part of a concatenated MO message; the rest is still to come.
    Partial,
}

fn number(addr: &str, ton: u8) -> String {
    if ton == TON_INTERNATIONAL && !addr.starts_with('+') && !addr.is_empty() {
        format!("+{addr}")
    } else {
        addr.to_owned()
    }
}

/// Reads a deliver_sm; MO parts go through `reassembly`.
pub fn read(pdu: &DeliverSm, reassembly: &mut Reassembly) -> Delivered {
    let esm_class = u8::from(pdu.esm_class);
    let mut tlvs = ReceiptTlvs::default();
    let mut payload = None;
    let (mut sar_ref, mut sar_total, mut sar_seq) = (None, None, None);
    for tlv in pdu.tlvs() {
        match tlv.value() {
            Some(TlvValue::ReceiptedMessageId(id)) => tlvs.message_id = Some(id.as_str().into()),
            Some(TlvValue::MessageState(state)) => tlvs.state = Some(u8::from(*state)),
            Some(TlvValue::NetworkErrorCode(code)) => tlvs.network_error = Some(code.error_code),
            Some(TlvValue::MessagePayload(p)) => payload = Some(p.value.to_vec()),
            Some(TlvValue::SarMsgRefNum(r)) => sar_ref = Some(*r),
            Some(TlvValue::SarTotalSegments(t)) => sar_total = Some(*t),
            Some(TlvValue::SarSegmentSeqnum(s)) => sar_seq = Some(*s),
            _ => {}
        }
    }
    let short_message: &[u8] = pdu.short_message();
    let user_data = match payload {
        Some(payload) if short_message.is_empty() => payload,
        _ => short_message.to_vec(),
    };
    let to = number(pdu.destination_addr.as_str(), u8::from(pdu.dest_addr_ton));
    if esm_class & RECEIPT_BITS != 0 {
        let text = String::from_utf8_lossy(&user_data);
        return match receipt::parse(&text, &tlvs) {
            Some(parsed) => Delivered::Receipt(Receipt {
                carrier_id: parsed.message_id,
                state: parsed.state,
                error_code: parsed.error_code,
                to: Some(to),
            }),
            None => Delivered::Unparsed(
                "receipt without a message id or a state".into(),
                Bytes::from(user_data),
            ),
        };
    }
    let sar = match (sar_ref, sar_total, sar_seq) {
        (Some(r), Some(t), Some(s)) => Some((r, t, s)),
        _ => None,
    };
    let part = MoPart {
        from: number(pdu.source_addr.as_str(), u8::from(pdu.source_addr_ton)),
        to,
        data_coding: u8::from(pdu.data_coding),
        udhi: esm_class & 0x40 != 0,
        user_data,
        sar,
    };
    match reassembly.push(part) {
        Some(text) => Delivered::Inbound(text),
        None => Delivered::Partial,
    }
}

/// The event to report, with the receipt's id replaced by the one we returned when we know it.
pub fn event(
    delivered: Delivered,
    outstanding: &mut Outstanding,
    source: &str,
) -> Option<ConnectorEvent> {
    match delivered {
        Delivered::Receipt(mut receipt) => {
            if let Some(returned) = outstanding.lookup(&receipt.carrier_id) {
                receipt.carrier_id = returned.to_owned();
            }
            if receipt.state.is_final() {
                outstanding.remove(&receipt.carrier_id);
            }
            Some(ConnectorEvent::Receipt(receipt))
        }
        Delivered::Inbound(text) => Some(ConnectorEvent::Inbound(InboundMessage {
            from: text.from,
            to: text.to,
            text: text.text,
            media: Vec::new(),
            carrier_id: None,
            postback: None,
        })),
        Delivered::Unparsed(reason, raw) => Some(ConnectorEvent::Unparsed {
            source: source.to_owned(),
            reason,
            raw,
        }),
        Delivered::Partial => None,
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use rusmpp::{
        tlvs::MessageDeliveryRequestTlvValue,
        types::{COctetString, OctetString},
        values::{EsmClass, MessageState, Ton},
    };

    use super::*;
    use crate::DeliveryState;

    fn deliver_sm(esm_class: u8, text: &str) -> DeliverSm {
        DeliverSm::builder()
            .source_addr_ton(Ton::from(1))
            .source_addr(COctetString::from_str("4915550001").expect("address"))
            .destination_addr(COctetString::from_str("12345").expect("address"))
            .esm_class(EsmClass::from(esm_class))
            .short_message(OctetString::from_str(text).expect("text"))
            .build()
    }

    #[test]
    fn a_receipt_by_tlv_is_matched_to_the_returned_id() {
        let mut pdu = deliver_sm(0x04, "");
        pdu.push_tlv(MessageDeliveryRequestTlvValue::ReceiptedMessageId(
            COctetString::from_str("1715004").expect("id"),
        ));
        pdu.push_tlv(MessageDeliveryRequestTlvValue::MessageState(
            MessageState::Delivered,
        ));
        let mut outstanding = Outstanding::new(8);
        outstanding.insert("1A2B3C");
        let delivered = read(&pdu, &mut Reassembly::default());
        match event(delivered, &mut outstanding, "route") {
            Some(ConnectorEvent::Receipt(r)) => {
                assert_eq!(r.carrier_id, "1A2B3C");
                assert_eq!(r.state, DeliveryState::Delivered);
            }
            other => panic!("expected a receipt, got {other:?}"),
        }
        assert_eq!(outstanding.lookup("1A2B3C"), None, "forgotten once final");
    }

    #[test]
    fn an_unreadable_receipt_is_kept_raw_and_mo_is_not_a_receipt() {
        let delivered = read(&deliver_sm(0x04, "no id here"), &mut Reassembly::default());
        match event(delivered, &mut Outstanding::new(8), "route") {
            Some(ConnectorEvent::Unparsed { source, raw, .. }) => {
                assert_eq!(source, "route");
                assert_eq!(&raw[..], b"no id here");
            }
            other => panic!("expected unparsed, got {other:?}"),
        }
        // rusmpp's default esm_class carries the ANSI-41 ack bit 0x08: still an MO message.
        let delivered = read(
            &deliver_sm(0x08, "id:1 stat:DELIVRD"),
            &mut Reassembly::default(),
        );
        match event(delivered, &mut Outstanding::new(8), "route") {
            Some(ConnectorEvent::Inbound(m)) => {
                assert_eq!(m.from, "+4915550001");
                assert_eq!(m.text.as_deref(), Some("id:1 stat:DELIVRD"));
            }
            other => panic!("expected inbound, got {other:?}"),
        }
    }
}

//! Delivery receipts: a deliver_sm with the receipt flag in esm_class, the de facto text format in short_message
//! (`id:… sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD err:000 text:…`) and the
//! SMPP 3.4 TLVs receipted_message_id, message_state and, for failures, network_error_code.

use std::time::{SystemTime, UNIX_EPOCH};

use rusmpp::{
    pdus::DeliverSm,
    tlvs::MessageDeliveryRequestTlvValue,
    types::{COctetString, OctetString},
    values::{ErrorCodeNetworkType, EsmClass, MessageState, NetworkErrorCode, Npi, Ton},
};

/// A message id, numeric inside; how it is written depends on `SimConfig::hex_ids`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MessageId(pub u64);

impl MessageId {
    /// As in submit_sm_resp and the receipted_message_id TLV.
    pub(crate) fn for_response(self, hex: bool) -> String {
        if hex {
            format!("{:X}", self.0)
        } else {
            self.0.to_string()
        }
    }

    /// As in the receipt text's `id:` field: always decimal.
    pub(crate) fn for_text(self) -> String {
        self.0.to_string()
    }
}

/// How the message ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Delivered,
    /// Undeliverable, with the GSM network error code the text carries as `err:`.
    Undeliverable {
        error: u16,
    },
}

/// What a receipt refers to.
#[derive(Debug, Clone)]
pub(crate) struct Receipted {
    pub id: MessageId,
    pub hex_ids: bool,
    /// The handset: the submit's destination, the receipt's source.
    pub handset: String,
    pub handset_ton: Ton,
    pub handset_npi: Npi,
    /// The client's address: the submit's source, the receipt's destination.
    pub client: String,
    pub client_ton: Ton,
    pub client_npi: Npi,
    pub submitted: SystemTime,
    /// The first characters of the message, when it is text.
    pub sample: String,
}

/// `YYMMDDhhmm` in UTC.
pub(crate) fn smpp_date(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{:02}{:02}{:02}{:02}{:02}",
        year.rem_euclid(100),
        month,
        day,
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The receipt text.
pub(crate) fn text(r: &Receipted, outcome: Outcome, done: SystemTime) -> String {
    let (dlvrd, stat, err) = match outcome {
        Outcome::Delivered => ("001", "DELIVRD", 0),
        Outcome::Undeliverable { error } => ("000", "UNDELIV", error),
    };
    format!(
        "id:{} sub:001 dlvrd:{dlvrd} submit date:{} done date:{} stat:{stat} err:{err:03} text:{}",
        r.id.for_text(),
        smpp_date(r.submitted),
        smpp_date(done),
        r.sample,
    )
}

/// Up to 20 printable ASCII characters of a text message; binary messages get none.
pub(crate) fn sample(data_coding: u8, content: &[u8]) -> String {
    // 0: SMSC default, 1: IA5, 3: Latin-1; anything else is not shown.
    if !matches!(data_coding, 0 | 1 | 3) {
        return String::new();
    }
    content
        .iter()
        .take(20)
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '?'
            }
        })
        .collect()
}

/// The deliver_sm carrying a receipt; `None` only when an address does not fit (it came from a PDU, so it does).
pub(crate) fn deliver_sm(r: &Receipted, outcome: Outcome, done: SystemTime) -> Option<DeliverSm> {
    let text = text(r, outcome, done);
    let (state, network_error) = match outcome {
        Outcome::Delivered => (MessageState::Delivered, None),
        Outcome::Undeliverable { error } => (
            MessageState::Undeliverable,
            Some(NetworkErrorCode::new(ErrorCodeNetworkType::Gsm, error)),
        ),
    };
    let mut pdu = DeliverSm::builder()
        .source_addr_ton(r.handset_ton)
        .source_addr_npi(r.handset_npi)
        .source_addr(COctetString::from_string(r.handset.clone()).ok()?)
        .dest_addr_ton(r.client_ton)
        .dest_addr_npi(r.client_npi)
        .destination_addr(COctetString::from_string(r.client.clone()).ok()?)
        .esm_class(EsmClass::from(RECEIPT_ESM_CLASS))
        .short_message(OctetString::from_vec(text.into_bytes()).ok()?)
        .push_tlv(MessageDeliveryRequestTlvValue::ReceiptedMessageId(
            COctetString::from_string(r.id.for_response(r.hex_ids)).ok()?,
        ))
        .push_tlv(MessageDeliveryRequestTlvValue::MessageState(state));
    if let Some(code) = network_error {
        pdu = pdu.push_tlv(MessageDeliveryRequestTlvValue::NetworkErrorCode(code));
    }
    Some(pdu.build())
}

/// esm_class "short message contains MC delivery receipt".
pub(crate) const RECEIPT_ESM_CLASS: u8 = 0x04;

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_utc_yymmddhhmm() {
        // 2026-02-28T23:59:30Z and the leap-free roll into March.
        let t = UNIX_EPOCH + Duration::from_secs(1_772_323_170);
        assert_eq!(smpp_date(t), "2602282359");
        assert_eq!(smpp_date(t + Duration::from_secs(60)), "2603010000");
        assert_eq!(smpp_date(UNIX_EPOCH), "7001010000");
    }

    #[test]
    fn hex_ids_differ_only_in_the_response() {
        let id = MessageId(255);
        assert_eq!(id.for_response(true), "FF");
        assert_eq!(id.for_response(false), "255");
        assert_eq!(id.for_text(), "255");
    }

    #[test]
    fn samples_are_printable_text_only() {
        assert_eq!(
            sample(0, b"hello\nworld, this is long"),
            "hello?world, this is"
        );
        assert_eq!(sample(8, b"\0h\0i"), "");
    }
}

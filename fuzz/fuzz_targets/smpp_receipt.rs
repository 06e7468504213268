//! Fuzz target for the SMPP connector's delivery receipt reader (crates/connectors/src/smpp/receipt.rs).
//! Input: a flags octet (bit 0: receipted_message_id TLV, bit 1: message_state TLV, bit 2: network_error_code
//! TLV), the message_state octet, two octets of network error code, then the TLV id up to a NUL when bit 0 is set,
//! then the short_message, read as text the way deliver.rs reads it (lossy UTF-8). Nothing may panic, and what
//! comes back must be consistent with what went in.

#![no_main]

use canvass_connectors::smpp::fuzzing::{ReceiptTlvs, parse_receipt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [flags, state, error_high, error_low, rest @ ..] = data else {
        return;
    };
    let (tlv_id, text) = if flags & 1 != 0 {
        let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        let (id, text) = rest.split_at(end);
        (
            Some(String::from_utf8_lossy(id).into_owned()),
            text.get(1..).unwrap_or(&[]),
        )
    } else {
        (None, rest)
    };
    let tlvs = ReceiptTlvs {
        message_id: tlv_id,
        state: (flags & 2 != 0).then_some(*state),
        network_error: (flags & 4 != 0).then_some(u16::from_be_bytes([*error_high, *error_low])),
    };
    let text = String::from_utf8_lossy(text);
    let Some(receipt) = parse_receipt(&text, &tlvs) else {
        return;
    };
    match &tlvs.message_id {
        Some(id) => assert_eq!(&receipt.message_id, id, "the TLV id wins"),
        None => {
            assert!(!receipt.message_id.is_empty(), "an empty id from the text");
            assert!(
                !receipt.message_id.contains(' '),
                "the text id runs to the next space"
            );
        }
    }
    if let Some(code) = &receipt.error_code {
        assert!(
            !code.is_empty() && !code.chars().all(|c| c == '0'),
            "a zero error code: {code:?}"
        );
    }
});

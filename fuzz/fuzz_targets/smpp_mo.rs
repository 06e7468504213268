//! Fuzz target for the SMPP connector's MO reading (crates/connectors/src/smpp/{inbound,gsm7}.rs): user data
//! decoding per data_coding, GSM-7 septets, the user data header split and the reassembly of concatenated parts.
//! Input: the data_coding octet, then parts, each a flags octet (bit 0: UDHI, bit 1: SAR TLVs follow as
//! reference (2), total, sequence; bits 2-3: which of four handsets sent it), a length octet and that many
//! octets of user data. Nothing may panic, and what comes back must be consistent with what went in.

#![no_main]

use canvass_connectors::smpp::fuzzing::{MoPart, Reassembly, decode, gsm7_decode, split_udh};
use libfuzzer_sys::fuzz_target;

/// One part off the front of `input`, and what is left.
fn next_part(data_coding: u8, input: &[u8]) -> Option<(MoPart, &[u8])> {
    let (&flags, mut input) = input.split_first()?;
    let mut sar = None;
    if flags & 2 != 0 {
        let [high, low, total, seq, rest @ ..] = input else {
            return None;
        };
        sar = Some((u16::from_be_bytes([*high, *low]), *total, *seq));
        input = rest;
    }
    let (&length, input) = input.split_first()?;
    let length = usize::from(length).min(input.len());
    let (user_data, input) = input.split_at(length);
    let part = MoPart {
        from: format!("+49170000000{}", (flags >> 2) & 3),
        to: "1234".into(),
        data_coding,
        udhi: flags & 1 != 0,
        user_data: user_data.to_vec(),
        sar,
    };
    Some((part, input))
}

fn check_single(data_coding: u8, data: &[u8]) {
    if let Some(text) = decode(data_coding, data) {
        assert!(
            text.chars().count() <= data.len(),
            "more characters than octets"
        );
    }
    let septets = gsm7_decode(data);
    assert!(septets.chars().count() <= data.len());
    if data.iter().all(|&b| b < 0x80 && b != 0x1B) {
        assert_eq!(
            septets.chars().count(),
            data.len(),
            "one character per plain septet"
        );
    }
    let (concat, body) = split_udh(data);
    assert!(data.ends_with(body), "the body is what follows the header");
    if concat.is_some() {
        assert!(
            body.len() < data.len(),
            "a header with concatenation took no octets"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&data_coding, mut input)) = data.split_first() else {
        return;
    };
    check_single(data_coding, input);
    let mut reassembly = Reassembly::default();
    while let Some((part, rest)) = next_part(data_coding, input) {
        input = rest;
        let unsegmented = !part.udhi && part.sar.is_none();
        let from = part.from.clone();
        match reassembly.push(part) {
            Some(text) => assert_eq!(text.from, from),
            None => assert!(!unsegmented, "an unsegmented part must come back at once"),
        }
    }
});

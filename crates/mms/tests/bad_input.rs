//! Hostile and broken input: every failure is a typed error with the byte offset where it was found, and no
//! input makes the decoder panic.

use canvass_mms::field::code;
use canvass_mms::wsp::ErrorKind as Wsp;
use canvass_mms::{ErrorKind, MessageType, Pdu, Value, body, decode, encode};

fn sample() -> Vec<u8> {
    let pdu = Pdu::new(MessageType::SendReq, Some("T1"), (1, 2))
        .with(code::TO, Value::Encoded("+15551230000/TYPE=PLMN".into()))
        .with(
            code::SUBJECT,
            Value::Encoded(canvass_mms::EncodedString::utf8("hi")),
        )
        .with_body(body::related(
            "<smil/>",
            vec![body::media_part("text/plain", "t.txt", b"hello".to_vec())],
        ));
    encode(&pdu).unwrap()
}

#[test]
fn every_truncation_fails_cleanly_with_an_offset_inside_the_input() {
    let full = sample();
    let body_start = full.iter().position(|b| *b == 0x84).unwrap();
    for len in 0..full.len() {
        match decode(&full[..len]) {
            Err(e) => assert!(e.offset <= len, "offset {} past {len}", e.offset),
            // Cutting exactly between headers leaves a shorter valid PDU; cutting the body never does.
            Ok(pdu) => assert!(
                len <= body_start && pdu.body.is_none(),
                "prefix {len} decoded with a body"
            ),
        }
    }
}

#[test]
fn wrong_part_length_is_bad_length_at_the_data() {
    let mut data = sample();
    let n = data.len();
    // The last part is "hello"; drop two octets so its data length points past the end.
    data.truncate(n - 2);
    let err = decode(&data).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Wsp(Wsp::BadLength));
    assert_eq!(err.offset, n - 5);
}

#[test]
fn unknown_message_type() {
    let err = decode(&[0x8C, 0xA0, 0x98, b'1', 0]).unwrap_err();
    assert_eq!(
        (err.kind, err.offset),
        (ErrorKind::UnknownMessageType(0xA0), 1)
    );
}

#[test]
fn bad_and_unsupported_charsets() {
    // Subject: value-length 4, charset UTF-8 (0xEA), invalid UTF-8 0xC3 0x28, NUL.
    let bad = [
        0x8C, 0x80, 0x98, b'1', 0, 0x8D, 0x90, 0x96, 0x04, 0xEA, 0xC3, 0x28, 0,
    ];
    let err = decode(&bad).unwrap_err();
    assert_eq!(
        (err.kind, err.offset),
        (ErrorKind::Wsp(Wsp::BadCharset), 10)
    );
    // MIBenum 9999 (long-integer 0x02 0x27 0x0F) names no charset this codec converts.
    let unsupported = [
        0x8C, 0x80, 0x98, b'1', 0, 0x8D, 0x90, 0x96, 0x05, 0x02, 0x27, 0x0F, b'a', 0,
    ];
    let err = decode(&unsupported).unwrap_err();
    assert_eq!(
        (err.kind, err.offset),
        (ErrorKind::Wsp(Wsp::UnsupportedCharset(9999)), 12)
    );
    // Big5 (2026) is converted: "中" = 0xA4 0xA4, after the 0x7F quote.
    let big5 = [
        0x8C, 0x80, 0x98, b'1', 0, 0x8D, 0x90, 0x96, 0x07, 0x02, 0x07, 0xEA, 0x7F, 0xA4, 0xA4, 0,
    ];
    assert_eq!(decode(&big5).unwrap().subject(), Some("中"));
}

#[test]
fn missing_string_terminator() {
    let err = decode(&[0x8C, 0x80, 0x98, b'1', b'2']).unwrap_err();
    assert_eq!(
        (err.kind, err.offset),
        (ErrorKind::Wsp(Wsp::UnterminatedString), 3)
    );
}

#[test]
fn oversized_counts_do_not_allocate_or_loop() {
    // A multipart that claims 2^32-1 entries in a 12-octet PDU.
    let data = [
        0x8C, 0x84, 0x98, b'1', 0, 0x8D, 0x90, 0x84, 0xA3, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F,
    ];
    let err = decode(&data).unwrap_err();
    assert_eq!((err.kind, err.offset), (ErrorKind::Wsp(Wsp::Truncated), 14));
    // A uintvar that overflows 32 bits.
    let data = [
        0x8C, 0x84, 0x98, b'1', 0, 0x8D, 0x90, 0x84, 0xA3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
    ];
    assert_eq!(
        decode(&data).unwrap_err().kind,
        ErrorKind::Wsp(Wsp::UintvarOverflow)
    );
}

#[test]
fn single_byte_flips_never_panic() {
    let full = sample();
    for i in 0..full.len() {
        for flip in [0x01u8, 0x80, 0xFF, 0x1F] {
            let mut data = full.clone();
            data[i] ^= flip;
            if let Err(e) = decode(&data) {
                assert!(e.offset <= data.len());
            }
        }
    }
}

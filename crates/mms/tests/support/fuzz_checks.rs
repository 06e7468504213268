//! The properties the fuzz targets check (fuzz/fuzz_targets/*.rs include this file), also replayed on stable
//! by tests/fuzz_corpus.rs: no panic, errors point inside the input, and whatever decodes and encodes is
//! stable under encode → decode → encode.

use canvass_mms::wap_push;
use canvass_mms::wsp::{Reader, put_content_type, put_encoded_string, put_multipart};

/// The `mms` target: a whole MMS PDU.
pub fn mms(data: &[u8]) {
    match canvass_mms::decode(data) {
        Err(e) => assert!(
            e.offset <= data.len(),
            "offset {} past {}",
            e.offset,
            data.len()
        ),
        Ok(pdu) => {
            let _ = canvass_mms::describe_json(&pdu);
            if let Ok(bytes) = canvass_mms::encode(&pdu) {
                let again = canvass_mms::decode(&bytes).expect("our own encoding must decode");
                assert_eq!(again, pdu, "decode(encode(pdu)) differs");
                assert_eq!(canvass_mms::encode(&again).expect("re-encode"), bytes);
            }
        }
    }
}

/// The `push` target: a WSP push PDU, and SMS user data segments (the input split at 0xFF octets).
pub fn push(data: &[u8]) {
    if let Err(e) = wap_push::decode_push(data) {
        assert!(e.offset <= data.len());
    }
    let segments: Vec<&[u8]> = data.split(|b| *b == 0xFF).collect();
    let _ = wap_push::decode_segments(&segments);
    for s in &segments {
        if let Err(e) = canvass_mms::wsp::sms::decode_user_data(s) {
            assert!(e.offset <= s.len());
        }
    }
}

/// The `wsp` target: the first octet picks the primitive, the rest is its input.
pub fn wsp(data: &[u8]) {
    let Some((selector, input)) = data.split_first() else {
        return;
    };
    let mut r = Reader::new(input);
    let result = match selector % 4 {
        0 => r.content_type().map(|ct| {
            let mut out = Vec::new();
            if put_content_type(&mut out, &ct).is_ok() {
                assert_eq!(Reader::new(&out).content_type().ok(), Some(ct));
            }
        }),
        1 => r.headers().map(drop),
        2 => r.encoded_string().map(|s| {
            let mut out = Vec::new();
            if put_encoded_string(&mut out, &s).is_ok() {
                assert_eq!(Reader::new(&out).encoded_string().ok(), Some(s));
            }
        }),
        _ => r.multipart().map(|parts| {
            let mut out = Vec::new();
            if put_multipart(&mut out, &parts).is_ok() {
                let again = Reader::new(&out)
                    .multipart()
                    .expect("our own multipart must decode");
                let mut out2 = Vec::new();
                put_multipart(&mut out2, &again).expect("re-encode");
                assert_eq!(out, out2);
            }
        }),
    };
    if let Err(e) = result {
        assert!(e.offset <= input.len());
    }
}

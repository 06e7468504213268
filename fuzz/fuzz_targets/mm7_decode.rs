//! Fuzz target for the MM7 reader (canvass-mm7): any bytes, read as a file and as an HTTP body whose
//! first line is the Content-Type. Nothing may panic; whatever decodes and re-encodes must decode again.
//! Seed corpus: crates/mm7/tests/corpus/ (replayed on stable by crates/mm7/tests/corpus.rs).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let from_file = canvass_mm7::decode(data);
    if let Some(newline) = data.iter().position(|&byte| byte == b'\n') {
        if let Ok(content_type) = std::str::from_utf8(&data[..newline]) {
            let _ = canvass_mm7::decode_http(Some(content_type.trim_end()), &data[newline + 1..]);
        }
    }
    if let Ok(envelope) = from_file {
        let _ = serde_json::to_string(&canvass_mm7::describe(&envelope));
        if let Ok(written) = canvass_mm7::encode(&envelope) {
            canvass_mm7::decode_http(Some(&written.content_type), &written.body)
                .expect("what we write must read back");
        }
    }
});

//! cargo-fuzz target `wsp`; the property lives in crates/mms/tests/support/fuzz_checks.rs, which the stable
//! test suite replays on the corpus (crates/mms/tests/fuzz_corpus.rs).
#![no_main]

#[allow(dead_code)] // Each target uses one of the checks.
#[path = "../../crates/mms/tests/support/fuzz_checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::wsp(data));

//! Shared by the validator tests: sample PDUs of every message type, a pcap writer, and the rule for
//! validators that are not installed (fail under CI, skip elsewhere).
#![allow(dead_code)] // Each test binary uses a different subset.

pub mod fuzz_checks;
pub mod pcap;
pub mod samples;
pub mod seeds;
mod tools;

#[allow(unused_imports)] // Only the validator tests use it.
pub use tools::require_tool;

use std::path::PathBuf;

/// A scratch directory for one test, under the target dir (removed first if it exists).
pub fn scratch_dir(name: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_TMPDIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("canvass-mms-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

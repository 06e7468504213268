//! The rule for external validators (tshark, python-messaging): required under CI, skipped elsewhere. Also
//! included by path from crates/cli/tests/support.

use std::path::PathBuf;

/// Finds `program` on PATH; when absent, panics under CI and returns None (after a skip line) elsewhere.
pub fn require_tool(program: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is required under CI but is not installed"
        );
        println!("skip: {program} is not installed");
    }
    found
}

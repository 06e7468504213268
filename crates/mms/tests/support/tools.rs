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

/// The python of a validator's own venv (`scripts/setup/venv.sh NAME REQUIREMENT`), made when missing; under CI a
/// failure to make it panics, elsewhere it returns None after a skip line.
#[allow(dead_code)] // Only some test binaries use a venv.
pub fn venv_python(name: &str, requirement: &str) -> Option<PathBuf> {
    require_tool("python3")?;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let output = std::process::Command::new(format!("{root}/scripts/setup/venv.sh"))
        .args([name, requirement])
        .output()
        .ok()
        .filter(|o| o.status.success());
    match output {
        Some(o) => Some(String::from_utf8_lossy(&o.stdout).trim().into()),
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{requirement} (venv {name}) is required under CI"
            );
            println!("skip: cannot install {requirement}");
            None
        }
    }
}

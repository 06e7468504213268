//! Shared by the SMPP tests: the rule for external tools, the npm `smpp` SMSC, and raw fake peers.
#![allow(dead_code)] // Each test binary uses a different subset.

#[path = "../../../mms/tests/support/tools.rs"]
mod tools;

pub mod fake_peer;
pub mod follow;
pub mod npm_smsc;

#[allow(unused_imports)] // Only the Twilio signature test uses a venv.
pub use tools::{require_tool, venv_python};

use std::time::Duration;

use canvass_connectors::smpp::SmppConfig;

/// A route to `addr` with timings short enough for tests.
pub fn test_config(addr: &str, password: &str) -> SmppConfig {
    let mut config = SmppConfig::new("test-smpp", addr, "canvass", password);
    config.response_timeout = Duration::from_secs(2);
    config.enquire_link_interval = Duration::from_secs(1);
    config.bind_wait = Duration::from_secs(3);
    config.throttle_pause = Duration::from_millis(300);
    config.reconnect = canvass_connectors::backoff::Backoff::new(
        Duration::from_millis(50),
        Duration::from_millis(400),
    );
    config
}

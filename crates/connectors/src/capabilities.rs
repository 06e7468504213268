//! What a connector can carry, so that routing picks one that fits before it tries.

use serde::Serialize;

/// A delivery channel: the one vocabulary of `canvass-types`, so dispatch and connectors never translate.
pub use canvass_types::Channel;

/// Declared by each connector when it is built.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capabilities {
    /// Channels this connector delivers.
    pub channels: Vec<Channel>,
    /// Largest message the carrier takes, in bytes (the MMS size cap; 140 octets per SMS segment).
    pub max_message_bytes: Option<usize>,
    /// Sustained submits per second the route allows, across all its binds; `None` when unlimited.
    pub max_per_second: Option<u32>,
    /// Submits that may be awaiting the carrier's answer at once.
    pub window: usize,
}

impl Capabilities {
    /// Whether this connector delivers on `channel`.
    pub fn carries(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }
}

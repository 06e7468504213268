//! The carrier simulator: the carrier that the demo, the tests and the benchmarks talk to. Every recipient gets
//! the personality its number selects ([`canvass_types::Personality`]); ordinary numbers are happy.
#![forbid(unsafe_code)]

mod config;
pub mod mmsc;
mod stats;

pub use config::SimConfig;
pub use stats::{Stats, StatsSnapshot};

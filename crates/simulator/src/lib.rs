//! The carrier simulator: the carrier that the demo, the tests and the benchmarks talk to. Every recipient gets
//! the personality its number selects ([`canvass_types::Personality`]); ordinary numbers are happy.
#![forbid(unsafe_code)]

mod config;
pub mod mmsc;
pub mod rbm;
pub mod smsc;
mod stats;
pub mod upstream;

pub use config::SimConfig;
pub use stats::{InterfaceCounters, Stats, StatsSnapshot};

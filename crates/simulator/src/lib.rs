//! The carrier simulator: the carrier that the demo, the tests and the benchmarks talk to. Every recipient gets
//! the personality its number selects ([`canvass_types::Personality`]); ordinary numbers are happy.
#![forbid(unsafe_code)]

mod client;
mod config;
mod control;
pub mod handsets;
pub mod mmsc;
pub mod rbm;
mod sim;
pub mod smsc;
mod stats;
pub mod upstream;

pub use config::SimConfig;
pub use sim::Simulator;
pub use stats::{InterfaceCounters, Stats, StatsSnapshot};

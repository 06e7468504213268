//! Audiences: who a campaign can reach, where they live and what they care about.
//!
//! This crate is domain logic only. Storage is a port ([`ports::ContactSink`]) that the `canvass-store` adapter
//! implements, so nothing here touches a database.
#![forbid(unsafe_code)]

pub mod contact;
pub mod geo;
pub mod import;
pub mod phone;
pub mod ports;
pub mod regions;
pub mod segment;
pub mod synth;

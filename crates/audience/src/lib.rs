//! Audiences: who a campaign can reach, where they live and what they care about.
//!
//! This crate is domain logic only. Storage is a port ([`store`]) that the `canvass-store` adapter implements.
#![forbid(unsafe_code)]

pub mod segment;

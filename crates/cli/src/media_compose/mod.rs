//! Composition over the media engine that needs no database: recognise any input and send it to the right
//! adapter ([`adapt_file`]), keep renders in the content-addressed blob store ([`BlobCache`]), and read what a
//! delivery report says about the handset ([`reported_handset`], [`fetch_uaprof`]).
//!
//! It lives beside the commands rather than in `canvass-media` because media never depends on the store; the
//! server can move it into its own crate when it adapts uploads too.

mod adapt;
mod blob_cache;
mod handset;
mod sniff;

pub use adapt::adapt_file;
pub use blob_cache::BlobCache;
pub use handset::{fetch_uaprof, reported_handset};

//! Composition over the media engine that needs no database: recognise any input and send it to the right
//! adapter ([`adapt_file`]), and keep renders in the content-addressed blob store ([`BlobCache`]).
//!
//! It lives beside the commands rather than in `canvass-media` because media never depends on the store; the
//! server can move it into its own crate when it adapts uploads too.

mod adapt;
mod blob_cache;
mod sniff;

pub use adapt::adapt_file;
pub use blob_cache::BlobCache;

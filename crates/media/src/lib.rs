//! The media engine: adapts pictures, video, audio and other content to what a carrier (and a handset) accepts,
//! and renders per-recipient pictures and videos from templates.
//!
//! Layout (one concern per module):
//! - [`profile`]: carrier profiles (the limits) and how a handset's capabilities tighten them;
//! - [`picture`]: decoding with pixel and allocation limits, orientation, resizing, JPEG under a byte budget, GIFs;
//! - `video`, `audio`, `ffmpeg`: the ffmpeg/ffprobe runner and what is built on it;
//! - `render`: picture templates (SVG and the JSON layer fast path) and video templates.
//!
//! Decoders never trust a header for allocation: limits are set before any pixel is decoded.

#![forbid(unsafe_code)]

pub mod audio;
pub mod error;
pub mod ffmpeg;
pub mod picture;
pub mod profile;
pub mod render;
pub mod video;

pub use error::{Error, Result};
pub use profile::CarrierProfile;

//! The crate's one error type. Every variant names the file (or template) and the reason, so that a batch can log
//! the bad item and carry on.

use std::path::PathBuf;

/// Result alias for the media engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong with one piece of media.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read or an output could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying failure.
        source: std::io::Error,
    },
    /// The input is of a type the engine (or the chosen profile) does not accept.
    #[error("{what}: unsupported type: {reason}")]
    Unsupported {
        /// The file or item concerned.
        what: String,
        /// Why it is not accepted.
        reason: String,
    },
    /// The input is corrupt, truncated or otherwise undecodable.
    #[error("{what}: cannot decode: {reason}")]
    Corrupt {
        /// The file or item concerned.
        what: String,
        /// What the decoder said.
        reason: String,
    },
    /// The input exceeds a resource limit (pixels, frames, duration, bytes): refused before the work is done.
    #[error("{what}: too large: {reason}")]
    TooLarge {
        /// The file or item concerned.
        what: String,
        /// Which limit, and by how much.
        reason: String,
    },
    /// No output within the byte budget could be produced.
    #[error("{what}: cannot fit {budget} bytes: {reason}")]
    OverBudget {
        /// The file or item concerned.
        what: String,
        /// The budget in bytes.
        budget: u64,
        /// The smallest result reached, and how.
        reason: String,
    },
    /// ffmpeg or ffprobe failed, timed out, or produced output that does not verify.
    #[error("{what}: {tool}: {reason}")]
    Tool {
        /// The file or item concerned.
        what: String,
        /// The program (`ffmpeg`, `ffprobe`).
        tool: &'static str,
        /// Its exit status or the last lines it printed.
        reason: String,
    },
    /// A template is malformed or references a missing field, font or image.
    #[error("template {template}: {reason}")]
    Template {
        /// The template's name or path.
        template: String,
        /// What is wrong, and where.
        reason: String,
    },
    /// A carrier profile is invalid or unknown.
    #[error("profile {name}: {reason}")]
    Profile {
        /// The profile's name.
        name: String,
        /// What is wrong.
        reason: String,
    },
}

//! Errors of building or checking a connector. Submit outcomes are not errors: see [`crate::SubmitOutcome`].

/// Why a connector could not be built, or its health check failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    /// The route's settings are wrong (a bad address, a missing credential).
    #[error("connector configuration: {0}")]
    Config(String),
    /// The carrier could not be reached.
    #[error("cannot reach {peer}: {reason}")]
    Unreachable {
        /// Address or URL tried.
        peer: String,
        /// What went wrong.
        reason: String,
    },
    /// The carrier refused our credentials (SMPP bind refused, HTTP 401/403).
    #[error("{peer} refused our credentials: {reason}")]
    Refused {
        /// Address or URL tried.
        peer: String,
        /// The carrier's answer.
        reason: String,
    },
    /// The carrier answered with something we cannot read.
    #[error("protocol error from {peer}: {reason}")]
    Protocol {
        /// Address or URL tried.
        peer: String,
        /// What was wrong with the answer.
        reason: String,
    },
}

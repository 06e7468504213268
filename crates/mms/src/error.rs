//! The error type of MMS encoding and decoding: what went wrong and at which byte of the PDU.

use std::fmt;

/// A decoding or encoding failure with the byte offset in the PDU (0 for encoding errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Byte offset in the input at which the problem was detected.
    pub offset: usize,
}

/// The kinds of [`Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A WSP-level problem: truncation, a bad length, a bad charset, an unexpected octet, …
    Wsp(canvass_wsp::ErrorKind),
    /// The PDU does not start with X-Mms-Message-Type (OMA-MMS-ENC 1.3 clause 7: it must come first).
    MissingMessageType,
    /// An X-Mms-Message-Type outside 0x80–0x97.
    UnknownMessageType(u8),
    /// A WAP Push whose content type is not application/vnd.wap.mms-message.
    NotMmsPush,
    /// A value that the wire format cannot carry (encoding side).
    Unencodable(&'static str),
}

impl Error {
    /// Builds an error.
    pub fn new(kind: ErrorKind, offset: usize) -> Self {
        Error { kind, offset }
    }

    /// An encoding error.
    pub fn unencodable(why: &'static str) -> Self {
        Error::new(ErrorKind::Unencodable(why), 0)
    }
}

impl From<canvass_wsp::Error> for Error {
    fn from(e: canvass_wsp::Error) -> Self {
        match e.kind {
            canvass_wsp::ErrorKind::Unencodable(why) => {
                Error::new(ErrorKind::Unencodable(why), e.offset)
            }
            kind => Error::new(ErrorKind::Wsp(kind), e.offset),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Wsp(kind) => write!(f, "{kind:?} at byte {}", self.offset),
            kind => write!(f, "{kind:?} at byte {}", self.offset),
        }
    }
}

impl std::error::Error for Error {}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;

//! The one error type of this crate: what went wrong, and at which byte of the input.

use std::fmt;

/// A decoding or encoding failure, with the byte offset (into the decoder's input) where it was found.
///
/// For encoding errors the offset is 0: there is no input to point into.
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
    /// The input ended in the middle of a value that needs more bytes.
    Truncated,
    /// A length field (uintvar, value-length, short-length) points past the end of its enclosing data.
    BadLength,
    /// A uintvar longer than 5 octets or larger than 32 bits (WAP-230 8.1.2).
    UintvarOverflow,
    /// A long-integer longer than 8 octets (WAP-230 8.4.2.1).
    IntegerOverflow,
    /// A text-string with no terminating NUL octet.
    UnterminatedString,
    /// A charset number (IANA MIBenum) this codec cannot convert.
    UnsupportedCharset(u32),
    /// Bytes that are not valid in their declared charset.
    BadCharset,
    /// A value whose first octet is not allowed for its field.
    UnexpectedOctet(u8),
    /// A header code page shift (WAP-230 8.4.2.6), which no MMS peer uses.
    UnsupportedCodePage,
    /// A WSP PDU type other than the one expected (e.g. not Push 0x06).
    UnexpectedPduType(u8),
    /// A value that cannot be represented in the wire format (encoding side).
    Unencodable(&'static str),
    /// SMS segments that do not belong together or leave gaps.
    BadSegments(&'static str),
}

impl Error {
    /// Builds an error of `kind` found at `offset`.
    pub fn new(kind: ErrorKind, offset: usize) -> Self {
        Error { kind, offset }
    }

    /// An encoding error (offset 0).
    pub fn unencodable(why: &'static str) -> Self {
        Error::new(ErrorKind::Unencodable(why), 0)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} at byte {}", self.kind, self.offset)
    }
}

impl std::error::Error for Error {}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;

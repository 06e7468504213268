//! The one error type of this crate: what was wrong ([`ErrorKind`]) and where (an element path such as
//! `Envelope/Body/SubmitReq/Recipients`, or a MIME part such as `MIME part 2`).

use std::fmt;

/// Why reading or writing an MM7 message failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    location: String,
}

/// The kinds of failure. New kinds may be added, so match with a wildcard arm.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is larger than [`crate::Limits::max_message_bytes`].
    #[error("message of {size} bytes exceeds the limit of {limit}")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The MIME structure could not be parsed, or has too many parts or levels.
    #[error("bad MIME: {0}")]
    Mime(String),
    /// The XML is not well-formed even after the lenient repairs.
    #[error("bad XML: {0}")]
    Xml(String),
    /// The XML is not a SOAP envelope with a body element.
    #[error("not a SOAP envelope: {0}")]
    NotSoap(String),
    /// The SOAP body holds an element that is not an MM7 message this crate knows.
    #[error("unknown MM7 message element {0:?}")]
    UnknownMessage(String),
    /// A mandatory element is absent.
    #[error("missing element {0}")]
    MissingElement(&'static str),
    /// An element or attribute holds a value that cannot be understood.
    #[error("invalid value {value:?} for {field}")]
    InvalidValue {
        /// The element or attribute.
        field: &'static str,
        /// The offending text (truncated to 64 characters).
        value: String,
    },
    /// The SOAP part refers to `cid:` content that no MIME part carries.
    #[error("no MIME part has Content-ID {0:?}")]
    MissingContent(String),
    /// When writing: the message's Content href and the content part's Content-ID disagree, or content is
    /// given for a message type that carries none.
    #[error("content reference mismatch: {0}")]
    ContentMismatch(String),
    /// When writing: the message sets an element (or attribute, or value) that the chosen namespace's schema
    /// does not define, because a later schema introduced it. See [`crate::Envelope::drop_unsupported`].
    #[error("{element} is not defined in {namespace}; it first appears in {since}")]
    NotInSchema {
        /// The element, attribute (`@name`) or value (`Element=value`).
        element: &'static str,
        /// The namespace being written, e.g. `REL-5-MM7-1-2`.
        namespace: String,
        /// The first namespace whose schema defines it.
        since: String,
    },
}

impl Error {
    /// Builds an error of `kind` found at `location`.
    pub fn new(kind: ErrorKind, location: impl Into<String>) -> Self {
        Self {
            kind,
            location: location.into(),
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where: an element path, a MIME part, or `message` for the whole input.
    pub fn location(&self) -> &str {
        &self.location
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at {})", self.kind, self.location)
    }
}

impl std::error::Error for Error {}

/// Shortens untrusted text kept in an error so that errors stay small.
pub(crate) fn excerpt(value: &str) -> String {
    value.chars().take(64).collect()
}

//! 3GPP MM7 (TS 23.140 §8.7): the SOAP 1.1 envelopes a VASP and an MMSC exchange over HTTP, with the
//! multimedia content in a MIME multipart/related referenced by `cid:`.
//!
//! - [`encode`] writes strictly: well-formed UTF-8 XML in the namespace chosen per peer ([`Namespace`]),
//!   CRLF MIME with reproducible boundaries, and only elements that namespace's schema defines: a field
//!   introduced by a later schema (ApplicID in REL-5-MM7-1-2, say) is refused with
//!   [`ErrorKind::NotInSchema`], never written and never silently dropped; [`Envelope::drop_unsupported`]
//!   clears such fields on request and names them. The table is in [`schema`].
//! - [`decode`] / [`decode_http`] read leniently: any namespace prefix or version (or none), missing
//!   optional elements, stray whitespace, unknown elements, undeclared prefixes, a bare SOAP body without
//!   MIME. Input is capped by [`Limits`]; nothing is allocated from a length the input claims.
//! - [`describe`] gives a JSON-ready description of a decoded message (every field, and each content
//!   part's type, name, size and SHA-256).
//!
//! ```
//! use canvass_mm7::{Address, Body, ContentRef, Envelope, Namespace, Part, SubmitReq};
//!
//! let mut submit = SubmitReq::default();
//! submit.recipients.to.push(Address::number("+15551230000"));
//! submit.content = Some(ContentRef::cid("content@example"));
//! let mut envelope = Envelope::new("tx-1", Namespace::Rel5(2), Body::SubmitReq(submit));
//! envelope.content = Some(Part::data("image/jpeg", vec![0xFF, 0xD8]).with_content_id("content@example"));
//! let written = canvass_mm7::encode(&envelope)?;
//! let read = canvass_mm7::decode_http(Some(&written.content_type), &written.body)?;
//! assert_eq!(read, envelope);
//! # Ok::<(), canvass_mm7::Error>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod content;
mod decode;
mod describe;
mod encode;
mod envelope;
mod error;
mod message;
mod mime;
mod namespace;
pub mod schema;
mod status;
mod types;
mod xml;

pub use content::{Part, PartBody};
pub use decode::{decode, decode_http, decode_http_with_limits, decode_with_limits};
pub use describe::{Description, PartDescription, describe};
pub use encode::encode;
pub use error::{Error, ErrorKind};
pub use message::{
    ApplicationIds, Body, CancelReq, DeliverReq, DeliverRsp, DeliveryReportReq, ReadReplyReq,
    ReplaceReq, ReplyCharging, RsErrorRsp, StatusRsp, SubmitReq, SubmitRsp, VaspErrorRsp,
};
pub use namespace::{NAMESPACE_BASE, Namespace, SOAP_ENV};
pub use status::{Status, StatusCode};
pub use types::{
    Address, AddressKind, ChargedParty, ContentRef, MessageClass, MmStatus, Priority, Recipients,
    SenderIdentification, UaCapabilities,
};

/// One MM7 message: the SOAP envelope's header and body, and the content it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `TransactionID` from the SOAP header (empty when the peer sent none).
    pub transaction_id: String,
    /// The MM7 schema namespace.
    pub namespace: Namespace,
    /// `MM7Version` (when empty, [`encode`] writes [`Namespace::default_mm7_version`]).
    pub mm7_version: String,
    /// The message.
    pub body: Body,
    /// The content (for SubmitReq, DeliverReq and ReplaceReq): the part whose Content-ID the body's
    /// `Content href="cid:…"` names.
    pub content: Option<Part>,
}

impl Envelope {
    /// An envelope without content, with the namespace's usual `MM7Version`.
    pub fn new(transaction_id: impl Into<String>, namespace: Namespace, body: Body) -> Envelope {
        Envelope {
            transaction_id: transaction_id.into(),
            mm7_version: namespace.default_mm7_version().to_string(),
            namespace,
            body,
            content: None,
        }
    }
}

/// Bounds on what the reader accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input in bytes (default 8 MiB, far above carriers' MMS limits).
    pub max_message_bytes: usize,
    /// Most MIME parts in the content (default 256).
    pub max_parts: usize,
    /// Deepest multipart nesting inside the content (default 4).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 8 * 1024 * 1024,
            max_parts: 256,
            max_depth: 4,
        }
    }
}

/// What [`encode`] produces: an HTTP body and the Content-Type header to send with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// Value of the HTTP `Content-Type` header: `multipart/related; …` or `text/xml; charset="utf-8"`.
    pub content_type: String,
    /// The HTTP body.
    pub body: Vec<u8>,
}

impl Encoded {
    /// The message as a self-contained MIME entity (`MIME-Version` and `Content-Type` headers, blank line,
    /// body), the form [`decode`] reads from a file.
    pub fn to_mime_entity(&self) -> Vec<u8> {
        let mut out = format!(
            "MIME-Version: 1.0\r\nContent-Type: {}\r\n\r\n",
            self.content_type
        )
        .into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

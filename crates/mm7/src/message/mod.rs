//! The MM7 messages (TS 23.140 §8.7), one module per request/response pair.

mod cancel;
mod deliver;
mod error_rsp;
pub(crate) mod fields;
mod replace;
mod report;
mod submit;

use roxmltree::Node;
use serde::{Deserialize, Serialize};

pub use cancel::CancelReq;
pub use deliver::{DeliverReq, DeliverRsp};
pub use error_rsp::{RsErrorRsp, VaspErrorRsp};
pub use fields::ApplicationIds;
pub use replace::ReplaceReq;
pub use report::{DeliveryReportReq, ReadReplyReq, StatusRsp};
pub use submit::{ReplyCharging, SubmitReq, SubmitRsp};

use crate::error::{Error, ErrorKind, excerpt};
use crate::types::ContentRef;
use crate::xml::write::XmlOut;

/// The message in a SOAP body. Serialised to JSON as `{"type": "SubmitReq", ...fields}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[allow(clippy::large_enum_variant)] // one message per envelope; boxing would only add noise
pub enum Body {
    /// `SubmitReq`.
    SubmitReq(SubmitReq),
    /// `SubmitRsp`.
    SubmitRsp(SubmitRsp),
    /// `DeliverReq`.
    DeliverReq(DeliverReq),
    /// `DeliverRsp`.
    DeliverRsp(DeliverRsp),
    /// `DeliveryReportReq`.
    DeliveryReportReq(DeliveryReportReq),
    /// `DeliveryReportRsp`.
    DeliveryReportRsp(StatusRsp),
    /// `ReadReplyReq`.
    ReadReplyReq(ReadReplyReq),
    /// `ReadReplyRsp`.
    ReadReplyRsp(StatusRsp),
    /// `CancelReq`.
    CancelReq(CancelReq),
    /// `CancelRsp`.
    CancelRsp(StatusRsp),
    /// `ReplaceReq`.
    ReplaceReq(ReplaceReq),
    /// `ReplaceRsp`.
    ReplaceRsp(StatusRsp),
    /// `RSErrorRsp`.
    RsErrorRsp(RsErrorRsp),
    /// `VASPErrorRsp`.
    VaspErrorRsp(VaspErrorRsp),
}

impl Body {
    /// The element name in the SOAP body.
    pub fn element_name(&self) -> &'static str {
        match self {
            Body::SubmitReq(_) => "SubmitReq",
            Body::SubmitRsp(_) => "SubmitRsp",
            Body::DeliverReq(_) => "DeliverReq",
            Body::DeliverRsp(_) => "DeliverRsp",
            Body::DeliveryReportReq(_) => "DeliveryReportReq",
            Body::DeliveryReportRsp(_) => "DeliveryReportRsp",
            Body::ReadReplyReq(_) => "ReadReplyReq",
            Body::ReadReplyRsp(_) => "ReadReplyRsp",
            Body::CancelReq(_) => "CancelReq",
            Body::CancelRsp(_) => "CancelRsp",
            Body::ReplaceReq(_) => "ReplaceReq",
            Body::ReplaceRsp(_) => "ReplaceRsp",
            Body::RsErrorRsp(_) => "RSErrorRsp",
            Body::VaspErrorRsp(_) => "VASPErrorRsp",
        }
    }

    /// The `Content` reference, for the three requests that carry content.
    pub fn content_ref(&self) -> Option<&ContentRef> {
        match self {
            Body::SubmitReq(message) => message.content.as_ref(),
            Body::DeliverReq(message) => message.content.as_ref(),
            Body::ReplaceReq(message) => message.content.as_ref(),
            _ => None,
        }
    }

    /// Whether this message type can carry content at all.
    pub fn carries_content(&self) -> bool {
        matches!(
            self,
            Body::SubmitReq(_) | Body::DeliverReq(_) | Body::ReplaceReq(_)
        )
    }

    /// The `Status` of a response, `None` for requests.
    pub fn status(&self) -> Option<&crate::Status> {
        match self {
            Body::SubmitRsp(message) => Some(&message.status),
            Body::DeliverRsp(message) => Some(&message.status),
            Body::DeliveryReportRsp(message)
            | Body::ReadReplyRsp(message)
            | Body::CancelRsp(message)
            | Body::ReplaceRsp(message) => Some(&message.status),
            Body::RsErrorRsp(message) => Some(&message.status),
            Body::VaspErrorRsp(message) => Some(&message.status),
            _ => None,
        }
    }

    pub(crate) fn write_fields(&self, out: &mut XmlOut) -> Result<(), Error> {
        match self {
            Body::SubmitReq(message) => message.write(out),
            Body::SubmitRsp(message) => message.write(out),
            Body::DeliverReq(message) => message.write(out),
            Body::DeliverRsp(message) => message.write(out),
            Body::DeliveryReportReq(message) => message.write(out),
            Body::ReadReplyReq(message) => message.write(out),
            Body::CancelReq(message) => message.write(out),
            Body::ReplaceReq(message) => message.write(out),
            Body::RsErrorRsp(message) => message.write(out),
            Body::VaspErrorRsp(message) => message.write(out),
            Body::DeliveryReportRsp(message)
            | Body::ReadReplyRsp(message)
            | Body::CancelRsp(message)
            | Body::ReplaceRsp(message) => message.write(out),
        }
    }

    /// Reads the message element `node` (matched by local name, ignoring case and namespace).
    pub(crate) fn read(node: Node<'_, '_>) -> Result<Body, Error> {
        let name = node.tag_name().name();
        let matches = |candidate: &str| name.eq_ignore_ascii_case(candidate);
        Ok(if matches("SubmitReq") {
            Body::SubmitReq(SubmitReq::read(node)?)
        } else if matches("SubmitRsp") {
            Body::SubmitRsp(SubmitRsp::read(node)?)
        } else if matches("DeliverReq") {
            Body::DeliverReq(DeliverReq::read(node)?)
        } else if matches("DeliverRsp") {
            Body::DeliverRsp(DeliverRsp::read(node)?)
        } else if matches("DeliveryReportReq") {
            Body::DeliveryReportReq(DeliveryReportReq::read(node)?)
        } else if matches("DeliveryReportRsp") {
            Body::DeliveryReportRsp(StatusRsp::read(node)?)
        } else if matches("ReadReplyReq") {
            Body::ReadReplyReq(ReadReplyReq::read(node)?)
        } else if matches("ReadReplyRsp") {
            Body::ReadReplyRsp(StatusRsp::read(node)?)
        } else if matches("CancelReq") {
            Body::CancelReq(CancelReq::read(node)?)
        } else if matches("CancelRsp") {
            Body::CancelRsp(StatusRsp::read(node)?)
        } else if matches("ReplaceReq") {
            Body::ReplaceReq(ReplaceReq::read(node)?)
        } else if matches("ReplaceRsp") {
            Body::ReplaceRsp(StatusRsp::read(node)?)
        } else if matches("RSErrorRsp") {
            Body::RsErrorRsp(RsErrorRsp::read(node)?)
        } else if matches("VASPErrorRsp") {
            Body::VaspErrorRsp(VaspErrorRsp::read(node)?)
        } else {
            return Err(Error::new(
                ErrorKind::UnknownMessage(excerpt(name)),
                crate::xml::read::path(node),
            ));
        })
    }
}

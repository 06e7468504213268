//! MM7_delivery_report.REQ/RES and MM7_read_reply.REQ/RES (TS 23.140 §8.7.5, §8.7.6, §8.7.4.5–6): the
//! MMSC tells the VASP that a message was delivered (or not), or read.

use roxmltree::Node;
use serde::{Deserialize, Serialize};

use super::fields::{self, ApplicationIds};
use crate::error::{Error, ErrorKind};
use crate::status::Status;
use crate::types::{Address, MmStatus, UaCapabilities};
use crate::xml::read::{self, optional, path_to};
use crate::xml::write::XmlOut;

/// `DeliveryReportReq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryReportReq {
    /// `MMSRelayServerID`.
    pub relay_server_id: Option<String>,
    /// `MessageID` from the SubmitRsp.
    pub message_id: String,
    /// `Recipient` the report is about.
    pub recipient: Address,
    /// `Sender` of the original message.
    pub sender: Address,
    /// `Date` of the event (some peers write `TimeStamp`; both are read).
    pub date: String,
    /// `MMStatus`.
    pub mm_status: MmStatus,
    /// `MMStatusExtension`.
    pub mm_status_extension: Option<String>,
    /// `StatusText`.
    pub status_text: Option<String>,
    /// ApplicID, ReplyApplicID, AuxApplicInfo.
    #[serde(default)]
    pub application: ApplicationIds,
    /// `UACapabilities` of the receiving handset.
    pub ua_capabilities: Option<UaCapabilities>,
}

impl DeliveryReportReq {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        out.optional("MMSRelayServerID", self.relay_server_id.as_deref())?;
        out.text("MessageID", &self.message_id)?;
        out.wrapped_address("Recipient", &self.recipient)?;
        out.wrapped_address("Sender", &self.sender)?;
        out.text("Date", &self.date)?;
        out.text("MMStatus", self.mm_status.as_str())?;
        out.optional("MMStatusExtension", self.mm_status_extension.as_deref())?;
        out.optional("StatusText", self.status_text.as_deref())?;
        self.application.write(out)?;
        if let Some(capabilities) = &self.ua_capabilities {
            fields::write_ua_capabilities(out, capabilities)?;
        }
        Ok(())
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<DeliveryReportReq, Error> {
        Ok(DeliveryReportReq {
            relay_server_id: optional(node, "MMSRelayServerID"),
            message_id: read::required(node, "MessageID")?,
            recipient: read::required_address(node, "Recipient")?,
            sender: read::required_address(node, "Sender")?,
            date: date_or_time_stamp(node, "Date")?,
            mm_status: MmStatus::parse(&read::required(node, "MMStatus")?),
            mm_status_extension: optional(node, "MMStatusExtension"),
            status_text: optional(node, "StatusText"),
            application: ApplicationIds::read(node),
            ua_capabilities: fields::read_ua_capabilities(node),
        })
    }
}

/// `ReadReplyReq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadReplyReq {
    /// `MMSRelayServerID`.
    pub relay_server_id: Option<String>,
    /// `MessageID` from the SubmitRsp.
    pub message_id: String,
    /// `Recipient` who read (or deleted) the message.
    pub recipient: Address,
    /// `Sender` of the original message.
    pub sender: Address,
    /// `TimeStamp` of the event (some peers write `Date`; both are read).
    pub time_stamp: String,
    /// `MMStatus` (Read, Deleted, …).
    pub mm_status: MmStatus,
    /// `StatusText`.
    pub status_text: Option<String>,
    /// ApplicID, ReplyApplicID, AuxApplicInfo.
    #[serde(default)]
    pub application: ApplicationIds,
}

impl ReadReplyReq {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        out.optional("MMSRelayServerID", self.relay_server_id.as_deref())?;
        out.text("MessageID", &self.message_id)?;
        out.wrapped_address("Recipient", &self.recipient)?;
        out.wrapped_address("Sender", &self.sender)?;
        out.text("TimeStamp", &self.time_stamp)?;
        out.text("MMStatus", self.mm_status.as_str())?;
        out.optional("StatusText", self.status_text.as_deref())?;
        self.application.write(out)
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<ReadReplyReq, Error> {
        Ok(ReadReplyReq {
            relay_server_id: optional(node, "MMSRelayServerID"),
            message_id: read::required(node, "MessageID")?,
            recipient: read::required_address(node, "Recipient")?,
            sender: read::required_address(node, "Sender")?,
            time_stamp: date_or_time_stamp(node, "TimeStamp")?,
            mm_status: MmStatus::parse(&read::required(node, "MMStatus")?),
            status_text: optional(node, "StatusText"),
            application: ApplicationIds::read(node),
        })
    }
}

/// Reads `preferred`, falling back to the other of Date/TimeStamp, which peers mix up.
fn date_or_time_stamp(node: Node<'_, '_>, preferred: &'static str) -> Result<String, Error> {
    let other = if preferred == "Date" {
        "TimeStamp"
    } else {
        "Date"
    };
    optional(node, preferred)
        .or_else(|| optional(node, other))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::MissingElement(preferred),
                path_to(node, preferred),
            )
        })
}

/// `DeliveryReportRsp`, `ReadReplyRsp`, `CancelRsp` and `ReplaceRsp`: only a status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRsp {
    /// `Status`.
    pub status: Status,
}

impl StatusRsp {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        fields::write_status(out, &self.status)
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<StatusRsp, Error> {
        Ok(StatusRsp {
            status: fields::read_status(node)?,
        })
    }
}

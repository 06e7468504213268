//! MM7_replace.REQ / MM7_replace.RES (TS 23.140 §8.7.3a, §8.7.4.4): a VASP replaces the content of a
//! message not yet retrieved. The response is a [`super::StatusRsp`].

use roxmltree::Node;
use serde::{Deserialize, Serialize};

use super::fields;
use crate::error::Error;
use crate::types::{ContentRef, SenderIdentification};
use crate::xml::read::{self, optional, optional_bool};
use crate::xml::write::XmlOut;

/// `ReplaceReq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplaceReq {
    /// `SenderIdentification` (VASPID, VASID), written only when something is set.
    #[serde(default)]
    pub sender_identification: SenderIdentification,
    /// `MessageID` to replace.
    pub message_id: String,
    /// `ServiceCode`.
    pub service_code: Option<String>,
    /// `TimeStamp`.
    pub time_stamp: Option<String>,
    /// `EarliestDeliveryTime`.
    pub earliest_delivery_time: Option<String>,
    /// `ReadReply`.
    pub read_reply: Option<bool>,
    /// `DistributionIndicator`.
    pub distribution_indicator: Option<bool>,
    /// `ContentClass`.
    pub content_class: Option<String>,
    /// `DRMContent`.
    pub drm_content: Option<bool>,
    /// `Content`: the reference to the new MIME content.
    pub content: Option<ContentRef>,
}

impl ReplaceReq {
    /// A ReplaceReq for `message_id` with every optional field empty.
    pub fn new(message_id: impl Into<String>) -> ReplaceReq {
        ReplaceReq {
            sender_identification: SenderIdentification::default(),
            message_id: message_id.into(),
            service_code: None,
            time_stamp: None,
            earliest_delivery_time: None,
            read_reply: None,
            distribution_indicator: None,
            content_class: None,
            drm_content: None,
            content: None,
        }
    }

    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        if self.sender_identification != SenderIdentification::default() {
            fields::write_sender_identification(out, &self.sender_identification)?;
        }
        out.text("MessageID", &self.message_id)?;
        out.optional("ServiceCode", self.service_code.as_deref())?;
        out.optional("TimeStamp", self.time_stamp.as_deref())?;
        out.optional(
            "EarliestDeliveryTime",
            self.earliest_delivery_time.as_deref(),
        )?;
        out.optional_bool("ReadReply", self.read_reply)?;
        out.optional_bool("DistributionIndicator", self.distribution_indicator)?;
        out.optional("ContentClass", self.content_class.as_deref())?;
        out.optional_bool("DRMContent", self.drm_content)?;
        if let Some(content) = &self.content {
            fields::write_content_ref(out, content)?;
        }
        Ok(())
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<ReplaceReq, Error> {
        Ok(ReplaceReq {
            sender_identification: fields::read_sender_identification(node)?,
            message_id: read::required(node, "MessageID")?,
            service_code: optional(node, "ServiceCode"),
            time_stamp: optional(node, "TimeStamp"),
            earliest_delivery_time: optional(node, "EarliestDeliveryTime"),
            read_reply: optional_bool(node, "ReadReply")?,
            distribution_indicator: optional_bool(node, "DistributionIndicator")?,
            content_class: optional(node, "ContentClass"),
            drm_content: optional_bool(node, "DRMContent")?,
            content: fields::read_content_ref(node)?,
        })
    }
}

//! MM7_submit.REQ / MM7_submit.RES (TS 23.140 §8.7.1, §8.7.4.1): a VASP submits a message to the MMSC.

use roxmltree::Node;
use serde::{Deserialize, Serialize};

use super::fields::{self, ApplicationIds};
use crate::error::{Error, ErrorKind, excerpt};
use crate::status::Status;
use crate::types::{
    ChargedParty, ContentRef, MessageClass, Priority, Recipients, SenderIdentification,
};
use crate::xml::read::{attribute, child, children, optional, optional_bool, path, text_of};
use crate::xml::write::XmlOut;

/// `ReplyCharging`: the VASP pays for the recipient's reply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyCharging {
    /// `replyChargingSize` attribute (bytes).
    pub size: Option<String>,
    /// `replyDeadline` attribute (absolute or relative time).
    pub deadline: Option<String>,
}

/// `SubmitReq`. Times are kept as the ISO 8601 text the peer sent (absolute or relative).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitReq {
    /// `SenderIdentification` (VASPID, VASID, SenderAddress).
    pub sender_identification: SenderIdentification,
    /// `Recipients`.
    pub recipients: Recipients,
    /// `ServiceCode`.
    pub service_code: Option<String>,
    /// `LinkedID`: the MessageID of a DeliverReq this answers.
    pub linked_id: Option<String>,
    /// `MessageClass`.
    pub message_class: Option<MessageClass>,
    /// `TimeStamp`.
    pub time_stamp: Option<String>,
    /// `ReplyCharging`.
    pub reply_charging: Option<ReplyCharging>,
    /// `EarliestDeliveryTime`.
    pub earliest_delivery_time: Option<String>,
    /// `ExpiryDate`.
    pub expiry_date: Option<String>,
    /// `DeliveryReport`: ask for a DeliveryReportReq.
    pub delivery_report: Option<bool>,
    /// `ReadReply`: ask for a ReadReplyReq.
    pub read_reply: Option<bool>,
    /// `Priority`.
    pub priority: Option<Priority>,
    /// `Subject`.
    pub subject: Option<String>,
    /// `ChargedParty`.
    pub charged_party: Option<ChargedParty>,
    /// `ChargedPartyID`.
    pub charged_party_id: Option<String>,
    /// `DistributionIndicator`: whether the recipient may forward the content.
    pub distribution_indicator: Option<bool>,
    /// `DeliveryCondition`: the `DC` values (delivery conditions agreed with the MMSC); empty: none.
    pub delivery_condition: Vec<u32>,
    /// ApplicID, ReplyApplicID, AuxApplicInfo.
    pub application: ApplicationIds,
    /// `ContentClass`.
    pub content_class: Option<String>,
    /// `DRMContent`.
    pub drm_content: Option<bool>,
    /// `Content`: the reference to the MIME content.
    pub content: Option<ContentRef>,
}

impl SubmitReq {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        fields::write_sender_identification(out, &self.sender_identification)?;
        fields::write_recipients(out, &self.recipients)?;
        out.optional("ServiceCode", self.service_code.as_deref())?;
        out.optional("LinkedID", self.linked_id.as_deref())?;
        out.optional(
            "MessageClass",
            self.message_class.as_ref().map(MessageClass::as_str),
        )?;
        out.optional("TimeStamp", self.time_stamp.as_deref())?;
        if let Some(charging) = &self.reply_charging {
            let mut attributes = Vec::new();
            if let Some(size) = &charging.size {
                attributes.push(("replyChargingSize", size.as_str()));
            }
            if let Some(deadline) = &charging.deadline {
                attributes.push(("replyDeadline", deadline.as_str()));
            }
            out.empty("ReplyCharging", &attributes)?;
        }
        out.optional(
            "EarliestDeliveryTime",
            self.earliest_delivery_time.as_deref(),
        )?;
        out.optional("ExpiryDate", self.expiry_date.as_deref())?;
        out.optional_bool("DeliveryReport", self.delivery_report)?;
        out.optional_bool("ReadReply", self.read_reply)?;
        out.optional("Priority", self.priority.as_ref().map(Priority::as_str))?;
        out.optional("Subject", self.subject.as_deref())?;
        out.optional(
            "ChargedParty",
            self.charged_party.as_ref().map(ChargedParty::as_str),
        )?;
        out.optional("ChargedPartyID", self.charged_party_id.as_deref())?;
        out.optional_bool("DistributionIndicator", self.distribution_indicator)?;
        if !self.delivery_condition.is_empty() {
            out.open("DeliveryCondition", &[])?;
            for condition in &self.delivery_condition {
                out.text("DC", &condition.to_string())?;
            }
            out.close("DeliveryCondition")?;
        }
        self.application.write(out)?;
        out.optional("ContentClass", self.content_class.as_deref())?;
        out.optional_bool("DRMContent", self.drm_content)?;
        if let Some(content) = &self.content {
            fields::write_content_ref(out, content)?;
        }
        Ok(())
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<SubmitReq, Error> {
        Ok(SubmitReq {
            sender_identification: fields::read_sender_identification(node)?,
            recipients: fields::optional_recipients(node)?.unwrap_or_default(),
            service_code: optional(node, "ServiceCode"),
            linked_id: optional(node, "LinkedID"),
            message_class: optional(node, "MessageClass").map(|text| MessageClass::parse(&text)),
            time_stamp: optional(node, "TimeStamp"),
            reply_charging: child(node, "ReplyCharging").map(|charging| ReplyCharging {
                size: attribute(charging, "replyChargingSize").map(|t| t.trim().to_string()),
                deadline: attribute(charging, "replyDeadline").map(|t| t.trim().to_string()),
            }),
            earliest_delivery_time: optional(node, "EarliestDeliveryTime"),
            expiry_date: optional(node, "ExpiryDate"),
            delivery_report: optional_bool(node, "DeliveryReport")?,
            read_reply: optional_bool(node, "ReadReply")?,
            priority: optional(node, "Priority").map(|text| Priority::parse(&text)),
            subject: optional(node, "Subject"),
            charged_party: optional(node, "ChargedParty").map(|text| ChargedParty::parse(&text)),
            charged_party_id: optional(node, "ChargedPartyID"),
            distribution_indicator: optional_bool(node, "DistributionIndicator")?,
            delivery_condition: read_delivery_condition(node)?,
            application: ApplicationIds::read(node),
            content_class: optional(node, "ContentClass"),
            drm_content: optional_bool(node, "DRMContent")?,
            content: fields::read_content_ref(node)?,
        })
    }
}

fn read_delivery_condition(message: Node<'_, '_>) -> Result<Vec<u32>, Error> {
    let Some(node) = child(message, "DeliveryCondition") else {
        return Ok(Vec::new());
    };
    children(node, "DC")
        .map(|condition| {
            let text = text_of(condition);
            text.parse::<u32>().map_err(|_| {
                Error::new(
                    ErrorKind::InvalidValue {
                        field: "DC",
                        value: excerpt(&text),
                    },
                    path(condition),
                )
            })
        })
        .collect()
}

/// `SubmitRsp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitRsp {
    /// `Status`.
    pub status: Status,
    /// `MessageID` the MMSC gave the message (absent on failure).
    pub message_id: Option<String>,
}

impl SubmitRsp {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        fields::write_status(out, &self.status)?;
        out.optional("MessageID", self.message_id.as_deref())
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<SubmitRsp, Error> {
        Ok(SubmitRsp {
            status: fields::read_status(node)?,
            message_id: optional(node, "MessageID"),
        })
    }
}

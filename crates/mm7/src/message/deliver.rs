//! MM7_deliver.REQ / MM7_deliver.RES (TS 23.140 §8.7.2, §8.7.4.2): the MMSC delivers a message
//! (typically a handset's reply) to the VASP.

use roxmltree::Node;
use serde::{Deserialize, Serialize};

use super::fields::{self, ApplicationIds};
use crate::error::Error;
use crate::status::Status;
use crate::types::{Address, ContentRef, Priority, Recipients, UaCapabilities};
use crate::xml::read::{self, optional};
use crate::xml::write::XmlOut;

/// `DeliverReq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverReq {
    /// `MMSRelayServerID`.
    pub relay_server_id: Option<String>,
    /// `VASPID`.
    pub vasp_id: Option<String>,
    /// `VASID`.
    pub vas_id: Option<String>,
    /// `LinkedID`: quote it in a SubmitReq that answers this message.
    pub linked_id: Option<String>,
    /// `Sender`.
    pub sender: Address,
    /// `Recipients`.
    pub recipients: Option<Recipients>,
    /// `SenderSPI`.
    pub sender_spi: Option<String>,
    /// `RecipientSPI`.
    pub recipient_spi: Option<String>,
    /// `TimeStamp`.
    pub time_stamp: Option<String>,
    /// `ReplyChargingID`.
    pub reply_charging_id: Option<String>,
    /// `Priority`.
    pub priority: Option<Priority>,
    /// `Subject`.
    pub subject: Option<String>,
    /// ApplicID, ReplyApplicID, AuxApplicInfo.
    #[serde(default)]
    pub application: ApplicationIds,
    /// `UACapabilities` of the sending handset.
    pub ua_capabilities: Option<UaCapabilities>,
    /// `Content`: the reference to the MIME content.
    pub content: Option<ContentRef>,
}

impl DeliverReq {
    /// A DeliverReq from `sender` with every optional field empty.
    pub fn new(sender: Address) -> DeliverReq {
        DeliverReq {
            relay_server_id: None,
            vasp_id: None,
            vas_id: None,
            linked_id: None,
            sender,
            recipients: None,
            sender_spi: None,
            recipient_spi: None,
            time_stamp: None,
            reply_charging_id: None,
            priority: None,
            subject: None,
            application: ApplicationIds::default(),
            ua_capabilities: None,
            content: None,
        }
    }

    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        out.optional("MMSRelayServerID", self.relay_server_id.as_deref())?;
        out.optional("VASPID", self.vasp_id.as_deref())?;
        out.optional("VASID", self.vas_id.as_deref())?;
        out.optional("LinkedID", self.linked_id.as_deref())?;
        out.wrapped_address("Sender", &self.sender)?;
        if let Some(recipients) = &self.recipients {
            fields::write_recipients(out, recipients)?;
        }
        out.optional("SenderSPI", self.sender_spi.as_deref())?;
        out.optional("RecipientSPI", self.recipient_spi.as_deref())?;
        out.optional("TimeStamp", self.time_stamp.as_deref())?;
        out.optional("ReplyChargingID", self.reply_charging_id.as_deref())?;
        out.optional("Priority", self.priority.as_ref().map(Priority::as_str))?;
        out.optional("Subject", self.subject.as_deref())?;
        self.application.write(out)?;
        if let Some(capabilities) = &self.ua_capabilities {
            fields::write_ua_capabilities(out, capabilities)?;
        }
        if let Some(content) = &self.content {
            fields::write_content_ref(out, content)?;
        }
        Ok(())
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<DeliverReq, Error> {
        Ok(DeliverReq {
            relay_server_id: optional(node, "MMSRelayServerID"),
            vasp_id: optional(node, "VASPID"),
            vas_id: optional(node, "VASID"),
            linked_id: optional(node, "LinkedID"),
            sender: read::required_address(node, "Sender")?,
            recipients: fields::optional_recipients(node)?,
            sender_spi: optional(node, "SenderSPI"),
            recipient_spi: optional(node, "RecipientSPI"),
            time_stamp: optional(node, "TimeStamp"),
            reply_charging_id: optional(node, "ReplyChargingID"),
            priority: optional(node, "Priority").map(|text| Priority::parse(&text)),
            subject: optional(node, "Subject"),
            application: ApplicationIds::read(node),
            ua_capabilities: fields::read_ua_capabilities(node),
            content: fields::read_content_ref(node)?,
        })
    }
}

/// `DeliverRsp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverRsp {
    /// `Status`.
    pub status: Status,
    /// `ServiceCode` the VASP wants charged.
    pub service_code: Option<String>,
}

impl DeliverRsp {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        fields::write_status(out, &self.status)?;
        out.optional("ServiceCode", self.service_code.as_deref())
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<DeliverRsp, Error> {
        Ok(DeliverRsp {
            status: fields::read_status(node)?,
            service_code: optional(node, "ServiceCode"),
        })
    }
}

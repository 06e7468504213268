//! MM7_cancel.REQ / MM7_cancel.RES (TS 23.140 §8.7.3, §8.7.4.3): a VASP cancels a message not yet
//! delivered. The response is a [`super::StatusRsp`].

use roxmltree::Node;
use serde::{Deserialize, Serialize};

use super::fields;
use crate::error::Error;
use crate::types::SenderIdentification;
use crate::xml::read;
use crate::xml::write::XmlOut;

/// `CancelReq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelReq {
    /// `SenderIdentification` (VASPID, VASID, SenderAddress), written only when something is set.
    #[serde(default)]
    pub sender_identification: SenderIdentification,
    /// `MessageID` to cancel.
    pub message_id: String,
}

impl CancelReq {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        if self.sender_identification != SenderIdentification::default() {
            fields::write_sender_identification(out, &self.sender_identification)?;
        }
        out.text("MessageID", &self.message_id)
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<CancelReq, Error> {
        Ok(CancelReq {
            sender_identification: fields::read_sender_identification(node)?,
            message_id: read::required(node, "MessageID")?,
        })
    }
}

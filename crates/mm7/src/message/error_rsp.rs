//! RSErrorRsp and VASPErrorRsp (TS 23.140 §8.7.7): a generic error answer when a request could not even
//! be understood, from the MMSC (relay/server) or from the VASP.

use roxmltree::Node;
use serde::{Deserialize, Serialize};

use super::fields;
use crate::error::Error;
use crate::status::Status;
use crate::xml::read::optional;
use crate::xml::write::XmlOut;

/// `RSErrorRsp`: the MMSC could not process a VASP's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RsErrorRsp {
    /// `MMSRelayServerID`.
    pub relay_server_id: Option<String>,
    /// `Status`.
    pub status: Status,
}

impl RsErrorRsp {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        out.optional("MMSRelayServerID", self.relay_server_id.as_deref())?;
        fields::write_status(out, &self.status)
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<RsErrorRsp, Error> {
        Ok(RsErrorRsp {
            relay_server_id: optional(node, "MMSRelayServerID"),
            status: fields::read_status(node)?,
        })
    }
}

/// `VASPErrorRsp`: the VASP could not process the MMSC's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaspErrorRsp {
    /// `VASPID`.
    pub vasp_id: Option<String>,
    /// `VASID`.
    pub vas_id: Option<String>,
    /// `Status`.
    pub status: Status,
}

impl VaspErrorRsp {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        out.optional("VASPID", self.vasp_id.as_deref())?;
        out.optional("VASID", self.vas_id.as_deref())?;
        fields::write_status(out, &self.status)
    }

    pub(crate) fn read(node: Node<'_, '_>) -> Result<VaspErrorRsp, Error> {
        Ok(VaspErrorRsp {
            vasp_id: optional(node, "VASPID"),
            vas_id: optional(node, "VASID"),
            status: fields::read_status(node)?,
        })
    }
}

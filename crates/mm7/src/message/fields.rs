//! Field groups that several MM7 messages share: recipients, sender identification, status, content
//! reference and UA capabilities.

use roxmltree::Node;

use crate::error::{Error, ErrorKind, excerpt};
use crate::status::{Status, StatusCode};
use crate::types::{ContentRef, Recipients, SenderIdentification, UaCapabilities};
use crate::xml::read::{self, attribute, bool_attribute, child, children, optional, path_to};
use crate::xml::write::{XmlOut, bool_text};

/// The schema wants at least one address in a Recipients element, so an empty list is refused.
pub(crate) fn write_recipients(out: &mut XmlOut, recipients: &Recipients) -> Result<(), Error> {
    if recipients.is_empty() {
        return Err(Error::new(
            ErrorKind::MissingElement("Recipients/To"),
            "writer: Recipients",
        ));
    }
    out.open("Recipients", &[])?;
    for (name, list) in [
        ("To", &recipients.to),
        ("Cc", &recipients.cc),
        ("Bcc", &recipients.bcc),
    ] {
        if list.is_empty() {
            continue;
        }
        out.open(name, &[])?;
        for address in list {
            out.address(address)?;
        }
        out.close(name)?;
    }
    out.close("Recipients")
}

/// Collects every To, Cc and Bcc element (peers repeat them rather than list addresses in one).
pub(crate) fn read_recipients(node: Node<'_, '_>) -> Result<Recipients, Error> {
    let mut recipients = Recipients::default();
    for (name, list) in [
        ("To", &mut recipients.to),
        ("Cc", &mut recipients.cc),
        ("Bcc", &mut recipients.bcc),
    ] {
        for group in children(node, name) {
            list.extend(read::addresses(group)?);
        }
    }
    Ok(recipients)
}

pub(crate) fn optional_recipients(node: Node<'_, '_>) -> Result<Option<Recipients>, Error> {
    child(node, "Recipients").map(read_recipients).transpose()
}

pub(crate) fn write_sender_identification(
    out: &mut XmlOut,
    sender: &SenderIdentification,
) -> Result<(), Error> {
    out.open("SenderIdentification", &[])?;
    out.optional("VASPID", sender.vasp_id.as_deref())?;
    out.optional("VASID", sender.vas_id.as_deref())?;
    if let Some(address) = &sender.sender_address {
        out.wrapped_address("SenderAddress", address)?;
    }
    out.close("SenderIdentification")
}

/// REL-5-MM7-1-0 peers put VASPID, VASID and SenderAddress straight in the message; later ones wrap them
/// in SenderIdentification. Both are read.
pub(crate) fn read_sender_identification(
    message: Node<'_, '_>,
) -> Result<SenderIdentification, Error> {
    let node = child(message, "SenderIdentification").unwrap_or(message);
    Ok(SenderIdentification {
        vasp_id: optional(node, "VASPID"),
        vas_id: optional(node, "VASID"),
        sender_address: read::optional_address(node, "SenderAddress")?,
    })
}

pub(crate) fn write_status(out: &mut XmlOut, status: &Status) -> Result<(), Error> {
    out.open("Status", &[])?;
    out.text("StatusCode", &status.code.code().to_string())?;
    out.text("StatusText", &status.text)?;
    out.optional("Details", status.details.as_deref())?;
    out.close("Status")
}

pub(crate) fn read_status(message: Node<'_, '_>) -> Result<Status, Error> {
    let node = child(message, "Status").ok_or_else(|| {
        Error::new(
            ErrorKind::MissingElement("Status"),
            path_to(message, "Status"),
        )
    })?;
    let code_text = read::required(node, "StatusCode")?;
    let code = code_text.parse::<u16>().map_err(|_| {
        Error::new(
            ErrorKind::InvalidValue {
                field: "StatusCode",
                value: excerpt(&code_text),
            },
            path_to(node, "StatusCode"),
        )
    })?;
    Ok(Status {
        code: StatusCode::from(code),
        text: optional(node, "StatusText").unwrap_or_default(),
        details: optional(node, "Details"),
    })
}

pub(crate) fn write_content_ref(out: &mut XmlOut, content: &ContentRef) -> Result<(), Error> {
    let mut attributes = vec![("href", content.href.as_str())];
    if let Some(allow) = content.allow_adaptations {
        attributes.push(("allowAdaptations", bool_text(allow)));
    }
    out.empty("Content", &attributes)
}

pub(crate) fn read_content_ref(message: Node<'_, '_>) -> Result<Option<ContentRef>, Error> {
    let Some(node) = child(message, "Content") else {
        return Ok(None);
    };
    let href = attribute(node, "href")
        .ok_or_else(|| Error::new(ErrorKind::MissingElement("Content@href"), read::path(node)))?;
    Ok(Some(ContentRef {
        href: href.trim().to_string(),
        allow_adaptations: bool_attribute(node, "allowAdaptations")?,
    }))
}

pub(crate) fn write_ua_capabilities(
    out: &mut XmlOut,
    capabilities: &UaCapabilities,
) -> Result<(), Error> {
    let mut attributes = Vec::new();
    if let Some(profile) = &capabilities.ua_prof {
        attributes.push(("UAProf", profile.as_str()));
    }
    if let Some(time) = &capabilities.time_stamp {
        attributes.push(("TimeStamp", time.as_str()));
    }
    out.empty("UACapabilities", &attributes)
}

pub(crate) fn read_ua_capabilities(message: Node<'_, '_>) -> Option<UaCapabilities> {
    child(message, "UACapabilities").map(|node| UaCapabilities {
        ua_prof: attribute(node, "UAProf").map(|text| text.trim().to_string()),
        time_stamp: attribute(node, "TimeStamp").map(|text| text.trim().to_string()),
    })
}

/// The REL-6 application addressing trio (ApplicID, ReplyApplicID, AuxApplicInfo).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ApplicationIds {
    /// `ApplicID`.
    pub applic_id: Option<String>,
    /// `ReplyApplicID`.
    pub reply_applic_id: Option<String>,
    /// `AuxApplicInfo`.
    pub aux_applic_info: Option<String>,
}

impl ApplicationIds {
    pub(crate) fn write(&self, out: &mut XmlOut) -> Result<(), Error> {
        out.optional("ApplicID", self.applic_id.as_deref())?;
        out.optional("ReplyApplicID", self.reply_applic_id.as_deref())?;
        out.optional("AuxApplicInfo", self.aux_applic_info.as_deref())
    }

    pub(crate) fn read(message: Node<'_, '_>) -> ApplicationIds {
        ApplicationIds {
            applic_id: optional(message, "ApplicID"),
            reply_applic_id: optional(message, "ReplyApplicID"),
            aux_applic_info: optional(message, "AuxApplicInfo"),
        }
    }
}

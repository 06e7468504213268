//! The SOAP 1.1 envelope of MM7 (TS 23.140 §8.7.3 "SOAP elements"): a `TransactionID` header with
//! `mustUnderstand="1"`, and one MM7 message in the body.

use roxmltree::Node;

use crate::error::{Error, ErrorKind, excerpt};
use crate::message::Body;
use crate::namespace::{Namespace, SOAP_ENV};
use crate::xml::read::{self, child, is, optional};
use crate::xml::write::XmlOut;

/// What the SOAP part holds.
pub(crate) struct SoapEnvelope {
    pub(crate) transaction_id: String,
    pub(crate) namespace: Namespace,
    pub(crate) mm7_version: String,
    pub(crate) body: Body,
}

/// Writes the SOAP part: strict, UTF-8, SOAP elements prefixed `env:`, MM7 elements in the default namespace.
pub(crate) fn write(
    transaction_id: &str,
    namespace: &Namespace,
    mm7_version: &str,
    body: &Body,
) -> Result<Vec<u8>, Error> {
    let uri = namespace.uri();
    let mut out = XmlOut::new();
    out.declaration()?;
    out.open("env:Envelope", &[("xmlns:env", SOAP_ENV)])?;
    out.open("env:Header", &[])?;
    // An empty prefix binding (xmlns:mm7="") is not allowed in XML 1.0, so a peer without a namespace
    // gets an unprefixed TransactionID.
    if uri.is_empty() {
        out.element(
            "TransactionID",
            &[("env:mustUnderstand", "1")],
            transaction_id,
        )?;
    } else {
        out.element(
            "mm7:TransactionID",
            &[("xmlns:mm7", uri.as_str()), ("env:mustUnderstand", "1")],
            transaction_id,
        )?;
    }
    out.close("env:Header")?;
    out.open("env:Body", &[])?;
    let name = body.element_name();
    if uri.is_empty() {
        out.open(name, &[])?;
    } else {
        out.open(name, &[("xmlns", uri.as_str())])?;
    }
    let version = if mm7_version.is_empty() {
        namespace.default_mm7_version()
    } else {
        mm7_version
    };
    out.text("MM7Version", version)?;
    body.write_fields(&mut out)?;
    out.close(name)?;
    out.close("env:Body")?;
    out.close("env:Envelope")?;
    Ok(out.into_bytes())
}

/// Reads the SOAP part leniently. A bare MM7 message element without an envelope is accepted too.
pub(crate) fn read(bytes: &[u8]) -> Result<SoapEnvelope, Error> {
    let text = read::prepare(bytes)?;
    let document = read::parse(&text).map_err(|error| read::xml_error(&error))?;
    let root = document.root_element();
    let (header, message) = if is(root, "Envelope") {
        let body = child(root, "Body").ok_or_else(|| {
            Error::new(
                ErrorKind::NotSoap("no Body element".into()),
                read::path(root),
            )
        })?;
        let message = body
            .children()
            .find(Node::is_element)
            .ok_or_else(|| Error::new(ErrorKind::NotSoap("empty Body".into()), read::path(body)))?;
        (child(root, "Header"), message)
    } else {
        (None, root)
    };
    if is(message, "Fault") {
        let reason = optional(message, "faultstring").unwrap_or_default();
        return Err(Error::new(
            ErrorKind::NotSoap(format!("SOAP Fault: {}", excerpt(&reason))),
            read::path(message),
        ));
    }
    let transaction = header.and_then(|header| child(header, "TransactionID"));
    let namespace_uri = message
        .tag_name()
        .namespace()
        .or_else(|| transaction.and_then(|node| node.tag_name().namespace()))
        .unwrap_or("");
    Ok(SoapEnvelope {
        transaction_id: transaction.map(read::text_of).unwrap_or_default(),
        namespace: Namespace::from_uri(namespace_uri),
        mm7_version: optional(message, "MM7Version").unwrap_or_default(),
        body: Body::read(message)?,
    })
}

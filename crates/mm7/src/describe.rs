//! A JSON-ready description of a decoded message, for `canvass mm7 decode`.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::content::{Part, PartBody};
use crate::message::Body;
use crate::{Envelope, Namespace};

/// Every field of a message, and facts about its content.
#[derive(Debug, Clone, Serialize)]
pub struct Description<'a> {
    /// `TransactionID`.
    pub transaction_id: &'a str,
    /// Namespace URI.
    pub namespace: &'a Namespace,
    /// `MM7Version`.
    pub mm7_version: &'a str,
    /// The message fields, tagged with `"type"`.
    pub message: &'a Body,
    /// The content tree.
    pub content: Option<PartDescription>,
}

/// One content part: type, name, size and SHA-256 of leaves; sub-parts of multiparts.
#[derive(Debug, Clone, Serialize)]
pub struct PartDescription {
    /// Media type.
    pub content_type: String,
    /// `charset`.
    pub charset: Option<String>,
    /// File name.
    pub name: Option<String>,
    /// Content-ID.
    pub content_id: Option<String>,
    /// Content-Location.
    pub content_location: Option<String>,
    /// Size in bytes of a leaf (0 for a multipart).
    pub size: usize,
    /// Lower-case hex SHA-256 of a leaf's bytes.
    pub sha256: Option<String>,
    /// `start` of a multipart/related.
    pub start: Option<String>,
    /// Sub-parts of a multipart.
    pub parts: Vec<PartDescription>,
}

/// Describes `envelope`; serialise the result with serde_json.
pub fn describe(envelope: &Envelope) -> Description<'_> {
    Description {
        transaction_id: &envelope.transaction_id,
        namespace: &envelope.namespace,
        mm7_version: &envelope.mm7_version,
        message: &envelope.body,
        content: envelope.content.as_ref().map(describe_part),
    }
}

fn describe_part(part: &Part) -> PartDescription {
    let (size, sha256, start, parts) = match &part.body {
        PartBody::Data(data) => {
            let digest = Sha256::digest(data);
            let hex = digest.iter().map(|byte| format!("{byte:02x}")).collect();
            (data.len(), Some(hex), None, Vec::new())
        }
        PartBody::Multipart { start, parts } => (
            0,
            None,
            start.clone(),
            parts.iter().map(describe_part).collect(),
        ),
    };
    PartDescription {
        content_type: part.content_type.clone(),
        charset: part.charset.clone(),
        name: part.name.clone(),
        content_id: part.content_id.clone(),
        content_location: part.content_location.clone(),
        size,
        sha256,
        start,
        parts,
    }
}

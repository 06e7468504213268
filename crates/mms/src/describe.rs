//! A JSON description of a decoded PDU: every header (name and value), the message content type, and for
//! each part its content type, parameters, name, size and SHA-256. This is what `canvass mms decode` prints.

use std::collections::BTreeMap;

use canvass_wsp::{ContentType, HeaderValue, ParamValue, Part, charset};
use serde::Serialize;
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

use crate::field::code;
use crate::pdu::{Content, Pdu};
use crate::value::{Time, Value};

/// The description of a PDU.
#[derive(Debug, Clone, Serialize)]
pub struct Description {
    /// `m-send-req`, …
    pub message_type: Option<String>,
    /// `1.0` … `1.3`.
    pub version: Option<String>,
    /// Every header in wire order.
    pub headers: Vec<HeaderDescription>,
    /// The message Content-Type, if the PDU has a body.
    pub content_type: Option<ContentTypeDescription>,
    /// The parts of a multipart body.
    pub parts: Vec<PartDescription>,
    /// Size of a non-multipart body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_size: Option<usize>,
    /// SHA-256 (hex) of a non-multipart body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_sha256: Option<String>,
}

/// One header.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderDescription {
    /// Field name, e.g. `X-Mms-Transaction-Id`.
    pub name: String,
    /// Value: string, number, or an object for structured values.
    pub value: Json,
}

/// A content type.
#[derive(Debug, Clone, Serialize)]
pub struct ContentTypeDescription {
    /// Media type.
    pub media_type: String,
    /// Parameters by name.
    pub params: BTreeMap<String, Json>,
}

/// One part.
#[derive(Debug, Clone, Serialize)]
pub struct PartDescription {
    /// Content type and parameters.
    pub content_type: ContentTypeDescription,
    /// Name (Content-Type name, Content-Disposition filename, or Content-Location).
    pub name: Option<String>,
    /// Content-ID.
    pub content_id: Option<String>,
    /// Content-Location.
    pub content_location: Option<String>,
    /// Data size in octets.
    pub size: usize,
    /// SHA-256 of the data, hex.
    pub sha256: String,
    /// All part headers besides Content-Type.
    pub headers: Vec<HeaderDescription>,
}

/// Describes a PDU.
pub fn describe(pdu: &Pdu) -> Description {
    let headers = pdu
        .headers
        .iter()
        .map(|h| HeaderDescription {
            name: h.name(),
            value: match h.field {
                crate::Field::Code(c) => value_json(c, &h.value),
                crate::Field::Text(_) => value_json(0, &h.value),
            },
        })
        .collect();
    let (content_type, parts, body_size, body_sha256) = match &pdu.body {
        None => (None, Vec::new(), None, None),
        Some(body) => {
            let ct = Some(content_type_json(&body.content_type));
            match &body.content {
                Content::Parts(parts) => (ct, parts.iter().map(part_json).collect(), None, None),
                Content::Single(data) => (ct, Vec::new(), Some(data.len()), Some(sha256_hex(data))),
            }
        }
    };
    Description {
        message_type: pdu.message_type().map(|t| t.name().to_owned()),
        version: pdu.version().map(|(a, b)| format!("{a}.{b}")),
        headers,
        content_type,
        parts,
        body_size,
        body_sha256,
    }
}

/// Describes a PDU as a pretty-printed JSON string.
pub fn describe_json(pdu: &Pdu) -> String {
    serde_json::to_string_pretty(&describe(pdu))
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// SHA-256 of `data` as lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn part_json(part: &Part) -> PartDescription {
    PartDescription {
        content_type: content_type_json(&part.content_type),
        name: part.name(),
        content_id: part.content_id().map(str::to_owned),
        content_location: part.content_location().map(str::to_owned),
        size: part.data.len(),
        sha256: sha256_hex(&part.data),
        headers: part
            .headers
            .iter()
            .map(|h| HeaderDescription {
                name: h.display_name(),
                value: match &h.value {
                    HeaderValue::Short(v) => json!(v),
                    HeaderValue::Text(t) => json!(unquoted(t)),
                    HeaderValue::Data(d) => json!({ "data_hex": hex(d) }),
                },
            })
            .collect(),
    }
}

/// A WSP Quoted-string starts with octet 34 (WAP-230 §8.4.2.1); the quote marks the encoding and is not part of
/// the value (Content-ID `"<smil>` is `<smil>`).
fn unquoted(text: &str) -> &str {
    text.strip_prefix('"').unwrap_or(text)
}

fn content_type_json(ct: &ContentType) -> ContentTypeDescription {
    let params = ct
        .params
        .iter()
        .map(|p| {
            let name = p.display_name();
            let value = match (&p.value, name.as_str()) {
                (ParamValue::Integer(v), "charset") => u32::try_from(*v)
                    .ok()
                    .and_then(charset::name)
                    .map_or_else(|| json!(v), |n| json!(n)),
                (ParamValue::Integer(v), "type") => canvass_wsp::well_known::content_type_name(*v)
                    .map_or_else(|| json!(v), |n| json!(n)),
                (ParamValue::Integer(v), _) => json!(v),
                (ParamValue::Text(t), _) => json!(t),
            };
            (name, value)
        })
        .collect();
    ContentTypeDescription {
        media_type: ct.media_type(),
        params,
    }
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

fn encoded_json(s: &canvass_wsp::EncodedString) -> Json {
    match s.charset {
        None => json!(s.text),
        Some(mib) => {
            json!({ "text": s.text, "charset": charset::name(mib).map_or_else(|| json!(mib), |n| json!(n)) })
        }
    }
}

/// Names of token values, for the fields whose tokens have names (clause 7.3).
fn token_label(field: u8, token: u8) -> Option<&'static str> {
    let i = usize::from(token.checked_sub(0x80)?);
    let names: &[&str] = match field {
        code::DELIVERY_REPORT
        | code::READ_REPORT
        | code::REPORT_ALLOWED
        | code::STORE
        | code::STORED
        | code::TOTALS
        | code::QUOTAS
        | code::DISTRIBUTION_INDICATOR
        | code::DRM_CONTENT
        | code::ADAPTATION_ALLOWED => &["yes", "no"],
        code::MESSAGE_CLASS => &["personal", "advertisement", "informational", "auto"],
        code::PRIORITY => &["low", "normal", "high"],
        code::SENDER_VISIBILITY => &["hide", "show"],
        code::STATUS => &[
            "expired",
            "retrieved",
            "rejected",
            "deferred",
            "unrecognised",
            "indeterminate",
            "forwarded",
            "unreachable",
        ],
        code::READ_STATUS => &["read", "deleted-without-being-read"],
        code::REPLY_CHARGING => &[
            "requested",
            "requested-text-only",
            "accepted",
            "accepted-text-only",
        ],
        code::MM_STATE => &["draft", "sent", "new", "retrieved", "forwarded"],
        code::RECOMMENDED_RETRIEVAL_MODE => &["manual"],
        code::CONTENT_CLASS => &[
            "text",
            "image-basic",
            "image-rich",
            "video-basic",
            "video-rich",
            "megapixel",
            "content-basic",
            "content-rich",
        ],
        code::CANCEL_STATUS => &[
            "cancel-request-successfully-received",
            "cancel-request-corrupted",
        ],
        code::RESPONSE_STATUS | code::RETRIEVE_STATUS | code::STORE_STATUS if token == 0x80 => {
            &["ok"]
        }
        _ => &[],
    };
    names.get(i).copied()
}

/// The token octet that `label` names for `field` (the inverse of the labels [`describe`] prints, such as
/// `retrieved` for X-Mms-Status), ignoring ASCII case; `None` when the field has no such label.
pub fn token_of(field: u8, label: &str) -> Option<u8> {
    (0x80..=0xFF)
        .find(|token| token_label(field, *token).is_some_and(|l| l.eq_ignore_ascii_case(label)))
}

fn value_json(field: u8, value: &Value) -> Json {
    match value {
        Value::Octet(t) if field == code::MESSAGE_TYPE => {
            crate::MessageType::from_code(*t).map_or_else(|| json!(t), |m| json!(m.name()))
        }
        Value::Octet(v) if field == code::MMS_VERSION => {
            json!(format!("{}.{}", (v >> 4) & 7, v & 0x0F))
        }
        Value::Octet(t) => token_label(field, *t).map_or_else(|| json!(t), |l| json!(l)),
        Value::Long(n) | Value::Integer(n) => json!(n),
        Value::Text(t) => json!(t),
        Value::Encoded(s) => encoded_json(s),
        Value::From(None) => json!("insert-address"),
        Value::From(Some(a)) => encoded_json(a),
        Value::Time(Time::Absolute(t)) => json!({ "absolute": t }),
        Value::Time(Time::Relative(t)) => json!({ "relative": t }),
        Value::CountedAddress(n, a) => json!({ "count": n, "address": encoded_json(a) }),
        Value::CountedDate(n, d) => json!({ "count": n, "date": d }),
        Value::Flag(t, k) => {
            let op = ["add", "remove", "filter"]
                .get(usize::from(t.wrapping_sub(0x80)))
                .copied();
            json!({ "op": op.map_or_else(|| json!(t), |o| json!(o)), "keyword": encoded_json(k) })
        }
        Value::Quantity(t, n) => {
            let unit = if *t == 0x81 { "bytes" } else { "messages" };
            json!({ "unit": unit, "value": n })
        }
        Value::ElementDescriptor(reference, params) => {
            let ct = ContentType {
                media: canvass_wsp::Media::Name(String::new()),
                params: params.clone(),
            };
            json!({ "reference": reference, "params": content_type_json(&ct).params })
        }
        Value::Generic(HeaderValue::Short(v)) => json!(v),
        Value::Generic(HeaderValue::Text(t)) => json!(t),
        Value::Generic(HeaderValue::Data(d)) => json!({ "data_hex": hex(d) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_string_header_values_are_shown_without_their_quote_marker() {
        assert_eq!(unquoted("\"<smil>"), "<smil>");
        assert_eq!(unquoted("<smil>"), "<smil>");
        let part = crate::body::media_part("text/plain", "note.txt", b"hi".to_vec());
        let described = part_json(&part);
        let content_id = described
            .headers
            .iter()
            .find(|h| h.name == "Content-ID")
            .expect("a Content-ID header");
        assert_eq!(content_id.value, json!("<note.txt>"));
    }

    #[test]
    fn token_labels_invert() {
        assert_eq!(token_of(code::STATUS, "Retrieved"), Some(0x81));
        assert_eq!(token_of(code::MESSAGE_CLASS, "advertisement"), Some(0x81));
        assert_eq!(token_of(code::RESPONSE_STATUS, "ok"), Some(0x80));
        assert_eq!(token_of(code::PRIORITY, "urgent"), None);
        assert_eq!(token_of(code::SUBJECT, "yes"), None);
    }
}

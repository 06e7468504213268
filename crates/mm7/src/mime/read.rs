//! Lenient MIME input through mail-parser: the SOAP part is the `start` part, else the first XML part, else
//! the first part; content parts keep their exact bytes (transfer encoding undone here, charset untouched).

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

use crate::Limits;
use crate::content::{Part, PartBody};
use crate::error::{Error, ErrorKind};

/// The SOAP bytes and the other top-level parts.
pub(crate) struct Split {
    pub(crate) soap: Vec<u8>,
    pub(crate) others: Vec<Part>,
}

/// True when `bytes` starts (after whitespace and a BOM) like XML rather than like MIME headers.
pub(crate) fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|&byte| byte == b'<')
}

/// Splits a MIME entity (headers, blank line, body) into the SOAP part and the content parts.
pub(crate) fn split(entity: &[u8], limits: &Limits) -> Result<Split, Error> {
    let message = MessageParser::default()
        .parse(entity)
        .ok_or_else(|| mime_error("no MIME headers or body", "message"))?;
    let root = message
        .parts
        .first()
        .ok_or_else(|| mime_error("no MIME parts", "message"))?;
    let declared_multipart = root
        .content_type()
        .is_some_and(|content_type| content_type.ctype().eq_ignore_ascii_case("multipart"));
    let PartType::Multipart(children) = &root.body else {
        if declared_multipart {
            return Err(mime_error("multipart without its boundary", "message"));
        }
        // A single-part entity: its body is the SOAP envelope.
        return Ok(Split {
            soap: leaf_bytes(&message, root, "message")?,
            others: Vec::new(),
        });
    };
    let start = root
        .content_type()
        .and_then(|content_type| content_type.attribute("start"))
        .map(strip_brackets);
    let mut budget = limits.max_parts;
    let soap_index = children
        .iter()
        .position(|&id| {
            start.as_deref().is_some_and(|start| {
                part_at(&message, id)
                    .and_then(|part| part.content_id())
                    .is_some_and(|cid| strip_brackets(cid).eq_ignore_ascii_case(start))
            })
        })
        .or_else(|| {
            children.iter().position(|&id| {
                part_at(&message, id).is_some_and(|part| {
                    part.content_type()
                        .and_then(|t| t.subtype())
                        .is_some_and(|sub| sub.to_ascii_lowercase().contains("xml"))
                })
            })
        })
        .unwrap_or(0);
    let mut soap = None;
    let mut others = Vec::new();
    for (index, &id) in children.iter().enumerate() {
        let location = format!("MIME part {}", index + 1);
        let part = part_at(&message, id).ok_or_else(|| mime_error("dangling part", &location))?;
        if index == soap_index {
            soap = Some(leaf_bytes(&message, part, &location)?);
        } else {
            others.push(convert(&message, part, 1, &mut budget, limits, &location)?);
        }
    }
    let soap = soap.ok_or_else(|| mime_error("no SOAP part", "message"))?;
    Ok(Split { soap, others })
}

fn part_at<'m, 'x>(message: &'m Message<'x>, id: u32) -> Option<&'m MessagePart<'x>> {
    message.parts.get(usize::try_from(id).ok()?)
}

fn mime_error(what: &str, location: &str) -> Error {
    Error::new(ErrorKind::Mime(what.to_string()), location)
}

/// `<id>` → `id`, trimmed.
pub(crate) fn strip_brackets(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

fn convert(
    message: &Message<'_>,
    part: &MessagePart<'_>,
    depth: usize,
    budget: &mut usize,
    limits: &Limits,
    location: &str,
) -> Result<Part, Error> {
    if *budget == 0 {
        return Err(mime_error("too many parts", location));
    }
    *budget -= 1;
    let content_type = part.content_type();
    let media_type = content_type.map_or_else(
        || "text/plain".to_string(),
        |t| match t.subtype() {
            Some(sub) => format!("{}/{}", t.ctype(), sub).to_ascii_lowercase(),
            None => t.ctype().to_ascii_lowercase(),
        },
    );
    let name = content_type
        .and_then(|t| t.attribute("name"))
        .or_else(|| {
            part.content_disposition()
                .and_then(|d| d.attribute("filename"))
        })
        .map(str::to_string);
    let body = match &part.body {
        PartType::Multipart(children) => {
            if depth >= limits.max_depth {
                return Err(mime_error("multipart nested too deeply", location));
            }
            let mut parts = Vec::with_capacity(children.len().min(*budget));
            for (index, &id) in children.iter().enumerate() {
                let child_location = format!("{location}.{}", index + 1);
                let child = part_at(message, id)
                    .ok_or_else(|| mime_error("dangling part", &child_location))?;
                parts.push(convert(
                    message,
                    child,
                    depth + 1,
                    budget,
                    limits,
                    &child_location,
                )?);
            }
            PartBody::Multipart {
                start: content_type
                    .and_then(|t| t.attribute("start"))
                    .map(strip_brackets),
                parts,
            }
        }
        _ => PartBody::Data(leaf_bytes(message, part, location)?),
    };
    Ok(Part {
        content_type: media_type,
        charset: content_type
            .and_then(|t| t.attribute("charset"))
            .map(str::to_string),
        name,
        content_id: part.content_id().map(strip_brackets),
        content_location: part.content_location().map(|l| l.trim().to_string()),
        body,
    })
}

/// The exact decoded bytes of a leaf: the raw body between the part's offsets with the transfer encoding
/// undone. mail-parser's own decoding would also convert text charsets, which must not happen to content
/// that is passed on to handsets.
fn leaf_bytes(
    message: &Message<'_>,
    part: &MessagePart<'_>,
    location: &str,
) -> Result<Vec<u8>, Error> {
    let raw = message.raw_message();
    let start = usize::try_from(part.raw_body_offset()).unwrap_or(usize::MAX);
    let end = usize::try_from(part.raw_end_offset()).unwrap_or(usize::MAX);
    let Some(body) = raw.get(start..end.max(start)) else {
        return Ok(part.contents().to_vec());
    };
    let encoding = part
        .content_transfer_encoding()
        .map(|e| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match encoding.as_str() {
        "base64" => base64_decode(body).ok_or_else(|| mime_error("bad base64", location)),
        "quoted-printable" => quoted_printable_decode(body)
            .ok_or_else(|| mime_error("bad quoted-printable", location)),
        _ => Ok(body.to_vec()),
    }
}

//! The lenient reader's entry points: a file (MIME entity or bare SOAP) or an HTTP body with its
//! Content-Type, with fallbacks for the mislabelled bodies real peers send.

use crate::error::{Error, ErrorKind};
use crate::{ContentRef, Envelope, Limits, Part, envelope, mime};

/// Reads an MM7 message from a file's bytes: a MIME entity with headers (as [`crate::Encoded::to_mime_entity`]
/// writes, or as captured from HTTP with its Content-Type header), or a bare SOAP envelope.
pub fn decode(bytes: &[u8]) -> Result<Envelope, Error> {
    decode_with_limits(bytes, &Limits::default())
}

/// [`decode`] with explicit limits.
pub fn decode_with_limits(bytes: &[u8], limits: &Limits) -> Result<Envelope, Error> {
    check_size(bytes.len(), limits)?;
    if mime::read::looks_like_xml(bytes) {
        return assemble(envelope::read(bytes)?, Vec::new());
    }
    if let Some(boundary) = sniffed_boundary(bytes) {
        return decode_headless(&boundary, bytes, limits);
    }
    let split = mime::read::split(bytes, limits)?;
    assemble(envelope::read(&split.soap)?, split.others)
}

/// Reads an MM7 message from an HTTP body and its Content-Type header (absent: guessed from the body).
pub fn decode_http(content_type: Option<&str>, body: &[u8]) -> Result<Envelope, Error> {
    decode_http_with_limits(content_type, body, &Limits::default())
}

/// [`decode_http`] with explicit limits.
pub fn decode_http_with_limits(
    content_type: Option<&str>,
    body: &[u8],
    limits: &Limits,
) -> Result<Envelope, Error> {
    check_size(body.len(), limits)?;
    let multipart = content_type.is_some_and(|value| {
        value
            .trim_start()
            .get(..10)
            .is_some_and(|head| head.eq_ignore_ascii_case("multipart/"))
    });
    let declared = match content_type {
        Some(value) if multipart => Some(split_with_type(value, body, limits)),
        _ => None,
    };
    match declared {
        Some(Ok(split)) => assemble(envelope::read(&split.soap)?, split.others),
        // Some peers label a bare SOAP body multipart/related, or a multipart text/xml.
        _ if mime::read::looks_like_xml(body) => assemble(envelope::read(body)?, Vec::new()),
        Some(Err(error)) => match sniffed_boundary(body) {
            Some(boundary) => decode_headless(&boundary, body, limits),
            None => Err(error),
        },
        None if content_type.is_some() => match sniffed_boundary(body) {
            Some(boundary) => decode_headless(&boundary, body, limits),
            None => assemble(envelope::read(body)?, Vec::new()),
        },
        None => decode_with_limits(body, limits),
    }
}

/// Parses `body` as the multipart its Content-Type header value announces.
fn split_with_type(
    content_type: &str,
    body: &[u8],
    limits: &Limits,
) -> Result<mime::read::Split, Error> {
    // Line breaks in a header value would let it inject headers into the synthetic entity.
    let value: String = content_type
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect();
    let mut entity = format!("Content-Type: {value}\r\n\r\n").into_bytes();
    entity.extend_from_slice(body);
    mime::read::split(&entity, limits)
}

/// A multipart body whose header was lost or wrong, read with the boundary of its first line.
fn decode_headless(boundary: &str, body: &[u8], limits: &Limits) -> Result<Envelope, Error> {
    let split = split_with_type(
        &format!("multipart/related; boundary=\"{boundary}\""),
        body,
        limits,
    )?;
    assemble(envelope::read(&split.soap)?, split.others)
}

/// The boundary of a body that starts with a delimiter line (`--boundary`), if it does.
fn sniffed_boundary(body: &[u8]) -> Option<String> {
    let start = body.iter().position(|byte| !byte.is_ascii_whitespace())?;
    let rest = body.get(start..)?.strip_prefix(b"--")?;
    let end = rest
        .iter()
        .position(|&byte| byte == b'\r' || byte == b'\n')?;
    let boundary = std::str::from_utf8(rest.get(..end)?).ok()?.trim_end();
    // RFC 2046: 1 to 70 characters; a quote would break the synthetic header.
    let valid = (1..=70).contains(&boundary.len())
        && boundary
            .bytes()
            .all(|b| (b.is_ascii_graphic() || b == b' ') && b != b'"');
    valid.then(|| boundary.to_string())
}

fn check_size(size: usize, limits: &Limits) -> Result<(), Error> {
    if size > limits.max_message_bytes {
        return Err(Error::new(
            ErrorKind::TooLarge {
                size,
                limit: limits.max_message_bytes,
            },
            "message",
        ));
    }
    Ok(())
}

/// Finds the content the body refers to. A `cid:` that no part carries is an error; a message without a
/// Content element but with exactly one other part (sloppy peers) gets that part.
fn assemble(soap: envelope::SoapEnvelope, others: Vec<Part>) -> Result<Envelope, Error> {
    let wanted = soap.body.content_ref().and_then(ContentRef::content_id);
    let content = match wanted {
        Some(id) => {
            let found = others.into_iter().find(|part| {
                part.content_id
                    .as_deref()
                    .is_some_and(|cid| cid.eq_ignore_ascii_case(&id))
            });
            Some(found.ok_or_else(|| Error::new(ErrorKind::MissingContent(id), "Content"))?)
        }
        None if soap.body.content_ref().is_none() && others.len() == 1 => others.into_iter().next(),
        None => None,
    };
    Ok(Envelope {
        transaction_id: soap.transaction_id,
        namespace: soap.namespace,
        mm7_version: soap.mm7_version,
        body: soap.body,
        content,
    })
}

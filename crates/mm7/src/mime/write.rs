//! Strict MIME output: CRLF line ends, base64 for content, quoted parameters (RFC 2231 for non-ASCII file
//! names), and boundaries that are checked not to occur in what they enclose.

use crate::content::{Part, PartBody};
use crate::error::{Error, ErrorKind, excerpt};

/// Content-ID of the SOAP part, unless the content already uses it.
const SOAP_CONTENT_ID: &str = "mm7-soap@canvass";

/// Writes the SOAP part and the content as one multipart/related. Returns the Content-Type header value
/// (for HTTP) and the body.
pub(crate) fn write(soap: &[u8], content: &Part) -> Result<(String, Vec<u8>), Error> {
    let used = content.content_ids();
    let mut soap_id = SOAP_CONTENT_ID.to_string();
    let mut counter = 0;
    while used.iter().any(|id| id.eq_ignore_ascii_case(&soap_id)) {
        counter += 1;
        soap_id = format!("mm7-soap-{counter}@canvass");
    }
    let mut soap_part = Vec::with_capacity(soap.len() + 128);
    soap_part.extend_from_slice(b"Content-Type: text/xml; charset=\"utf-8\"\r\n");
    soap_part.extend_from_slice(format!("Content-ID: <{soap_id}>\r\n").as_bytes());
    soap_part.extend_from_slice(b"Content-Transfer-Encoding: 8bit\r\n\r\n");
    soap_part.extend_from_slice(soap);
    let children = vec![soap_part, write_part(content, 1)?];
    let boundary = choose_boundary(0, &children);
    let content_type = format!(
        "multipart/related; boundary=\"{boundary}\"; type=\"text/xml\"; start=\"<{soap_id}>\""
    );
    Ok((content_type, join(&boundary, &children)))
}

/// One part with its headers.
fn write_part(part: &Part, depth: usize) -> Result<Vec<u8>, Error> {
    let location = || format!("content part {}", part.content_id.as_deref().unwrap_or("?"));
    check_token_pair(&part.content_type)
        .map_err(|()| invalid("Content-Type", &part.content_type, location()))?;
    let mut header = format!("Content-Type: {}", part.content_type.to_ascii_lowercase());
    let mut children = Vec::new();
    match &part.body {
        PartBody::Data(_) => {}
        PartBody::Multipart { parts, .. } => {
            for child in parts {
                children.push(write_part(child, depth + 1)?);
            }
        }
    }
    let boundary = choose_boundary(depth, &children);
    if let PartBody::Multipart { start, parts } = &part.body {
        header.push_str(&format!("; boundary=\"{boundary}\""));
        if let Some(start) = start {
            check_id(start).map_err(|()| invalid("start", start, location()))?;
            // RFC 2387: `type` is the media type of the root part.
            let root = parts
                .iter()
                .find(|child| child.content_id.as_deref() == Some(start.as_str()));
            if let Some(root) = root {
                header.push_str(&format!(
                    "; type=\"{}\"",
                    root.content_type.to_ascii_lowercase()
                ));
            }
            header.push_str(&format!("; start=\"<{start}>\""));
        }
    }
    if let Some(charset) = &part.charset {
        check_token(charset).map_err(|()| invalid("charset", charset, location()))?;
        header.push_str(&format!("; charset=\"{charset}\""));
    }
    if let Some(name) = &part.name {
        header.push_str(&name_parameter(name).map_err(|()| invalid("name", name, location()))?);
    }
    header.push_str("\r\n");
    if let Some(id) = &part.content_id {
        check_id(id).map_err(|()| invalid("Content-ID", id, location()))?;
        header.push_str(&format!("Content-ID: <{id}>\r\n"));
    }
    if let Some(where_) = &part.content_location {
        check_location(where_).map_err(|()| invalid("Content-Location", where_, location()))?;
        header.push_str(&format!("Content-Location: {where_}\r\n"));
    }
    let mut out = Vec::new();
    match &part.body {
        PartBody::Data(data) => {
            header.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(&base64_lines(data));
        }
        PartBody::Multipart { .. } => {
            header.push_str("\r\n");
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(&join(&boundary, &children));
        }
    }
    Ok(out)
}

fn invalid(field: &'static str, value: &str, location: String) -> Error {
    Error::new(
        ErrorKind::InvalidValue {
            field,
            value: excerpt(value),
        },
        location,
    )
}

/// `--b CRLF part CRLF --b CRLF part CRLF --b-- CRLF`.
fn join(boundary: &str, children: &[Vec<u8>]) -> Vec<u8> {
    let size: usize = children
        .iter()
        .map(|child| child.len() + boundary.len() + 8)
        .sum();
    let mut out = Vec::with_capacity(size + boundary.len() + 8);
    for child in children {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        out.extend_from_slice(child);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// A boundary that no enclosed part contains (RFC 2046 §5.1.1), stable for the same input.
fn choose_boundary(depth: usize, children: &[Vec<u8>]) -> String {
    let mut attempt = 0usize;
    loop {
        let boundary = format!("=_canvass_mm7_{depth}_{attempt}");
        let needle = format!("--{boundary}");
        let clashes = children
            .iter()
            .any(|child| contains(child, needle.as_bytes()));
        if !clashes {
            return boundary;
        }
        attempt += 1;
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// RFC 2045 token characters.
fn is_token_char(byte: u8) -> bool {
    byte.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&byte)
}

fn check_token(text: &str) -> Result<(), ()> {
    if !text.is_empty() && text.bytes().all(is_token_char) {
        Ok(())
    } else {
        Err(())
    }
}

fn check_token_pair(media_type: &str) -> Result<(), ()> {
    let (kind, subtype) = media_type.split_once('/').ok_or(())?;
    check_token(kind)?;
    check_token(subtype)
}

/// Content-IDs are written inside `<>`: printable ASCII without brackets or spaces.
fn check_id(id: &str) -> Result<(), ()> {
    if !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>')
    {
        Ok(())
    } else {
        Err(())
    }
}

fn check_location(location: &str) -> Result<(), ()> {
    if !location.is_empty() && location.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        Ok(())
    } else {
        Err(())
    }
}

/// `; name="x"` for printable ASCII, RFC 2231 `; name*=utf-8''%xx` otherwise.
fn name_parameter(name: &str) -> Result<String, ()> {
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(());
    }
    if name.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
        return Ok(format!("; name=\"{quoted}\""));
    }
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(format!("; name*=utf-8''{encoded}"))
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 §6.8).
fn base64_lines(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 57 * 78 + 80);
    for line in data.chunks(57) {
        for group in line.chunks(3) {
            let b = [
                group[0],
                *group.get(1).unwrap_or(&0),
                *group.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            let digits = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
            for (index, digit) in digits.iter().enumerate() {
                if index <= group.len() {
                    out.push(BASE64[*digit as usize]);
                } else {
                    out.push(b'=');
                }
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64_lines(b""), b"");
        assert_eq!(base64_lines(b"f"), b"Zg==\r\n");
        assert_eq!(base64_lines(b"fo"), b"Zm8=\r\n");
        assert_eq!(base64_lines(b"foobar"), b"Zm9vYmFy\r\n");
        let long = base64_lines(&[0u8; 58]);
        assert_eq!(
            long.split(|&b| b == b'\n').next().map(<[u8]>::len),
            Some(77)
        );
    }

    #[test]
    fn boundary_avoids_what_it_encloses() {
        let child = b"--=_canvass_mm7_0_0 is here".to_vec();
        assert_eq!(choose_boundary(0, &[child]), "=_canvass_mm7_0_1");
    }

    #[test]
    fn non_ascii_names_use_rfc2231() {
        assert_eq!(name_parameter("a b.jpg"), Ok("; name=\"a b.jpg\"".into()));
        assert_eq!(
            name_parameter("é.jpg"),
            Ok("; name*=utf-8''%C3%A9.jpg".into())
        );
        assert_eq!(name_parameter("a\r\nX: y"), Err(()));
    }
}

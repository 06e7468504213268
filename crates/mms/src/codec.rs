//! Decoding and encoding of whole PDUs (OMA-MMS-ENC 1.3 clauses 5 and 7): headers until Content-Type, then the
//! body. Unknown header fields and application headers are kept and written back as they came.

use canvass_wsp::{Reader, put_content_type, put_multipart, put_text_bytes};

use crate::error::{Error, ErrorKind, Result};
use crate::field::{self, Kind, code};
use crate::message_type::MessageType;
use crate::pdu::{Body, Content, Field, Header, Pdu};
use crate::value::{self, Value};

/// Decodes an MMS PDU.
pub fn decode(data: &[u8]) -> Result<Pdu> {
    let mut r = Reader::new(data);
    match r.peek()? {
        b if b == 0x80 | code::MESSAGE_TYPE => {}
        _ => return Err(Error::new(ErrorKind::MissingMessageType, 0)),
    }
    let mut headers = Vec::new();
    let mut body = None;
    while !r.is_empty() {
        let at = r.pos();
        let first = r.peek()?;
        if first == 0x80 | code::CONTENT_TYPE {
            r.u8()?;
            body = Some(read_body(&mut r)?);
            break;
        }
        let header = if first >= 0x80 {
            let c = r.short_integer()?;
            Header::new(c, value::read(&mut r, field::kind(c))?)
        } else if (0x20..0x7F).contains(&first) {
            Header::application(r.text_string()?, r.text_string()?)
        } else {
            return Err(Error::from(canvass_wsp::Error::new(
                canvass_wsp::ErrorKind::UnexpectedOctet(first),
                at,
            )));
        };
        if headers.is_empty() {
            check_message_type(&header, at)?;
        }
        headers.push(header);
    }
    Ok(Pdu { headers, body })
}

fn check_message_type(header: &Header, at: usize) -> Result<()> {
    match header.value {
        Value::Octet(t) if MessageType::from_code(t).is_some() => Ok(()),
        Value::Octet(t) => Err(Error::new(ErrorKind::UnknownMessageType(t), at + 1)),
        _ => Err(Error::new(ErrorKind::MissingMessageType, at)),
    }
}

fn read_body(r: &mut Reader<'_>) -> Result<Body> {
    let content_type = r.content_type()?;
    let content = if content_type.is_multipart() {
        // Bytes after the announced entries are ignored, as every handset decoder does.
        Content::Parts(r.multipart()?)
    } else {
        Content::Single(r.rest().to_vec())
    };
    Ok(Body {
        content_type,
        content,
    })
}

/// Encodes an MMS PDU. Headers are written in the order given; Content-Type and the body last.
pub fn encode(pdu: &Pdu) -> Result<Vec<u8>> {
    let body_len = match &pdu.body {
        Some(Body {
            content: Content::Parts(parts),
            ..
        }) => parts.iter().map(|p| p.data.len() + 64).sum(),
        Some(Body {
            content: Content::Single(d),
            ..
        }) => d.len(),
        None => 0,
    };
    let mut out = Vec::with_capacity(body_len + 256);
    for h in &pdu.headers {
        match &h.field {
            Field::Code(c) => {
                if *c == code::CONTENT_TYPE || *c > 0x7F {
                    return Err(Error::unencodable(
                        "Content-Type belongs in the body; field codes are 7-bit",
                    ));
                }
                if field::kind(*c) == Kind::Octet
                    && !matches!(h.value, Value::Octet(_) | Value::Generic(_))
                {
                    return Err(Error::unencodable("token field needs an octet value"));
                }
                out.push(0x80 | c);
                value::write(&mut out, &h.value)?;
            }
            Field::Text(name) => {
                let Value::Text(v) = &h.value else {
                    return Err(Error::unencodable("application header value must be text"));
                };
                match name.as_bytes().first() {
                    Some(0x20..=0x7E) => {}
                    _ => return Err(Error::unencodable("application header name is not a token")),
                }
                put_text_bytes(&mut out, name.as_bytes())?;
                put_text_bytes(&mut out, v.as_bytes())?;
            }
        }
    }
    if let Some(body) = &pdu.body {
        out.push(0x80 | code::CONTENT_TYPE);
        put_content_type(&mut out, &body.content_type)?;
        match &body.content {
            Content::Parts(parts) => {
                if !body.content_type.is_multipart() {
                    return Err(Error::unencodable("parts need a multipart content type"));
                }
                put_multipart(&mut out, parts)?;
            }
            Content::Single(data) => {
                if body.content_type.is_multipart() {
                    return Err(Error::unencodable("a multipart content type needs parts"));
                }
                out.extend_from_slice(data);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use canvass_wsp::ErrorKind as WspKind;

    #[test]
    fn unknown_message_type_is_reported_at_its_octet() {
        let err = decode(&[0x8C, 0x99, 0x98, b'x', 0]).unwrap_err();
        assert_eq!(
            (err.kind, err.offset),
            (ErrorKind::UnknownMessageType(0x99), 1)
        );
    }

    #[test]
    fn must_start_with_message_type() {
        assert_eq!(
            decode(&[0x98, b'x', 0]).unwrap_err().kind,
            ErrorKind::MissingMessageType
        );
        assert_eq!(
            decode(&[]).unwrap_err().kind,
            ErrorKind::Wsp(WspKind::Truncated)
        );
    }

    #[test]
    fn truncated_subject_points_at_its_length() {
        // m-send-req, tid "1", version 1.0, Subject with value-length 9 but only 2 octets left.
        let data = [
            0x8C, 0x80, 0x98, b'1', 0, 0x8D, 0x90, 0x96, 0x09, 0xEA, b'h',
        ];
        let err = decode(&data).unwrap_err();
        assert_eq!(
            (err.kind, err.offset),
            (ErrorKind::Wsp(WspKind::BadLength), 8)
        );
    }

    #[test]
    fn unknown_fields_are_kept() {
        // 0xC5 is beyond MMS 1.3's table; its text value must survive a round trip.
        let data = [
            0x8C, 0x83, 0x98, b'7', 0, 0x8D, 0x93, 0xC5, b'h', b'i', 0, b'X', b'-', b'A', 0, b'b',
            0,
        ];
        let pdu = decode(&data).unwrap();
        assert_eq!(pdu.headers.len(), 5);
        assert_eq!(pdu.headers[3].field, Field::Code(0x45));
        assert_eq!(pdu.headers[4], Header::application("X-A", "b"));
        assert_eq!(encode(&pdu).unwrap(), data);
    }
}

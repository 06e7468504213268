//! Headers (WAP-230-WSP 8.4.2.6): well-known headers (a short-integer field name, Table 39) and application
//! headers (token-text name + text-string value). Values are kept in the generic shape of 8.4.1.2, so that
//! headers this crate does not interpret still decode and re-encode unchanged.

use crate::error::{ErrorKind, Result};
use crate::integer::{put_length_prefixed, put_short_integer};
use crate::parameter::ParamValue;
use crate::reader::Reader;
use crate::text::put_text_bytes;
use crate::well_known::{HEADER_NAMES, header, param};

/// A header's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HeaderName {
    /// A well-known field name code (0–127).
    Code(u8),
    /// An application header's token-text name.
    Text(String),
}

/// A header value in the generic shape told apart by its first octet (8.4.1.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HeaderValue {
    /// A single octet 128–255, stored as its low 7 bits.
    Short(u8),
    /// A text-string (a quoted-string keeps its leading `"`).
    Text(String),
    /// Value-length delimited data, uninterpreted.
    Data(Vec<u8>),
}

/// One header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Header {
    /// Field name.
    pub name: HeaderName,
    /// Field value.
    pub value: HeaderValue,
}

impl Header {
    /// A well-known header with a text value.
    pub fn text(code: u8, value: impl Into<String>) -> Self {
        Header {
            name: HeaderName::Code(code),
            value: HeaderValue::Text(value.into()),
        }
    }

    /// Content-Location (a part's file name in MMS).
    pub fn content_location(value: impl Into<String>) -> Self {
        Header::text(header::CONTENT_LOCATION, value)
    }

    /// Content-ID; `id` such as `<image1>` is written as the quoted-string MMS peers expect.
    pub fn content_id(id: &str) -> Self {
        Header::text(header::CONTENT_ID, format!("\"{id}"))
    }

    /// An application header.
    pub fn application(name: impl Into<String>, value: impl Into<String>) -> Self {
        Header {
            name: HeaderName::Text(name.into()),
            value: HeaderValue::Text(value.into()),
        }
    }

    /// The field name as text.
    pub fn display_name(&self) -> String {
        match &self.name {
            HeaderName::Code(c) => HEADER_NAMES
                .get(usize::from(*c))
                .map_or_else(|| format!("0x{c:02x}"), |n| (*n).to_owned()),
            HeaderName::Text(t) => t.clone(),
        }
    }
}

impl Reader<'_> {
    /// One header.
    pub fn header(&mut self) -> Result<Header> {
        let first = self.peek()?;
        match first {
            0x80..=0xFF => {
                let code = self.short_integer()?;
                Ok(Header {
                    name: HeaderName::Code(code),
                    value: self.generic_value()?,
                })
            }
            0x20..=0x7E => Ok(Header {
                name: HeaderName::Text(self.text_string()?),
                value: HeaderValue::Text(self.text_string()?),
            }),
            _ => Err(self.error(ErrorKind::UnsupportedCodePage)),
        }
    }

    /// A value of a header this decoder does not interpret, delimited by the rules of 8.4.1.2.
    pub fn generic_value(&mut self) -> Result<HeaderValue> {
        let first = self.peek()?;
        Ok(match first {
            // 0x00 is both an empty text-string and an empty value-length; read as text, which is what the
            // text-valued headers (Content-Location, …) mean by it.
            0 => {
                self.u8()?;
                HeaderValue::Text(String::new())
            }
            1..=31 => {
                let mut data = self.length_prefixed()?;
                HeaderValue::Data(data.rest().to_vec())
            }
            0x20..=0x7F => HeaderValue::Text(self.text_string()?),
            _ => HeaderValue::Short(self.short_integer()?),
        })
    }

    /// Headers until the end of this reader.
    pub fn headers(&mut self) -> Result<Vec<Header>> {
        let mut headers = Vec::new();
        while !self.is_empty() {
            headers.push(self.header()?);
        }
        Ok(headers)
    }
}

/// Appends a generic header value.
pub fn put_generic_value(out: &mut Vec<u8>, value: &HeaderValue) -> Result<()> {
    match value {
        HeaderValue::Short(v) => put_short_integer(out, *v & 0x7F),
        HeaderValue::Text(t) => put_text_bytes(out, t.as_bytes())?,
        // A plain 0x00 would read back as an empty text-string: the long length form keeps empty data data.
        HeaderValue::Data(d) if d.is_empty() => out.extend_from_slice(&[31, 0]),
        HeaderValue::Data(d) => put_length_prefixed(out, d)?,
    }
    Ok(())
}

/// Appends one header.
pub fn put_header(out: &mut Vec<u8>, h: &Header) -> Result<()> {
    match (&h.name, &h.value) {
        (HeaderName::Code(code), value) => {
            put_short_integer(out, *code & 0x7F);
            put_generic_value(out, value)
        }
        (HeaderName::Text(name), HeaderValue::Text(value)) => {
            match name.as_bytes().first() {
                Some(0x20..=0x7E) => {}
                _ => {
                    return Err(crate::Error::unencodable(
                        "application header name is not a token",
                    ));
                }
            }
            put_text_bytes(out, name.as_bytes())?;
            put_text_bytes(out, value.as_bytes())
        }
        (HeaderName::Text(_), _) => Err(crate::Error::unencodable(
            "application header value must be text",
        )),
    }
}

/// Looks up the text of the first well-known header `code`.
pub fn find_text(headers: &[Header], code: u8) -> Option<&str> {
    headers.iter().find_map(|h| match (&h.name, &h.value) {
        (HeaderName::Code(c), HeaderValue::Text(t)) if *c == code => Some(t.as_str()),
        _ => None,
    })
}

/// Content-Location of a part.
pub fn content_location(headers: &[Header]) -> Option<&str> {
    find_text(headers, header::CONTENT_LOCATION)
}

/// Content-ID of a part, without the quoted-string's leading `"`.
pub fn content_id(headers: &[Header]) -> Option<&str> {
    find_text(headers, header::CONTENT_ID).map(|t| t.strip_prefix('"').unwrap_or(t))
}

/// The filename (or name) parameter of a Content-Disposition header (8.4.2.53), if any.
pub fn disposition_filename(headers: &[Header]) -> Option<String> {
    headers.iter().find_map(|h| {
        let (HeaderName::Code(c), HeaderValue::Data(d)) = (&h.name, &h.value) else {
            return None;
        };
        if *c != header::CONTENT_DISPOSITION && *c != header::CONTENT_DISPOSITION_14 {
            return None;
        }
        let mut r = Reader::new(d);
        match r.peek().ok()? {
            0x80..=0xFF => {
                r.u8().ok()?;
            }
            _ => {
                r.text_string().ok()?;
            }
        }
        while !r.is_empty() {
            let p = r.parameter().ok()?;
            let wanted = [
                param::FILENAME,
                param::FILENAME_14,
                param::NAME,
                param::NAME_14,
            ];
            if let (crate::ParamName::Code(code), ParamValue::Text(t)) = (&p.name, &p.value)
                && wanted.iter().any(|w| u32::from(*w) == *code)
            {
                return Some(t.clone());
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_headers_round_trip() {
        let headers = vec![
            Header::content_id("<img1>"),
            Header::content_location("img1.jpg"),
            Header::application("X-Custom", "yes"),
            Header {
                name: HeaderName::Code(header::CONTENT_DISPOSITION),
                value: HeaderValue::Data(vec![0x81, 0x86, b'a', b'.', b'j', b'p', b'g', 0]),
            },
        ];
        let mut out = Vec::new();
        for h in &headers {
            put_header(&mut out, h).unwrap();
        }
        assert_eq!(&out[..3], &[0xC0, b'"', b'<']);
        let back = Reader::new(&out).headers().unwrap();
        assert_eq!(back, headers);
        assert_eq!(content_id(&back), Some("<img1>"));
        assert_eq!(content_location(&back), Some("img1.jpg"));
        assert_eq!(disposition_filename(&back).as_deref(), Some("a.jpg"));
    }

    #[test]
    fn shift_sequences_are_reported() {
        let err = Reader::new(&[0x7F, 0x01]).header().unwrap_err();
        assert_eq!((err.kind, err.offset), (ErrorKind::UnsupportedCodePage, 0));
    }
}

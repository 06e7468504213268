//! Content-type-value (WAP-230-WSP 8.4.2.24): constrained media (a short-integer or a media string) or the
//! general form (value-length, media, parameters).

use crate::error::{Error, Result};
use crate::integer::{put_integer_value, put_length_prefixed, put_short_integer};
use crate::parameter::{ParamName, ParamValue, Parameter, put_parameter};
use crate::reader::Reader;
use crate::text::put_text_bytes;
use crate::well_known::{content_type_code, content_type_name, param};

/// A media type, by name or (when no name is assigned to it) by its raw well-known code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Media {
    /// A media type such as `image/jpeg`; written as its well-known code when it has one.
    Name(String),
    /// A well-known code with no name in the assignment table (kept so that it re-encodes as it came).
    Code(u64),
}

/// A content type with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentType {
    /// The media type.
    pub media: Media,
    /// Parameters, in wire order.
    pub params: Vec<Parameter>,
}

impl ContentType {
    /// A content type without parameters.
    pub fn new(media: impl Into<String>) -> Self {
        ContentType {
            media: Media::Name(media.into()),
            params: Vec::new(),
        }
    }

    /// Adds a parameter (builder style).
    pub fn with(mut self, p: Parameter) -> Self {
        self.params.push(p);
        self
    }

    /// The media type as text; an unnamed code reads `application/x-wsp-0xNN`.
    pub fn media_type(&self) -> String {
        match &self.media {
            Media::Name(name) => name.clone(),
            Media::Code(code) => format!("application/x-wsp-0x{code:02x}"),
        }
    }

    /// True for `application/vnd.wap.multipart.*` and `multipart/*`, whose body is a WSP multipart.
    pub fn is_multipart(&self) -> bool {
        match &self.media {
            Media::Name(n) => {
                let n = n.to_ascii_lowercase();
                n.starts_with("application/vnd.wap.multipart.") || n.starts_with("multipart/")
            }
            Media::Code(_) => false,
        }
    }

    /// The first parameter among `codes` (or named `token`), as text or integer.
    pub fn param(&self, codes: &[u8], token: &str) -> Option<&ParamValue> {
        self.params.iter().find_map(|p| match &p.name {
            ParamName::Code(c) if codes.iter().any(|k| u32::from(*k) == *c) => Some(&p.value),
            ParamName::Text(t) if t.eq_ignore_ascii_case(token) => Some(&p.value),
            _ => None,
        })
    }

    /// The `name` parameter (either code), if it is text.
    pub fn name(&self) -> Option<&str> {
        text_of(self.param(&[param::NAME, param::NAME_14], "name"))
    }

    /// The `filename` parameter, if it is text.
    pub fn filename(&self) -> Option<&str> {
        text_of(self.param(&[param::FILENAME, param::FILENAME_14], "filename"))
    }

    /// The `start` parameter of multipart/related.
    pub fn start(&self) -> Option<&str> {
        text_of(self.param(&[param::START, param::START_14], "start"))
    }

    /// The `charset` parameter as a MIBenum.
    pub fn charset(&self) -> Option<u64> {
        match self.param(&[param::CHARSET], "charset") {
            Some(ParamValue::Integer(v)) => Some(*v),
            _ => None,
        }
    }
}

fn text_of(v: Option<&ParamValue>) -> Option<&str> {
    match v {
        Some(ParamValue::Text(t)) => Some(t),
        _ => None,
    }
}

fn media_from_code(code: u64) -> Media {
    content_type_name(code).map_or(Media::Code(code), |n| Media::Name(n.to_owned()))
}

impl Reader<'_> {
    /// Content-type-value.
    pub fn content_type(&mut self) -> Result<ContentType> {
        let first = self.peek()?;
        if first >= 0x80 {
            let code = self.short_integer()?;
            return Ok(ContentType {
                media: media_from_code(u64::from(code)),
                params: Vec::new(),
            });
        }
        if first >= 0x20 {
            return Ok(ContentType::new(self.text_string()?));
        }
        if first == 0 {
            // An empty extension-media: tolerated as an empty name.
            self.u8()?;
            return Ok(ContentType::new(""));
        }
        let mut value = self.length_prefixed()?;
        let media = match value.peek()? {
            b if b >= 0x80 || b <= 30 => media_from_code(value.integer_value()?),
            _ => Media::Name(value.text_string()?),
        };
        let mut params = Vec::new();
        while !value.is_empty() {
            params.push(value.parameter()?);
        }
        Ok(ContentType { media, params })
    }
}

/// Appends a Content-type-value in its shortest form.
pub fn put_content_type(out: &mut Vec<u8>, ct: &ContentType) -> Result<()> {
    // The well-known code when there is one, else the media name as extension-media.
    let code = match &ct.media {
        Media::Name(name) => content_type_code(name).map(u64::from),
        Media::Code(code) => Some(*code),
    };
    let name = match &ct.media {
        Media::Name(name) if code.is_none() => Some(name.as_str()),
        _ => None,
    };
    if ct.params.is_empty() {
        match (code, name) {
            (Some(c), _) if c <= 0x7F => {
                put_short_integer(out, c as u8);
                return Ok(());
            }
            (None, Some(name)) if !name.is_empty() => return put_media_name(out, name),
            _ => {}
        }
    }
    let mut body = Vec::new();
    match (code, name) {
        (Some(c), _) => put_integer_value(&mut body, c),
        (None, name) => put_media_name(&mut body, name.unwrap_or_default())?,
    }
    for p in &ct.params {
        put_parameter(&mut body, p)?;
    }
    put_length_prefixed(out, &body)
}

fn put_media_name(out: &mut Vec<u8>, name: &str) -> Result<()> {
    match name.as_bytes().first() {
        Some(b) if (0x20..0x7F).contains(b) => put_text_bytes(out, name.as_bytes()),
        _ => Err(Error::unencodable(
            "media type must start with a printable ASCII character",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charset;

    #[test]
    fn multipart_related_with_start_and_type() {
        let ct = ContentType::new("application/vnd.wap.multipart.related")
            .with(Parameter::start("<smil>"))
            .with(Parameter::related_type("application/smil"));
        let mut out = Vec::new();
        put_content_type(&mut out, &ct).unwrap();
        assert_eq!(out[1], 0xB3);
        let back = Reader::new(&out).content_type().unwrap();
        assert_eq!(back, ct);
        assert_eq!(back.start(), Some("<smil>"));
        assert!(back.is_multipart());
    }

    #[test]
    fn short_forms() {
        let mut out = Vec::new();
        put_content_type(&mut out, &ContentType::new("image/jpeg")).unwrap();
        assert_eq!(out, [0x9E]);
        let text = ContentType::new("text/plain").with(Parameter::charset(charset::UTF_8));
        out.clear();
        put_content_type(&mut out, &text).unwrap();
        assert_eq!(out, [0x03, 0x83, 0x81, 0xEA]);
        assert_eq!(
            Reader::new(&out).content_type().unwrap().charset(),
            Some(106)
        );
    }

    #[test]
    fn unknown_code_is_kept() {
        let data = [0x03, 0x02, 0x01, 0x7F];
        let ct = Reader::new(&data).content_type().unwrap();
        assert_eq!(ct.media, Media::Code(0x17F));
        let mut out = Vec::new();
        put_content_type(&mut out, &ct).unwrap();
        assert_eq!(out, data);
    }
}

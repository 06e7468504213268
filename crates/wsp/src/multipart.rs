//! Multipart data (WAP-230-WSP 8.5): the body of `application/vnd.wap.multipart.*`. A uintvar entry count,
//! then per entry: uintvar headers length, uintvar data length, content type + headers, data.

use crate::content_type::{ContentType, put_content_type};
use crate::error::{Error, Result};
use crate::header::{Header, put_header};
use crate::integer::put_uintvar;
use crate::reader::Reader;

/// One entry of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Part {
    /// The entry's content type.
    pub content_type: ContentType,
    /// The entry's other headers (Content-ID, Content-Location, …), in wire order.
    pub headers: Vec<Header>,
    /// The entry's data.
    pub data: Vec<u8>,
}

impl Part {
    /// A part with no headers besides its content type.
    pub fn new(content_type: ContentType, data: impl Into<Vec<u8>>) -> Self {
        Part {
            content_type,
            headers: Vec::new(),
            data: data.into(),
        }
    }

    /// A name for the part: Content-Type `name`, Content-Disposition filename, or Content-Location.
    pub fn name(&self) -> Option<String> {
        self.content_type
            .name()
            .map(str::to_owned)
            .or_else(|| self.content_type.filename().map(str::to_owned))
            .or_else(|| crate::header::disposition_filename(&self.headers))
            .or_else(|| crate::header::content_location(&self.headers).map(str::to_owned))
    }

    /// The part's Content-ID without the quoted-string marker.
    pub fn content_id(&self) -> Option<&str> {
        crate::header::content_id(&self.headers)
    }

    /// The part's Content-Location.
    pub fn content_location(&self) -> Option<&str> {
        crate::header::content_location(&self.headers)
    }
}

impl Reader<'_> {
    /// A multipart body, to the end of this reader.
    pub fn multipart(&mut self) -> Result<Vec<Part>> {
        let count = self.uintvar()?;
        // No capacity from `count`: it is untrusted. Each entry needs at least 3 octets, which bounds the loop.
        let mut parts = Vec::new();
        for _ in 0..count {
            let headers_len = self.uintvar()? as usize;
            let data_len = self.uintvar()? as usize;
            let mut head = self.sub(headers_len)?;
            let content_type = head.content_type()?;
            let headers = head.headers()?;
            let data = self
                .take(data_len)
                .map_err(|e| Error::new(crate::ErrorKind::BadLength, e.offset))?;
            parts.push(Part {
                content_type,
                headers,
                data: data.to_vec(),
            });
        }
        Ok(parts)
    }
}

/// Appends a multipart body.
pub fn put_multipart(out: &mut Vec<u8>, parts: &[Part]) -> Result<()> {
    let count = u32::try_from(parts.len()).map_err(|_| Error::unencodable("too many parts"))?;
    put_uintvar(out, count);
    let mut head = Vec::new();
    for part in parts {
        head.clear();
        put_content_type(&mut head, &part.content_type)?;
        for h in &part.headers {
            put_header(&mut head, h)?;
        }
        let data_len =
            u32::try_from(part.data.len()).map_err(|_| Error::unencodable("part over 4 GiB"))?;
        put_uintvar(out, head.len() as u32);
        put_uintvar(out, data_len);
        out.extend_from_slice(&head);
        out.extend_from_slice(&part.data);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn two_parts_round_trip() {
        let parts = vec![
            Part::new(ContentType::new("application/smil"), b"<smil/>".to_vec()),
            Part {
                content_type: ContentType::new("image/jpeg"),
                headers: vec![Header::content_id("<i>")],
                data: vec![0xFF, 0xD8, 0xFF, 0xD9],
            },
        ];
        let mut out = Vec::new();
        put_multipart(&mut out, &parts).unwrap();
        let mut r = Reader::new(&out);
        assert_eq!(r.multipart().unwrap(), parts);
        assert!(r.is_empty());
    }

    #[test]
    fn huge_count_on_short_input_fails_fast() {
        let data = [0x8F, 0xFF, 0xFF, 0xFF, 0x7F];
        let err = Reader::new(&data).multipart().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Truncated);
    }

    #[test]
    fn data_length_past_end_is_bad_length() {
        let data = [0x01, 0x01, 0x09, 0x83, b'x'];
        let err = Reader::new(&data).multipart().unwrap_err();
        assert_eq!((err.kind, err.offset), (ErrorKind::BadLength, 4));
    }
}

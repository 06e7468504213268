//! Encoded-string-value (OMA-MMS-ENC 1.3 clause 7.2.9, after WAP-230 8.4.2.1 text-string): a text-string, or
//! value-length + charset + text-string, so that subjects and addresses can carry any charset.

use crate::charset;
use crate::error::Result;
use crate::integer::{put_integer_value, put_length_prefixed};
use crate::reader::Reader;
use crate::text::{QUOTE, put_text_bytes};

/// A string with an optional declared charset (IANA MIBenum). `charset: None` is the plain text-string form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EncodedString {
    /// The declared charset, if the sender gave one.
    pub charset: Option<u32>,
    /// The text, already converted from the charset.
    pub text: String,
}

impl EncodedString {
    /// A plain text-string (no charset on the wire).
    pub fn plain(text: impl Into<String>) -> Self {
        EncodedString {
            charset: None,
            text: text.into(),
        }
    }

    /// Text declared as UTF-8.
    pub fn utf8(text: impl Into<String>) -> Self {
        EncodedString {
            charset: Some(charset::UTF_8),
            text: text.into(),
        }
    }
}

impl From<&str> for EncodedString {
    fn from(text: &str) -> Self {
        EncodedString::plain(text)
    }
}

impl Reader<'_> {
    /// Encoded-string-value.
    pub fn encoded_string(&mut self) -> Result<EncodedString> {
        let first = self.peek()?;
        if first == 0 {
            // An empty text-string; a value-length of 0 could not hold the charset anyway.
            self.u8()?;
            return Ok(EncodedString::plain(""));
        }
        if first > 31 {
            return Ok(EncodedString::plain(self.text_string()?));
        }
        let mut value = self.length_prefixed()?;
        let mib = value.integer_value()?;
        let mib = u32::try_from(mib).unwrap_or(u32::MAX);
        let text_at = value.pos();
        let bytes = value.rest();
        let bytes = if charset::is_wide(mib) {
            trim_wide_terminator(bytes)
        } else {
            let bytes = bytes.strip_prefix(&[QUOTE]).unwrap_or(bytes);
            let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
            &bytes[..end]
        };
        Ok(EncodedString {
            charset: Some(mib),
            text: charset::decode(mib, bytes, text_at)?,
        })
    }
}

/// Drops the NUL terminator of a 16-bit string, whether the sender wrote one octet or two.
fn trim_wide_terminator(bytes: &[u8]) -> &[u8] {
    let bytes = if !bytes.len().is_multiple_of(2) && bytes.last() == Some(&0) {
        &bytes[..bytes.len() - 1]
    } else {
        bytes
    };
    match bytes {
        [rest @ .., 0, 0] => rest,
        _ => bytes,
    }
}

/// Appends an Encoded-string-value.
pub fn put_encoded_string(out: &mut Vec<u8>, value: &EncodedString) -> Result<()> {
    let Some(mib) = value.charset else {
        return put_text_bytes(out, value.text.as_bytes());
    };
    let mut body = Vec::with_capacity(value.text.len() + 4);
    put_integer_value(&mut body, u64::from(mib));
    let bytes = charset::encode(mib, &value.text)?;
    if charset::is_wide(mib) {
        if bytes.chunks_exact(2).any(|c| c == [0, 0]) {
            return Err(crate::Error::unencodable("NUL inside a text-string"));
        }
        body.extend_from_slice(&bytes);
        body.extend_from_slice(&[0, 0]);
    } else {
        put_text_bytes(&mut body, &bytes)?;
    }
    put_length_prefixed(out, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn utf8_subject_with_charset() {
        // 0x07 length, 0xEA = UTF-8 (106), text, NUL.
        let data = [0x06, 0xEA, b'h', 0xC3, 0xA9, b'!', 0];
        let s = Reader::new(&data).encoded_string().unwrap();
        assert_eq!(s, EncodedString::utf8("hé!"));
        let mut out = Vec::new();
        put_encoded_string(&mut out, &s).unwrap();
        assert_eq!(out, data);
    }

    fn any_encoded() -> impl Strategy<Value = EncodedString> {
        prop_oneof![
            "[^\u{0}]{0,20}".prop_map(EncodedString::plain),
            "[^\u{0}]{0,20}".prop_map(EncodedString::utf8),
            "[ -~]{0,20}".prop_map(|t| EncodedString {
                charset: Some(charset::US_ASCII),
                text: t
            }),
            "[\u{1}-\u{ff}]{0,20}".prop_map(|t| EncodedString {
                charset: Some(charset::ISO_8859_1),
                text: t
            }),
            "[^\u{0}\u{feff}\u{fffe}]{0,20}".prop_map(|t| EncodedString {
                charset: Some(charset::UCS_2),
                text: t
            }),
            "[^\u{0}]{0,20}".prop_map(|t| EncodedString {
                charset: Some(charset::UTF_16LE),
                text: t
            }),
            "[a-z ぁ-んァ-ヶ]{0,12}".prop_map(|t| EncodedString {
                charset: Some(17),
                text: t
            }),
        ]
    }

    proptest! {
        #[test]
        fn round_trips(s in any_encoded()) {
            let mut out = Vec::new();
            put_encoded_string(&mut out, &s).unwrap();
            let mut r = Reader::new(&out);
            prop_assert_eq!(r.encoded_string().unwrap(), s);
            prop_assert!(r.is_empty());
        }
    }
}

//! Strings of WAP-230-WSP 8.4.2.1: text-string (with the 0x7F quote), token-text, quoted-string, and
//! text-value (8.4.2.3).

use crate::error::{Error, ErrorKind, Result};
use crate::reader::Reader;

/// The quote octet that precedes a text-string whose first character is 0x80 or above.
pub const QUOTE: u8 = 0x7F;
/// The octet that opens a quoted-string.
pub const QUOTED_STRING: u8 = 0x22;

impl<'a> Reader<'a> {
    /// The raw octets of a NUL-terminated string, without the terminator.
    pub fn nul_terminated(&mut self) -> Result<&'a [u8]> {
        let start = self.pos();
        let rest_len = self.remaining();
        let mut probe = self.clone();
        let all = probe.take(rest_len)?;
        match all.iter().position(|b| *b == 0) {
            Some(n) => {
                let bytes = self.take(n)?;
                self.u8()?;
                Ok(bytes)
            }
            None => Err(Error::new(ErrorKind::UnterminatedString, start)),
        }
    }

    /// text-string: optional 0x7F quote, octets, NUL. Returned as raw octets (charset is the caller's).
    pub fn text_bytes(&mut self) -> Result<&'a [u8]> {
        if self.peek()? == QUOTE {
            self.u8()?;
        }
        self.nul_terminated()
    }

    /// text-string decoded as UTF-8, or as ISO-8859-1 when it is not valid UTF-8 (handsets send both).
    pub fn text_string(&mut self) -> Result<String> {
        Ok(lenient_text(self.text_bytes()?))
    }

    /// text-value (8.4.2.3): no-value (0x00, returned as ""), quoted-string, or token-text.
    pub fn text_value(&mut self) -> Result<String> {
        match self.peek()? {
            0 => {
                self.u8()?;
                Ok(String::new())
            }
            QUOTED_STRING => {
                self.u8()?;
                Ok(lenient_text(self.nul_terminated()?))
            }
            _ => self.text_string(),
        }
    }
}

/// UTF-8 if valid, else each octet as the ISO-8859-1 character of the same number.
pub fn lenient_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

/// Appends a text-string of raw octets, quoted with 0x7F when its first octet could be misread.
pub fn put_text_bytes(out: &mut Vec<u8>, bytes: &[u8]) -> Result<()> {
    if bytes.contains(&0) {
        return Err(Error::unencodable("NUL inside a text-string"));
    }
    // Quote any first octet that a decoder would otherwise read as a length, the quote itself, or an integer.
    if bytes.first().is_some_and(|b| *b >= QUOTE || *b < 0x20) {
        out.push(QUOTE);
    }
    out.extend_from_slice(bytes);
    out.push(0);
    Ok(())
}

/// Appends a text-string (UTF-8).
pub fn put_text_string(out: &mut Vec<u8>, text: &str) -> Result<()> {
    put_text_bytes(out, text.as_bytes())
}

/// Appends a text-value: no-value for "", a quoted-string when the text could be mistaken for another value
/// (it starts with a quote or a non-ASCII octet), token-text otherwise.
pub fn put_text_value(out: &mut Vec<u8>, text: &str) -> Result<()> {
    if text.contains('\0') {
        return Err(Error::unencodable("NUL inside a text-value"));
    }
    let first = text.as_bytes().first().copied();
    match first {
        None => out.push(0),
        Some(b) if b == QUOTED_STRING || !(0x20..0x7F).contains(&b) => {
            out.push(QUOTED_STRING);
            out.extend_from_slice(text.as_bytes());
            out.push(0);
        }
        Some(_) => {
            out.extend_from_slice(text.as_bytes());
            out.push(0);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quote_precedes_high_first_octet() {
        let mut out = Vec::new();
        put_text_string(&mut out, "é").unwrap();
        assert_eq!(out, [0x7F, 0xC3, 0xA9, 0]);
        assert_eq!(Reader::new(&out).text_string().unwrap(), "é");
    }

    #[test]
    fn missing_terminator_is_an_error_at_string_start() {
        let err = Reader::new(b"\x7fabc").text_string().unwrap_err();
        assert_eq!((err.kind, err.offset), (ErrorKind::UnterminatedString, 1));
    }

    #[test]
    fn latin1_fallback() {
        assert_eq!(Reader::new(b"caf\xe9\0").text_string().unwrap(), "café");
    }

    proptest! {
        #[test]
        fn text_value_round_trips(s in "[^\u{0}]{0,40}") {
            let mut out = Vec::new();
            put_text_value(&mut out, &s).unwrap();
            let mut r = Reader::new(&out);
            prop_assert_eq!(r.text_value().unwrap(), s);
            prop_assert!(r.is_empty());
        }
    }
}

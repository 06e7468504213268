//! A bounds-checked cursor over input bytes. Every read either succeeds or returns an [`Error`] that carries
//! the absolute offset, so decoders built on it cannot panic on short input.

use crate::error::{Error, ErrorKind, Result};

/// A cursor over a byte slice. Sub-readers ([`Reader::sub`]) share the same slice, so offsets in errors are
/// always positions in the original input.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    /// A reader over all of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            end: data.len(),
        }
    }

    /// The current absolute offset.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left before this reader's end.
    pub fn remaining(&self) -> usize {
        self.end - self.pos
    }

    /// True when nothing is left.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.end
    }

    /// An error of `kind` at the current position.
    pub fn error(&self, kind: ErrorKind) -> Error {
        Error::new(kind, self.pos)
    }

    /// The next octet, without consuming it.
    pub fn peek(&self) -> Result<u8> {
        if self.pos < self.end {
            Ok(self.data[self.pos])
        } else {
            Err(self.error(ErrorKind::Truncated))
        }
    }

    /// Consumes one octet.
    pub fn u8(&mut self) -> Result<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Ok(b)
    }

    /// Consumes `n` octets; `Truncated` if fewer remain.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.error(ErrorKind::Truncated));
        }
        let start = self.pos;
        self.pos += n;
        Ok(&self.data[start..self.pos])
    }

    /// Consumes everything that is left.
    pub fn rest(&mut self) -> &'a [u8] {
        let start = self.pos;
        self.pos = self.end;
        &self.data[start..self.end]
    }

    /// Splits off the next `len` octets as their own reader (for a length-prefixed value) and skips them here.
    /// A `len` past the end is `BadLength`, reported at the start of the value.
    pub fn sub(&mut self, len: usize) -> Result<Reader<'a>> {
        if len > self.remaining() {
            return Err(self.error(ErrorKind::BadLength));
        }
        let sub = Reader {
            data: self.data,
            pos: self.pos,
            end: self.pos + len,
        };
        self.pos += len;
        Ok(sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_reader_offsets_are_absolute() {
        let data = [1, 2, 3, 4, 5];
        let mut r = Reader::new(&data);
        r.u8().unwrap();
        let mut s = r.sub(2).unwrap();
        assert_eq!(s.pos(), 1);
        assert_eq!(s.take(2).unwrap(), &[2, 3]);
        assert_eq!(s.u8().unwrap_err(), Error::new(ErrorKind::Truncated, 3));
        assert_eq!(r.pos(), 3);
        assert_eq!(r.sub(3).unwrap_err().kind, ErrorKind::BadLength);
    }
}

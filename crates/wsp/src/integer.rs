//! Numbers of WAP-230-WSP: uintvar (8.1.2), short-integer, long-integer and integer-value (8.4.2.1, 8.4.2.3),
//! and value-length (8.4.2.2).

use crate::error::{ErrorKind, Result};
use crate::reader::Reader;

/// The largest value a short-integer (one octet, high bit set) can carry.
pub const SHORT_INTEGER_MAX: u8 = 0x7F;

impl<'a> Reader<'a> {
    /// uintvar (WAP-230 8.1.2): 7 bits per octet, high bit = "more"; at most 5 octets / 32 bits.
    pub fn uintvar(&mut self) -> Result<u32> {
        let start = self.pos();
        let mut value: u64 = 0;
        for _ in 0..5 {
            let b = self.u8()?;
            value = (value << 7) | u64::from(b & 0x7F);
            if b & 0x80 == 0 {
                return u32::try_from(value)
                    .map_err(|_| crate::Error::new(ErrorKind::UintvarOverflow, start));
            }
        }
        Err(crate::Error::new(ErrorKind::UintvarOverflow, start))
    }

    /// short-integer (8.4.2.1): one octet with the high bit set; the value is the low 7 bits.
    pub fn short_integer(&mut self) -> Result<u8> {
        let b = self.peek()?;
        if b & 0x80 == 0 {
            return Err(self.error(ErrorKind::UnexpectedOctet(b)));
        }
        self.u8()?;
        Ok(b & 0x7F)
    }

    /// long-integer (8.4.2.1): short-length (0–30) then that many big-endian octets, at most 8.
    pub fn long_integer(&mut self) -> Result<u64> {
        let len = self.peek()?;
        if len > 30 {
            return Err(self.error(ErrorKind::UnexpectedOctet(len)));
        }
        if len > 8 {
            return Err(self.error(ErrorKind::IntegerOverflow));
        }
        self.u8()?;
        let bytes = self.take(usize::from(len))?;
        Ok(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// integer-value (8.4.2.3): a short-integer or a long-integer.
    pub fn integer_value(&mut self) -> Result<u64> {
        if self.peek()? & 0x80 != 0 {
            Ok(u64::from(self.short_integer()?))
        } else {
            self.long_integer()
        }
    }

    /// value-length (8.4.2.2): short-length 0–30, or 31 followed by a uintvar. Checked against what is left.
    pub fn value_length(&mut self) -> Result<usize> {
        let start = self.pos();
        let b = self.u8()?;
        let len = match b {
            0..=30 => usize::from(b),
            31 => self.uintvar()? as usize,
            _ => return Err(crate::Error::new(ErrorKind::UnexpectedOctet(b), start)),
        };
        if len > self.remaining() {
            return Err(crate::Error::new(ErrorKind::BadLength, start));
        }
        Ok(len)
    }

    /// A value-length followed by that many octets, returned as a sub-reader.
    pub fn length_prefixed(&mut self) -> Result<Reader<'a>> {
        let len = self.value_length()?;
        self.sub(len)
    }
}

/// Appends a uintvar.
pub fn put_uintvar(out: &mut Vec<u8>, value: u32) {
    let mut groups = [0u8; 5];
    let mut n = 0;
    let mut v = value;
    loop {
        groups[n] = (v & 0x7F) as u8;
        n += 1;
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let more = if i > 0 { 0x80 } else { 0 };
        out.push(groups[i] | more);
    }
}

/// Appends a short-integer: the low 7 bits of `value` (callers pass at most 127) with the high bit set.
pub fn put_short_integer(out: &mut Vec<u8>, value: u8) {
    out.push(0x80 | (value & SHORT_INTEGER_MAX));
}

/// Appends a long-integer in the fewest octets (at least one).
pub fn put_long_integer(out: &mut Vec<u8>, value: u64) {
    let bytes = value.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
    out.push((8 - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

/// Appends an integer-value: short-integer when it fits, else long-integer.
pub fn put_integer_value(out: &mut Vec<u8>, value: u64) {
    if value <= u64::from(SHORT_INTEGER_MAX) {
        put_short_integer(out, value as u8);
    } else {
        put_long_integer(out, value);
    }
}

/// Appends a value-length for a value of `len` octets.
pub fn put_value_length(out: &mut Vec<u8>, len: usize) -> Result<()> {
    if len <= 30 {
        out.push(len as u8);
    } else {
        let len =
            u32::try_from(len).map_err(|_| crate::Error::unencodable("value longer than 4 GiB"))?;
        out.push(31);
        put_uintvar(out, len);
    }
    Ok(())
}

/// Appends value-length + `body` (a value built in its own buffer).
pub fn put_length_prefixed(out: &mut Vec<u8>, body: &[u8]) -> Result<()> {
    put_value_length(out, body.len())?;
    out.extend_from_slice(body);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn uintvar_known_values() {
        // WAP-230 8.1.2 example: 0x87A5 is encoded 0x82 0x8F 0x25.
        let mut out = Vec::new();
        put_uintvar(&mut out, 0x87A5);
        assert_eq!(out, [0x82, 0x8F, 0x25]);
        assert_eq!(Reader::new(&out).uintvar().unwrap(), 0x87A5);
    }

    #[test]
    fn uintvar_overflow_and_truncation() {
        let too_long = [0x81, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert_eq!(
            Reader::new(&too_long).uintvar().unwrap_err().kind,
            ErrorKind::UintvarOverflow
        );
        let too_big = [0x90, 0x80, 0x80, 0x80, 0x00];
        assert_eq!(
            Reader::new(&too_big).uintvar().unwrap_err().kind,
            ErrorKind::UintvarOverflow
        );
        let cut = [0x81, 0x80];
        assert_eq!(Reader::new(&cut).uintvar().unwrap_err().offset, 2);
    }

    #[test]
    fn value_length_longer_than_input_is_bad_length() {
        let data = [0x05, 1, 2];
        let err = Reader::new(&data).value_length().unwrap_err();
        assert_eq!((err.kind, err.offset), (ErrorKind::BadLength, 0));
        let data = [0x1F, 0x81, 0x00, 0];
        assert_eq!(
            Reader::new(&data).value_length().unwrap_err().kind,
            ErrorKind::BadLength
        );
    }

    #[test]
    fn long_integer_rejects_more_than_eight_octets() {
        let data = [9, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(
            Reader::new(&data).long_integer().unwrap_err().kind,
            ErrorKind::IntegerOverflow
        );
    }

    proptest! {
        #[test]
        fn uintvar_round_trips(v in any::<u32>()) {
            let mut out = Vec::new();
            put_uintvar(&mut out, v);
            let mut r = Reader::new(&out);
            prop_assert_eq!(r.uintvar().unwrap(), v);
            prop_assert!(r.is_empty());
        }

        #[test]
        fn integer_value_round_trips(v in any::<u64>()) {
            let mut out = Vec::new();
            put_integer_value(&mut out, v);
            let mut r = Reader::new(&out);
            prop_assert_eq!(r.integer_value().unwrap(), v);
            prop_assert!(r.is_empty());
        }

        #[test]
        fn value_length_round_trips(len in 0usize..100_000) {
            let mut out = Vec::new();
            put_value_length(&mut out, len).unwrap();
            out.resize(out.len() + len, 0);
            let mut r = Reader::new(&out);
            prop_assert_eq!(r.value_length().unwrap(), len);
        }
    }
}

//! Header values (OMA-MMS-ENC 1.3 clause 7.3): one variant per wire shape, read according to the field's
//! [`Kind`] and written from the variant alone, so that encode → decode → encode is stable.

use canvass_wsp::{
    EncodedString, HeaderValue, Parameter, Reader, put_encoded_string, put_integer_value,
    put_length_prefixed, put_long_integer, put_parameter, put_text_bytes,
};

use crate::error::{Error, Result};
use crate::field::Kind;

/// Token of an absolute time (Absolute-token) and of From's Address-present-token.
pub const TOKEN_ABSOLUTE: u8 = 0x80;
/// Token of a relative time (Relative-token) and of From's Insert-address-token.
pub const TOKEN_RELATIVE: u8 = 0x81;

/// An absolute date (seconds since 1970, UTC) or a delay in seconds (clause 7.3.12, 7.3.20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Time {
    /// Date-value.
    Absolute(u64),
    /// Delta-seconds-value.
    Relative(u64),
}

/// A header value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A one-octet token, stored as on the wire (0x80–0xFF), e.g. 0x80 = Yes.
    Octet(u8),
    /// A long-integer (dates, sizes).
    Long(u64),
    /// An integer-value.
    Integer(u64),
    /// A text-string.
    Text(String),
    /// An Encoded-string-value.
    Encoded(EncodedString),
    /// From: an address, or `None` for the insert-address token (the MMSC fills it in).
    From(Option<EncodedString>),
    /// Expiry, Delivery-Time, Reply-Charging-Deadline.
    Time(Time),
    /// Previously-Sent-By: forwarded count and address.
    CountedAddress(u64, EncodedString),
    /// Previously-Sent-Date: forwarded count and date.
    CountedDate(u64, u64),
    /// MM-Flags: token (0x80 add, 0x81 remove, 0x82 filter) and keyword.
    Flag(u8, EncodedString),
    /// Mbox-Totals and Mbox-Quotas: token (0x80 messages, 0x81 bytes) and amount.
    Quantity(u8, u64),
    /// Element-Descriptor: content reference and parameters.
    ElementDescriptor(String, Vec<Parameter>),
    /// A value kept in the generic WSP shape: unknown fields, or a known field sent in a shape it does not
    /// define (e.g. token-text where a token octet is expected).
    Generic(HeaderValue),
}

fn token(r: &mut Reader<'_>) -> Result<u8> {
    let at = r.pos();
    let b = r.u8()?;
    if b < 0x80 {
        return Err(Error::from(canvass_wsp::Error::new(
            canvass_wsp::ErrorKind::UnexpectedOctet(b),
            at,
        )));
    }
    Ok(b)
}

/// Reads a value of `kind`.
pub fn read(r: &mut Reader<'_>, kind: Kind) -> Result<Value> {
    let first = r.peek()?;
    // A token field sent as text (or any shape it does not define) is kept generically, not rejected.
    let length_prefixed = matches!(
        kind,
        Kind::From
            | Kind::Time
            | Kind::CountedAddress
            | Kind::CountedDate
            | Kind::Flag
            | Kind::Quantity
            | Kind::ElementDescriptor
    );
    let generic = || {
        matches!(kind, Kind::Octet) && first < 0x80
            || matches!(kind, Kind::Text) && (1..0x20).contains(&first)
            || length_prefixed && first > 31
    };
    if generic() {
        return Ok(Value::Generic(r.generic_value()?));
    }
    Ok(match kind {
        Kind::Octet => Value::Octet(r.u8()?),
        Kind::LongInteger => Value::Long(r.integer_value()?),
        Kind::IntegerValue => Value::Integer(r.integer_value()?),
        Kind::Text => Value::Text(r.text_string()?),
        Kind::Encoded => Value::Encoded(r.encoded_string()?),
        Kind::ClassOrText if first >= 0x80 => Value::Octet(r.u8()?),
        Kind::ClassOrText => Value::Text(r.text_string()?),
        Kind::From => {
            let mut v = r.length_prefixed()?;
            match token(&mut v)? {
                TOKEN_RELATIVE => Value::From(None),
                _ => Value::From(Some(v.encoded_string()?)),
            }
        }
        Kind::Time => {
            let mut v = r.length_prefixed()?;
            let t = token(&mut v)?;
            let n = v.integer_value()?;
            Value::Time(if t == TOKEN_RELATIVE {
                Time::Relative(n)
            } else {
                Time::Absolute(n)
            })
        }
        Kind::CountedAddress => {
            let mut v = r.length_prefixed()?;
            Value::CountedAddress(v.integer_value()?, v.encoded_string()?)
        }
        Kind::CountedDate => {
            let mut v = r.length_prefixed()?;
            Value::CountedDate(v.integer_value()?, v.integer_value()?)
        }
        Kind::Flag => {
            let mut v = r.length_prefixed()?;
            Value::Flag(token(&mut v)?, v.encoded_string()?)
        }
        Kind::Quantity => {
            let mut v = r.length_prefixed()?;
            Value::Quantity(token(&mut v)?, v.integer_value()?)
        }
        Kind::ElementDescriptor => {
            let mut v = r.length_prefixed()?;
            let reference = v.text_string()?;
            let mut params = Vec::new();
            while !v.is_empty() {
                params.push(v.parameter()?);
            }
            Value::ElementDescriptor(reference, params)
        }
        Kind::ContentType | Kind::Generic => Value::Generic(r.generic_value()?),
    })
}

fn put_token(out: &mut Vec<u8>, t: u8) -> Result<()> {
    if t < 0x80 {
        return Err(Error::unencodable("a token octet must be 0x80 or above"));
    }
    out.push(t);
    Ok(())
}

/// Appends a value.
pub fn write(out: &mut Vec<u8>, value: &Value) -> Result<()> {
    let mut body = Vec::new();
    match value {
        Value::Octet(t) => return put_token(out, *t),
        Value::Long(n) => {
            put_long_integer(out, *n);
            return Ok(());
        }
        Value::Integer(n) => {
            put_integer_value(out, *n);
            return Ok(());
        }
        Value::Text(t) => return Ok(put_text_bytes(out, t.as_bytes())?),
        Value::Encoded(s) => return Ok(put_encoded_string(out, s)?),
        Value::Generic(v) => return Ok(canvass_wsp::header::put_generic_value(out, v)?),
        Value::From(None) => body.push(TOKEN_RELATIVE),
        Value::From(Some(address)) => {
            body.push(TOKEN_ABSOLUTE);
            put_encoded_string(&mut body, address)?;
        }
        Value::Time(Time::Absolute(n)) => {
            body.push(TOKEN_ABSOLUTE);
            put_long_integer(&mut body, *n);
        }
        Value::Time(Time::Relative(n)) => {
            body.push(TOKEN_RELATIVE);
            put_long_integer(&mut body, *n);
        }
        Value::CountedAddress(count, address) => {
            put_integer_value(&mut body, *count);
            put_encoded_string(&mut body, address)?;
        }
        Value::CountedDate(count, date) => {
            put_integer_value(&mut body, *count);
            put_long_integer(&mut body, *date);
        }
        Value::Flag(t, keyword) => {
            put_token(&mut body, *t)?;
            put_encoded_string(&mut body, keyword)?;
        }
        Value::Quantity(t, n) => {
            put_token(&mut body, *t)?;
            put_integer_value(&mut body, *n);
        }
        Value::ElementDescriptor(reference, params) => {
            put_text_bytes(&mut body, reference.as_bytes())?;
            for p in params {
                put_parameter(&mut body, p)?;
            }
        }
    }
    Ok(put_length_prefixed(out, &body)?)
}

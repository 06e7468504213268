//! Parameters of content types and headers (WAP-230-WSP 8.4.2.4): typed (well-known code + typed value) or
//! untyped (token-text name + integer or text value).

use crate::error::{ErrorKind, Result};
use crate::integer::{put_integer_value, put_uintvar};
use crate::reader::Reader;
use crate::text::{put_text_bytes, put_text_value};
use crate::well_known::{PARAM_NAMES, param};

/// A parameter's name: a well-known code (Table 38) or a token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamName {
    /// Well-known-parameter-token.
    Code(u32),
    /// Token-text of an untyped parameter.
    Text(String),
}

/// A parameter's value, in the two shapes the wire distinguishes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamValue {
    /// Integer-value (also well-known charsets, constrained short-integer media, dates, q-values).
    Integer(u64),
    /// Text-value (token-text or quoted-string); "" is No-value.
    Text(String),
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parameter {
    /// The name.
    pub name: ParamName,
    /// The value.
    pub value: ParamValue,
}

impl Parameter {
    /// A well-known parameter with a text value.
    pub fn text(code: u8, value: impl Into<String>) -> Self {
        Parameter {
            name: ParamName::Code(u32::from(code)),
            value: ParamValue::Text(value.into()),
        }
    }

    /// A well-known parameter with an integer value.
    pub fn integer(code: u8, value: u64) -> Self {
        Parameter {
            name: ParamName::Code(u32::from(code)),
            value: ParamValue::Integer(value),
        }
    }

    /// `charset=` as a MIBenum.
    pub fn charset(mib: u32) -> Self {
        Parameter::integer(param::CHARSET, u64::from(mib))
    }

    /// `name=`.
    pub fn name(value: impl Into<String>) -> Self {
        Parameter::text(param::NAME, value)
    }

    /// `filename=`.
    pub fn filename(value: impl Into<String>) -> Self {
        Parameter::text(param::FILENAME, value)
    }

    /// `start=` of multipart/related (a Content-ID such as `<smil>`).
    pub fn start(value: impl Into<String>) -> Self {
        Parameter::text(param::START, value)
    }

    /// `type=` of multipart/related (the start part's media type).
    pub fn related_type(media: &str) -> Self {
        match crate::well_known::content_type_code(media) {
            Some(code) => Parameter::integer(param::TYPE, u64::from(code)),
            None => Parameter::text(param::TYPE, media),
        }
    }

    /// The parameter's lower-case name for display ("charset", "name", or the token itself).
    pub fn display_name(&self) -> String {
        match &self.name {
            ParamName::Code(code) => usize::try_from(*code)
                .ok()
                .and_then(|i| PARAM_NAMES.get(i))
                .filter(|n| !n.is_empty())
                .map_or_else(|| format!("0x{code:02x}"), |n| (*n).to_owned()),
            ParamName::Text(name) => name.to_ascii_lowercase(),
        }
    }
}

impl Reader<'_> {
    /// One parameter.
    pub fn parameter(&mut self) -> Result<Parameter> {
        let first = self.peek()?;
        let name = if first >= 0x80 || first <= 30 {
            let code = self.integer_value()?;
            ParamName::Code(
                u32::try_from(code).map_err(|_| self.error(ErrorKind::IntegerOverflow))?,
            )
        } else {
            ParamName::Text(self.text_string()?)
        };
        let value = if name == ParamName::Code(u32::from(param::Q)) {
            ParamValue::Integer(u64::from(self.uintvar()?))
        } else {
            self.typed_value()?
        };
        Ok(Parameter { name, value })
    }

    /// Typed-value / Untyped-value: integer-value or text-value, told apart by the first octet.
    fn typed_value(&mut self) -> Result<ParamValue> {
        let first = self.peek()?;
        match first {
            0 | 0x20..=0x7F => Ok(ParamValue::Text(self.text_value()?)),
            0x80..=0xFF | 1..=30 => Ok(ParamValue::Integer(self.integer_value()?)),
            31 => Err(self.error(ErrorKind::UnexpectedOctet(first))),
        }
    }
}

/// Appends one parameter.
pub fn put_parameter(out: &mut Vec<u8>, p: &Parameter) -> Result<()> {
    match &p.name {
        ParamName::Code(code) => put_integer_value(out, u64::from(*code)),
        ParamName::Text(name) => {
            if name.is_empty() || name.as_bytes()[0] < 0x20 || name.as_bytes()[0] >= 0x7F {
                return Err(crate::Error::unencodable("parameter name is not a token"));
            }
            put_text_bytes(out, name.as_bytes())?;
        }
    }
    match (&p.name, &p.value) {
        (ParamName::Code(0), ParamValue::Integer(q)) => {
            let q =
                u32::try_from(*q).map_err(|_| crate::Error::unencodable("q-value too large"))?;
            put_uintvar(out, q);
        }
        (ParamName::Code(0), ParamValue::Text(_)) => {
            return Err(crate::Error::unencodable("text q-value"));
        }
        (_, ParamValue::Integer(v)) => put_integer_value(out, *v),
        (_, ParamValue::Text(t)) => put_text_value(out, t)?,
    }
    Ok(())
}

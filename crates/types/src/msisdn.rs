//! `Msisdn`: a phone number already normalised to E.164 (`+` then 8–15 digits).
//!
//! Parsing from free-form user input (national formats, punctuation) belongs to the audience crate, which uses the
//! phonenumber crate; this type only guarantees the canonical shape so that it can be trusted everywhere else.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A phone number in canonical E.164 form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Msisdn(String);

/// Why a string is not an E.164 number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MsisdnError {
    /// The string does not start with `+`.
    #[error("E.164 numbers start with '+'")]
    MissingPlus,
    /// Something other than a digit follows the `+`.
    #[error("E.164 numbers hold only digits after '+'")]
    NotDigits,
    /// Too few or too many digits.
    #[error("E.164 numbers have 8 to 15 digits, this one has {0}")]
    BadLength(usize),
    /// E.164 country codes never start with 0.
    #[error("E.164 country codes never start with 0")]
    LeadingZero,
}

impl Msisdn {
    /// Checks the canonical shape; it does not guess at national formats.
    pub fn new(s: &str) -> Result<Self, MsisdnError> {
        let digits = s.strip_prefix('+').ok_or(MsisdnError::MissingPlus)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MsisdnError::NotDigits);
        }
        if !(8..=15).contains(&digits.len()) {
            return Err(MsisdnError::BadLength(digits.len()));
        }
        if digits.starts_with('0') {
            return Err(MsisdnError::LeadingZero);
        }
        Ok(Msisdn(s.to_owned()))
    }

    /// The number as `+` and digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits without the `+`, as SMPP addresses carry them.
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }
}

impl fmt::Display for Msisdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Msisdn {
    type Error = MsisdnError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Msisdn::new(&s)
    }
}

impl From<Msisdn> for String {
    fn from(m: Msisdn) -> String {
        m.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_canonical_numbers() {
        let m = Msisdn::new("+12155550123").expect("valid");
        assert_eq!(m.digits(), "12155550123");
    }

    #[test]
    fn refuses_each_malformation_with_its_reason() {
        assert_eq!(Msisdn::new("12155550123"), Err(MsisdnError::MissingPlus));
        assert_eq!(Msisdn::new("+1 215 555"), Err(MsisdnError::NotDigits));
        assert_eq!(Msisdn::new("+1234"), Err(MsisdnError::BadLength(4)));
        assert_eq!(Msisdn::new("+0123456789"), Err(MsisdnError::LeadingZero));
    }
}

//! Twilio-shaped ids: a two-letter prefix and 32 lowercase hexadecimal digits (16 random bytes). The Node SDK
//! refuses an account SID of any other shape.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::AccountError;

fn random_hex() -> Result<String, AccountError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Random(e.to_string()))?;
    Ok(hex::encode(bytes))
}

fn check(given: &str, kind: &'static str, prefix: &'static str) -> Result<String, AccountError> {
    match given.strip_prefix(prefix) {
        Some(digits) if digits.len() == 32 && digits.bytes().all(|b| b.is_ascii_hexdigit()) => {
            // Twilio writes them in lowercase; accept either and keep one form, so lookups match.
            Ok(format!("{prefix}{}", digits.to_ascii_lowercase()))
        }
        _ => Err(AccountError::BadSid {
            kind,
            prefix,
            given: given.to_owned(),
        }),
    }
}

macro_rules! sid {
    ($name:ident, $kind:literal, $prefix:literal) => {
        #[doc = concat!("An ", $kind, " id: `", $prefix, "` + 32 hex digits.")]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The prefix.
            pub const PREFIX: &'static str = $prefix;

            /// A new random id.
            pub fn generate() -> Result<Self, AccountError> {
                Ok(Self(format!("{}{}", $prefix, random_hex()?)))
            }

            /// Checks `given`; hex digits may be in either case.
            pub fn parse(given: &str) -> Result<Self, AccountError> {
                check(given.trim(), $kind, $prefix).map(Self)
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = AccountError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

sid!(AccountSid, "account", "AC");
sid!(KeySid, "API key", "SK");
sid!(ServiceSid, "messaging service", "MG");

/// A new message id: `MM` for MMS and `SM` for SMS, + 32 hex digits, as Twilio names them.
pub fn message_sid(mms: bool) -> Result<String, AccountError> {
    Ok(format!(
        "{}{}",
        if mms { "MM" } else { "SM" },
        random_hex()?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_the_shape_the_sdks_check() {
        let a = AccountSid::generate().expect("random");
        let b = AccountSid::generate().expect("random");
        assert_ne!(a, b);
        for sid in [a.as_str(), b.as_str()] {
            assert_eq!(sid.len(), 34);
            assert!(sid.starts_with("AC"));
            assert!(
                sid[2..]
                    .bytes()
                    .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
            );
        }
        assert!(
            KeySid::generate()
                .expect("random")
                .as_str()
                .starts_with("SK")
        );
    }

    #[test]
    fn parsing_accepts_either_case_and_refuses_other_shapes() {
        let upper = "AC0123456789ABCDEF0123456789ABCDEF";
        assert_eq!(
            AccountSid::parse(upper).expect("valid").as_str(),
            "AC0123456789abcdef0123456789abcdef"
        );
        for bad in [
            "",
            "AC",
            "AC0123456789abcdef0123456789abcde",
            "AC0123456789abcdef0123456789abcdef0",
            "SK0123456789abcdef0123456789abcdef",
            "AC0123456789abcdef0123456789abcdeg",
            "ACé123456789abcdef0123456789abcde",
        ] {
            let error = AccountSid::parse(bad).expect_err(bad);
            assert!(error.to_string().contains("account id"), "{error}");
        }
        assert!(KeySid::parse("AC0123456789abcdef0123456789abcdef").is_err());
    }

    #[test]
    fn ids_round_trip_through_serde_and_bad_ones_are_refused() {
        let sid = AccountSid::generate().expect("random");
        let json = serde_json::to_string(&sid).expect("serialise");
        assert_eq!(json, format!("\"{sid}\""));
        assert_eq!(
            serde_json::from_str::<AccountSid>(&json).expect("parse"),
            sid
        );
        let refused = serde_json::from_str::<AccountSid>("\"ACnope\"").expect_err("refused");
        assert!(
            refused.to_string().contains("32 hexadecimal digits"),
            "{refused}"
        );
    }
}

//! Free-form phone input → E.164, with the phonenumber crate (libphonenumber's metadata).

use canvass_types::Msisdn;
use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};

mod nanp;

/// A phone number that parsed and is valid for its region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedPhone {
    /// Canonical E.164 form.
    pub msisdn: Msisdn,
    /// The NANP area code, for numbers in country code 1.
    pub area_code: Option<String>,
}

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// The cell was empty.
    #[error("phone is empty")]
    Empty,
    /// libphonenumber could not parse it at all.
    #[error("phone {0:?} is not a phone number")]
    Unparseable(String),
    /// It parsed but is not a valid number for its region (wrong length, unassigned prefix, …).
    #[error("phone {0:?} is not a valid number")]
    Invalid(String),
}

/// phonenumber keeps its compiled patterns in one LRU of 100 entries, but validating a number with country code 1
/// walks the patterns of every NANP region, well over 100: the cache thrashes and regexes are recompiled on every
/// call. Giving the shared cache room for the whole working set makes parsing several times faster. The cache is
/// public API (`Database::cache`); only its capacity changes.
fn widen_regex_cache() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let cache = phonenumber::metadata::DATABASE.cache();
        let mut guard = cache.lock().unwrap_or_else(|p| p.into_inner());
        *guard = regex_cache::RegexCache::new(2000);
    });
}

/// Parses a number as a person would type it; numbers without a `+` are read as US numbers, since voter files
/// hold national formats like `(215) 555-0123`.
pub fn parse_phone(raw: &str) -> Result<ParsedPhone, PhoneError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(PhoneError::Empty);
    }
    if let Some(national) = nanp::valid_national(raw) {
        let msisdn = Msisdn::new(&format!("+1{national}"))
            .map_err(|_| PhoneError::Invalid(raw.to_owned()))?;
        return Ok(ParsedPhone {
            msisdn,
            area_code: Some(national[..3].to_owned()),
        });
    }
    widen_regex_cache();
    let number: PhoneNumber = phonenumber::parse(Some(Id::US), raw)
        .map_err(|_| PhoneError::Unparseable(raw.to_owned()))?;
    if !phonenumber::is_valid(&number) {
        return Err(PhoneError::Invalid(raw.to_owned()));
    }
    let e164 = number.format().mode(Mode::E164).to_string();
    let msisdn = Msisdn::new(&e164).map_err(|_| PhoneError::Invalid(raw.to_owned()))?;
    let area_code = (number.code().value() == 1)
        .then(|| msisdn.digits().get(1..4).map(str::to_owned))
        .flatten();
    Ok(ParsedPhone { msisdn, area_code })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_formats_become_e164() {
        for raw in [
            "(215) 555-0123",
            "215.555.0123",
            "+1 215 555 0123",
            "1-215-555-0123",
            "2155550123",
        ] {
            let p = parse_phone(raw).expect(raw);
            assert_eq!(p.msisdn.as_str(), "+12155550123", "{raw}");
            assert_eq!(p.area_code.as_deref(), Some("215"));
        }
    }

    #[test]
    fn international_numbers_keep_their_country() {
        let p = parse_phone("+44 20 7946 0958").expect("UK number");
        assert_eq!(p.msisdn.as_str(), "+442079460958");
        assert_eq!(p.area_code, None);
    }

    #[test]
    fn refuses_garbage_with_a_reason() {
        assert_eq!(parse_phone("  "), Err(PhoneError::Empty));
        assert!(matches!(
            parse_phone("hello"),
            Err(PhoneError::Unparseable(_))
        ));
        assert!(matches!(
            parse_phone("123"),
            Err(PhoneError::Invalid(_)) | Err(PhoneError::Unparseable(_))
        ));
        assert!(matches!(
            parse_phone("(111) 555-0123"),
            Err(PhoneError::Invalid(_))
        ));
    }
}

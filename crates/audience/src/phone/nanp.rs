//! A fast path for the numbers voter files are made of: ten-digit North American numbers in the usual national
//! formats.
//!
//! It answers "valid" only where phonenumber would, because it applies phonenumber's own metadata with
//! phonenumber's own rules (`validator::source_for` and `validator::number_type`, mirrored below), only with each
//! pattern compiled once into a plain `Regex`. phonenumber looks every pattern up by its full source text in a
//! shared, locked LRU on every call, which made validation cost ~100 µs a number. Anything the fast path does not
//! recognise, or finds invalid, goes to the full parser, so errors keep their exact wording.

use phonenumber::metadata::{DATABASE, Descriptor, Metadata};
use regex::{Regex, RegexBuilder};
use std::sync::OnceLock;

/// One compiled descriptor: phonenumber's `Descriptor::is_match` is "the length is possible, and the pattern
/// matches at the start" — here the pattern is anchored with `^` so `is_match` says exactly that.
struct Pattern {
    regex: Regex,
    lengths: Vec<u16>,
}

impl Pattern {
    fn new(descriptor: &Descriptor) -> Option<Pattern> {
        Some(Pattern {
            regex: anchored(descriptor.national_number().as_str())?,
            lengths: descriptor.possible_length().to_vec(),
        })
    }

    fn is_match(&self, national: &str) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(national.len() as u16)))
            && self.regex.is_match(national)
    }
}

/// One NANP region (US, CA, PR, JM, …), in the order phonenumber tries them.
struct Region {
    leading_digits: Option<Regex>,
    general: Pattern,
    /// Every typed descriptor `number_type` consults; a number of any of these types is valid.
    types: Vec<Pattern>,
}

impl Region {
    fn new(meta: &Metadata) -> Option<Region> {
        let d = meta.descriptors();
        let typed = [
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
            d.fixed_line(),
            d.mobile(),
        ];
        let mut types = Vec::new();
        for descriptor in typed.into_iter().flatten() {
            types.push(Pattern::new(descriptor)?);
        }
        Some(Region {
            leading_digits: match meta.leading_digits() {
                Some(pattern) => Some(anchored(pattern.as_str())?),
                None => None,
            },
            general: Pattern::new(d.general())?,
            types,
        })
    }

    /// phonenumber's `number_type(meta, national) != Type::Unknown`.
    fn has_type(&self, national: &str) -> bool {
        self.general.is_match(national) && self.types.iter().any(|t| t.is_match(national))
    }
}

/// phonenumber compiles its patterns with `ignore_whitespace`, because the metadata wraps long patterns.
fn anchored(source: &str) -> Option<Regex> {
    RegexBuilder::new(&format!("^(?:{source})"))
        .ignore_whitespace(true)
        .build()
        .ok()
}

fn regions() -> Option<&'static [Region]> {
    static REGIONS: OnceLock<Option<Vec<Region>>> = OnceLock::new();
    REGIONS
        .get_or_init(|| {
            DATABASE
                .region(&1)?
                .into_iter()
                .map(|id| Region::new(DATABASE.by_id(id)?))
                .collect()
        })
        .as_deref()
}

/// The ten national digits of a plainly written NANP number: digits with optional spaces, dots, dashes and
/// parentheses, optionally after `+1` or `1`. `None` for anything else (letters, extensions, other countries).
fn national_digits(raw: &str) -> Option<[u8; 10]> {
    let mut digits = [0u8; 11];
    let mut n = 0;
    let mut plus = false;
    for (i, b) in raw.bytes().enumerate() {
        match b {
            b'0'..=b'9' => {
                *digits.get_mut(n)? = b;
                n += 1;
            }
            b'+' if i == 0 => plus = true,
            b' ' | b'-' | b'.' | b'(' | b')' => {}
            _ => return None,
        }
    }
    let national = match (n, plus) {
        (11, _) if digits[0] == b'1' => &digits[1..11],
        (10, false) => &digits[..10],
        _ => return None,
    };
    // An area code never starts with 0 or 1; leave such input to the full parser's judgement.
    if !(b'2'..=b'9').contains(&national[0]) {
        return None;
    }
    national.try_into().ok()
}

/// `Some(national number)` when `raw` is a plainly written NANP number that phonenumber would accept as valid;
/// `None` means "ask the full parser".
pub(super) fn valid_national(raw: &str) -> Option<String> {
    let digits = national_digits(raw)?;
    let national = std::str::from_utf8(&digits).ok()?;
    // phonenumber's `source_for`: the first region whose leading digits match, or (for a region without them,
    // such as the US) whose patterns give the number a type; then `is_valid` asks that region for a type.
    for region in regions()? {
        let chosen = match &region.leading_digits {
            Some(leading) => leading.is_match(national),
            None => region.has_type(national),
        };
        if chosen {
            return region.has_type(national).then(|| national.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::country::Id;

    /// What phonenumber itself says: the national number when valid.
    fn slow(raw: &str) -> Option<String> {
        let number = phonenumber::parse(Some(Id::US), raw).ok()?;
        (number.code().value() == 1 && phonenumber::is_valid(&number))
            .then(|| number.national().to_string())
    }

    /// A small deterministic generator, so failures reproduce.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % bound
        }
    }

    #[test]
    fn agrees_with_phonenumber_wherever_it_answers() {
        super::super::widen_regex_cache();
        let mut rng = Lcg(7);
        let mut answered = 0;
        // Random ten-digit numbers hit valid and invalid prefixes of every NANP region; the last three
        // prefixes are ones whose validity depends on digits past the sixth.
        let fixed = ["2465215555", "2465225555", "8766061234", "2155550123"];
        for i in 0..6_000 {
            let national = match fixed.get(i) {
                Some(n) => (*n).to_owned(),
                None => format!("{:010}", 2_000_000_000 + rng.next(8_000_000_000)),
            };
            let (a, b, c) = (&national[..3], &national[3..6], &national[6..]);
            let raw = match i % 6 {
                0 => national.clone(),
                1 => format!("({a}) {b}-{c}"),
                2 => format!("+1 {a} {b} {c}"),
                3 => format!("1-{a}-{b}-{c}"),
                4 => format!("{a}.{b}.{c}"),
                _ => format!("1{national}"),
            };
            let fast = valid_national(&raw);
            if fast.is_some() {
                answered += 1;
                assert_eq!(fast, slow(&raw), "{raw}");
            } else if let Some(valid) = slow(&raw) {
                panic!("{raw}: phonenumber says valid ({valid}) but the fast path refused it");
            }
        }
        assert!(
            answered > 1_000,
            "the fast path answered only {answered} times"
        );
    }

    #[test]
    fn leaves_unusual_input_to_the_full_parser() {
        for raw in [
            "+44 20 7946 0958",
            "215-555-0123 x12",
            "tel:2155550123",
            "555-0123",
            "0215555012",
            "+2155550123",
        ] {
            assert_eq!(valid_national(raw), None, "{raw}");
        }
    }
}

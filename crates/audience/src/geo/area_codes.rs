//! Area code → state and time zone, the fallback when a contact has no usable ZIP.

use std::collections::HashMap;
use std::sync::OnceLock;

static AREA_CODES_CSV: &str = include_str!("../../data/area_codes.csv");

/// The region a geographic NANP area code serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaCode {
    /// USPS state (or Canadian province) code.
    pub state: &'static str,
    /// The area code's main IANA time zone (some area codes span two).
    pub time_zone: &'static str,
}

/// Looks up a three-digit area code; non-geographic codes (800, 888, …) are absent.
pub fn area_code(npa: &str) -> Option<AreaCode> {
    table().get(npa).copied()
}

/// The geographic area codes serving a state, sorted.
pub fn area_codes_of_state(state: &str) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = table()
        .iter()
        .filter(|(_, a)| a.state == state)
        .map(|(npa, _)| *npa)
        .collect();
    codes.sort_unstable();
    codes
}

fn table() -> &'static HashMap<&'static str, AreaCode> {
    static TABLE: OnceLock<HashMap<&'static str, AreaCode>> = OnceLock::new();
    TABLE.get_or_init(|| {
        AREA_CODES_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.split(',');
                let (npa, state, time_zone) = (f.next()?, f.next()?, f.next()?);
                Some((npa, AreaCode { state, time_zone }))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geographic_codes_resolve_and_toll_free_does_not() {
        assert_eq!(area_code("215").map(|a| a.state), Some("PA"));
        assert_eq!(
            area_code("907").map(|a| a.time_zone),
            Some("America/Anchorage")
        );
        assert_eq!(area_code("800"), None);
    }
}

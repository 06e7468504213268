//! ZIP → state, county, centroid and time zone, from `data/zips.csv`.

use std::collections::HashMap;
use std::sync::OnceLock;

static ZIPS_CSV: &str = include_str!("../../data/zips.csv");

/// What we know about one 5-digit ZIP code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZipInfo {
    /// The ZIP itself, five digits.
    pub zip: &'static str,
    /// USPS state code, e.g. `PA`.
    pub state: &'static str,
    /// Five-digit county FIPS code.
    pub county_fips: &'static str,
    /// County name, e.g. `Philadelphia County`.
    pub county_name: &'static str,
    /// Centroid latitude (or the post office's point for PO-box ZIPs).
    pub lat: f64,
    /// Centroid longitude.
    pub lon: f64,
    /// IANA time zone at that point.
    pub time_zone: &'static str,
}

fn table() -> &'static HashMap<u32, ZipInfo> {
    static TABLE: OnceLock<HashMap<u32, ZipInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::with_capacity(45_000);
        // The file is generated and checked by scripts/geo-data; a malformed line is skipped rather than trusted.
        for line in ZIPS_CSV.lines().skip(1) {
            let f: Vec<&'static str> = line.split(',').collect();
            if f.len() < 7 {
                continue;
            }
            let (Ok(key), Ok(lat), Ok(lon)) = (f[0].parse::<u32>(), f[4].parse(), f[5].parse())
            else {
                continue;
            };
            let info = ZipInfo {
                zip: f[0],
                state: f[1],
                county_fips: f[2],
                county_name: f[3],
                lat,
                lon,
                time_zone: f[6],
            };
            map.insert(key, info);
        }
        map
    })
}

/// Every ZIP in the table, in no particular order.
pub fn all_zips() -> impl Iterator<Item = &'static ZipInfo> {
    table().values()
}

/// Number of ZIPs known, for diagnostics.
pub fn zip_table_len() -> usize {
    table().len()
}

/// Brings common spellings to five digits: `19103-1234`, `191031234`, and ZIPs that lost their leading zeros in a
/// spreadsheet (`2134` → `02134`). Returns `None` for anything that is not a ZIP.
pub fn normalize_zip(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let five = match raw.split_once('-') {
        Some((head, tail)) if tail.len() == 4 && tail.bytes().all(|b| b.is_ascii_digit()) => head,
        Some(_) => return None,
        None if raw.len() == 9 => &raw[..5],
        None => raw,
    };
    if five.is_empty() || five.len() > 5 || !five.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Three or four digits are spreadsheet damage to Northeastern ZIPs; fewer is not a ZIP at all.
    if five.len() < 3 {
        return None;
    }
    Some(format!("{five:0>5}"))
}

/// Looks up a normalised five-digit ZIP.
pub fn zip_info(zip: &str) -> Option<&'static ZipInfo> {
    if zip.len() != 5 {
        return None;
    }
    table().get(&zip.parse::<u32>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enriches_a_philadelphia_zip() {
        let z = zip_info("19103").expect("known");
        assert_eq!(
            (z.state, z.county_fips, z.time_zone),
            ("PA", "42101", "America/New_York")
        );
        assert!(zip_table_len() > 40_000);
    }

    #[test]
    fn normalises_common_spellings() {
        assert_eq!(normalize_zip("19103-1234").as_deref(), Some("19103"));
        assert_eq!(normalize_zip("191031234").as_deref(), Some("19103"));
        assert_eq!(normalize_zip(" 2134 ").as_deref(), Some("02134"));
        assert_eq!(normalize_zip("1a103"), None);
        assert_eq!(normalize_zip("12"), None);
        assert_eq!(normalize_zip("19103-12"), None);
    }
}

//! A synthetic voter file over real US ZIP codes, for the demo and the benchmarks. Names come from the `fake`
//! crate and every number is random: no real person's data is involved.
//!
//! States are drawn by their 2020 Census population, ZIPs uniformly within the state, phone numbers from the
//! state's own area codes, and issues with age-dependent mixes, so segment counts look like a real file's.

use crate::geo;
use fake::Fake;
use fake::faker::name::en::{FirstName, LastName};
use fake::rand::rngs::StdRng;
use fake::rand::{RngExt, SeedableRng};
use std::collections::HashMap;
use std::io::Write;

/// 2020 Census resident population by state, in thousands.
#[rustfmt::skip]
const STATE_POPULATION: [(&str, u32); 51] = [
    ("CA", 39538), ("TX", 29145), ("FL", 21538), ("NY", 20201), ("PA", 13002), ("IL", 12812), ("OH", 11799),
    ("GA", 10711), ("NC", 10439), ("MI", 10077), ("NJ", 9288), ("VA", 8631), ("WA", 7705), ("AZ", 7151),
    ("MA", 7029), ("TN", 6910), ("IN", 6785), ("MD", 6177), ("MO", 6154), ("WI", 5893), ("CO", 5773),
    ("MN", 5706), ("SC", 5118), ("AL", 5024), ("LA", 4657), ("KY", 4505), ("OR", 4237), ("OK", 3959),
    ("CT", 3605), ("UT", 3271), ("IA", 3190), ("NV", 3104), ("AR", 3011), ("MS", 2961), ("KS", 2937),
    ("NM", 2117), ("NE", 1961), ("ID", 1839), ("WV", 1793), ("HI", 1455), ("NH", 1377), ("ME", 1362),
    ("RI", 1097), ("MT", 1084), ("DE", 989), ("SD", 886), ("ND", 779), ("AK", 733), ("DC", 689), ("VT", 643),
    ("WY", 576),
];

/// The issues of the synthetic file: (name, share of voters under 35, 35–59, 60 and over).
pub const ISSUES: [(&str, f64, f64, f64); 10] = [
    ("economy", 0.40, 0.50, 0.40),
    ("healthcare", 0.25, 0.35, 0.50),
    ("education", 0.30, 0.25, 0.10),
    ("climate", 0.38, 0.20, 0.12),
    ("housing", 0.32, 0.15, 0.08),
    ("immigration", 0.12, 0.16, 0.18),
    ("public safety", 0.10, 0.16, 0.22),
    ("social security", 0.03, 0.12, 0.55),
    ("veterans", 0.04, 0.08, 0.14),
    ("gun safety", 0.14, 0.12, 0.10),
];

/// The header the generator writes.
pub const HEADER: &str =
    "phone,first_name,last_name,zip,issues,age,party,consent_source,consent_at";

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct SynthOptions {
    /// Data rows to write.
    pub rows: u64,
    /// Seed: the same seed gives the same file.
    pub seed: u64,
    /// Write one malformed row (bad phone, bad ZIP or a missing column) every this many rows; 0 for none.
    pub bad_row_every: u64,
    /// Give this many rows per thousand one of the simulator's fault numbers (`+1 NPA 555-01PD`): not
    /// RCS-capable, landline or throttling, in that proportion (6:2:1); 0 for none. Fault numbers are few per
    /// personality (area code × last digit), so repeats fold into one contact on import.
    pub faults_per_mille: u32,
}

/// The personality digits `faults_per_mille` draws from, weighted: not RCS-capable (8), landline (7),
/// throttling (0). See `canvass_types::Personality`.
const FAULT_DIGITS: [u32; 9] = [8, 8, 8, 8, 8, 8, 7, 7, 0];

struct StatePick {
    state: &'static str,
    zips: Vec<&'static str>,
    area_codes: Vec<&'static str>,
}

/// Writes a synthetic voter file as CSV and returns the number of data rows written.
pub fn write_synthetic_csv<W: Write>(out: W, options: SynthOptions) -> std::io::Result<u64> {
    let mut rng = StdRng::seed_from_u64(options.seed);
    let states = states();
    let total: u64 = STATE_POPULATION.iter().map(|(_, p)| u64::from(*p)).sum();
    let mut out = std::io::BufWriter::new(out);
    writeln!(out, "{HEADER}")?;
    for row in 1..=options.rows {
        let mut pick = rng.random_range(0..total);
        let (state_index, _) = STATE_POPULATION
            .iter()
            .enumerate()
            .find(|(_, (_, p))| {
                let hit = pick < u64::from(*p);
                pick = pick.saturating_sub(u64::from(*p));
                hit
            })
            .unwrap_or((0, &STATE_POPULATION[0]));
        let state = &states[state_index];
        let zip = state.zips[rng.random_range(0..state.zips.len())];
        // Some area codes in the table are newer than libphonenumber's data; draw again until the number is one
        // the importer will accept, so a clean file imports without rejects.
        let mut phone = String::new();
        for _ in 0..50 {
            let npa = state.area_codes[rng.random_range(0..state.area_codes.len())];
            let exchange = loop {
                let e = rng.random_range(200..1000u32);
                if e % 100 != 11 {
                    break e;
                }
            };
            phone = format!("({npa}) {exchange}-{:04}", rng.random_range(0..10000u32));
            if crate::phone::parse_phone(&phone).is_ok() {
                break;
            }
        }
        if options.faults_per_mille > 0 && rng.random_range(0..1000) < options.faults_per_mille {
            let npa = state.area_codes[rng.random_range(0..state.area_codes.len())];
            let digit = FAULT_DIGITS[rng.random_range(0..FAULT_DIGITS.len())];
            let fault = format!("({npa}) 555-01{digit}{}", rng.random_range(0..10u32));
            if crate::phone::parse_phone(&fault).is_ok() {
                phone = fault;
            }
        }
        let age: u32 = 18 + (rng.random::<f64>().powf(1.15) * 72.0) as u32;
        let column = match age {
            0..35 => 1,
            35..60 => 2,
            _ => 3,
        };
        let mut issues: Vec<&str> = ISSUES
            .iter()
            .filter(|i| rng.random::<f64>() < [i.1, i.2, i.3][column - 1])
            .map(|i| i.0)
            .collect();
        if issues.is_empty() {
            issues.push(ISSUES[rng.random_range(0..ISSUES.len())].0);
        }
        let party = match rng.random_range(0..100) {
            0..33 => "D",
            33..65 => "R",
            65..93 => "I",
            _ => "L",
        };
        let first: String = FirstName().fake_with_rng(&mut rng);
        let last: String = LastName().fake_with_rng(&mut rng);
        let day = rng.random_range(1..=28);
        let month = rng.random_range(1..=12);
        let mut zip_cell = zip.to_owned();
        let mut drop_column = false;
        if options.bad_row_every > 0 && row % options.bad_row_every == 0 {
            match (row / options.bad_row_every) % 3 {
                0 => phone = format!("555-{:02}", rng.random_range(0..100)),
                1 => zip_cell = "9X21".to_owned(),
                _ => drop_column = true,
            }
        }
        write!(
            out,
            "{phone},{first},{last},{zip_cell},{},{age},{party}",
            issues.join(";")
        )?;
        if !drop_column {
            write!(out, ",web-form:volunteer-signup,2024-{month:02}-{day:02}")?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(options.rows)
}

fn states() -> Vec<StatePick> {
    let mut zips: HashMap<&str, Vec<&'static str>> = HashMap::new();
    for z in geo::all_zips() {
        zips.entry(z.state).or_default().push(z.zip);
    }
    STATE_POPULATION
        .iter()
        .map(|(state, _)| {
            let mut state_zips = zips.remove(state).unwrap_or_default();
            state_zips.sort_unstable();
            StatePick {
                state,
                zips: state_zips,
                area_codes: geo::area_codes_of_state(state),
            }
        })
        .filter(|s| !s.zips.is_empty() && !s.area_codes.is_empty() && !s.state.is_empty())
        .collect()
}

/// Metro areas for the demo: 30-mile circles around sixteen large cities, as a GeoJSON layer with a `name`
/// property. They stand in for the district files a campaign would import (which no package ships).
pub fn metro_areas_geojson() -> String {
    const METROS: [(&str, f64, f64); 16] = [
        ("Philadelphia", 39.9526, -75.1652),
        ("Pittsburgh", 40.4406, -79.9959),
        ("Columbus", 39.9612, -82.9988),
        ("Cleveland", 41.4993, -81.6944),
        ("New York", 40.7128, -74.0060),
        ("Los Angeles", 34.0522, -118.2437),
        ("Chicago", 41.8781, -87.6298),
        ("Houston", 29.7604, -95.3698),
        ("Phoenix", 33.4484, -112.0740),
        ("Atlanta", 33.7490, -84.3880),
        ("Miami", 25.7617, -80.1918),
        ("Detroit", 42.3314, -83.0458),
        ("Denver", 39.7392, -104.9903),
        ("Seattle", 47.6062, -122.3321),
        ("Charlotte", 35.2271, -80.8431),
        ("Milwaukee", 43.0389, -87.9065),
    ];
    const RADIUS_MILES: f64 = 30.0;
    let features: Vec<String> = METROS
        .iter()
        .map(|(name, lat, lon)| {
            let dlat = RADIUS_MILES / 69.0;
            let dlon = dlat / lat.to_radians().cos();
            let ring: Vec<String> = (0..=48)
                .map(|i| {
                    let a = (i % 48) as f64 / 48.0 * std::f64::consts::TAU;
                    format!("[{:.5},{:.5}]", lon + dlon * a.cos(), lat + dlat * a.sin())
                })
                .collect();
            format!(
                r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                ring.join(",")
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_file_and_bad_rows_where_asked() {
        let options = SynthOptions {
            rows: 300,
            seed: 7,
            bad_row_every: 100,
            faults_per_mille: 0,
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_synthetic_csv(&mut a, options).expect("write");
        write_synthetic_csv(&mut b, options).expect("write");
        assert_eq!(a, b);
        let text = String::from_utf8(a).expect("utf8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 301);
        assert_eq!(lines[0], HEADER);
        let short = lines.iter().filter(|l| l.split(',').count() == 7).count();
        assert_eq!(
            short, 1,
            "one row in three hundred drops its consent columns"
        );
        assert!(lines.iter().skip(1).all(|l| l.split(',').count() >= 7));
    }
}

//! Geography from a contact's ZIP code or, failing that, its area code.
//!
//! The tables are derived from Census data by `scripts/geo-data.sh` (sources and licences in `docs/data.md`) and
//! compiled into the binary, so enrichment needs no network and no database round trip.

mod area_codes;
mod zips;

pub use area_codes::{AreaCode, area_code, area_codes_of_state};
pub use zips::{ZipInfo, all_zips, normalize_zip, zip_info, zip_table_len};

/// How a contact's location was determined; stored with the contact so staff can judge its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeoSource {
    /// Latitude and longitude came with the contact (geocoded address).
    Point,
    /// The centroid of the contact's ZIP code.
    Zip,
    /// Only the state and time zone of the phone number's area code are known.
    AreaCode,
}

impl GeoSource {
    /// The value stored in `contacts.geo_source`.
    pub fn as_str(self) -> &'static str {
        match self {
            GeoSource::Point => "point",
            GeoSource::Zip => "zip",
            GeoSource::AreaCode => "area_code",
        }
    }
}

/// Miles between two points on a sphere of the Earth's mean radius (haversine).
pub fn distance_miles(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_MILES: f64 = 3958.8;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_MILES * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn philadelphia_to_pittsburgh_is_about_260_miles() {
        let phl = zip_info("19103").expect("19103 is in the table");
        let pit = zip_info("15222").expect("15222 is in the table");
        let d = distance_miles(phl.lat, phl.lon, pit.lat, pit.lon);
        assert!((250.0..270.0).contains(&d), "got {d}");
    }
}

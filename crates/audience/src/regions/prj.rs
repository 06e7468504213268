//! Checking a shapefile's .prj: we import WGS84 or NAD83 longitude/latitude only, since we do not reproject.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::RegionError;

/// A .prj is one WKT line; anything longer than this is not a coordinate system we would accept anyway.
const MAX_PRJ_BYTES: u64 = 64 * 1024;

/// Datum spellings (upper-cased) of WGS84 and NAD83 in OGC and ESRI WKT. NAD83 differs from WGS84 by a metre or
/// two, far below what district assignment can notice.
const ACCEPTED_DATUMS: &[&str] = &[
    "WGS_1984",
    "WGS 84",
    "WGS84",
    "WGS_84",
    "NORTH_AMERICAN_1983",
    "NORTH_AMERICAN_DATUM_1983",
    "NORTH AMERICAN DATUM 1983",
    "NAD83",
    "NAD_1983",
    "NAD 83",
];

/// Accepts a geographic WGS84/NAD83 .prj; refuses projected and other coordinate systems with the reason.
pub(super) fn check_prj(prj: &Path) -> Result<(), RegionError> {
    let io_error = |source| RegionError::Io {
        path: prj.to_owned(),
        source,
    };
    let mut bytes = Vec::new();
    File::open(prj)
        .map_err(io_error)?
        .take(MAX_PRJ_BYTES)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    let text = String::from_utf8_lossy(&bytes);
    let refuse = |reason: String| {
        Err(RegionError::UnsupportedCrs {
            prj: prj.to_owned(),
            reason,
        })
    };
    let wkt = text.trim_start_matches('\u{feff}').trim();
    let upper = wkt.to_ascii_uppercase();
    let name = first_quoted(wkt).unwrap_or("unnamed");
    if ["PROJCS", "PROJCRS", "PROJECTEDCRS"]
        .iter()
        .any(|k| upper.starts_with(k))
    {
        return refuse(format!(
            "the .prj declares the projected coordinate system \"{name}\", and we do not reproject"
        ));
    }
    if !["GEOGCS", "GEOGCRS", "GEODCRS", "GEOGRAPHICCRS"]
        .iter()
        .any(|k| upper.starts_with(k))
    {
        let start: String = wkt.chars().take(60).collect();
        return refuse(format!(
            "the .prj is not a WKT coordinate system we recognise (it begins {start:?})"
        ));
    }
    if ACCEPTED_DATUMS.iter().any(|datum| upper.contains(datum)) {
        Ok(())
    } else {
        refuse(format!(
            "the .prj declares the geographic coordinate system \"{name}\", which is neither WGS84 nor NAD83"
        ))
    }
}

fn first_quoted(wkt: &str) -> Option<&str> {
    let start = wkt.find('"')? + 1;
    let length = wkt[start..].find('"')?;
    Some(&wkt[start..start + length])
}

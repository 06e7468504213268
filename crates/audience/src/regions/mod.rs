//! Regions: user-imported polygon layers (congressional and legislative districts, precincts, media markets) and
//! the point-in-polygon index that assigns contacts to them.
//!
//! A layer comes from GeoJSON (a FeatureCollection, a single Feature, or a bare geometry) or from an ESRI
//! shapefile (.shp with its .dbf beside it). We never reproject: coordinates must be WGS84 (or NAD83, which is
//! the same to within a metre or two) longitude/latitude, and a .prj that declares anything else is refused.
//!
//! What the readers accept, and what they refuse:
//! - Polygon and MultiPolygon features (and GeometryCollections of them; PolygonZ/PolygonM records, whose extra
//!   values are dropped). Any other geometry type is an error naming the feature or record.
//! - Features without any geometry (GeoJSON `null`, shapefile null shapes) are skipped with a warning.
//! - Every feature needs a non-empty name (text, or a number such as a GEOID). A missing or empty name is an
//!   error naming the feature; a name field that no feature has is an error listing the fields there are.
//! - Features sharing a name are merged into one multipolygon, with a warning: Census files split districts.
//! - A coordinate outside longitude −180..180 / latitude −90..90 is an error naming the feature.
//! - Broken files give a [`RegionError`] naming the file; nothing panics, and nothing is allocated beyond what
//!   the file's size justifies.

mod error;
mod geojson_reader;
mod geometry_text;
mod index;
mod layer_builder;
mod prj;
mod ring_assembly;
mod shapefile_reader;
mod shp_scan;

#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use geo::MultiPolygon;

pub use error::{FeatureRef, RegionError, RegionWarning};
pub use geojson_reader::read_geojson;
pub use geometry_text::{BoundingBox, bounding_box, from_geojson, to_geojson};
pub use index::RegionIndex;
pub use shapefile_reader::read_shapefile;

/// One named area of a layer, such as `PA-07`, in WGS84 longitude/latitude.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The value of the layer's name field; unique within the layer.
    pub name: String,
    /// The area; exterior rings counter-clockwise and holes clockwise (RFC 7946).
    pub geometry: MultiPolygon<f64>,
}

impl Region {
    /// The region's bounding box, for the store's `min_lon … max_lat` columns.
    pub fn bounding_box(&self) -> Option<BoundingBox> {
        bounding_box(&self.geometry)
    }
}

/// A whole imported layer: every region of one kind, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionLayer {
    /// What the regions are, such as `congressional_district`; see [`validate_kind`].
    pub kind: String,
    /// The regions, in the order their first feature appeared in the file.
    pub regions: Vec<Region>,
    /// What was accepted but is worth telling the importer (merged duplicates, skipped empty features, …).
    pub warnings: Vec<RegionWarning>,
}

/// The longest layer kind accepted.
pub const MAX_KIND_LEN: usize = 64;

/// Checks that a layer kind is a lower-case identifier: `[a-z][a-z0-9_]*`, at most [`MAX_KIND_LEN`] long.
///
/// Kinds become segment field names (`district = "PA-07"` style), so they must be safe identifiers.
pub fn validate_kind(kind: &str) -> Result<(), RegionError> {
    let mut chars = kind.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if starts_well && rest_ok && kind.len() <= MAX_KIND_LEN {
        Ok(())
    } else {
        Err(RegionError::InvalidKind {
            kind: kind.to_owned(),
            max: MAX_KIND_LEN,
        })
    }
}

/// Reads a layer file, choosing the format by extension: `.geojson` or `.json` for GeoJSON, `.shp` for a
/// shapefile (with its `.dbf`, and its `.prj` when present, beside it).
pub fn read_layer(path: &Path, kind: &str, name_field: &str) -> Result<RegionLayer, RegionError> {
    validate_kind(kind)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("geojson" | "json") => {
            let file = File::open(path).map_err(|source| RegionError::Io {
                path: path.to_owned(),
                source,
            })?;
            read_geojson(
                BufReader::new(file),
                &path.display().to_string(),
                kind,
                name_field,
            )
        }
        Some("shp") => read_shapefile(path, kind, name_field),
        _ => Err(RegionError::UnknownFormat {
            path: path.to_owned(),
        }),
    }
}

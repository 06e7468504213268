//! Errors and warnings of region import.
//!
//! Every message names the file (or upload) and, where one is to blame, the feature or record, so that campaign
//! staff can fix the file without reading code.

use std::fmt;
use std::path::PathBuf;

/// Where in a layer file a problem sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureRef {
    /// A GeoJSON feature, by its index in the `features` array (counted from 0, as JSON tools show it).
    Feature(usize),
    /// A shapefile record, by its record number (counted from 1, as GIS tools show it).
    Record(usize),
}

impl fmt::Display for FeatureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Feature(index) => write!(f, "feature {index}"),
            Self::Record(number) => write!(f, "record {number}"),
        }
    }
}

/// Why a region layer could not be read, or a stored geometry could not be parsed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegionError {
    /// The layer kind is not a lower-case identifier.
    #[error(
        "layer kind {kind:?} is not valid: use a lower-case identifier such as congressional_district ([a-z][a-z0-9_]*, at most {max} characters)"
    )]
    InvalidKind {
        /// The kind given.
        kind: String,
        /// The longest kind accepted.
        max: usize,
    },
    /// The file's extension names no format we read.
    #[error("{}: unknown layer format; expected .geojson, .json or .shp", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The text is not JSON, or not GeoJSON.
    #[error("{source_name}: not valid GeoJSON: {message}")]
    BadGeoJson {
        /// The file or upload.
        source_name: String,
        /// The parser's reason, with its line and column.
        message: String,
    },
    /// The shapefile is broken: truncated, inconsistent with its .dbf, or not a shapefile at all.
    #[error("{source_name}: broken shapefile: {message}")]
    BadShapefile {
        /// The file.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// The .dbf that carries a shapefile's attributes is not beside the .shp.
    #[error("{}: the attribute file {} is missing; a shapefile needs its .dbf beside the .shp", shp.display(), dbf.display())]
    MissingDbf {
        /// The .shp file.
        shp: PathBuf,
        /// Where the .dbf was looked for.
        dbf: PathBuf,
    },
    /// The shapefile's .prj declares a coordinate system we do not accept.
    #[error("{}: {reason}; reproject the layer to WGS84 longitude/latitude (EPSG:4326), for example with `ogr2ogr -t_srs EPSG:4326`, and import it again", prj.display())]
    UnsupportedCrs {
        /// The .prj file.
        prj: PathBuf,
        /// What the .prj declares, and why it is refused.
        reason: String,
    },
    /// A feature's geometry is not a polygon or multipolygon.
    #[error(
        "{source_name}: {feature}: geometry is {found}; a region layer holds only Polygon and MultiPolygon shapes"
    )]
    NotPolygon {
        /// The file or upload.
        source_name: String,
        /// The offending feature.
        feature: FeatureRef,
        /// The geometry type found.
        found: String,
    },
    /// A polygon ring is unusable (too few positions, or a position without two numbers).
    #[error("{source_name}: {feature}: {reason}")]
    BadRing {
        /// The file or upload.
        source_name: String,
        /// The offending feature.
        feature: FeatureRef,
        /// What is wrong with the ring.
        reason: String,
    },
    /// A coordinate lies outside longitude −180..180 or latitude −90..90.
    #[error(
        "{source_name}: {feature}: coordinate ({lon}, {lat}) is outside longitude -180..180 / latitude -90..90; the layer must be in WGS84 longitude/latitude (projected coordinates are not reprojected)"
    )]
    CoordinateOutOfRange {
        /// The file or upload.
        source_name: String,
        /// The offending feature.
        feature: FeatureRef,
        /// The x value.
        lon: f64,
        /// The y value.
        lat: f64,
    },
    /// No feature has the name field.
    #[error(
        "{source_name}: no name field {field:?}; available fields: {}",
        list_or_none(available)
    )]
    UnknownNameField {
        /// The file or upload.
        source_name: String,
        /// The field asked for.
        field: String,
        /// The fields the file does have.
        available: Vec<String>,
    },
    /// A feature's name is missing, empty, or not text or a number.
    #[error("{source_name}: {feature}: name field {field:?} is {reason}")]
    BadName {
        /// The file or upload.
        source_name: String,
        /// The offending feature.
        feature: FeatureRef,
        /// The name field.
        field: String,
        /// What the value is instead of a name.
        reason: String,
    },
    /// The file holds no region at all.
    #[error("{source_name}: the layer holds no polygon features")]
    Empty {
        /// The file or upload.
        source_name: String,
    },
    /// A stored geometry column could not be read back.
    #[error("stored region geometry is not a GeoJSON Polygon or MultiPolygon: {message}")]
    BadStoredGeometry {
        /// What is wrong.
        message: String,
    },
}

fn list_or_none(fields: &[String]) -> String {
    if fields.is_empty() {
        "none (the file has no attributes)".to_owned()
    } else {
        fields.join(", ")
    }
}

/// Something in a layer that was accepted but that the importer should hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegionWarning {
    /// Several features shared a name and were merged into one multipolygon (Census files split districts into
    /// parts).
    MergedDuplicates {
        /// The shared name.
        name: String,
        /// How many features were merged.
        features: usize,
    },
    /// A feature had no geometry at all and was skipped.
    SkippedEmptyGeometry {
        /// The skipped feature.
        feature: FeatureRef,
    },
    /// A shapefile came without a .prj; its coordinates were taken as WGS84 longitude/latitude.
    NoPrj,
    /// The .dbf's code page is not one we decode; names were read as UTF-8, with undecodable bytes replaced.
    LossyNames {
        /// The code page the .dbf declares.
        code_page: String,
    },
    /// The GeoJSON had no properties (a bare geometry), so regions were named by their position, from 1.
    NamedByPosition,
}

impl fmt::Display for RegionWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MergedDuplicates { name, features } => {
                write!(
                    f,
                    "{features} features named {name:?} were merged into one region"
                )
            }
            Self::SkippedEmptyGeometry { feature } => {
                write!(f, "{feature} has no geometry and was skipped")
            }
            Self::NoPrj => f.write_str(
                "no .prj beside the .shp: coordinates were taken as WGS84 longitude/latitude",
            ),
            Self::LossyNames { code_page } => write!(
                f,
                "the .dbf code page {code_page} is not supported: names were read as UTF-8 and undecodable bytes replaced"
            ),
            Self::NamedByPosition => f.write_str(
                "the GeoJSON has no properties: regions were named by their position (1, 2, …)",
            ),
        }
    }
}

//! Region geometry as the store keeps it: GeoJSON text plus a bounding box in four columns.

use geo::{BoundingRect, MultiPolygon};

use super::geojson_reader::polygons_of;
use super::layer_builder::Origin;
use super::{FeatureRef, Region, RegionError};

/// The smallest longitude/latitude box holding a geometry: the store's `min_lon … max_lat` columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// Westernmost longitude.
    pub min_lon: f64,
    /// Southernmost latitude.
    pub min_lat: f64,
    /// Easternmost longitude.
    pub max_lon: f64,
    /// Northernmost latitude.
    pub max_lat: f64,
}

impl BoundingBox {
    /// Whether the point lies in the box, edges included: a cheap prefilter before point-in-polygon (also in SQL).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.min_lon..=self.max_lon).contains(&lon) && (self.min_lat..=self.max_lat).contains(&lat)
    }
}

/// The bounding box of a geometry; `None` when it is empty.
pub fn bounding_box(geometry: &MultiPolygon<f64>) -> Option<BoundingBox> {
    geometry.bounding_rect().map(|rect| BoundingBox {
        min_lon: rect.min().x,
        min_lat: rect.min().y,
        max_lon: rect.max().x,
        max_lat: rect.max().y,
    })
}

/// The region's geometry as a GeoJSON MultiPolygon object, for the store's `geometry` column.
///
/// Numbers are written in the shortest form that reads back to the same `f64`, so [`from_geojson`] returns
/// exactly the stored geometry.
pub fn to_geojson(region: &Region) -> String {
    // Serialising plain numbers and arrays cannot fail, so Display's error path is never taken.
    geojson::Geometry::from(&region.geometry).to_string()
}

/// Reads a stored geometry column back: a GeoJSON Polygon or MultiPolygon (or a GeometryCollection of them).
pub fn from_geojson(text: &str) -> Result<MultiPolygon<f64>, RegionError> {
    let bad = |message: String| RegionError::BadStoredGeometry { message };
    let geometry: geojson::Geometry = text
        .parse()
        .map_err(|err: geojson::Error| bad(err.to_string()))?;
    let origin = Origin {
        source_name: "stored geometry",
        feature: FeatureRef::Feature(0),
    };
    polygons_of(geometry, &origin)
        .map(MultiPolygon)
        .map_err(|err| bad(err.to_string()))
}

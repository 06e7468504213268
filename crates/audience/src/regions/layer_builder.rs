//! What both readers share: checking coordinates, closing rings, and gathering features into regions, merging
//! features that share a name.

use std::collections::HashMap;

use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::{FeatureRef, Region, RegionError, RegionLayer, RegionWarning};

/// Identifies the feature being read, for error messages.
#[derive(Clone, Copy)]
pub(super) struct Origin<'a> {
    pub source_name: &'a str,
    pub feature: FeatureRef,
}

impl Origin<'_> {
    pub fn bad_ring(&self, reason: String) -> RegionError {
        RegionError::BadRing {
            source_name: self.source_name.to_owned(),
            feature: self.feature,
            reason,
        }
    }

    pub fn bad_name(&self, field: &str, reason: impl Into<String>) -> RegionError {
        RegionError::BadName {
            source_name: self.source_name.to_owned(),
            feature: self.feature,
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    pub fn not_polygon(&self, found: impl Into<String>) -> RegionError {
        RegionError::NotPolygon {
            source_name: self.source_name.to_owned(),
            feature: self.feature,
            found: found.into(),
        }
    }

    /// A longitude/latitude pair, refused when outside the globe (or not finite).
    pub fn coord(&self, lon: f64, lat: f64) -> Result<Coord<f64>, RegionError> {
        if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
            Ok(Coord { x: lon, y: lat })
        } else {
            Err(RegionError::CoordinateOutOfRange {
                source_name: self.source_name.to_owned(),
                feature: self.feature,
                lon,
                lat,
            })
        }
    }

    /// A closed ring from checked coordinates; files may omit the closing position, so we add it.
    pub fn ring(&self, mut coords: Vec<Coord<f64>>) -> Result<LineString<f64>, RegionError> {
        if let (Some(first), Some(last)) = (coords.first().copied(), coords.last())
            && first != *last
        {
            coords.push(first);
        }
        if coords.len() < 4 {
            return Err(self.bad_ring(format!(
                "a polygon ring has {} distinct positions; it needs at least 3",
                coords.len().saturating_sub(1)
            )));
        }
        Ok(LineString(coords))
    }
}

/// A polygon with the RFC 7946 winding, which the point-in-polygon index relies on to tell holes apart.
pub(super) fn oriented(exterior: LineString<f64>, holes: Vec<LineString<f64>>) -> Polygon<f64> {
    Polygon::new(exterior, holes).orient(Direction::Default)
}

/// Gathers features into regions in file order, merging features that share a name.
pub(super) struct LayerBuilder {
    regions: Vec<Region>,
    features_per_region: Vec<usize>,
    position_by_name: HashMap<String, usize>,
    warnings: Vec<RegionWarning>,
}

impl LayerBuilder {
    pub fn new() -> Self {
        Self {
            regions: Vec::new(),
            features_per_region: Vec::new(),
            position_by_name: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    pub fn warn(&mut self, warning: RegionWarning) {
        self.warnings.push(warning);
    }

    pub fn add(&mut self, name: String, polygons: Vec<Polygon<f64>>) {
        if let Some(&position) = self.position_by_name.get(&name) {
            self.regions[position].geometry.0.extend(polygons);
            self.features_per_region[position] += 1;
        } else {
            self.position_by_name
                .insert(name.clone(), self.regions.len());
            self.regions.push(Region {
                name,
                geometry: MultiPolygon(polygons),
            });
            self.features_per_region.push(1);
        }
    }

    pub fn finish(mut self, kind: &str, source_name: &str) -> Result<RegionLayer, RegionError> {
        if self.regions.is_empty() {
            return Err(RegionError::Empty {
                source_name: source_name.to_owned(),
            });
        }
        for (region, &features) in self.regions.iter().zip(&self.features_per_region) {
            if features > 1 {
                self.warnings.push(RegionWarning::MergedDuplicates {
                    name: region.name.clone(),
                    features,
                });
            }
        }
        Ok(RegionLayer {
            kind: kind.to_owned(),
            regions: self.regions,
            warnings: self.warnings,
        })
    }
}

//! Reading a region layer from GeoJSON (RFC 7946).

use std::collections::BTreeSet;
use std::io::Read;

use geo::Polygon;
use geojson::{Feature, GeoJson, Geometry, GeometryValue, JsonObject, JsonValue, PolygonType};

use super::layer_builder::{LayerBuilder, Origin, oriented};
use super::{FeatureRef, RegionError, RegionLayer, RegionWarning, validate_kind};

/// Reads a layer from GeoJSON text: a FeatureCollection, a single Feature, or a bare geometry.
///
/// `source_name` names the upload or file in error messages. Features are named by their `name_field` property; a
/// bare geometry has no properties, so its regions are named by position ("1", "2", …) with a warning.
pub fn read_geojson<R: Read>(
    reader: R,
    source_name: &str,
    kind: &str,
    name_field: &str,
) -> Result<RegionLayer, RegionError> {
    validate_kind(kind)?;
    // serde_json bounds nesting depth and allocates only as the text goes, so hostile input cannot blow the
    // stack or reserve memory the text does not hold.
    let document = GeoJson::from_reader(reader).map_err(|err| RegionError::BadGeoJson {
        source_name: source_name.to_owned(),
        message: err.to_string(),
    })?;
    let mut layer = LayerBuilder::new();
    match document {
        GeoJson::FeatureCollection(collection) => {
            read_features(&mut layer, collection.features, source_name, name_field)?;
        }
        GeoJson::Feature(feature) => {
            read_features(&mut layer, vec![feature], source_name, name_field)?
        }
        GeoJson::Geometry(geometry) => read_bare_geometry(&mut layer, geometry, source_name)?,
    }
    layer.finish(kind, source_name)
}

fn read_features(
    layer: &mut LayerBuilder,
    features: Vec<Feature>,
    source_name: &str,
    name_field: &str,
) -> Result<(), RegionError> {
    if features.is_empty() {
        return Ok(()); // The layer builder reports the empty layer.
    }
    let field_exists = features.iter().any(|f| {
        f.properties
            .as_ref()
            .is_some_and(|p| p.contains_key(name_field))
    });
    if !field_exists {
        return Err(RegionError::UnknownNameField {
            source_name: source_name.to_owned(),
            field: name_field.to_owned(),
            available: property_names(&features),
        });
    }
    for (index, feature) in features.into_iter().enumerate() {
        let origin = Origin {
            source_name,
            feature: FeatureRef::Feature(index),
        };
        let Some(geometry) = feature.geometry else {
            layer.warn(RegionWarning::SkippedEmptyGeometry {
                feature: origin.feature,
            });
            continue;
        };
        let name = name_of(feature.properties.as_ref(), name_field, &origin)?;
        let polygons = polygons_of(geometry, &origin)?;
        if polygons.is_empty() {
            layer.warn(RegionWarning::SkippedEmptyGeometry {
                feature: origin.feature,
            });
            continue;
        }
        layer.add(name, polygons);
    }
    Ok(())
}

fn read_bare_geometry(
    layer: &mut LayerBuilder,
    geometry: Geometry,
    source_name: &str,
) -> Result<(), RegionError> {
    let members = match geometry.value {
        GeometryValue::GeometryCollection { geometries } => geometries,
        value => vec![Geometry::new(value)],
    };
    layer.warn(RegionWarning::NamedByPosition);
    for (index, member) in members.into_iter().enumerate() {
        let origin = Origin {
            source_name,
            feature: FeatureRef::Feature(index),
        };
        let polygons = polygons_of(member, &origin)?;
        if polygons.is_empty() {
            layer.warn(RegionWarning::SkippedEmptyGeometry {
                feature: origin.feature,
            });
            continue;
        }
        layer.add((index + 1).to_string(), polygons);
    }
    Ok(())
}

/// Every property key any feature has, for the "unknown name field" message.
fn property_names(features: &[Feature]) -> Vec<String> {
    let names: BTreeSet<&String> = features
        .iter()
        .filter_map(|f| f.properties.as_ref())
        .flat_map(|p| p.keys())
        .collect();
    names.into_iter().cloned().collect()
}

fn name_of(
    properties: Option<&JsonObject>,
    field: &str,
    origin: &Origin,
) -> Result<String, RegionError> {
    let text = match properties.and_then(|p| p.get(field)) {
        None => return Err(origin.bad_name(field, "missing")),
        Some(JsonValue::Null) => return Err(origin.bad_name(field, "null")),
        Some(JsonValue::String(text)) => text.trim().to_owned(),
        Some(JsonValue::Number(number)) => number.to_string(),
        Some(JsonValue::Bool(_)) => {
            return Err(origin.bad_name(field, "a boolean, not text or a number"));
        }
        Some(JsonValue::Array(_)) => {
            return Err(origin.bad_name(field, "an array, not text or a number"));
        }
        Some(JsonValue::Object(_)) => {
            return Err(origin.bad_name(field, "an object, not text or a number"));
        }
    };
    if text.is_empty() {
        Err(origin.bad_name(field, "empty"))
    } else {
        Ok(text)
    }
}

/// The polygons of one feature's geometry; empty when the geometry is empty.
pub(super) fn polygons_of(
    geometry: Geometry,
    origin: &Origin,
) -> Result<Vec<Polygon<f64>>, RegionError> {
    match geometry.value {
        GeometryValue::Polygon { coordinates } => {
            Ok(polygon(coordinates, origin)?.into_iter().collect())
        }
        GeometryValue::MultiPolygon { coordinates } => {
            let mut polygons = Vec::new();
            for rings in coordinates {
                polygons.extend(polygon(rings, origin)?);
            }
            Ok(polygons)
        }
        GeometryValue::GeometryCollection { geometries } => {
            let mut polygons = Vec::new();
            for member in geometries {
                let found = member.value.type_name();
                if !matches!(
                    member.value,
                    GeometryValue::Polygon { .. }
                        | GeometryValue::MultiPolygon { .. }
                        | GeometryValue::GeometryCollection { .. }
                ) {
                    return Err(
                        origin.not_polygon(format!("a GeometryCollection holding a {found}"))
                    );
                }
                polygons.extend(polygons_of(member, origin)?);
            }
            Ok(polygons)
        }
        other => Err(origin.not_polygon(other.type_name())),
    }
}

/// One GeoJSON polygon (exterior ring, then holes); `None` for an empty polygon.
fn polygon(rings: PolygonType, origin: &Origin) -> Result<Option<Polygon<f64>>, RegionError> {
    let mut rings = rings.into_iter();
    let Some(exterior) = rings.next() else {
        return Ok(None);
    };
    let exterior = ring(exterior, origin)?;
    let holes = rings
        .map(|hole| ring(hole, origin))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(oriented(exterior, holes)))
}

fn ring(
    positions: Vec<geojson::Position>,
    origin: &Origin,
) -> Result<geo::LineString<f64>, RegionError> {
    let mut coords = Vec::with_capacity(positions.len());
    for position in positions {
        let &[lon, lat, ..] = position.as_slice() else {
            return Err(origin.bad_ring(format!(
                "a position has {} numbers; it needs longitude and latitude",
                position.len()
            )));
        };
        coords.push(origin.coord(lon, lat)?);
    }
    origin.ring(coords)
}

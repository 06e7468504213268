//! Reading a region layer from an ESRI shapefile: the .shp geometry, the .dbf attributes beside it, and the .prj
//! when there is one.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use geo::Coord;
use shapefile::dbase::{self, FieldValue};
use shapefile::{PolygonRing, Shape, ShapeReader};

use super::layer_builder::{LayerBuilder, Origin};
use super::prj::check_prj;
use super::ring_assembly::{MarkedRing, assemble_polygons};
use super::shp_scan::scan_shp;
use super::{FeatureRef, RegionError, RegionLayer, RegionWarning, validate_kind};

/// Reads a layer from a .shp file, with its .dbf (required) and .prj (checked when present) beside it.
pub fn read_shapefile(
    path: &Path,
    kind: &str,
    name_field: &str,
) -> Result<RegionLayer, RegionError> {
    validate_kind(kind)?;
    let source_name = path.display().to_string();
    let broken = |message: String| RegionError::BadShapefile {
        source_name: source_name.clone(),
        message,
    };
    let mut layer = LayerBuilder::new();

    match sibling(path, "prj") {
        Some(prj) => check_prj(&prj)?,
        None => layer.warn(RegionWarning::NoPrj),
    }
    let shp_records = scan_shp(path)?;
    let dbf_path = sibling(path, "dbf").ok_or_else(|| RegionError::MissingDbf {
        shp: path.to_owned(),
        dbf: path.with_extension("dbf"),
    })?;
    let dbf = open_dbf(&dbf_path, &mut layer)?;
    let dbf_records = dbf.header().num_records as usize;
    if dbf_records != shp_records {
        return Err(broken(format!(
            "the .shp has {shp_records} records but {} has {dbf_records}",
            dbf_path.display()
        )));
    }
    let field =
        find_field(dbf.fields(), name_field).ok_or_else(|| RegionError::UnknownNameField {
            source_name: source_name.clone(),
            field: name_field.to_owned(),
            available: dbf.fields().iter().map(|f| f.name().to_owned()).collect(),
        })?;

    let shp = File::open(path).map_err(|source| RegionError::Io {
        path: path.to_owned(),
        source,
    })?;
    // Sequential reading (no .shx): the records are exactly the ones scan_shp checked.
    let shapes = ShapeReader::new(BufReader::new(shp)).map_err(|err| broken(err.to_string()))?;
    let mut reader = shapefile::Reader::new(shapes, dbf);
    for (index, item) in reader.iter_shapes_and_records().enumerate() {
        let origin = Origin {
            source_name: &source_name,
            feature: FeatureRef::Record(index + 1),
        };
        let (shape, record) = item.map_err(|err| broken(format!("{}: {err}", origin.feature)))?;
        let Some(rings) = rings_of(shape, &origin)? else {
            layer.warn(RegionWarning::SkippedEmptyGeometry {
                feature: origin.feature,
            });
            continue;
        };
        let name = name_of(record.get(&field), &field, &origin)?;
        let polygons = assemble_polygons(rings);
        if polygons.is_empty() {
            layer.warn(RegionWarning::SkippedEmptyGeometry {
                feature: origin.feature,
            });
            continue;
        }
        layer.add(name, polygons);
    }
    layer.finish(kind, &source_name)
}

/// The file beside `path` with another extension, in the same case as GIS tools write it (lower or upper).
fn sibling(path: &Path, extension: &str) -> Option<PathBuf> {
    [extension.to_owned(), extension.to_ascii_uppercase()]
        .into_iter()
        .map(|e| path.with_extension(e))
        .find(|candidate| candidate.is_file())
}

fn open_dbf(
    path: &Path,
    layer: &mut LayerBuilder,
) -> Result<dbase::Reader<BufReader<File>>, RegionError> {
    let open = || {
        File::open(path)
            .map(BufReader::new)
            .map_err(|source| RegionError::Io {
                path: path.to_owned(),
                source,
            })
    };
    let broken = |err: dbase::Error| RegionError::BadShapefile {
        source_name: path.display().to_string(),
        message: err.to_string(),
    };
    match dbase::Reader::new(open()?) {
        Ok(reader) => Ok(reader),
        Err(err) => match err.kind() {
            // Only UTF-8 and unmarked files decode without extra features; read others lossily, and say so.
            dbase::ErrorKind::UnsupportedCodePage(mark) => {
                layer.warn(RegionWarning::LossyNames {
                    code_page: format!("{mark:?}"),
                });
                dbase::ReaderBuilder::new()
                    .with_encoding(dbase::UnicodeLossy)
                    .build(open()?)
                    .map_err(broken)
            }
            _ => Err(broken(err)),
        },
    }
}

/// The .dbf field named `wanted`: exactly, or else ignoring case (dBase upper-cases names).
fn find_field(fields: &[dbase::FieldInfo], wanted: &str) -> Option<String> {
    let names = || fields.iter().map(|f| f.name());
    names()
        .find(|name| *name == wanted)
        .or_else(|| names().find(|name| name.eq_ignore_ascii_case(wanted)))
        .map(str::to_owned)
}

fn name_of(
    value: Option<&FieldValue>,
    field: &str,
    origin: &Origin,
) -> Result<String, RegionError> {
    let text = match value {
        None => return Err(origin.bad_name(field, "missing")),
        Some(FieldValue::Character(text)) => text.as_deref().unwrap_or("").trim().to_owned(),
        Some(FieldValue::Memo(text)) => text.trim().to_owned(),
        Some(FieldValue::Numeric(number)) => number.map(number_text).unwrap_or_default(),
        Some(FieldValue::Float(number)) => number
            .map(|n| number_text(f64::from(n)))
            .unwrap_or_default(),
        Some(FieldValue::Double(number)) => number_text(*number),
        Some(FieldValue::Integer(number)) => number.to_string(),
        Some(other) => {
            return Err(origin.bad_name(
                field,
                format!("a {:?} field, not text or a number", other.field_type()),
            ));
        }
    };
    if text.is_empty() {
        Err(origin.bad_name(field, "empty"))
    } else {
        Ok(text)
    }
}

/// Whole numbers without a trailing ".0", so that a numeric GEOID reads as it does in the file.
fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        number.to_string()
    }
}

/// A record's rings, each marked outer or inner; `None` for a null shape.
fn rings_of(shape: Shape, origin: &Origin) -> Result<Option<Vec<MarkedRing>>, RegionError> {
    let xy_rings: Vec<(bool, Vec<(f64, f64)>)> = match shape {
        Shape::NullShape => return Ok(None),
        Shape::Polygon(polygon) => polygon
            .into_inner()
            .into_iter()
            .map(|r| ring_xy(r, |p| (p.x, p.y)))
            .collect(),
        Shape::PolygonM(polygon) => polygon
            .into_inner()
            .into_iter()
            .map(|r| ring_xy(r, |p| (p.x, p.y)))
            .collect(),
        Shape::PolygonZ(polygon) => polygon
            .into_inner()
            .into_iter()
            .map(|r| ring_xy(r, |p| (p.x, p.y)))
            .collect(),
        other => return Err(origin.not_polygon(other.shapetype().to_string())),
    };
    let mut rings = Vec::with_capacity(xy_rings.len());
    for (outer, points) in xy_rings {
        let coords = points
            .into_iter()
            .map(|(x, y)| origin.coord(x, y))
            .collect::<Result<Vec<Coord<f64>>, _>>()?;
        rings.push((outer, origin.ring(coords)?));
    }
    Ok(Some(rings))
}

fn ring_xy<P>(ring: PolygonRing<P>, xy: impl Fn(&P) -> (f64, f64)) -> (bool, Vec<(f64, f64)>) {
    let outer = matches!(ring, PolygonRing::Outer(_));
    (outer, ring.into_inner().iter().map(xy).collect())
}

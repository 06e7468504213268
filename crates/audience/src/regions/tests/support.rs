//! Builders for test layers: GeoJSON text and shapefiles written with the shapefile crate's writer.

use std::path::{Path, PathBuf};

use shapefile::dbase::{self, FieldValue, TableWriterBuilder};
use shapefile::{Point, Polygon, PolygonRing};

/// A closed axis-aligned square as GeoJSON ring text, counter-clockwise.
pub fn square_ring(x: f64, y: f64, size: f64) -> String {
    format!(
        "[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]",
        x + size,
        x + size,
        y + size,
        y + size
    )
}

pub fn polygon_json(rings: &[String]) -> String {
    format!(
        r#"{{"type":"Polygon","coordinates":[{}]}}"#,
        rings.join(",")
    )
}

pub fn feature_json(properties: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{properties},"geometry":{geometry}}}"#)
}

pub fn collection_json(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// A feature named `name` in the `NAMELSAD` field, with a GEOID beside it.
pub fn named_square(name: &str, x: f64, y: f64, size: f64) -> String {
    feature_json(
        &format!(r#"{{"GEOID":"42{x}","NAMELSAD":"{name}"}}"#),
        &polygon_json(&[square_ring(x, y, size)]),
    )
}

pub fn write(dir: &Path, file: &str, contents: &[u8]) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, contents).expect("write test file");
    path
}

/// A shapefile polygon from outer squares and inner (hole) squares, as `(x, y, size)`.
pub fn shp_polygon(outers: &[(f64, f64, f64)], holes: &[(f64, f64, f64)]) -> Polygon {
    let ring = |&(x, y, s): &(f64, f64, f64)| {
        vec![
            Point::new(x, y),
            Point::new(x, y + s),
            Point::new(x + s, y + s),
            Point::new(x + s, y),
            Point::new(x, y),
        ]
    };
    let mut rings: Vec<PolygonRing<Point>> =
        outers.iter().map(|o| PolygonRing::Outer(ring(o))).collect();
    rings.extend(holes.iter().map(|h| PolygonRing::Inner(ring(h))));
    Polygon::with_rings(rings)
}

/// Writes `NAME.shp/.shx/.dbf` with a `NAMELSAD` text field and a `GEOID` number field.
pub fn write_shapefile(dir: &Path, name: &str, records: &[(&str, Polygon)]) -> PathBuf {
    let path = dir.join(format!("{name}.shp"));
    let table = TableWriterBuilder::new()
        .add_character_field("NAMELSAD".try_into().expect("field name"), 40)
        .add_numeric_field("GEOID".try_into().expect("field name"), 10, 0);
    let mut writer = shapefile::Writer::from_path(&path, table).expect("shapefile writer");
    for (index, (record_name, polygon)) in records.iter().enumerate() {
        let mut record = dbase::Record::default();
        record.insert(
            "NAMELSAD".to_owned(),
            FieldValue::Character(Some((*record_name).to_owned())),
        );
        record.insert(
            "GEOID".to_owned(),
            FieldValue::Numeric(Some(4200.0 + index as f64)),
        );
        writer
            .write_shape_and_record(polygon, &record)
            .expect("write record");
    }
    path
}

pub const WGS84_PRJ: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
pub const NAD83_PRJ: &str = r#"GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.017453292519943295]]"#;
pub const UTM_PRJ: &str = r#"PROJCS["NAD_1983_UTM_Zone_18N",GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],UNIT["Meter",1.0]]"#;
pub const ED50_PRJ: &str = r#"GEOGCS["GCS_European_1950",DATUM["D_European_1950",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

use std::fs;

use geo::{Coord, Intersects};

use super::support::{
    ED50_PRJ, NAD83_PRJ, UTM_PRJ, WGS84_PRJ, shp_polygon, write, write_shapefile,
};
use crate::regions::{FeatureRef, RegionError, RegionWarning, read_layer};

#[test]
fn reads_a_shapefile_with_its_dbf_and_prj() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_shapefile(
        dir.path(),
        "districts",
        &[
            ("District 1", shp_polygon(&[(-80.0, 40.0, 1.0)], &[])),
            ("District 2", shp_polygon(&[(-79.0, 40.0, 1.0)], &[])),
        ],
    );
    write(dir.path(), "districts.prj", WGS84_PRJ.as_bytes());
    let layer = read_layer(&shp, "congressional_district", "NAMELSAD").unwrap();
    assert_eq!(layer.kind, "congressional_district");
    let names: Vec<&str> = layer.regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["District 1", "District 2"]);
    assert!(layer.warnings.is_empty(), "{:?}", layer.warnings);
    let bbox = layer.regions[1].bounding_box().unwrap();
    assert_eq!(
        (bbox.min_lon, bbox.min_lat, bbox.max_lon, bbox.max_lat),
        (-79.0, 40.0, -78.0, 41.0)
    );
}

#[test]
fn numeric_fields_and_any_case_name_fields_work() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[("A", shp_polygon(&[(0.0, 0.0, 1.0)], &[]))],
    );
    write(dir.path(), "d.prj", NAD83_PRJ.as_bytes());
    assert_eq!(
        read_layer(&shp, "precinct", "GEOID").unwrap().regions[0].name,
        "4200"
    );
    assert_eq!(
        read_layer(&shp, "precinct", "namelsad").unwrap().regions[0].name,
        "A"
    );
}

#[test]
fn without_a_prj_coordinates_are_taken_as_wgs84_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[("A", shp_polygon(&[(0.0, 0.0, 1.0)], &[]))],
    );
    let layer = read_layer(&shp, "precinct", "NAMELSAD").unwrap();
    assert_eq!(layer.warnings, [RegionWarning::NoPrj]);
}

#[test]
fn merges_parts_and_puts_holes_in_the_right_outer_ring() {
    let dir = tempfile::tempdir().unwrap();
    // Record 1: two outer rings, the hole inside the second. Record 3 is another part of the same district.
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[
            (
                "PA-07",
                shp_polygon(&[(0.0, 0.0, 1.0), (10.0, 10.0, 10.0)], &[(14.0, 14.0, 2.0)]),
            ),
            ("PA-08", shp_polygon(&[(30.0, 0.0, 1.0)], &[])),
            ("PA-07", shp_polygon(&[(40.0, 40.0, 1.0)], &[])),
        ],
    );
    write(dir.path(), "d.prj", WGS84_PRJ.as_bytes());
    let layer = read_layer(&shp, "congressional_district", "NAMELSAD").unwrap();
    assert_eq!(layer.regions.len(), 2);
    let district = &layer.regions[0];
    assert_eq!(district.geometry.0.len(), 3);
    let holes: Vec<usize> = district
        .geometry
        .0
        .iter()
        .map(|p| p.interiors().len())
        .collect();
    assert_eq!(holes, [0, 1, 0]);
    assert!(district.geometry.intersects(&Coord { x: 11.0, y: 11.0 }));
    assert!(
        !district.geometry.intersects(&Coord { x: 15.0, y: 15.0 }),
        "the hole is a hole"
    );
    assert_eq!(
        layer.warnings,
        [RegionWarning::MergedDuplicates {
            name: "PA-07".into(),
            features: 2
        }]
    );
}

#[test]
fn refuses_a_projected_prj_and_foreign_datums() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[("A", shp_polygon(&[(0.0, 0.0, 1.0)], &[]))],
    );
    write(dir.path(), "d.prj", UTM_PRJ.as_bytes());
    let err = read_layer(&shp, "precinct", "NAMELSAD").unwrap_err();
    assert!(matches!(err, RegionError::UnsupportedCrs { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("projected coordinate system \"NAD_1983_UTM_Zone_18N\""),
        "{message}"
    );
    assert!(message.contains("EPSG:4326"), "{message}");

    write(dir.path(), "d.prj", ED50_PRJ.as_bytes());
    let err = read_layer(&shp, "precinct", "NAMELSAD").unwrap_err();
    assert!(err.to_string().contains("neither WGS84 nor NAD83"), "{err}");

    write(dir.path(), "d.prj", b"garbage");
    assert!(matches!(
        read_layer(&shp, "precinct", "NAMELSAD"),
        Err(RegionError::UnsupportedCrs { .. })
    ));
}

#[test]
fn a_missing_dbf_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[("A", shp_polygon(&[(0.0, 0.0, 1.0)], &[]))],
    );
    fs::remove_file(dir.path().join("d.dbf")).unwrap();
    let err = read_layer(&shp, "precinct", "NAMELSAD").unwrap_err();
    assert!(matches!(err, RegionError::MissingDbf { .. }), "{err:?}");
    assert!(err.to_string().contains("d.dbf"), "{err}");
}

#[test]
fn a_truncated_shp_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[("A", shp_polygon(&[(0.0, 0.0, 1.0)], &[]))],
    );
    let bytes = fs::read(&shp).unwrap();
    fs::write(&shp, &bytes[..bytes.len() - 20]).unwrap();
    let err = read_layer(&shp, "precinct", "NAMELSAD").unwrap_err();
    assert!(matches!(err, RegionError::BadShapefile { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("d.shp: broken shapefile: truncated"),
        "{err}"
    );

    fs::write(&shp, &bytes[..60]).unwrap();
    assert!(
        read_layer(&shp, "precinct", "NAMELSAD")
            .unwrap_err()
            .to_string()
            .contains("shorter than the 100-byte")
    );

    fs::write(&shp, vec![7u8; 300]).unwrap();
    assert!(
        read_layer(&shp, "precinct", "NAMELSAD")
            .unwrap_err()
            .to_string()
            .contains("not a shapefile")
    );
}

#[test]
fn a_record_claiming_more_points_than_it_holds_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[("A", shp_polygon(&[(0.0, 0.0, 1.0)], &[]))],
    );
    let mut bytes = fs::read(&shp).unwrap();
    // Record 1's content starts at 108: shape type (4), bbox (32), parts (4), then the point count.
    bytes[148..152].copy_from_slice(&i32::MAX.to_le_bytes());
    fs::write(&shp, &bytes).unwrap();
    let err = read_layer(&shp, "precinct", "NAMELSAD").unwrap_err();
    assert!(
        err.to_string()
            .contains("record 1: 1 parts and 2147483647 points need"),
        "{err}"
    );
}

#[test]
fn a_dbf_with_fewer_records_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let polygon = || shp_polygon(&[(0.0, 0.0, 1.0)], &[]);
    let shp = write_shapefile(dir.path(), "two", &[("A", polygon()), ("B", polygon())]);
    write_shapefile(dir.path(), "one", &[("A", polygon())]);
    fs::copy(dir.path().join("one.dbf"), dir.path().join("two.dbf")).unwrap();
    let err = read_layer(&shp, "precinct", "NAMELSAD").unwrap_err();
    assert!(
        err.to_string().contains("the .shp has 2 records but"),
        "{err}"
    );
}

#[test]
fn an_unknown_field_lists_the_dbf_fields() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[("A", shp_polygon(&[(0.0, 0.0, 1.0)], &[]))],
    );
    let err = read_layer(&shp, "precinct", "NAME").unwrap_err();
    assert!(
        matches!(&err, RegionError::UnknownNameField { available, .. } if available == &["NAMELSAD", "GEOID"])
    );
    assert!(
        err.to_string()
            .contains("available fields: NAMELSAD, GEOID"),
        "{err}"
    );
}

#[test]
fn an_empty_name_names_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let polygon = || shp_polygon(&[(0.0, 0.0, 1.0)], &[]);
    let shp = write_shapefile(dir.path(), "d", &[("A", polygon()), ("", polygon())]);
    let err = read_layer(&shp, "precinct", "NAMELSAD").unwrap_err();
    assert!(
        matches!(
            err,
            RegionError::BadName {
                feature: FeatureRef::Record(2),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("record 2: name field \"NAMELSAD\" is empty"),
        "{err}"
    );
}

#[test]
fn projected_coordinates_without_a_prj_are_refused_naming_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[
            ("A", shp_polygon(&[(0.0, 0.0, 1.0)], &[])),
            ("B", shp_polygon(&[(500_000.0, 4_400_000.0, 1000.0)], &[])),
        ],
    );
    let err = read_layer(&shp, "precinct", "NAMELSAD").unwrap_err();
    assert!(
        matches!(
            err,
            RegionError::CoordinateOutOfRange {
                feature: FeatureRef::Record(2),
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn other_shape_types_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roads.shp");
    let table = shapefile::dbase::TableWriterBuilder::new()
        .add_character_field("NAMELSAD".try_into().unwrap(), 20);
    {
        let mut writer = shapefile::Writer::from_path(&path, table).unwrap();
        let line = shapefile::Polyline::new(vec![
            shapefile::Point::new(0.0, 0.0),
            shapefile::Point::new(1.0, 1.0),
        ]);
        let mut record = shapefile::dbase::Record::default();
        record.insert(
            "NAMELSAD".into(),
            shapefile::dbase::FieldValue::Character(Some("Main St".into())),
        );
        writer.write_shape_and_record(&line, &record).unwrap();
    }
    let err = read_layer(&path, "precinct", "NAMELSAD").unwrap_err();
    assert!(
        err.to_string().contains("it holds PolyLine shapes"),
        "{err}"
    );

    // A polygon file with one record rewritten as a point: refused by record number.
    let shp = write_shapefile(
        dir.path(),
        "d",
        &[("A", shp_polygon(&[(0.0, 0.0, 1.0)], &[]))],
    );
    let mut bytes = fs::read(&shp).unwrap();
    bytes[108..112].copy_from_slice(&1i32.to_le_bytes());
    fs::write(&shp, &bytes).unwrap();
    let err = read_layer(&shp, "precinct", "NAMELSAD").unwrap_err();
    assert!(
        matches!(&err, RegionError::NotPolygon { feature: FeatureRef::Record(1), found, .. } if found == "Point"),
        "{err:?}"
    );
}

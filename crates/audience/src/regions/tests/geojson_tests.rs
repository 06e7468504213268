use geo::Winding;

use super::support::{
    collection_json, feature_json, named_square, polygon_json, square_ring, write,
};
use crate::regions::{
    FeatureRef, RegionError, RegionWarning, read_geojson, read_layer, validate_kind,
};

fn read(text: &str) -> Result<crate::regions::RegionLayer, RegionError> {
    read_geojson(
        text.as_bytes(),
        "upload.geojson",
        "congressional_district",
        "NAMELSAD",
    )
}

#[test]
fn reads_a_feature_collection_in_file_order() {
    let text = collection_json(&[
        named_square("District 2", 1.0, 0.0, 1.0),
        named_square("District 1", 0.0, 0.0, 1.0),
    ]);
    let layer = read(&text).unwrap();
    assert_eq!(layer.kind, "congressional_district");
    let names: Vec<&str> = layer.regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["District 2", "District 1"]);
    assert_eq!(layer.regions[0].geometry.0.len(), 1);
    assert!(layer.warnings.is_empty(), "{:?}", layer.warnings);
    let bbox = layer.regions[0].bounding_box().unwrap();
    assert_eq!(
        (bbox.min_lon, bbox.min_lat, bbox.max_lon, bbox.max_lat),
        (1.0, 0.0, 2.0, 1.0)
    );
}

#[test]
fn reads_a_single_feature_and_a_multipolygon() {
    let geometry = format!(
        r#"{{"type":"MultiPolygon","coordinates":[[{}],[{}]]}}"#,
        square_ring(0.0, 0.0, 1.0),
        square_ring(5.0, 5.0, 1.0)
    );
    let layer = read(&feature_json(r#"{"NAMELSAD":"Islands"}"#, &geometry)).unwrap();
    assert_eq!(layer.regions.len(), 1);
    assert_eq!(layer.regions[0].geometry.0.len(), 2);
}

#[test]
fn names_bare_geometries_by_position() {
    let text = format!(
        r#"{{"type":"GeometryCollection","geometries":[{},{}]}}"#,
        polygon_json(&[square_ring(0.0, 0.0, 1.0)]),
        polygon_json(&[square_ring(2.0, 0.0, 1.0)])
    );
    let layer = read(&text).unwrap();
    let names: Vec<&str> = layer.regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["1", "2"]);
    assert_eq!(layer.warnings, [RegionWarning::NamedByPosition]);
}

#[test]
fn merges_features_that_share_a_name_and_warns() {
    let text = collection_json(&[
        named_square("PA-07", 0.0, 0.0, 1.0),
        named_square("PA-08", 3.0, 0.0, 1.0),
        named_square("PA-07", 5.0, 5.0, 1.0),
    ]);
    let layer = read(&text).unwrap();
    assert_eq!(layer.regions.len(), 2);
    assert_eq!(layer.regions[0].name, "PA-07");
    assert_eq!(layer.regions[0].geometry.0.len(), 2);
    assert_eq!(
        layer.warnings,
        [RegionWarning::MergedDuplicates {
            name: "PA-07".into(),
            features: 2
        }]
    );
    assert!(
        layer.warnings[0]
            .to_string()
            .contains("2 features named \"PA-07\"")
    );
}

#[test]
fn keeps_holes_and_winds_rings_as_rfc_7946_says() {
    // Exterior written clockwise and hole counter-clockwise: the reader re-winds them.
    let exterior = "[[0,0],[0,10],[10,10],[10,0],[0,0]]".to_owned();
    let hole = square_ring(4.0, 4.0, 2.0);
    let layer = read(&feature_json(
        r#"{"NAMELSAD":"Donut"}"#,
        &polygon_json(&[exterior, hole]),
    ))
    .unwrap();
    let polygon = &layer.regions[0].geometry.0[0];
    assert_eq!(polygon.interiors().len(), 1);
    assert!(polygon.exterior().is_ccw());
    assert!(polygon.interiors()[0].is_cw());
}

#[test]
fn accepts_numeric_names_and_trims_text() {
    let feature = feature_json(
        r#"{"NAMELSAD":4207}"#,
        &polygon_json(&[square_ring(0.0, 0.0, 1.0)]),
    );
    let padded = feature_json(
        r#"{"NAMELSAD":"  Ward 3 "}"#,
        &polygon_json(&[square_ring(2.0, 0.0, 1.0)]),
    );
    let layer = read(&collection_json(&[feature, padded])).unwrap();
    assert_eq!(layer.regions[0].name, "4207");
    assert_eq!(layer.regions[1].name, "Ward 3");
}

#[test]
fn closes_unclosed_rings() {
    let open_ring = "[[0,0],[1,0],[1,1],[0,1]]".to_owned();
    let layer = read(&feature_json(
        r#"{"NAMELSAD":"Open"}"#,
        &polygon_json(&[open_ring]),
    ))
    .unwrap();
    let exterior = layer.regions[0].geometry.0[0].exterior();
    assert_eq!(exterior.0.len(), 5);
    assert_eq!(exterior.0.first(), exterior.0.last());
}

#[test]
fn skips_features_without_geometry_with_a_warning() {
    let empty =
        r#"{"type":"Feature","properties":{"NAMELSAD":"Nowhere"},"geometry":null}"#.to_owned();
    let layer = read(&collection_json(&[
        empty,
        named_square("Somewhere", 0.0, 0.0, 1.0),
    ]))
    .unwrap();
    assert_eq!(layer.regions.len(), 1);
    assert_eq!(
        layer.warnings,
        [RegionWarning::SkippedEmptyGeometry {
            feature: FeatureRef::Feature(0)
        }]
    );
}

#[test]
fn refuses_other_geometry_types_naming_the_feature() {
    let line = feature_json(
        r#"{"NAMELSAD":"Road"}"#,
        r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#,
    );
    let err = read(&collection_json(&[named_square("A", 0.0, 0.0, 1.0), line])).unwrap_err();
    assert!(
        matches!(&err, RegionError::NotPolygon { feature: FeatureRef::Feature(1), found, .. } if found == "LineString"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("upload.geojson: feature 1: geometry is LineString"),
        "{err}"
    );

    let mixed = feature_json(
        r#"{"NAMELSAD":"Mixed"}"#,
        r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[0,0]}]}"#,
    );
    assert!(matches!(
        read(&mixed).unwrap_err(),
        RegionError::NotPolygon {
            feature: FeatureRef::Feature(0),
            ..
        }
    ));
}

#[test]
fn refuses_missing_empty_and_non_text_names() {
    let geometry = polygon_json(&[square_ring(0.0, 0.0, 1.0)]);
    for (properties, reason) in [
        (r#"{"GEOID":"1"}"#, "missing"),
        (r#"{"NAMELSAD":"   "}"#, "empty"),
        (r#"{"NAMELSAD":null}"#, "null"),
        (r#"{"NAMELSAD":true}"#, "a boolean, not text or a number"),
    ] {
        let text = collection_json(&[
            named_square("A", 5.0, 5.0, 1.0),
            feature_json(properties, &geometry),
        ]);
        let err = read(&text).unwrap_err();
        assert!(
            matches!(&err, RegionError::BadName { feature: FeatureRef::Feature(1), reason: r, .. } if r == reason),
            "{properties}: {err:?}"
        );
    }
}

#[test]
fn an_unknown_name_field_lists_the_fields_there_are() {
    let err = read_geojson(
        collection_json(&[named_square("A", 0.0, 0.0, 1.0)]).as_bytes(),
        "upload.geojson",
        "precinct",
        "NAME",
    )
    .unwrap_err();
    match &err {
        RegionError::UnknownNameField {
            field, available, ..
        } => {
            assert_eq!(field, "NAME");
            assert_eq!(available, &["GEOID", "NAMELSAD"]);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("available fields: GEOID, NAMELSAD"),
        "{err}"
    );
}

#[test]
fn refuses_coordinates_off_the_globe_naming_the_feature() {
    // Web Mercator metres, the usual sign of a projected file.
    let projected = feature_json(
        r#"{"NAMELSAD":"B"}"#,
        &polygon_json(&[square_ring(-8_370_000.0, 4_860_000.0, 1000.0)]),
    );
    let err = read(&collection_json(&[
        named_square("A", 0.0, 0.0, 1.0),
        projected,
    ]))
    .unwrap_err();
    assert!(
        matches!(
            err,
            RegionError::CoordinateOutOfRange {
                feature: FeatureRef::Feature(1),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("WGS84"));

    let too_far_north = feature_json(
        r#"{"NAMELSAD":"C"}"#,
        &polygon_json(&[square_ring(0.0, 89.5, 1.0)]),
    );
    assert!(
        matches!(read(&too_far_north).unwrap_err(), RegionError::CoordinateOutOfRange { lat, .. } if lat > 90.0)
    );
}

#[test]
fn refuses_degenerate_rings_and_short_positions() {
    let two_points = feature_json(
        r#"{"NAMELSAD":"Sliver"}"#,
        &polygon_json(&["[[0,0],[1,1],[0,0]]".to_owned()]),
    );
    assert!(matches!(
        read(&two_points).unwrap_err(),
        RegionError::BadRing {
            feature: FeatureRef::Feature(0),
            ..
        }
    ));
    let short = feature_json(
        r#"{"NAMELSAD":"Short"}"#,
        &polygon_json(&["[[0],[1,0],[1,1],[0,0]]".to_owned()]),
    );
    assert!(matches!(
        read(&short).unwrap_err(),
        RegionError::BadRing { .. } | RegionError::BadGeoJson { .. }
    ));
}

#[test]
fn broken_json_names_the_source_and_the_place() {
    let err = read(r#"{"type":"FeatureCollection","features":[{"type":"Feat"#).unwrap_err();
    assert!(matches!(err, RegionError::BadGeoJson { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with("upload.geojson: not valid GeoJSON"),
        "{message}"
    );
    assert!(message.contains("line 1"), "{message}");
    assert!(matches!(
        read(r#"{"hello":"world"}"#).unwrap_err(),
        RegionError::BadGeoJson { .. }
    ));
    assert!(matches!(
        read("").unwrap_err(),
        RegionError::BadGeoJson { .. }
    ));
}

#[test]
fn an_empty_collection_is_an_error() {
    let err = read(r#"{"type":"FeatureCollection","features":[]}"#).unwrap_err();
    assert!(matches!(err, RegionError::Empty { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "upload.geojson: the layer holds no polygon features"
    );
    let no_polygons = read(&collection_json(&[
        r#"{"type":"Feature","properties":{"NAMELSAD":"X"},"geometry":null}"#.to_owned(),
    ]));
    assert!(matches!(
        no_polygons.unwrap_err(),
        RegionError::Empty { .. }
    ));
}

#[test]
fn kinds_must_be_lower_case_identifiers() {
    for good in [
        "congressional_district",
        "precinct",
        "dma2024",
        "state_house_district",
    ] {
        assert!(validate_kind(good).is_ok(), "{good}");
    }
    for bad in [
        "",
        "Congressional",
        "1st",
        "media-market",
        "_x",
        "district ",
        "ward\u{e9}",
        &"a".repeat(65),
    ] {
        assert!(
            matches!(validate_kind(bad), Err(RegionError::InvalidKind { .. })),
            "{bad:?}"
        );
    }
    let err = read_geojson(&b"{}"[..], "upload", "Media Market", "NAME").unwrap_err();
    assert!(err.to_string().contains("[a-z][a-z0-9_]*"), "{err}");
}

#[test]
fn read_layer_chooses_the_format_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let text = collection_json(&[named_square("A", 0.0, 0.0, 1.0)]);
    for file in ["layer.geojson", "layer.json", "LAYER.GEOJSON"] {
        let path = write(dir.path(), file, text.as_bytes());
        assert_eq!(
            read_layer(&path, "precinct", "NAMELSAD")
                .unwrap()
                .regions
                .len(),
            1,
            "{file}"
        );
    }
    let csv = write(dir.path(), "layer.csv", b"a,b");
    assert!(matches!(
        read_layer(&csv, "precinct", "NAMELSAD"),
        Err(RegionError::UnknownFormat { .. })
    ));
    let missing = dir.path().join("missing.geojson");
    let err = read_layer(&missing, "precinct", "NAMELSAD").unwrap_err();
    assert!(
        matches!(err, RegionError::Io { .. }) && err.to_string().contains("missing.geojson"),
        "{err}"
    );
}

use super::support::{collection_json, named_square, polygon_json, square_ring};
use crate::regions::{RegionError, bounding_box, from_geojson, read_geojson, to_geojson};

#[test]
fn stored_geometry_round_trips_exactly() {
    let donut = polygon_json(&[
        "[[-75.1652215,39.9525839],[-75.0,39.9525839],[-75.0,40.1],[-75.1652215,40.1]]".to_owned(),
        square_ring(-75.1, 40.0, 0.01),
    ]);
    let text = collection_json(&[
        super::support::feature_json(r#"{"NAMELSAD":"PA-03"}"#, &donut),
        named_square("PA-03", -74.0, 39.0, 0.5),
    ]);
    let layer = read_geojson(text.as_bytes(), "t", "congressional_district", "NAMELSAD").unwrap();
    let region = &layer.regions[0];
    let stored = to_geojson(region);
    assert!(stored.contains(r#""type":"MultiPolygon""#), "{stored}");
    assert_eq!(from_geojson(&stored).unwrap(), region.geometry);
}

#[test]
fn reads_a_stored_polygon_as_a_multipolygon() {
    let geometry = from_geojson(&polygon_json(&[square_ring(1.0, 2.0, 3.0)])).unwrap();
    assert_eq!(geometry.0.len(), 1);
    let bbox = bounding_box(&geometry).unwrap();
    assert_eq!(
        (bbox.min_lon, bbox.min_lat, bbox.max_lon, bbox.max_lat),
        (1.0, 2.0, 4.0, 5.0)
    );
    assert!(bbox.contains(4.0, 5.0) && !bbox.contains(4.1, 5.0));
}

#[test]
fn refuses_stored_text_that_is_not_an_area() {
    for text in [
        "",
        "not json",
        r#"{"type":"Point","coordinates":[0,0]}"#,
        r#"{"type":"Polygon","coordinates":[[[0,0],[500,0],[0,1],[0,0]]]}"#,
    ] {
        assert!(
            matches!(
                from_geojson(text),
                Err(RegionError::BadStoredGeometry { .. })
            ),
            "{text}"
        );
    }
}

#[test]
fn an_empty_geometry_has_no_bounding_box() {
    assert_eq!(bounding_box(&geo::MultiPolygon(Vec::new())), None);
}

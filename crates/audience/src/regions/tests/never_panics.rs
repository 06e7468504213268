//! Hostile input: the readers return errors, never panic, whatever the bytes.

use proptest::prelude::*;

use super::support::{collection_json, named_square, shp_polygon, write_shapefile};
use crate::regions::{from_geojson, read_geojson, read_layer};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn read_geojson_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let result = read_geojson(&bytes[..], "fuzz", "precinct", "NAMELSAD");
        prop_assert!(result.is_ok() || result.is_err());
    }

    /// Random text over GeoJSON's own alphabet reaches much deeper than random bytes.
    #[test]
    fn read_geojson_never_panics_on_geojson_like_text(
        text in r#"\{("type":"(FeatureCollection|Feature|Polygon|MultiPolygon|GeometryCollection|Point)"|"features":\[|"geometry":|"coordinates":\[|"properties":\{"NAMELSAD":("x"|1|null)\}|"geometries":\[|\[|\]|\{|\}|,|-?[0-9]{1,4}(\.[0-9])?|null)*"#
    ) {
        let result = read_geojson(text.as_bytes(), "fuzz", "precinct", "NAMELSAD");
        prop_assert!(result.is_ok() || result.is_err());
        prop_assert!(from_geojson(&text).is_ok() || from_geojson(&text).is_err());
    }

    #[test]
    fn mutated_geojson_gives_a_layer_or_an_error(position in 0usize..400, byte in any::<u8>()) {
        let mut text = collection_json(&[named_square("A", 0.0, 0.0, 1.0), named_square("B", 1.0, 0.0, 1.0)]).into_bytes();
        let at = position % text.len();
        text[at] = byte;
        let result = read_geojson(&text[..], "fuzz", "precinct", "NAMELSAD");
        prop_assert!(result.is_ok() || result.is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any byte of a valid .shp overwritten: an error or a layer, never a panic or a huge allocation.
    #[test]
    fn mutated_shapefiles_never_panic(edits in proptest::collection::vec((0usize..400, any::<u8>()), 1..6)) {
        let dir = tempfile::tempdir().unwrap();
        let shp = write_shapefile(
            dir.path(),
            "d",
            &[("A", shp_polygon(&[(0.0, 0.0, 1.0), (5.0, 5.0, 3.0)], &[(6.0, 6.0, 1.0)])), ("B", shp_polygon(&[(2.0, 0.0, 1.0)], &[]))],
        );
        let mut bytes = std::fs::read(&shp).unwrap();
        for (position, byte) in edits {
            let at = position % bytes.len();
            bytes[at] = byte;
        }
        std::fs::write(&shp, &bytes).unwrap();
        let result = read_layer(&shp, "precinct", "NAMELSAD");
        prop_assert!(result.is_ok() || result.is_err());
    }
}

use std::time::Instant;

use geo::{Coord, Intersects, LineString, MultiPolygon, Polygon, polygon};

use crate::regions::RegionIndex;

fn square(x: f64, y: f64, size: f64) -> Polygon<f64> {
    polygon![(x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)]
}

fn two_neighbours() -> RegionIndex {
    // Region 7 on the left, region 3 on the right, sharing the edge x = 1.
    RegionIndex::new(vec![
        (7, MultiPolygon(vec![square(0.0, 0.0, 1.0)])),
        (3, MultiPolygon(vec![square(1.0, 0.0, 1.0)])),
    ])
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) -> bool {
        true
    }
    assert!(shareable(&two_neighbours()));
}

#[test]
fn finds_the_region_holding_a_point() {
    let index = two_neighbours();
    assert_eq!(index.len(), 2);
    assert_eq!(index.locate(0.5, 0.5), Some(7));
    assert_eq!(index.locate(1.5, 0.5), Some(3));
}

#[test]
fn a_point_outside_every_region_has_none() {
    let index = two_neighbours();
    assert_eq!(index.locate(2.5, 0.5), None);
    assert_eq!(index.locate(0.5, -0.0001), None);
    assert_eq!(index.locate(f64::NAN, 0.5), None);
    assert_eq!(RegionIndex::new(Vec::new()).locate(0.0, 0.0), None);
}

#[test]
fn a_point_in_a_hole_is_not_in_the_region() {
    // The hole is written with the same winding as the exterior; the index must still treat it as a hole.
    let ring = |x: f64, y: f64, s: f64| {
        LineString::from(vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s), (x, y)])
    };
    let donut = Polygon::new(ring(0.0, 0.0, 10.0), vec![ring(4.0, 4.0, 2.0)]);
    let island = square(4.5, 4.5, 1.0);
    let index = RegionIndex::new(vec![
        (1, MultiPolygon(vec![donut])),
        (2, MultiPolygon(vec![island])),
    ]);
    assert_eq!(index.locate(1.0, 1.0), Some(1));
    assert_eq!(
        index.locate(4.2, 4.2),
        None,
        "in the hole, outside the island"
    );
    assert_eq!(index.locate(5.0, 5.0), Some(2), "on the island in the hole");
    assert_eq!(
        index.locate(4.0, 5.0),
        Some(1),
        "on the hole's edge, which bounds the donut"
    );
}

#[test]
fn border_points_go_to_the_lowest_id_whatever_the_order() {
    let forward = two_neighbours();
    let backward = RegionIndex::new(vec![
        (3, MultiPolygon(vec![square(1.0, 0.0, 1.0)])),
        (7, MultiPolygon(vec![square(0.0, 0.0, 1.0)])),
    ]);
    for index in [&forward, &backward] {
        assert_eq!(index.locate(1.0, 0.5), Some(3), "shared edge");
        assert_eq!(index.locate(1.0, 1.0), Some(3), "shared corner");
        assert_eq!(
            index.locate(0.0, 0.5),
            Some(7),
            "outer edge of one region only"
        );
    }
}

#[test]
fn non_finite_geometry_is_left_out_rather_than_panicking() {
    let broken = polygon![(x: f64::NAN, y: 0.0), (x: 1.0, y: f64::INFINITY), (x: 0.0, y: 1.0)];
    let index = RegionIndex::new(vec![
        (1, MultiPolygon(vec![broken])),
        (2, MultiPolygon(vec![square(5.0, 5.0, 1.0)])),
    ]);
    assert_eq!(index.locate(0.5, 0.5), None);
    assert_eq!(index.locate(5.5, 5.5), Some(2));
}

#[test]
fn overlapping_regions_resolve_to_the_lowest_id() {
    let index = RegionIndex::new(vec![
        (20, MultiPolygon(vec![square(0.0, 0.0, 4.0)])),
        (10, MultiPolygon(vec![square(1.0, 1.0, 1.0)])),
    ]);
    assert_eq!(index.locate(1.5, 1.5), Some(10));
    assert_eq!(index.locate(3.0, 3.0), Some(20));
}

#[test]
fn every_part_of_a_multipart_region_counts() {
    let parts = MultiPolygon(vec![square(0.0, 0.0, 1.0), square(178.0, 50.0, 1.0)]);
    let index = RegionIndex::new(vec![(5, parts)]);
    assert_eq!(index.locate(178.5, 50.5), Some(5));
    assert_eq!(index.locate(90.0, 25.0), None, "between the parts");
}

/// A tiling of `columns × rows` districts whose vertical borders wiggle, sampled at `samples` points per border,
/// like real district lines; neighbours share exactly the same vertices.
fn wiggly_districts(columns: usize, rows: usize, samples: usize) -> Vec<(i64, MultiPolygon<f64>)> {
    let (west, south, width, height) = (-125.0, 25.0, 58.0, 24.0);
    let cell_w = width / columns as f64;
    let cell_h = height / rows as f64;
    let border_x = |column: usize, y: f64| {
        let base = west + column as f64 * cell_w;
        if column == 0 || column == columns {
            base
        } else {
            base + 0.3 * cell_w * (y * 7.0 + column as f64).sin()
        }
    };
    let border = |column: usize, y0: f64, y1: f64| -> Vec<Coord<f64>> {
        (0..=samples)
            .map(|i| y0 + (y1 - y0) * i as f64 / samples as f64)
            .map(|y| Coord {
                x: border_x(column, y),
                y,
            })
            .collect()
    };
    let mut districts = Vec::new();
    for row in 0..rows {
        let (y0, y1) = (
            south + row as f64 * cell_h,
            south + (row + 1) as f64 * cell_h,
        );
        for column in 0..columns {
            let mut ring = border(column + 1, y0, y1);
            ring.extend(border(column, y0, y1).into_iter().rev());
            ring.push(ring[0]);
            let id = (row * columns + column) as i64;
            districts.push((
                id,
                MultiPolygon(vec![Polygon::new(LineString(ring), Vec::new())]),
            ));
        }
    }
    districts
}

fn pseudo_random_points(count: usize) -> Vec<(f64, f64)> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..count)
        .map(|_| (-125.0 + 58.0 * next(), 25.0 + 24.0 * next()))
        .collect()
}

#[test]
fn agrees_with_brute_force_on_wiggly_districts() {
    let districts = wiggly_districts(29, 15, 50);
    let index = RegionIndex::new(districts.clone());
    for (lon, lat) in pseudo_random_points(2_000) {
        let point = Coord { x: lon, y: lat };
        let expected = districts
            .iter()
            .filter(|(_, g)| g.intersects(&point))
            .map(|(id, _)| *id)
            .min();
        assert!(expected.is_some(), "the tiling covers its box");
        assert_eq!(index.locate(lon, lat), expected, "({lon}, {lat})");
    }
}

/// Throughput check for the lead's benchmark notes: 1M lookups against 435 districts of 2,000 vertices each.
/// Run with `cargo test --release -p canvass-audience -- --ignored locate_throughput --nocapture`.
#[test]
#[ignore = "timing; run by hand in release mode"]
fn locate_throughput() {
    let index = RegionIndex::new(wiggly_districts(29, 15, 1_000));
    let points = pseudo_random_points(1_000_000);
    let started = Instant::now();
    let located = points
        .iter()
        .filter(|(lon, lat)| index.locate(*lon, *lat).is_some())
        .count();
    let elapsed = started.elapsed();
    println!(
        "{} lookups against {} districts in {elapsed:?}",
        points.len(),
        index.len()
    );
    assert_eq!(located, points.len());
}

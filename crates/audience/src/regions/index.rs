//! Point-in-polygon lookup over one layer: which region holds a contact's longitude/latitude.
//!
//! An R-tree of bounding boxes, one per polygon part (not per region: a coastal district's islands would
//! otherwise stretch its box over open sea), narrows a lookup to a few parts. Each part then answers with geo's
//! interval-tree polygon, which finds the edges at the point's latitude in O(log n) rather than walking all of
//! them.

use std::fmt;

use geo::indexed::IntervalTreeMultiPolygon;
use geo::orient::{Direction, Orient};
use geo::{BoundingRect, Contains, Coord, Intersects, MultiPolygon, Polygon};
use rstar::{AABB, RTree, RTreeObject};

/// Finds the region holding a point, among one layer's regions identified by their store ids.
///
/// A point inside a region's interior gets that region; when several interiors hold it (overlapping layers such
/// as media markets) the lowest id wins. A point on a border, in no interior, goes to the lowest id among the
/// regions whose border it is on. So every answer is deterministic, whatever order regions were given in.
pub struct RegionIndex {
    tree: RTree<PartBox>,
    parts: Vec<Part>,
    regions: usize,
}

struct Part {
    region_id: i64,
    /// Answers "strictly inside?" fast; borders are not inside.
    interior: IntervalTreeMultiPolygon<f64>,
    /// Kept for the rare point on a border, which the interval tree does not report.
    polygon: Polygon<f64>,
}

struct PartBox {
    envelope: AABB<[f64; 2]>,
    part: usize,
}

impl RTreeObject for PartBox {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

impl RegionIndex {
    /// Builds the index from `(store id, geometry)` pairs.
    pub fn new(regions: Vec<(i64, MultiPolygon<f64>)>) -> Self {
        let count = regions.len();
        let mut parts = Vec::new();
        let mut boxes = Vec::new();
        for (region_id, geometry) in regions {
            for polygon in geometry {
                // Geometry from the readers is checked, but a non-finite box would upset the R-tree's ordering.
                let Some(rect) = polygon.bounding_rect() else {
                    continue;
                };
                let corners = [rect.min().x, rect.min().y, rect.max().x, rect.max().y];
                if !corners.iter().all(|c| c.is_finite()) {
                    continue;
                }
                // The interval tree counts winding numbers, so a hole must wind against its exterior.
                let polygon = polygon.orient(Direction::Default);
                let interior = IntervalTreeMultiPolygon::new(&MultiPolygon(vec![polygon.clone()]));
                boxes.push(PartBox {
                    envelope: AABB::from_corners(
                        [rect.min().x, rect.min().y],
                        [rect.max().x, rect.max().y],
                    ),
                    part: parts.len(),
                });
                parts.push(Part {
                    region_id,
                    interior,
                    polygon,
                });
            }
        }
        Self {
            tree: RTree::bulk_load(boxes),
            parts,
            regions: count,
        }
    }

    /// The id of the region holding the point, if any (see the type's documentation for ties).
    pub fn locate(&self, lon: f64, lat: f64) -> Option<i64> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let point = Coord { x: lon, y: lat };
        let here = AABB::from_point([lon, lat]);
        let candidates = || {
            self.tree
                .locate_in_envelope_intersecting(here)
                .map(|b| &self.parts[b.part])
        };
        let inside = candidates()
            .filter(|part| part.interior.contains(&point))
            .map(|part| part.region_id)
            .min();
        if inside.is_some() {
            return inside;
        }
        candidates()
            .filter(|part| part.polygon.intersects(&point))
            .map(|part| part.region_id)
            .min()
    }

    /// How many regions the index was built from.
    pub fn len(&self) -> usize {
        self.regions
    }

    /// Whether the index was built from no regions.
    pub fn is_empty(&self) -> bool {
        self.regions == 0
    }
}

impl fmt::Debug for RegionIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegionIndex")
            .field("regions", &self.regions)
            .field("parts", &self.parts.len())
            .finish()
    }
}

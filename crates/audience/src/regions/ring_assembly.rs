//! Turning a shapefile record's rings into polygons.
//!
//! A shapefile polygon record is a flat list of rings: outer rings run clockwise and holes counter-clockwise, but
//! nothing says which outer ring a hole belongs to. Each hole goes to the smallest outer ring that holds it, which
//! is right for islands inside lakes inside islands too.

use geo::{
    Area, BoundingRect, Coord, CoordinatePosition, LineString, Polygon, Rect,
    coordinate_position::CoordPos,
};

use super::layer_builder::oriented;

struct Shell {
    outline: Polygon<f64>,
    bounds: Rect<f64>,
    area: f64,
    holes: Vec<LineString<f64>>,
}

/// A shapefile ring, marked `true` when it is an outer ring (clockwise in the file).
pub(super) type MarkedRing = (bool, LineString<f64>);

/// Polygons from marked rings. A hole that no outer ring holds becomes a polygon of its own, since that
/// is usually an outer ring written with the wrong winding.
pub(super) fn assemble_polygons(rings: Vec<MarkedRing>) -> Vec<Polygon<f64>> {
    let (outers, inners): (Vec<_>, Vec<_>) = rings.into_iter().partition(|(outer, _)| *outer);
    let mut shells: Vec<Shell> = outers
        .into_iter()
        .filter_map(|(_, ring)| shell(ring))
        .collect();
    let mut orphans = Vec::new();
    for (_, hole) in inners {
        match smallest_shell_holding(&shells, &hole) {
            Some(index) => shells[index].holes.push(hole),
            None => orphans.push(hole),
        }
    }
    let mut polygons: Vec<Polygon<f64>> = shells
        .into_iter()
        .map(|shell| oriented(shell.outline.into_inner().0, shell.holes))
        .collect();
    polygons.extend(orphans.into_iter().map(|ring| oriented(ring, Vec::new())));
    polygons
}

fn shell(ring: LineString<f64>) -> Option<Shell> {
    let bounds = ring.bounding_rect()?;
    let outline = Polygon::new(ring, Vec::new());
    let area = outline.unsigned_area();
    Some(Shell {
        outline,
        bounds,
        area,
        holes: Vec::new(),
    })
}

fn smallest_shell_holding(shells: &[Shell], hole: &LineString<f64>) -> Option<usize> {
    let hole_bounds = hole.bounding_rect()?;
    let probe = hole.0.first().copied()?;
    shells
        .iter()
        .enumerate()
        .filter(|(_, shell)| contains_rect(shell.bounds, hole_bounds))
        .filter(|(_, shell)| shell.outline.coordinate_position(&probe) != CoordPos::Outside)
        .min_by(|(_, a), (_, b)| a.area.total_cmp(&b.area))
        .map(|(index, _)| index)
}

fn contains_rect(outer: Rect<f64>, inner: Rect<f64>) -> bool {
    let (o_min, o_max, i_min, i_max): (Coord<f64>, Coord<f64>, Coord<f64>, Coord<f64>) =
        (outer.min(), outer.max(), inner.min(), inner.max());
    o_min.x <= i_min.x && o_min.y <= i_min.y && o_max.x >= i_max.x && o_max.y >= i_max.y
}

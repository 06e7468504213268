// Planar geometry on longitude/latitude degrees. County polygons are small enough that treating degrees as a
// plane only matters within metres of a boundary, far below the simplification error of the 10m atlas itself.
'use strict';

/** Ray casting: is [x, y] inside the closed ring (array of [x, y])? */
function insideRing(x, y, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Polygons of a GeoJSON Polygon or MultiPolygon geometry, each an array of rings (outer first, then holes). */
function polygonsOf(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

function containsPoint(polygons, x, y) {
  return polygons.some(([outer, ...holes]) => insideRing(x, y, outer) && !holes.some((h) => insideRing(x, y, h)));
}

/** Distance in kilometres from a point to the nearest edge of the polygons (0 inside), equirectangular. */
function distanceKm(polygons, lon, lat) {
  if (containsPoint(polygons, lon, lat)) return 0;
  const kx = 111.32 * Math.cos((lat * Math.PI) / 180);
  const ky = 110.57;
  let best = Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        best = Math.min(best, segmentDistance(lon, lat, ring[i - 1], ring[i], kx, ky));
      }
    }
  }
  return best;
}

function segmentDistance(lon, lat, [ax, ay], [bx, by], kx, ky) {
  const px = (lon - ax) * kx;
  const py = (lat - ay) * ky;
  const dx = (bx - ax) * kx;
  const dy = (by - ay) * ky;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
  return Math.hypot(px - t * dx, py - t * dy);
}

function bboxOf(polygons) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygons) {
    for (const [x, y] of polygon[0]) {
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return box;
}

/** Area-weighted centroid of the largest outer ring: a point that is inside for all but odd shapes. */
function mainCentroid(polygons) {
  let best = null;
  for (const [outer] of polygons) {
    let area = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
      const cross = outer[j][0] * outer[i][1] - outer[i][0] * outer[j][1];
      area += cross;
      cx += (outer[j][0] + outer[i][0]) * cross;
      cy += (outer[j][1] + outer[i][1]) * cross;
    }
    if (area !== 0 && (!best || Math.abs(area) > best.area)) {
      best = { area: Math.abs(area), lon: cx / (3 * area), lat: cy / (3 * area) };
    }
  }
  return best;
}

module.exports = { polygonsOf, containsPoint, distanceKm, bboxOf, mainCentroid };

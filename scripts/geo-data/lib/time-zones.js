// Time zone per point from geo-tz's "comprehensive" product: exact point-in-polygon against the
// timezone-boundary-builder shapes, with one identifier per tzdb zone (so America/Indiana/* and
// America/Kentucky/* survive rather than being merged into a bigger zone).
'use strict';
const { find } = require('geo-tz/all');

/** The IANA zone at the point, or null at sea (Etc/GMT±N), where the caller falls back to the county's zone. */
function zoneAt(lat, lon) {
  const zones = find(lat, lon).filter((z) => !z.startsWith('Etc/'));
  // More than one zone only happens exactly on a boundary line; take the first, as geo-tz orders them.
  return zones.length > 0 ? zones[0] : null;
}

/** Most frequent value in a list; ties go to the alphabetically first, so that reruns agree. */
function mostCommon(values) {
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = null;
  for (const [v, n] of counts) {
    if (best === null || n > counts.get(best) || (n === counts.get(best) && v < best)) best = v;
  }
  return best;
}

module.exports = { zoneAt, mostCommon };

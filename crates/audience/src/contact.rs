//! A contact as the import produces it and the store keeps it.

use crate::geo::GeoSource;
use canvass_types::Msisdn;
use jiff::Timestamp;
use serde_json::{Map, Value};

/// Where and when a contact agreed to receive messages, and the evidence (form text, keyword, call notes).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Consent {
    /// Where consent was collected, e.g. `web-form:volunteer-signup`.
    pub source: Option<String>,
    /// When it was given.
    pub at: Option<Timestamp>,
    /// The words the person agreed to.
    pub evidence: Option<String>,
}

impl Consent {
    /// True when no consent field was given.
    pub fn is_empty(&self) -> bool {
        self.source.is_none() && self.at.is_none() && self.evidence.is_none()
    }
}

/// A contact's membership of one region of an imported layer, and how it was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionAssignment {
    /// The region layer (`region_layers.id`).
    pub layer_id: i64,
    /// The region within it (`regions.id`).
    pub region_id: i64,
    /// Whether the contact's own point or its ZIP centroid was used.
    pub method: GeoSource,
}

/// One contact, normalised and enriched, ready to be merged into the store by phone number.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRecord {
    /// The 1-based line of the source file it came from, for messages about it.
    pub line: u64,
    /// E.164 phone number: the merge key, unique per tenant.
    pub phone: Msisdn,
    /// Given (first) name.
    pub given_name: Option<String>,
    /// Family (last) name.
    pub family_name: Option<String>,
    /// Street address, kept as written.
    pub street: Option<String>,
    /// Five-digit ZIP.
    pub zip: Option<String>,
    /// USPS state code.
    pub state: Option<String>,
    /// Five-digit county FIPS.
    pub county_fips: Option<String>,
    /// County name.
    pub county_name: Option<String>,
    /// Best known latitude.
    pub lat: Option<f64>,
    /// Best known longitude.
    pub lon: Option<f64>,
    /// How the location was found.
    pub geo_source: Option<GeoSource>,
    /// IANA time zone, used for quiet hours.
    pub time_zone: Option<String>,
    /// Custom attributes: unmapped columns, numbers stored as JSON numbers.
    pub attrs: Map<String, Value>,
    /// Issue tags, lower-case.
    pub issues: Vec<String>,
    /// An opt-out recorded in the file. Importing never clears an existing opt-out.
    pub opted_out: bool,
    /// Consent evidence from the file.
    pub consent: Consent,
    /// Region memberships computed at import.
    pub regions: Vec<RegionAssignment>,
}

impl ContactRecord {
    /// Folds a later row for the same phone into this one: later non-empty values win, issues and attributes are
    /// unioned, and an opt-out sticks.
    pub fn merge_from(&mut self, later: ContactRecord) {
        fn take<T>(into: &mut Option<T>, from: Option<T>) {
            if from.is_some() {
                *into = from;
            }
        }
        self.line = later.line;
        take(&mut self.given_name, later.given_name);
        take(&mut self.family_name, later.family_name);
        take(&mut self.street, later.street);
        if later.geo_source.is_some() {
            self.zip = later.zip;
            self.state = later.state;
            self.county_fips = later.county_fips;
            self.county_name = later.county_name;
            self.lat = later.lat;
            self.lon = later.lon;
            self.geo_source = later.geo_source;
            self.time_zone = later.time_zone;
            self.regions = later.regions;
        }
        self.attrs.extend(later.attrs);
        for issue in later.issues {
            if !self.issues.contains(&issue) {
                self.issues.push(issue);
            }
        }
        self.opted_out |= later.opted_out;
        if !later.consent.is_empty() {
            self.consent = later.consent;
        }
    }
}

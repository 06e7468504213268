//! One CSV row → a normalised, enriched [`ContactRecord`], or the reason it is rejected.

use super::mapping::{ColumnMap, Field, issue_name};
use super::text::{Encoding, decode_cell};
use crate::contact::{Consent, ContactRecord, RegionAssignment};
use crate::geo::{self, GeoSource};
use crate::phone::parse_phone;
use serde_json::{Map, Number, Value};
use std::sync::Arc;

/// Finds the regions containing a point: `(layer_id, region_id)` for each layer that has one there.
pub type RegionLocator = Arc<dyn Fn(f64, f64) -> Vec<(i64, i64)> + Send + Sync>;

/// Turns raw rows into contacts with one column map.
pub struct RowParser {
    map: ColumnMap,
    headers: Vec<String>,
    encoding: Encoding,
    locator: Option<RegionLocator>,
}

/// Cells of one row, decoded and trimmed, by field.
#[derive(Default)]
struct Cells {
    phone: String,
    given_name: Option<String>,
    family_name: Option<String>,
    street: Option<String>,
    zip: Option<String>,
    state: Option<String>,
    lat: Option<String>,
    lon: Option<String>,
    opted_out: bool,
    consent: Consent,
    issues: Vec<String>,
    attrs: Map<String, Value>,
}

impl RowParser {
    /// A parser for rows laid out as `headers`, mapped by `map`.
    pub fn new(
        map: ColumnMap,
        headers: Vec<String>,
        encoding: Encoding,
        locator: Option<RegionLocator>,
    ) -> Self {
        RowParser {
            map,
            headers,
            encoding,
            locator,
        }
    }

    /// Parses one row; `line` is its 1-based line in the file.
    pub fn parse(&self, line: u64, record: &csv::ByteRecord) -> Result<ContactRecord, String> {
        if record.len() != self.map.fields.len() {
            return Err(format!(
                "wrong column count: expected {}, found {}",
                self.map.fields.len(),
                record.len()
            ));
        }
        let cells = self.cells(record)?;
        let phone = parse_phone(&cells.phone).map_err(|e| format!("bad phone: {e}"))?;
        let mut contact = ContactRecord {
            line,
            phone: phone.msisdn,
            given_name: cells.given_name,
            family_name: cells.family_name,
            street: cells.street,
            zip: None,
            state: None,
            county_fips: None,
            county_name: None,
            lat: None,
            lon: None,
            geo_source: None,
            time_zone: None,
            attrs: cells.attrs,
            issues: cells.issues,
            opted_out: cells.opted_out,
            consent: cells.consent,
            regions: Vec::new(),
        };
        if let Some(raw) = cells.zip {
            let zip = geo::normalize_zip(&raw)
                .ok_or_else(|| format!("bad ZIP: {raw:?} is not a ZIP code"))?;
            if let Some(info) = geo::zip_info(&zip) {
                contact.state = Some(info.state.to_owned());
                contact.county_fips = Some(info.county_fips.to_owned());
                contact.county_name = Some(info.county_name.to_owned());
                contact.lat = Some(info.lat);
                contact.lon = Some(info.lon);
                contact.time_zone = Some(info.time_zone.to_owned());
                contact.geo_source = Some(GeoSource::Zip);
            }
            // A well-formed ZIP we have no centroid for (rare) is kept; the area code fills in below.
            contact.zip = Some(zip);
        }
        if let Some((lat, lon)) = parse_point(cells.lat.as_deref(), cells.lon.as_deref())? {
            contact.lat = Some(lat);
            contact.lon = Some(lon);
            contact.geo_source = Some(GeoSource::Point);
        }
        if contact.state.is_none() {
            contact.state = cells.state.map(|s| s.to_uppercase());
        }
        if contact.time_zone.is_none()
            && let Some(area) = phone.area_code.as_deref().and_then(geo::area_code)
        {
            contact.state.get_or_insert_with(|| area.state.to_owned());
            contact.time_zone = Some(area.time_zone.to_owned());
            contact.geo_source.get_or_insert(GeoSource::AreaCode);
        }
        if let (Some(locate), Some(lat), Some(lon)) = (&self.locator, contact.lat, contact.lon) {
            let method = contact.geo_source.unwrap_or(GeoSource::Zip);
            contact.regions = locate(lon, lat)
                .into_iter()
                .map(|(layer_id, region_id)| RegionAssignment {
                    layer_id,
                    region_id,
                    method,
                })
                .collect();
        }
        Ok(contact)
    }

    fn cells(&self, record: &csv::ByteRecord) -> Result<Cells, String> {
        let mut cells = Cells::default();
        for ((field, bytes), header) in self.map.fields.iter().zip(record.iter()).zip(&self.headers)
        {
            if *field == Field::Ignore {
                continue;
            }
            let text = decode_cell(bytes, self.encoding)
                .map_err(|e| format!("{e} (column {header:?})"))?;
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let owned = || Some(text.to_owned());
            match field {
                Field::Phone => cells.phone = text.to_owned(),
                Field::GivenName => cells.given_name = owned(),
                Field::FamilyName => cells.family_name = owned(),
                Field::Street => cells.street = owned(),
                Field::Zip => cells.zip = owned(),
                Field::State => cells.state = owned(),
                Field::Lat => cells.lat = owned(),
                Field::Lon => cells.lon = owned(),
                Field::Issues => {
                    for issue in text
                        .split([';', '|', ','])
                        .map(issue_name)
                        .filter(|i| !i.is_empty())
                    {
                        push_unique(&mut cells.issues, issue);
                    }
                }
                Field::Issue(name) => {
                    if parse_flag(text, header)? {
                        push_unique(&mut cells.issues, name.clone());
                    }
                }
                Field::OptedOut => cells.opted_out = parse_flag(text, header)?,
                Field::ConsentSource => cells.consent.source = owned(),
                Field::ConsentEvidence => cells.consent.evidence = owned(),
                Field::ConsentAt => {
                    let at = super::dates::parse_timestamp(text).ok_or_else(|| {
                        format!(
                            "bad consent_at: {text:?} is not a date or time (column {header:?})"
                        )
                    })?;
                    cells.consent.at = Some(at);
                }
                Field::Attr(name) => {
                    cells.attrs.insert(name.clone(), attr_value(text));
                }
                Field::Ignore => {}
            }
        }
        Ok(cells)
    }
}

fn push_unique(issues: &mut Vec<String>, issue: String) {
    if !issues.contains(&issue) {
        issues.push(issue);
    }
}

fn parse_flag(text: &str, header: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" | "t" | "x" => Ok(true),
        "0" | "false" | "no" | "n" | "f" => Ok(false),
        _ => Err(format!("bad yes/no value {text:?} in column {header:?}")),
    }
}

fn parse_point(lat: Option<&str>, lon: Option<&str>) -> Result<Option<(f64, f64)>, String> {
    match (lat, lon) {
        (None, None) => Ok(None),
        (Some(lat), Some(lon)) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(la), Ok(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {
                Ok(Some((la, lo)))
            }
            _ => Err(format!(
                "bad lat/lon: {lat:?}, {lon:?} is not a point on Earth"
            )),
        },
        _ => Err("bad lat/lon: one of latitude and longitude is missing".to_owned()),
    }
}

/// Numbers are stored as JSON numbers so that `attr.age >= 30` compares numerically; everything else is text.
fn attr_value(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
        return Value::Number(n);
    }
    Value::String(text.to_owned())
}

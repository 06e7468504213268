//! Which CSV column feeds which contact field: guessed from common header names, overridden by `--map col=field`.

use std::fmt;

/// A destination for one column's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// The phone number (required).
    Phone,
    /// Given name.
    GivenName,
    /// Family name.
    FamilyName,
    /// Street address.
    Street,
    /// ZIP code.
    Zip,
    /// State, used only when the ZIP does not give one.
    State,
    /// Latitude of the contact's own address.
    Lat,
    /// Longitude of the contact's own address.
    Lon,
    /// A delimited list of issues (`healthcare;economy`).
    Issues,
    /// A yes/no column for one named issue.
    Issue(String),
    /// A yes/no opt-out flag.
    OptedOut,
    /// Where consent was collected.
    ConsentSource,
    /// When consent was given.
    ConsentAt,
    /// The consent language agreed to.
    ConsentEvidence,
    /// A custom attribute with this name.
    Attr(String),
    /// Not imported.
    Ignore,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Phone => f.write_str("phone"),
            Field::GivenName => f.write_str("first_name"),
            Field::FamilyName => f.write_str("last_name"),
            Field::Street => f.write_str("street"),
            Field::Zip => f.write_str("zip"),
            Field::State => f.write_str("state"),
            Field::Lat => f.write_str("lat"),
            Field::Lon => f.write_str("lon"),
            Field::Issues => f.write_str("issues"),
            Field::Issue(name) => write!(f, "issue:{name}"),
            Field::OptedOut => f.write_str("opted_out"),
            Field::ConsentSource => f.write_str("consent_source"),
            Field::ConsentAt => f.write_str("consent_at"),
            Field::ConsentEvidence => f.write_str("consent_evidence"),
            Field::Attr(name) => write!(f, "attr:{name}"),
            Field::Ignore => f.write_str("ignore"),
        }
    }
}

/// The field names `--map` accepts, for error messages.
pub const MAP_TARGETS: &str = "phone, first_name, last_name, street, zip, state, lat, lon, issues, issue:NAME, \
                               opted_out, consent_source, consent_at, consent_evidence, attr:NAME, ignore";

impl Field {
    /// Parses the right-hand side of `--map col=field`.
    pub fn parse_target(s: &str) -> Option<Field> {
        let s = s.trim();
        if let Some(name) = s.strip_prefix("issue:") {
            let name = issue_name(name);
            return (!name.is_empty()).then_some(Field::Issue(name));
        }
        if let Some(name) = s.strip_prefix("attr:") {
            let name = attr_name(name);
            return (!name.is_empty()).then_some(Field::Attr(name));
        }
        Some(match s {
            "phone" => Field::Phone,
            "first_name" | "given_name" => Field::GivenName,
            "last_name" | "family_name" => Field::FamilyName,
            "street" | "address" => Field::Street,
            "zip" => Field::Zip,
            "state" => Field::State,
            "lat" => Field::Lat,
            "lon" => Field::Lon,
            "issues" => Field::Issues,
            "opted_out" => Field::OptedOut,
            "consent_source" => Field::ConsentSource,
            "consent_at" => Field::ConsentAt,
            "consent_evidence" => Field::ConsentEvidence,
            "ignore" => Field::Ignore,
            _ => return None,
        })
    }

    /// Guesses a field from a header as voter files and CRMs write them (`Cell Phone`, `firstName`, `ZIP5`, …).
    /// Headers nobody recognises become custom attributes, so `attr.age` works for an `Age` column.
    pub fn guess(header: &str) -> Field {
        let key: String = header
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "phone" | "phonenumber" | "phone1" | "cell" | "cellphone" | "cellphonenumber"
            | "mobile" | "mobilephone" | "mobilenumber" | "wireless" | "wirelessphone"
            | "msisdn" | "tel" | "telephone" => Field::Phone,
            "firstname" | "first" | "givenname" | "fname" | "forename" => Field::GivenName,
            "lastname" | "last" | "surname" | "familyname" | "lname" => Field::FamilyName,
            "address" | "street" | "streetaddress" | "address1" | "addressline1" | "addr"
            | "residentialaddress" => Field::Street,
            "zip" | "zip5" | "zipcode" | "postalcode" | "postcode" | "zip4" => Field::Zip,
            "state" | "st" | "statecode" | "stateabbr" => Field::State,
            "lat" | "latitude" => Field::Lat,
            "lon" | "lng" | "long" | "longitude" => Field::Lon,
            "issues" | "issue" | "tags" | "interests" | "topics" => Field::Issues,
            "optedout" | "optout" | "dnc" | "donotcontact" | "unsubscribed" => Field::OptedOut,
            "consentsource" | "optinsource" => Field::ConsentSource,
            "consentat" | "consentdate" | "consenttime" | "optindate" | "optedinat" => {
                Field::ConsentAt
            }
            "consentevidence" | "consenttext" | "consentlanguage" | "optintext" => {
                Field::ConsentEvidence
            }
            _ => {
                let lower = header.trim().to_lowercase();
                for prefix in ["issue_", "issue:", "issue "] {
                    if let Some(name) = lower.strip_prefix(prefix) {
                        let name = issue_name(name);
                        if !name.is_empty() {
                            return Field::Issue(name);
                        }
                    }
                }
                match attr_name(header) {
                    name if name.is_empty() => Field::Ignore,
                    name => Field::Attr(name),
                }
            }
        }
    }
}

/// Issue tags compare case-insensitively and ignore spacing: `Gun Safety ` and `gun  safety` are one issue.
pub fn issue_name(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Attribute names are snake_case identifiers, so that `attr.party_affiliation` can be written in a segment.
pub fn attr_name(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// Errors in a column mapping; each names the column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// `--map` names a column the file does not have.
    #[error("--map names column {column:?}, but the file's columns are: {available}")]
    UnknownColumn {
        /// The column asked for.
        column: String,
        /// The header, joined.
        available: String,
    },
    /// `--map` names a field we do not know.
    #[error("--map {column}={target}: unknown field {target:?}; fields are: {MAP_TARGETS}")]
    UnknownField {
        /// The column.
        column: String,
        /// The unknown target.
        target: String,
    },
    /// `--map` is not `col=field`.
    #[error("--map {0:?} is not of the form COLUMN=FIELD")]
    BadSyntax(String),
    /// No column gives the phone number.
    #[error(
        "no phone column: the file's columns are {available}; name one with --map COLUMN=phone"
    )]
    NoPhone {
        /// The header, joined.
        available: String,
    },
    /// Two columns feed one single-valued field.
    #[error(
        "columns {first:?} and {second:?} both map to {field}; choose one, e.g. --map {second}=ignore"
    )]
    Ambiguous {
        /// The field.
        field: String,
        /// The first column.
        first: String,
        /// The second column.
        second: String,
    },
}

/// The field for every column of a file, in column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// One entry per column.
    pub fields: Vec<Field>,
}

impl ColumnMap {
    /// Guesses from the header, then applies `--map` overrides, then checks the result.
    pub fn build(headers: &[String], overrides: &[String]) -> Result<ColumnMap, MappingError> {
        let mut fields: Vec<Field> = headers.iter().map(|h| Field::guess(h)).collect();
        let available = || headers.join(", ");
        for spec in overrides {
            let (column, target) = spec
                .split_once('=')
                .ok_or_else(|| MappingError::BadSyntax(spec.clone()))?;
            let index = headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(column.trim()))
                .ok_or_else(|| MappingError::UnknownColumn {
                    column: column.to_owned(),
                    available: available(),
                })?;
            fields[index] =
                Field::parse_target(target).ok_or_else(|| MappingError::UnknownField {
                    column: column.to_owned(),
                    target: target.to_owned(),
                })?;
        }
        for (i, field) in fields.iter().enumerate() {
            let repeatable = matches!(field, Field::Issues | Field::Ignore);
            if repeatable {
                continue;
            }
            if let Some(j) = fields[..i].iter().position(|f| f == field) {
                return Err(MappingError::Ambiguous {
                    field: field.to_string(),
                    first: headers[j].clone(),
                    second: headers[i].clone(),
                });
            }
        }
        if !fields.contains(&Field::Phone) {
            return Err(MappingError::NoPhone {
                available: available(),
            });
        }
        Ok(ColumnMap { fields })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn guesses_common_headers() {
        let map = ColumnMap::build(
            &headers(&[
                "Cell Phone",
                "firstName",
                "LAST_NAME",
                "ZIP5",
                "Issues",
                "issue_Gun Safety",
                "Age",
            ]),
            &[],
        )
        .expect("maps");
        assert_eq!(
            map.fields,
            vec![
                Field::Phone,
                Field::GivenName,
                Field::FamilyName,
                Field::Zip,
                Field::Issues,
                Field::Issue("gun safety".into()),
                Field::Attr("age".into()),
            ]
        );
    }

    #[test]
    fn overrides_win_and_are_checked() {
        let h = headers(&["home", "cell", "Party Code"]);
        let map = ColumnMap::build(&h, &["home=phone".into(), "cell=ignore".into()]).expect("maps");
        assert_eq!(
            map.fields,
            vec![
                Field::Phone,
                Field::Ignore,
                Field::Attr("party_code".into())
            ]
        );
        assert!(matches!(
            ColumnMap::build(&h, &["nope=phone".into()]),
            Err(MappingError::UnknownColumn { .. })
        ));
        assert!(matches!(
            ColumnMap::build(&h, &["home=fone".into()]),
            Err(MappingError::UnknownField { .. })
        ));
        assert!(matches!(
            ColumnMap::build(&h, &["home".into()]),
            Err(MappingError::BadSyntax(_))
        ));
    }

    #[test]
    fn refuses_missing_and_ambiguous_phone_columns() {
        let err = ColumnMap::build(&headers(&["name", "zip"]), &[]).expect_err("no phone");
        assert_eq!(
            err.to_string(),
            "no phone column: the file's columns are name, zip; name one with --map COLUMN=phone"
        );
        let err = ColumnMap::build(&headers(&["phone", "cell"]), &[]).expect_err("two phones");
        assert!(err.to_string().contains("--map cell=ignore"), "{err}");
    }
}

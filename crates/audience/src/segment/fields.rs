//! The catalogue of fields and functions a segment may use, for the checker and for dashboard autocomplete.

use serde::Serialize;

/// What kind of value a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Text, compared exactly (`state` case-insensitively).
    Text,
    /// true or false.
    Bool,
    /// A set of issue names, tested with `"x" in issues`.
    IssueSet,
    /// A custom JSON attribute, compared as a number, text or boolean according to the literal.
    Attribute,
    /// The name of the region of one imported layer that holds the contact.
    Region,
}

impl FieldType {
    /// How the type reads in messages: "`state` is text".
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Bool => "a boolean",
            FieldType::IssueSet => "a set of issue names",
            FieldType::Attribute => "a custom attribute",
            FieldType::Region => "a region name",
        }
    }
}

/// One field, as offered to autocomplete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FieldInfo {
    /// The name to type. `attr.NAME` and `region.KIND` are patterns.
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
    /// One line for people.
    pub description: &'static str,
}

/// One function, as offered to autocomplete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FunctionInfo {
    /// Its name.
    pub name: &'static str,
    /// How a call reads.
    pub signature: &'static str,
    /// One line for people.
    pub description: &'static str,
}

/// A column of `contacts` that a plain field reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Column {
    /// The canonical field name, for messages.
    pub field: &'static str,
    /// The column of `contacts`, without the alias.
    pub column: &'static str,
    pub ty: FieldType,
    /// Whether literals are upper-cased before comparing (state codes).
    pub upper_case: bool,
}

const fn column(field: &'static str, column: &'static str, ty: FieldType) -> Column {
    Column {
        field,
        column,
        ty,
        upper_case: false,
    }
}

/// Plain fields and their aliases: (name typed, column read).
pub(crate) const COLUMNS: &[(&str, Column)] = &[
    ("phone", column("phone", "phone", FieldType::Text)),
    (
        "first_name",
        column("first_name", "given_name", FieldType::Text),
    ),
    (
        "given_name",
        column("first_name", "given_name", FieldType::Text),
    ),
    (
        "last_name",
        column("last_name", "family_name", FieldType::Text),
    ),
    (
        "family_name",
        column("last_name", "family_name", FieldType::Text),
    ),
    ("zip", column("zip", "zip", FieldType::Text)),
    (
        "state",
        Column {
            field: "state",
            column: "state",
            ty: FieldType::Text,
            upper_case: true,
        },
    ),
    ("county", column("county", "county_name", FieldType::Text)),
    (
        "county_name",
        column("county", "county_name", FieldType::Text),
    ),
    (
        "county_fips",
        column("county_fips", "county_fips", FieldType::Text),
    ),
    (
        "time_zone",
        column("time_zone", "time_zone", FieldType::Text),
    ),
    (
        "opted_out",
        column("opted_out", "opted_out", FieldType::Bool),
    ),
];

/// The field that holds issue tags.
pub(crate) const ISSUES: &str = "issues";
/// The prefix of custom attributes.
pub(crate) const ATTR: &str = "attr";
/// The prefix of region memberships.
pub(crate) const REGION: &str = "region";
/// `district` means `region.congressional_district`.
pub(crate) const DISTRICT_ALIAS: (&str, &str) = ("district", "congressional_district");

static FIELDS: &[FieldInfo] = &[
    FieldInfo {
        name: "phone",
        ty: FieldType::Text,
        description: "Phone number in E.164, e.g. \"+12155550100\"",
    },
    FieldInfo {
        name: "first_name",
        ty: FieldType::Text,
        description: "Given name (alias: given_name)",
    },
    FieldInfo {
        name: "last_name",
        ty: FieldType::Text,
        description: "Family name (alias: family_name)",
    },
    FieldInfo {
        name: "zip",
        ty: FieldType::Text,
        description: "Five-digit ZIP code, e.g. \"19103\"",
    },
    FieldInfo {
        name: "state",
        ty: FieldType::Text,
        description: "Two-letter state code, any case, e.g. \"PA\"",
    },
    FieldInfo {
        name: "county",
        ty: FieldType::Text,
        description: "County name (alias: county_name)",
    },
    FieldInfo {
        name: "county_fips",
        ty: FieldType::Text,
        description: "Five-digit county FIPS code, e.g. \"42101\"",
    },
    FieldInfo {
        name: "time_zone",
        ty: FieldType::Text,
        description: "IANA time zone, e.g. \"America/New_York\"",
    },
    FieldInfo {
        name: "opted_out",
        ty: FieldType::Bool,
        description: "Whether the contact has opted out",
    },
    FieldInfo {
        name: "issues",
        ty: FieldType::IssueSet,
        description: "Issues the contact cares about: \"healthcare\" in issues, any_issue(\"a\", \"b\")",
    },
    FieldInfo {
        name: "attr.NAME",
        ty: FieldType::Attribute,
        description: "Custom attribute NAME from the import, compared as number, text or boolean",
    },
    FieldInfo {
        name: "region.KIND",
        ty: FieldType::Region,
        description: "Name of the region of imported layer KIND holding the contact, e.g. region.precinct = \"12-4\"",
    },
    FieldInfo {
        name: "district",
        ty: FieldType::Region,
        description: "Congressional district (alias of region.congressional_district), e.g. \"PA-07\"",
    },
];

static FUNCTIONS: &[FunctionInfo] = &[
    FunctionInfo {
        name: "within_miles",
        signature: "within_miles(\"ZIP\", MILES) or within_miles(LAT, LON, MILES)",
        description: "Contacts within MILES of a ZIP centroid or a point",
    },
    FunctionInfo {
        name: "starts_with",
        signature: "starts_with(FIELD, \"PREFIX\")",
        description: "Text field begins with PREFIX (ASCII letters match in any case)",
    },
    FunctionInfo {
        name: "any_issue",
        signature: "any_issue(\"ISSUE\", …)",
        description: "Contact cares about at least one of the issues",
    },
];

/// Every field a segment may use, for autocomplete.
pub fn fields() -> &'static [FieldInfo] {
    FIELDS
}

/// Every function a segment may call, for autocomplete.
pub fn functions() -> &'static [FunctionInfo] {
    FUNCTIONS
}

/// The known name closest to `typed`, if it is close enough to be a plausible typo.
pub(crate) fn nearest<'a>(
    typed: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let typed = typed.to_ascii_lowercase();
    let limit = (typed.chars().count() / 3).max(1);
    known
        .into_iter()
        .map(|name| (edit_distance(&typed, &name.to_ascii_lowercase()), name))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("stat", "state"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn nearest_names() {
        let names = ["state", "zip", "county"];
        assert_eq!(nearest("stat", names), Some("state"));
        assert_eq!(nearest("STATE", names), Some("state"));
        assert_eq!(nearest("countyy", names), Some("county"));
        assert_eq!(nearest("banana", names), None);
    }

    #[test]
    fn every_catalogued_plain_field_resolves() {
        for info in fields()
            .iter()
            .filter(|f| matches!(f.ty, FieldType::Text | FieldType::Bool))
        {
            assert!(
                COLUMNS.iter().any(|(name, _)| *name == info.name),
                "{}",
                info.name
            );
        }
    }
}

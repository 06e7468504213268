//! MM7 schema namespaces (TS 23.140 §8.7.4): one per schema release, chosen per peer when writing.

use serde::{Deserialize, Serialize};

/// Prefix shared by every 3GPP MM7 schema namespace URL.
pub const NAMESPACE_BASE: &str = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/";

/// SOAP 1.1 envelope namespace.
pub const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// An MM7 schema namespace, e.g. `REL-6-MM7-1-4`.
///
/// The reader accepts any namespace (or none): a URL it does not recognise is kept as [`Namespace::Other`]
/// and written back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum Namespace {
    /// `REL-5-MM7-1-{minor}`, minor 0 to 5.
    Rel5(u8),
    /// `REL-6-MM7-1-{minor}`, minor 0 to 4.
    Rel6(u8),
    /// Any other namespace URI, kept verbatim (empty when the peer used none).
    Other(String),
}

impl Namespace {
    /// Every REL-5 and REL-6 namespace this crate writes, oldest first.
    pub const ALL: [Namespace; 11] = [
        Namespace::Rel5(0),
        Namespace::Rel5(1),
        Namespace::Rel5(2),
        Namespace::Rel5(3),
        Namespace::Rel5(4),
        Namespace::Rel5(5),
        Namespace::Rel6(0),
        Namespace::Rel6(1),
        Namespace::Rel6(2),
        Namespace::Rel6(3),
        Namespace::Rel6(4),
    ];

    /// The namespace URI, e.g. `http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4`.
    pub fn uri(&self) -> String {
        match self {
            Namespace::Rel5(minor) => format!("{NAMESPACE_BASE}REL-5-MM7-1-{minor}"),
            Namespace::Rel6(minor) => format!("{NAMESPACE_BASE}REL-6-MM7-1-{minor}"),
            Namespace::Other(uri) => uri.clone(),
        }
    }

    /// Recognises a namespace URI by its `REL-x-MM7-1-y` tail, whatever the prefix before it (peers use
    /// `http://www.3gpp.org/…`, `https`, or a bare tail). Unknown URIs become [`Namespace::Other`].
    pub fn from_uri(uri: &str) -> Namespace {
        let trimmed = uri.trim().trim_end_matches('/');
        let tail = trimmed.rsplit('/').next().unwrap_or(trimmed);
        let parse = |rest: &str, max: u8| rest.parse::<u8>().ok().filter(|minor| *minor <= max);
        let upper = tail.to_ascii_uppercase();
        if let Some(minor) = upper.strip_prefix("REL-5-MM7-1-").and_then(|r| parse(r, 5)) {
            return Namespace::Rel5(minor);
        }
        if let Some(minor) = upper.strip_prefix("REL-6-MM7-1-").and_then(|r| parse(r, 4)) {
            return Namespace::Rel6(minor);
        }
        Namespace::Other(uri.to_string())
    }

    /// The short name, e.g. `REL-6-MM7-1-4` (the whole URI for [`Namespace::Other`]).
    pub fn name(&self) -> String {
        match self {
            Namespace::Other(uri) => uri.clone(),
            known => known.uri().trim_start_matches(NAMESPACE_BASE).to_string(),
        }
    }

    /// Where this namespace stands in schema history, (release, minor): REL-5 schemas before REL-6 ones.
    /// `None` for [`Namespace::Other`], whose schema this crate does not know.
    pub fn schema_order(&self) -> Option<(u8, u8)> {
        match self {
            Namespace::Rel5(minor) => Some((5, *minor)),
            Namespace::Rel6(minor) => Some((6, *minor)),
            Namespace::Other(_) => None,
        }
    }

    /// The `MM7Version` value that usually accompanies this namespace, used when a message leaves it
    /// unset. Peers check it loosely; the pairs below are the common ones, not a normative table.
    pub fn default_mm7_version(&self) -> &'static str {
        match self {
            Namespace::Rel5(0) => "5.3.0",
            Namespace::Rel5(1) => "5.5.0",
            Namespace::Rel5(2) => "5.6.0",
            Namespace::Rel5(3) => "5.8.0",
            Namespace::Rel5(4) => "5.9.0",
            Namespace::Rel5(_) => "5.10.0",
            Namespace::Rel6(0) => "6.3.0",
            Namespace::Rel6(1) => "6.4.0",
            Namespace::Rel6(2) => "6.5.0",
            Namespace::Rel6(3) => "6.7.0",
            Namespace::Rel6(_) | Namespace::Other(_) => "6.8.0",
        }
    }
}

impl Default for Namespace {
    fn default() -> Self {
        Namespace::Rel6(4)
    }
}

impl From<Namespace> for String {
    fn from(namespace: Namespace) -> String {
        namespace.uri()
    }
}

impl From<String> for Namespace {
    fn from(uri: String) -> Namespace {
        Namespace::from_uri(&uri)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_namespace_round_trips_through_its_uri() {
        for namespace in Namespace::ALL {
            assert_eq!(Namespace::from_uri(&namespace.uri()), namespace);
        }
    }

    #[test]
    fn names_and_order() {
        assert_eq!(Namespace::Rel5(3).name(), "REL-5-MM7-1-3");
        assert_eq!(Namespace::Other("urn:x".into()).name(), "urn:x");
        let orders: Vec<_> = Namespace::ALL.iter().map(Namespace::schema_order).collect();
        assert!(
            orders.windows(2).all(|pair| pair[0] < pair[1]),
            "{orders:?}"
        );
        assert_eq!(Namespace::Other(String::new()).schema_order(), None);
    }

    #[test]
    fn recognises_tails_whatever_the_prefix() {
        assert_eq!(Namespace::from_uri("REL-5-MM7-1-2"), Namespace::Rel5(2));
        assert_eq!(
            Namespace::from_uri("https://example.com/schema/rel-6-mm7-1-3/"),
            Namespace::Rel6(3)
        );
        assert_eq!(
            Namespace::from_uri("urn:other"),
            Namespace::Other("urn:other".into())
        );
        assert_eq!(
            Namespace::from_uri("REL-6-MM7-1-9"),
            Namespace::Other("REL-6-MM7-1-9".into())
        );
    }
}

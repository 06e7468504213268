//! What an API key may do. `admin` includes every other scope.

use std::{collections::BTreeSet, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::AccountError;

/// One permission of an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Send messages.
    Send,
    /// Read messages, campaigns, audiences and reports.
    Read,
    /// Import and change contacts, segments and regions.
    ManageAudience,
    /// Create, launch and stop campaigns.
    ManageCampaigns,
    /// Everything, including accounts, keys, numbers and routes.
    Admin,
}

impl Scope {
    /// Every scope, in order.
    pub const ALL: [Scope; 5] = [
        Scope::Send,
        Scope::Read,
        Scope::ManageAudience,
        Scope::ManageCampaigns,
        Scope::Admin,
    ];
    /// Their names, as written in `--scope` and in the API.
    pub const NAMES: [&'static str; 5] = [
        "send",
        "read",
        "manage-audience",
        "manage-campaigns",
        "admin",
    ];

    /// The scope's name.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scope {
    type Err = AccountError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Self::ALL
            .into_iter()
            .find(|scope| scope.name() == wanted)
            .ok_or_else(|| AccountError::UnknownScope {
                given: s.to_owned(),
            })
    }
}

/// A key's scopes: never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Scope>", into = "Vec<Scope>")]
pub struct Scopes(BTreeSet<Scope>);

impl Scopes {
    /// Takes a list; at least one scope.
    pub fn new(scopes: impl IntoIterator<Item = Scope>) -> Result<Self, AccountError> {
        let set: BTreeSet<Scope> = scopes.into_iter().collect();
        if set.is_empty() {
            return Err(AccountError::NoScopes);
        }
        Ok(Self(set))
    }

    /// Reads `send,read` (comma- or space-separated); every unknown name is an error.
    pub fn parse_list(list: &str) -> Result<Self, AccountError> {
        Self::new(
            list.split([',', ' '])
                .filter(|part| !part.trim().is_empty())
                .map(str::parse)
                .collect::<Result<Vec<Scope>, _>>()?,
        )
    }

    /// Whether a key with these scopes may do what `needed` covers.
    pub fn allow(&self, needed: Scope) -> bool {
        self.0.contains(&Scope::Admin) || self.0.contains(&needed)
    }

    /// The scopes, in order.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Scope::name).collect();
        f.write_str(&names.join(","))
    }
}

impl TryFrom<Vec<Scope>> for Scopes {
    type Error = AccountError;

    fn try_from(value: Vec<Scope>) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Scopes> for Vec<Scope> {
    fn from(value: Scopes) -> Self {
        value.0.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_admin_allows_everything() {
        for scope in Scope::ALL {
            assert_eq!(scope.name().parse::<Scope>(), Ok(scope));
        }
        assert_eq!(
            "Manage_Audience".parse::<Scope>(),
            Ok(Scope::ManageAudience)
        );
        let admin = Scopes::parse_list("admin").expect("valid");
        assert!(Scope::ALL.into_iter().all(|s| admin.allow(s)));
        let narrow = Scopes::parse_list("send, read").expect("valid");
        assert!(narrow.allow(Scope::Send) && narrow.allow(Scope::Read));
        assert!(!narrow.allow(Scope::ManageCampaigns) && !narrow.allow(Scope::Admin));
        assert_eq!(narrow.to_string(), "send,read");
    }

    #[test]
    fn unknown_and_empty_scope_lists_are_refused_with_the_reason() {
        let unknown = Scopes::parse_list("send,delete-everything").expect_err("unknown");
        assert!(
            unknown.to_string().contains("delete-everything"),
            "{unknown}"
        );
        assert!(
            unknown.to_string().contains("manage-campaigns"),
            "{unknown}"
        );
        assert_eq!(Scopes::parse_list(" , "), Err(AccountError::NoScopes));
        assert!(serde_json::from_str::<Scopes>("[]").is_err());
        assert_eq!(
            serde_json::to_string(&Scopes::parse_list("read,send").expect("valid")).expect("json"),
            r#"["send","read"]"#
        );
    }
}

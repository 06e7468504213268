//! Accounts as stored, keys, and who may act on whom.

use canvass_types::TenantId;
use serde::Serialize;

use crate::{AccountSid, KeySid, Scopes, Secret};

/// An account: one tenant, perhaps a sub-account of an agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// The tenant every row of this account carries.
    #[serde(skip)]
    pub tenant: TenantId,
    /// Its public id.
    pub sid: AccountSid,
    /// A friendly name.
    pub name: String,
    /// The agency that owns it, if any.
    pub parent: Option<AccountSid>,
    /// `active` or `suspended`.
    pub status: String,
    /// Created, ms since the epoch.
    pub created_at: i64,
}

/// An API key, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    /// Its id, the user name of Basic auth.
    pub sid: KeySid,
    /// The account it acts for.
    pub account: AccountSid,
    /// A friendly name.
    pub name: String,
    /// What it may do.
    pub scopes: Scopes,
    /// Created, ms since the epoch.
    pub created_at: i64,
}

/// A credential just made: its id and the secret, shown once.
#[derive(Debug)]
pub struct Issued<Id> {
    /// The account or key id.
    pub sid: Id,
    /// The auth token or key secret.
    pub secret: Secret,
}

/// Whether `actor` may act on `target`: itself, or a sub-account whose parent it is. Nothing else crosses.
pub fn may_act_on(actor: &Account, target: &Account) -> bool {
    actor.sid == target.sid || target.parent.as_ref() == Some(&actor.sid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(tenant: i64, parent: Option<&AccountSid>) -> Account {
        Account {
            tenant: TenantId(tenant),
            sid: AccountSid::generate().expect("random"),
            name: format!("account {tenant}"),
            parent: parent.cloned(),
            status: "active".into(),
            created_at: 0,
        }
    }

    #[test]
    fn an_agency_acts_on_its_clients_and_nothing_else_crosses() {
        let agency = account(2, None);
        let client = account(3, Some(&agency.sid));
        let other_agency = account(4, None);
        let other_client = account(5, Some(&other_agency.sid));
        assert!(may_act_on(&agency, &agency));
        assert!(may_act_on(&agency, &client));
        assert!(
            !may_act_on(&client, &agency),
            "a client does not act on its agency"
        );
        assert!(!may_act_on(&agency, &other_client));
        assert!(!may_act_on(&other_agency, &client));
        assert!(!may_act_on(&client, &other_client), "siblings do not cross");
    }
}

//! Opt-outs recorded by this process, checked right before every submit. The store's opt-out list is checked at
//! claim; this closes the gap for messages already claimed when the STOP arrived, so an opt-out holds before the
//! next send rather than after the batch in flight.

use canvass_types::TenantId;
use std::collections::HashSet;
use std::sync::RwLock;

/// Numbers that opted out (or back in) since this process started.
#[derive(Debug, Default)]
pub struct RecentOptOuts {
    numbers: RwLock<HashSet<(TenantId, String)>>,
}

impl RecentOptOuts {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an opt-out.
    pub fn opt_out(&self, tenant: TenantId, phone: &str) {
        self.write().insert((tenant, phone.to_owned()));
    }

    /// Records an opt-in (START).
    pub fn opt_in(&self, tenant: TenantId, phone: &str) {
        self.write().remove(&(tenant, phone.to_owned()));
    }

    /// Whether the number opted out here.
    pub fn contains(&self, tenant: TenantId, phone: &str) -> bool {
        let set = self.numbers.read().unwrap_or_else(|p| p.into_inner());
        // Avoid allocating for the common case of an empty set.
        !set.is_empty() && set.contains(&(tenant, phone.to_owned()))
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashSet<(TenantId, String)>> {
        self.numbers.write().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_undoes_stop() {
        let set = RecentOptOuts::new();
        let t = TenantId::DEFAULT;
        assert!(!set.contains(t, "+12155550100"));
        set.opt_out(t, "+12155550100");
        assert!(set.contains(t, "+12155550100"));
        assert!(!set.contains(TenantId(2), "+12155550100"));
        set.opt_in(t, "+12155550100");
        assert!(!set.contains(t, "+12155550100"));
    }
}

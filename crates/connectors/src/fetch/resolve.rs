//! The HTTP client's only resolver: it looks a name up once, checks every address, and hands reqwest only
//! checked addresses, so the addresses checked are the addresses connected to (no second lookup that a
//! rebinding DNS server could answer differently).

use std::{net::SocketAddr, sync::Arc};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::{FetchError, guard::Guard};

/// Resolves through the system resolver and refuses the name if any of its addresses is forbidden: a name
/// that mixes public and internal addresses is a DNS trick, not a misconfiguration to route around.
#[derive(Debug)]
pub(crate) struct CheckedResolver {
    guard: Arc<Guard>,
}

impl CheckedResolver {
    pub(crate) fn new(guard: Arc<Guard>) -> CheckedResolver {
        CheckedResolver { guard }
    }
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.guard.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // The FetchError travels inside reqwest's error as its source; the fetch loop digs it out.
            let addrs = resolve_checked(&guard, &host).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Looks `host` up and checks every address; port 0 lets reqwest put in the URL's port.
pub(crate) async fn resolve_checked(
    guard: &Guard,
    host: &str,
) -> Result<Vec<SocketAddr>, FetchError> {
    guard.check_name(host)?;
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, 0))
        .await
        .map_err(|error| FetchError::Resolve(format!("`{host}`: {error}")))?
        .collect();
    if addrs.is_empty() {
        return Err(FetchError::Resolve(format!("`{host}`: no addresses")));
    }
    check_all(guard, host, &addrs)?;
    Ok(addrs)
}

/// Checks every address `host` resolved to: one forbidden address refuses them all.
fn check_all(guard: &Guard, host: &str, addrs: &[SocketAddr]) -> Result<(), FetchError> {
    addrs
        .iter()
        .try_for_each(|addr| guard.check_addr(host, addr.ip()))
}

/// The [`FetchError`] the resolver put inside a reqwest error, if that is why the request failed.
pub(crate) fn resolver_error(error: &(dyn std::error::Error + 'static)) -> Option<FetchError> {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if let Some(found) = current.downcast_ref::<FetchError>() {
            return Some(found.clone());
        }
        cause = match current.downcast_ref::<std::io::Error>() {
            // io::Error's source() skips its inner error: step into it.
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::AllowRule;

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused_after_lookup() {
        // `localhost` is refused by name before any lookup; a host rule lifts that, and then each resolved
        // address must pass on its own. The rule below names a different host, so only the address rules
        // apply to the lookup of `localhost` (which /etc/hosts answers, offline).
        let guard = Guard::new(vec![AllowRule::parse("other.example").expect("parses")]);
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host(("localhost", 0))
            .await
            .expect("localhost resolves")
            .collect();
        assert!(!addrs.is_empty());
        for addr in &addrs {
            let error = guard
                .check_addr("localhost", addr.ip())
                .expect_err("loopback refused");
            assert_eq!(error.code(), "forbidden_address");
        }
        let error = resolve_checked(&guard, "localhost")
            .await
            .expect_err("refused");
        assert_eq!(error.code(), "forbidden_address", "{error}");
    }

    #[tokio::test]
    async fn a_host_rule_lets_the_name_resolve_to_internal_addresses() {
        let guard = Guard::new(vec![AllowRule::parse("localhost").expect("parses")]);
        let addrs = resolve_checked(&guard, "localhost").await.expect("allowed");
        assert!(
            addrs.iter().all(|addr| addr.ip().is_loopback()),
            "{addrs:?}"
        );
    }

    #[test]
    fn one_forbidden_address_among_public_ones_refuses_the_name() {
        let guard = Guard::new(Vec::new());
        let addrs: Vec<SocketAddr> = ["93.184.216.34:0", "[2606:2800:220:1::1]:0", "10.0.0.7:0"]
            .iter()
            .map(|text| text.parse().expect("parses"))
            .collect();
        assert!(check_all(&guard, "rebind.example", &addrs[..2]).is_ok());
        let error = check_all(&guard, "rebind.example", &addrs).expect_err("refused");
        assert_eq!(
            error,
            FetchError::Forbidden {
                host: "rebind.example".into(),
                addr: Some(addrs[2].ip()),
                reason: "a private network address (10.0.0.0/8)",
            }
        );
    }

    #[test]
    fn the_resolver_error_is_found_inside_wrappers() {
        let inner = FetchError::Resolve("`x`: no addresses".into());
        let io = std::io::Error::other(inner.clone());
        assert_eq!(resolver_error(&io), Some(inner));
        let other = std::io::Error::other("unrelated");
        assert_eq!(resolver_error(&other), None);
    }
}

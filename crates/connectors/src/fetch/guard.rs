//! The checks every hop passes before a connection: the URL's shape, the host's name, and each address the
//! connection may use, with the operator's allow rules applied.

use std::net::IpAddr;

use url::{Host, Url};

use super::{AllowRule, FetchError, address};

/// The address and name rules with the operator's exceptions, shared by the fetch loop (URL checks, IP
/// literals) and the resolver (every resolved address).
#[derive(Debug)]
pub(crate) struct Guard {
    allow: Vec<AllowRule>,
}

impl Guard {
    pub(crate) fn new(allow: Vec<AllowRule>) -> Guard {
        Guard { allow }
    }

    /// Checks a URL before it is requested: scheme, credentials, and the host. An IP-literal host is checked
    /// here because the HTTP connector never asks the resolver about it; a name is checked again by the
    /// resolver, address by address.
    pub(crate) fn check_url(&self, url: &Url) -> Result<(), FetchError> {
        match url.scheme() {
            "http" | "https" => {}
            other => return Err(FetchError::Scheme(other.to_owned())),
        }
        // Credentials in a media URL would end up in logs and on every redirect target.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FetchError::Credentials);
        }
        // WHATWG parsing has already turned `2130706433`, `0177.0.0.1` and `0x7f.1` into IPv4 hosts.
        match url.host() {
            None => Err(FetchError::BadUrl(format!("`{url}` has no host"))),
            Some(Host::Ipv4(ip)) => self.check_addr(&ip.to_string(), IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => self.check_addr(&format!("[{ip}]"), IpAddr::V6(ip)),
            Some(Host::Domain(name)) => self.check_name(name),
        }
    }

    /// Refuses names that mean this machine or the metadata service, unless a rule names the host.
    pub(crate) fn check_name(&self, host: &str) -> Result<(), FetchError> {
        if self.host_allowed(host) {
            return Ok(());
        }
        match address::forbidden_name(host) {
            Some(reason) => Err(FetchError::Forbidden {
                host: host.to_owned(),
                addr: None,
                reason,
            }),
            None => Ok(()),
        }
    }

    /// Refuses an address `host` would connect to, unless a rule names the host or covers the address.
    pub(crate) fn check_addr(&self, host: &str, ip: IpAddr) -> Result<(), FetchError> {
        if self.host_allowed(host) || self.allow.iter().any(|rule| rule.matches_ip(ip)) {
            return Ok(());
        }
        match address::forbidden_reason(ip) {
            Some(reason) => Err(FetchError::Forbidden {
                host: host.to_owned(),
                addr: Some(ip),
                reason,
            }),
            None => Ok(()),
        }
    }

    fn host_allowed(&self, host: &str) -> bool {
        self.allow.iter().any(|rule| rule.matches_host(host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(guard: &Guard, url: &str) -> Result<(), FetchError> {
        guard.check_url(&Url::parse(url).expect("test URL parses"))
    }

    #[test]
    fn the_default_guard_refuses_internal_hosts_and_allows_public_ones() {
        let guard = Guard::new(Vec::new());
        assert!(check(&guard, "https://media.example.com/a.jpg").is_ok());
        assert!(check(&guard, "http://8.8.8.8/a.jpg").is_ok());
        for url in [
            "http://127.0.0.1/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://[::ffff:7f00:1]/",
            "http://localhost/",
        ] {
            let error = check(&guard, url).expect_err("refused");
            assert_eq!(error.code(), "forbidden_address", "{url}: {error}");
        }
    }

    #[test]
    fn allow_rules_open_only_what_they_name() {
        let guard = Guard::new(vec![
            AllowRule::parse("127.0.0.1").expect("parses"),
            AllowRule::parse("localhost").expect("parses"),
            AllowRule::parse("10.1.0.0/16").expect("parses"),
        ]);
        assert!(check(&guard, "http://127.0.0.1:8080/").is_ok());
        assert!(check(&guard, "http://localhost/").is_ok());
        assert!(check(&guard, "http://10.1.2.3/").is_ok());
        assert!(check(&guard, "http://[::1]/").is_err());
        assert!(check(&guard, "http://127.0.0.2/").is_err());
        assert!(check(&guard, "http://10.2.0.1/").is_err());
        assert!(check(&guard, "http://foo.localhost/").is_err());
        // A host rule trusts whatever that name resolves to; an address rule covers only its addresses.
        assert!(
            guard
                .check_addr("localhost", "::1".parse().expect("parses"))
                .is_ok()
        );
        assert!(
            guard
                .check_addr("other.example", "::1".parse().expect("parses"))
                .is_err()
        );
    }

    #[test]
    fn scheme_and_credentials_are_checked_before_the_host() {
        let guard = Guard::new(Vec::new());
        let error = check(&guard, "ftp://example.com/a.jpg").expect_err("refused");
        assert_eq!(error, FetchError::Scheme("ftp".into()));
        let error = check(&guard, "http://user@example.com/").expect_err("refused");
        assert_eq!(error, FetchError::Credentials);
        let error = check(&guard, "http://:pw@example.com/").expect_err("refused");
        assert_eq!(error, FetchError::Credentials);
    }
}

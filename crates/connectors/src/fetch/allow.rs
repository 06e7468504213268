//! Operator exceptions to the address rules: an internal media host that developers may name on purpose (a
//! company asset server on `10.1.0.0/16`, or a test server on `127.0.0.1`).

use std::{fmt, net::IpAddr, str::FromStr};

use ipnet::IpNet;

use super::FetchError;

/// One exception to the forbidden-address rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowRule {
    /// An exact host name, compared case-insensitively and without a trailing dot. The name is trusted
    /// whatever it resolves to, so name only hosts whose DNS the operator controls.
    Host(String),
    /// An IP network; a single address is a `/32` or `/128`.
    Network(IpNet),
}

impl AllowRule {
    /// Reads a rule: a host name (`media.corp.example`), an IP address (`127.0.0.1`, `::1`, `[::1]`) or a
    /// CIDR network (`10.1.0.0/16`, `fd00::/8`). Host bits below the prefix are ignored (`10.1.2.3/16` is
    /// `10.1.0.0/16`).
    pub fn parse(text: &str) -> Result<AllowRule, FetchError> {
        let text = text.trim();
        let bad = |why: &str| FetchError::AllowRule(format!("`{text}`: {why}"));
        if text.is_empty() {
            return Err(bad("empty rule"));
        }
        let unbracketed = text
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
            .unwrap_or(text);
        if let Ok(ip) = unbracketed.parse::<IpAddr>() {
            return Ok(AllowRule::Network(IpNet::from(ip)));
        }
        if text.contains('/') {
            return text
                .parse::<IpNet>()
                .map(|net| AllowRule::Network(net.trunc()))
                .map_err(|_| bad("not a CIDR network such as 10.1.0.0/16"));
        }
        let host = text.trim_end_matches('.').to_ascii_lowercase();
        let valid_label = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if host.contains('*') {
            return Err(bad(
                "wildcards are not supported; name each host, or allow its network",
            ));
        }
        if host.len() > 253 || !host.split('.').all(valid_label) {
            return Err(bad(
                "not a host name, IP address or CIDR network (IDN names go in their xn-- form)",
            ));
        }
        Ok(AllowRule::Host(host))
    }

    /// Whether this rule names `host` (as the URL spells it, already lower-cased by URL parsing).
    pub(crate) fn matches_host(&self, host: &str) -> bool {
        match self {
            AllowRule::Host(name) => name.eq_ignore_ascii_case(host.trim_end_matches('.')),
            AllowRule::Network(_) => false,
        }
    }

    /// Whether this rule covers `ip`. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is the IPv4 address
    /// itself on the wire, so an IPv4 rule covers it too.
    pub(crate) fn matches_ip(&self, ip: IpAddr) -> bool {
        match self {
            AllowRule::Host(_) => false,
            AllowRule::Network(net) => net.contains(&ip) || net.contains(&ip.to_canonical()),
        }
    }
}

impl FromStr for AllowRule {
    type Err = FetchError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        AllowRule::parse(text)
    }
}

impl fmt::Display for AllowRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AllowRule::Host(name) => f.write_str(name),
            AllowRule::Network(net) => write!(f, "{net}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> AllowRule {
        AllowRule::parse(text).expect("rule parses")
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address parses")
    }

    #[test]
    fn addresses_and_networks_parse() {
        assert_eq!(rule("127.0.0.1").to_string(), "127.0.0.1/32");
        assert_eq!(rule("[::1]").to_string(), "::1/128");
        assert_eq!(rule("::1").to_string(), "::1/128");
        assert_eq!(rule("10.1.0.0/16").to_string(), "10.1.0.0/16");
        assert_eq!(rule("10.1.2.3/16").to_string(), "10.1.0.0/16");
        assert_eq!(rule(" fd00::/8 ").to_string(), "fd00::/8");
    }

    #[test]
    fn networks_cover_their_addresses_only() {
        let net = rule("10.1.0.0/16");
        assert!(net.matches_ip(ip("10.1.255.7")));
        assert!(!net.matches_ip(ip("10.2.0.1")));
        let one = rule("127.0.0.1/32");
        assert!(one.matches_ip(ip("127.0.0.1")));
        assert!(one.matches_ip(ip("::ffff:127.0.0.1")));
        assert!(!one.matches_ip(ip("127.0.0.2")));
        assert!(!one.matches_ip(ip("::1")));
    }

    #[test]
    fn host_names_match_case_insensitively() {
        let host = rule("Media.Corp.Example.");
        assert_eq!(host, AllowRule::Host("media.corp.example".into()));
        assert!(host.matches_host("media.corp.example"));
        assert!(host.matches_host("MEDIA.corp.example."));
        assert!(!host.matches_host("evil.media.corp.example"));
        assert!(!host.matches_ip(ip("10.0.0.1")));
    }

    #[test]
    fn bad_rules_say_why() {
        for text in [
            "",
            "10.0.0.0/33",
            "*.corp.example",
            "bad host",
            "a..b",
            "-a.example",
        ] {
            let error = AllowRule::parse(text).expect_err("refused");
            assert_eq!(error.code(), "bad_allow_rule", "{text}: {error}");
        }
        let error = AllowRule::parse("*.corp.example").expect_err("refused");
        assert!(error.to_string().contains("wildcards"), "{error}");
    }
}

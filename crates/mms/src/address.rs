//! Addresses in To/Cc/Bcc/From (OMA-MMS-ENC 1.3 clause 8, "Address field"): `+15551234567/TYPE=PLMN`,
//! `user@example.com`, `192.0.2.1/TYPE=IPv4`, `2001:db8::1/TYPE=IPv6`, or `…/TYPE=<other>`.

use std::net::{Ipv4Addr, Ipv6Addr};

/// A parsed MMS address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    /// A phone number (PLMN), as written (normally E.164 with `+`).
    Phone(String),
    /// An e-mail address (RFC 822 addr-spec, possibly with a display name).
    Email(String),
    /// An IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address.
    Ipv6(Ipv6Addr),
    /// Another `/TYPE=` (value, type).
    Other(String, String),
}

impl Address {
    /// Parses an address as found on the wire. Text without `/TYPE=` and with `@` is e-mail; other
    /// text without a type is taken as a phone number, which is what handsets mean by it.
    pub fn parse(text: &str) -> Address {
        match text.rsplit_once("/TYPE=") {
            Some((value, kind)) => match kind.to_ascii_uppercase().as_str() {
                "PLMN" => Address::Phone(value.to_owned()),
                "IPV4" => value.parse().map_or_else(
                    |_| Address::Other(value.to_owned(), kind.to_owned()),
                    Address::Ipv4,
                ),
                "IPV6" => value.parse().map_or_else(
                    |_| Address::Other(value.to_owned(), kind.to_owned()),
                    Address::Ipv6,
                ),
                _ => Address::Other(value.to_owned(), kind.to_owned()),
            },
            None if text.contains('@') => Address::Email(text.to_owned()),
            None => Address::Phone(text.to_owned()),
        }
    }

    /// The kind in lower case: `phone`, `email`, `ipv4`, `ipv6` or `other`.
    pub fn kind(&self) -> &'static str {
        match self {
            Address::Phone(_) => "phone",
            Address::Email(_) => "email",
            Address::Ipv4(_) => "ipv4",
            Address::Ipv6(_) => "ipv6",
            Address::Other(..) => "other",
        }
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Address::Phone(n) => write!(f, "{n}/TYPE=PLMN"),
            Address::Email(e) => f.write_str(e),
            Address::Ipv4(a) => write!(f, "{a}/TYPE=IPv4"),
            Address::Ipv6(a) => write!(f, "{a}/TYPE=IPv6"),
            Address::Other(v, t) => write!(f, "{v}/TYPE={t}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_each_form() {
        for (text, kind) in [
            ("+15551234567/TYPE=PLMN", "phone"),
            ("alice@example.com", "email"),
            ("192.0.2.1/TYPE=IPv4", "ipv4"),
            ("2001:db8::1/TYPE=IPv6", "ipv6"),
            ("x/TYPE=SHORTCODE", "other"),
        ] {
            let a = Address::parse(text);
            assert_eq!(a.kind(), kind);
            assert_eq!(a.to_string(), text);
        }
        assert_eq!(Address::parse("+1555"), Address::Phone("+1555".into()));
    }
}

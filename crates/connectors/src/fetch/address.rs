//! Which addresses and host names a media fetch must never reach by default: anything that is not a public
//! unicast address on the internet. The server fetching a developer's URL sits inside our network, so an
//! address that only means something from inside (loopback, private ranges, the cloud metadata service) would
//! let the developer read what we can read (server-side request forgery).
//!
//! Ranges follow the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and updates).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why `ip` must not be fetched from, or `None` for a public unicast address.
///
/// IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the IPv4 address they
/// carry, since that is where the packets end up.
pub fn forbidden_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

/// Why the host name `host` must not be fetched from whatever it resolves to, or `None`.
///
/// These names mean this machine or the cloud's metadata service wherever they are resolved, so they are
/// refused before any lookup (a resolver could also answer them from `/etc/hosts` or a search domain).
pub fn forbidden_name(host: &str) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        // RFC 6761: `localhost` and every name under it are this machine.
        return Some("`localhost` names always mean this machine");
    }
    match host.as_str() {
        "localhost.localdomain" | "ip6-localhost" | "ip6-loopback" => {
            Some("a name for this machine (as in /etc/hosts)")
        }
        "metadata"
        | "metadata.google.internal"
        | "metadata.goog"
        | "instance-data"
        | "instance-data.ec2.internal" => Some("a cloud metadata service name"),
        _ => None,
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    let reason = match (a, b, c) {
        // 0.0.0.0 connects to this machine on Linux; the rest of 0/8 is "this network".
        _ if ip.is_unspecified() => "the unspecified address (means this machine)",
        (0, _, _) => "a \"this network\" address (0.0.0.0/8)",
        (127, _, _) => "a loopback address (127.0.0.0/8)",
        (10, _, _) => "a private network address (10.0.0.0/8)",
        (172, 16..=31, _) => "a private network address (172.16.0.0/12)",
        (192, 168, _) => "a private network address (192.168.0.0/16)",
        (169, 254, 169) if ip.octets()[3] == 254 => "the cloud metadata address (169.254.169.254)",
        (169, 254, _) => "a link-local address (169.254.0.0/16)",
        (100, 64..=127, _) => "a carrier-grade NAT address (100.64.0.0/10)",
        (192, 0, 0) => "an IETF protocol assignment address (192.0.0.0/24)",
        (192, 0, 2) => "a documentation address (192.0.2.0/24)",
        (198, 51, 100) => "a documentation address (198.51.100.0/24)",
        (203, 0, 113) => "a documentation address (203.0.113.0/24)",
        (192, 88, 99) => "a deprecated 6to4 relay address (192.88.99.0/24)",
        (198, 18..=19, _) => "a benchmarking address (198.18.0.0/15)",
        (224..=239, _, _) => "a multicast address (224.0.0.0/4)",
        _ if ip.is_broadcast() => "the broadcast address (255.255.255.255)",
        (240..=255, _, _) => "a reserved address (240.0.0.0/4)",
        _ => return None,
    };
    Some(reason)
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let segments = ip.segments();
    if ip.is_unspecified() {
        return Some("the unspecified address :: (means this machine)");
    }
    if ip.is_loopback() {
        return Some("the loopback address ::1");
    }
    // ::ffff:a.b.c.d is the IPv4 address itself on a dual-stack socket.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4).map(|_| "an IPv4-mapped address of a forbidden IPv4 address");
    }
    // ::a.b.c.d (IPv4-compatible, deprecated by RFC 4291) has no legitimate use left.
    if segments[..6] == [0; 6] {
        return Some("an IPv4-compatible address (::/96, deprecated)");
    }
    // NAT64 (RFC 6052): the gateway forwards to the embedded IPv4 address.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return forbidden_v4(embedded_v4(segments[6], segments[7]))
            .map(|_| "a NAT64 address (64:ff9b::/96) of a forbidden IPv4 address");
    }
    // 6to4 (RFC 3056): the relay forwards to the IPv4 address in bits 16..48.
    if segments[0] == 0x2002 {
        return forbidden_v4(embedded_v4(segments[1], segments[2]))
            .map(|_| "a 6to4 address (2002::/16) of a forbidden IPv4 address");
    }
    let reason = match segments {
        // Teredo hides an IPv4 server and client (obfuscated) in the address: refuse it outright.
        [0x2001, 0, ..] => "a Teredo address (2001::/32)",
        [0x2001, 0x2, 0, ..] => "a benchmarking address (2001:2::/48)",
        [0x2001, 0x10..=0x2f, ..] => "an ORCHID address (2001:10::/28, 2001:20::/28)",
        [0x2001, 0xdb8, ..] => "a documentation address (2001:db8::/32)",
        [0x3fff, 0..=0x0fff, ..] => "a documentation address (3fff::/20)",
        [0x64, 0xff9b, 1, ..] => "a local-use NAT64 address (64:ff9b:1::/48)",
        [0x100, 0, 0, 0, ..] => "a discard-only address (100::/64)",
        [first, ..] if first & 0xfe00 == 0xfc00 => "a unique local address (fc00::/7)",
        [first, ..] if first & 0xffc0 == 0xfe80 => "a link-local address (fe80::/10)",
        [first, ..] if first & 0xffc0 == 0xfec0 => "a site-local address (fec0::/10, deprecated)",
        [first, ..] if first & 0xff00 == 0xff00 => "a multicast address (ff00::/8)",
        // Everything outside 2000::/3 is unassigned or special: only global unicast is fetched.
        [first, ..] if first & 0xe000 != 0x2000 => {
            "not a global unicast address (outside 2000::/3)"
        }
        _ => return None,
    };
    Some(reason)
}

fn embedded_v4(high: u16, low: u16) -> Ipv4Addr {
    let [a, b] = high.to_be_bytes();
    let [c, d] = low.to_be_bytes();
    Ipv4Addr::new(a, b, c, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forbidden(text: &str) -> bool {
        let ip: IpAddr = text.parse().expect("test address parses");
        forbidden_reason(ip).is_some()
    }

    #[test]
    fn public_addresses_are_allowed() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "192.169.0.1",
            "198.17.255.255",
            "198.20.0.1",
            "223.255.255.255",
            "169.253.255.255",
            "2606:4700:4700::1111",
            "2001:4860:4860::8888",
            "2a00:1450:4001:81b::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(!forbidden(ip), "{ip} is public");
        }
    }

    #[test]
    fn internal_and_special_ipv4_ranges_are_refused() {
        for ip in [
            "0.0.0.0",
            "0.1.2.3",
            "127.0.0.1",
            "127.255.255.254",
            "10.0.0.1",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.0.1",
            "100.64.0.1",
            "100.127.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "192.88.99.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(forbidden(ip), "{ip} is refused");
        }
    }

    #[test]
    fn internal_and_special_ipv6_ranges_are_refused() {
        for ip in [
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "::8.8.8.8",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            "2002:7f00:1::",
            "2002:a00:1::1",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:db8::1",
            "2001:2::1",
            "2001:10::1",
            "3fff::1",
            "100::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "ff0e::1",
            "1::1",
            "4000::1",
        ] {
            assert!(forbidden(ip), "{ip} is refused");
        }
    }

    #[test]
    fn embedded_ipv4_reasons_name_the_wrapper() {
        let reason = forbidden_reason("64:ff9b::a9fe:a9fe".parse().expect("parses"));
        assert_eq!(
            reason,
            Some("a NAT64 address (64:ff9b::/96) of a forbidden IPv4 address")
        );
        let reason = forbidden_reason("169.254.169.254".parse().expect("parses"));
        assert_eq!(reason, Some("the cloud metadata address (169.254.169.254)"));
    }

    #[test]
    fn machine_and_metadata_names_are_refused() {
        for name in [
            "localhost",
            "LOCALHOST",
            "localhost.",
            "foo.localhost",
            "a.b.localhost.",
            "localhost.localdomain",
            "ip6-localhost",
            "metadata",
            "metadata.google.internal",
            "metadata.google.internal.",
        ] {
            assert!(forbidden_name(name).is_some(), "{name} is refused");
        }
        for name in [
            "example.com",
            "localhost.example.com",
            "notlocalhost",
            "metadata.example",
        ] {
            assert!(forbidden_name(name).is_none(), "{name} is allowed");
        }
    }
}

//! Addresses as the portal reasons about them: networks in CIDR notation (who is a trusted
//! proxy, who may read `/metrics`), and the part of an address that identifies one client
//! for rate limits (an IPv6 client holds a whole /64).

use std::net::IpAddr;

/// A network: an address and a prefix length, e.g. `10.0.0.0/8` or `::1/128`. A bare address
/// is a network of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    /// Parses `a.b.c.d/n`, `x::y/n`, or a bare address.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr =
            address.parse().map_err(|_| format!("not an IP address: {address:?}"))?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= bits),
            None => Some(bits),
        }
        .ok_or_else(|| format!("not a prefix length for {address}: {text:?}"))?;
        Ok(Self { address, prefix })
    }

    /// Parses a comma-separated list; an empty text is an empty list.
    pub fn parse_list(text: &str) -> Result<Vec<Self>, String> {
        text.split(',').filter(|part| !part.trim().is_empty()).map(Self::parse).collect()
    }

    /// Whether `address` is in this network (an IPv4 address written as IPv6, `::ffff:a.b.c.d`,
    /// counts as the IPv4 one).
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        match (self.address, address) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_bits(u32::from(net).into(), 32, self.prefix)
                    == prefix_bits(u32::from(ip).into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_bits(u128::from(net), 128, self.prefix)
                    == prefix_bits(u128::from(ip), 128, self.prefix)
            }
            _ => false,
        }
    }
}

/// The first `prefix` of `width` bits of `value`.
fn prefix_bits(value: u128, width: u8, prefix: u8) -> u128 {
    if prefix == 0 { 0 } else { value >> (width - prefix) }
}

/// The part of an address that stands for one client when counting what it does: an IPv4
/// address as it is, an IPv6 address by its /64 (one household or host gets a whole /64, and
/// counting single IPv6 addresses would let it change address at every attempt).
pub fn client_key(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => {
            v6.to_ipv4_mapped().map_or_else(|| address.to_owned(), |v4| v4.to_string())
        }
        _ => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn networks_hold_their_addresses() {
        let loopback = Network::parse("127.0.0.1/8").unwrap();
        assert!(loopback.contains(ip("127.3.2.1")));
        assert!(loopback.contains(ip("::ffff:127.0.0.1")));
        assert!(!loopback.contains(ip("128.0.0.1")));
        let one = Network::parse("10.1.2.3").unwrap();
        assert!(one.contains(ip("10.1.2.3")) && !one.contains(ip("10.1.2.4")));
        let v6 = Network::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")) && !v6.contains(ip("2001:db9::1")));
        assert!(Network::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert_eq!(Network::parse_list("127.0.0.1, ::1").unwrap().len(), 2);
        assert!(Network::parse_list("").unwrap().is_empty());
        for bad in ["10.0.0.0/33", "::1/129", "nonsense", "10.0.0/8"] {
            assert!(Network::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64() {
        assert_eq!(client_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(client_key("2001:db8:1:2:bbbb::9"), client_key("2001:db8:1:2:aaaa::1"));
        assert_eq!(client_key("192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("-"), "-");
    }
}

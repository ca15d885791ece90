//! Whose request it is: the client address that limits and the audit log record. It is the TCP
//! peer, unless the peer is one of the configured trusted proxies; only then is `X-Forwarded-For`
//! read, from the right, and the first address that is not a trusted proxy is the client's (every
//! entry left of it could have been written by the client itself).
use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed (`GREENPOINTS_TRUSTED_PROXIES`: CIDRs or single
/// addresses, separated by commas). None by default: the peer is the client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not an address or a CIDR block (e.g. 10.0.0.0/8, 127.0.0.1, ::1)")]
pub struct ProxiesError(String);

impl TrustedProxies {
    pub fn parse(text: &str) -> Result<TrustedProxies, ProxiesError> {
        let blocks = text
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry.parse::<IpNet>().or_else(|_| entry.parse::<IpAddr>().map(IpNet::from)).map_err(|_| ProxiesError(entry.to_string()))
            })
            .collect::<Result<_, _>>()?;
        Ok(TrustedProxies(blocks))
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|block| block.contains(&address))
    }

    /// The client of a request from `peer` that carried these `X-Forwarded-For` headers (each a
    /// comma-separated list, in the order they came). An entry that is not an address ends the
    /// walk: what is left of it cannot be believed, so the last address walked over is the client.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> ClientAddress {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return ClientAddress(client);
        }
        let entries = forwarded_for.iter().flat_map(|header| header.split(',')).map(str::trim).collect::<Vec<_>>();
        for entry in entries.into_iter().rev() {
            let Ok(address) = entry.parse::<IpAddr>() else { break };
            client = address.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        ClientAddress(client)
    }
}

/// The address a request is from, as [`TrustedProxies::client`] decided it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(IpAddr);

impl fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_it_forwards() {
        let none = TrustedProxies::parse("").unwrap();
        assert_eq!(none.client(ip("203.0.113.9"), &["1.2.3.4"]).to_string(), "203.0.113.9");
        assert_eq!(none.client(ip("127.0.0.1"), &["1.2.3.4"]).to_string(), "127.0.0.1");
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        // The client wrote 6.6.6.6 itself; the proxy appended the address it saw.
        assert_eq!(proxies.client(ip("127.0.0.1"), &["6.6.6.6, 198.51.100.7"]).to_string(), "198.51.100.7");
        // Two proxies in a row: both skipped.
        assert_eq!(proxies.client(ip("10.1.1.1"), &["6.6.6.6", "198.51.100.7, 10.2.2.2"]).to_string(), "198.51.100.7");
        // No header: the proxy itself.
        assert_eq!(proxies.client(ip("10.1.1.1"), &[]).to_string(), "10.1.1.1");
        // A peer outside the list forwards nothing believable.
        assert_eq!(proxies.client(ip("198.51.100.8"), &["10.0.0.1"]).to_string(), "198.51.100.8");
    }

    #[test]
    fn garbage_in_the_header_stops_the_walk_at_the_last_address_believed() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(proxies.client(ip("10.0.0.1"), &["198.51.100.7, evil, 10.0.0.2"]).to_string(), "10.0.0.2");
        assert_eq!(proxies.client(ip("10.0.0.1"), &["unknown"]).to_string(), "10.0.0.1");
    }

    #[test]
    fn ipv4_mapped_ipv6_peers_are_their_ipv4_address() {
        let proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        assert_eq!(proxies.client(ip("::ffff:127.0.0.1"), &["198.51.100.7"]).to_string(), "198.51.100.7");
    }

    #[test]
    fn a_list_that_does_not_read_is_refused_with_the_entry() {
        assert_eq!(TrustedProxies::parse("10.0.0.0/8, nope"), Err(ProxiesError("nope".into())));
        assert_eq!(TrustedProxies::parse("10.0.0.0/33").unwrap_err(), ProxiesError("10.0.0.0/33".into()));
    }
}

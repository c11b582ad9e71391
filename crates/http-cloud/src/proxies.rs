//! Which client a request really comes from when HQ sits behind a reverse proxy.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// An address or a CIDR range of proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedProxy {
    network: IpAddr,
    prefix: u8,
}

impl FromStr for TrustedProxy {
    type Err = String;

    /// `10.0.0.5`, `172.16.0.0/12` or `::1/128`.
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = addr
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or CIDR range"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text:?} has a bad prefix length"))?,
        };
        Ok(Self { network, prefix })
    }
}

impl TrustedProxy {
    pub(crate) fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The client address: the peer itself, unless the peer is a trusted proxy, in which case the
/// right-most address of `X-Forwarded-For` that is not a trusted proxy (a client can prepend
/// anything it likes, but not what the proxies append).
pub(crate) fn client_ip(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[TrustedProxy],
) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    forwarded
        .split(',')
        .rev()
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .find(|ip| !is_trusted(*ip))
        .or(Some(peer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let trusted: Vec<TrustedProxy> = vec!["172.16.0.0/12".parse().unwrap()];
        let nginx = Some("172.18.0.3".parse().unwrap());
        let branch: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(
            client_ip(nginx, &headers("203.0.113.7"), &trusted),
            Some(branch)
        );
        // A client cannot hide behind a forged first entry.
        assert_eq!(
            client_ip(nginx, &headers("198.51.100.1, 203.0.113.7"), &trusted),
            Some(branch)
        );
        // Not behind a trusted proxy: the header is ignored.
        let direct = Some("198.51.100.9".parse().unwrap());
        assert_eq!(client_ip(direct, &headers("203.0.113.7"), &trusted), direct);
        // Behind a trusted proxy but no header: the proxy itself.
        assert_eq!(client_ip(nginx, &HeaderMap::new(), &trusted), nginx);
        assert_eq!(
            client_ip(nginx, &headers("203.0.113.7"), &[]),
            nginx,
            "no trust configured"
        );
    }

    #[test]
    fn ranges_parse_and_refuse_nonsense() {
        assert!("10.0.0.1".parse::<TrustedProxy>().is_ok());
        assert!("::1/128".parse::<TrustedProxy>().is_ok());
        assert!("10.0.0.0/33".parse::<TrustedProxy>().is_err());
        assert!("nginx".parse::<TrustedProxy>().is_err());
        let any: TrustedProxy = "0.0.0.0/0".parse().unwrap();
        assert!(any.contains("8.8.8.8".parse().unwrap()));
    }
}

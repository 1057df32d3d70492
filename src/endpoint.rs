//! The URLs of Apple's server APIs as a developer writes them: scheme, host and path, split
//! without guessing (no percent-decoding, no default ports), so a check can say which part
//! differs from the documented endpoint.

/// A URL split into the parts the endpoint checks compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    pub port: Option<&'a str>,
    pub path: &'a str,
    pub query: Option<&'a str>,
}

/// Splits `scheme://host[:port]/path[?query]`; `None` when there is no `://` or no host.
pub fn split(text: &str) -> Option<Url<'_>> {
    let (scheme, rest) = text.trim().split_once("://")?;
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (authority, None),
    };
    if host.is_empty() {
        return None;
    }
    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (tail, None),
    };
    Some(Url { scheme, host, port, path, query })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_parts() {
        let u = split("https://api.devicecheck.apple.com:443/v1/query_two_bits?x=1");
        assert_eq!(
            u,
            Some(Url {
                scheme: "https",
                host: "api.devicecheck.apple.com",
                port: Some("443"),
                path: "/v1/query_two_bits",
                query: Some("x=1")
            })
        );
        assert_eq!(split("https://appleid.apple.com").map(|u| u.path), Some(""));
        assert_eq!(split("appleid.apple.com/auth/revoke"), None);
        assert_eq!(split("https:///auth"), None);
    }
}

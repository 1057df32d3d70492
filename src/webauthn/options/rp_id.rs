//! Origins and RP IDs: the secure-context rule and the "registrable domain suffix" rule
//! (WebAuthn `#rp-id`, HTML "is a registrable domain suffix of or is equal to").
//!
//! The public suffix list here is PARTIAL: every single-label name (the PSL's default
//! rule `*`) plus the common multi-label suffixes in [`MULTI_LABEL_SUFFIXES`]. A name missing
//! from it is treated as registrable, so a few real public suffixes are not caught.

/// Common multi-label public suffixes (ICANN and private sections of the PSL). Partial.
pub const MULTI_LABEL_SUFFIXES: &[&str] = &[
    "co.uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "me.uk",
    "ltd.uk",
    "plc.uk",
    "net.uk",
    "sch.uk",
    "nhs.uk",
    "com.au",
    "net.au",
    "org.au",
    "edu.au",
    "gov.au",
    "co.nz",
    "org.nz",
    "net.nz",
    "govt.nz",
    "co.jp",
    "ne.jp",
    "or.jp",
    "ac.jp",
    "go.jp",
    "co.kr",
    "or.kr",
    "com.cn",
    "net.cn",
    "org.cn",
    "gov.cn",
    "com.tw",
    "com.hk",
    "com.sg",
    "co.in",
    "net.in",
    "org.in",
    "gov.in",
    "co.za",
    "org.za",
    "com.br",
    "net.br",
    "org.br",
    "gov.br",
    "com.mx",
    "com.ar",
    "com.tr",
    "co.il",
    "com.ua",
    "com.pl",
    "github.io",
    "gitlab.io",
    "herokuapp.com",
    "appspot.com",
    "azurewebsites.net",
    "cloudfront.net",
    "pages.dev",
    "workers.dev",
    "vercel.app",
    "netlify.app",
    "web.app",
    "firebaseapp.com",
    "blogspot.com",
    "glitch.me",
    "onrender.com",
    "fly.dev",
    "ngrok.io",
    "ngrok-free.app",
    "repl.co",
    "s3.amazonaws.com",
];

/// A parsed origin: `scheme://host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
}

/// Parses a serialised origin. Paths, queries, user info and fragments are refused
/// (an origin has none); a lone trailing `/` is tolerated and reported by the caller.
pub fn parse_origin(text: &str) -> Result<Origin, String> {
    let (scheme, rest) = text
        .split_once("://")
        .ok_or("an origin looks like https://example.com (scheme://host[:port])")?;
    let scheme = scheme.to_ascii_lowercase();
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#', '@']) {
        return Err("an origin has no path, query, fragment or user info".into());
    }
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or("unclosed [ in IPv6 host")?;
        (format!("[{h}]"), after.strip_prefix(':'))
    } else {
        match rest.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (rest.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => Some(
            p.parse::<u16>()
                .map_err(|_| format!("port {p} is not a number from 0 to 65535"))?,
        ),
        None => None,
    };
    if host.is_empty() {
        return Err("the origin has no host".into());
    }
    Ok(Origin {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
    })
}

/// Whether `host` is an IP address literal (not a valid domain for WebAuthn).
pub fn is_ip(host: &str) -> bool {
    host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// Whether `host` is `localhost` or under `.localhost` (potentially trustworthy over http).
pub fn is_localhost(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost")
}

/// Whether `name` is a public suffix according to the partial list.
pub fn is_public_suffix(name: &str) -> bool {
    !name.contains('.') || MULTI_LABEL_SUFFIXES.contains(&name)
}

/// Why `rp_id` is not a valid domain string, if it is not.
pub fn domain_problem(rp_id: &str) -> Option<String> {
    if rp_id.contains("://") {
        return Some("it contains a scheme; rp.id is a bare domain such as example.com".into());
    }
    if rp_id.contains([':', '/']) {
        return Some("it contains a port or path; rp.id is a bare domain".into());
    }
    if rp_id.is_empty() || rp_id.starts_with('.') || rp_id.ends_with('.') || rp_id.contains("..") {
        return Some("it is not a well-formed domain (empty label)".into());
    }
    if rp_id != rp_id.to_ascii_lowercase() {
        return Some(
            "it has upper-case letters; browsers compare the lower-case form, and the rpIdHash is over the exact bytes"
                .into(),
        );
    }
    if !rp_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Some("it has characters a domain cannot have (write internationalised names in punycode)".into());
    }
    None
}

/// The RP-ID rule: `rp_id` equals `host`, or is a registrable domain suffix of it.
pub fn rp_id_allowed(rp_id: &str, host: &str) -> Result<(), String> {
    if rp_id == host {
        return Ok(());
    }
    if is_ip(host) {
        return Err(format!("the origin's host {host} is an IP address; only an RP ID equal to it could match, and IP hosts are not valid domains for WebAuthn"));
    }
    if !host.ends_with(&format!(".{rp_id}")) {
        return Err(format!("{rp_id} is neither {host} nor a parent domain of it"));
    }
    if is_public_suffix(rp_id) {
        return Err(format!(
            "{rp_id} is a public suffix (shared by unrelated sites), so it cannot be an RP ID"
        ));
    }
    Ok(())
}

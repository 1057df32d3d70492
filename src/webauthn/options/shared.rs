//! Lints shared by creation and request options: origin, RP ID, challenge, encoding,
//! user verification, timeout, credential descriptor lists, unknown members.

use super::rp_id;
use super::Lints;
use crate::data::{decode_base64, decode_base64url_strict};
use crate::webauthn::WebauthnCheck as Id;
use serde_json::{Map, Value};

/// Transports defined by the spec.
pub const TRANSPORTS: &[&str] = &["usb", "nfc", "ble", "smart-card", "hybrid", "internal"];

/// Decodes a base64url member; `Err` says why it is not base64url.
pub fn b64url(text: &str) -> Result<Vec<u8>, String> {
    match decode_base64url_strict(text) {
        Ok(b) => Ok(b),
        Err(_) if text.ends_with('=') && decode_base64url_strict(text.trim_end_matches('=')).is_ok() => {
            Err("padded base64url (browsers differ on padding)".into())
        }
        Err(_) => match decode_base64(text) {
            Ok(_) => Err("standard base64 (+ / =), not base64url".into()),
            Err(e) => Err(e),
        },
    }
}

/// `origin`: https or localhost, a domain host. Returns the host when usable.
pub fn origin(origin: &str, l: &mut Lints) -> Option<String> {
    match rp_id::parse_origin(origin) {
        Err(e) => {
            l.fire(Id::Origin, "the origin cannot be parsed", "https://host[:port]", origin, e);
            None
        }
        Ok(o) if rp_id::is_ip(&o.host) => {
            l.fire(
                Id::Origin,
                "the origin's host is an IP address",
                "a domain name (or localhost)",
                &o.host,
                "WebAuthn needs a valid domain: serve the page from a name, e.g. localhost during development",
            );
            None
        }
        Ok(o) if o.scheme == "https" || (o.scheme == "http" && rp_id::is_localhost(&o.host)) => {
            let note = if origin.ends_with('/') { " (note: an origin is written without a trailing /)" } else { "" };
            l.pass(Id::Origin, format!("{} is a secure context{note}", origin.trim_end_matches('/')));
            Some(o.host)
        }
        Ok(o) => {
            l.fire(
                Id::Origin,
                "the page is not a secure context",
                "https, or http://localhost",
                format!("{}://{}", o.scheme, o.host),
                "plain http is only allowed on localhost; deploy over https",
            );
            Some(o.host)
        }
    }
}

/// `rp-id`: the RP ID against the origin's host.
pub fn rp_id_lint(rp: Option<&Value>, host: Option<&str>, l: &mut Lints) {
    let Some(rp) = rp else {
        match host {
            Some(h) => l.pass(Id::RpId, format!("no RP ID given: it defaults to the origin's host {h}")),
            None => l.pass(Id::RpId, "no RP ID given; the origin is unusable, see the origin lint"),
        }
        return;
    };
    let Some(id) = rp.as_str() else {
        l.fire(
            Id::RpId,
            "the RP ID is not a string",
            "a domain string",
            rp.to_string(),
            "write the RP ID as a bare domain, e.g. \"example.com\"",
        );
        return;
    };
    if let Some(p) = rp_id::domain_problem(id) {
        l.fire(Id::RpId, "the RP ID is not a valid domain", "a bare domain such as example.com", id, p);
        return;
    }
    let Some(host) = host else {
        l.pass(Id::RpId, format!("{id} is a valid domain; not compared, the origin is unusable"));
        return;
    };
    match rp_id::rp_id_allowed(id, host) {
        Ok(()) if id == host => l.pass(Id::RpId, format!("RP ID {id} equals the origin's host")),
        Ok(()) => {
            l.pass(Id::RpId, format!("RP ID {id} is a registrable suffix of {host} (public-suffix list is partial)"))
        }
        Err(e) => l.fire(
            Id::RpId,
            "the RP ID is not allowed for this origin: the browser throws SecurityError",
            format!("{host} or a registrable parent of it"),
            id,
            format!("{e}; unless Related Origin Requests list this origin at https://{id}/.well-known/webauthn"),
        ),
    }
}

/// `challenge-length` (and the challenge's `encoding`).
pub fn challenge(opts: &Map<String, Value>, l: &mut Lints) {
    let Some(c) = opts.get("challenge").and_then(Value::as_str) else {
        l.pass(Id::ChallengeLength, "no challenge to measure (see required-members)");
        return;
    };
    let decoded = b64url(c).or_else(|e| {
        l.note_encoding("challenge", &e);
        decode_base64(c).map_err(|_| e)
    });
    match decoded {
        Err(_) => l.pass(Id::ChallengeLength, "the challenge cannot be decoded, so its length is unknown (see encoding)"),
        Ok(bytes) if bytes.len() < 16 => l.fire(Id::ChallengeLength, "the challenge is shorter than 16 bytes", "at least 16 random bytes (32 is usual)", format!("{} bytes", bytes.len()), "a fixed or short challenge can be guessed or replayed; generate 32 random bytes per ceremony and store them server-side"),
        Ok(bytes) => l.pass(Id::ChallengeLength, format!("challenge of {} bytes", bytes.len())),
    }
}

/// `user-verification`.
pub fn user_verification(value: Option<&Value>, l: &mut Lints) {
    match value {
        None => l.pass(Id::UserVerification, "userVerification absent: preferred applies"),
        Some(Value::String(s)) if ["required", "preferred", "discouraged"].contains(&s.as_str()) => {
            l.pass(Id::UserVerification, format!("userVerification {s}"))
        }
        Some(other) => l.fire(
            Id::UserVerification,
            "unknown userVerification value: browsers ignore it and use preferred",
            "required, preferred or discouraged",
            other.to_string(),
            "a typo; if the server requires UV it will reject responses where the authenticator skipped it",
        ),
    }
}

/// `timeout`.
pub fn timeout(value: Option<&Value>, l: &mut Lints) {
    match value {
        None => l.pass(Id::Timeout, "no timeout: the client's default (about 300000 ms) applies"),
        Some(v) => match v.as_u64() {
            Some(ms) if (300_000..=600_000).contains(&ms) => l.pass(Id::Timeout, format!("timeout {ms} ms is in the recommended range")),
            Some(ms) => l.fire(Id::Timeout, "timeout outside the recommended 300000–600000 ms", "300000 to 600000", format!("{ms} ms"), if ms < 300_000 { "users with a security key in a drawer or a slow biometric prompt run out of time; clients may clamp the value anyway" } else { "a long ceremony keeps the challenge alive for longer; clients clamp it" }),
            None => l.fire(Id::Timeout, "timeout is not a non-negative integer", "milliseconds as an integer", v.to_string(), "timeouts are milliseconds, not seconds or strings"),
        },
    }
}

/// `exclude-credentials` / `allow-credentials`: credential descriptor lists.
pub fn descriptors(id: Id, member: &str, value: Option<&Value>, l: &mut Lints) {
    let Some(value) = value else {
        l.pass(id, format!("no {member}"));
        return;
    };
    let Some(items) = value.as_array() else {
        l.fire(
            id,
            format!("{member} is not an array"),
            "an array of {type, id, transports?}",
            value.to_string(),
            "the list must be an array even when it has one entry",
        );
        return;
    };
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, item) in items.iter().enumerate().take(1000) {
        if item.get("type").and_then(Value::as_str) != Some("public-key") {
            problems.push(format!("[{i}].type is not \"public-key\" (the entry is ignored)"));
        }
        match item.get("id").and_then(Value::as_str).map(b64url) {
            None => problems.push(format!("[{i}].id is missing or not a string")),
            Some(Err(e)) => problems.push(format!("[{i}].id is {e}")),
            Some(Ok(b)) if b.is_empty() || b.len() > 1023 => {
                problems.push(format!("[{i}].id is {} bytes (1 to 1023 allowed)", b.len()))
            }
            Some(Ok(b)) => {
                if !seen.insert(b) {
                    problems.push(format!("[{i}].id repeats an earlier entry"));
                }
            }
        }
        if let Some(ts) = item.get("transports") {
            match ts.as_array() {
                None => problems.push(format!("[{i}].transports is not an array")),
                Some(ts) => {
                    for t in ts {
                        if !t.as_str().is_some_and(|t| TRANSPORTS.contains(&t)) {
                            problems.push(format!("[{i}].transports has unknown value {t} (ignored by clients)"));
                        }
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        l.pass(id, format!("{member}: {} well-formed entries", items.len()));
    } else {
        l.fire(id, format!("{member} has malformed entries"), "{type: \"public-key\", id: base64url of 1–1023 bytes, transports from usb/nfc/ble/smart-card/hybrid/internal}", problems.join("; "), "ids copied in another encoding (standard base64, hex) or transports stored with other spellings");
    }
}

/// `unknown-member`: members no browser reads, with a suggestion for typos.
pub fn unknown_members(opts: &Map<String, Value>, known: &[&str], l: &mut Lints) {
    let unknown: Vec<String> = opts
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| {
            match known
                .iter()
                .map(|c| (strsim::damerau_levenshtein(&k.to_ascii_lowercase(), &c.to_ascii_lowercase()), c))
                .min_by_key(|(d, _)| *d)
            {
                Some((d, c)) if d <= 3 => format!("{k} (did you mean {c}?)"),
                _ => k.clone(),
            }
        })
        .collect();
    if unknown.is_empty() {
        l.pass(Id::UnknownMember, "every member is one the spec defines");
    } else {
        l.fire(
            Id::UnknownMember,
            "members the browser will ignore",
            known.join(", "),
            unknown.join(", "),
            "a misspelt member is silently ignored and its default applies",
        );
    }
}

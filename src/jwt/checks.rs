//! The checks every profile shares: `format`, `alg`, `kid` (`signature` is in
//! [`super::signature_check`]), and the claim helpers the profiles build their
//! `iss` / `aud` / `sub` checks from.

use super::keys::KeySet;
use super::signature::SUPPORTED;
use super::token::{self, json_type, Decoded};
use super::JwtCheck as Id;
use crate::data::Bytes;
use crate::validator::{Check, Verdict};
use serde_json::{json, Map, Value};

/// A verdict being built, with warnings that do not fail a check but deserve a mention.
#[derive(Debug, Default)]
pub struct Session {
    pub verdict: Verdict,
    pub warnings: Vec<Value>,
}

impl Session {
    pub fn push(&mut self, check: Check) {
        self.verdict.checks.push(check);
    }

    pub fn push_opt(&mut self, check: Option<Check>) {
        if let Some(c) = check {
            self.push(c);
        }
    }

    pub fn warn(&mut self, about: &str, message: impl Into<String>) {
        self.warnings.push(json!({ "about": about, "message": message.into() }));
    }

    pub fn detail(&mut self, key: &str, value: Value) {
        self.verdict.detail(key, value);
    }

    pub fn finish(mut self) -> Verdict {
        if !self.warnings.is_empty() {
            self.verdict.detail("warnings", Value::Array(self.warnings));
        }
        self.verdict
    }
}

/// `format`: decodes the token. `json_claims` demands a JSON object payload (a JWT rather than
/// any JWS). Records `header` and `claims` details on success.
pub fn format(s: &mut Session, token: &str, json_claims: bool) -> Option<Decoded> {
    let decoded = match token::decode(token) {
        Ok(d) => d,
        Err(e) => {
            let found = match &e {
                token::TokenError::PartCount { found } => format!("{found} part(s)"),
                other => other.to_string(),
            };
            s.push(Check::fail(Id::Format, e.to_string()).expected_found(e.expected(), found).cause(e.cause()));
            return None;
        }
    };
    s.detail("header", Value::Object(decoded.header.clone()));
    match &decoded.claims {
        Ok(claims) => s.detail("claims", Value::Object(claims.clone())),
        Err(e) => {
            s.detail("claims", Bytes(decoded.payload.clone()).to_json());
            if json_claims {
                s.push(
                    Check::fail(Id::Format, e.to_string())
                        .expected_found(e.expected(), "not a JSON object")
                        .cause(e.cause()),
                );
                return None;
            }
        }
    }
    if let Some(b64) = decoded.header.get("b64") {
        if b64 != &Value::Bool(true) {
            s.push(
                Check::fail(
                    Id::Format,
                    "the header sets b64 (RFC 7797 unencoded payload), which Keyplay does not read",
                )
                .expected_found("no b64 header parameter", format!("b64: {b64}"))
                .cause("the token uses the unencoded-payload option; JWTs never do"),
            );
            return None;
        }
    }
    if let Some(crit) = decoded.header.get("crit") {
        s.push(
            Check::fail(Id::Format, format!("the header marks extensions as critical: {crit}"))
                .expected_found("no crit header parameter", crit.to_string())
                .cause(
                    "a verifier must reject tokens with critical extensions it does not understand (RFC 7515 §4.1.11)",
                ),
        );
        return None;
    }
    if decoded.header.contains_key("jwk") || decoded.header.contains_key("jku") || decoded.header.contains_key("x5u") {
        s.warn("format", "the header carries its own key (jwk/jku/x5u); Keyplay ignores it and never trusts a key chosen by the token");
    }
    let what = if decoded.claims.is_ok() {
        "JSON header and claims"
    } else {
        "JSON header; the payload is not JSON (a JWS, not a JWT)"
    };
    s.push(Check::pass(Id::Format, format!("three base64url parts, {what}")));
    Some(decoded)
}

/// The header's `alg`, when it is a string.
pub fn alg_of(header: &Map<String, Value>) -> Option<&str> {
    header.get("alg").and_then(Value::as_str)
}

/// `alg`: `none` always fails; with `required`, it must be exactly that; else one Keyplay verifies.
pub fn alg(header: &Map<String, Value>, required: Option<&str>, why: &str) -> Check {
    let want = required.map(str::to_string).unwrap_or_else(|| SUPPORTED.join(", "));
    let alg = match header.get("alg") {
        None => {
            return Check::fail(Id::Alg, "the header has no alg")
                .expected_found(want, "no alg")
                .cause("the token was built by hand without an algorithm");
        }
        Some(Value::String(a)) => a.as_str(),
        Some(other) => {
            return Check::fail(Id::Alg, format!("alg is {}, not a string", json_type(other)))
                .expected_found(want, other.to_string());
        }
    };
    if alg.eq_ignore_ascii_case("none") {
        return Check::fail(Id::Alg, "alg is none: the token is unsigned and must never be accepted")
            .expected_found(want, alg)
            .cause("the token was made without a key, or alg was changed to none to bypass verification");
    }
    match required {
        Some(req) if alg != req => {
            let cause = if alg.starts_with("HS") {
                format!("the library fell back to a shared-secret algorithm; {why}")
            } else if alg.eq_ignore_ascii_case(req) {
                "alg names are case-sensitive".into()
            } else {
                why.to_string()
            };
            Check::fail(Id::Alg, format!("alg is {alg}; {req} is required")).expected_found(req, alg).cause(cause)
        }
        Some(req) => Check::pass(Id::Alg, format!("alg is {req}")),
        None if SUPPORTED.contains(&alg) => Check::pass(Id::Alg, format!("alg is {alg}")),
        None if alg.starts_with("HS") => Check::fail(Id::Alg, format!("alg is {alg}, a shared-secret algorithm"))
            .expected_found(want, alg)
            .cause("HS* tokens are verified with a shared secret, not a public key; accepting one against a public key is the key-confusion attack"),
        None => Check::fail(Id::Alg, format!("alg {alg} is not one Keyplay verifies")).expected_found(want, alg),
    }
}

/// How the `kid` check should speak about a missing or unknown key.
pub struct KidRule<'a> {
    pub required: bool,
    pub expected: Option<&'a str>,
    /// The message when the kid names no key of the set.
    pub unknown_cause: &'a str,
}

/// `kid`: present (when required or when a JWKS has several keys), equal to the expected key id, and
/// naming a key of the JWKS. `None` when the check does not apply.
pub fn kid(header: &Map<String, Value>, keys: Option<&KeySet>, rule: &KidRule) -> Option<Check> {
    let jwks = keys.filter(|k| k.is_jwks());
    // A lone JWK needs no kid to be found; several do.
    let applies = rule.required || rule.expected.is_some() || jwks.is_some_and(|set| set.keys.len() > 1);
    let kid = match header.get("kid") {
        None if applies => {
            let want =
                rule.expected.map(|e| format!("kid: {e}")).unwrap_or_else(|| "a kid naming the signing key".into());
            return Some(
                Check::fail(Id::Kid, "the header has no kid")
                    .expected_found(want, "no kid")
                    .cause("the JWT library was not given the key id; pass it as the kid header"),
            );
        }
        None => return None,
        Some(Value::String(k)) => k.as_str(),
        Some(other) => return Some(Check::fail(Id::Kid, format!("kid is {}, not a string", json_type(other)))),
    };
    if let Some(expected) = rule.expected {
        if kid != expected {
            let cause = if kid.eq_ignore_ascii_case(expected) {
                "key ids are case-sensitive"
            } else {
                "the token names another key: an older or revoked key, or the Key ID of an APNs/DeviceCheck key"
            };
            return Some(
                Check::fail(Id::Kid, format!("kid is {kid}, not the expected {expected}"))
                    .expected_found(expected, kid)
                    .cause(cause),
            );
        }
    }
    if let Some(set) = jwks {
        if !set.keys.iter().any(|k| k.kid.as_deref() == Some(kid)) {
            return Some(
                Check::fail(Id::Kid, format!("kid {kid} names none of the {} keys given", set.keys.len()))
                    .expected_found(format!("one of {}", set.kids().join(", ")), kid)
                    .cause(rule.unknown_cause),
            );
        }
    }
    Some(Check::pass(Id::Kid, format!("kid is {kid}")))
}

/// A string claim, or a failing check saying what was there instead.
pub fn string_claim<'a>(claims: &'a Map<String, Value>, id: Id, what: &str) -> Result<&'a str, Box<Check>> {
    let name = id.id();
    match claims.get(name) {
        Some(Value::String(v)) => Ok(v),
        None => Err(Box::new(
            Check::fail(id, format!("the {name} claim is missing")).expected_found(what, format!("no {name}")),
        )),
        Some(other) => Err(Box::new(
            Check::fail(id, format!("{name} is {}, not a string", json_type(other)))
                .expected_found(what, other.to_string()),
        )),
    }
}

/// Whether a text looks like an Apple Team ID or Key ID: 10 upper-case letters or digits.
pub fn looks_like_apple_id(text: &str) -> bool {
    text.len() == 10 && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

//! Profile `generic`: any compact JWS. Format, a verifiable algorithm (never `none`), the key
//! id when the keys are a JWKS, the signature when keys are given, the time claims that are
//! present, and `iss` / `aud` / `sub` when `expected` names them.

use super::checks::{self, KidRule, Session};
use super::document::Expected;
use super::keys::KeySet;
use super::signature_check;
use super::times;
use super::JwtCheck as Id;
use crate::instant::Instant;
use crate::validator::Check;
use serde_json::{Map, Value};

/// Verifies a JWS under the generic rules.
pub fn verify(s: &mut Session, token: &str, keys: Option<&KeySet>, expected: &Expected, now: Instant, leeway: i64) {
    // 1. Split into three base64url parts; the header is a JSON object (the payload may be anything).
    let Some(decoded) = checks::format(s, token, false) else {
        return;
    };

    // 2. alg is one Keyplay verifies with a public key; none always fails.
    s.push(checks::alg(&decoded.header, None, ""));

    // 3. With a JWKS, the kid names one of its keys.
    let rule = KidRule {
        required: false,
        expected: None,
        unknown_cause: "the token was signed with a key that is not in this JWKS (rotated or wrong set)",
    };
    s.push_opt(checks::kid(&decoded.header, keys, &rule));

    // 4. With keys, the signature verifies.
    let sig = signature_check::signature(s, &decoded, keys);
    s.push_opt(sig);

    let Ok(claims) = decoded.claims.as_ref() else { return };
    s.detail("times", times::detail(claims, now));

    // 5. iss, aud and sub equal what `expected` names.
    if let Some(issuer) = expected.issuer.as_deref() {
        s.push(equals(claims, Id::Iss, issuer));
    }
    if let Some(aud) = expected.audience.as_ref() {
        s.push(audience(claims, &aud.values()));
    }
    if let Some(subject) = expected.subject.as_deref() {
        s.push(equals(claims, Id::Sub, subject));
    }

    // 6. iat (and nbf) not in the future, exp not past, each only when present.
    s.push_opt(times::iat_check(claims, now, leeway, false));
    s.push_opt(times::exp_check(claims, now, leeway, false, None));
}

fn equals(claims: &Map<String, Value>, id: Id, want: &str) -> Check {
    match checks::string_claim(claims, id, want) {
        Ok(v) if v == want => Check::pass(id, format!("{} is {want}", id.id())),
        Ok(v) => Check::fail(id, format!("{} is {v}, not {want}", id.id())).expected_found(want, v),
        Err(c) => *c,
    }
}

/// `aud` may be a string or an array (RFC 7519 §4.1.3): one of its values must be expected.
fn audience(claims: &Map<String, Value>, want: &[&str]) -> Check {
    let found: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    match found.iter().find(|a| want.contains(a)) {
        Some(a) => Check::pass(Id::Aud, format!("aud includes {a}")),
        None => Check::fail(Id::Aud, "aud names none of the expected audiences").expected_found(
            want.join(" or "),
            claims.get("aud").map(Value::to_string).unwrap_or_else(|| "no aud".into()),
        ),
    }
}

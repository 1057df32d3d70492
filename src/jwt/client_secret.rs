//! Profile `apple-client-secret`: the ES256 JWT a server signs with its `.p8` key and sends
//! as `client_secret` to `POST https://appleid.apple.com/auth/token` (auth-rules §1.1–1.4).

use super::checks::{self, looks_like_apple_id, KidRule, Session};
use super::document::Expected;
use super::keys::KeySet;
use super::signature_check;
use super::times::{self, APPLE_MAX_LIFETIME};
use super::JwtCheck as Id;
use crate::instant::Instant;
use crate::validator::Check;
use serde_json::{Map, Value};

/// The only accepted audience of a client secret.
pub const APPLE_AUDIENCE: &str = "https://appleid.apple.com";

/// Verifies a client secret, pushing `format`, `alg`, `kid`, `signature`, `iss`, `iat`, `exp`,
/// `lifetime`, `aud` and `sub` (signature only when keys are given or the signature is DER).
pub fn verify(s: &mut Session, token: &str, keys: Option<&KeySet>, expected: &Expected, now: Instant, leeway: i64) {
    // 1. Split into three base64url parts; header and claims are JSON objects.
    let Some(decoded) = checks::format(s, token, true) else {
        return;
    };
    let Ok(claims) = decoded.claims.as_ref() else { return };
    s.detail("times", times::detail(claims, now));

    // 2. Header alg must be ES256 (ECDSA P-256 with SHA-256).
    s.push(checks::alg(
        &decoded.header,
        Some("ES256"),
        "Apple accepts only ES256 client secrets signed with the .p8 key",
    ));

    // 3. Header kid: present, the Key ID of the Sign in with Apple key, and a key that was given.
    let rule = KidRule {
        required: true,
        expected: expected.key_id.as_deref(),
        unknown_cause: "the kid is the Key ID of another key; use the ID shown beside the key (AuthKey_<KEYID>.p8)",
    };
    let kid = checks::kid(&decoded.header, keys, &rule);
    if let Some(k) = decoded.header.get("kid").and_then(Value::as_str).filter(|k| !looks_like_apple_id(k)) {
        s.warn("kid", format!("kid {k} does not look like an Apple Key ID (10 upper-case letters and digits)"));
    }
    s.push_opt(kid);

    // 4. Signature: raw r‖s (64 bytes), not DER; verifies with the public key of the .p8.
    let sig = signature_check::signature(s, &decoded, keys);
    s.push_opt(sig);

    // 5. iss is the 10-character Team ID.
    s.push(iss_check(claims, expected));
    if let Some(iss) = claims.get("iss").and_then(Value::as_str).filter(|i| !looks_like_apple_id(i)) {
        if expected.team_id.is_some() {
            s.warn("iss", format!("iss {iss} does not look like a Team ID (10 upper-case letters and digits)"));
        }
    }

    // 6. iat is not in the future (with leeway).
    s.push_opt(times::iat_check(claims, now, leeway, true));

    // 7. exp is in the future, and at most 15777000 s ahead of now.
    s.push_opt(times::exp_check(claims, now, leeway, true, Some(APPLE_MAX_LIFETIME)));

    // 8. exp − iat is within Apple's maximum lifetime of 15777000 s.
    s.push_opt(lifetime_check(claims));

    // 9. aud is exactly the string "https://appleid.apple.com".
    s.push(aud_check(claims));

    // 10. sub is the client_id: the bundle ID (native) or Services ID (web), without Team ID prefix.
    s.push(sub_check(claims, expected));
}

fn iss_check(claims: &Map<String, Value>, expected: &Expected) -> Check {
    let iss = match checks::string_claim(claims, Id::Iss, "your 10-character Team ID") {
        Ok(v) => v,
        Err(c) => return (*c).cause("iss must be the Team ID of the account that owns the key"),
    };
    if let Some(team) = expected.team_id.as_deref() {
        if iss != team {
            let cause = if expected.key_id.as_deref() == Some(iss) {
                "iss holds the Key ID; it must be the Team ID"
            } else if iss.contains('.') {
                "iss holds a bundle ID or Services ID; it must be the Team ID (the App ID prefix)"
            } else {
                "the secret was made for another team, or the Team ID was mistyped"
            };
            return Check::fail(Id::Iss, format!("iss is {iss}, not the Team ID {team}"))
                .expected_found(team, iss)
                .cause(cause);
        }
        return Check::pass(Id::Iss, format!("iss is the Team ID {team}"));
    }
    if !looks_like_apple_id(iss) {
        return Check::fail(Id::Iss, format!("iss {iss} is not a Team ID"))
            .expected_found("10 upper-case letters and digits, e.g. SKMME9E2Y8", iss)
            .cause(if iss.contains('.') {
                "iss holds a bundle ID or Services ID; it must be the Team ID"
            } else {
                "iss must be the Team ID"
            });
    }
    Check::pass(Id::Iss, format!("iss {iss} looks like a Team ID (no expected team-id given to compare)"))
}

fn lifetime_check(claims: &Map<String, Value>) -> Option<Check> {
    let (times::TimeClaim::At(iat), times::TimeClaim::At(exp)) =
        (times::read(claims, "iat"), times::read(claims, "exp"))
    else {
        return None;
    };
    let lifetime = exp.0.saturating_sub(iat.0);
    let check = if lifetime <= 0 {
        Check::fail(Id::Lifetime, format!("exp is not after iat (exp − iat = {lifetime} s)"))
            .expected_found("exp later than iat", format!("{lifetime} s"))
            .cause("iat and exp were swapped, or exp was computed wrongly")
    } else if lifetime > APPLE_MAX_LIFETIME {
        Check::fail(
            Id::Lifetime,
            format!("exp − iat is {lifetime} s, more than Apple's maximum {APPLE_MAX_LIFETIME} s"),
        )
        .expected_found(format!("at most {APPLE_MAX_LIFETIME} s (about 6 months)"), format!("{lifetime} s"))
        .cause("the secret was generated with a lifetime longer than six months; Apple answers invalid_client")
    } else {
        Check::pass(Id::Lifetime, format!("exp − iat is {lifetime} s (at most {APPLE_MAX_LIFETIME})"))
    };
    Some(check)
}

fn aud_check(claims: &Map<String, Value>) -> Check {
    match claims.get("aud") {
        Some(Value::String(a)) if a == APPLE_AUDIENCE => Check::pass(Id::Aud, format!("aud is {APPLE_AUDIENCE}")),
        Some(Value::String(a)) => {
            let cause = if a.trim_end_matches('/') == APPLE_AUDIENCE {
                "a trailing slash makes it a different string"
            } else if a.eq_ignore_ascii_case(APPLE_AUDIENCE) || a.contains("appleid.apple.com") {
                "close, but aud must match byte for byte: scheme https://, host appleid.apple.com, no path"
            } else {
                "aud must name Apple's authorization server, not your client or your server"
            };
            Check::fail(Id::Aud, format!("aud is {a}")).expected_found(APPLE_AUDIENCE, a).cause(cause)
        }
        Some(Value::Array(items)) => Check::fail(Id::Aud, "aud is an array")
            .expected_found(format!("the string {APPLE_AUDIENCE}"), Value::Array(items.clone()).to_string())
            .cause("JWT allows an array of audiences, but Apple only accepts the single string; the library wrapped it in a list"),
        None => Check::fail(Id::Aud, "the aud claim is missing").expected_found(APPLE_AUDIENCE, "no aud"),
        Some(other) => Check::fail(Id::Aud, "aud is not a string").expected_found(APPLE_AUDIENCE, other.to_string()),
    }
}

fn sub_check(claims: &Map<String, Value>, expected: &Expected) -> Check {
    let sub = match checks::string_claim(claims, Id::Sub, "the client_id (bundle ID or Services ID)") {
        Ok(v) => v,
        Err(c) => return (*c).cause("sub must be the client_id sent with the request"),
    };
    let Some(client) = expected.client_id.as_deref() else {
        return Check::pass(Id::Sub, format!("sub is {sub} (no expected client-id given to compare)"));
    };
    if sub == client {
        return Check::pass(Id::Sub, format!("sub is the client id {client}"));
    }
    let cause = if sub.eq_ignore_ascii_case(client) {
        "identifiers are case-sensitive".to_string()
    } else if sub.ends_with(&format!(".{client}")) {
        "sub carries the Team ID prefix; use the identifier without it".to_string()
    } else {
        "sub must equal the client_id byte for byte: the bundle ID when the code came from the app, the Services ID \
         when it came from the web. This is the most common cause of invalid_client"
            .to_string()
    };
    Check::fail(Id::Sub, format!("sub is {sub}, not the client id {client}")).expected_found(client, sub).cause(cause)
}

//! Profile `apple-identity-token`: the RS256 identity token Sign in with Apple returns
//! (auth-rules §2.2–2.4), checked against Apple's key set.

use super::checks::{self, KidRule, Session};
use super::document::Expected;
use super::keys::{KeySet, Origin};
use super::signature_check;
use super::JwtCheck as Id;
use super::{explain, times};
use crate::instant::Instant;
use crate::validator::Check;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The issuer of every Apple identity token.
pub const APPLE_ISSUER: &str = "https://appleid.apple.com";

/// Apple's JWKS as served by `https://appleid.apple.com/auth/keys` on 2025-07-13 (see docs/jwt.md for provenance).
const BUILT_IN_JWKS: &str = include_str!("apple_jwks_2025-07-13.json");

/// The built-in snapshot of Apple's signing keys, used when the document gives no `keys`.
pub fn built_in_keys() -> KeySet {
    let entries: Vec<Map<String, Value>> = serde_json::from_str::<Value>(BUILT_IN_JWKS)
        .ok()
        .and_then(|v| v.get("keys").and_then(Value::as_array).cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|k| k.as_object().cloned())
        .collect();
    let mut set = KeySet::from_jwks(&entries, Origin::BuiltInAppleJwks);
    set.notes.push("no keys given: Keyplay's snapshot of Apple's JWKS from 2025-07-13 was used".into());
    set
}

/// Verifies an identity token, pushing `format`, `alg`, `kid`, `signature`, `iss`, `aud`, `exp`,
/// `iat` and (when a nonce is expected) `nonce`.
pub fn verify(s: &mut Session, token: &str, keys: &KeySet, expected: &Expected, now: Instant, leeway: i64) {
    // 1. Split into three base64url segments; header and claims are JSON objects.
    let Some(decoded) = checks::format(s, token, true) else {
        return;
    };
    let Ok(claims) = decoded.claims.as_ref() else { return };
    s.detail("times", times::detail(claims, now));

    // 2. Header: alg RS256, and a kid that names a key in Apple's JWKS.
    s.push(checks::alg(&decoded.header, Some("RS256"), "Apple signs identity tokens with RS256 only"));
    let rotated = if keys.origin == Origin::BuiltInAppleJwks {
        "Apple rotates its keys: the token is newer than Keyplay's 2025-07-13 snapshot (fetch \
         https://appleid.apple.com/auth/keys and pass it as keys), or it is older and its key is retired"
    } else {
        "the key rotated: the token is too old for this JWKS, or the JWKS is stale; refetch \
         https://appleid.apple.com/auth/keys (and do not cache it forever on the server)"
    };
    s.push_opt(checks::kid(
        &decoded.header,
        Some(keys),
        &KidRule { required: true, expected: None, unknown_cause: rotated },
    ));

    // 3. Verify the RSA signature over ASCII(header "." payload) with the key's (n, e).
    let sig = signature_check::signature(s, &decoded, Some(keys));
    s.push_opt(sig);

    // 4. iss is exactly https://appleid.apple.com.
    s.push(match checks::string_claim(claims, Id::Iss, APPLE_ISSUER) {
        Ok(iss) if iss == APPLE_ISSUER => Check::pass(Id::Iss, format!("iss is {APPLE_ISSUER}")),
        Ok(iss) => Check::fail(Id::Iss, format!("iss is {iss}"))
            .expected_found(APPLE_ISSUER, iss)
            .cause("this token was not issued by Sign in with Apple"),
        Err(c) => *c,
    });

    // 5. aud is the expected client id (bundle ID for the app, Services ID for the web).
    s.push(aud_check(claims, expected));

    // 6. exp is later than now − leeway.
    s.push_opt(times::exp_check(claims, now, leeway, true, None));

    // 7. iat is not later than now + leeway.
    s.push_opt(times::iat_check(claims, now, leeway, true));

    // 8.–9. nonce: the claim is the lower-case hex SHA-256 of the raw nonce (when one is expected).
    if let Some(raw) = expected.nonce.as_deref() {
        s.push(nonce_check(claims, raw));
    }

    // 10.–12. Claim types and meanings: string or bool booleans, real_user_status, transfer_sub.
    let mut apple = apple_claims(s, claims);
    if let (Some(code), Some(map)) = (expected.authorization_code.as_deref(), apple.as_object_mut()) {
        let entry = c_hash_entry(claims, code);
        if entry.get("matches") != Some(&json!(true)) {
            s.warn(
                "c_hash",
                "c_hash does not match the authorization code: the code and this token come from different sign-ins",
            );
        }
        map.insert("c_hash".into(), entry);
    }
    s.detail("apple", apple);
    if claims.contains_key("transfer_sub") {
        s.detail("explain", json!([explain::app_transfer()]));
    }
}

fn aud_check(claims: &Map<String, Value>, expected: &Expected) -> Check {
    let aud = match checks::string_claim(claims, Id::Aud, "your bundle ID or Services ID") {
        Ok(a) => a,
        Err(c) => return *c,
    };
    let Some(want) = expected.audience.as_ref().map(|a| a.values()) else {
        return Check::pass(Id::Aud, format!("aud is {aud} (no expected audience given to compare)"));
    };
    if want.contains(&aud) {
        return Check::pass(Id::Aud, format!("aud is {aud}, one of the expected audiences"));
    }
    let cause = if want.iter().any(|w| w.eq_ignore_ascii_case(aud)) {
        "identifiers are case-sensitive".to_string()
    } else {
        format!(
            "the token was issued to {aud}. A token from the native app (AuthenticationServices) has the app's bundle \
             ID as aud; a token from the web (Sign in with Apple JS, the REST redirect, Android) has the Services ID. \
             If your server accepts both flows, expect both identifiers"
        )
    };
    Check::fail(Id::Aud, format!("aud is {aud}, not {}", want.join(" or ")))
        .expected_found(want.join(" or "), aud)
        .cause(cause)
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn looks_like_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The nonce check, naming which transformation of the raw nonce the claim holds.
pub fn nonce_check(claims: &Map<String, Value>, raw: &str) -> Check {
    let hashed = sha256_hex(raw);
    let claim = match claims.get("nonce") {
        Some(Value::String(n)) => n.as_str(),
        None => {
            let supported = claims.get("nonce_supported").is_some_and(|v| v == &json!(true) || v == &json!("true"));
            let check = Check::fail(Id::Nonce, "the token has no nonce claim")
                .expected_found(format!("nonce: {hashed}"), "no nonce");
            return if supported {
                check
                    .cause("the device supports nonces (nonce_supported is true) but the app did not set request.nonce")
            } else {
                check.cause("the app did not set request.nonce, or the platform does not support nonces (no nonce_supported: true)")
            };
        }
        Some(other) => {
            return Check::fail(Id::Nonce, "nonce is not a string").expected_found(hashed, other.to_string())
        }
    };
    if claim == hashed {
        return Check::pass(Id::Nonce, "nonce is the SHA-256 hex of the raw nonce");
    }
    let fail = Check::fail(Id::Nonce, "nonce does not match the raw nonce").expected_found(&hashed, claim);
    if claim == raw && looks_like_sha256_hex(raw) {
        return fail.cause(
            "the value given as the raw nonce is already a SHA-256 hash (it equals the claim). Firebase and similar \
             services want the RAW nonce (they hash it themselves) while Apple's request needs the hash: pass the \
             value from before hashing",
        );
    }
    if claim == raw {
        return fail.cause("the app passed the raw nonce to Apple (request.nonce) instead of its SHA-256 hex; hash it in the app and keep the raw value for the server or Firebase");
    }
    if claim.eq_ignore_ascii_case(&hashed) {
        return fail.cause("the hash was written in upper-case hex; use lower-case");
    }
    if claim == crate::data::encode_base64url(&Sha256::digest(raw.as_bytes())) {
        return fail.cause("the app encoded the SHA-256 as base64url; Apple's samples and Firebase use lower-case hex");
    }
    if claim == sha256_hex(&hashed) {
        return fail.cause("the nonce was hashed twice: the value given as raw is probably already the hash, or both the app and your code hashed it");
    }
    fail.cause("the token was made for another sign-in attempt, or the app and server disagree on the nonce")
}

/// `c_hash` (OIDC Core §3.3.2.11): base64url of the left half of SHA-256 of the ASCII code.
fn c_hash_entry(claims: &Map<String, Value>, code: &str) -> Value {
    let digest = Sha256::digest(code.as_bytes());
    let want = crate::data::encode_base64url(digest.get(..16).unwrap_or_default());
    let found = claims.get("c_hash").and_then(Value::as_str);
    json!({ "value": found, "expected": want, "matches": found == Some(want.as_str()) })
}

/// Types and meanings of Apple-specific claims; warnings for odd values.
fn apple_claims(s: &mut Session, claims: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for name in ["email_verified", "is_private_email", "nonce_supported"] {
        let Some(value) = claims.get(name) else { continue };
        let entry = match value {
            Value::Bool(b) => {
                json!({ "value": b, "written-as": "boolean", "note": "Apple sends this as a boolean or as the string \"true\"/\"false\"; accept both" })
            }
            Value::String(t) if t == "true" || t == "false" => {
                json!({ "value": t == "true", "written-as": "string", "note": "a string boolean: Apple sends both forms, so parse \"true\"/\"false\" as well as true/false" })
            }
            other => {
                s.warn(name, format!("{name} is {other}; Apple sends true/false or \"true\"/\"false\""));
                json!({ "value": other, "written-as": "unexpected" })
            }
        };
        out.insert(name.into(), entry);
    }
    if let Some(status) = claims.get("real_user_status") {
        let meaning = match status.as_i64() {
            Some(0) => "0 Unsupported: the device cannot tell (not iOS 14+ native, or web)",
            Some(1) => "1 Unknown: the system is not sure; treat as a normal user",
            Some(2) => "2 LikelyReal: very likely a real person",
            _ => "unexpected value; Apple sends 0, 1 or 2",
        };
        out.insert("real_user_status".into(), json!({ "value": status, "meaning": meaning }));
    }
    if let Some(Value::String(email)) = claims.get("email") {
        let relay = email.ends_with("@privaterelay.appleid.com");
        out.insert(
            "email".into(),
            json!({ "value": email, "private-relay": relay,
            "note": "the email is not an identifier: key accounts on sub, which is stable per team" }),
        );
    }
    if claims.contains_key("transfer_sub") {
        out.insert("transfer_sub".into(), json!("present: the app was transferred between teams in the last 60 days; map the user with /auth/usermigrationinfo (TN3159)"));
    }
    Value::Object(out)
}

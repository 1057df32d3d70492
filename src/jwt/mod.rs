//! JWT validation for Sign in with Apple (kinds `jwt` and `apple-client-secret-request`).
//!
//! Profiles (see `docs/jwt.md`): `apple-client-secret` ([`client_secret`]), `apple-identity-token`
//! ([`identity_token`]), `apple-server-notification` ([`notification`], checks also `events`,
//! `event-type`) and `generic` ([`generic`]). Check ids are fixed by the document spec:
//! `format`, `alg`, `kid`, `signature`, `iss`, `aud`, `sub`, `iat`, `exp`, `lifetime`, `nonce`
//! (plus `p8` for signing requests). Bad artefacts never produce a [`DocError`]: they fail a check.
//!
//! Limits: tokens up to [`token::MAX_TOKEN_LEN`] bytes, PEM up to [`pem::MAX_PEM_LEN`] bytes,
//! JWKS up to [`keys::MAX_JWKS_KEYS`] keys, RSA keys up to 4096 bits, JSON nesting up to 128.

crate::check_ids! {
    /// The check ids of `jwt` and `apple-client-secret-request` documents.
    pub enum JwtCheck {
        Format = "format",
        Alg = "alg",
        Kid = "kid",
        Signature = "signature",
        Iss = "iss",
        Aud = "aud",
        Sub = "sub",
        Iat = "iat",
        Exp = "exp",
        Lifetime = "lifetime",
        Nonce = "nonce",
        P8 = "p8",
        /// `apple-server-notification`: the `events` claim (a JSON string).
        Events = "events",
        /// `apple-server-notification`: the event's `type`.
        EventType = "event-type",
    }
}

/// Every check id a JWT document can expect.
pub const CHECK_IDS: &[&str] = JwtCheck::IDS;

pub mod anatomy;
pub mod checks;
pub mod client_secret;
pub mod document;
pub mod explain;
pub mod generic;
pub mod identity_token;
pub mod jwk;
pub mod key_error;
pub mod keys;
pub mod notification;
pub mod pem;
pub mod public_key;
pub mod sign;
pub mod signature;
pub mod signature_check;
pub mod times;
pub mod token;
pub mod troubleshoot;

use crate::document::DocError;
use crate::instant::Instant;
use crate::validator::Verdict;
use checks::Session;
use document::{JwtDocument, Profile};
use keys::{KeySet, Origin};
use serde_json::{json, Value};

/// Default clock-skew allowance in seconds.
pub const DEFAULT_LEEWAY: u32 = 60;

/// The document's keys; the built-in Apple JWKS for identity tokens without keys.
pub fn load_keys(doc: &JwtDocument) -> Result<Option<KeySet>, DocError> {
    let Some(input) = doc.keys.as_ref() else {
        return Ok(doc.profile.uses_apple_keys().then(identity_token::built_in_keys));
    };
    key_set(input).map(Some)
}

/// The keys of a `keys` object (JWKS, PEM or `.p8`), for any document that verifies a JWT.
pub fn key_set(input: &document::KeysInput) -> Result<KeySet, DocError> {
    let set = match (&input.keys, &input.pem, &input.p8) {
        (Some(jwks), None, None) => KeySet::from_jwks(jwks, Origin::Jwks),
        (None, Some(pem), None) => KeySet::from_pem(pem),
        (None, None, Some(p8)) => KeySet::from_p8(p8),
        _ => {
            return Err(DocError::new(
                "/keys",
                "give exactly one of keys (a JWKS array), pem (a public key) or p8 (a private key)",
            ))
        }
    };
    Ok(set)
}

/// Verifies the document's token under its profile; adds the diagnosis when asked.
pub fn verify(doc: &JwtDocument, keys: Option<&KeySet>, now: Instant) -> Verdict {
    let leeway = i64::from(doc.leeway_seconds.unwrap_or(DEFAULT_LEEWAY));
    let mut s = Session::default();
    s.detail("profile", json!(doc.profile.name()));
    if let Some(set) = keys {
        for note in &set.notes {
            s.warn("keys", note.clone());
        }
    }
    for field in ignored_expectations(doc) {
        s.warn("expected", format!("expected.{field} is not used by the {} profile", doc.profile.name()));
    }
    match (doc.profile, keys) {
        (Profile::AppleClientSecret, _) => client_secret::verify(&mut s, &doc.token, keys, &doc.expected, now, leeway),
        (Profile::AppleIdentityToken, Some(set)) => {
            identity_token::verify(&mut s, &doc.token, set, &doc.expected, now, leeway)
        }
        (Profile::AppleIdentityToken, None) => {
            let set = identity_token::built_in_keys();
            identity_token::verify(&mut s, &doc.token, &set, &doc.expected, now, leeway)
        }
        (Profile::AppleServerNotification, Some(set)) => {
            notification::verify(&mut s, &doc.token, set, &doc.expected, now, leeway)
        }
        (Profile::AppleServerNotification, None) => {
            let set = identity_token::built_in_keys();
            notification::verify(&mut s, &doc.token, &set, &doc.expected, now, leeway)
        }
        (Profile::Generic, _) => generic::verify(&mut s, &doc.token, keys, &doc.expected, now, leeway),
    }
    if let Some(t) = doc.troubleshoot.as_ref() {
        // The token is the client secret only under that profile; otherwise only the request is examined.
        let (secret, secret_checks) = if doc.profile == Profile::AppleClientSecret {
            (Some(doc.token.as_str()), s.verdict.checks.clone())
        } else {
            (None, Vec::new())
        };
        s.detail("diagnosis", troubleshoot::diagnose(t, secret, &secret_checks, now));
    }
    s.finish()
}

/// The `expected` fields the document's profile does not read (a likely mix-up worth a warning).
fn ignored_expectations(doc: &JwtDocument) -> Vec<&'static str> {
    let e = &doc.expected;
    let given = [
        ("team-id", e.team_id.is_some()),
        ("client-id", e.client_id.is_some()),
        ("key-id", e.key_id.is_some()),
        ("audience", e.audience.is_some()),
        ("nonce", e.nonce.is_some()),
        ("authorization-code", e.authorization_code.is_some()),
        ("issuer", e.issuer.is_some()),
        ("subject", e.subject.is_some()),
    ];
    let used: &[&str] = match doc.profile {
        Profile::AppleClientSecret => &["team-id", "client-id", "key-id"],
        Profile::AppleIdentityToken => &["audience", "nonce", "authorization-code"],
        Profile::AppleServerNotification => &["audience", "subject"],
        Profile::Generic => &["issuer", "audience", "subject"],
    };
    given.iter().filter(|(name, present)| *present && !used.contains(name)).map(|(name, _)| *name).collect()
}

/// The explainers, as JSON, for a UI.
pub fn explainers() -> Value {
    serde_json::to_value(explain::all()).unwrap_or(Value::Null)
}

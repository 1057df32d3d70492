//! The `signature` check: picks the keys the header's kid names (else every key), verifies,
//! and reports the most telling failure (a DER signature first, key problems last).

use super::checks::{alg_of, Session};
use super::keys::{Key, KeyError, KeySet, Origin};
use super::signature::{self, SigError};
use super::token::Decoded;
use super::JwtCheck as Id;
use crate::validator::Check;
use serde_json::{json, Value};

/// `signature`: verifies against the keys (the ones the kid names first). Without keys, only
/// a DER-encoded ECDSA signature is caught; otherwise the check is omitted.
pub fn signature(s: &mut Session, decoded: &Decoded, keys: Option<&KeySet>) -> Option<Check> {
    let alg = alg_of(&decoded.header).unwrap_or("(none)");
    let Some(set) = keys else {
        if alg.starts_with("ES") && signature::looks_like_der(&decoded.signature) {
            let e = SigError::Der {
                alg: alg.into(),
                len: decoded.signature.len(),
                raw: if alg == "ES384" { 96 } else { 64 },
                der_verifies: false,
            };
            return Some(
                Check::fail(Id::Signature, e.to_string()).expected_found("raw r‖s", "ASN.1 DER").cause(e.cause()),
            );
        }
        s.warn("signature", "no keys were given, so the signature was not verified");
        return None;
    };
    if alg.eq_ignore_ascii_case("none") {
        return Some(
            Check::fail(Id::Signature, "alg none: there is no signature to verify")
                .expected_found("a signature made with the given key", "none")
                .cause("unsigned tokens carry no proof of origin"),
        );
    }
    let kid = decoded.header.get("kid").and_then(Value::as_str);
    let named: Vec<&Key> = set.keys.iter().filter(|k| kid.is_some() && k.kid.as_deref() == kid).collect();
    let candidates: Vec<&Key> = if named.is_empty() { set.keys.iter().collect() } else { named };
    let mut failures: Vec<(&Key, Failure)> = Vec::new();
    for key in candidates {
        match try_key(key, alg, decoded) {
            Ok(()) => {
                let public = key.key.as_ref().ok();
                s.detail(
                    "key",
                    json!({
                        "source": key.source,
                        "kid": key.kid,
                        "type": public.map(|p| p.describe()),
                        "jwk": public.map(|p| p.to_jwk(key.kid.as_deref())),
                        "pem": public.and_then(|p| p.to_pem()),
                    }),
                );
                let who = key.kid.as_deref().map(|k| format!(" (kid {k})")).unwrap_or_default();
                return Some(Check::pass(Id::Signature, format!("{alg} signature verifies with {}{who}", key.source)));
            }
            Err(f) => failures.push((key, f)),
        }
    }
    failures.sort_by_key(|(_, f)| f.rank());
    let Some((key, failure)) = failures.into_iter().next() else {
        return Some(Check::fail(Id::Signature, "no keys were given to verify with").cause("the JWKS is empty"));
    };
    let check = match failure {
        Failure::Sig(e) => {
            let found = match &e {
                SigError::Der { len, .. } => format!("{len}-byte DER signature"),
                SigError::Length { found, .. } => format!("{found} bytes"),
                SigError::KeyMismatch { key, .. } => key.clone(),
                _ => format!("{} signature bytes that do not verify", decoded.signature.len()),
            };
            Check::fail(Id::Signature, format!("{e} (tried {})", key.source))
                .expected_found(format!("a valid {alg} signature"), found)
                .cause(e.cause())
        }
        Failure::Unusable(reason) => Check::fail(Id::Signature, format!("{} cannot verify: {reason}", key.source))
            .expected_found("a signing key (use: sig)", reason)
            .cause("the key was published for encryption, not signatures"),
        Failure::AlgMismatch(jwk_alg) => {
            Check::fail(Id::Signature, format!("{} is for {jwk_alg}, but the token says {alg}", key.source))
                .expected_found(jwk_alg, alg)
                .cause("the header alg was changed, or the wrong key was given")
        }
        Failure::Key(e) => Check::fail(Id::Signature, format!("{} cannot be used: {e}", key.source))
            .expected_found(
                if set.origin == Origin::P8 {
                    "a PKCS#8 EC P-256 private key (BEGIN PRIVATE KEY)"
                } else {
                    "a public key for the token's alg"
                },
                e.to_string(),
            )
            .cause(e.cause()),
    };
    Some(check)
}

enum Failure {
    Sig(SigError),
    Unusable(String),
    AlgMismatch(String),
    Key(KeyError),
}

impl Failure {
    /// Most telling first: a DER signature, a real mismatch, then key problems.
    fn rank(&self) -> u8 {
        match self {
            Failure::Sig(SigError::Der { .. }) => 0,
            Failure::Sig(SigError::KeyMismatch { .. }) => 3,
            Failure::Sig(_) => 1,
            Failure::Unusable(_) | Failure::AlgMismatch(_) => 2,
            Failure::Key(_) => 4,
        }
    }
}

fn try_key(key: &Key, alg: &str, decoded: &Decoded) -> Result<(), Failure> {
    let public = key.key.as_ref().map_err(|e| Failure::Key(e.clone()))?;
    key.for_signing.clone().map_err(Failure::Unusable)?;
    if let Some(jwk_alg) = key.alg.as_deref().filter(|a| *a != alg) {
        return Err(Failure::AlgMismatch(jwk_alg.into()));
    }
    signature::verify(alg, public, decoded.signing_input.as_bytes(), &decoded.signature).map_err(Failure::Sig)
}

//! Public JWKs (RFC 7517, RFC 7518 §6): EC P-256, EC P-384 and RSA, and the `use` /
//! `key_ops` members that say whether a key may verify signatures.

use super::key_error::KeyError;
use super::public_key::PublicKey;
use crate::data::decode_base64;
use serde_json::{Map, Value};

/// `use` must be `sig` when present; `key_ops` must include `verify` when present (RFC 7517 §4.2–4.3).
pub fn jwk_signing_use(jwk: &Map<String, Value>) -> Result<(), String> {
    if let Some(usage) = jwk.get("use") {
        if usage.as_str() != Some("sig") {
            return Err(format!(
                "the JWK says use: {usage}, so it is not for verifying signatures"
            ));
        }
    }
    if let Some(ops) = jwk.get("key_ops") {
        let verify = ops
            .as_array()
            .is_some_and(|a| a.iter().any(|o| o.as_str() == Some("verify")));
        if !verify {
            return Err(format!("the JWK's key_ops {ops} do not include verify"));
        }
    }
    Ok(())
}

fn jwk_bytes(jwk: &Map<String, Value>, field: &'static str) -> Result<Vec<u8>, KeyError> {
    let text = jwk
        .get(field)
        .and_then(Value::as_str)
        .ok_or(KeyError::JwkMissing { field })?;
    decode_base64(text).map_err(|detail| KeyError::JwkBase64 { field, detail })
}

fn ec_coordinate<const N: usize>(
    jwk: &Map<String, Value>,
    field: &'static str,
    crv: &'static str,
) -> Result<Vec<u8>, KeyError> {
    let bytes = jwk_bytes(jwk, field)?;
    if bytes.len() != N {
        return Err(KeyError::JwkLength {
            field,
            found: bytes.len(),
            expected: N,
            crv,
        });
    }
    Ok(bytes)
}

/// A public JWK (RFC 7517/7518 §6) to a key.
pub fn from_jwk(jwk: &Map<String, Value>) -> Result<PublicKey, KeyError> {
    let kty = jwk
        .get("kty")
        .and_then(Value::as_str)
        .ok_or(KeyError::JwkMissing { field: "kty" })?;
    let crv = jwk.get("crv").and_then(Value::as_str);
    match (kty, crv) {
        ("EC", Some("P-256")) => {
            let x = ec_coordinate::<32>(jwk, "x", "P-256")?;
            let y = ec_coordinate::<32>(jwk, "y", "P-256")?;
            p256::ecdsa::VerifyingKey::from_sec1_bytes(&uncompressed(&x, &y))
                .map(PublicKey::P256)
                .map_err(|_| KeyError::JwkNotOnCurve { crv: "P-256" })
        }
        ("EC", Some("P-384")) => {
            let x = ec_coordinate::<48>(jwk, "x", "P-384")?;
            let y = ec_coordinate::<48>(jwk, "y", "P-384")?;
            p384::ecdsa::VerifyingKey::from_sec1_bytes(&uncompressed(&x, &y))
                .map(PublicKey::P384)
                .map_err(|_| KeyError::JwkNotOnCurve { crv: "P-384" })
        }
        ("RSA", _) => {
            let n = rsa::BigUint::from_bytes_be(&jwk_bytes(jwk, "n")?);
            let e = rsa::BigUint::from_bytes_be(&jwk_bytes(jwk, "e")?);
            rsa::RsaPublicKey::new(n, e)
                .map(PublicKey::Rsa)
                .map_err(|e| KeyError::Rsa { detail: e.to_string() })
        }
        (kty, crv) => Err(KeyError::Unsupported {
            kty: kty.into(),
            crv: crv.map(str::to_string),
        }),
    }
}

/// `04 ‖ x ‖ y`, the SEC1 uncompressed point.
fn uncompressed(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut point = Vec::with_capacity(1 + x.len() + y.len());
    point.push(0x04);
    point.extend_from_slice(x);
    point.extend_from_slice(y);
    point
}

//! Credential public keys: COSE_Key (RFC 9052 / WebAuthn `#sctn-alg-identifier`), PEM
//! (SubjectPublicKeyInfo) and JWK, and signature verification with them.
//!
//! Supported: ES256 (-7, P-256), ES384 (-35, P-384), EdDSA (-8, Ed25519), RS256 (-257),
//! PS256 (-37). RSA moduli are limited to [`MAX_RSA_BITS`] bits.

use crate::attest::cbor;
use ciborium::Value;

pub use super::signature::{alg_fits, default_alg, verify};
pub use crate::attest::key::{
    from_pem, from_spki_der, key_type, rsa_key, to_pem, to_spki_der, PublicKey, MAX_RSA_BITS,
};

/// A key with the COSE algorithm it is bound to (when known).
#[derive(Debug, Clone, PartialEq)]
pub struct CoseKey {
    pub key: PublicKey,
    pub alg: Option<i64>,
}

/// The name of a COSE algorithm identifier, or None when unknown.
pub fn alg_name(alg: i64) -> Option<&'static str> {
    Some(match alg {
        -7 => "ES256",
        -8 => "EdDSA",
        -9 => "ESP256",
        -19 => "Ed25519",
        -35 => "ES384",
        -36 => "ES512",
        -37 => "PS256",
        -38 => "PS384",
        -39 => "PS512",
        -48 => "ML-DSA-44",
        -49 => "ML-DSA-65",
        -50 => "ML-DSA-87",
        -51 => "ESP384",
        -52 => "ESP512",
        -257 => "RS256",
        -258 => "RS384",
        -259 => "RS512",
        -65535 => "RS1",
        _ => return None,
    })
}

/// `-7 (ES256)` or `-4711 (unknown)`.
pub fn alg_label(alg: i64) -> String {
    format!("{alg} ({})", alg_name(alg).unwrap_or("unknown"))
}

fn bytes_field<'a>(map: &'a [(Value, Value)], label: i64, what: &str) -> Result<&'a [u8], String> {
    match cbor::get_int(map, label) {
        Some(Value::Bytes(b)) => Ok(b),
        Some(other) => Err(format!("COSE key {what} (label {label}) is a {}, not bytes", cbor::type_name(other))),
        None => Err(format!("COSE key has no {what} (label {label})")),
    }
}

/// Parses a COSE_Key from its CBOR bytes.
pub fn from_cose(bytes: &[u8]) -> Result<CoseKey, String> {
    from_value(&cbor::decode_whole(bytes).map_err(|e| e.to_string())?)
}

/// Reads a COSE_Key from its decoded CBOR map.
pub fn from_value(value: &Value) -> Result<CoseKey, String> {
    let map =
        cbor::as_map(value).ok_or_else(|| format!("the COSE key is not a CBOR map ({})", cbor::type_name(value)))?;
    let kty = cbor::get_int(map, 1).and_then(cbor::as_i64).ok_or("COSE key has no integer kty (label 1)")?;
    let alg = cbor::get_int(map, 3).and_then(cbor::as_i64);
    let key = match kty {
        2 => {
            let crv = cbor::get_int(map, -1).and_then(cbor::as_i64).ok_or("EC2 key has no crv (label -1)")?;
            let x = bytes_field(map, -2, "x")?;
            let y = match cbor::get_int(map, -3) {
                Some(Value::Bytes(b)) => b.as_slice(),
                Some(_) => {
                    return Err("EC2 key y (label -3) is a compressed sign bit; WebAuthn needs uncompressed".into())
                }
                None => return Err("EC2 key has no y (label -3)".into()),
            };
            let mut point = vec![4u8];
            point.extend_from_slice(x);
            point.extend_from_slice(y);
            match (crv, x.len(), y.len()) {
                (1, 32, 32) => PublicKey::P256(
                    p256::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                        .map_err(|_| "EC2 P-256 point is not on the curve")?,
                ),
                (2, 48, 48) => PublicKey::P384(
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                        .map_err(|_| "EC2 P-384 point is not on the curve")?,
                ),
                (1 | 2, _, _) => {
                    return Err(format!("EC2 coordinates of {} and {} bytes do not fit crv {crv}", x.len(), y.len()))
                }
                _ => return Err(format!("EC2 curve {crv} is not supported (1 = P-256, 2 = P-384)")),
            }
        }
        1 => {
            let crv = cbor::get_int(map, -1).and_then(cbor::as_i64).ok_or("OKP key has no crv (label -1)")?;
            if crv != 6 {
                return Err(format!("OKP curve {crv} is not supported (6 = Ed25519)"));
            }
            let x: [u8; 32] = bytes_field(map, -2, "x")?.try_into().map_err(|_| "Ed25519 x must be 32 bytes")?;
            PublicKey::Ed25519(
                ed25519_dalek::VerifyingKey::from_bytes(&x).map_err(|_| "Ed25519 key is not a valid point")?,
            )
        }
        3 => {
            let n = bytes_field(map, -1, "n")?;
            let e = bytes_field(map, -2, "e")?;
            PublicKey::Rsa(rsa_key(n, e)?)
        }
        other => return Err(format!("COSE kty {other} is not supported (1 OKP, 2 EC2, 3 RSA)")),
    };
    Ok(CoseKey { key, alg })
}

/// Encodes a key as a COSE_Key (with `alg` when given).
pub fn to_cose(key: &CoseKey) -> Result<Vec<u8>, String> {
    let mut map: Vec<(Value, Value)> = Vec::new();
    let int = |i: i64| Value::Integer(i.into());
    let (kty, params): (i64, Vec<(i64, Value)>) = match &key.key {
        PublicKey::P256(k) => {
            let p = k.to_encoded_point(false);
            (
                2,
                vec![
                    (-1, int(1)),
                    (-2, Value::Bytes(p.x().map(|x| x.to_vec()).unwrap_or_default())),
                    (-3, Value::Bytes(p.y().map(|y| y.to_vec()).unwrap_or_default())),
                ],
            )
        }
        PublicKey::P384(k) => {
            let p = k.to_encoded_point(false);
            (
                2,
                vec![
                    (-1, int(2)),
                    (-2, Value::Bytes(p.x().map(|x| x.to_vec()).unwrap_or_default())),
                    (-3, Value::Bytes(p.y().map(|y| y.to_vec()).unwrap_or_default())),
                ],
            )
        }
        PublicKey::Ed25519(k) => (1, vec![(-1, int(6)), (-2, Value::Bytes(k.to_bytes().to_vec()))]),
        PublicKey::Rsa(k) => {
            use rsa::traits::PublicKeyParts;
            (3, vec![(-1, Value::Bytes(k.n().to_bytes_be())), (-2, Value::Bytes(k.e().to_bytes_be()))])
        }
    };
    map.push((int(1), int(kty)));
    if let Some(alg) = key.alg {
        map.push((int(3), int(alg)));
    }
    map.extend(params.into_iter().map(|(l, v)| (int(l), v)));
    let mut out = Vec::new();
    ciborium::ser::into_writer(&Value::Map(map), &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

fn jwk_bytes(jwk: &serde_json::Value, field: &str) -> Result<Vec<u8>, String> {
    let text = jwk.get(field).and_then(|v| v.as_str()).ok_or_else(|| format!("JWK has no string {field}"))?;
    crate::data::decode_base64(text).map_err(|e| format!("JWK {field}: {e}"))
}

/// Parses a public JWK (EC P-256/P-384, OKP Ed25519, RSA), with its `alg` mapped to COSE.
pub fn from_jwk(jwk: &serde_json::Value) -> Result<CoseKey, String> {
    let kty = jwk.get("kty").and_then(|v| v.as_str()).ok_or("JWK has no kty")?;
    let alg = match jwk.get("alg").and_then(|v| v.as_str()) {
        Some("ES256") => Some(-7),
        Some("ES384") => Some(-35),
        Some("EdDSA" | "Ed25519") => Some(-8),
        Some("RS256") => Some(-257),
        Some("PS256") => Some(-37),
        _ => None,
    };
    let key = match kty {
        "EC" => {
            let crv = jwk.get("crv").and_then(|v| v.as_str()).unwrap_or("");
            let mut point = vec![4u8];
            point.extend(jwk_bytes(jwk, "x")?);
            point.extend(jwk_bytes(jwk, "y")?);
            match crv {
                "P-256" => PublicKey::P256(
                    p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|_| "JWK P-256 point invalid")?,
                ),
                "P-384" => PublicKey::P384(
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|_| "JWK P-384 point invalid")?,
                ),
                other => return Err(format!("JWK curve {other} is not supported")),
            }
        }
        "OKP" => {
            let x: [u8; 32] = jwk_bytes(jwk, "x")?.try_into().map_err(|_| "Ed25519 x must be 32 bytes")?;
            PublicKey::Ed25519(ed25519_dalek::VerifyingKey::from_bytes(&x).map_err(|_| "JWK Ed25519 key invalid")?)
        }
        "RSA" => PublicKey::Rsa(rsa_key(&jwk_bytes(jwk, "n")?, &jwk_bytes(jwk, "e")?)?),
        other => return Err(format!("JWK kty {other} is not supported")),
    };
    Ok(CoseKey { key, alg })
}

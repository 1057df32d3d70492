//! A public key Keyplay can verify with, and its JWK and PEM forms for the report.

use crate::data::encode_base64url;
use p256::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

/// A public key Keyplay can verify with.
#[derive(Debug, Clone)]
pub enum PublicKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

impl PublicKey {
    /// Short description: `EC P-256`, `RSA 2048-bit`.
    pub fn describe(&self) -> String {
        match self {
            PublicKey::P256(_) => "EC P-256".into(),
            PublicKey::P384(_) => "EC P-384".into(),
            PublicKey::Rsa(k) => format!("RSA {}-bit", k.n().bits()),
        }
    }

    /// The key as a public JWK, with `kid` when known.
    pub fn to_jwk(&self, kid: Option<&str>) -> Value {
        let mut jwk = match self {
            PublicKey::P256(k) => {
                let point = k.to_encoded_point(false);
                ec_jwk("P-256", point.x().map(|x| &x[..]), point.y().map(|y| &y[..]))
            }
            PublicKey::P384(k) => {
                let point = k.to_encoded_point(false);
                ec_jwk("P-384", point.x().map(|x| &x[..]), point.y().map(|y| &y[..]))
            }
            PublicKey::Rsa(k) => json!({
                "kty": "RSA",
                "n": encode_base64url(&k.n().to_bytes_be()),
                "e": encode_base64url(&k.e().to_bytes_be()),
            }),
        };
        if let (Some(kid), Some(map)) = (kid, jwk.as_object_mut()) {
            map.insert("kid".into(), json!(kid));
        }
        jwk
    }

    /// The key as an SPKI PEM (`BEGIN PUBLIC KEY`).
    pub fn to_pem(&self) -> Option<String> {
        let pem = match self {
            PublicKey::P256(k) => k.to_public_key_pem(der::pem::LineEnding::LF),
            PublicKey::P384(k) => k.to_public_key_pem(der::pem::LineEnding::LF),
            PublicKey::Rsa(k) => k.to_public_key_pem(der::pem::LineEnding::LF),
        };
        pem.ok()
    }
}

fn ec_jwk(crv: &str, x: Option<&[u8]>, y: Option<&[u8]>) -> Value {
    json!({
        "kty": "EC",
        "crv": crv,
        "x": encode_base64url(x.unwrap_or_default()),
        "y": encode_base64url(y.unwrap_or_default()),
    })
}

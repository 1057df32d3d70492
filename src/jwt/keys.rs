//! The keys a token is checked against: a JWKS, an SPKI (or certificate) PEM, or a PKCS#8
//! `.p8` private key whose public half is derived. Keys that cannot be read are kept, with
//! the reason, so that the `kid` and `signature` checks can say what was wrong with them.
//!
//! Limits: at most [`MAX_JWKS_KEYS`] keys in a JWKS; RSA moduli of at most 4096 bits (the
//! `rsa` crate's limit); PEM text as in [`super::pem::MAX_PEM_LEN`].

use super::jwk::jwk_signing_use;
use super::pem::{self, oid_name, PrivateKeyKind, OID_EC_PUBLIC_KEY, OID_P256, OID_P384, OID_RSA};
use der::{Decode, Encode};
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};
use serde_json::{Map, Value};

pub use super::jwk::from_jwk;
pub use super::key_error::KeyError;
pub use super::public_key::PublicKey;

/// The most keys read from one JWKS.
pub const MAX_JWKS_KEYS: usize = 64;

/// Where a key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Jwks,
    BuiltInAppleJwks,
    Pem,
    P8,
}

/// One key, as given.
#[derive(Debug, Clone)]
pub struct Key {
    pub kid: Option<String>,
    /// Where in the document (`keys/keys/0`, `keys/pem`, …).
    pub source: String,
    /// The JWK's `alg`, when it names one.
    pub alg: Option<String>,
    /// `Err(reason)` when the JWK's `use` / `key_ops` forbid verifying signatures.
    pub for_signing: Result<(), String>,
    pub key: Result<PublicKey, KeyError>,
}

/// The keys given (or built in).
#[derive(Debug, Clone)]
pub struct KeySet {
    pub origin: Origin,
    pub keys: Vec<Key>,
    pub notes: Vec<String>,
}

impl KeySet {
    pub fn is_jwks(&self) -> bool {
        matches!(self.origin, Origin::Jwks | Origin::BuiltInAppleJwks)
    }

    pub fn kids(&self) -> Vec<&str> {
        self.keys.iter().filter_map(|k| k.kid.as_deref()).collect()
    }

    /// A JWKS given in the document.
    pub fn from_jwks(entries: &[Map<String, Value>], origin: Origin) -> KeySet {
        let mut notes = Vec::new();
        if entries.len() > MAX_JWKS_KEYS {
            notes.push(format!(
                "only the first {MAX_JWKS_KEYS} of {} keys were read",
                entries.len()
            ));
        }
        let prefix = if origin == Origin::BuiltInAppleJwks {
            "built-in Apple JWKS"
        } else {
            "keys/keys"
        };
        let keys = entries
            .iter()
            .take(MAX_JWKS_KEYS)
            .enumerate()
            .map(|(i, jwk)| Key {
                kid: jwk.get("kid").and_then(Value::as_str).map(str::to_string),
                source: format!("{prefix}/{i}"),
                alg: jwk.get("alg").and_then(Value::as_str).map(str::to_string),
                for_signing: jwk_signing_use(jwk),
                key: from_jwk(jwk),
            })
            .collect();
        KeySet { origin, keys, notes }
    }

    /// One SPKI public key (or a certificate, whose key is used).
    pub fn from_pem(text: &str) -> KeySet {
        let mut notes = Vec::new();
        let key = public_from_pem(text, &mut notes);
        KeySet {
            origin: Origin::Pem,
            keys: vec![single(key, "keys/pem")],
            notes,
        }
    }

    /// The public half of a `.p8` private key.
    pub fn from_p8(text: &str) -> KeySet {
        let mut notes = Vec::new();
        let key = read_p8(text, &mut notes)
            .map(|secret| PublicKey::P256(p256::ecdsa::VerifyingKey::from(secret.public_key())));
        KeySet {
            origin: Origin::P8,
            keys: vec![single(key, "keys/p8")],
            notes,
        }
    }
}

fn single(key: Result<PublicKey, KeyError>, source: &str) -> Key {
    Key {
        kid: None,
        source: source.into(),
        alg: None,
        for_signing: Ok(()),
        key,
    }
}

/// Reads a `.p8` (PKCS#8 P-256 private key), saying precisely what else it is when it is not.
pub fn read_p8(text: &str, notes: &mut Vec<String>) -> Result<p256::SecretKey, KeyError> {
    let pem = pem::read(text)?;
    notes.extend(pem.notes.iter().cloned());
    if let Some(label @ ("PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE")) = pem.label.as_deref() {
        return Err(KeyError::PublicGivenAsPrivate { label: label.into() });
    }
    match pem::classify_private(pem.label.as_deref(), &pem.der) {
        Some(PrivateKeyKind::Sec1) => Err(KeyError::Sec1),
        Some(PrivateKeyKind::Pkcs1Rsa) => Err(KeyError::RsaPrivate),
        Some(PrivateKeyKind::Encrypted) => Err(KeyError::Encrypted),
        Some(PrivateKeyKind::Pkcs8 { algorithm, curve }) => {
            if algorithm == OID_RSA {
                return Err(KeyError::RsaPrivate);
            }
            if algorithm != OID_EC_PUBLIC_KEY || curve != Some(OID_P256) {
                let found = match curve {
                    Some(c) if algorithm == OID_EC_PUBLIC_KEY => format!("an EC key on {}", oid_name(&c)),
                    _ => format!("a {} key", oid_name(&algorithm)),
                };
                return Err(KeyError::WrongAlgorithm { found });
            }
            p256::SecretKey::from_pkcs8_der(&pem.der).map_err(|e| KeyError::Der { detail: e.to_string() })
        }
        None => match pem.label {
            Some(label) if label != "PRIVATE KEY" => Err(KeyError::WrongLabel {
                label,
                expected: "PRIVATE KEY",
            }),
            Some(_) => Err(KeyError::Der {
                detail: "not a PKCS#8 PrivateKeyInfo".into(),
            }),
            None => Err(KeyError::NotPem),
        },
    }
}

fn public_from_pem(text: &str, notes: &mut Vec<String>) -> Result<PublicKey, KeyError> {
    let pem = pem::read(text)?;
    notes.extend(pem.notes.iter().cloned());
    match pem.label.as_deref() {
        Some("PUBLIC KEY") | None => public_from_spki(&pem.der),
        Some("RSA PUBLIC KEY") => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            rsa::RsaPublicKey::from_pkcs1_der(&pem.der)
                .map(PublicKey::Rsa)
                .map_err(|e| KeyError::Rsa { detail: e.to_string() })
        }
        Some("CERTIFICATE") => {
            let cert =
                x509_cert::Certificate::from_der(&pem.der).map_err(|e| KeyError::Der { detail: e.to_string() })?;
            let spki = cert
                .tbs_certificate
                .subject_public_key_info
                .to_der()
                .map_err(|e| KeyError::Der { detail: e.to_string() })?;
            notes.push("the key was taken from the certificate; its validity and chain were not checked".into());
            public_from_spki(&spki)
        }
        Some("PRIVATE KEY" | "EC PRIVATE KEY") => {
            let secret = read_p8(text, &mut Vec::new())?;
            notes.push("a private key was given as pem; its public half was used. Share only public keys.".into());
            Ok(PublicKey::P256(p256::ecdsa::VerifyingKey::from(secret.public_key())))
        }
        Some(other) => Err(KeyError::WrongLabel {
            label: other.into(),
            expected: "PUBLIC KEY",
        }),
    }
}

fn public_from_spki(der: &[u8]) -> Result<PublicKey, KeyError> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|e| KeyError::Der { detail: e.to_string() })?;
    let algorithm = spki.algorithm.oid;
    let curve = spki.algorithm.parameters_oid().ok();
    let der_error = |e: spki::Error| KeyError::Der { detail: e.to_string() };
    match (algorithm, curve) {
        (a, Some(c)) if a == OID_EC_PUBLIC_KEY && c == OID_P256 => p256::ecdsa::VerifyingKey::from_public_key_der(der)
            .map(PublicKey::P256)
            .map_err(der_error),
        (a, Some(c)) if a == OID_EC_PUBLIC_KEY && c == OID_P384 => p384::ecdsa::VerifyingKey::from_public_key_der(der)
            .map(PublicKey::P384)
            .map_err(der_error),
        (a, _) if a == OID_RSA => rsa::RsaPublicKey::from_public_key_der(der)
            .map(PublicKey::Rsa)
            .map_err(der_error),
        (a, c) => Err(KeyError::Unsupported {
            kty: oid_name(&a),
            crv: c.map(|c| oid_name(&c)),
        }),
    }
}

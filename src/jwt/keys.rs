//! The keys a token is checked against: a JWKS, an SPKI (or certificate) PEM, or a PKCS#8
//! `.p8` private key whose public half is derived. Keys that cannot be read are kept, with
//! the reason, so that the `kid` and `signature` checks can say what was wrong with them.
//!
//! Limits: at most [`MAX_JWKS_KEYS`] keys in a JWKS; RSA moduli of at most 4096 bits (the
//! `rsa` crate's limit); PEM text as in [`super::pem::MAX_PEM_LEN`].

use super::pem::{self, oid_name, PrivateKeyKind, OID_EC_PUBLIC_KEY, OID_P256, OID_P384, OID_RSA};
use crate::data::{decode_base64, encode_base64url};
use der::{Decode, Encode};
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Map, Value};

/// The most keys read from one JWKS.
pub const MAX_JWKS_KEYS: usize = 64;

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

/// Why a key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("{0}")]
    Pem(#[from] pem::PemError),
    #[error("this is a SEC1 EC PRIVATE KEY; Apple's .p8 is PKCS#8 (BEGIN PRIVATE KEY)")]
    Sec1,
    #[error("this is an RSA private key; a Sign in with Apple key is an EC P-256 key in PKCS#8")]
    RsaPrivate,
    #[error("this is an encrypted private key; Apple's .p8 is not encrypted")]
    Encrypted,
    #[error("this is a public key ({label}); p8 needs the private key, or give it as pem")]
    PublicGivenAsPrivate { label: String },
    #[error("this PKCS#8 key is {found}; Apple's .p8 is an EC key on P-256")]
    WrongAlgorithm { found: String },
    #[error("there is no -----BEGIN PRIVATE KEY----- line, and the text is not base64 DER of a key either")]
    NotPem,
    #[error("the PEM label is {label}; expected {expected}")]
    WrongLabel { label: String, expected: &'static str },
    #[error("the key's DER cannot be read: {detail}")]
    Der { detail: String },
    #[error("the JWK has no {field}")]
    JwkMissing { field: &'static str },
    #[error("the JWK's {field} is not base64url: {detail}")]
    JwkBase64 { field: &'static str, detail: String },
    #[error("the JWK's {field} is {found} bytes; {crv} needs {expected}")]
    JwkLength {
        field: &'static str,
        found: usize,
        expected: usize,
        crv: &'static str,
    },
    #[error("the JWK's point is not on the curve {crv}")]
    JwkNotOnCurve { crv: &'static str },
    #[error("the JWK has kty {kty}{}; Keyplay verifies EC P-256, EC P-384 and RSA keys", .crv.as_deref().map(|c| format!(" / crv {c}")).unwrap_or_default())]
    Unsupported { kty: String, crv: Option<String> },
    #[error("the RSA key is not usable: {detail}")]
    Rsa { detail: String },
}

impl KeyError {
    /// The most likely cause and the fix, in plain words.
    pub fn cause(&self) -> String {
        match self {
            KeyError::Sec1 => "the key was converted with `openssl ec` or generated with `openssl ecparam -genkey`; \
                convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem`, or use the AuthKey_<KEYID>.p8 Apple \
                let you download"
                .into(),
            KeyError::RsaPrivate => "an RSA key was pasted; Sign in with Apple keys are ES256 (P-256) keys created \
                in Certificates, Identifiers & Profiles › Keys"
                .into(),
            KeyError::Encrypted => "decrypt it first (`openssl pkcs8 -in key.pem -nocrypt`)".into(),
            KeyError::PublicGivenAsPrivate { .. } => "the public key was pasted where the private .p8 belongs".into(),
            KeyError::WrongAlgorithm { .. } => "this is not the key Apple issued; Apple's keys are P-256".into(),
            KeyError::NotPem => "paste the whole .p8 file, including its BEGIN and END lines".into(),
            KeyError::Pem(_) => "the PEM text was damaged when copied (missing lines, stray characters)".into(),
            KeyError::JwkBase64 { .. } | KeyError::JwkLength { .. } | KeyError::JwkNotOnCurve { .. } => {
                "the JWK was edited or truncated".into()
            }
            _ => "the key material is not what the token needs".into(),
        }
    }
}

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

/// `use` must be `sig` when present; `key_ops` must include `verify` when present (RFC 7517 §4.2–4.3).
fn jwk_signing_use(jwk: &Map<String, Value>) -> Result<(), String> {
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

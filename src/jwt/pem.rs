//! Reading PEM text as people paste it (escaped `\n`, lost line breaks, missing armour)
//! and telling apart the key formats that get confused with Apple's `.p8`.
//!
//! Limits: PEM text longer than [`MAX_PEM_LEN`] bytes is refused.

use crate::data::decode_base64;
use der::asn1::ObjectIdentifier;
use der::Decode;

/// The longest PEM text read, in bytes (an RSA-4096 certificate is under 3 KB).
pub const MAX_PEM_LEN: usize = 16 * 1024;

pub const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
pub const OID_SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
pub const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// A name for an algorithm or curve OID, for messages.
pub fn oid_name(oid: &ObjectIdentifier) -> String {
    let known = [
        (OID_EC_PUBLIC_KEY, "id-ecPublicKey"),
        (OID_P256, "P-256 (prime256v1)"),
        (OID_P384, "P-384 (secp384r1)"),
        (OID_P521, "P-521 (secp521r1)"),
        (OID_SECP256K1, "secp256k1"),
        (OID_RSA, "RSA (rsaEncryption)"),
        (OID_ED25519, "Ed25519"),
    ];
    known
        .iter()
        .find(|(o, _)| o == oid)
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| oid.to_string())
}

/// Why PEM text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PemError {
    #[error("the text is empty")]
    Empty,
    #[error("the text is {len} bytes long; Keyplay reads at most {max} bytes of PEM")]
    TooLong { len: usize, max: usize },
    #[error("there is a BEGIN {label} line but no matching END line")]
    NoEnd { label: String },
    #[error("the body is not base64: {detail}")]
    Base64 { detail: String },
    #[error("the text has PEM headers (Proc-Type/DEK-Info): it is an encrypted legacy PEM")]
    LegacyEncrypted,
}

/// PEM text, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pem {
    /// The label (`PRIVATE KEY`, `PUBLIC KEY`, …); `None` when the text was bare base64.
    pub label: Option<String>,
    pub der: Vec<u8>,
    /// Repairs made while reading, worth telling the user about.
    pub notes: Vec<String>,
}

/// Reads PEM leniently: literal `\n` escapes are unescaped, the body may be wrapped at any width
/// or not at all, and bare base64 without BEGIN/END lines is accepted (with a note).
pub fn read(text: &str) -> Result<Pem, PemError> {
    if text.len() > MAX_PEM_LEN {
        return Err(PemError::TooLong {
            len: text.len(),
            max: MAX_PEM_LEN,
        });
    }
    let mut notes = Vec::new();
    let mut text = text.trim().trim_matches('"').trim().to_string();
    if text.is_empty() {
        return Err(PemError::Empty);
    }
    if text.contains("\\n") {
        text = text.replace("\\r\\n", "\n").replace("\\n", "\n");
        notes.push(
            "the PEM contained literal \\n sequences (an escaped newline from an environment variable or JSON \
             string); Keyplay unescaped them, but the server code must do the same before loading the key"
                .into(),
        );
    }
    let Some(begin) = text.find("-----BEGIN ") else {
        let der = decode_base64(&text).map_err(|detail| PemError::Base64 { detail })?;
        notes.push("no -----BEGIN …----- line: the text was read as bare base64 DER".into());
        return Ok(Pem {
            label: None,
            der,
            notes,
        });
    };
    let after_begin = text.get(begin + 11..).unwrap_or_default();
    let label_end = after_begin.find("-----").unwrap_or(after_begin.len());
    let label = after_begin.get(..label_end).unwrap_or_default().trim().to_string();
    let body_start = after_begin.get(label_end + 5..).unwrap_or_default();
    let end_marker = format!("-----END {label}-----");
    let Some(end) = body_start.find(&end_marker) else {
        return Err(PemError::NoEnd { label });
    };
    let body = body_start.get(..end).unwrap_or_default();
    if body.contains("Proc-Type:") || body.contains("DEK-Info:") {
        return Err(PemError::LegacyEncrypted);
    }
    if !body.contains('\n') && body.trim().len() > 64 {
        notes.push("the PEM body had no line breaks; it was read anyway, but strict PEM parsers refuse it".into());
    }
    let der = decode_base64(body).map_err(|detail| PemError::Base64 { detail })?;
    Ok(Pem {
        label: Some(label),
        der,
        notes,
    })
}

/// What a piece of DER turned out to be, when it is a private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateKeyKind {
    /// PKCS#8 `PrivateKeyInfo` with this algorithm and (for EC) curve.
    Pkcs8 {
        algorithm: ObjectIdentifier,
        curve: Option<ObjectIdentifier>,
    },
    /// A SEC1 `ECPrivateKey` (`BEGIN EC PRIVATE KEY`).
    Sec1,
    /// A PKCS#1 `RSAPrivateKey` (`BEGIN RSA PRIVATE KEY`).
    Pkcs1Rsa,
    /// PKCS#8 `EncryptedPrivateKeyInfo`.
    Encrypted,
}

/// Looks at DER (with its PEM label, when there was one) to say which private key format it is.
pub fn classify_private(label: Option<&str>, der: &[u8]) -> Option<PrivateKeyKind> {
    match label {
        Some("EC PRIVATE KEY") => return Some(PrivateKeyKind::Sec1),
        Some("RSA PRIVATE KEY") => return Some(PrivateKeyKind::Pkcs1Rsa),
        Some("ENCRYPTED PRIVATE KEY") => return Some(PrivateKeyKind::Encrypted),
        _ => {}
    }
    if let Ok(info) = pkcs8::PrivateKeyInfo::from_der(der) {
        let curve = info.algorithm.parameters_oid().ok();
        return Some(PrivateKeyKind::Pkcs8 {
            algorithm: info.algorithm.oid,
            curve,
        });
    }
    if p256::SecretKey::from_sec1_der(der).is_ok() || p384::SecretKey::from_sec1_der(der).is_ok() {
        return Some(PrivateKeyKind::Sec1);
    }
    None
}

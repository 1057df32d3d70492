//! X.509 certificates of attestation statements (`x5c`), receipts and trust anchors, parsed with
//! `x509-cert`: names, validity against a given time, extensions, the public key, the signature
//! by an issuer, and one report view.
//!
//! Limits: a certificate of at most [`MAX_CERT_BYTES`]; an x5c of at most [`MAX_CHAIN`].

use super::key::{self, PublicKey};
use crate::instant::Instant;
use sha2::{Digest, Sha256};
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::der::{Decode, Encode};
use x509_cert::Certificate;

/// The largest certificate accepted, in bytes (real attestation certificates are under 1.5 KiB).
pub const MAX_CERT_BYTES: usize = 16 * 1024;
/// The most certificates accepted in one x5c (real chains have 1 to 4).
pub const MAX_CHAIN: usize = 8;

/// Why a certificate could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum X509Error {
    #[error("a certificate of {len} bytes exceeds the {max}-byte limit")]
    TooLarge { len: usize, max: usize },
    #[error("not a DER X.509 certificate: {0}")]
    NotDer(String),
    #[error("not a PEM block: {0}")]
    NotPem(String),
    #[error("PEM label is {0}, expected CERTIFICATE")]
    PemLabel(String),
    #[error("the extension {0} appears more than once")]
    DuplicateExtension(ObjectIdentifier),
}

/// A parsed certificate with the DER it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cert {
    der: Vec<u8>,
    cert: Certificate,
}

impl Cert {
    /// Parses a DER certificate of at most [`MAX_CERT_BYTES`].
    pub fn parse(der: &[u8]) -> Result<Cert, X509Error> {
        if der.len() > MAX_CERT_BYTES {
            return Err(X509Error::TooLarge { len: der.len(), max: MAX_CERT_BYTES });
        }
        let cert = Certificate::from_der(der).map_err(|e| X509Error::NotDer(e.to_string()))?;
        Ok(Cert { der: der.to_vec(), cert })
    }

    /// Parses a `-----BEGIN CERTIFICATE-----` PEM block.
    pub fn from_pem(pem: &str) -> Result<Cert, X509Error> {
        let (label, der) = der::pem::decode_vec(pem.trim().as_bytes()).map_err(|e| X509Error::NotPem(e.to_string()))?;
        if label != "CERTIFICATE" {
            return Err(X509Error::PemLabel(label.to_string()));
        }
        Cert::parse(&der)
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The parsed certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// The subject as an RFC 4514 string.
    pub fn subject(&self) -> String {
        self.cert.tbs_certificate.subject.to_string()
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer(&self) -> String {
        self.cert.tbs_certificate.issuer.to_string()
    }

    /// notBefore and notAfter.
    pub fn validity(&self) -> (Instant, Instant) {
        let v = &self.cert.tbs_certificate.validity;
        let secs = |t: &x509_cert::time::Time| i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
        (Instant(secs(&v.not_before)), Instant(secs(&v.not_after)))
    }

    /// Whether `now` lies within notBefore ..= notAfter.
    pub fn valid_at(&self, now: Instant) -> bool {
        let (not_before, not_after) = self.validity();
        not_before <= now && now <= not_after
    }

    /// SHA-256 of the DER, lowercase hex.
    pub fn fingerprint(&self) -> String {
        hex::encode(Sha256::digest(&self.der))
    }

    /// The raw subject public key bytes (for EC keys the uncompressed point 04‖X‖Y).
    pub fn public_key_bytes(&self) -> &[u8] {
        self.cert.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes()
    }

    /// The SubjectPublicKeyInfo DER.
    pub fn spki_der(&self) -> Result<Vec<u8>, String> {
        self.cert.tbs_certificate.subject_public_key_info.to_der().map_err(|e| e.to_string())
    }

    /// The subject public key.
    pub fn public_key(&self) -> Result<PublicKey, String> {
        key::from_spki_der(&self.spki_der()?)
    }

    /// The SubjectPublicKeyInfo as a `PUBLIC KEY` PEM.
    pub fn public_key_pem(&self) -> Result<String, String> {
        key::spki_pem(&self.spki_der()?)
    }

    /// The value (inside the OCTET STRING) of the extension `oid`, if present; present twice is
    /// an error (RFC 5280 allows each extension once).
    pub fn extension(&self, oid: &ObjectIdentifier) -> Result<Option<&[u8]>, X509Error> {
        let mut found = self.cert.tbs_certificate.extensions.iter().flatten().filter(|e| e.extn_id == *oid);
        let first = found.next();
        if found.next().is_some() {
            return Err(X509Error::DuplicateExtension(*oid));
        }
        Ok(first.map(|e| e.extn_value.as_bytes()))
    }

    /// Verifies that `issuer`'s key signed this certificate.
    pub fn signed_by(&self, issuer: &Cert) -> Result<(), String> {
        let oid = &self.cert.signature_algorithm.oid;
        let digest = key::digest_of(oid).ok_or_else(|| format!("unsupported signature algorithm {oid}"))?;
        let tbs = self.cert.tbs_certificate.to_der().map_err(|e| format!("cannot encode the signed part: {e}"))?;
        let signature = self.cert.signature.as_bytes().ok_or("the signature bit string has unused bits")?;
        key::verify_digest(&issuer.public_key()?, digest, &tbs, signature)
    }

    /// The report view of the certificate, with its validity at `now`.
    pub fn summary(&self, now: Instant) -> serde_json::Value {
        let (not_before, not_after) = self.validity();
        let status = if now < not_before {
            format!("not yet valid at now (starts {})", not_before.relative_to(now))
        } else if now > not_after {
            format!("expired at now (ended {})", not_after.relative_to(now))
        } else {
            format!("valid at now (ends {})", not_after.relative_to(now))
        };
        serde_json::json!({
            "subject": self.subject(),
            "issuer": self.issuer(),
            "serial": hex::encode(self.cert.tbs_certificate.serial_number.as_bytes()),
            "not-before": not_before.to_rfc3339(),
            "not-after": not_after.to_rfc3339(),
            "validity": status,
            "key": self.public_key().map(|k| key::key_type(&k)).unwrap_or_else(|e| format!("unsupported key: {e}")),
            "signature-algorithm": self.cert.signature_algorithm.oid.to_string(),
            "sha256": self.fingerprint(),
        })
    }
}

/// Why an `x5c` member is not a list of certificates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum X5cError {
    #[error("x5c is a {0}, not an array")]
    NotArray(&'static str),
    #[error("x5c is empty")]
    Empty,
    #[error("x5c has {0} certificates, above the limit of {MAX_CHAIN}")]
    TooMany(usize),
    #[error("x5c[{index}] is a {found}, not a byte string")]
    NotBytes { index: usize, found: &'static str },
}

/// The byte strings of an attestation statement's `x5c` array (1 to [`MAX_CHAIN`] of them),
/// leaf first; each is parsed with [`Cert::parse`] by the caller, which decides what an
/// unreadable one means.
pub fn x5c_bytes(value: &ciborium::Value) -> Result<Vec<Vec<u8>>, X5cError> {
    let items = value.as_array().ok_or_else(|| X5cError::NotArray(super::cbor::type_name(value)))?;
    if items.is_empty() {
        return Err(X5cError::Empty);
    }
    if items.len() > MAX_CHAIN {
        return Err(X5cError::TooMany(items.len()));
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| match item {
            ciborium::Value::Bytes(b) => Ok(b.clone()),
            other => Err(X5cError::NotBytes { index, found: super::cbor::type_name(other) }),
        })
        .collect()
}

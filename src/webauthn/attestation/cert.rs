//! X.509 certificates of attestation statements (`x5c`): parsing, signature and validity
//! checks, and the chain walk.
//!
//! Limits: at most [`MAX_CHAIN`] certificates of at most [`MAX_CERT`] bytes each.

use crate::instant::Instant;
use crate::webauthn::cose::{self, PublicKey};
use der::{Decode, Encode};
use serde_json::{json, Value};
use x509_cert::Certificate;

pub const MAX_CHAIN: usize = 8;
pub const MAX_CERT: usize = 16 * 1024;

/// A parsed certificate with the bits the checks need.
#[derive(Debug, Clone)]
pub struct Cert {
    pub der: Vec<u8>,
    pub cert: Certificate,
}

impl Cert {
    pub fn parse(der: &[u8]) -> Result<Cert, String> {
        if der.len() > MAX_CERT {
            return Err(format!(
                "certificate of {} bytes exceeds the {MAX_CERT}-byte limit",
                der.len()
            ));
        }
        let cert = Certificate::from_der(der).map_err(|e| format!("not a DER X.509 certificate: {e}"))?;
        Ok(Cert {
            der: der.to_vec(),
            cert,
        })
    }

    pub fn subject(&self) -> String {
        self.cert.tbs_certificate.subject.to_string()
    }

    pub fn issuer(&self) -> String {
        self.cert.tbs_certificate.issuer.to_string()
    }

    pub fn not_before(&self) -> i64 {
        secs(self.cert.tbs_certificate.validity.not_before.to_unix_duration())
    }

    pub fn not_after(&self) -> i64 {
        secs(self.cert.tbs_certificate.validity.not_after.to_unix_duration())
    }

    /// The subject public key.
    pub fn public_key(&self) -> Result<PublicKey, String> {
        let spki = self
            .cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| e.to_string())?;
        cose::from_spki_der(&spki)
    }

    /// The raw value (inside the OCTET STRING) of the extension `oid`, if present.
    pub fn extension(&self, oid: &str) -> Option<&[u8]> {
        self.cert
            .tbs_certificate
            .extensions
            .as_ref()?
            .iter()
            .find(|e| e.extn_id.to_string() == oid)
            .map(|e| e.extn_value.as_bytes())
    }

    /// Whether this certificate's signature verifies with `issuer_key`.
    pub fn signed_by(&self, issuer_key: &PublicKey) -> Result<(), String> {
        let digest = match self.cert.signature_algorithm.oid.to_string().as_str() {
            "1.2.840.10045.4.3.2" | "1.2.840.113549.1.1.11" => "sha256",
            "1.2.840.10045.4.3.3" | "1.2.840.113549.1.1.12" => "sha384",
            other => return Err(format!("signature algorithm {other} not supported")),
        };
        let tbs = self.cert.tbs_certificate.to_der().map_err(|e| e.to_string())?;
        let sig = self
            .cert
            .signature
            .as_bytes()
            .ok_or("signature BIT STRING has unused bits")?;
        cose::verify_digest(issuer_key, digest, &tbs, sig)
    }

    /// Validity at `now`, or why not.
    pub fn valid_at(&self, now: Instant) -> Result<(), String> {
        if now.0 < self.not_before() {
            return Err(format!(
                "not yet valid at {} (from {})",
                now.to_rfc3339(),
                Instant(self.not_before()).to_rfc3339()
            ));
        }
        if now.0 > self.not_after() {
            return Err(format!(
                "expired at {} (valid until {})",
                now.to_rfc3339(),
                Instant(self.not_after()).to_rfc3339()
            ));
        }
        Ok(())
    }

    /// SHA-256 fingerprint of the DER, lowercase hex.
    pub fn fingerprint(&self) -> String {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&self.der))
    }

    pub fn summary(&self) -> Value {
        json!({
            "subject": self.subject(),
            "issuer": self.issuer(),
            "not-before": Instant(self.not_before()).to_rfc3339(),
            "not-after": Instant(self.not_after()).to_rfc3339(),
            "sha256": self.fingerprint(),
        })
    }
}

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Parses a PEM certificate.
pub fn from_pem(pem: &str) -> Result<Cert, String> {
    let (label, der) = der::pem::decode_vec(pem.trim().as_bytes()).map_err(|e| format!("not a PEM block: {e}"))?;
    if label != "CERTIFICATE" {
        return Err(format!("PEM label is {label}, expected CERTIFICATE"));
    }
    Cert::parse(&der)
}

/// Parses the `x5c` array of an attestation statement.
pub fn parse_x5c(value: &ciborium::Value) -> Result<Vec<Cert>, String> {
    let items = value.as_array().ok_or("x5c is not an array")?;
    if items.is_empty() {
        return Err("x5c is empty".into());
    }
    if items.len() > MAX_CHAIN {
        return Err(format!(
            "x5c has {} certificates, above the limit of {MAX_CHAIN}",
            items.len()
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_bytes()
                .ok_or_else(|| format!("x5c[{i}] is not a byte string"))
                .and_then(|b| Cert::parse(b).map_err(|e| format!("x5c[{i}]: {e}")))
        })
        .collect()
}

/// The outcome of walking a chain.
#[derive(Debug, Clone)]
pub struct ChainResult {
    /// Empty when every link verified and every certificate is valid at `now`.
    pub problems: Vec<String>,
    /// The anchor reached (subject), if any of `anchors` signed the last certificate.
    pub anchor: Option<String>,
    /// The issuer named by the last certificate (the root the chain points to).
    pub top_issuer: String,
}

/// Walks `chain` (leaf first): each certificate signed by the next and valid at `now`;
/// then the last must be signed by one of `anchors` (if any are given), or be one of them.
pub fn walk(chain: &[Cert], anchors: &[Cert], now: Instant) -> ChainResult {
    let mut problems = Vec::new();
    for (i, c) in chain.iter().enumerate() {
        if let Err(e) = c.valid_at(now) {
            problems.push(format!("x5c[{i}] ({}) {e}", c.subject()));
        }
        if let Some(parent) = chain.get(i + 1) {
            match parent.public_key().and_then(|k| c.signed_by(&k)) {
                Ok(()) => {}
                Err(e) => problems.push(format!("x5c[{i}] is not signed by x5c[{}]: {e}", i + 1)),
            }
        }
    }
    let last = chain.last();
    let top_issuer = last.map(Cert::issuer).unwrap_or_default();
    let mut anchor = None;
    if let Some(last) = last {
        for a in anchors {
            let by_anchor = a.der == last.der || a.public_key().and_then(|k| last.signed_by(&k)).is_ok();
            if by_anchor {
                if let Err(e) = a.valid_at(now) {
                    problems.push(format!("trust anchor {} {e}", a.subject()));
                }
                anchor = Some(a.subject());
                break;
            }
        }
    }
    ChainResult {
        problems,
        anchor,
        top_issuer,
    }
}

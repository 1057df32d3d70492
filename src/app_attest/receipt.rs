//! The App Attest receipt inside an attestation: decoded and, where possible, verified.
//!
//! The receipt is a CMS SignedData (BER) signed by "Application Attestation Fraud Receipt
//! Signing" ← "Apple Application Integration CA 5 - G1" ← Apple Root CA - G3 (embedded, pinned).
//! Apple's nine attestation steps do not involve it, so the `receipt` check only fails when the
//! receipt is authenticated (signature and chain verify at `now`) and yet contradicts the
//! attestation it came with; otherwise it is informational and says why.

use super::{cert, cms, root};
use crate::data::encode_base64;
use crate::instant::Instant;
use crate::validator::Check;
use serde_json::json;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

/// What the receipt holds and whether it could be authenticated.
#[derive(Debug, Clone)]
pub struct ReceiptInfo {
    pub fields: Vec<(u32, Vec<u8>)>,
    pub app_id: Option<String>,
    pub certificates: Vec<Certificate>,
    /// Ok (with a note, possibly empty) when the CMS signature and the chain to Apple Root CA - G3
    /// verify at `now`; Err says why not.
    pub authenticated: Result<String, String>,
    pub now: Instant,
}

fn field_name(kind: u32) -> &'static str {
    match kind {
        2 => "app-id",
        3 => "attested-certificate",
        4 => "client-hash",
        5 => "token",
        6 => "type",
        7 => "environment",
        12 => "creation-time",
        17 => "risk-metric",
        19 => "not-before",
        21 => "expiration-time",
        _ => "unknown",
    }
}

fn text(bytes: &[u8]) -> Option<String> {
    std::str::from_utf8(bytes).ok().filter(|t| t.chars().all(|c| !c.is_control())).map(str::to_string)
}

/// Decodes the receipt and tries to authenticate it.
pub fn inspect(bytes: &[u8], now: Instant) -> ReceiptInfo {
    let mut info =
        ReceiptInfo { fields: vec![], app_id: None, certificates: vec![], authenticated: Err(String::new()), now };
    let signed = match cms::parse(bytes) {
        Ok(s) => s,
        Err(e) => {
            info.authenticated = Err(e);
            return info;
        }
    };
    info.certificates = signed.certificates.iter().filter_map(|d| cert::parse(d).ok()).collect();
    match cms::payload_fields(&signed.content) {
        Ok(fields) => info.fields = fields,
        Err(e) => {
            info.authenticated = Err(e);
            return info;
        }
    }
    info.app_id = info.fields.iter().find(|(k, _)| *k == 2).and_then(|(_, v)| text(v));
    info.authenticated = authenticate(&signed, &info.certificates, now);
    info
}

/// Authenticates a receipt:
/// 1. exactly one signer;
/// 2. its signature verifies with the first embedded certificate;
/// 3. that certificate chains to Apple Root CA - G3, every certificate valid at `now`.
fn authenticate(signed: &cms::SignedData, certs: &[Certificate], now: Instant) -> Result<String, String> {
    let [signer] = signed.signers.as_slice() else {
        return Err(format!("{} signers instead of exactly one", signed.signers.len()));
    };
    let leaf = certs.first().ok_or("no signing certificate is embedded")?;
    let spki = &leaf.tbs_certificate.subject_public_key_info;
    // With signed attributes the signature should cover them (they carry SHA-256(payload));
    // without (Apple's receipts since 2021) it covers the payload itself. A 2020 receipt carries
    // signed attributes yet signs the payload directly: accepted, with a note.
    let mut note = String::new();
    match &signer.signed_attributes {
        Some(attributes) => {
            if signer.message_digest.as_deref() != Some(&super::sha256(&signed.content)[..]) {
                return Err("the messageDigest attribute is not SHA-256 of the payload".into());
            }
            if cert::verify_ecdsa(spki, cert::Hash::Sha256, attributes, &signer.signature).is_err() {
                cert::verify_ecdsa(spki, cert::Hash::Sha256, &signed.content, &signer.signature)
                    .map_err(|e| format!("the CMS signature: {e}"))?;
                note = "; non-standard CMS: the signature covers the payload, not the signed attributes (strict CMS \
                        verifiers such as OpenSSL reject this receipt)"
                    .to_string();
            }
        }
        None => cert::verify_ecdsa(spki, cert::Hash::Sha256, &signed.content, &signer.signature)
            .map_err(|e| format!("the CMS signature: {e}"))?,
    }
    let anchor = root::root_ca_g3()?;
    let mut chain: Vec<&Certificate> =
        certs.iter().filter(|c| cert::subject(c) != cert::subject(&anchor.certificate)).collect();
    chain.push(&anchor.certificate);
    for pair in chain.windows(2) {
        if let [child, issuer] = pair {
            cert::verify_signed_by(child, issuer)
                .map_err(|e| format!("{} ← {}: {e}", cert::subject(child), cert::subject(issuer)))?;
        }
    }
    for c in &chain {
        let (nb, na) = cert::validity(c);
        if now < nb || now > na {
            return Err(format!(
                "{} is not valid at {} ({} – {})",
                cert::subject(c),
                now.to_rfc3339(),
                nb.to_rfc3339(),
                na.to_rfc3339()
            ));
        }
    }
    Ok(note)
}

impl ReceiptInfo {
    fn field(&self, kind: u32) -> Option<&[u8]> {
        self.fields.iter().find(|(k, _)| *k == kind).map(|(_, v)| v.as_slice())
    }

    /// The client hash the device used (field 4), when the receipt holds one.
    pub fn client_hash(&self) -> Option<&[u8]> {
        self.field(4)
    }

    /// The `receipt` check: fails only for an authenticated receipt whose attested key (field 3)
    /// is not the credential certificate's key; otherwise informational.
    pub fn check(&self, leaf: Option<&Certificate>) -> Check {
        let why = match &self.authenticated {
            Ok(_) => None,
            Err(e) if e.is_empty() => Some("it could not be decoded".to_string()),
            Err(e) => Some(e.clone()),
        };
        let attested = self.field(3).and_then(|der| cert::parse(der).ok());
        let contradiction = match (&attested, leaf) {
            (Some(a), Some(l)) if cert::public_key_bytes(a) != cert::public_key_bytes(l) => {
                Some("its attested public key (field 3) is not the credential certificate's key")
            }
            (None, _) => Some("it names no attested certificate (field 3)"),
            _ => None,
        };
        match (why, contradiction) {
            (None, None) => Check::pass(
                "receipt",
                format!(
                    "the receipt is signed by Apple (chain to Apple Root CA - G3 valid at now) and attests this key{}",
                    self.authenticated.as_deref().unwrap_or_default()
                ),
            ),
            (None, Some(c)) => {
                Check::fail("receipt", format!("the Apple-signed receipt does not match the attestation: {c}"))
                    .expected_found("the credential certificate's public key", c)
                    .cause("the receipt was taken from another attestation (mixed up when stored or forwarded)")
            }
            (Some(why), c) => {
                let mut message =
                    format!("informational only, not counted: the receipt cannot be authenticated ({why})");
                if let Some(c) = c {
                    message.push_str(&format!("; unverified, it also disagrees: {c}"));
                }
                Check::pass("receipt", message)
            }
        }
    }

    /// The report view: the receipt bytes and its decoded fields.
    pub fn to_json(&self, bytes: &[u8]) -> serde_json::Value {
        let mut fields = serde_json::Map::new();
        for (kind, value) in &self.fields {
            let shown = match kind {
                3 => match cert::parse(value) {
                    Ok(c) => json!({
                        "certificate": cert::summary(&c, self.now),
                        "public-key": cert::public_key_pem(&c).unwrap_or_default(),
                        "key-id": encode_base64(&Sha256::digest(cert::public_key_bytes(&c))),
                    }),
                    Err(_) => json!({ "base64": encode_base64(value) }),
                },
                4 => json!({ "base64": encode_base64(value), "hex": hex::encode(value), "utf8": text(value) }),
                _ => match text(value) {
                    Some(t) => json!(t),
                    None => json!({ "base64": encode_base64(value) }),
                },
            };
            let name = match field_name(*kind) {
                "unknown" => format!("field-{kind}"),
                n => n.to_string(),
            };
            fields.insert(name, shown);
        }
        json!({
            "base64": encode_base64(bytes),
            "fields": fields,
            "signed-by": self.certificates.iter().map(|c| cert::summary(c, self.now)).collect::<Vec<_>>(),
            "authenticated": self.authenticated.is_ok(),
        })
    }
}

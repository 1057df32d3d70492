//! The App Attest receipt inside an attestation: decoded and, where possible, verified.
//!
//! The receipt is a CMS SignedData (BER) signed by "Application Attestation Fraud Receipt
//! Signing" ← "Apple Application Integration CA 5 - G1" ← Apple Root CA - G3 (embedded, pinned).
//! Apple's nine attestation steps do not involve it, so the `receipt` check only fails when the
//! receipt is authenticated (signature and chain verify at `now`) and yet contradicts the
//! attestation it came with; otherwise it is informational and says why.

use super::{cms, AppAttestCheck};
use crate::attest::key::{self, Digest};
use crate::attest::roots::AppleRoot;
use crate::attest::x509::Cert;
use crate::attest::{chain, sha256};
use crate::data::encode_base64;
use crate::figure::ChainFigure;
use crate::instant::Instant;
use crate::validator::Check;
use serde_json::json;

/// What the receipt holds and whether it could be authenticated.
#[derive(Debug, Clone)]
pub struct ReceiptInfo {
    pub fields: Vec<(u32, Vec<u8>)>,
    pub app_id: Option<String>,
    pub certificates: Vec<Cert>,
    /// Ok (with a note, possibly empty) when the CMS signature and the chain to Apple Root CA - G3
    /// verify at `now`; Err says why not.
    pub authenticated: Result<String, String>,
    pub now: Instant,
    /// The signing chain to Apple Root CA - G3, when the CMS signature verified and the chain was walked.
    pub figure: Option<ChainFigure>,
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
    let mut info = ReceiptInfo {
        fields: vec![],
        app_id: None,
        certificates: vec![],
        authenticated: Err(String::new()),
        now,
        figure: None,
    };
    let signed = match cms::parse(bytes) {
        Ok(s) => s,
        Err(e) => {
            info.authenticated = Err(e);
            return info;
        }
    };
    info.certificates = signed.certificates.iter().filter_map(|d| Cert::parse(d).ok()).collect();
    match cms::payload_fields(&signed.content) {
        Ok(fields) => info.fields = fields,
        Err(e) => {
            info.authenticated = Err(e);
            return info;
        }
    }
    info.app_id = info.fields.iter().find(|(k, _)| *k == 2).and_then(|(_, v)| text(v));
    info.authenticated = authenticate(&signed, &info.certificates, now, &mut info.figure);
    info
}

/// Authenticates a receipt:
/// 1. exactly one signer;
/// 2. its signature verifies with the first embedded certificate;
/// 3. that certificate chains to Apple Root CA - G3, every certificate valid at `now`.
///
/// The chain walked in step 3 is left in `figure`.
fn authenticate(
    signed: &cms::SignedData,
    certs: &[Cert],
    now: Instant,
    figure: &mut Option<ChainFigure>,
) -> Result<String, String> {
    let [signer] = signed.signers.as_slice() else {
        return Err(format!("{} signers instead of exactly one", signed.signers.len()));
    };
    let leaf = certs.first().ok_or("no signing certificate is embedded")?;
    let signer_key = leaf.public_key().map_err(|e| format!("the signing certificate's key: {e}"))?;
    let verify = |message: &[u8]| {
        key::verify_digest(&signer_key, Digest::Sha256, message, &signer.signature)
            .map_err(|e| format!("the CMS signature: {e}"))
    };
    // With signed attributes the signature should cover them (they carry SHA-256(payload));
    // without (Apple's receipts since 2021) it covers the payload itself. A 2020 receipt carries
    // signed attributes yet signs the payload directly: accepted, with a note.
    let mut note = String::new();
    match &signer.signed_attributes {
        Some(attributes) => {
            if signer.message_digest.as_deref() != Some(&sha256(&signed.content)[..]) {
                return Err("the messageDigest attribute is not SHA-256 of the payload".into());
            }
            if verify(attributes).is_err() {
                verify(&signed.content)?;
                note = "; non-standard CMS: the signature covers the payload, not the signed attributes (strict CMS \
                        verifiers such as OpenSSL reject this receipt)"
                    .to_string();
            }
        }
        None => verify(&signed.content)?,
    }
    let anchor = AppleRoot::RootCaG3.load()?;
    let path: Vec<Cert> = certs.iter().filter(|c| c.subject() != anchor.subject()).cloned().collect();
    let walk = chain::walk(&path, std::slice::from_ref(&anchor), now);
    *figure = Some(chain::figure(
        "The receipt's signing chain to Apple Root CA - G3",
        &path,
        std::slice::from_ref(&anchor),
        &walk,
        now,
    ));
    let name = |signer: chain::Signer| match signer {
        chain::Signer::Next(i) => path.get(i).map(Cert::subject).unwrap_or_default(),
        chain::Signer::Anchor(_) => anchor.subject(),
    };
    if let Some((index, signer, reason)) = walk.first_signature_problem() {
        let child = path.get(index).map(Cert::subject).unwrap_or_default();
        return Err(format!("{child} ← {}: {reason}", name(signer)));
    }
    if let chain::Anchoring::NotAnchored { reason } = &walk.anchoring {
        let top = path.last().map(Cert::subject).unwrap_or_default();
        return Err(format!("{top} ← {}: {reason}", anchor.subject()));
    }
    if let Some((which, not_before, not_after)) = walk.first_validity_problem() {
        let subject = match which {
            chain::Subject::Chain(i) => path.get(i).map(Cert::subject).unwrap_or_default(),
            chain::Subject::Anchor(_) => anchor.subject(),
        };
        return Err(format!(
            "{subject} is not valid at {} ({} – {})",
            now.to_rfc3339(),
            not_before.to_rfc3339(),
            not_after.to_rfc3339()
        ));
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
    pub fn check(&self, leaf: Option<&Cert>) -> Check {
        let why = match &self.authenticated {
            Ok(_) => None,
            Err(e) if e.is_empty() => Some("it could not be decoded".to_string()),
            Err(e) => Some(e.clone()),
        };
        let attested = self.field(3).and_then(|der| Cert::parse(der).ok());
        let contradiction = match (&attested, leaf) {
            (Some(a), Some(l)) if a.public_key_bytes() != l.public_key_bytes() => {
                Some("its attested public key (field 3) is not the credential certificate's key")
            }
            (None, _) => Some("it names no attested certificate (field 3)"),
            _ => None,
        };
        match (why, contradiction) {
            (None, None) => Check::pass(
                AppAttestCheck::Receipt,
                format!(
                    "the receipt is signed by Apple (chain to Apple Root CA - G3 valid at now) and attests this key{}",
                    self.authenticated.as_deref().unwrap_or_default()
                ),
            ),
            (None, Some(c)) => Check::fail(
                AppAttestCheck::Receipt,
                format!("the Apple-signed receipt does not match the attestation: {c}"),
            )
            .expected_found("the credential certificate's public key", c)
            .cause("the receipt was taken from another attestation (mixed up when stored or forwarded)"),
            (Some(why), c) => {
                let mut message =
                    format!("informational only, not counted: the receipt cannot be authenticated ({why})");
                if let Some(c) = c {
                    message.push_str(&format!("; unverified, it also disagrees: {c}"));
                }
                Check::pass(AppAttestCheck::Receipt, message)
            }
        }
    }

    /// The report view: the receipt bytes and its decoded fields.
    pub fn to_json(&self, bytes: &[u8]) -> serde_json::Value {
        let mut fields = serde_json::Map::new();
        for (kind, value) in &self.fields {
            let shown = match kind {
                3 => match Cert::parse(value) {
                    Ok(c) => json!({
                        "certificate": c.summary(self.now),
                        "public-key": c.public_key_pem().unwrap_or_default(),
                        "key-id": encode_base64(&sha256(c.public_key_bytes())),
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
            "signed-by": self.certificates.iter().map(|c| c.summary(self.now)).collect::<Vec<_>>(),
            "authenticated": self.authenticated.is_ok(),
        })
    }
}

//! The trust anchors, embedded and pinned by their SHA-256 fingerprints.
//!
//! A corrupted copy of the App Attestation root circulates in public code, so the embedded
//! copy is checked against its published fingerprint every time it is used: a build with a
//! damaged copy fails `certificate-chain` loudly instead of trusting the wrong key.

use sha2::{Digest, Sha256};
use x509_cert::der::DecodePem;
use x509_cert::Certificate;

/// Apple App Attestation Root CA, from https://www.apple.com/certificateauthority/.
pub const APP_ATTESTATION_ROOT_PEM: &str = include_str!("apple_app_attestation_root_ca.pem");
/// SHA-256 of the App Attestation root's DER encoding.
pub const APP_ATTESTATION_ROOT_SHA256: &str = "1cb9823ba28ba6ad2d33a006941de2ae4f513ef1d4e831b9f7e0fa7b6242c932";

/// Apple Root CA - G3: anchors the receipt signing chain.
pub const ROOT_CA_G3_PEM: &str = include_str!("apple_root_ca_g3.pem");
/// SHA-256 of Apple Root CA - G3's DER encoding.
pub const ROOT_CA_G3_SHA256: &str = "63343abfb89a6a03ebb57e9b3f5fa7be7c4f5c756f3017b3a8c488c3653e9179";

/// A trust anchor ready for use, with its fingerprint.
#[derive(Debug, Clone)]
pub struct Anchor {
    pub certificate: Certificate,
    pub der: Vec<u8>,
    pub sha256: String,
}

/// Parses a PEM certificate into an anchor.
pub fn parse_anchor(pem: &str) -> Result<Anchor, String> {
    let certificate = Certificate::from_pem(pem.as_bytes()).map_err(|e| format!("not a PEM certificate: {e}"))?;
    let der = x509_cert::der::Encode::to_der(&certificate).map_err(|e| format!("cannot re-encode: {e}"))?;
    let sha256 = hex::encode(Sha256::digest(&der));
    Ok(Anchor { certificate, der, sha256 })
}

/// Loads an embedded root and checks it against its pinned fingerprint.
pub fn pinned(pem: &str, fingerprint: &str) -> Result<Anchor, String> {
    let anchor = parse_anchor(pem)?;
    if anchor.sha256 != fingerprint {
        return Err(format!(
            "the embedded root's SHA-256 fingerprint is {} but Apple publishes {fingerprint}: the embedded copy is \
             corrupted",
            anchor.sha256
        ));
    }
    Ok(anchor)
}

/// The App Attestation root, verified against its pin.
pub fn app_attestation_root() -> Result<Anchor, String> {
    pinned(APP_ATTESTATION_ROOT_PEM, APP_ATTESTATION_ROOT_SHA256)
}

/// Apple Root CA - G3, verified against its pin.
pub fn root_ca_g3() -> Result<Anchor, String> {
    pinned(ROOT_CA_G3_PEM, ROOT_CA_G3_SHA256)
}

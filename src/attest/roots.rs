//! The Apple roots Keyplay trusts, embedded and pinned by the SHA-256 fingerprints of their DER.
//!
//! Corrupted copies of these roots circulate in public code, so an embedded copy is checked
//! against its published fingerprint every time it is loaded: a build with a damaged copy fails
//! its chain check loudly instead of trusting the wrong key. The PEMs are Apple's, from
//! <https://www.apple.com/certificateauthority/>.

use super::x509::Cert;

/// A pinned Apple root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppleRoot {
    /// Apple App Attestation Root CA: anchors App Attest credential certificates.
    AppAttestation,
    /// Apple Root CA - G3: anchors the App Attest receipt signing chain.
    RootCaG3,
    /// Apple WebAuthn Root CA: anchors the WebAuthn `apple` attestation format.
    WebAuthn,
}

impl AppleRoot {
    /// Every pinned root.
    pub const ALL: [AppleRoot; 3] = [AppleRoot::AppAttestation, AppleRoot::RootCaG3, AppleRoot::WebAuthn];

    /// The embedded PEM.
    pub const fn pem(self) -> &'static str {
        match self {
            AppleRoot::AppAttestation => include_str!("apple_app_attestation_root_ca.pem"),
            AppleRoot::RootCaG3 => include_str!("apple_root_ca_g3.pem"),
            AppleRoot::WebAuthn => include_str!("apple_webauthn_root_ca.pem"),
        }
    }

    /// The SHA-256 fingerprint of the root's DER that Apple publishes, lowercase hex.
    pub const fn sha256(self) -> &'static str {
        match self {
            AppleRoot::AppAttestation => "1cb9823ba28ba6ad2d33a006941de2ae4f513ef1d4e831b9f7e0fa7b6242c932",
            AppleRoot::RootCaG3 => "63343abfb89a6a03ebb57e9b3f5fa7be7c4f5c756f3017b3a8c488c3653e9179",
            AppleRoot::WebAuthn => "0915dd5c07a28db549d1f677bb5a75d4bfbe9561a773424327762e9e02f9bb29",
        }
    }

    /// The root's common name.
    pub const fn name(self) -> &'static str {
        match self {
            AppleRoot::AppAttestation => "Apple App Attestation Root CA",
            AppleRoot::RootCaG3 => "Apple Root CA - G3",
            AppleRoot::WebAuthn => "Apple WebAuthn Root CA",
        }
    }

    /// The embedded root, checked against its pin.
    pub fn load(self) -> Result<Cert, String> {
        pinned(self.pem(), self.sha256())
    }
}

/// Loads a PEM root and checks it against `fingerprint` (SHA-256 of the DER, lowercase hex).
pub fn pinned(pem: &str, fingerprint: &str) -> Result<Cert, String> {
    let cert = Cert::from_pem(pem).map_err(|e| e.to_string())?;
    let actual = cert.fingerprint();
    if actual != fingerprint {
        return Err(format!(
            "the embedded root's SHA-256 fingerprint is {actual} but Apple publishes {fingerprint}: the embedded copy \
             is corrupted"
        ));
    }
    Ok(cert)
}

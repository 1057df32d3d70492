//! The Apple WebAuthn Root CA, the trust anchor of the `apple` attestation format.
//!
//! Copied from `tests/vectors/root-apple-webauthn-root-ca.json` (published by Apple at
//! https://www.apple.com/certificateauthority/Apple_WebAuthn_Root_CA.pem); the engine
//! refuses to trust it unless its SHA-256 fingerprint is [`FINGERPRINT`].

use super::cert::{self, Cert};

/// SHA-256 of the root's DER (auth-rules.md section 6.4).
pub const FINGERPRINT: &str = "0915dd5c07a28db549d1f677bb5a75d4bfbe9561a773424327762e9e02f9bb29";

/// The root certificate, PEM.
pub const PEM: &str = "-----BEGIN CERTIFICATE-----\n\
MIICEjCCAZmgAwIBAgIQaB0BbHo84wIlpQGUKEdXcTAKBggqhkjOPQQDAzBLMR8w\n\
HQYDVQQDDBZBcHBsZSBXZWJBdXRobiBSb290IENBMRMwEQYDVQQKDApBcHBsZSBJ\n\
bmMuMRMwEQYDVQQIDApDYWxpZm9ybmlhMB4XDTIwMDMxODE4MjEzMloXDTQ1MDMx\n\
NTAwMDAwMFowSzEfMB0GA1UEAwwWQXBwbGUgV2ViQXV0aG4gUm9vdCBDQTETMBEG\n\
A1UECgwKQXBwbGUgSW5jLjETMBEGA1UECAwKQ2FsaWZvcm5pYTB2MBAGByqGSM49\n\
AgEGBSuBBAAiA2IABCJCQ2pTVhzjl4Wo6IhHtMSAzO2cv+H9DQKev3//fG59G11k\n\
xu9eI0/7o6V5uShBpe1u6l6mS19S1FEh6yGljnZAJ+2GNP1mi/YK2kSXIuTHjxA/\n\
pcoRf7XkOtO4o1qlcaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUJtdk\n\
2cV4wlpn0afeaxLQG2PxxtcwDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMDA2cA\n\
MGQCMFrZ+9DsJ1PW9hfNdBywZDsWDbWFp28it1d/5w2RPkRX3Bbn/UbDTNLx7Jr3\n\
jAGGiQIwHFj+dJZYUJR786osByBelJYsVZd2GbHQu209b5RCmGQ21gpSAk9QZW4B\n\
1bWeT0vT\n\
-----END CERTIFICATE-----";

/// The pinned root, or why it cannot be used (never expected to fail).
pub fn root() -> Result<Cert, String> {
    let c = cert::from_pem(PEM)?;
    if c.fingerprint() != FINGERPRINT {
        return Err(format!(
            "embedded Apple WebAuthn root has fingerprint {}, expected {FINGERPRINT}",
            c.fingerprint()
        ));
    }
    Ok(c)
}

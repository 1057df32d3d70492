//! Signature verification with credential keys under COSE algorithms (certificate signatures
//! are the substrate's, [`crate::attest::key::verify_digest`]).

use super::cose::{alg_label, alg_name, key_type, PublicKey};
use sha2::Sha256;

/// The algorithm to use with `key` when no `alg` is recorded.
pub fn default_alg(key: &PublicKey) -> i64 {
    match key {
        PublicKey::P256(_) => -7,
        PublicKey::P384(_) => -35,
        PublicKey::Ed25519(_) => -8,
        PublicKey::Rsa(_) => -257,
    }
}

/// Whether `alg` can be used with `key`.
pub fn alg_fits(key: &PublicKey, alg: i64) -> bool {
    matches!(
        (key, alg),
        (PublicKey::P256(_), -7 | -9)
            | (PublicKey::P384(_), -35 | -51)
            | (PublicKey::Ed25519(_), -8 | -19)
            | (PublicKey::Rsa(_), -257 | -37)
    )
}

/// Verifies `sig` over `message` with `key` under COSE algorithm `alg`. ECDSA signatures are
/// DER (as WebAuthn and X.509 use them).
pub fn verify(key: &PublicKey, alg: i64, message: &[u8], sig: &[u8]) -> Result<(), String> {
    use signature_traits::*;
    if !alg_fits(key, alg) {
        return Err(format!("algorithm {} does not fit a {} key", alg_label(alg), key_type(key)));
    }
    match key {
        PublicKey::P256(k) => {
            let s = p256::ecdsa::Signature::from_der(sig).map_err(|_| "ECDSA signature is not DER (r, s)")?;
            k.verify(message, &s).map_err(|_| "ES256 signature does not verify".to_string())
        }
        PublicKey::P384(k) => {
            let s = p384::ecdsa::Signature::from_der(sig).map_err(|_| "ECDSA signature is not DER (r, s)")?;
            k.verify(message, &s).map_err(|_| "ES384 signature does not verify".to_string())
        }
        PublicKey::Ed25519(k) => {
            let s = ed25519_dalek::Signature::from_slice(sig).map_err(|_| "Ed25519 signature must be 64 bytes")?;
            k.verify_strict(message, &s).map_err(|_| "EdDSA signature does not verify".to_string())
        }
        PublicKey::Rsa(k) => {
            let result = if alg == -37 {
                let vk = rsa::pss::VerifyingKey::<Sha256>::new(k.clone());
                let s = rsa::pss::Signature::try_from(sig).map_err(|_| "RSA signature malformed")?;
                vk.verify(message, &s)
            } else {
                let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(k.clone());
                let s = rsa::pkcs1v15::Signature::try_from(sig).map_err(|_| "RSA signature malformed")?;
                vk.verify(message, &s)
            };
            result.map_err(|_| format!("{} signature does not verify", alg_name(alg).unwrap_or("RSA")))
        }
    }
}

mod signature_traits {
    pub use ecdsa::signature::Verifier;
}

//! Signature verification for the JWS algorithms Keyplay knows (RFC 7518 §3), with the
//! ASN.1 DER mistake recognised instead of reported as a bare mismatch.

use super::keys::PublicKey;
use p256::ecdsa::signature::Verifier;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The algorithms that can be verified with a public key here.
pub const SUPPORTED: &[&str] = &["ES256", "ES384", "RS256", "RS384", "RS512"];

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    #[error("the signature part is empty")]
    Empty,
    #[error("{alg} cannot be verified with a public key")]
    Unsupported { alg: String },
    #[error("the token says {alg} but the key is {key}")]
    KeyMismatch { alg: String, key: String },
    #[error("the signature is ASN.1 DER ({len} bytes starting 0x30); {alg} in JOSE is raw r‖s of {raw} bytes")]
    Der {
        alg: String,
        len: usize,
        raw: usize,
        der_verifies: bool,
    },
    #[error("the signature is {found} bytes; {alg} needs exactly {expected}")]
    Length { alg: String, found: usize, expected: usize },
    #[error("r or s is zero or not below the curve order, so no key can have made this signature")]
    OutOfRange,
    #[error("the signature does not match the header and payload under this key")]
    Mismatch,
}

impl SigError {
    /// The likely cause, in plain words.
    pub fn cause(&self) -> String {
        match self {
            SigError::Empty => {
                "the token was truncated after the last dot, or it is an unsigned (alg none) token".into()
            }
            SigError::Unsupported { .. } => {
                "symmetric (HS*) tokens need the shared secret; with a public key as secret this is the \
                 key-confusion attack"
                    .into()
            }
            SigError::KeyMismatch { .. } => "the wrong key was given, or the header alg was changed".into(),
            SigError::Der { der_verifies: true, .. } => {
                "the JWT library produced an ASN.1 DER signature instead of the JOSE raw r‖s format (e.g. Node \
                 crypto.sign without dsaEncoding: 'ieee-p1363', Java SHA256withECDSA, openssl dgst). The key is \
                 right: the DER signature verifies. Convert it to r‖s or use a JOSE library"
                    .into()
            }
            SigError::Der { .. } => {
                "the JWT library produced an ASN.1 DER signature instead of the JOSE raw r‖s format (e.g. Node \
                 crypto.sign without dsaEncoding: 'ieee-p1363', Java SHA256withECDSA, openssl dgst)"
                    .into()
            }
            SigError::Length { .. } => "the signature was truncated, padded or made with another algorithm".into(),
            SigError::OutOfRange => "the signature was forged or corrupted".into(),
            SigError::Mismatch => {
                "the token was changed after signing, or it was signed with a different private key than the \
                 one whose public key was given"
                    .into()
            }
        }
    }
}

/// Verifies `signature` over `signing_input` with `key` under `alg`.
pub fn verify(alg: &str, key: &PublicKey, signing_input: &[u8], signature: &[u8]) -> Result<(), SigError> {
    if signature.is_empty() {
        return Err(SigError::Empty);
    }
    match (alg, key) {
        ("ES256", PublicKey::P256(vk)) => {
            if signature.len() != 64 {
                let der = p256::ecdsa::Signature::from_der(signature).ok();
                return Err(length_or_der(
                    alg,
                    signature,
                    64,
                    der.map(|s| vk.verify(signing_input, &s).is_ok()),
                ));
            }
            let sig = p256::ecdsa::Signature::from_slice(signature).map_err(|_| SigError::OutOfRange)?;
            vk.verify(signing_input, &sig).map_err(|_| SigError::Mismatch)
        }
        ("ES384", PublicKey::P384(vk)) => {
            if signature.len() != 96 {
                let der = p384::ecdsa::Signature::from_der(signature).ok();
                return Err(length_or_der(
                    alg,
                    signature,
                    96,
                    der.map(|s| vk.verify(signing_input, &s).is_ok()),
                ));
            }
            let sig = p384::ecdsa::Signature::from_slice(signature).map_err(|_| SigError::OutOfRange)?;
            vk.verify(signing_input, &sig).map_err(|_| SigError::Mismatch)
        }
        ("RS256" | "RS384" | "RS512", PublicKey::Rsa(pk)) => {
            let (scheme, digest) = match alg {
                "RS256" => (
                    rsa::Pkcs1v15Sign::new::<Sha256>(),
                    Sha256::digest(signing_input).to_vec(),
                ),
                "RS384" => (
                    rsa::Pkcs1v15Sign::new::<Sha384>(),
                    Sha384::digest(signing_input).to_vec(),
                ),
                _ => (
                    rsa::Pkcs1v15Sign::new::<Sha512>(),
                    Sha512::digest(signing_input).to_vec(),
                ),
            };
            use rsa::traits::PublicKeyParts;
            let expected = pk.size();
            if signature.len() != expected {
                return Err(SigError::Length {
                    alg: alg.into(),
                    found: signature.len(),
                    expected,
                });
            }
            pk.verify(scheme, &digest, signature).map_err(|_| SigError::Mismatch)
        }
        (alg, key) if SUPPORTED.contains(&alg) => Err(SigError::KeyMismatch {
            alg: alg.into(),
            key: key.describe(),
        }),
        (alg, _) => Err(SigError::Unsupported { alg: alg.into() }),
    }
}

fn length_or_der(alg: &str, signature: &[u8], raw: usize, der_verifies: Option<bool>) -> SigError {
    match der_verifies {
        Some(der_verifies) => SigError::Der {
            alg: alg.into(),
            len: signature.len(),
            raw,
            der_verifies,
        },
        None => SigError::Length {
            alg: alg.into(),
            found: signature.len(),
            expected: raw,
        },
    }
}

/// Whether these signature bytes look like an ECDSA DER `SEQUENCE { r, s }` (checked without a key).
pub fn looks_like_der(signature: &[u8]) -> bool {
    signature.len() != 64
        && signature.first() == Some(&0x30)
        && (p256::ecdsa::Signature::from_der(signature).is_ok() || p384::ecdsa::Signature::from_der(signature).is_ok())
}

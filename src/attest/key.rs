//! Public keys found in attestation certificates and credentials (P-256, P-384, Ed25519, RSA):
//! SubjectPublicKeyInfo in and out, and the verification of X.509 certificate signatures
//! (ECDSA or RSA PKCS#1 v1.5 with SHA-256 or SHA-384, as the certificate's algorithm says).
//!
//! Limit: RSA moduli of at most [`MAX_RSA_BITS`] bits (keeps verification time bounded).

use sha2::{Digest as _, Sha256, Sha384};
use spki::{DecodePublicKey, EncodePublicKey};
use x509_cert::der::asn1::ObjectIdentifier;

/// Largest RSA modulus accepted.
pub const MAX_RSA_BITS: usize = 8192;

/// A public key the engine can verify with.
#[derive(Debug, Clone, PartialEq)]
pub enum PublicKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

/// "EC P-256", "RSA-2048", …
pub fn key_type(key: &PublicKey) -> String {
    match key {
        PublicKey::P256(_) => "EC P-256".into(),
        PublicKey::P384(_) => "EC P-384".into(),
        PublicKey::Ed25519(_) => "Ed25519".into(),
        PublicKey::Rsa(k) => {
            use rsa::traits::PublicKeyParts;
            format!("RSA-{}", k.n().bits())
        }
    }
}

/// An RSA key from its modulus and exponent, within [`MAX_RSA_BITS`].
pub fn rsa_key(n: &[u8], e: &[u8]) -> Result<rsa::RsaPublicKey, String> {
    if n.len().saturating_mul(8) > MAX_RSA_BITS {
        return Err(format!("RSA modulus of {} bits is above the {MAX_RSA_BITS}-bit limit", n.len() * 8));
    }
    rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(n), rsa::BigUint::from_bytes_be(e))
        .map_err(|err| format!("RSA key rejected: {err}"))
}

/// Parses a SubjectPublicKeyInfo (DER) holding a P-256, P-384, Ed25519 or RSA key.
pub fn from_spki_der(der: &[u8]) -> Result<PublicKey, String> {
    if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_der(der) {
        return Ok(PublicKey::P256(k));
    }
    if let Ok(k) = p384::ecdsa::VerifyingKey::from_public_key_der(der) {
        return Ok(PublicKey::P384(k));
    }
    if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_der(der) {
        return Ok(PublicKey::Ed25519(k));
    }
    if let Ok(k) = rsa::RsaPublicKey::from_public_key_der(der) {
        use rsa::traits::PublicKeyParts;
        if k.n().bits() > MAX_RSA_BITS {
            return Err(format!("RSA modulus above the {MAX_RSA_BITS}-bit limit"));
        }
        return Ok(PublicKey::Rsa(k));
    }
    Err("not a P-256, P-384, Ed25519 or RSA SubjectPublicKeyInfo".into())
}

/// SubjectPublicKeyInfo DER.
pub fn to_spki_der(key: &PublicKey) -> Result<Vec<u8>, String> {
    let doc = match key {
        PublicKey::P256(k) => k.to_public_key_der(),
        PublicKey::P384(k) => k.to_public_key_der(),
        PublicKey::Ed25519(k) => k.to_public_key_der(),
        PublicKey::Rsa(k) => k.to_public_key_der(),
    };
    doc.map(|d| d.as_bytes().to_vec()).map_err(|e| e.to_string())
}

/// SubjectPublicKeyInfo as a `PUBLIC KEY` PEM.
pub fn to_pem(key: &PublicKey) -> Result<String, String> {
    spki_pem(&to_spki_der(key)?)
}

/// A SubjectPublicKeyInfo DER as a `PUBLIC KEY` PEM.
pub fn spki_pem(der: &[u8]) -> Result<String, String> {
    der::pem::encode_string("PUBLIC KEY", der::pem::LineEnding::LF, der).map_err(|e| e.to_string())
}

/// Parses a `-----BEGIN PUBLIC KEY-----` PEM.
pub fn from_pem(pem: &str) -> Result<PublicKey, String> {
    let (label, der) = der::pem::decode_vec(pem.trim().as_bytes()).map_err(|e| format!("not a PEM block: {e}"))?;
    if label != "PUBLIC KEY" {
        return Err(format!("PEM label is {label}; expected PUBLIC KEY (SubjectPublicKeyInfo)"));
    }
    from_spki_der(&der)
}

/// The digest of a certificate signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    Sha256,
    Sha384,
}

impl Digest {
    /// Hashes `message`.
    pub fn hash(self, message: &[u8]) -> Vec<u8> {
        match self {
            Digest::Sha256 => Sha256::digest(message).to_vec(),
            Digest::Sha384 => Sha384::digest(message).to_vec(),
        }
    }
}

/// ecdsa-with-SHA256.
pub const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// ecdsa-with-SHA384.
pub const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
/// sha256WithRSAEncryption.
pub const RSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// sha384WithRSAEncryption.
pub const RSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");

/// The digest named by a certificate signature algorithm (ECDSA or RSA PKCS#1 v1.5).
pub fn digest_of(signature_algorithm: &ObjectIdentifier) -> Option<Digest> {
    match *signature_algorithm {
        oid if oid == ECDSA_SHA256 || oid == RSA_SHA256 => Some(Digest::Sha256),
        oid if oid == ECDSA_SHA384 || oid == RSA_SHA384 => Some(Digest::Sha384),
        _ => None,
    }
}

/// How many signature checks [`verify_digest`] remembers.
pub const VERIFIED_KEPT: usize = 64;

/// A signature check remembered: the SHA-256 of what was checked, and the answer.
type Verified = ([u8; 32], Result<(), String>);

thread_local! {
    /// The last [`VERIFIED_KEPT`] signature checks, oldest first.
    static VERIFIED: std::cell::RefCell<std::collections::VecDeque<Verified>> =
        const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
}

/// Verifies an X.509-style signature: DER ECDSA over the digest of `message` (any curve size
/// with any of the two digests, as Apple's P-384 intermediates sign P-256 leaves with SHA-256),
/// or RSA PKCS#1 v1.5.
///
/// The answer is a function of the key, the digest, the message and the signature alone, so
/// the last [`VERIFIED_KEPT`] answers are remembered by the SHA-256 of the four: an edit that
/// leaves an attestation as it was (its title, its `now`, the app id) does not check the same
/// P-384 signatures again. A change of any byte of the four is a new check.
pub fn verify_digest(key: &PublicKey, digest: Digest, message: &[u8], sig: &[u8]) -> Result<(), String> {
    let Ok(spki) = to_spki_der(key) else { return check_signature(key, digest, message, sig) };
    let mut id = Sha256::new();
    for part in [&spki[..], &[digest as u8], message, sig] {
        id.update((part.len() as u64).to_be_bytes());
        id.update(part);
    }
    let id: [u8; 32] = id.finalize().into();
    if let Some(answer) = VERIFIED.with_borrow(|kept| kept.iter().find(|(k, _)| *k == id).map(|(_, a)| a.clone())) {
        return answer;
    }
    let answer = check_signature(key, digest, message, sig);
    VERIFIED.with_borrow_mut(|kept| {
        if kept.len() == VERIFIED_KEPT {
            kept.pop_front();
        }
        kept.push_back((id, answer.clone()));
    });
    answer
}

/// Forgets the remembered signature checks (for benchmarks that time the checks themselves).
pub fn forget_verified() {
    VERIFIED.with_borrow_mut(std::collections::VecDeque::clear);
}

/// [`verify_digest`] without the memory of earlier checks.
fn check_signature(key: &PublicKey, digest: Digest, message: &[u8], sig: &[u8]) -> Result<(), String> {
    use ecdsa::signature::hazmat::PrehashVerifier;
    use ecdsa::signature::Verifier;
    let hash = digest.hash(message);
    match key {
        PublicKey::P256(k) => {
            let s = p256::ecdsa::Signature::from_der(sig).map_err(|_| "the signature is not a DER ECDSA signature")?;
            k.verify_prehash(&hash, &s).map_err(|_| "the signature does not verify".to_string())
        }
        PublicKey::P384(k) => {
            let s = p384::ecdsa::Signature::from_der(sig).map_err(|_| "the signature is not a DER ECDSA signature")?;
            k.verify_prehash(&hash, &s).map_err(|_| "the signature does not verify".to_string())
        }
        PublicKey::Rsa(k) => {
            let s = rsa::pkcs1v15::Signature::try_from(sig).map_err(|_| "the RSA signature is malformed")?;
            let result = match digest {
                Digest::Sha384 => rsa::pkcs1v15::VerifyingKey::<Sha384>::new(k.clone()).verify(message, &s),
                Digest::Sha256 => rsa::pkcs1v15::VerifyingKey::<Sha256>::new(k.clone()).verify(message, &s),
            };
            result.map_err(|_| "the signature does not verify".to_string())
        }
        PublicKey::Ed25519(_) => Err("Ed25519 certificate signatures are not supported".into()),
    }
}

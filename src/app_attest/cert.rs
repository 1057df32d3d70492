//! X.509 certificates of the attestation chain: parsing, ECDSA signature checks (P-256 and
//! P-384 keys, SHA-256 or SHA-384 digests as the certificate's algorithm says), validity,
//! and the Apple extensions.

use crate::instant::Instant;
use sha2::{Digest, Sha256, Sha384};
use x509_cert::der::asn1::{ObjectIdentifier, OctetString};
use x509_cert::der::{Decode, Encode, EncodePem};
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;

/// ecdsa-with-SHA256.
pub const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// ecdsa-with-SHA384.
pub const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
/// id-ecPublicKey.
pub const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// The P-256 curve (secp256r1).
pub const P256_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// The P-384 curve (secp384r1).
pub const P384_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
/// App Attest nonce extension.
pub const NONCE_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113635.100.8.2");

/// The digest an ECDSA signature algorithm uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
}

impl Hash {
    /// The digest named by a signature algorithm OID.
    pub fn from_signature_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        if *oid == ECDSA_SHA256 {
            Some(Hash::Sha256)
        } else if *oid == ECDSA_SHA384 {
            Some(Hash::Sha384)
        } else {
            None
        }
    }

    /// Hashes `message`.
    pub fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(message).to_vec(),
            Hash::Sha384 => Sha384::digest(message).to_vec(),
        }
    }
}

/// Parses a DER certificate.
pub fn parse(der: &[u8]) -> Result<Certificate, String> {
    Certificate::from_der(der).map_err(|e| format!("not a DER X.509 certificate: {e}"))
}

/// The curve of an EC public key, by name.
pub fn curve(spki: &SubjectPublicKeyInfoOwned) -> Option<&'static str> {
    if spki.algorithm.oid != EC_PUBLIC_KEY {
        return None;
    }
    let params = spki.algorithm.parameters.as_ref()?;
    let curve: ObjectIdentifier = params.decode_as().ok()?;
    if curve == P256_CURVE {
        Some("P-256")
    } else if curve == P384_CURVE {
        Some("P-384")
    } else {
        None
    }
}

/// Verifies a DER ECDSA signature by the key in `spki` over the digest of `message`.
pub fn verify_ecdsa(
    spki: &SubjectPublicKeyInfoOwned,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    use ecdsa::signature::hazmat::PrehashVerifier;
    let digest = hash.digest(message);
    let point = spki.subject_public_key.raw_bytes();
    match curve(spki) {
        Some("P-256") => {
            let key =
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| "the P-256 key is not a valid point")?;
            let sig = p256::ecdsa::Signature::from_der(signature)
                .map_err(|_| "the signature is not a DER ECDSA signature")?;
            key.verify_prehash(&digest, &sig).map_err(|_| "the signature does not verify".to_string())
        }
        Some("P-384") => {
            let key =
                p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| "the P-384 key is not a valid point")?;
            let sig = p384::ecdsa::Signature::from_der(signature)
                .map_err(|_| "the signature is not a DER ECDSA signature")?;
            key.verify_prehash(&digest, &sig).map_err(|_| "the signature does not verify".to_string())
        }
        _ => Err(format!("the signer's key is not an EC P-256 or P-384 key (algorithm {})", spki.algorithm.oid)),
    }
}

/// Verifies that `issuer`'s key signed `child`.
pub fn verify_signed_by(child: &Certificate, issuer: &Certificate) -> Result<(), String> {
    let oid = &child.signature_algorithm.oid;
    let hash = Hash::from_signature_oid(oid).ok_or_else(|| format!("unsupported signature algorithm {oid}"))?;
    let tbs = child.tbs_certificate.to_der().map_err(|e| format!("cannot encode the signed part: {e}"))?;
    let signature = child.signature.as_bytes().ok_or("the signature bit string has unused bits")?;
    verify_ecdsa(&issuer.tbs_certificate.subject_public_key_info, hash, &tbs, signature)
}

/// notBefore and notAfter.
pub fn validity(cert: &Certificate) -> (Instant, Instant) {
    let v = &cert.tbs_certificate.validity;
    let secs = |t: &x509_cert::time::Time| i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    (Instant(secs(&v.not_before)), Instant(secs(&v.not_after)))
}

/// The subject as an RFC 4514 string.
pub fn subject(cert: &Certificate) -> String {
    cert.tbs_certificate.subject.to_string()
}

/// The issuer as an RFC 4514 string.
pub fn issuer(cert: &Certificate) -> String {
    cert.tbs_certificate.issuer.to_string()
}

/// The value of the extension `oid`, if present exactly once.
pub fn extension<'a>(cert: &'a Certificate, oid: &ObjectIdentifier) -> Result<Option<&'a [u8]>, String> {
    let mut found = cert.tbs_certificate.extensions.iter().flatten().filter(|e| e.extn_id == *oid);
    let first = found.next();
    if found.next().is_some() {
        return Err(format!("the extension {oid} appears more than once"));
    }
    Ok(first.map(|e| e.extn_value.as_bytes()))
}

/// Reads the nonce from the App Attest extension value: SEQUENCE { [1] EXPLICIT OCTET STRING }.
pub fn nonce_from_extension(value: &[u8]) -> Result<Vec<u8>, String> {
    use x509_cert::der::asn1::{ContextSpecific, SequenceOf};
    use x509_cert::der::{Any, Tag, TagNumber, Tagged};
    let sequence = Any::from_der(value).map_err(|e| format!("the extension value is not DER: {e}"))?;
    if sequence.tag() != Tag::Sequence {
        return Err(format!("the extension value is a {} instead of a SEQUENCE", sequence.tag()));
    }
    let items: SequenceOf<Any, 4> = sequence.decode_as().map_err(|e| format!("the SEQUENCE does not parse: {e}"))?;
    for item in items.iter() {
        let encoded = item.to_der().map_err(|e| e.to_string())?;
        let mut reader = x509_cert::der::SliceReader::new(&encoded).map_err(|e| e.to_string())?;
        if let Ok(Some(tagged)) = ContextSpecific::<OctetString>::decode_explicit(&mut reader, TagNumber::N1) {
            return Ok(tagged.value.as_bytes().to_vec());
        }
    }
    Err("the SEQUENCE holds no [1] OCTET STRING".to_string())
}

/// The raw public key bytes (for EC keys the uncompressed point 04‖X‖Y).
pub fn public_key_bytes(cert: &Certificate) -> &[u8] {
    cert.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes()
}

/// The SubjectPublicKeyInfo as a PEM "PUBLIC KEY".
pub fn public_key_pem(cert: &Certificate) -> Result<String, String> {
    cert.tbs_certificate.subject_public_key_info.to_pem(x509_cert::der::pem::LineEnding::LF).map_err(|e| e.to_string())
}

/// A report view of one certificate.
pub fn summary(cert: &Certificate, now: Instant) -> serde_json::Value {
    let (not_before, not_after) = validity(cert);
    let status = if now < not_before {
        format!("not yet valid at now (starts {})", not_before.relative_to(now))
    } else if now > not_after {
        format!("expired at now (ended {})", not_after.relative_to(now))
    } else {
        format!("valid at now (ends {})", not_after.relative_to(now))
    };
    serde_json::json!({
        "subject": subject(cert),
        "issuer": issuer(cert),
        "serial": hex::encode(cert.tbs_certificate.serial_number.as_bytes()),
        "not-before": not_before.to_rfc3339(),
        "not-after": not_after.to_rfc3339(),
        "validity": status,
        "key": curve(&cert.tbs_certificate.subject_public_key_info).unwrap_or("not an EC P-256/P-384 key"),
        "signature-algorithm": cert.signature_algorithm.oid.to_string(),
    })
}

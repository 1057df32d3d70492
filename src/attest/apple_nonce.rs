//! Apple's nonce extension, 1.2.840.113635.100.8.2, in App Attest credential certificates and in
//! WebAuthn `apple` attestation certificates. Its value is DER
//! `SEQUENCE { [1] EXPLICIT OCTET STRING }` (bytes `30 24 A1 22 04 20` and the 32-byte nonce).
//!
//! The decoder is strict: exactly one SEQUENCE, holding exactly one element, which is the
//! constructed context-specific tag `[1]`, holding exactly one OCTET STRING, with no bytes left
//! over anywhere. It never skips a fixed number of bytes or other elements.

use super::x509::{Cert, X509Error};
use x509_cert::der::asn1::{AnyRef, ObjectIdentifier, OctetString};
use x509_cert::der::{Decode, Tag, TagNumber, Tagged};

/// The extension's OID.
pub const OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113635.100.8.2");

/// The expected shape, for messages.
pub const SHAPE: &str = "extension 1.2.840.113635.100.8.2 = SEQUENCE { [1] EXPLICIT OCTET STRING }";

/// Why no nonce could be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NonceError {
    #[error("the certificate has no extension {OID}")]
    Missing,
    #[error("the extension {OID} appears more than once")]
    Duplicate,
    #[error("the extension value is not one DER value: {0}")]
    NotDer(String),
    #[error("the extension value is a {0} instead of a SEQUENCE")]
    NotSequence(Tag),
    #[error("the SEQUENCE does not hold exactly one element: {0}")]
    NotOneElement(String),
    #[error("the SEQUENCE holds a {0} instead of the constructed tag [1]")]
    NotTagOne(Tag),
    #[error("the tag [1] does not hold exactly one OCTET STRING: {0}")]
    NotOctetString(String),
}

/// Decodes the extension value (the bytes inside the extension's OCTET STRING) into the nonce.
pub fn decode(value: &[u8]) -> Result<Vec<u8>, NonceError> {
    let sequence = AnyRef::from_der(value).map_err(|e| NonceError::NotDer(e.to_string()))?;
    if sequence.tag() != Tag::Sequence {
        return Err(NonceError::NotSequence(sequence.tag()));
    }
    let element = AnyRef::from_der(sequence.value()).map_err(|e| NonceError::NotOneElement(e.to_string()))?;
    let tag_one = Tag::ContextSpecific { constructed: true, number: TagNumber::N1 };
    if element.tag() != tag_one {
        return Err(NonceError::NotTagOne(element.tag()));
    }
    let octets = OctetString::from_der(element.value()).map_err(|e| NonceError::NotOctetString(e.to_string()))?;
    Ok(octets.as_bytes().to_vec())
}

/// The nonce of `cert`'s extension, which must be present exactly once.
pub fn from_certificate(cert: &Cert) -> Result<Vec<u8>, NonceError> {
    match cert.extension(&OID) {
        Ok(Some(value)) => decode(value),
        Ok(None) => Err(NonceError::Missing),
        Err(X509Error::DuplicateExtension(_)) => Err(NonceError::Duplicate),
        Err(other) => Err(NonceError::NotDer(other.to_string())),
    }
}

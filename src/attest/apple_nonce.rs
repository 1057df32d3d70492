//! Apple's nonce extension, 1.2.840.113635.100.8.2, in App Attest credential certificates and in
//! WebAuthn `apple` attestation certificates. Its value is DER
//! `SEQUENCE { [1] EXPLICIT OCTET STRING }` (bytes `30 24 A1 22 04 20` and the 32-byte nonce).
//!
//! The decoder is strict: exactly one SEQUENCE, holding exactly one element, which is the
//! constructed context-specific tag `[1]`, holding exactly one OCTET STRING, with no bytes left
//! over anywhere. It never skips a fixed number of bytes or other elements.

use super::x509::{Cert, X509Error};
use crate::figure::{ByteField, ByteMap};
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
    framed(value).map(|f| f.nonce)
}

/// The nonce and the lengths of the three DER headers around it.
struct Framed {
    sequence_header: usize,
    tag_header: usize,
    octets_header: usize,
    nonce: Vec<u8>,
}

fn framed(value: &[u8]) -> Result<Framed, NonceError> {
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
    let nonce = octets.as_bytes().to_vec();
    // Each value is read whole (from_der refuses trailing bytes), so a header is the bytes its
    // content leaves.
    Ok(Framed {
        sequence_header: value.len().saturating_sub(sequence.value().len()),
        tag_header: sequence.value().len().saturating_sub(element.value().len()),
        octets_header: element.value().len().saturating_sub(nonce.len()),
        nonce,
    })
}

/// The byte map of an extension value that [`decode`] reads: the three DER headers and the
/// nonce, with `expected` (the nonce the verifier computed) told in the note.
pub fn byte_map(value: &[u8], expected: &[u8]) -> Result<ByteMap, NonceError> {
    let Framed { sequence_header, tag_header, octets_header, nonce } = framed(value)?;
    let inner = tag_header + octets_header + nonce.len();
    let fields = vec![
        ByteField::new("SEQUENCE header", 0, sequence_header, format!("tag 30, content {inner} bytes")),
        ByteField::new(
            "[1] header",
            sequence_header,
            tag_header,
            format!("tag a1, content {} bytes", inner - tag_header),
        ),
        ByteField::new(
            "OCTET STRING header",
            sequence_header + tag_header,
            octets_header,
            format!("tag 04, content {} bytes", nonce.len()),
        ),
        ByteField::new("nonce", sequence_header + tag_header + octets_header, nonce.len(), hex::encode(&nonce)),
    ];
    let note = if nonce == expected {
        format!("equals SHA-256(authData ‖ clientDataHash) = {}", hex::encode(expected))
    } else {
        format!("differs from SHA-256(authData ‖ clientDataHash) = {}", hex::encode(expected))
    };
    Ok(ByteMap { title: format!("Apple nonce extension {OID}"), bytes: value.to_vec(), fields, note: Some(note) })
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

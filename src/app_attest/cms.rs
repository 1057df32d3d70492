//! A BER reader for the receipt's CMS `SignedData` (PKCS#7). Apple's receipts use indefinite
//! lengths and a chunked (constructed) eContent OCTET STRING, which DER-only parsers reject;
//! `bcder` in BER mode reads them. Only the parts needed to show and verify a receipt are kept.
//!
//! Limit: receipts over [`MAX_RECEIPT_BYTES`] are refused before decoding. `bcder` walks
//! nested values iteratively, so deep nesting costs no stack.

use bcder::decode::{Constructed, DecodeError, Source};
use bcder::{Mode, OctetString, Oid, Tag};
use std::convert::Infallible;

/// The largest receipt accepted (real ones are about 4 KiB).
pub const MAX_RECEIPT_BYTES: usize = 32 * 1024;

/// At most this many embedded certificates are read (real receipts carry 3).
pub const MAX_CERTIFICATES: usize = 8;

/// One signer of the SignedData.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub digest_algorithm: String,
    /// The signed attributes re-tagged as a DER SET, i.e. the bytes the signature covers.
    pub signed_attributes: Option<Vec<u8>>,
    /// The messageDigest attribute, when present.
    pub message_digest: Option<Vec<u8>>,
    pub signature_algorithm: String,
    pub signature: Vec<u8>,
}

/// The parts of a CMS SignedData that a receipt needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedData {
    pub content_type: String,
    pub content: Vec<u8>,
    pub certificates: Vec<Vec<u8>>,
    pub signers: Vec<Signer>,
}

/// messageDigest signed attribute.
const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";

fn algorithm<S: Source>(cons: &mut Constructed<S>) -> Result<String, DecodeError<S::Error>> {
    cons.take_sequence(|cons| {
        let oid = Oid::take_from(cons)?;
        cons.skip_all()?;
        Ok(oid.to_string())
    })
}

fn signed_attributes(content: &[u8]) -> Result<Option<Vec<u8>>, DecodeError<Infallible>> {
    Constructed::decode(content, Mode::Ber, |cons| {
        let mut digest = None;
        while let Some(found) = cons.take_opt_sequence(|cons| {
            let oid = Oid::take_from(cons)?;
            cons.take_set(|cons| {
                if oid.to_string() == MESSAGE_DIGEST {
                    let value = OctetString::take_from(cons)?.into_bytes().to_vec();
                    cons.skip_all()?;
                    Ok(Some(value))
                } else {
                    cons.skip_all()?;
                    Ok(None)
                }
            })
        })? {
            digest = digest.or(found);
        }
        Ok(digest)
    })
}

/// Reads the content of one SignerInfo SEQUENCE.
fn signer<S: Source>(cons: &mut Constructed<S>) -> Result<Signer, DecodeError<S::Error>> {
    {
        let _version = cons.take_u8()?;
        cons.skip_one()?; // sid: issuerAndSerialNumber or [0] subjectKeyIdentifier
        let digest_algorithm = algorithm(cons)?;
        let attributes = cons.take_opt_constructed_if(Tag::CTX_0, |cons| cons.capture_all())?;
        let signature_algorithm = algorithm(cons)?;
        let signature = OctetString::take_from(cons)?.into_bytes().to_vec();
        cons.take_opt_constructed_if(Tag::CTX_1, |cons| cons.skip_all())?;
        let (signed_attributes, message_digest) = match attributes {
            Some(captured) => {
                let content = captured.as_slice();
                let set = x509_cert::der::asn1::AnyRef::new(x509_cert::der::Tag::Set, content)
                    .and_then(|any| x509_cert::der::Encode::to_der(&any))
                    .ok();
                (set, signed_attributes(content).ok().flatten())
            }
            None => (None, None),
        };
        Ok(Signer { digest_algorithm, signed_attributes, message_digest, signature_algorithm, signature })
    }
}

/// Parses a BER ContentInfo holding a SignedData (a receipt: at most [`MAX_RECEIPT_BYTES`]).
pub fn parse(bytes: &[u8]) -> Result<SignedData, String> {
    if bytes.len() > MAX_RECEIPT_BYTES {
        return Err(format!("{} bytes is over the receipt limit of {MAX_RECEIPT_BYTES} bytes", bytes.len()));
    }
    parse_unbounded(bytes)
}

/// Parses a BER ContentInfo holding a SignedData; the caller bounds the size (provisioning
/// profiles use this with their own limit).
pub fn parse_unbounded(bytes: &[u8]) -> Result<SignedData, String> {
    let parsed = Constructed::decode(bytes, Mode::Ber, |cons| {
        cons.take_sequence(|cons| {
            let _content_info_type = Oid::take_from(cons)?;
            cons.take_constructed_if(Tag::CTX_0, |cons| {
                cons.take_sequence(|cons| {
                    let _version = cons.take_u8()?;
                    cons.take_set(|cons| {
                        while cons.take_opt_sequence(|cons| cons.skip_all())?.is_some() {}
                        Ok(())
                    })?;
                    let (content_type, content) = cons.take_sequence(|cons| {
                        let oid = Oid::take_from(cons)?;
                        let content = cons
                            .take_opt_constructed_if(Tag::CTX_0, OctetString::take_from)?
                            .map(|o| o.into_bytes().to_vec())
                            .unwrap_or_default();
                        Ok((oid.to_string(), content))
                    })?;
                    let certificates = cons
                        .take_opt_constructed_if(Tag::CTX_0, |cons| {
                            // Each certificate's content is captured and re-wrapped in its
                            // SEQUENCE header (bcder's skip of indefinite content misreads the
                            // end-of-contents marker, so the list is walked value by value).
                            let mut certs = Vec::new();
                            while let Some(content) = cons.take_opt_sequence(|cons| cons.capture_all())? {
                                if certs.len() < MAX_CERTIFICATES {
                                    certs.extend(rewrap_sequence(content.as_slice()));
                                }
                            }
                            Ok(certs)
                        })?
                        .unwrap_or_default();
                    cons.take_opt_constructed_if(Tag::CTX_1, |cons| {
                        while cons.take_opt_sequence(|cons| cons.skip_all())?.is_some() {}
                        Ok(())
                    })?;
                    let signers = cons.take_set(|cons| {
                        let mut signers = Vec::new();
                        while let Some(s) = cons.take_opt_sequence(signer)? {
                            signers.push(s);
                        }
                        cons.skip_all()?;
                        Ok(signers)
                    })?;
                    Ok(SignedData { content_type, content, certificates, signers })
                })
            })
        })
    });
    parsed.map_err(|e| format!("not a BER CMS SignedData: {e}"))
}

/// A SEQUENCE's content with its DER header put back (DER certificates come out byte-identical).
fn rewrap_sequence(content: &[u8]) -> Option<Vec<u8>> {
    use x509_cert::der::{asn1::AnyRef, Encode, Tag as DerTag};
    AnyRef::new(DerTag::Sequence, content).ok()?.to_der().ok()
}

/// The receipt payload: SET OF SEQUENCE { type INTEGER, version INTEGER, value OCTET STRING }.
pub fn payload_fields(content: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, String> {
    Constructed::decode(content, Mode::Ber, |cons| {
        cons.take_set(|cons| {
            let mut fields = Vec::new();
            while let Some(field) = cons.take_opt_sequence(|cons| {
                let kind = cons.take_u32()?;
                let _version = cons.take_u32()?;
                let value = OctetString::take_from(cons)?.into_bytes().to_vec();
                Ok((kind, value))
            })? {
                fields.push(field);
            }
            Ok(fields)
        })
    })
    .map_err(|e: DecodeError<Infallible>| format!("the receipt payload does not parse: {e}"))
}

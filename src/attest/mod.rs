//! The substrate that App Attest and WebAuthn share: Apple defines App Attest on the WebAuthn
//! authenticator-data layout, so both validators read the same structures with the same code.
//!
//! - [`cbor`]: bounded CBOR decoding over ciborium, and the report rendering of CBOR values;
//! - [`auth_data`]: authenticator data (rpIdHash, named flags, counter, attested credential
//!   data, extensions) with one error type that names the field and the byte offset;
//! - [`key`]: public keys (SPKI in and out) and X.509 signature verification;
//! - [`x509`]: certificates (parse, names, validity, extensions, report view);
//! - [`chain`]: the walk from a leaf to a trust anchor at a given time;
//! - [`roots`]: the Apple roots, pinned by fingerprint;
//! - [`apple_nonce`]: Apple's nonce extension 1.2.840.113635.100.8.2.
//!
//! Limits (one set for both validators; `docs/limits.md` has the table):
//!
//! | what | limit |
//! |---|---|
//! | CBOR input | [`cbor::MAX_CBOR_BYTES`] = 256 KiB, refused before decoding |
//! | CBOR nesting | [`cbor::MAX_CBOR_DEPTH`] = 16 levels of arrays, maps and tags |
//! | credential id | [`auth_data::MAX_CREDENTIAL_ID`] = 1023 bytes (the spec's bound) |
//! | one certificate | [`x509::MAX_CERT_BYTES`] = 16 KiB |
//! | certificates in an x5c | [`x509::MAX_CHAIN`] = 8 |
//! | RSA modulus | [`key::MAX_RSA_BITS`] = 8192 bits |

pub mod apple_nonce;
pub mod auth_data;
pub mod cbor;
pub mod chain;
pub mod key;
pub mod roots;
pub mod x509;

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

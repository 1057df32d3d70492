//! App Attest: offline verification of attestation objects (`app-attest`) and assertions
//! (`app-attest-assertion`), following Apple's "Validating apps that connect to your server",
//! plus a DCError explainer ([`dcerror`]).
//!
//! Check ids (fixed by the document spec):
//! - attestation: `format`, `certificate-chain`, `nonce`, `key-id`, `rp-id`, `counter`,
//!   `aaguid`, `credential-id`, and the informational `receipt`;
//! - assertion: `format`, `signature`, `rp-id`, `counter`.
//!
//! Limits: CBOR objects ≤ 64 KiB and ≤ 16 levels deep ([`cbor`]); receipts ≤ 32 KiB ([`cms`]).

pub mod apple_ext;
pub mod assertion;
pub mod attestation;
pub mod auth_data;
pub mod cbor;
pub mod cert;
pub mod chain;
pub mod cms;
pub mod dcerror;
pub mod extensions;
pub mod input;
pub mod object;
pub mod receipt;
pub mod root;

use crate::document::{DocError, Kind};
use crate::instant::Instant;
use crate::validator::Verdict;

/// Runs a document of one of this module's kinds.
pub fn run_document(kind: Kind, body: serde_json::Value, now: Instant) -> Result<Verdict, DocError> {
    match kind {
        Kind::AppAttest => {
            let (doc, client) = input::attestation(body)?;
            Ok(attestation::verify(&doc, &client, now))
        }
        Kind::AppAttestAssertion => {
            let (doc, client) = input::assertion(body)?;
            Ok(assertion::verify(&doc, &client))
        }
        other => Err(DocError::new("/kind", format!("the app_attest module does not run {} documents", other.name()))),
    }
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

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


/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

//! App Attest: offline verification of attestation objects (`app-attest`) and assertions
//! (`app-attest-assertion`), following Apple's "Validating apps that connect to your server",
//! plus a DCError explainer ([`dcerror`]).
//!
//! Check ids (fixed by the document spec): [`AppAttestCheck`], per kind
//! [`ATTESTATION_CHECK_IDS`] and [`ASSERTION_CHECK_IDS`].
//!
//! CBOR, authenticator data, certificates, the pinned roots and Apple's nonce extension come
//! from the substrate shared with WebAuthn ([`crate::attest`], whose limits apply); receipts are
//! at most 32 KiB ([`cms`]).

pub mod apple_ext;
pub mod assertion;
pub mod attestation;
pub mod chain;
pub mod cms;
pub mod dcerror;
pub mod extensions;
pub mod input;
pub mod object;
pub mod receipt;
pub mod report;

crate::check_ids! {
    /// The check ids of App Attest attestations and assertions.
    pub enum AppAttestCheck {
        Format = "format",
        CertificateChain = "certificate-chain",
        Nonce = "nonce",
        KeyId = "key-id",
        RpId = "rp-id",
        Counter = "counter",
        Aaguid = "aaguid",
        CredentialId = "credential-id",
        Receipt = "receipt",
        Signature = "signature",
    }
}

crate::check_table!(
    /// The checks of an `app-attest` document, in the order they run.
    pub const ATTESTATION_CHECK_IDS = AppAttestCheck[
        Format, CertificateChain, Nonce, KeyId, RpId, Counter, Aaguid, CredentialId, Receipt
    ];
);

crate::check_table!(
    /// The checks of an `app-attest-assertion` document, in the order they run.
    pub const ASSERTION_CHECK_IDS = AppAttestCheck[Format, Signature, RpId, Counter];
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_id_belongs_to_a_kind() {
        for id in AppAttestCheck::IDS {
            assert!(ATTESTATION_CHECK_IDS.contains(id) || ASSERTION_CHECK_IDS.contains(id), "{id}");
        }
    }
}

//! WebAuthn: lints for creation/request options, verification of registration and
//! authentication responses, and an explainer model of the AutoFill credential provider.
//!
//! Input limits (so no document can make the engine panic or run away):
//! - base64url fields at most [`response::MAX_FIELD`] characters;
//! - clientDataJSON at most [`client_data::MAX_CLIENT_DATA`] bytes;
//! - CBOR, credential ids, certificates, x5c and RSA keys: the limits of the substrate shared
//!   with App Attest ([`crate::attest`]).
//!
//! The check ids are [`WebauthnCheck`], per kind [`OPTIONS_CHECK_IDS`],
//! [`REGISTRATION_CHECK_IDS`] and [`AUTHENTICATION_CHECK_IDS`]; `docs/webauthn.md` documents them.

pub mod aaguid;
pub mod attestation;
pub mod authentication;
pub mod client_data;
pub mod cose;
pub mod flags;
pub mod options;
pub mod provider;
pub mod registration;
pub mod response;
pub mod signature;

crate::check_ids! {
    /// The check ids of WebAuthn documents: options lints and response checks.
    pub enum WebauthnCheck {
        // Options lints, in the order they run.
        Origin = "origin",
        RpId = "rp-id",
        RequiredMembers = "required-members",
        UnknownMember = "unknown-member",
        Encoding = "encoding",
        ChallengeLength = "challenge-length",
        UserIdLength = "user-id-length",
        UserIdPii = "user-id-pii",
        AlgorithmsEmpty = "algorithms-empty",
        AlgorithmsType = "algorithms-type",
        AlgorithmsUnknown = "algorithms-unknown",
        AlgorithmsEs256 = "algorithms-es256",
        AlgorithmsRecommended = "algorithms-recommended",
        ResidentKey = "resident-key",
        UserVerification = "user-verification",
        AuthenticatorAttachment = "authenticator-attachment",
        Attestation = "attestation",
        Timeout = "timeout",
        ExcludeCredentials = "exclude-credentials",
        AllowCredentials = "allow-credentials",
        // Response checks.
        Format = "format",
        CredentialId = "credential-id",
        ClientDataType = "client-data-type",
        Challenge = "challenge",
        CrossOrigin = "cross-origin",
        UserPresent = "user-present",
        UserVerified = "user-verified",
        BackupState = "backup-state",
        AttestedCredentialData = "attested-credential-data",
        PublicKey = "public-key",
        AttestationFormat = "attestation-format",
        AttestationStatement = "attestation-statement",
        AttestationCertificate = "attestation-certificate",
        AttestationChain = "attestation-chain",
        Signature = "signature",
        SignCount = "sign-count",
    }
}

crate::check_table!(
    /// The lints of a `webauthn-options` document.
    pub const OPTIONS_CHECK_IDS = WebauthnCheck[
        Origin, RpId, RequiredMembers, UnknownMember, Encoding, ChallengeLength, UserIdLength, UserIdPii,
        AlgorithmsEmpty, AlgorithmsType, AlgorithmsUnknown, AlgorithmsEs256, AlgorithmsRecommended, ResidentKey,
        UserVerification, AuthenticatorAttachment, Attestation, Timeout, ExcludeCredentials, AllowCredentials,
    ];
);

crate::check_table!(
    /// The checks of a `webauthn-registration` document.
    pub const REGISTRATION_CHECK_IDS = WebauthnCheck[
        Format, CredentialId, ClientDataType, Challenge, Origin, CrossOrigin, RpId, UserPresent, UserVerified,
        BackupState, AttestedCredentialData, PublicKey, AttestationFormat, AttestationStatement,
        AttestationCertificate, AttestationChain,
    ];
);

crate::check_table!(
    /// The checks of a `webauthn-authentication` document.
    pub const AUTHENTICATION_CHECK_IDS = WebauthnCheck[
        Format, CredentialId, ClientDataType, Challenge, Origin, CrossOrigin, RpId, UserPresent, UserVerified,
        BackupState, AttestedCredentialData, PublicKey, Signature, SignCount,
    ];
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_id_belongs_to_a_kind_and_every_lint_is_described() {
        for id in WebauthnCheck::IDS {
            let tables = [OPTIONS_CHECK_IDS, REGISTRATION_CHECK_IDS, AUTHENTICATION_CHECK_IDS];
            assert!(tables.iter().any(|t| t.contains(id)), "{id}");
        }
        let described: Vec<&str> = options::knowledge::LINTS.iter().map(|l| l.id.id()).collect();
        assert_eq!(described, OPTIONS_CHECK_IDS);
    }
}

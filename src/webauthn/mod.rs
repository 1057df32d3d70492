//! WebAuthn: lints for creation/request options, verification of registration and
//! authentication responses, and an explainer model of the AutoFill credential provider.
//!
//! Input limits (so no document can make the engine panic or run away):
//! - base64url fields at most [`response::MAX_FIELD`] characters;
//! - CBOR at most [`cbor::MAX_INPUT`] bytes and [`cbor::MAX_DEPTH`] levels deep;
//! - clientDataJSON at most [`client_data::MAX_CLIENT_DATA`] bytes;
//! - credential ids at most [`authdata::MAX_CREDENTIAL_ID`] bytes (the spec's bound);
//! - x5c at most [`attestation::cert::MAX_CHAIN`] certificates of [`attestation::cert::MAX_CERT`] bytes;
//! - RSA keys at most [`cose::MAX_RSA_BITS`] bits.
//!
//! The check ids are documented in `docs/webauthn.md`.

pub mod attestation;
pub mod authdata;
pub mod authentication;
pub mod cbor;
pub mod client_data;
pub mod cose;
pub mod flags;
pub mod options;
pub mod provider;
pub mod registration;
pub mod response;
pub mod signature;

use crate::document::{parse_typed, DocError, Kind};
use crate::instant::Instant;
use crate::validator::Verdict;

/// Runs a document of one of this module's kinds.
pub fn run_document(kind: Kind, body: serde_json::Value, now: Instant) -> Result<Verdict, DocError> {
    match kind {
        Kind::WebauthnRegistration => {
            let doc: response::RegistrationDoc = parse_typed(body, "")?;
            Ok(registration::verify(&doc, now))
        }
        Kind::WebauthnAuthentication => {
            let doc: response::AuthenticationDoc = parse_typed(body, "")?;
            Ok(authentication::verify(&doc))
        }
        Kind::WebauthnOptions => {
            let doc: options::OptionsDoc = parse_typed(body, "")?;
            Ok(options::lint(&doc))
        }
        other => Err(DocError::new(
            "/kind",
            format!("the webauthn engine does not run documents of kind {}", other.name()),
        )),
    }
}

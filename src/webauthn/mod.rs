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



//! The CBOR containers: the attestation object `{fmt, attStmt: {x5c, receipt}, authData}` and
//! the assertion object `{signature, authenticatorData}`. Reading them is the `format` check.

use crate::attest::auth_data::{self, AuthData, AuthDataError, Flag, Rules};
use crate::attest::cbor::{self, CborError};
use crate::attest::x509::{self, X5cError};
use ciborium::Value;

/// The only attestation statement format App Attest uses.
pub const FMT: &str = "apple-appattest";

/// Why a container could not be read: what was expected where, and what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("the {what} is not valid base64: {reason}")]
    Base64 { what: &'static str, reason: String },
    #[error("the {what} is not readable CBOR: {source}")]
    Cbor { what: &'static str, source: CborError },
    #[error("{field}: expected {expected}, found {found}")]
    Field { field: &'static str, expected: String, found: String },
    #[error("{field}: {source}")]
    AuthData { field: &'static str, source: AuthDataError },
}

impl FormatError {
    fn field(field: &'static str, expected: impl Into<String>, found: impl Into<String>) -> FormatError {
        FormatError::Field { field, expected: expected.into(), found: found.into() }
    }

    /// The most likely cause, in plain words.
    pub fn cause(&self) -> &'static str {
        match self {
            FormatError::Base64 { .. } => {
                "the value was cut or altered when copied; paste the exact base64 the app sent"
            }
            FormatError::Cbor { .. } => "not an App Attest object, or truncated/damaged bytes",
            FormatError::Field { .. } => {
                "not an App Attest object (a WebAuthn attestation or another format?), or damaged bytes"
            }
            FormatError::AuthData { .. } => "the authenticator data is truncated or damaged",
        }
    }
}

/// A decoded attestation object.
#[derive(Debug, Clone, PartialEq)]
pub struct AttestationObject {
    pub x5c: Vec<Vec<u8>>,
    pub receipt: Option<Vec<u8>>,
    pub auth_data_raw: Vec<u8>,
    pub auth_data: AuthData,
}

/// A decoded assertion object.
#[derive(Debug, Clone, PartialEq)]
pub struct AssertionObject {
    pub signature: Vec<u8>,
    pub auth_data_raw: Vec<u8>,
    pub auth_data: AuthData,
}

fn bytes_field<'a>(entries: &'a [(Value, Value)], key: &'static str) -> Result<&'a [u8], FormatError> {
    match cbor::get(entries, key) {
        Some(Value::Bytes(b)) => Ok(b),
        Some(other) => Err(FormatError::field(key, "a byte string", cbor::type_name(other))),
        None => Err(FormatError::field(key, "present", "missing")),
    }
}

/// Reads an attestation object from its base64 text.
pub fn attestation(text: &str) -> Result<AttestationObject, FormatError> {
    let bytes = super::input::artefact(text, cbor::MAX_CBOR_BYTES)
        .map_err(|reason| FormatError::Base64 { what: "attestation", reason })?;
    let value = cbor::decode_whole(&bytes).map_err(|source| FormatError::Cbor { what: "attestation", source })?;
    let entries =
        cbor::as_map(&value).ok_or_else(|| FormatError::field("attestation", "a CBOR map", cbor::type_name(&value)))?;
    match cbor::get(entries, "fmt") {
        Some(Value::Text(f)) if f == FMT => {}
        Some(Value::Text(f)) => return Err(FormatError::field("fmt", format!("\"{FMT}\""), format!("\"{f}\""))),
        Some(other) => return Err(FormatError::field("fmt", "a text string", cbor::type_name(other))),
        None => return Err(FormatError::field("fmt", "present", "missing")),
    }
    let statement = match cbor::get(entries, "attStmt") {
        Some(v) => cbor::as_map(v).ok_or_else(|| FormatError::field("attStmt", "a map", cbor::type_name(v)))?,
        None => return Err(FormatError::field("attStmt", "present", "missing")),
    };
    let x5c = match cbor::get(statement, "x5c") {
        Some(value) => x509::x5c_bytes(value).map_err(|e| match e {
            X5cError::NotArray(found) => FormatError::field("attStmt.x5c", "an array", found),
            X5cError::NotBytes { found, .. } => FormatError::field("attStmt.x5c", "byte strings", found),
            X5cError::Empty => {
                FormatError::field("attStmt.x5c", "the credential certificate and the intermediate", "0 certificate(s)")
            }
            X5cError::TooMany(n) => FormatError::field(
                "attStmt.x5c",
                format!("at most {} certificates", x509::MAX_CHAIN),
                format!("{n} certificates"),
            ),
        })?,
        None => return Err(FormatError::field("attStmt.x5c", "present", "missing")),
    };
    if x5c.len() < 2 {
        return Err(FormatError::field(
            "attStmt.x5c",
            "the credential certificate and the intermediate",
            format!("{} certificate(s)", x5c.len()),
        ));
    }
    let receipt = match cbor::get(statement, "receipt") {
        Some(Value::Bytes(b)) => Some(b.clone()),
        Some(other) => return Err(FormatError::field("attStmt.receipt", "a byte string", cbor::type_name(other))),
        None => None,
    };
    let raw = bytes_field(entries, "authData")?.to_vec();
    let auth_data = auth_data::parse(&raw, Rules::APP_ATTEST_ATTESTATION)
        .map_err(|source| FormatError::AuthData { field: "authData", source })?;
    if !auth_data.flags.has(Flag::AttestedData) {
        return Err(FormatError::field("authData flags", "the AT bit (0x40) set", auth_data.flags.hex()));
    }
    Ok(AttestationObject { x5c, receipt, auth_data_raw: raw, auth_data })
}

/// Reads an assertion object from its base64 text.
pub fn assertion(text: &str) -> Result<AssertionObject, FormatError> {
    let bytes = super::input::artefact(text, cbor::MAX_CBOR_BYTES)
        .map_err(|reason| FormatError::Base64 { what: "assertion", reason })?;
    let value = cbor::decode_whole(&bytes).map_err(|source| FormatError::Cbor { what: "assertion", source })?;
    let entries =
        cbor::as_map(&value).ok_or_else(|| FormatError::field("assertion", "a CBOR map", cbor::type_name(&value)))?;
    let signature = bytes_field(entries, "signature")?.to_vec();
    let raw = bytes_field(entries, "authenticatorData")?.to_vec();
    let auth_data = auth_data::parse(&raw, Rules::APP_ATTEST_ASSERTION)
        .map_err(|source| FormatError::AuthData { field: "authenticatorData", source })?;
    Ok(AssertionObject { signature, auth_data_raw: raw, auth_data })
}

//! DeviceCheck and App Attest on the network: the server API request a developer sends to
//! `api(.development).devicecheck.apple.com` ([`request`], kind `devicecheck-request`) and
//! which hosts each side contacts, and what a blocked one looks like ([`network`], kind
//! `devicecheck-network`). Check ids and sources: `docs/siwa-server.md`.

pub mod document;
pub mod network;
pub mod request;

use crate::jwt::JwtCheck;

crate::check_ids! {
    /// The ids of a `devicecheck-request` document's own checks (the JWT's are [`JwtCheck`]s).
    pub enum RequestCheck {
        Url = "url",
        Authorization = "authorization",
        Body = "body",
        DeviceToken = "device_token",
        TransactionId = "transaction_id",
        Timestamp = "timestamp",
        Bits = "bits",
    }
}

crate::check_ids! {
    /// The check ids of `devicecheck-network` documents.
    pub enum NetworkCheck {
        Lookup = "lookup",
        Host = "host",
        Operation = "operation",
        Error = "error",
    }
}

/// Every check id a `devicecheck-request` document can expect, in the order they run.
pub const REQUEST_CHECK_IDS: &[&str] = &[
    RequestCheck::Url.id(),
    RequestCheck::Authorization.id(),
    JwtCheck::Format.id(),
    JwtCheck::Alg.id(),
    JwtCheck::Kid.id(),
    JwtCheck::Signature.id(),
    JwtCheck::Iss.id(),
    JwtCheck::Iat.id(),
    JwtCheck::Exp.id(),
    RequestCheck::Body.id(),
    RequestCheck::DeviceToken.id(),
    RequestCheck::TransactionId.id(),
    RequestCheck::Timestamp.id(),
    RequestCheck::Bits.id(),
];

/// Every check id a `devicecheck-network` document can expect.
pub const NETWORK_CHECK_IDS: &[&str] = NetworkCheck::IDS;

use crate::document::{parse_typed, DocError};
use crate::instant::Instant;
use crate::validator::Verdict;
use serde_json::Value;

pub use document::{NetworkDocument, RequestDocument};

/// Parses a `devicecheck-request` body (envelope stripped).
pub fn parse_request(body: Value) -> Result<RequestDocument, DocError> {
    parse_typed(body, "")
}

/// Parses a `devicecheck-network` body (envelope stripped).
pub fn parse_network(body: Value) -> Result<NetworkDocument, DocError> {
    parse_typed(body, "")
}

/// Checks a DeviceCheck server request; its `keys`, when given, verify the JWT.
pub fn verify_request(doc: &RequestDocument, now: Instant) -> Result<Verdict, DocError> {
    let keys = request::load_keys(doc)?;
    Ok(request::verify(doc, keys.as_ref(), now))
}

/// Looks a host, operation or error up.
pub fn verify_network(doc: &NetworkDocument) -> Verdict {
    network::verify(doc)
}

//! DeviceCheck and App Attest on the network: the server API request a developer sends to
//! `api(.development).devicecheck.apple.com` ([`request`], kind `devicecheck-request`) and
//! which hosts each side contacts, and what a blocked one looks like ([`network`], kind
//! `devicecheck-network`). Check ids and sources: `docs/siwa-server.md`.

pub mod document;
pub mod network;
pub mod request;

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

//! Sign in with Apple on the server, beyond the JWTs themselves (those are in [`crate::jwt`],
//! including server-to-server notifications, profile `apple-server-notification`):
//! - [`token_request`] (kind `apple-token-request`): revoke, user migration (TN3159) and the
//!   migration access token, checked field by field with the client-secret checks, and
//!   Apple's error answer explained by ranked causes ([`ranking`]);
//! - [`explain`] (kind `siwa-explain`): where the name users see comes from and when it
//!   changes, server notifications, app transfers, the first authorization.
//!
//! Check ids and sources: `docs/siwa-server.md`.

pub mod document;
pub mod explain;
pub mod ranking;
pub mod token_request;

use crate::document::{parse_typed, DocError};
use crate::instant::Instant;
use crate::validator::Verdict;
use serde_json::Value;

pub use document::{ExplainDocument, TokenRequestDocument};

/// Parses an `apple-token-request` body (envelope stripped).
pub fn parse_token_request(body: Value) -> Result<TokenRequestDocument, DocError> {
    parse_typed(body, "")
}

/// Parses a `siwa-explain` body (envelope stripped).
pub fn parse_explain(body: Value) -> Result<ExplainDocument, DocError> {
    parse_typed(body, "")
}

/// Checks a request to appleid.apple.com; its `keys`, when given, verify the client secret.
pub fn verify_token_request(doc: &TokenRequestDocument, now: Instant) -> Result<Verdict, DocError> {
    let keys = token_request::load_keys(doc)?;
    Ok(token_request::verify(doc, keys.as_ref(), now))
}

/// Looks an explainer topic up.
pub fn verify_explain(doc: &ExplainDocument) -> Verdict {
    explain::verify(doc)
}

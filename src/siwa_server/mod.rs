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

use crate::jwt::JwtCheck;

crate::check_ids! {
    /// The check ids of `apple-token-request` documents; the client secret's checks are the
    /// [`JwtCheck`]s it can fail, prefixed with `client-secret.`.
    pub enum TokenRequestCheck {
        Url = "url",
        ContentType = "content-type",
        Fields = "fields",
        ClientId = "client_id",
        ClientSecretFormat = "client-secret.format",
        ClientSecretAlg = "client-secret.alg",
        ClientSecretKid = "client-secret.kid",
        ClientSecretSignature = "client-secret.signature",
        ClientSecretIss = "client-secret.iss",
        ClientSecretAud = "client-secret.aud",
        ClientSecretSub = "client-secret.sub",
        ClientSecretIat = "client-secret.iat",
        ClientSecretExp = "client-secret.exp",
        ClientSecretLifetime = "client-secret.lifetime",
        Team = "team",
        Token = "token",
        TokenTypeHint = "token_type_hint",
        Target = "target",
        Authorization = "authorization",
        Scope = "scope",
        Group = "group",
    }
}

impl TokenRequestCheck {
    /// The `client-secret.` id of a client-secret check; `None` for the JWT ids a client
    /// secret never reports (`nonce`, `p8`).
    pub fn client_secret(check: JwtCheck) -> Option<TokenRequestCheck> {
        Some(match check {
            JwtCheck::Format => TokenRequestCheck::ClientSecretFormat,
            JwtCheck::Alg => TokenRequestCheck::ClientSecretAlg,
            JwtCheck::Kid => TokenRequestCheck::ClientSecretKid,
            JwtCheck::Signature => TokenRequestCheck::ClientSecretSignature,
            JwtCheck::Iss => TokenRequestCheck::ClientSecretIss,
            JwtCheck::Aud => TokenRequestCheck::ClientSecretAud,
            JwtCheck::Sub => TokenRequestCheck::ClientSecretSub,
            JwtCheck::Iat => TokenRequestCheck::ClientSecretIat,
            JwtCheck::Exp => TokenRequestCheck::ClientSecretExp,
            JwtCheck::Lifetime => TokenRequestCheck::ClientSecretLifetime,
            JwtCheck::Nonce | JwtCheck::P8 | JwtCheck::Events | JwtCheck::EventType => return None,
        })
    }
}

crate::check_ids! {
    /// The check ids of `siwa-explain` documents.
    pub enum ExplainCheck {
        Topic = "topic",
        Renamed = "renamed",
    }
}

/// Every check id an `apple-token-request` document can expect.
pub const TOKEN_REQUEST_CHECK_IDS: &[&str] = TokenRequestCheck::IDS;

/// Every check id a `siwa-explain` document can expect.
pub const EXPLAIN_CHECK_IDS: &[&str] = ExplainCheck::IDS;

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

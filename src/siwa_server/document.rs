//! The bodies of `apple-token-request` and `siwa-explain` documents, as typed structs. The
//! request as sent (`form`) stays loose: misnamed or missing fields fail a check instead of
//! being refused as document errors.

use crate::jwt::document::KeysInput;
use serde::Deserialize;
use serde_json::Value;

/// A `kind: apple-token-request` document body: a request to `appleid.apple.com` that carries a
/// client secret (`/auth/revoke`, `/auth/usermigrationinfo`, `/auth/token`), and Apple's answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TokenRequestDocument {
    /// `https://appleid.apple.com/auth/revoke`, `…/auth/usermigrationinfo` or `…/auth/token`.
    pub url: String,
    /// The Content-Type header as sent.
    pub content_type: Option<String>,
    /// The Authorization header as sent (`Bearer <access token>` for user migration).
    pub authorization: Option<String>,
    /// The form fields as sent, named as on the wire.
    pub form: Value,
    /// The Sign in with Apple key (`p8`, or its public `pem` / a JWKS) to verify the client secret's signature.
    pub keys: Option<KeysInput>,
    #[serde(default)]
    pub expected: Expected,
    /// The app transfer, for `/auth/usermigrationinfo` (and its access token).
    pub transfer: Option<Transfer>,
    /// Apple's answer, to explain.
    pub response: Option<Response>,
    pub leeway_seconds: Option<u32>,
}

/// What the request must say.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Expected {
    /// The team that owns the client id now (its key signs the secret) — revoke and token requests.
    pub team_id: Option<String>,
    /// The Key ID of the Sign in with Apple key.
    pub key_id: Option<String>,
    /// The client id the tokens were issued to.
    pub client_id: Option<String>,
}

/// The app transfer a migration request belongs to (TN3159).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Transfer {
    pub transferring_team: String,
    pub recipient_team: String,
    /// The identifier of the transferred app (bundle ID), or Services ID.
    pub client_id: Option<String>,
    /// The primary App ID of the Sign in with Apple group the app belonged to, when it was grouped.
    pub primary_app_id: Option<String>,
    /// Whether the transferred App ID is (still) grouped under another primary App ID.
    pub grouped: Option<bool>,
}

/// Apple's answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub status: Option<u16>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// A `kind: siwa-explain` document body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExplainDocument {
    /// `display-name`, `server-notifications`, `app-transfer` or `first-authorization`.
    pub topic: String,
    /// Identifiers the developer renamed (for `display-name`): `app-store-name`,
    /// `app-id-description`, `services-id-description`, `bundle-display-name`, `notification-url`.
    #[serde(default)]
    pub renamed: Vec<String>,
}

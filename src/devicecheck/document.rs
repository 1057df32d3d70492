//! The bodies of `devicecheck-request` and `devicecheck-network` documents, as typed structs.
//! The request itself (`url`, `authorization`, `body`) is kept loose on purpose: what a server
//! got wrong there is reported by a failing check, not refused as a document error.

use crate::jwt::document::KeysInput;
use serde::Deserialize;
use serde_json::Value;

/// A `kind: devicecheck-request` document body: the HTTP request a server sends to Apple's
/// DeviceCheck API, and optionally Apple's answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequestDocument {
    /// `https://api(.development).devicecheck.apple.com/v1/<operation>`.
    pub url: String,
    /// The `Authorization` header as sent: `Bearer <JWT>`.
    pub authorization: Option<String>,
    /// The JWT alone, when the header is not given.
    pub jwt: Option<String>,
    /// The JSON body as sent (any JSON: its shape is checked).
    pub body: Value,
    /// The DeviceCheck key (`p8`, or its public `pem` / a JWKS) to verify the JWT's signature.
    pub keys: Option<KeysInput>,
    #[serde(default)]
    pub expected: Expected,
    /// Apple's answer, to explain.
    pub response: Option<Response>,
    pub leeway_seconds: Option<u32>,
}

/// What the request must say.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Expected {
    /// `iss` of the JWT.
    pub team_id: Option<String>,
    /// `kid` of the JWT: the Key ID of a key with DeviceCheck enabled.
    pub key_id: Option<String>,
    /// Which server the device token belongs to: a development build's tokens go to the development host.
    pub environment: Option<Environment>,
}

/// Apple's two DeviceCheck environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Environment {
    Production,
    Development,
}

impl Environment {
    pub fn name(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Development => "development",
        }
    }
}

/// Apple's answer: the HTTP status and the body text (often plain text, not JSON).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub status: u16,
    pub body: Option<Value>,
}

/// A `kind: devicecheck-network` document body: what the app or server saw, to look up.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NetworkDocument {
    /// A host name or URL the developer tried or blocked.
    pub host: Option<String>,
    /// An operation: `attestKey`, `generateToken`, `verify-attestation`, `receipt-refresh`, `query_two_bits`, …
    pub operation: Option<String>,
    /// An error as pasted: `com.apple.devicecheck.error 0`, `DCError 4`, `serverUnavailable`.
    pub error: Option<String>,
    /// The network the device was on: free text such as `wifi`, `cellular`, `corporate proxy`.
    pub network: Option<String>,
    pub environment: Option<Environment>,
}

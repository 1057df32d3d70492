//! The body of `jwt` and `apple-client-secret-request` documents, as typed structs.
//!
//! Unknown fields are document errors (with a suggestion), so a typo such as
//! `"expected": {"teamid": …}` is caught instead of silently skipping a check.

use serde::Deserialize;
use serde_json::{Map, Value};

/// Which rules the token is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// The ES256 JWT a server signs with its `.p8` key for `POST https://appleid.apple.com/auth/token`.
    AppleClientSecret,
    /// The RS256 identity token Sign in with Apple hands to the app or web page.
    AppleIdentityToken,
    /// The RS256 JWT Apple POSTs to a Sign in with Apple server-to-server notification endpoint.
    AppleServerNotification,
    /// Any compact JWS: format, algorithm, key id, signature and the time claims that are present.
    #[default]
    Generic,
}

impl Profile {
    /// Whether tokens of this profile are signed by Apple (the built-in JWKS applies when no keys are given).
    pub fn uses_apple_keys(self) -> bool {
        matches!(self, Profile::AppleIdentityToken | Profile::AppleServerNotification)
    }

    pub fn name(self) -> &'static str {
        match self {
            Profile::AppleClientSecret => "apple-client-secret",
            Profile::AppleIdentityToken => "apple-identity-token",
            Profile::AppleServerNotification => "apple-server-notification",
            Profile::Generic => "generic",
        }
    }
}

/// A `kind: jwt` document body (the envelope is already stripped).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct JwtDocument {
    #[serde(default)]
    pub profile: Profile,
    pub token: String,
    pub keys: Option<KeysInput>,
    #[serde(default)]
    pub expected: Expected,
    pub leeway_seconds: Option<u32>,
    /// Extension: diagnose a failed call to Apple's token endpoint (see `docs/jwt.md`).
    pub troubleshoot: Option<Troubleshoot>,
}

/// `keys`: exactly one of a JWKS `keys` array, an SPKI `pem`, or a PKCS#8 `p8`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysInput {
    pub keys: Option<Vec<Map<String, Value>>>,
    pub pem: Option<String>,
    pub p8: Option<String>,
}

/// What the token must say. Each profile reads the fields it needs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Expected {
    /// Client secret: `iss`.
    pub team_id: Option<String>,
    /// Client secret: `sub` (bundle ID or Services ID).
    pub client_id: Option<String>,
    /// Client secret: header `kid`.
    pub key_id: Option<String>,
    /// Identity token and server notification: `aud`, one identifier or several (bundle ID and Services ID).
    pub audience: Option<OneOrMany>,
    /// Identity token: the raw nonce the app generated (before hashing).
    pub nonce: Option<String>,
    /// Identity token (extension): the authorization code delivered with the token, to check `c_hash`.
    pub authorization_code: Option<String>,
    /// Generic: `iss`.
    pub issuer: Option<String>,
    /// Generic: `sub`; server notification: the `sub` of the event.
    pub subject: Option<String>,
}

/// A string or a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "a string or a list of strings")]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// The error Apple's token endpoint answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointError {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
}

impl EndpointError {
    pub fn name(self) -> &'static str {
        match self {
            EndpointError::InvalidRequest => "invalid_request",
            EndpointError::InvalidClient => "invalid_client",
            EndpointError::InvalidGrant => "invalid_grant",
            EndpointError::UnauthorizedClient => "unauthorized_client",
            EndpointError::UnsupportedGrantType => "unsupported_grant_type",
            EndpointError::InvalidScope => "invalid_scope",
        }
    }
}

/// Whether the code sent was a fresh real one or a deliberate dummy (the probe of the decision table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    Fresh,
    Dummy,
}

/// `troubleshoot`: the failed token request and Apple's answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Troubleshoot {
    pub error: EndpointError,
    pub error_description: Option<String>,
    #[serde(default)]
    pub request: TokenRequest,
    pub identity_token: Option<String>,
    pub code_kind: Option<CodeKind>,
}

/// The form fields of the token request, named as on the wire.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub client_id: Option<String>,
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
    pub content_type: Option<String>,
}

/// A `kind: apple-client-secret-request` document body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecretRequest {
    pub p8: String,
    pub team_id: String,
    pub key_id: String,
    pub client_id: String,
    pub lifetime_seconds: i64,
}

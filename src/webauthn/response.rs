//! The document bodies of `webauthn-registration` and `webauthn-authentication`: the
//! credential as `RegistrationResponseJSON` / `AuthenticationResponseJSON` (base64url
//! fields) and what the RP expected.

use super::flags::UserVerification;
use crate::data::{decode_base64, decode_base64url_strict};
use serde::Deserialize;
use serde_json::Value;

/// Largest base64url field accepted, in characters (about 384 KiB decoded).
pub const MAX_FIELD: usize = 512 * 1024;

/// `PublicKeyCredential` in its JSON form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Credential {
    pub id: String,
    pub raw_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub response: Inner,
    #[serde(default)]
    pub client_extension_results: Option<Value>,
    #[serde(default)]
    pub authenticator_attachment: Option<Value>,
    /// Some libraries copy `response.transports` here.
    #[serde(default)]
    pub transports: Option<Vec<String>>,
}

/// The `response` member (attestation or assertion response).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Inner {
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    #[serde(default)]
    pub attestation_object: Option<String>,
    #[serde(default)]
    pub authenticator_data: Option<String>,
    #[serde(default)]
    pub signature: Option<String>,
    #[serde(default)]
    pub user_handle: Option<String>,
    #[serde(default)]
    pub transports: Option<Vec<String>>,
    #[serde(default)]
    pub public_key: Option<String>,
    #[serde(default)]
    pub public_key_algorithm: Option<i64>,
}

/// `expected`: what the RP issued and accepts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Expected {
    /// base64url of the challenge the RP issued.
    pub challenge: String,
    pub origin: String,
    pub rp_id: String,
    #[serde(default)]
    pub user_verification: Option<UserVerification>,
    /// Accept `crossOrigin: true` (iframe use). Default false.
    #[serde(default)]
    pub cross_origin: bool,
    /// The `pubKeyCredParams` algorithms the RP asked for (registration only).
    #[serde(default)]
    pub algorithms: Option<Vec<i64>>,
}

impl Expected {
    /// What the clientDataJSON checks compare with.
    pub fn client(&self) -> super::client_data::Expected<'_> {
        super::client_data::Expected {
            challenge: &self.challenge,
            origin: &self.origin,
            allow_cross_origin: self.cross_origin,
        }
    }
}

/// A PEM certificate given as a trust anchor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pem {
    pub pem: String,
}

/// Body of `webauthn-registration`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegistrationDoc {
    pub response: Credential,
    pub expected: Expected,
    /// Roots to anchor `packed` / `fido-u2f` x5c chains to. Absent: the chain is verified as
    /// far as it goes and the root it names is reported (the `apple` format always uses the
    /// built-in Apple WebAuthn Root CA).
    #[serde(default)]
    pub attestation_roots: Option<Vec<Pem>>,
}

/// `public-key` of an authentication document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum StoredKey {
    Cose(String),
    Pem(String),
    Jwk(Value),
}

/// Body of `webauthn-authentication`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AuthenticationDoc {
    pub response: Credential,
    pub public_key: StoredKey,
    pub expected: Expected,
    #[serde(default)]
    pub previous_sign_count: Option<u32>,
}

/// Decodes a base64url field of the response. Padded or standard-alphabet input is
/// accepted but noted (browsers emit unpadded base64url).
pub fn field(name: &str, text: &str) -> Result<(Vec<u8>, Option<String>), String> {
    if text.len() > MAX_FIELD {
        return Err(format!("{name} is {} characters, above the {MAX_FIELD}-character limit", text.len()));
    }
    match decode_base64url_strict(text) {
        Ok(bytes) => Ok((bytes, None)),
        Err(_) => decode_base64(text)
            .map(|b| (b, Some(format!("{name} is not unpadded base64url (accepted anyway)"))))
            .map_err(|e| format!("{name}: {e}")),
    }
}

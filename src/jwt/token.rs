//! Compact JWS decoding: `BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature)`
//! (RFC 7515 §7.1), with every way it can go wrong named.
//!
//! Limits: a token longer than [`MAX_TOKEN_LEN`] bytes is refused before decoding; JSON
//! nesting is bounded by serde_json's recursion limit (128 levels).

use crate::data::decode_base64url_strict;
use serde_json::{Map, Value};

/// The longest token read, in bytes (Apple's identity tokens are about 1 KB, client secrets 300 bytes).
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// The three parts of a compact JWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Header,
    Payload,
    Signature,
}

impl Part {
    pub fn name(self) -> &'static str {
        match self {
            Part::Header => "header",
            Part::Payload => "payload",
            Part::Signature => "signature",
        }
    }
}

/// Why a token could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is empty")]
    Empty,
    #[error("the token is {len} bytes long; Keyplay reads tokens of at most {max} bytes")]
    TooLong { len: usize, max: usize },
    #[error("the token contains white space at byte {at}")]
    WhiteSpace { at: usize },
    #[error("the token has {found} dot-separated parts; a compact JWS has 3")]
    PartCount { found: usize },
    #[error("the {} part is empty", .part.name())]
    EmptyPart { part: Part },
    #[error("the {} part is not unpadded base64url: {detail}", .part.name())]
    Base64 { part: Part, detail: String },
    #[error("the {} is not valid JSON: {detail}", .part.name())]
    Json { part: Part, detail: String },
    #[error("the {} is JSON but not an object (found {found})", .part.name())]
    NotObject { part: Part, found: &'static str },
}

impl TokenError {
    /// What a well-formed token looks like at the point of failure.
    pub fn expected(&self) -> String {
        match self {
            TokenError::Base64 { .. } => "base64url characters A-Z a-z 0-9 - _ without = padding".into(),
            TokenError::Json { .. } | TokenError::NotObject { .. } => "a JSON object".into(),
            _ => "header.payload.signature, each part base64url".into(),
        }
    }

    /// The most likely reason, in plain words.
    pub fn cause(&self) -> String {
        match self {
            TokenError::Empty => "nothing was pasted into token".into(),
            TokenError::TooLong { .. } => "this is not a JWT, or several were pasted together".into(),
            TokenError::WhiteSpace { .. } => {
                "the token was wrapped or copied with line breaks; remove all white space".into()
            }
            TokenError::PartCount { found: 5 } => {
                "five parts is a JWE (an encrypted token); only signed tokens (JWS) can be checked".into()
            }
            TokenError::PartCount { found: 1 } => "only one part: this may be an opaque access token, not a JWT".into(),
            TokenError::PartCount { .. } => "the token was truncated or two tokens were joined".into(),
            TokenError::EmptyPart { part } => format!("the {} was left out when the token was built", part.name()),
            TokenError::Base64 { detail, .. } if detail.contains("padding") || detail.contains('=') => {
                "the part carries = padding or uses the standard alphabet (+ /); JOSE uses unpadded base64url".into()
            }
            TokenError::Base64 { .. } => {
                "the token was truncated, or standard base64 (+ / =) was used instead of base64url".into()
            }
            TokenError::Json { part, .. } => format!("the {} was cut short or is not JSON text", part.name()),
            TokenError::NotObject { part, .. } => format!("the {} must be a JSON object", part.name()),
        }
    }
}

/// A decoded compact JWS.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub header: Map<String, Value>,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// The claims when the payload is a JSON object, else why not.
    pub claims: Result<Map<String, Value>, TokenError>,
    /// `BASE64URL(header) "." BASE64URL(payload)`, the bytes the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

/// Splits and decodes a compact JWS. Surrounding white space is trimmed; anything else
/// that is not strictly a compact JWS is an error.
pub fn decode(token: &str) -> Result<Decoded, TokenError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(TokenError::Empty);
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::TooLong {
            len: token.len(),
            max: MAX_TOKEN_LEN,
        });
    }
    if let Some(at) = token.bytes().position(|b| b.is_ascii_whitespace()) {
        return Err(TokenError::WhiteSpace { at });
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts.as_slice() else {
        return Err(TokenError::PartCount { found: parts.len() });
    };
    if header_b64.is_empty() {
        return Err(TokenError::EmptyPart { part: Part::Header });
    }
    let header_bytes = part_bytes(header_b64, Part::Header)?;
    let header = json_object(&header_bytes, Part::Header)?;
    let payload = part_bytes(payload_b64, Part::Payload)?;
    let claims = json_object(&payload, Part::Payload);
    let signature = part_bytes(signature_b64, Part::Signature)?;
    Ok(Decoded {
        header,
        payload,
        claims,
        signing_input: format!("{header_b64}.{payload_b64}"),
        signature,
    })
}

fn part_bytes(text: &str, part: Part) -> Result<Vec<u8>, TokenError> {
    decode_base64url_strict(text).map_err(|detail| TokenError::Base64 { part, detail })
}

fn json_object(bytes: &[u8], part: Part) -> Result<Map<String, Value>, TokenError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(TokenError::NotObject {
            part,
            found: json_type(&other),
        }),
        Err(e) => Err(TokenError::Json {
            part,
            detail: e.to_string(),
        }),
    }
}

/// A JSON value's type name, for messages.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

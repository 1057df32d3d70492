//! Byte strings in documents and reports: `{"utf8": …}`, `{"hex": …}` or `{"base64": …}`.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_encode_padding(true).with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);
const URL_SAFE_NO_PAD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_encode_padding(false).with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64 in either alphabet (standard or URL-safe), padded or not, ignoring
/// ASCII white space (captured artefacts are often wrapped).
pub fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.contains(['-', '_']) { URL_SAFE.decode(compact.as_bytes()) } else { STANDARD.decode(compact.as_bytes()) }
        .map_err(|e| format!("not valid base64: {e}"))
}

/// Decodes strict base64url without padding, as JOSE and WebAuthn require.
pub fn decode_base64url_strict(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.as_bytes())
        .map_err(|e| format!("not valid unpadded base64url: {e}"))
}

/// Standard base64 with padding.
pub fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// base64url without padding.
pub fn encode_base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes hex, ignoring white space and `:` separators.
pub fn decode_hex(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace() && *c != ':').collect();
    hex::decode(compact).map_err(|e| format!("not valid hex: {e}"))
}

/// A byte string as written in a document. Deserializing decodes it; a bad encoding is a
/// document error at the value's path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bytes(pub Vec<u8>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
enum Written {
    Utf8(String),
    Hex(String),
    Base64(String),
}

impl Bytes {
    /// Decodes the JSON form, or says why it cannot.
    pub fn from_json(value: &serde_json::Value) -> Result<Bytes, String> {
        let obj = value
            .as_object()
            .filter(|o| o.len() == 1)
            .ok_or_else(|| r#"expected bytes as {"utf8": …}, {"hex": …} or {"base64": …}"#.to_string())?;
        let (k, v) = obj.iter().next().ok_or("empty object")?;
        let text = v.as_str().ok_or_else(|| format!("the {k} value must be a string"))?;
        match k.as_str() {
            "utf8" => Ok(Bytes(text.as_bytes().to_vec())),
            "hex" => decode_hex(text).map(Bytes),
            "base64" => decode_base64(text).map(Bytes),
            other => Err(format!("unknown byte encoding {other}; use utf8, hex or base64")),
        }
    }

    /// The report form: UTF-8 text when the bytes are valid UTF-8, else base64.
    pub fn to_json(&self) -> serde_json::Value {
        match std::str::from_utf8(&self.0) {
            Ok(text) => serde_json::json!({ "utf8": text }),
            Err(_) => serde_json::json!({ "base64": encode_base64(&self.0) }),
        }
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Written::deserialize(deserializer)? {
            Written::Utf8(s) => Ok(Bytes(s.into_bytes())),
            Written::Hex(s) => decode_hex(&s).map(Bytes).map_err(de::Error::custom),
            Written::Base64(s) => decode_base64(&s).map(Bytes).map_err(de::Error::custom),
        }
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_written_form() {
        for (json, bytes) in [
            (r#"{"utf8":"hi"}"#, b"hi".to_vec()),
            (r#"{"hex":"0a:1B"}"#, vec![0x0a, 0x1b]),
            (r#"{"base64":"AAE="}"#, vec![0, 1]),
            (r#"{"base64":"AAE"}"#, vec![0, 1]),
            (r#"{"base64":"-_8"}"#, vec![0xfb, 0xff]),
        ] {
            let b: Bytes = serde_json::from_str(json).expect(json);
            assert_eq!(b.0, bytes, "{json}");
        }
        assert!(serde_json::from_str::<Bytes>(r#"{"hex":"zz"}"#).is_err());
        assert!(serde_json::from_str::<Bytes>(r#"{"utf16":"zz"}"#).is_err());
    }

    #[test]
    fn reports_text_as_utf8_and_binary_as_base64() {
        assert_eq!(Bytes(b"ok".to_vec()).to_json(), serde_json::json!({"utf8": "ok"}));
        assert_eq!(Bytes(vec![0xff]).to_json(), serde_json::json!({"base64": "/w=="}));
    }
}

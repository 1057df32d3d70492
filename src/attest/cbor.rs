//! Bounded CBOR decoding (over `ciborium`) for attestation objects, assertions, COSE keys and
//! authenticator-data extensions, shared by App Attest and WebAuthn.
//!
//! Limits, checked before or while decoding so that hostile input is refused cheaply:
//! - [`MAX_CBOR_BYTES`] (256 KiB): a larger input is refused before any decoding. Real App Attest
//!   objects are 5–6 KiB and WebAuthn attestation objects a few KiB; the bound leaves room for a
//!   WebAuthn x5c of [`super::x509::MAX_CHAIN`] certificates of [`super::x509::MAX_CERT_BYTES`].
//! - [`MAX_CBOR_DEPTH`] (16): deeper nesting of arrays, maps and tags is refused (ciborium's
//!   recursion limit); real objects nest at most 4 levels.

use ciborium::Value;

/// The largest CBOR input accepted, in bytes.
pub const MAX_CBOR_BYTES: usize = 256 * 1024;

/// The deepest nesting of arrays, maps and tags accepted.
pub const MAX_CBOR_DEPTH: usize = 16;

/// Why CBOR could not be decoded. Offsets count from the start of the bytes given to the
/// decoder (callers that decode a slice of a larger structure add their own base offset).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CborError {
    #[error("{len} bytes of CBOR is over the limit of {max} bytes")]
    TooLarge { len: usize, max: usize },
    #[error("CBOR nested deeper than the limit of {max} levels")]
    TooDeep { max: usize },
    #[error("CBOR ends early at byte {offset} (truncated)")]
    Truncated { offset: usize },
    #[error("CBOR syntax error at byte {offset}")]
    Syntax { offset: usize },
    #[error("CBOR not understood{}: {message}", at(*.offset))]
    Semantic { offset: Option<usize>, message: String },
    #[error("{count} unexpected bytes after the CBOR item (at byte {offset})")]
    Trailing { offset: usize, count: usize },
}

fn at(offset: Option<usize>) -> String {
    offset.map(|o| format!(" at byte {o}")).unwrap_or_default()
}

impl CborError {
    /// The byte offset the error concerns, when known.
    pub fn offset(&self) -> Option<usize> {
        match self {
            CborError::TooLarge { .. } | CborError::TooDeep { .. } => None,
            CborError::Truncated { offset } | CborError::Syntax { offset } | CborError::Trailing { offset, .. } => {
                Some(*offset)
            }
            CborError::Semantic { offset, .. } => *offset,
        }
    }
}

/// Decodes exactly one CBOR item from the start of `bytes` and returns it with the number of
/// bytes it used (anything after it is left for the caller).
pub fn decode_prefix(bytes: &[u8]) -> Result<(Value, usize), CborError> {
    if bytes.len() > MAX_CBOR_BYTES {
        return Err(CborError::TooLarge { len: bytes.len(), max: MAX_CBOR_BYTES });
    }
    let mut rest = bytes;
    let value: Value =
        ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_CBOR_DEPTH).map_err(|e| match e {
            ciborium::de::Error::RecursionLimitExceeded => CborError::TooDeep { max: MAX_CBOR_DEPTH },
            ciborium::de::Error::Io(_) => CborError::Truncated { offset: bytes.len() },
            ciborium::de::Error::Syntax(offset) => CborError::Syntax { offset },
            ciborium::de::Error::Semantic(offset, message) => CborError::Semantic { offset, message },
        })?;
    Ok((value, bytes.len() - rest.len()))
}

/// Decodes one CBOR item that must fill `bytes` exactly.
pub fn decode_whole(bytes: &[u8]) -> Result<Value, CborError> {
    let (value, used) = decode_prefix(bytes)?;
    if used != bytes.len() {
        return Err(CborError::Trailing { offset: used, count: bytes.len() - used });
    }
    Ok(value)
}

/// Encodes one CBOR item (ciborium's encoder: definite lengths, shortest heads, map entries in
/// the order given). Used to re-encode altered objects, e.g. for test fixtures.
pub fn encode(value: &Value) -> Result<Vec<u8>, CborError> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out)
        .map_err(|e| CborError::Semantic { offset: None, message: format!("cannot encode: {e}") })?;
    Ok(out)
}

/// Replaces the value stored under the text key `key` in a map's entries; false when absent.
pub fn replace(entries: &mut [(Value, Value)], key: &str, value: Value) -> bool {
    match entries.iter_mut().find(|(k, _)| matches!(k, Value::Text(t) if t == key)) {
        Some((_, slot)) => {
            *slot = value;
            true
        }
        None => false,
    }
}

/// The entries of a CBOR map, or `None` when `value` is not a map.
pub fn as_map(value: &Value) -> Option<&[(Value, Value)]> {
    match value {
        Value::Map(entries) => Some(entries),
        _ => None,
    }
}

/// The value stored under the text key `key` in a map's entries.
pub fn get<'a>(entries: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    entries.iter().find(|(k, _)| matches!(k, Value::Text(t) if t == key)).map(|(_, v)| v)
}

/// The value stored under the integer key `key` (COSE labels).
pub fn get_int(entries: &[(Value, Value)], key: i64) -> Option<&Value> {
    entries.iter().find(|(k, _)| as_i64(k) == Some(key)).map(|(_, v)| v)
}

/// An integer value that fits in i64.
pub fn as_i64(value: &Value) -> Option<i64> {
    value.as_integer().and_then(|i| i64::try_from(i).ok())
}

/// A short name of a CBOR value's type, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Integer(_) => "integer",
        Value::Bytes(_) => "byte string",
        Value::Float(_) => "float",
        Value::Text(_) => "text string",
        Value::Bool(_) => "boolean",
        Value::Null => "null",
        Value::Tag(..) => "tagged value",
        Value::Array(_) => "array",
        Value::Map(_) => "map",
        _ => "unknown value",
    }
}

/// A JSON rendering of a CBOR value for reports. Byte strings take the document's byte form
/// ([`crate::data::Bytes::to_json`]: `{"utf8": …}` or `{"base64": …}`), so a report value can be
/// pasted back into a document; integers beyond i64 become decimal text; map keys that are not
/// text become their decimal value or their type name. Values nested deeper than
/// [`MAX_CBOR_DEPTH`] (only possible for values not made by [`decode_prefix`]) become `"…"`.
pub fn to_json(value: &Value) -> serde_json::Value {
    to_json_at(value, 0)
}

fn to_json_at(value: &Value, depth: usize) -> serde_json::Value {
    use serde_json::json;
    if depth > MAX_CBOR_DEPTH {
        return json!("…");
    }
    match value {
        Value::Integer(i) => {
            let n = i128::from(*i);
            i64::try_from(n).map(|v| json!(v)).unwrap_or_else(|_| json!(n.to_string()))
        }
        Value::Bytes(b) => crate::data::Bytes(b.clone()).to_json(),
        Value::Float(f) => json!(f),
        Value::Text(t) => json!(t),
        Value::Bool(b) => json!(b),
        Value::Null => serde_json::Value::Null,
        Value::Tag(tag, inner) => json!({ "tag": tag, "value": to_json_at(inner, depth + 1) }),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(|v| to_json_at(v, depth + 1)).collect()),
        Value::Map(entries) => {
            let mut out = serde_json::Map::new();
            for (k, v) in entries {
                let key = match k {
                    Value::Text(t) => t.clone(),
                    Value::Integer(i) => i128::from(*i).to_string(),
                    other => type_name(other).to_string(),
                };
                out.insert(key, to_json_at(v, depth + 1));
            }
            serde_json::Value::Object(out)
        }
        _ => serde_json::Value::Null,
    }
}

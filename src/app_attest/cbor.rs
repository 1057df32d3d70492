//! Bounded CBOR decoding for attestation objects, assertions and the COSE key inside
//! authenticator data.
//!
//! Limits (checked before or while decoding, so hostile input is refused cheaply):
//! - [`MAX_CBOR_BYTES`]: an attestation or assertion object larger than 64 KiB is refused
//!   before any decoding (real attestation objects are 5–6 KiB, assertions about 120 bytes).
//! - [`MAX_CBOR_DEPTH`]: nesting deeper than 16 levels of arrays, maps or tags is refused
//!   (real objects nest 3 levels deep).

use ciborium::Value;

/// The largest CBOR object accepted, in bytes.
pub const MAX_CBOR_BYTES: usize = 64 * 1024;

/// The deepest nesting of arrays, maps and tags accepted.
pub const MAX_CBOR_DEPTH: usize = 16;

/// Decodes exactly one CBOR item from the start of `bytes` and returns it with the number of
/// bytes it used (anything after it is left for the caller).
pub fn decode_prefix(bytes: &[u8]) -> Result<(Value, usize), String> {
    if bytes.len() > MAX_CBOR_BYTES {
        return Err(format!("{} bytes of CBOR is over the limit of {MAX_CBOR_BYTES} bytes", bytes.len()));
    }
    let mut rest = bytes;
    let value: Value =
        ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_CBOR_DEPTH).map_err(|e| match e {
            ciborium::de::Error::RecursionLimitExceeded => {
                format!("CBOR nested deeper than the limit of {MAX_CBOR_DEPTH} levels")
            }
            ciborium::de::Error::Io(_) => "CBOR ends early (truncated)".to_string(),
            ciborium::de::Error::Syntax(offset) => format!("CBOR syntax error at byte {offset}"),
            ciborium::de::Error::Semantic(offset, msg) => match offset {
                Some(o) => format!("CBOR not understood at byte {o}: {msg}"),
                None => format!("CBOR not understood: {msg}"),
            },
        })?;
    Ok((value, bytes.len() - rest.len()))
}

/// Decodes one CBOR item that must fill `bytes` entirely.
pub fn decode_whole(bytes: &[u8]) -> Result<Value, String> {
    let (value, used) = decode_prefix(bytes)?;
    if used != bytes.len() {
        return Err(format!("{} unexpected bytes after the CBOR object (at byte {used})", bytes.len() - used));
    }
    Ok(value)
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
    entries.iter().find(|(k, _)| matches!(k, Value::Integer(i) if i128::from(*i) == i128::from(key))).map(|(_, v)| v)
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

/// A JSON rendering of a CBOR value for reports (byte strings as base64, depth already bounded).
pub fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::json;
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
        Value::Tag(tag, inner) => json!({ "tag": tag, "value": to_json(inner) }),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => {
            let mut out = serde_json::Map::new();
            for (k, v) in entries {
                let key = match k {
                    Value::Text(t) => t.clone(),
                    other => to_json(other).to_string(),
                };
                out.insert(key, to_json(v));
            }
            serde_json::Value::Object(out)
        }
        _ => serde_json::Value::Null,
    }
}

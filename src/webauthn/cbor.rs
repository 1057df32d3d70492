//! Bounded CBOR reading on top of `ciborium`, for attestation objects, COSE keys and
//! authenticator-data extensions.
//!
//! Limits (so that no input can exhaust the stack or memory):
//! - nesting depth at most [`MAX_DEPTH`] (ciborium's recursion limit);
//! - inputs longer than [`MAX_INPUT`] bytes are refused before decoding.

use ciborium::Value;

/// Deepest nesting accepted. Real WebAuthn structures nest at most 4 levels.
pub const MAX_DEPTH: usize = 16;
/// Largest CBOR input accepted (256 KiB); real attestation objects are a few KiB.
pub const MAX_INPUT: usize = 256 * 1024;

/// Decodes exactly one CBOR item from the start of `bytes` and says how many bytes it used.
pub fn decode_prefix(bytes: &[u8]) -> Result<(Value, usize), String> {
    if bytes.len() > MAX_INPUT {
        return Err(format!(
            "{} bytes of CBOR, more than the {MAX_INPUT}-byte limit",
            bytes.len()
        ));
    }
    let mut cursor: &[u8] = bytes;
    let value: Value = ciborium::de::from_reader_with_recursion_limit(&mut cursor, MAX_DEPTH)
        .map_err(|e| format!("not valid CBOR: {e}"))?;
    Ok((value, bytes.len() - cursor.len()))
}

/// Decodes one CBOR item that must fill `bytes` exactly.
pub fn decode_exact(bytes: &[u8]) -> Result<Value, String> {
    let (value, used) = decode_prefix(bytes)?;
    if used != bytes.len() {
        return Err(format!(
            "{} trailing bytes after the CBOR item (of {} bytes)",
            bytes.len() - used,
            bytes.len()
        ));
    }
    Ok(value)
}

/// The entries of a CBOR map, or an error naming `what`.
pub fn as_map<'a>(value: &'a Value, what: &str) -> Result<&'a [(Value, Value)], String> {
    value
        .as_map()
        .map(Vec::as_slice)
        .ok_or_else(|| format!("{what} is not a CBOR map ({})", type_name(value)))
}

/// Looks up a text key in a CBOR map.
pub fn get_text<'a>(map: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    map.iter().find(|(k, _)| k.as_text() == Some(key)).map(|(_, v)| v)
}

/// Looks up an integer key in a CBOR map (COSE labels).
pub fn get_int(map: &[(Value, Value)], key: i64) -> Option<&Value> {
    map.iter().find(|(k, _)| as_i64(k) == Some(key)).map(|(_, v)| v)
}

/// An integer value that fits in i64.
pub fn as_i64(value: &Value) -> Option<i64> {
    value.as_integer().and_then(|i| i64::try_from(i).ok())
}

/// A short name for the CBOR type of `value`, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Integer(_) => "integer",
        Value::Bytes(_) => "byte string",
        Value::Float(_) => "float",
        Value::Text(_) => "text string",
        Value::Bool(_) => "boolean",
        Value::Null => "null",
        Value::Tag(_, _) => "tagged value",
        Value::Array(_) => "array",
        Value::Map(_) => "map",
        _ => "unknown",
    }
}

/// A JSON rendering of a CBOR value for reports: byte strings become base64url text.
pub fn to_json(value: &Value, depth: usize) -> serde_json::Value {
    if depth > MAX_DEPTH {
        return serde_json::Value::String("…".into());
    }
    match value {
        Value::Integer(i) => i64::try_from(*i)
            .map(serde_json::Value::from)
            .unwrap_or_else(|_| "big integer".into()),
        Value::Bytes(b) => serde_json::json!({ "base64url": crate::data::encode_base64url(b) }),
        Value::Float(f) => serde_json::json!(f),
        Value::Text(t) => serde_json::Value::String(t.clone()),
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Null => serde_json::Value::Null,
        Value::Tag(t, inner) => serde_json::json!({ "tag": t, "value": to_json(inner, depth + 1) }),
        Value::Array(items) => items.iter().map(|v| to_json(v, depth + 1)).collect(),
        Value::Map(entries) => {
            let mut out = serde_json::Map::new();
            for (k, v) in entries {
                let key = match k {
                    Value::Text(t) => t.clone(),
                    other => as_i64(other)
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| type_name(other).to_string()),
                };
                out.insert(key, to_json(v, depth + 1));
            }
            serde_json::Value::Object(out)
        }
        _ => serde_json::Value::Null,
    }
}

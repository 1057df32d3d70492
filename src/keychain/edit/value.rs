//! Values as the workspace edits them: a first value that fits a key, the parts of data and
//! access-control values, and a value after one edit.

use serde_json::{Map, Value};

use super::ValueEdit;
use crate::keychain::catalog::kind_of;
use crate::keychain::constants::{self, ValueKind, ACCESS_CONTROL_FLAGS};

/// A first value for a new row: one that fits the key's kind.
pub fn default_value(key: &str) -> Value {
    use serde_json::json;
    match kind_of(key) {
        Some(ValueKind::Bool) => json!(true),
        Some(ValueKind::Number) => json!(0),
        Some(ValueKind::Data) => json!({ "utf8": "" }),
        Some(ValueKind::Date) => json!({ "date": "2026-01-01T00:00:00Z" }),
        Some(ValueKind::Constant(family)) => {
            json!(constants::family_names(family).first().copied().unwrap_or_default())
        }
        Some(ValueKind::AccessControl) => {
            json!({ "accessControl": { "accessible": "kSecAttrAccessibleWhenUnlockedThisDeviceOnly", "flags": [] } })
        }
        Some(ValueKind::Array) => json!([]),
        Some(ValueKind::PersistentRef) => json!({ "persistentRef": "genp:1" }),
        _ => json!(""),
    }
}

/// Data's encoding and text, when the value is `{"utf8"|"hex"|"base64": text}`.
pub fn data_parts(value: &Value) -> Option<(&str, &str)> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    let (encoding, text) = map.iter().next()?;
    ["utf8", "hex", "base64"].contains(&encoding.as_str()).then_some(())?;
    Some((encoding.as_str(), text.as_str()?))
}

/// Access control's protection class and flags, when the value is `{"accessControl": …}`.
pub fn access_control_parts(value: &Value) -> Option<(String, Vec<String>)> {
    let ac = value.get("accessControl")?;
    let accessible = ac.get("accessible").and_then(Value::as_str).unwrap_or_default().to_owned();
    let flags = ac
        .get("flags")
        .and_then(Value::as_array)
        .map(|f| f.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    Some((accessible, flags))
}

pub(super) fn edited(value: &Value, edit: &ValueEdit) -> Option<Value> {
    use serde_json::json;
    Some(match edit {
        ValueEdit::Text(text) => json!(text),
        ValueEdit::Number(text) => match text.trim().parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
                .unwrap_or_else(|| json!(text)),
        },
        ValueEdit::Bool(on) => json!(on),
        ValueEdit::DataEncoding(encoding) => {
            let text = data_parts(value).map(|(_, t)| t).unwrap_or_default();
            single(encoding, text)
        }
        ValueEdit::DataText(text) => {
            let encoding = data_parts(value).map(|(e, _)| e).unwrap_or("utf8");
            single(encoding, text)
        }
        ValueEdit::Date(text) => json!({ "date": text }),
        ValueEdit::Accessible(accessible) => {
            let (_, flags) = access_control_parts(value).unwrap_or_default();
            json!({ "accessControl": { "accessible": accessible, "flags": flags } })
        }
        ValueEdit::Flag(flag, on) => {
            let (accessible, mut flags) = access_control_parts(value).unwrap_or_default();
            flags.retain(|f| f != flag);
            if *on {
                flags.push(flag.clone());
                // Keep the flags in the catalog's order, so the JSON does not depend on click order.
                let order = |f: &String| ACCESS_CONTROL_FLAGS.iter().position(|(n, _)| n == f).unwrap_or(usize::MAX);
                flags.sort_by_key(order);
            }
            json!({ "accessControl": { "accessible": accessible, "flags": flags } })
        }
        ValueEdit::Json(text) => serde_json::from_str(text).ok()?,
    })
}

/// `{key: text}`.
fn single(key: &str, text: &str) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), Value::String(text.to_owned()));
    Value::Object(map)
}

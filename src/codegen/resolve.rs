//! Turns evaluated dictionaries into document JSON: known values as they are, unknown ones as
//! placeholders chosen by the key's value kind (each with a problem), and anything the document
//! format cannot carry left out (with a problem), so that an imported document always runs.

use super::builtins::family_default;
use super::expr::{DictVal, Pos, Unknown, Val};
use super::import::Problems;
use crate::keychain::constants::{KeyDef, ValueKind};
use crate::keychain::document::Dict;
use serde_json::{json, Map, Value as Json};

/// The JSON object for a dictionary passed to a call.
pub fn dict_json(dict: &DictVal, problems: &mut Problems) -> Json {
    let mut map = Map::new();
    for e in &dict.entries {
        let Some(value) = value_json(&e.val, e.key, &e.pos, problems) else { continue };
        let mut single = Map::new();
        single.insert(e.key.name.to_string(), value.clone());
        match Dict::from_json(&Json::Object(single), "") {
            Ok(_) => {
                map.insert(e.key.name.to_string(), value);
            }
            Err(err) => problems.add(&e.pos, format!("{}: {} (entry left out)", e.key.name, err.message)),
        }
    }
    Json::Object(map)
}

/// The value for `key`, or `None` (with a problem) when it cannot be given.
fn value_json(val: &Val, key: &KeyDef, pos: &Pos, problems: &mut Problems) -> Option<Json> {
    match val {
        Val::Json(j) => Some(j.clone()),
        Val::Array(items) => {
            let element = match key.value {
                ValueKind::Constant(f) => ValueKind::Constant(f),
                _ => ValueKind::Opaque,
            };
            let mut out = Vec::new();
            for item in items {
                let item_pos = match item {
                    Val::Unknown(u) => u.pos.clone(),
                    _ => pos.clone(),
                };
                if let Some(j) = value_json(item, &KeyDef { value: element, ..*key }, &item_pos, problems) {
                    out.push(j);
                }
            }
            Some(Json::Array(out))
        }
        Val::Nil => {
            problems.add(
                pos,
                format!(
                    "{}: nil is no CF value (Swift would not compile it, Objective-C would crash): entry left out",
                    key.name
                ),
            );
            None
        }
        Val::Dict(_) => {
            problems.add(pos, format!("{}: a dictionary is not a value for this key: entry left out", key.name));
            None
        }
        Val::Flags(_) => {
            problems.add(
                pos,
                format!("{}: access control flags belong in SecAccessControlCreateWithFlags: entry left out", key.name),
            );
            None
        }
        Val::Unknown(u) => placeholder(u, key, problems),
    }
}

fn placeholder(u: &Unknown, key: &KeyDef, problems: &mut Problems) -> Option<Json> {
    let text = format!("<{}>", u.name);
    if u.optional && key.name == "kSecAttrAccessGroup" {
        problems.add(
            &u.pos,
            format!(
                "{}: `{}` is set only when it is not nil and cannot be evaluated here: left out (a made-up group would fail with errSecMissingEntitlement); add the group your app sets, and give the app that entitlement",
                key.name, u.name
            ),
        );
        problems.placeholder(&u.name, key.name, u.pos.line, &Json::Null, true, true);
        return None;
    }
    let (value, what) = match key.value {
        _ if u.data && !matches!(key.value, ValueKind::Ref | ValueKind::AccessControl) => {
            (json!({ "utf8": text }), format!("the data {{\"utf8\": \"{text}\"}}"))
        }
        ValueKind::Data => (json!({ "utf8": text }), format!("the data {{\"utf8\": \"{text}\"}}")),
        ValueKind::String => (json!(text), format!("the string \"{text}\"")),
        ValueKind::Number => (json!(0), "the number 0".to_string()),
        ValueKind::Bool => (json!(true), "true".to_string()),
        ValueKind::Date => (json!({ "date": "2026-01-01T00:00:00Z" }), "the date 2026-01-01T00:00:00Z".to_string()),
        ValueKind::Constant(f) => {
            let v = family_default(f);
            let shown = v.to_string();
            (v, shown)
        }
        ValueKind::AccessControl => (
            json!({ "accessControl": { "accessible": "kSecAttrAccessibleWhenUnlocked", "flags": ["kSecAccessControlUserPresence"] } }),
            "an access control of kSecAttrAccessibleWhenUnlocked with .userPresence".to_string(),
        ),
        ValueKind::PersistentRef => (json!({ "persistentRef": text }), format!("a persistent reference \"{text}\"")),
        ValueKind::Ref | ValueKind::Array | ValueKind::Opaque => {
            problems.add(
                &u.pos,
                format!(
                    "{}: `{}` cannot be evaluated here and Keyplay has no stand-in for this kind of object: entry left out{}",
                    key.name,
                    u.name,
                    if key.value == ValueKind::Ref {
                        " (paste the certificate or key as SecCertificateCreateWithData / SecKeyCreateWithData with literal data)"
                    } else {
                        ""
                    }
                ),
            );
            return None;
        }
    };
    let why = if u.name.starts_with("kSec") {
        format!("{} is not a constant Keyplay knows", u.name)
    } else {
        format!("`{}` cannot be evaluated here", u.name)
    };
    let only =
        if u.optional { format!(" (the code sets it only when `{}` is not nil)", u.name) } else { String::new() };
    problems.add(&u.pos, format!("{}: {why}: assumed {what}{only}", key.name));
    let stand_in = Json::String(text.clone());
    let named =
        value == stand_in || value.get("utf8") == Some(&stand_in) || value.get("persistentRef") == Some(&stand_in);
    if named && !u.name.starts_with("kSec") {
        problems.placeholder(&u.name, key.name, u.pos.line, &value, u.optional, false);
    }
    Some(value)
}

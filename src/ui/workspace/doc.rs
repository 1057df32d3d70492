//! Pure helpers of the keychain workspace: structured edits of the document text, the
//! document cut after a step, the keys a dictionary may offer, and the gallery's groups.
//!
//! The text stays the single source of truth: an edit parses it, changes the JSON value
//! and serialises it back, pretty. Nothing here touches the browser, so it is tested
//! natively too (`tests/workspace_helpers.rs` includes this file).

use serde_json::{Map, Value};

use crate::keychain::constants::{self, KeyDef, ValueKind, ACCESS_CONTROL_FLAGS, KEYS};
use crate::keychain::schema::Class;
use crate::{run_text, Instant};

/// The calls and events a step may make, in the order the picker offers them.
pub const CALLS: [&str; 8] =
    ["SecItemAdd", "SecItemCopyMatching", "SecItemUpdate", "SecItemDelete", "device", "app", "reboot", "biometry"];

/// The platforms a keychain document runs on.
pub const PLATFORMS: [&str; 3] = ["ios", "macos", "macos-file"];

/// Which dictionary of a step an edit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The call's one dictionary (add, copy, delete).
    Main,
    /// `SecItemUpdate`'s query.
    Query,
    /// `SecItemUpdate`'s attributes.
    Attributes,
}

impl Part {
    /// A short name for labels and ids.
    pub fn name(self) -> &'static str {
        match self {
            Part::Main => "dictionary",
            Part::Query => "query",
            Part::Attributes => "attributes",
        }
    }
}

/// Where the device and app panels write: the document's own `device` / `app`, or a step's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Document,
    Step(usize),
}

/// A change to one value in a dictionary row, as the value editor reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueEdit {
    Text(String),
    /// A number as typed (kept as a string when it is no number).
    Number(String),
    Bool(bool),
    /// Data: which encoding (`utf8`, `hex`, `base64`).
    DataEncoding(String),
    /// Data: the encoded text.
    DataText(String),
    /// A date as RFC 3339 text.
    Date(String),
    /// Access control: the protection class.
    Accessible(String),
    /// Access control: one flag on or off.
    Flag(String, bool),
    /// Any value as JSON text (ignored while it is not JSON).
    Json(String),
}

/// A structured edit of a keychain document.
#[derive(Debug, Clone, PartialEq)]
pub enum DocEdit {
    SetPlatform(String),
    AddStep,
    RemoveStep(usize),
    /// Moves a step one place up (`up`) or down.
    MoveStep {
        step: usize,
        up: bool,
    },
    /// Changes what a step does; a dictionary is kept between the SecItem calls.
    SetCall {
        step: usize,
        call: String,
    },
    /// Adds a row with a value that fits the key.
    AddRow {
        step: usize,
        part: Part,
        key: String,
    },
    RemoveRow {
        step: usize,
        part: Part,
        key: String,
    },
    /// Renames a row's key, keeping its place (and its value when the kind fits).
    RenameKey {
        step: usize,
        part: Part,
        from: String,
        to: String,
    },
    SetValue {
        step: usize,
        part: Part,
        key: String,
        edit: ValueEdit,
    },
    /// Sets (or, with `None`, removes) the step's `expect.status`.
    SetExpectStatus {
        step: usize,
        status: Option<String>,
    },
    /// Sets a field of `device` or `app` (`None` removes it); lists are comma-separated text.
    SetField {
        target: Target,
        section: Section,
        field: String,
        value: Option<Value>,
    },
    /// A `biometry` step's event.
    SetBiometry {
        step: usize,
        event: String,
    },
}

/// The two panels: the device's state and the app's entitlements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Device,
    App,
}

impl Section {
    pub fn name(self) -> &'static str {
        match self {
            Section::Device => "device",
            Section::App => "app",
        }
    }
}

/// Parses the document text (the error when it is not JSON).
pub fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not valid JSON at line {}, column {}: {e}", e.line(), e.column()))
}

/// Whether a parsed document is a keychain document.
pub fn is_keychain(doc: &Value) -> bool {
    doc.get("kind").and_then(Value::as_str) == Some("keychain")
}

/// The document's text after `edit`, or `None` when the text is no JSON object or the edit
/// does not apply.
pub fn apply(text: &str, edit: &DocEdit) -> Option<String> {
    let mut doc = parse(text).ok()?;
    edit_value(&mut doc, edit)?;
    serde_json::to_string_pretty(&doc).ok()
}

fn steps_mut(doc: &mut Value) -> Option<&mut Vec<Value>> {
    let map = doc.as_object_mut()?;
    map.entry("steps").or_insert_with(|| Value::Array(Vec::new())).as_array_mut()
}

/// A step's action name and value (the one key that is not `expect` or `note`).
pub fn action_of(step: &Value) -> Option<(&str, &Value)> {
    step.as_object()?.iter().find(|(k, _)| *k != "expect" && *k != "note").map(|(k, v)| (k.as_str(), v))
}

fn action_mut(step: &mut Value) -> Option<(String, &mut Value)> {
    step.as_object_mut()?.iter_mut().find(|(k, _)| *k != "expect" && *k != "note").map(|(k, v)| (k.clone(), v))
}

fn dict_mut(step: &mut Value, part: Part) -> Option<&mut Map<String, Value>> {
    let (_, action) = action_mut(step)?;
    let dict = match part {
        Part::Main => action,
        Part::Query => action.as_object_mut()?.entry("query").or_insert_with(|| Value::Object(Map::new())),
        Part::Attributes => action.as_object_mut()?.entry("attributes").or_insert_with(|| Value::Object(Map::new())),
    };
    dict.as_object_mut()
}

fn edit_value(doc: &mut Value, edit: &DocEdit) -> Option<()> {
    match edit {
        DocEdit::SetPlatform(platform) => {
            doc.as_object_mut()?.insert("platform".into(), Value::String(platform.clone()));
        }
        DocEdit::AddStep => steps_mut(doc)?.push(new_step()),
        DocEdit::RemoveStep(step) => {
            let steps = steps_mut(doc)?;
            (*step < steps.len()).then(|| steps.remove(*step))?;
        }
        DocEdit::MoveStep { step, up } => {
            let steps = steps_mut(doc)?;
            let other = if *up { step.checked_sub(1)? } else { step + 1 };
            (other < steps.len() && *step < steps.len()).then(|| steps.swap(*step, other))?;
        }
        DocEdit::SetCall { step, call } => set_call(steps_mut(doc)?.get_mut(*step)?, call)?,
        DocEdit::AddRow { step, part, key } => {
            let dict = dict_mut(steps_mut(doc)?.get_mut(*step)?, *part)?;
            if !dict.contains_key(key) && !key.is_empty() {
                dict.insert(key.clone(), default_value(key));
            }
        }
        DocEdit::RemoveRow { step, part, key } => {
            dict_mut(steps_mut(doc)?.get_mut(*step)?, *part)?.shift_remove(key)?;
        }
        DocEdit::RenameKey { step, part, from, to } => {
            let dict = dict_mut(steps_mut(doc)?.get_mut(*step)?, *part)?;
            if to.is_empty() || from == to || dict.contains_key(to) {
                return None;
            }
            let fits = kind_of(from) == kind_of(to);
            let renamed = dict
                .iter()
                .map(|(k, v)| {
                    if k == from {
                        (to.clone(), if fits { v.clone() } else { default_value(to) })
                    } else {
                        (k.clone(), v.clone())
                    }
                })
                .collect();
            *dict = renamed;
        }
        DocEdit::SetValue { step, part, key, edit } => {
            let dict = dict_mut(steps_mut(doc)?.get_mut(*step)?, *part)?;
            let value = dict.get_mut(key)?;
            *value = edited(value, edit)?;
        }
        DocEdit::SetExpectStatus { step, status } => {
            let step = steps_mut(doc)?.get_mut(*step)?.as_object_mut()?;
            match status {
                Some(status) => {
                    let expect = step.entry("expect").or_insert_with(|| Value::Object(Map::new()));
                    expect.as_object_mut()?.insert("status".into(), Value::String(status.clone()));
                }
                None => {
                    let expect = step.get_mut("expect")?.as_object_mut()?;
                    expect.shift_remove("status");
                    if expect.is_empty() {
                        step.shift_remove("expect");
                    }
                }
            }
        }
        DocEdit::SetField { target, section, field, value } => {
            let holder = match target {
                Target::Document => {
                    doc.as_object_mut()?.entry(section.name()).or_insert_with(|| Value::Object(Map::new()))
                }
                Target::Step(step) => {
                    let (name, action) = action_mut(steps_mut(doc)?.get_mut(*step)?)?;
                    (name == section.name()).then_some(action)?
                }
            };
            let holder = holder.as_object_mut()?;
            match value {
                Some(value) => {
                    holder.insert(field.clone(), value.clone());
                }
                None => {
                    holder.shift_remove(field);
                }
            }
        }
        DocEdit::SetBiometry { step, event } => {
            let (name, action) = action_mut(steps_mut(doc)?.get_mut(*step)?)?;
            (name == "biometry").then(|| *action = Value::String(event.clone()))?;
        }
    }
    Some(())
}

/// The step a new card starts with: a lookup of a generic password.
fn new_step() -> Value {
    serde_json::json!({
        "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS",
                                 "kSecReturnData": true }
    })
}

fn set_call(step: &mut Value, call: &str) -> Option<()> {
    let map = step.as_object_mut()?;
    let (old, value) = match action_of(&Value::Object(map.clone())) {
        Some((name, value)) => (name.to_owned(), value.clone()),
        None => (String::new(), Value::Null),
    };
    if old == call {
        return None;
    }
    let dict = match (old.as_str(), value) {
        ("SecItemUpdate", Value::Object(mut update)) => update.remove("query").unwrap_or(Value::Object(Map::new())),
        ("SecItemAdd" | "SecItemCopyMatching" | "SecItemDelete", dict @ Value::Object(_)) => dict,
        _ => serde_json::json!({ "kSecClass": "kSecClassGenericPassword" }),
    };
    let dict = match call {
        "SecItemAdd" | "SecItemCopyMatching" | "SecItemDelete" => dict,
        "SecItemUpdate" => serde_json::json!({ "query": dict, "attributes": {} }),
        "device" => serde_json::json!({ "locked": true }),
        "app" => serde_json::json!({ "keychain-access-groups": [] }),
        "reboot" => serde_json::json!({}),
        "biometry" => Value::String("changed".into()),
        _ => return None,
    };
    let rest: Vec<(String, Value)> =
        map.iter().filter(|(k, _)| *k == "expect" || *k == "note").map(|(k, v)| (k.clone(), v.clone())).collect();
    map.clear();
    map.insert(call.to_owned(), dict);
    map.extend(rest);
    Some(())
}

/// The value kind of a key (`None` for an unknown key).
pub fn kind_of(key: &str) -> Option<ValueKind> {
    constants::key_by_name(key).map(|k| k.value)
}

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

fn edited(value: &Value, edit: &ValueEdit) -> Option<Value> {
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

/// The item class a dictionary names, if any.
pub fn class_of(dict: &Value) -> Option<Class> {
    let name = dict.get("kSecClass")?.as_str()?;
    Class::ALL.into_iter().find(|c| c.name() == name)
}

/// The keys worth offering for a dictionary of `call` (`part` for an update) and `class`:
/// the class's attributes, plus the return, match and use keys that fit the call.
pub fn key_choices(call: &str, part: Part, class: Option<Class>) -> Vec<&'static KeyDef> {
    let attribute = |k: &KeyDef| match class {
        Some(class) => k.name == "kSecClass" || class.all_columns().any(|c| c.name == k.name) || class_column(class, k),
        None => !is_special(k.name),
    };
    let fits = |k: &KeyDef| -> bool {
        let name = k.name;
        if name.starts_with("kSecReturn") {
            return matches!((call, part), ("SecItemCopyMatching", _) | ("SecItemAdd", _));
        }
        if name.starts_with("kSecMatch") {
            return matches!(
                (call, part),
                ("SecItemCopyMatching", _) | ("SecItemDelete", _) | ("SecItemUpdate", Part::Query)
            );
        }
        if name.starts_with("kSecValue") {
            return !matches!(call, "SecItemDelete") || name != "kSecValueData";
        }
        if name.starts_with("kSecUse") {
            return true;
        }
        attribute(k)
    };
    KEYS.iter().filter(|k| fits(k)).collect()
}

/// Keys an identity's certificate or key has, or that share a raw name with a column.
fn class_column(class: Class, key: &KeyDef) -> bool {
    class.column(key.raw).is_some_and(|c| c.name == key.name) || (class == Class::Key && key.raw == "crtr")
}

fn is_special(name: &str) -> bool {
    ["kSecReturn", "kSecMatch", "kSecValue", "kSecUse"].iter().any(|p| name.starts_with(p))
}

/// The document cut after step `n`: its steps `0..=n`, everything else as it is.
pub fn truncated(doc: &Value, n: usize) -> Value {
    let mut doc = doc.clone();
    if let Some(steps) = doc.get_mut("steps").and_then(Value::as_array_mut) {
        steps.truncate(n.saturating_add(1));
    }
    doc
}

/// The keychain as step `n` left it (the report's `keychain` of the cut document), or the
/// document's error message.
pub fn keychain_at(text: &str, n: usize, now: Instant) -> Result<Vec<Map<String, Value>>, String> {
    let doc = parse(text)?;
    let cut = serde_json::to_string(&truncated(&doc, n)).map_err(|e| e.to_string())?;
    let report = run_text(&cut, now).report;
    if let Some(error) = report.get("error") {
        return Err(error.get("message").and_then(Value::as_str).unwrap_or("not understood").to_owned());
    }
    Ok(report
        .get("keychain")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(|i| i.as_object().cloned()).collect())
        .unwrap_or_default())
}

/// One gallery entry: its index in [`crate::gallery::EXAMPLES`], title and expected pitfalls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GalleryEntry {
    pub index: usize,
    pub title: String,
    pub pitfalls: Vec<String>,
}

/// The keychain examples grouped by `x-gallery` (ungrouped ones last, as `other`), in the
/// order the groups first appear.
pub fn gallery_groups() -> Vec<(String, Vec<GalleryEntry>)> {
    let mut groups: Vec<(String, Vec<GalleryEntry>)> = Vec::new();
    for (index, (path, text)) in crate::gallery::EXAMPLES.iter().enumerate() {
        if !path.starts_with("keychain/") {
            continue;
        }
        let Ok(doc) = serde_json::from_str::<Value>(text) else { continue };
        let group = doc.get("x-gallery").and_then(Value::as_str).unwrap_or("other").to_owned();
        let title = doc.get("title").and_then(Value::as_str).unwrap_or(path).to_owned();
        let mut pitfalls: Vec<String> = doc
            .get("steps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.pointer("/expect/pitfalls").and_then(Value::as_array))
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_owned))
            .collect();
        pitfalls.sort();
        pitfalls.dedup();
        let entry = GalleryEntry { index, title, pitfalls };
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, entries)) => entries.push(entry),
            None => groups.push((group, vec![entry])),
        }
    }
    if let Some(at) = groups.iter().position(|(g, _)| g == "other") {
        let other = groups.remove(at);
        groups.push(other);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DOC: &str = r#"{"keyplay": 1, "kind": "keychain", "now": "2026-01-01T00:00:00Z", "steps": [
        {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a",
                        "kSecValueData": {"utf8": "x"}}},
        {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "T", "kSecAttrAccount": "a"}},
        {"SecItemDelete": {"kSecClass": "kSecClassGenericPassword"}}]}"#;

    fn doc_of(text: &str) -> Value {
        parse(text).unwrap_or(Value::Null)
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_keychain_at_each_step() {
        let now = Instant(1_764_400_000);
        assert_eq!(keychain_at(DOC, 0, now).map(|k| k.len()), Ok(1));
        assert_eq!(keychain_at(DOC, 1, now).map(|k| k.len()), Ok(2));
        assert_eq!(keychain_at(DOC, 2, now).map(|k| k.len()), Ok(0));
        assert_eq!(keychain_at(DOC, 99, now).map(|k| k.len()), Ok(0));
        assert!(keychain_at("{", 0, now).is_err());
        let cut = truncated(&doc_of(DOC), 0);
        assert_eq!(cut["steps"].as_array().map(Vec::len), Some(1));
        assert_eq!(cut["now"], "2026-01-01T00:00:00Z");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn edits_change_the_text() {
        let text = apply(DOC, &DocEdit::SetPlatform("macos-file".into())).unwrap_or_default();
        assert_eq!(doc_of(&text)["platform"], "macos-file");
        let text = apply(&text, &DocEdit::AddStep).unwrap_or_default();
        assert_eq!(doc_of(&text)["steps"].as_array().map(Vec::len), Some(4));
        let text = apply(&text, &DocEdit::MoveStep { step: 3, up: true }).unwrap_or_default();
        assert!(doc_of(&text)["steps"][2].get("SecItemCopyMatching").is_some());
        let text = apply(&text, &DocEdit::RemoveStep(2)).unwrap_or_default();
        assert!(doc_of(&text)["steps"][2].get("SecItemDelete").is_some());
        let edit = DocEdit::RenameKey {
            step: 0,
            part: Part::Main,
            from: "kSecAttrService".into(),
            to: "kSecAttrLabel".into(),
        };
        let text = apply(&text, &edit).unwrap_or_default();
        let keys: Vec<String> = doc_of(&text)["steps"][0]["SecItemAdd"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["kSecClass", "kSecAttrLabel", "kSecAttrAccount", "kSecValueData"]);
        let edit = DocEdit::SetValue {
            step: 0,
            part: Part::Main,
            key: "kSecValueData".into(),
            edit: ValueEdit::DataEncoding("hex".into()),
        };
        let text = apply(&text, &edit).unwrap_or_default();
        assert_eq!(doc_of(&text)["steps"][0]["SecItemAdd"]["kSecValueData"], json!({"hex": "x"}));
        let edit = DocEdit::AddRow { step: 0, part: Part::Main, key: "kSecAttrAccessControl".into() };
        let text = apply(&text, &edit).unwrap_or_default();
        let edit = DocEdit::SetValue {
            step: 0,
            part: Part::Main,
            key: "kSecAttrAccessControl".into(),
            edit: ValueEdit::Flag("kSecAccessControlBiometryAny".into(), true),
        };
        let text = apply(&text, &edit).unwrap_or_default();
        assert_eq!(
            doc_of(&text)["steps"][0]["SecItemAdd"]["kSecAttrAccessControl"]["accessControl"]["flags"],
            json!(["kSecAccessControlBiometryAny"])
        );
        let text = apply(&text, &DocEdit::SetCall { step: 1, call: "SecItemUpdate".into() }).unwrap_or_default();
        assert_eq!(doc_of(&text)["steps"][1]["SecItemUpdate"]["query"]["kSecAttrService"], "T");
        let text = apply(&text, &DocEdit::SetExpectStatus { step: 1, status: Some("errSecSuccess".into()) })
            .unwrap_or_default();
        assert_eq!(doc_of(&text)["steps"][1]["expect"]["status"], "errSecSuccess");
        let edit = DocEdit::SetField {
            target: Target::Document,
            section: Section::Device,
            field: "locked".into(),
            value: Some(json!(true)),
        };
        let text = apply(&text, &edit).unwrap_or_default();
        assert_eq!(doc_of(&text)["device"]["locked"], true);
        assert_eq!(apply("not json", &DocEdit::AddStep), None);
        assert_eq!(apply(DOC, &DocEdit::RemoveStep(9)), None);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn keys_fit_the_call_and_class() {
        let names = |call, part, class| key_choices(call, part, class).iter().map(|k| k.name).collect::<Vec<_>>();
        let copy = names("SecItemCopyMatching", Part::Main, Some(Class::GenericPassword));
        assert!(
            copy.contains(&"kSecAttrService") && copy.contains(&"kSecReturnData") && copy.contains(&"kSecMatchLimit")
        );
        assert!(!copy.contains(&"kSecAttrServer") && !copy.contains(&"kSecAttrApplicationTag"));
        let update = names("SecItemUpdate", Part::Query, Some(Class::InternetPassword));
        assert!(update.contains(&"kSecAttrServer") && !update.contains(&"kSecReturnData"));
        let delete = names("SecItemDelete", Part::Main, Some(Class::Key));
        assert!(delete.contains(&"kSecAttrApplicationTag") && !delete.contains(&"kSecReturnAttributes"));
        let groups = gallery_groups();
        assert!(groups.iter().any(|(g, e)| g == "lookups" && !e.is_empty()), "{groups:?}");
        assert!(groups.iter().flat_map(|(_, e)| e).any(|e| !e.pitfalls.is_empty()));
    }
}

//! The edit model of a keychain document: the structured edits the page's workspace makes
//! (platform, steps, dictionary rows, values, expectations, device and app fields), applied
//! to the document's JSON value. The document stays the single source of truth; the page
//! serialises the edited value back to its text.

mod value;

use serde_json::{Map, Value};

use value::edited;
pub use value::{access_control_parts, data_parts, default_value};

use super::catalog::kind_of;

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

/// Applies `edit` to a keychain document; `None` (and the document unchanged or partly
/// changed only where harmless) when the edit does not apply: a step or key that is not
/// there, a move past either end, a rename onto a key the dictionary already has.
pub fn apply(doc: &mut Value, edit: &DocEdit) -> Option<()> {
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

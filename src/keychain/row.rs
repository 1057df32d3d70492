//! One item of the keychain as a report shows it: `kSecClass` first, then its attributes,
//! data and persistent reference, as document values. With the accessors a table needs.

use serde::Serialize;
use serde_json::{Map, Value};

/// Attribute keys a table gives their own columns.
const CLASS: &str = "kSecClass";
const ACCESS_GROUP: &str = "kSecAttrAccessGroup";
const NAMES: [(&str, &str); 4] = [
    ("kSecAttrService", "service"),
    ("kSecAttrAccount", "account"),
    ("kSecAttrServer", "server"),
    ("kSecAttrLabel", "label"),
];

/// One keychain item in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Row(pub Map<String, Value>);

impl Row {
    /// A row from a JSON object (anything else gives an empty row).
    pub fn from_value(value: Value) -> Row {
        match value {
            Value::Object(map) => Row(map),
            _ => Row(Map::new()),
        }
    }

    /// `kSecClass`.
    pub fn class(&self) -> String {
        self.0.get(CLASS).map(shown).unwrap_or_default()
    }

    /// The class without its `kSecClass` prefix, e.g. `GenericPassword`.
    pub fn short_class(&self) -> String {
        let class = self.class();
        class.strip_prefix(CLASS).map(str::to_owned).unwrap_or(class)
    }

    /// `kSecAttrAccessGroup`.
    pub fn access_group(&self) -> String {
        self.0.get(ACCESS_GROUP).map(shown).unwrap_or_default()
    }

    /// What names the item: service, account, server and label, those it has.
    pub fn names(&self) -> Vec<(&'static str, String)> {
        NAMES.iter().filter_map(|(key, label)| self.0.get(*key).map(|v| (*label, shown(v)))).collect()
    }

    /// Every other attribute, in the report's order.
    pub fn others(&self) -> Vec<(&str, String)> {
        self.0
            .iter()
            .filter(|(key, _)| *key != CLASS && *key != ACCESS_GROUP && !NAMES.iter().any(|(k, _)| k == key))
            .map(|(key, value)| (key.as_str(), shown(value)))
            .collect()
    }
}

/// A value in one line: strings as they are, anything else as compact JSON.
pub fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_row_splits_into_class_group_names_and_the_rest() {
        let Value::Object(map) = json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S",
            "kSecAttrAccessGroup": "T.g", "kSecAttrSynchronizable": false, "kSecAttrAccount": "a"})
        else {
            panic!("an object")
        };
        let row = Row(map);
        assert_eq!(row.short_class(), "GenericPassword");
        assert_eq!(row.access_group(), "T.g");
        assert_eq!(row.names(), [("service", "S".to_string()), ("account", "a".to_string())]);
        assert_eq!(row.others(), [("kSecAttrSynchronizable", "false".to_string())]);
    }
}

//! The catalogue the workspace offers: the calls and platforms, and the keys that fit a
//! dictionary of a call and a class.

use serde_json::Value;

use super::constants::{self, KeyDef, ValueKind, KEYS};
use super::edit::Part;
use super::schema::Class;

/// The calls and events a step may make, in the order the picker offers them.
pub const CALLS: [&str; 8] =
    ["SecItemAdd", "SecItemCopyMatching", "SecItemUpdate", "SecItemDelete", "device", "app", "reboot", "biometry"];

/// The platforms a keychain document runs on.
pub const PLATFORMS: [&str; 3] = ["ios", "macos", "macos-file"];

/// The value kind of a key (`None` for an unknown key).
pub fn kind_of(key: &str) -> Option<ValueKind> {
    constants::key_by_name(key).map(|k| k.value)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(call: &str, part: Part, class: Option<Class>) -> Vec<&'static str> {
        key_choices(call, part, class).iter().map(|k| k.name).collect()
    }

    #[test]
    fn a_key_is_offered_the_creator_it_stores_as_its_key_creator() {
        let keys = offered("SecItemAdd", Part::Main, Some(Class::Key));
        assert!(keys.contains(&"kSecAttrCreator") && keys.contains(&"kSecClass"), "{keys:?}");
        assert!(keys.contains(&"kSecAttrApplicationTag") && !keys.contains(&"kSecAttrServer"), "{keys:?}");
    }

    #[test]
    fn return_and_match_keys_fit_only_the_calls_that_take_them() {
        let delete = offered("SecItemDelete", Part::Main, Some(Class::GenericPassword));
        assert!(
            !delete.iter().any(|k| k.starts_with("kSecReturn")) && delete.contains(&"kSecMatchLimit"),
            "{delete:?}"
        );
        let attributes = offered("SecItemUpdate", Part::Attributes, Some(Class::GenericPassword));
        assert!(!attributes.iter().any(|k| k.starts_with("kSecMatch")), "{attributes:?}");
    }
}

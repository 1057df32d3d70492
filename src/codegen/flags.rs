//! Pitfalls the imported code shows, flagged as it is imported (`docs/import.md`): a delete
//! then an add of the same item where an update belongs, a generic password without
//! `kSecAttrService`, and a lookup's dictionary reused for the add (with the match and return
//! keys an add does not take). Each flag names the step and the code of the call.

use super::statements::Meta;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

/// Every flag id [`detect`] gives.
pub const FLAG_IDS: [&str; 5] = [
    "delete-then-add",
    "missing-primary-key-attribute",
    "query-reused-for-add",
    "return-keys-in-add",
    "match-keys-in-add",
];

/// A flag id (an alias, so that serde's derive does not borrow it from the message: it reads
/// back only as one of [`FLAG_IDS`]).
pub type FlagId = &'static str;

fn known_flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<FlagId, D::Error> {
    crate::wire::one_of(deserializer, FLAG_IDS, "no flag has the id")
}

/// A pitfall shown by the code: `id` is the pitfall's id in Keyplay's catalog
/// (`delete-then-add`, `missing-primary-key-attribute`, `return-keys-in-add`,
/// `match-keys-in-add`) or `query-reused-for-add`; `step` indexes the imported steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    #[serde(deserialize_with = "known_flag")]
    pub id: FlagId,
    pub step: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Keys that do not identify an item (left out when comparing a delete with an add).
const NOT_IDENTITY: [&str; 4] =
    ["kSecMatchLimit", "kSecAttrSynchronizable", "kSecUseDataProtectionKeychain", "kSecUseAuthenticationContext"];

fn action(step: &Json) -> Option<(&str, &Map<String, Json>)> {
    let map = step.as_object()?;
    let (name, body) = map.iter().find(|(k, _)| k.starts_with("SecItem"))?;
    let dict = if name == "SecItemUpdate" { body.get("query")?.as_object()? } else { body.as_object()? };
    Some((name.as_str(), dict))
}

pub fn detect(steps: &[Json], metas: &[Meta]) -> Vec<Flag> {
    let mut flags = Vec::new();
    for (i, (step, meta)) in steps.iter().zip(metas).enumerate() {
        let Some((name, dict)) = action(step) else { continue };
        let mut flag = |id: &'static str, message: String| {
            flags.push(Flag { id, step: i, line: meta.line, column: meta.col, message });
        };
        let generic = dict.get("kSecClass").and_then(Json::as_str) == Some("kSecClassGenericPassword");
        let service = dict.get("kSecAttrService");
        let no_service = service.is_none() || service == Some(&Json::String(String::new()));
        if generic && no_service && !dict.contains_key("kSecValuePersistentRef") {
            let what = match name {
                "SecItemAdd" => "the item gets an empty service, and two such adds with one account collide (errSecDuplicateItem) whatever they mean",
                "SecItemDelete" => "it deletes the generic passwords of every service with these attributes, other code's included",
                _ => "it matches the generic passwords of every service, other code's included",
            };
            let without = if service.is_some() { "with an empty kSecAttrService" } else { "without kSecAttrService" };
            flag("missing-primary-key-attribute", format!("{name} of a generic password {without}: {what}"));
        }
        if name != "SecItemAdd" {
            continue;
        }
        let earlier = |j: usize| steps.get(j).and_then(action).map(|a| (a, metas.get(j)));
        let same_scope = |j: usize| metas.get(j).is_some_and(|m| m.scope == meta.scope);
        let deleted = (0..i).rev().filter(|&j| same_scope(j)).find_map(|j| match earlier(j) {
            Some((("SecItemDelete", q), Some(m))) if covers(q, dict) => Some(m.line),
            _ => None,
        });
        if let Some(line) = deleted {
            flag(
                "delete-then-add",
                format!("SecItemAdd after SecItemDelete of the same item (line {line}): SecItemUpdate keeps the item (its persistent reference, its creation date) and is not left with no item when the add fails"),
            );
        }
        let reused = meta.origin.as_ref().and_then(|o| {
            (0..i).filter(|&j| same_scope(j)).find_map(|j| match earlier(j) {
                // A lookup then an add of one dictionary (update-or-add branches are not this).
                Some(((other @ "SecItemCopyMatching", _), Some(m))) if m.origin.as_ref() == Some(o) => {
                    Some((other.to_string(), m.line, o.0.clone()))
                }
                _ => None,
            })
        });
        if let Some((other, line, var)) = reused {
            flag(
                "query-reused-for-add",
                format!("`{var}` was passed to {other} (line {line}) and is reused for SecItemAdd: build a new dictionary for each call, so that keys of one call do not leak into the next"),
            );
        }
        let returns: Vec<&str> = dict.keys().filter(|k| k.starts_with("kSecReturn")).map(String::as_str).collect();
        if !returns.is_empty() {
            flag("return-keys-in-add", format!("SecItemAdd with {}: an add returns them only through its result pointer; in a dictionary reused from a lookup they are left-overs", returns.join(", ")));
        }
        let matches: Vec<&str> = dict.keys().filter(|k| k.starts_with("kSecMatch")).map(String::as_str).collect();
        if !matches.is_empty() {
            flag("match-keys-in-add", format!("SecItemAdd with {}: match keys belong in lookups", matches.join(", ")));
        }
    }
    flags
}

/// Every identifying entry of the delete's query is in the add with the same value.
fn covers(query: &Map<String, Json>, add: &Map<String, Json>) -> bool {
    query.get("kSecClass").is_some()
        && query.iter().filter(|(k, _)| !NOT_IDENTITY.contains(&k.as_str())).all(|(k, v)| add.get(k) == Some(v))
}

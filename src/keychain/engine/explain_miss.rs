//! For a query that finds nothing: item by item, which attribute did not match. Uses the
//! same comparison as [`Keychain::item_matches`] (`cmp_key`), so the reasons it gives are the
//! reasons the search failed.

use super::query::{self, SyncFilter};
use super::Keychain;
use crate::keychain::document::Dict;
use crate::keychain::store::{cmp_key, Backend, Item};
use crate::keychain::value::Value;
use serde::Serialize;

/// Why one stored item is not in a query's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemMiss {
    /// The item's persistent reference (`genp:3`).
    pub item: String,
    /// Each attribute that did not match, in a sentence; empty when the item matches.
    pub mismatches: Vec<String>,
}

/// A short rendering of a value for messages.
fn show(value: &Value) -> String {
    match value {
        Value::Str(s) => format!("the CFString \"{s}\""),
        Value::Data(d) => match std::str::from_utf8(d) {
            Ok(s) if !s.chars().any(char::is_control) => format!("CFData \"{s}\""),
            _ => format!("CFData {}", hex::encode(d)),
        },
        Value::Int(i) => format!("the CFNumber {i}"),
        Value::Float(f) => format!("the CFNumber {f}"),
        Value::Bool(b) => format!("the CFBoolean {b}"),
        Value::Date(t) => format!("the CFDate {}", t.to_rfc3339()),
        other => format!("a {}", other.type_name()),
    }
}

impl Keychain {
    /// For every stored item, why `dict` (a SecItemCopyMatching-style query) does not select
    /// it. An error is the status the query itself fails with before any item is looked at.
    pub fn explain_miss(&self, dict: &Dict) -> Result<Vec<ItemMiss>, query::Fail> {
        let q = query::parse(dict, Backend::DataProtection, None)?;
        let backends = self.route(dict, false);
        let groups = self.access_groups();
        let mut out = Vec::new();
        for item in self.store.iter() {
            out.push(ItemMiss {
                item: item.persistent_ref(),
                mismatches: self.mismatches(item, &q, &backends, &groups),
            });
        }
        Ok(out)
    }

    fn mismatches(&self, item: &Item, q: &query::Query, backends: &[Backend], groups: &[String]) -> Vec<String> {
        let mut why = Vec::new();
        if let Some(p) = q.persistent_ref.as_deref() {
            if item.persistent_ref() != p {
                why.push(format!("kSecValuePersistentRef: the query names {p}, this is {}", item.persistent_ref()));
            }
        }
        match q.class {
            Some(c) if c != item.class && !(c == crate::keychain::schema::Class::Identity) => {
                why.push(format!("kSecClass: the query asks for {}, the item is a {}", c.name(), item.class.name()))
            }
            None if q.persistent_ref.is_none() => {
                why.push("kSecClass: the query has none, so it matches nothing".into())
            }
            _ => {}
        }
        if !backends.contains(&item.backend) {
            why.push(format!(
                "keychain: the item is in the {}, the query goes to the {}",
                item.backend.name(),
                backends.iter().map(|b| b.name()).collect::<Vec<_>>().join(" and ")
            ));
        }
        if item.backend == Backend::DataProtection {
            let group = item.access_group();
            if !groups.iter().any(|g| g == group) {
                why.push(format!(
                    "access group: the item is in {group}, which is not one of the app's access groups ({}): an entitlement change or an App ID prefix change hides it",
                    if groups.is_empty() { "none".to_string() } else { groups.join(", ") }
                ));
            }
            if let Some(wanted) = &q.access_group {
                if wanted != group {
                    why.push(format!("kSecAttrAccessGroup: the query asks for {wanted}, the item is in {group}"));
                }
            }
            let sync = if q.persistent_ref.is_some() { Some(SyncFilter::Any) } else { q.sync };
            match (sync.unwrap_or(SyncFilter::Local), item.synchronizable()) {
                (SyncFilter::Local, true) => why.push(if q.sync.is_none() {
                    "kSecAttrSynchronizable: the item syncs through iCloud Keychain, and a query without kSecAttrSynchronizable sees only items that do not (use kSecAttrSynchronizableAny)".to_string()
                } else {
                    "kSecAttrSynchronizable: the query asks for items that do not sync; this one does".to_string()
                }),
                (SyncFilter::Synchronized, false) => {
                    why.push("kSecAttrSynchronizable: the query asks for synced items; this one does not sync".into())
                }
                _ => {}
            }
            if let Some(pdmn) = &q.accessible {
                if *pdmn != item.protection() {
                    why.push(format!(
                        "kSecAttrAccessible: the query asks for {pdmn}, the item has {}",
                        item.protection()
                    ));
                }
            }
        }
        for a in &q.attrs {
            match item.attrs.get(a.column.raw) {
                None => {
                    why.push(format!("{}: the item has none, the query asks for {}", a.column.name, show(&a.written)))
                }
                Some(stored) if cmp_key(a.column.stored, stored) != cmp_key(a.column.stored, &a.value) => {
                    let other_type = std::mem::discriminant(stored) != std::mem::discriminant(&a.written);
                    why.push(format!(
                        "{}: the query gives {}, the item holds {}{}",
                        a.column.name,
                        show(&a.written),
                        show(stored),
                        if other_type { " (a value of another type never matches)" } else { "" }
                    ));
                }
                Some(_) => {}
            }
        }
        why
    }
}

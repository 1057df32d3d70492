//! Shaping results the way the real calls do: one value, a dictionary, or an array,
//! decided by the return keys and the match limit (§4 of the research notes).

use super::matching::Row;
use super::query::{Limit, Returns};
use super::Keychain;
use crate::keychain::document::Platform;
use crate::keychain::pref::PersistentRef;
use crate::keychain::schema::Class;
use crate::keychain::store::{Item, ItemObject};
use crate::keychain::value::Value;
use serde_json::{Map, Value as Json};

/// The attribute dictionary of one item, as a report object with constant names.
pub fn attributes(item: &Item) -> Map<String, Json> {
    // Sized once: growing the map a column at a time rehashed it several times per item.
    let mut map = Map::with_capacity(item.attrs.len() + 1);
    for column in item.class.all_columns() {
        if let Some(value) = item.attrs.get(column.raw) {
            map.insert(column.name.to_string(), value.to_json(column.family));
        }
    }
    if let Some(ac) = &item.access_control {
        map.insert("kSecAttrAccessControl".into(), Value::AccessControl(ac.clone()).to_json(None));
    }
    map
}

impl Keychain {
    /// The attributes of a row (identity: key attributes overlaid with the certificate's).
    fn row_attributes(&self, row: Row) -> Map<String, Json> {
        match row {
            Row::Item(r) => self.store.get(r).map(attributes).unwrap_or_default(),
            Row::Identity { cert, key } => {
                let mut map = self.store.get(key).map(attributes).unwrap_or_default();
                if let Some(c) = self.store.get(cert) {
                    map.extend(attributes(c));
                }
                map
            }
        }
    }

    fn row_data(&self, row: Row) -> Option<Vec<u8>> {
        let rowid = match row {
            Row::Item(r) => r,
            // An identity's data is its private key's data.
            Row::Identity { key, .. } => key,
        };
        self.store.get(rowid).and_then(|i| i.data.clone())
    }

    /// The persistent reference of a row.
    pub fn row_persistent_ref(&self, row: Row) -> String {
        match row {
            Row::Item(r) => self.store.get(r).map(Item::persistent_ref).unwrap_or_default(),
            Row::Identity { cert, .. } => PersistentRef::Identity { cert }.to_string(),
        }
    }

    /// The object kSecReturnRef gives, or None where no object can be made.
    fn row_ref(&self, row: Row) -> Option<Value> {
        match row {
            Row::Identity { cert, key } => {
                let c = self.store.get(cert)?;
                let k = self.store.get(key)?;
                match (&c.object, &k.object) {
                    (Some(ItemObject::Certificate(co)), Some(ItemObject::Key(ko))) => {
                        Some(Value::Identity(co.clone(), ko.clone()))
                    }
                    _ => None,
                }
            }
            Row::Item(r) => {
                let item = self.store.get(r)?;
                match &item.object {
                    Some(ItemObject::Certificate(c)) => Some(Value::Certificate(c.clone())),
                    Some(ItemObject::Key(k)) => Some(Value::Key(k.clone())),
                    None if item.class.is_password() => {
                        // iOS makes no object for passwords; macOS hands out a SecKeychainItemRef.
                        (self.platform != Platform::Ios).then(|| Value::ItemRef(item.persistent_ref()))
                    }
                    None => Some(Value::ItemRef(item.persistent_ref())),
                }
            }
        }
    }

    fn row_class(&self, row: Row) -> Class {
        match row {
            Row::Item(r) => self.store.get(r).map_or(Class::GenericPassword, |i| i.class),
            Row::Identity { .. } => Class::Identity,
        }
    }

    /// Whether [`Keychain::item_value`] has something to hand back for the row.
    fn has_value(&self, row: Row, returns: Returns) -> bool {
        match returns.count() {
            0 => false,
            1 if returns.reference => self.row_ref(row).is_some(),
            _ => true,
        }
    }

    /// The per-item value for the requested return keys (None: nothing to hand back).
    pub fn item_value(&self, row: Row, returns: Returns) -> Option<Json> {
        if returns.count() == 1 {
            if returns.data {
                let data = self.row_data(row).unwrap_or_default();
                return Some(Value::Data(data).to_json(None));
            }
            if returns.persistent_ref {
                return Some(Value::PersistentRef(self.row_persistent_ref(row)).to_json(None));
            }
            if returns.reference {
                return self.row_ref(row).map(|v| v.to_json(None));
            }
            return Some(Json::Object(self.row_attributes(row)));
        }
        if !returns.any() {
            return None;
        }
        let mut map = if returns.attributes { self.row_attributes(row) } else { Map::new() };
        if returns.reference {
            map.insert("kSecClass".into(), Json::String(self.row_class(row).name().into()));
            if let Some(r) = self.row_ref(row) {
                map.insert("kSecValueRef".into(), r.to_json(None));
            }
        }
        if returns.data {
            if let Some(data) = self.row_data(row) {
                map.insert("kSecValueData".into(), Value::Data(data).to_json(None));
            }
        }
        if returns.persistent_ref {
            map.insert(
                "kSecValuePersistentRef".into(),
                Value::PersistentRef(self.row_persistent_ref(row)).to_json(None),
            );
        }
        Some(Json::Object(map))
    }

    /// The whole result: a single value for limit one, else an array.
    /// With `counting`, only the count is real and the result is a stand-in (see
    /// [`Keychain::count_matching`]).
    pub fn shape(&self, rows: &[Row], returns: Returns, limit: Limit, counting: bool) -> (Json, usize) {
        if counting {
            let n = if limit.single() {
                usize::from(rows.first().is_some_and(|r| self.has_value(*r, returns)))
            } else {
                rows.iter().filter(|r| self.has_value(**r, returns)).count()
            };
            let stand_in = match (limit.single(), n) {
                (false, _) => Json::Array(Vec::new()),
                (true, 0) => Json::Null,
                (true, _) => Json::Bool(true),
            };
            return (stand_in, n);
        }
        if limit.single() {
            match rows.first().and_then(|r| self.item_value(*r, returns)) {
                Some(v) => (v, 1),
                None => (Json::Null, 0),
            }
        } else {
            let values: Vec<Json> = rows.iter().filter_map(|r| self.item_value(*r, returns)).collect();
            let n = values.len();
            (Json::Array(values), n)
        }
    }
}

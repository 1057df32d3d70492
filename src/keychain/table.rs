//! The keychain a run left, as its report holds it: the items themselves, shared with the
//! keychain they came from (and with the copies an incremental run keeps), each shown as a
//! [`Row`] only when it is asked for. A report of 1 000 items holds 1 000 pointers, not 1 000
//! JSON dictionaries; the command line's JSON and the page's visible rows build them one at
//! a time.

use super::engine::attributes;
use super::row::Row;
use super::schema::Class;
use super::store::{Backend, Item, Store};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value as Json};
use std::rc::Rc;

/// The items of a keychain, in the order of their rowids.
#[derive(Clone, Default)]
pub struct Table {
    items: Vec<Rc<Item>>,
}

impl Table {
    /// The items `store` holds now.
    pub fn of(store: &Store) -> Table {
        Table { items: store.shared().cloned().collect() }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every item as a row, built as it is reached.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row> + '_ {
        self.items.iter().map(|item| row_of(item))
    }

    /// The rows of the items of these classes, each with its index in the table.
    pub fn rows_of(&self, classes: &[Class]) -> Vec<(usize, Row)> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, item)| classes.contains(&item.class))
            .map(|(index, item)| (index, row_of(item)))
            .collect()
    }

    /// Every row at once (tests and small keychains).
    pub fn to_rows(&self) -> Vec<Row> {
        self.rows().collect()
    }
}

/// One item as a report shows it: `kSecClass`, its attributes, data, persistent reference,
/// and the extension marks (`x-keychain`, `x-invalidated`).
fn row_of(item: &Item) -> Row {
    let mut map = Map::with_capacity(item.attrs.len() + 5);
    map.insert("kSecClass".into(), Json::String(item.class.name().into()));
    map.extend(attributes(item));
    if let Some(d) = &item.data {
        map.insert("kSecValueData".into(), crate::data::Bytes(d.clone()).to_json());
    }
    map.insert("kSecValuePersistentRef".into(), serde_json::json!({ "persistentRef": item.persistent_ref() }));
    if item.backend == Backend::File {
        map.insert("x-keychain".into(), Json::String("file-based".into()));
    }
    if item.invalidated {
        map.insert("x-invalidated".into(), Json::Bool(true));
    }
    Row(map)
}

/// As the list of its rows.
impl Serialize for Table {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.rows())
    }
}

/// Two tables are equal when they show the same rows.
impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.rows().eq(other.rows())
    }
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.rows()).finish()
    }
}

//! The keychain's rows: items, how attribute values are stored and compared, and the
//! indexes that keep primary-key lookups from scanning the whole keychain.

use super::objects::{CertificateObject, KeyObject};
use super::pref::PersistentRef;
use super::protection::Protection;
use super::schema::{Class, Column, Stored};
use super::value::{AccessControl, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// Which keychain implementation holds an item (macOS has both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Backend {
    /// The data protection keychain (iOS, and macOS with kSecUseDataProtectionKeychain).
    DataProtection,
    /// The macOS file-based keychain.
    File,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::DataProtection => "data protection keychain",
            Backend::File => "file-based keychain",
        }
    }
}

/// The object an item was added from, kept so refs can be returned.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemObject {
    Certificate(Box<CertificateObject>),
    Key(Box<KeyObject>),
}

/// One stored item (a row).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub rowid: u64,
    pub class: Class,
    pub backend: Backend,
    /// Attribute values by raw column name, as stored (after coercion).
    pub attrs: BTreeMap<&'static str, Value>,
    pub data: Option<Vec<u8>>,
    pub access_control: Option<AccessControl>,
    /// The biometric set this item was bound to has changed: its data is gone for good.
    pub invalidated: bool,
    pub object: Option<ItemObject>,
}

impl Item {
    /// The item's data protection class (file-based items have none: WhenUnlocked stands in).
    pub fn protection(&self) -> Protection {
        self.attrs
            .get("pdmn")
            .and_then(Value::as_str)
            .and_then(Protection::from_raw)
            .unwrap_or(Protection::WhenUnlocked)
    }

    pub fn access_group(&self) -> &str {
        self.attrs.get("agrp").and_then(Value::as_str).unwrap_or("")
    }

    pub fn synchronizable(&self) -> bool {
        matches!(self.attrs.get("sync"), Some(Value::Int(1)))
    }

    /// The persistent reference: class and row, stable across updates.
    pub fn persistent_ref(&self) -> String {
        PersistentRef::Item { class: self.class, row: self.rowid }.to_string()
    }

    /// About how many bytes the item holds (its attributes, data and object), for budgets:
    /// an estimate, not an allocator's count.
    pub fn approx_bytes(&self) -> usize {
        // A certificate keeps its DER and about as much again in names and fields read from it.
        fn certificate(c: &CertificateObject) -> usize {
            c.der.len() * 2
        }
        fn key(k: &KeyObject) -> usize {
            k.data.len() + k.public_bytes.len()
        }
        fn value(v: &Value) -> usize {
            std::mem::size_of::<Value>()
                + match v {
                    Value::Str(s) | Value::PersistentRef(s) | Value::ItemRef(s) | Value::Opaque(s) => s.len(),
                    Value::Data(d) => d.len(),
                    Value::Array(a) => a.iter().map(value).sum(),
                    Value::Certificate(c) | Value::Identity(c, _) => certificate(c),
                    Value::Key(k) => key(k),
                    _ => 0,
                }
        }
        let object = match &self.object {
            Some(ItemObject::Certificate(c)) => certificate(c),
            Some(ItemObject::Key(k)) => key(k),
            None => 0,
        };
        std::mem::size_of::<Item>()
            + self.attrs.values().map(|v| value(v) + 2 * std::mem::size_of::<usize>()).sum::<usize>()
            + self.data.as_ref().map_or(0, Vec::len)
            + object
    }
}

/// Whether two items have the same primary key: the class's whole uniqueness constraint
/// (on the data protection keychain access group, synchronizable and token included; on
/// the file-based keychain neither), compared as the database compares values.
pub fn same_primary_key(a: &Item, b: &Item) -> bool {
    if a.class != b.class || a.backend != b.backend {
        return false;
    }
    let columns = match a.backend {
        Backend::DataProtection => a.class.primary_key(),
        Backend::File => a.class.file_primary_key(),
    };
    columns.iter().all(|c| {
        fn stored<'i>(c: &Column, i: &'i Item) -> Option<Cmp<'i>> {
            match (c.raw, i.attrs.get(c.raw)) {
                // A missing synchronizable column is the local default, 0.
                ("sync", None) => Some(Cmp::Int(0)),
                (_, v) => v.map(|v| cmp_key(c.stored, v)),
            }
        }
        stored(c, a) == stored(c, b)
    })
}

/// A value reduced to what SQL equality compares, borrowing the value's bytes where it can
/// (a scan compares every row without copying them); [`Cmp::into_owned`] keeps one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cmp<'a> {
    Bytes(Cow<'a, [u8]>),
    Int(i64),
    Float(u64),
    Text(Cow<'a, str>),
}

impl Cmp<'_> {
    /// Equality as the file-based keychain compares string attributes under
    /// `kSecMatchCaseInsensitive`: text (and bytes that are UTF-8 text) without regard to case;
    /// anything else exactly.
    pub fn eq_ignoring_case(&self, other: &Cmp<'_>) -> bool {
        let text = |c: &Cmp<'_>| -> Option<String> {
            match c {
                Cmp::Text(s) => Some(s.to_lowercase()),
                Cmp::Bytes(b) => std::str::from_utf8(b).ok().map(str::to_lowercase),
                Cmp::Int(_) | Cmp::Float(_) => None,
            }
        };
        match (text(self), text(other)) {
            (Some(a), Some(b)) => a == b,
            _ => self == other,
        }
    }

    /// The same comparison form, owning its bytes (for index keys).
    pub fn into_owned(self) -> Cmp<'static> {
        match self {
            Cmp::Bytes(b) => Cmp::Bytes(Cow::Owned(b.into_owned())),
            Cmp::Int(i) => Cmp::Int(i),
            Cmp::Float(f) => Cmp::Float(f),
            Cmp::Text(t) => Cmp::Text(Cow::Owned(t.into_owned())),
        }
    }
}

/// Stores `value` in `column` the way the daemon coerces it, or says why it cannot.
pub fn coerce(column: &Column, value: &Value) -> Result<Value, String> {
    let wrong = || format!("{} takes {}, not {}", column.name, expected_type(column.stored), value.type_name());
    match (column.stored, value) {
        (Stored::Blob, Value::Str(_) | Value::Data(_) | Value::Int(_) | Value::Float(_)) => Ok(value.clone()),
        (Stored::Blob, Value::Bool(b)) => Ok(Value::Int(i64::from(*b))),
        (Stored::Data, Value::Data(_)) => Ok(value.clone()),
        (Stored::Data, Value::Str(s)) => Ok(Value::Data(s.as_bytes().to_vec())),
        (Stored::Text, Value::Str(_)) => Ok(value.clone()),
        (Stored::Text, Value::Data(d)) => String::from_utf8(d.clone()).map(Value::Str).map_err(|_| wrong()),
        (Stored::Number, Value::Int(_) | Value::Float(_)) => Ok(value.clone()),
        (Stored::Number, Value::Bool(b)) => Ok(Value::Int(i64::from(*b))),
        (Stored::Number, Value::Str(s)) => {
            Ok(s.parse::<i64>().ok().filter(|n| n.to_string() == *s).map_or_else(|| value.clone(), Value::Int))
        }
        (Stored::Date, Value::Date(_)) => Ok(value.clone()),
        _ => Err(wrong()),
    }
}

/// Stores `value` in `column` the way the shim converts it for the macOS file-based keychain.
/// A numeric attribute (port, creator, type, sizes) goes through the shim's `copyNumber`
/// (Apple's `OSX/libsecurity_keychain/lib/SecItem.cpp`): a CFNumber or CFBoolean, or a
/// CFString only when it reads back as the same 32-bit integer; anything else is errSecParam
/// (SecItemTests.m `testBadPort`). Constant-valued columns (the protocol) and every other
/// column follow [`coerce`].
pub fn coerce_file(column: &Column, value: &Value) -> Result<Value, String> {
    match (column.stored, column.family, value) {
        (Stored::Number, None, Value::Str(s)) => {
            s.parse::<i32>().ok().filter(|n| n.to_string() == *s).map(|n| Value::Int(i64::from(n))).ok_or_else(|| {
                format!(
                    "{} takes a CFNumber, and the file-based keychain cannot read the CFString {s:?} as one",
                    column.name
                )
            })
        }
        _ => coerce(column, value),
    }
}

fn expected_type(stored: Stored) -> &'static str {
    match stored {
        Stored::Blob => "a CFString or CFData",
        Stored::Data => "CFData",
        Stored::Text => "a CFString",
        Stored::Number => "a CFNumber or CFBoolean",
        Stored::Date => "a CFDate",
    }
}

/// The comparison form of a stored value.
pub fn cmp_key(stored: Stored, value: &Value) -> Cmp<'_> {
    match (stored, value) {
        (_, Value::Str(s)) if stored != Stored::Number => Cmp::Bytes(Cow::Borrowed(s.as_bytes())),
        (Stored::Number, Value::Str(s)) => Cmp::Text(Cow::Borrowed(s)),
        (_, Value::Data(d)) => Cmp::Bytes(Cow::Borrowed(d)),
        // Blob columns hash a CFNumber as its 4-byte native SInt32.
        (Stored::Blob, Value::Int(i)) => Cmp::Bytes(Cow::Owned((*i as i32).to_le_bytes().to_vec())),
        (_, Value::Int(i)) => Cmp::Int(*i),
        (_, Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Cmp::Int(*f as i64),
        (_, Value::Float(f)) => Cmp::Float(f.to_bits()),
        (_, Value::Bool(b)) => Cmp::Int(i64::from(*b)),
        (_, Value::Date(t)) => Cmp::Int(t.unix()),
        (_, other) => Cmp::Text(Cow::Owned(format!("{other:?}"))),
    }
}

/// The value a missing primary-key column takes on add.
pub fn default_value(column: &Column) -> Value {
    match column.stored {
        Stored::Number | Stored::Date => Value::Int(0),
        Stored::Data => Value::Data(Vec::new()),
        Stored::Blob | Stored::Text => Value::Str(String::new()),
    }
}

/// The key of the by-primary-key index: backend, class and the user-visible PK values.
type PkKey = (Backend, Class, Vec<Cmp<'static>>);

/// The columns with an index of their own, besides the primary key: the attributes queries
/// find items by when they do not name the whole primary key (a service's accounts, a
/// label, a server, a key's tag or application label, a certificate's public key hash).
pub const INDEXED: [&str; 7] = ["acct", "svce", "labl", "srvr", "atag", "klbl", "pkhh"];

/// The bucket of an attribute index: backend, class, column and a hash of the stored value's
/// comparison form ([`value_hash`]).
type AttrKey = (Backend, Class, &'static str, u64);

/// An attribute index entry: its bucket and the row. All entries live in one ordered set, so
/// that the keychain copies a run keeps are cheap to make (no allocation per value).
type AttrEntry = (Backend, Class, &'static str, u64, u64);

/// A value's comparison form, hashed (a fixed hasher: the same on every run).
fn value_hash(cmp: &Cmp<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    cmp.hash(&mut hasher);
    hasher.finish()
}

/// About how many bytes the indexes and the item map take per item, in a copy of a store:
/// a map entry and a class entry, a primary-key key (a few owned strings) and an entry per
/// indexed attribute, with the trees' overhead. An estimate for budgets (`unshared_bytes`).
const INDEX_BYTES_PER_ITEM: usize = 512;

/// All items, in insertion (rowid) order, with indexes.
///
/// Items are shared (`Rc`): a copy of the store (the incremental run keeps one every few
/// steps) copies pointers and indexes, not every item's attributes and data; an item is
/// copied only when it is changed in a store that shares it.
#[derive(Debug, Clone, Default)]
pub struct Store {
    items: BTreeMap<u64, Rc<Item>>,
    next_rowid: u64,
    by_class: HashMap<(Backend, Class), BTreeSet<u64>>,
    by_pk: HashMap<PkKey, BTreeSet<u64>>,
    by_attr: BTreeSet<AttrEntry>,
}

impl Store {
    /// The index key for an item, or for a query whose attributes cover the user PK.
    pub fn pk_key<'v>(
        backend: Backend,
        class: Class,
        lookup: impl Fn(&'static str) -> Option<Cmp<'v>>,
    ) -> Option<PkKey> {
        let values =
            class.user_primary_key().iter().map(|c| lookup(c.raw).map(Cmp::into_owned)).collect::<Option<Vec<_>>>()?;
        Some((backend, class, values))
    }

    fn item_pk_key(item: &Item) -> Option<PkKey> {
        Store::pk_key(item.backend, item.class, |raw| {
            let column = item.class.column(raw)?;
            item.attrs.get(raw).map(|v| cmp_key(column.stored, v))
        })
    }

    /// The attribute-index entries of an item: one per indexed column it has a value in.
    fn item_attr_entries(item: &Item) -> impl Iterator<Item = AttrEntry> + '_ {
        INDEXED.into_iter().filter_map(|raw| {
            let column = item.class.column(raw)?;
            let value = item.attrs.get(raw)?;
            Some((item.backend, item.class, column.raw, value_hash(&cmp_key(column.stored, value)), item.rowid))
        })
    }

    /// Adds an item's rowid to the primary-key and attribute indexes.
    fn index(&mut self, item: &Item) {
        if let Some(key) = Store::item_pk_key(item) {
            self.by_pk.entry(key).or_default().insert(item.rowid);
        }
        self.by_attr.extend(Store::item_attr_entries(item));
    }

    /// Takes an item's rowid out of the primary-key and attribute indexes (an emptied
    /// primary-key bucket goes too, so that a keychain that churns does not grow).
    fn unindex(&mut self, item: &Item) {
        if let Some(key) = Store::item_pk_key(item) {
            if let std::collections::hash_map::Entry::Occupied(mut set) = self.by_pk.entry(key) {
                set.get_mut().remove(&item.rowid);
                if set.get().is_empty() {
                    set.remove();
                }
            }
        }
        for entry in Store::item_attr_entries(item) {
            self.by_attr.remove(&entry);
        }
    }

    /// Inserts a new item, assigning its rowid.
    pub fn insert(&mut self, mut item: Item) -> u64 {
        self.next_rowid += 1;
        let rowid = self.next_rowid;
        item.rowid = rowid;
        self.by_class.entry((item.backend, item.class)).or_default().insert(rowid);
        self.index(&item);
        self.items.insert(rowid, Rc::new(item));
        rowid
    }

    /// Replaces an item in place (same rowid), keeping the indexes right.
    pub fn replace(&mut self, item: Item) {
        if let Some(old) = self.items.remove(&item.rowid) {
            self.unindex(&old);
        }
        self.index(&item);
        self.items.insert(item.rowid, Rc::new(item));
    }

    pub fn remove(&mut self, rowid: u64) -> Option<Rc<Item>> {
        let item = self.items.remove(&rowid)?;
        if let Some(set) = self.by_class.get_mut(&(item.backend, item.class)) {
            set.remove(&rowid);
        }
        self.unindex(&item);
        Some(item)
    }

    pub fn get(&self, rowid: u64) -> Option<&Item> {
        self.items.get(&rowid).map(Rc::as_ref)
    }

    /// An item to change in place, for a flag no index covers (it is copied first when
    /// another store shares it).
    pub fn get_mut_for_flag(&mut self, rowid: u64) -> Option<&mut Item> {
        self.items.get_mut(&rowid).map(Rc::make_mut)
    }

    /// Rows of a class, in rowid order.
    pub fn rows_of(&self, backend: Backend, class: Class) -> Vec<u64> {
        self.by_class.get(&(backend, class)).map(|s| s.iter().copied().collect()).unwrap_or_default()
    }

    /// Rows with exactly these user-PK values, in rowid order.
    pub fn rows_with_pk(&self, key: &PkKey) -> Vec<u64> {
        self.by_pk.get(key).map(|s| s.iter().copied().collect()).unwrap_or_default()
    }

    /// How many rows of a class the index of column `raw` files under `value` (the rows
    /// holding it, and any whose value shares its hash), or `None` when the column has no
    /// index. Enough to choose the narrowest index; [`Store::rows_with`] is exact.
    pub fn count_with(&self, backend: Backend, class: Class, raw: &'static str, value: &Value) -> Option<usize> {
        let (key, _) = Store::attr_key(backend, class, raw, value)?;
        Some(self.bucket(key).count())
    }

    /// Rows of a class holding `value` in the indexed column `raw` (compared as the database
    /// compares it), in rowid order, or `None` when the column has no index.
    pub fn rows_with(&self, backend: Backend, class: Class, raw: &'static str, value: &Value) -> Option<Vec<u64>> {
        let (key, column) = Store::attr_key(backend, class, raw, value)?;
        let wanted = cmp_key(column.stored, value);
        let holds = |rowid: &u64| {
            self.items
                .get(rowid)
                .and_then(|item| item.attrs.get(column.raw))
                .is_some_and(|stored| cmp_key(column.stored, stored) == wanted)
        };
        Some(self.bucket(key).filter(holds).collect())
    }

    /// The rows filed under one bucket of an attribute index, in rowid order.
    fn bucket(&self, (backend, class, raw, hash): AttrKey) -> impl Iterator<Item = u64> + '_ {
        self.by_attr.range((backend, class, raw, hash, 0)..=(backend, class, raw, hash, u64::MAX)).map(|entry| entry.4)
    }

    fn attr_key(
        backend: Backend,
        class: Class,
        raw: &'static str,
        value: &Value,
    ) -> Option<(AttrKey, &'static Column)> {
        let column = class.column(raw).filter(|_| INDEXED.contains(&raw))?;
        Some(((backend, class, column.raw, value_hash(&cmp_key(column.stored, value))), column))
    }

    /// Every item as the store shares it, in rowid order.
    pub fn shared(&self) -> impl ExactSizeIterator<Item = &Rc<Item>> {
        self.items.values()
    }

    /// Every item, in rowid order.
    pub fn iter(&self) -> impl Iterator<Item = &Item> {
        self.items.values().map(Rc::as_ref)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// About how many bytes this store adds beside `others` when all are kept: its indexes,
    /// and the items it shares with none of them (all of them when there are no others).
    pub fn unshared_bytes(&self, others: &[&Store]) -> usize {
        let shared = |rowid: &u64, item: &Rc<Item>| {
            others.iter().any(|o| o.items.get(rowid).is_some_and(|other| Rc::ptr_eq(other, item)))
        };
        let items: usize =
            self.items.iter().filter(|(rowid, item)| !shared(rowid, item)).map(|(_, item)| item.approx_bytes()).sum();
        items + self.items.len() * INDEX_BYTES_PER_ITEM
    }

    /// Finds the item a persistent reference names.
    pub fn by_persistent_ref(&self, pref: &str) -> Option<&Item> {
        let Some(PersistentRef::Item { row, .. }) = PersistentRef::parse(pref) else { return None };
        self.items.get(&row).map(Rc::as_ref).filter(|i| i.persistent_ref() == pref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port() -> &'static Column {
        Class::InternetPassword.column("port").expect("kSecAttrPort is an internet password column")
    }

    fn bare(class: Class) -> Item {
        Item {
            rowid: 1,
            class,
            backend: Backend::DataProtection,
            attrs: BTreeMap::new(),
            data: None,
            access_control: None,
            invalidated: false,
            object: None,
        }
    }

    #[test]
    fn an_items_size_counts_its_attributes_data_and_object() {
        let empty = bare(Class::Key).approx_bytes();
        let mut labelled = bare(Class::Key);
        labelled.attrs.insert("labl", Value::Str("abc".into()));
        // Each attribute: its value (the enum and its bytes) and its map entry.
        assert_eq!(
            labelled.approx_bytes() - empty,
            std::mem::size_of::<Value>() + 3 + 2 * std::mem::size_of::<usize>()
        );
        let mut keyed = bare(Class::Key);
        keyed.object = Some(ItemObject::Key(Box::new(KeyObject {
            algorithm: super::super::objects::Algorithm::Ec,
            private: true,
            data: vec![4; 97],
            public_bytes: vec![4; 65],
            size_bits: 256,
        })));
        assert_eq!(keyed.approx_bytes() - empty, 97 + 65);
        let cert = super::super::objects::example_certificate();
        let der = cert.der.len();
        let mut holding = bare(Class::Key);
        holding.attrs.insert("labl", Value::Certificate(Box::new(cert)));
        assert_eq!(
            holding.approx_bytes() - empty,
            std::mem::size_of::<Value>() + 2 * der + 2 * std::mem::size_of::<usize>(),
            "a certificate counts its DER twice"
        );
        let mut listed = bare(Class::Key);
        listed.attrs.insert("labl", Value::Array(vec![Value::Str("ab".into()), Value::Str("cde".into())]));
        assert_eq!(
            listed.approx_bytes() - empty,
            3 * std::mem::size_of::<Value>() + 5 + 2 * std::mem::size_of::<usize>(),
            "an array counts each element"
        );
        let mut with_data = bare(Class::GenericPassword);
        with_data.data = Some(vec![0; 10]);
        assert_eq!(with_data.approx_bytes() - bare(Class::GenericPassword).approx_bytes(), 10);
    }

    #[test]
    fn case_is_ignored_for_text_and_utf8_bytes_only() {
        let label = |s: &str| cmp_key(Stored::Blob, &Value::Str(s.into())).into_owned();
        assert!(label("Alice").eq_ignoring_case(&label("aLICE")));
        assert!(label("Ärger").eq_ignoring_case(&label("ärger")));
        assert!(!label("Alice").eq_ignoring_case(&label("Alicia")));
        let raw = |b: &[u8]| cmp_key(Stored::Data, &Value::Data(b.to_vec())).into_owned();
        assert!(!raw(&[0xff, 0x41]).eq_ignoring_case(&raw(&[0xff, 0x61])), "bytes that are not text compare exactly");
        assert!(Cmp::Int(1).eq_ignoring_case(&Cmp::Int(1)) && !Cmp::Int(1).eq_ignoring_case(&Cmp::Int(2)));
    }

    #[test]
    fn a_blob_column_stores_a_boolean_as_its_number() {
        let label = Class::GenericPassword.column("labl").expect("kSecAttrLabel is a generic password column");
        assert_eq!(coerce(label, &Value::Bool(true)), Ok(Value::Int(1)));
        assert_eq!(coerce(label, &Value::Bool(false)), Ok(Value::Int(0)));
    }

    #[test]
    fn a_store_is_empty_until_an_item_is_in_it() {
        let mut store = Store::default();
        assert!(store.is_empty());
        store.insert(bare(Class::GenericPassword));
        assert!(!store.is_empty());
    }

    #[test]
    fn a_number_column_reads_a_string_only_in_its_canonical_form() {
        assert_eq!(coerce(port(), &Value::Str("443".into())), Ok(Value::Int(443)));
        for kept in ["0443", "+443", "https", "443.0"] {
            assert_eq!(coerce(port(), &Value::Str(kept.into())), Ok(Value::Str(kept.into())), "{kept}");
        }
    }

    #[test]
    fn a_data_column_stores_a_string_as_its_utf8_bytes() {
        let serial = Class::Certificate.column("slnr").expect("kSecAttrSerialNumber is a certificate column");
        assert_eq!(coerce(serial, &Value::Str("AB".into())), Ok(Value::Data(b"AB".to_vec())));
        assert_eq!(coerce(serial, &Value::Data(vec![1, 2])), Ok(Value::Data(vec![1, 2])));
        assert!(coerce(serial, &Value::Int(1)).is_err(), "a number is not data");
    }

    #[test]
    fn a_whole_float_compares_as_its_integer_and_a_fraction_does_not() {
        assert_eq!(cmp_key(Stored::Number, &Value::Float(2.0)), cmp_key(Stored::Number, &Value::Int(2)));
        assert_ne!(cmp_key(Stored::Number, &Value::Float(1.5)), cmp_key(Stored::Number, &Value::Int(1)));
        assert_ne!(
            cmp_key(Stored::Number, &Value::Float(1e16)),
            cmp_key(Stored::Number, &Value::Int(10_000_000_000_000_000))
        );
        // The bound is exclusive: 9e15 itself stays a float.
        assert_ne!(
            cmp_key(Stored::Number, &Value::Float(9.0e15)),
            cmp_key(Stored::Number, &Value::Int(9_000_000_000_000_000))
        );
        assert_eq!(
            cmp_key(Stored::Number, &Value::Float(8.0e15)),
            cmp_key(Stored::Number, &Value::Int(8_000_000_000_000_000))
        );
    }

    #[test]
    fn the_file_based_keychain_reads_a_port_string_only_when_it_is_a_number() {
        assert_eq!(coerce_file(port(), &Value::Str("80".into())), Ok(Value::Int(80)));
        assert_eq!(coerce_file(port(), &Value::Int(80)), Ok(Value::Int(80)));
        assert_eq!(coerce_file(port(), &Value::Bool(true)), Ok(Value::Int(1)));
        for bad in ["", "080", "+80", "http", "99999999999"] {
            let err = coerce_file(port(), &Value::Str(bad.into())).expect_err(bad);
            assert!(err.contains("kSecAttrPort takes a CFNumber"), "{bad}: {err}");
        }
        assert!(coerce_file(port(), &Value::Data(b"80".to_vec())).is_err());
        // The data protection keychain keeps what it is given.
        assert_eq!(coerce(port(), &Value::Str(String::new())), Ok(Value::Str(String::new())));
    }

    #[test]
    fn the_protocol_keeps_its_constant_on_the_file_based_keychain() {
        let ptcl = Class::InternetPassword.column("ptcl").expect("kSecAttrProtocol column");
        assert_eq!(coerce_file(ptcl, &Value::Str("http".into())), coerce(ptcl, &Value::Str("http".into())));
    }

    /// The attribute indexes agree with a scan after any sequence of inserts, replacements
    /// and removals, and hold exactly the entries of the items stored.
    #[cfg(not(target_arch = "wasm32"))]
    mod indexes {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        enum Op {
            Insert { class: bool, acct: u8, svce: u8, labl: Option<u8> },
            Relabel { pick: usize, labl: Option<u8> },
            Remove { pick: usize },
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                (any::<bool>(), 0..3u8, 0..3u8, proptest::option::of(0..3u8))
                    .prop_map(|(class, acct, svce, labl)| Op::Insert { class, acct, svce, labl }),
                (any::<usize>(), proptest::option::of(0..3u8)).prop_map(|(pick, labl)| Op::Relabel { pick, labl }),
                any::<usize>().prop_map(|pick| Op::Remove { pick }),
            ]
        }

        fn text(n: u8) -> Value {
            Value::Str(format!("v{n}"))
        }

        fn item(class: Class, attrs: BTreeMap<&'static str, Value>) -> Item {
            let (backend, data, access_control, object) = (Backend::DataProtection, None, None, None);
            Item { rowid: 0, class, backend, attrs, data, access_control, invalidated: false, object }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

            #[test]
            fn indexed_lookups_equal_a_scan(ops in proptest::collection::vec(op(), 0..40)) {
                let mut store = Store::default();
                for op in ops {
                    let rows: Vec<u64> = store.iter().map(|i| i.rowid).collect();
                    match op {
                        Op::Insert { class, acct, svce, labl } => {
                            let class = if class { Class::GenericPassword } else { Class::InternetPassword };
                            let mut attrs = BTreeMap::from([("acct", text(acct)), ("labl", Value::Int(1))]);
                            attrs.insert(if class == Class::GenericPassword { "svce" } else { "srvr" }, text(svce));
                            match labl {
                                Some(l) => attrs.insert("labl", text(l)),
                                None => attrs.remove("labl"),
                            };
                            store.insert(item(class, attrs));
                        }
                        Op::Relabel { pick, labl } if !rows.is_empty() => {
                            let Some(mut changed) = store.get(rows[pick % rows.len()]).cloned() else { continue };
                            match labl {
                                Some(l) => changed.attrs.insert("labl", text(l)),
                                None => changed.attrs.remove("labl"),
                            };
                            store.replace(changed);
                        }
                        Op::Remove { pick } if !rows.is_empty() => {
                            prop_assert!(store.remove(rows[pick % rows.len()]).is_some());
                        }
                        _ => {}
                    }
                }
                for class in [Class::GenericPassword, Class::InternetPassword] {
                    for raw in ["acct", "svce", "srvr", "labl"] {
                        let Some(column) = class.column(raw) else { continue };
                        for n in 0..3 {
                            let value = text(n);
                            let scan: Vec<u64> = store
                                .iter()
                                .filter(|i| i.class == class)
                                .filter(|i| i.attrs.get(raw).is_some_and(|v| cmp_key(column.stored, v) == cmp_key(column.stored, &value)))
                                .map(|i| i.rowid)
                                .collect();
                            prop_assert_eq!(store.rows_with(Backend::DataProtection, class, column.raw, &value), Some(scan.clone()));
                            prop_assert_eq!(store.count_with(Backend::DataProtection, class, column.raw, &value), Some(scan.len()));
                        }
                    }
                }
                let entries: BTreeSet<AttrEntry> = store.iter().flat_map(Store::item_attr_entries).collect();
                prop_assert_eq!(&store.by_attr, &entries, "the index holds exactly the items' entries");
                // A column without an index says so rather than answering from nothing.
                prop_assert_eq!(store.rows_with(Backend::DataProtection, Class::GenericPassword, "desc", &text(0)), None);
            }
        }
    }
}

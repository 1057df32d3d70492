//! Queries by reference: `kSecValueRef`, `kSecValuePersistentRef`, `kSecMatchItemList` and
//! `kSecUseItemList` in SecItemCopyMatching, SecItemUpdate and SecItemDelete.
//!
//! The data protection keychain never sees an object: the client replaces a SecKey or
//! SecCertificate by its attribute dictionary, adding only the attributes the caller did not
//! give (OSX/sec/Security/SecItem.m, `SecItemAttributesPrepare` with `forQuery`, and
//! `SecItemCopyAttributeDictionary`, which drops a key's usage flags and kSecAttrIsPermanent);
//! so the class comes from the reference and the caller's other attributes still filter. A
//! SecIdentity is split into its certificate and private key (`explode_identity`,
//! `handleUpdateIdentity`). The file-based keychain looks the listed items up directly and
//! ignores the query's attributes (OSX/libsecurity_keychain/lib/SecItem.cpp,
//! `_CreateSecItemParamsFromDictionary`, `SecItemSearchCopyNext`, `FilterCandidateItem`).

use super::add::{derive_certificate, derive_key};
use super::matching::Row;
use super::query::{AttrValue, Fail, Query};
use super::{Keychain, Trace};
use crate::keychain::constants::key_by_name;
use crate::keychain::document::{Dict, Entry};
use crate::keychain::objects::{CertificateObject, KeyObject};
use crate::keychain::pref::PersistentRef;
use crate::keychain::schema::Class;
use crate::keychain::store::{coerce, Backend, ItemObject};
use crate::keychain::value::Value;
use crate::status::Status;
use std::collections::BTreeMap;

/// The class a reference implies: an object's own, or the class of the item a keychain
/// item reference or persistent reference names.
pub(super) fn class_of_ref(keychain: &Keychain, v: Option<&Value>) -> Option<Class> {
    match v? {
        Value::Certificate(_) => Some(Class::Certificate),
        Value::Key(_) => Some(Class::Key),
        Value::Identity(..) => Some(Class::Identity),
        Value::ItemRef(p) | Value::PersistentRef(p) => keychain.store.by_persistent_ref(p).map(|i| i.class),
        _ => None,
    }
}

/// The attributes `SecItemCopyAttributeDictionary(ref, forQuery = true)` gives, by raw name.
fn query_attributes_of(v: &Value) -> BTreeMap<&'static str, Value> {
    let mut attrs = BTreeMap::new();
    match v {
        Value::Certificate(c) => {
            derive_certificate(&mut attrs, c, Backend::DataProtection);
            // SecCertificateCopyAttributeDictionary has no label (it is under #if 0).
            attrs.remove("labl");
        }
        Value::Key(k) => {
            derive_key(&mut attrs, k);
            for raw in ["decr", "sign", "unwp", "encr", "vrfy", "wrap", "drve", "perm"] {
                attrs.remove(raw);
            }
        }
        _ => {}
    }
    attrs
}

impl Keychain {
    /// The class hint for a lookup: from kSecValueRef, else (file-based keychain) from
    /// kSecUseItemList's first item. securityd takes the class from kSecClass or a persistent
    /// reference only (`query_get_class`, keychain/securityd/SecDbQuery.c), so an item list
    /// gives the data protection keychain none.
    pub(super) fn lookup_class_hint(&self, dict: &Dict, backend: Backend) -> Option<Class> {
        class_of_ref(self, dict.get("kSecValueRef")).or_else(|| match (backend, dict.get("kSecUseItemList")) {
            (Backend::File, Some(Value::Array(items))) => items.iter().find_map(|v| class_of_ref(self, Some(v))),
            _ => None,
        })
    }

    /// Data protection: a SecKeychainItemRef in kSecValueRef. On macOS the shim replaces it by
    /// the persistent reference it recorded for an item of the data protection keychain and
    /// drops kSecAttrSynchronizable (OSX/libsecurity_keychain/lib/SecItem.cpp,
    /// `SecItemCopyTranslatedAttributes`). Any other SecKeychainItemRef (one of the file-based
    /// keychain, or any on iOS, which has no such type) reaches the client's
    /// `SecItemAttributesPrepare`, which knows only SecKey, SecCertificate and SecIdentity:
    /// errSecValueRefUnsupported, which is errSecParam.
    pub(super) fn item_ref_to_persistent_ref(&self, q: &mut Query, trace: &mut Trace) -> Result<(), Fail> {
        let Some(Value::ItemRef(pref)) = &q.value_ref else { return Ok(()) };
        let in_dp = self.store.by_persistent_ref(pref).is_some_and(|i| i.backend == Backend::DataProtection);
        if !(self.platform.is_macos() && in_dp) {
            let why = if self.platform.is_macos() {
                "this SecKeychainItem is not an item of the data protection keychain, so the shim has no persistent reference to put in its place"
            } else {
                "iOS has no SecKeychainItem: pass the item's persistent reference as kSecValuePersistentRef instead"
            };
            return Err(Fail::new(
                Status::Param,
                format!("unsupported kSecValueRef in query (errSecValueRefUnsupported): the data protection keychain takes a SecKey, SecCertificate or SecIdentity by reference; {why}"),
            ));
        }
        trace.say(format!(
            "the shim replaces the SecKeychainItem in kSecValueRef by its persistent reference {pref} and drops kSecAttrSynchronizable (SecItemCopyTranslatedAttributes)"
        ));
        q.persistent_ref = Some(pref.clone());
        q.value_ref = None;
        q.sync = None;
        q.sync_add = None;
        q.attribute_keys.retain(|k| *k != "kSecAttrSynchronizable");
        Ok(())
    }

    /// Data protection: replaces a SecKey or SecCertificate in kSecValueRef by its attributes,
    /// keeping the caller's where both give one. An attribute the class lacks fails as
    /// errSecNoSuchAttr in the daemon, as it would have had the caller written it.
    pub(super) fn expand_value_ref(&self, q: &mut Query, trace: &mut Trace) -> Result<(), Fail> {
        let Some(v @ (Value::Certificate(_) | Value::Key(_))) = q.value_ref.clone() else {
            return Ok(());
        };
        let Some(class) = q.class else { return Ok(()) };
        let mut added = Vec::new();
        for (raw, value) in query_attributes_of(&v) {
            if q.attrs.iter().any(|a| a.column.raw == raw) {
                continue;
            }
            let Some(column) = class.column(raw) else {
                return Err(Fail::new(
                    Status::NoSuchAttr,
                    format!(
                        "the {} in kSecValueRef brings attributes that {} does not have",
                        v.type_name(),
                        class.name()
                    ),
                ));
            };
            let coerced = coerce(column, &value).map_err(|why| Fail::new(Status::Param, why))?;
            q.attrs.push(AttrValue { column, value: coerced, written: value });
            added.push(column.name);
        }
        trace.say(format!(
            "the client replaces the {} in kSecValueRef by its attributes ({}); the query's own attributes still filter",
            v.type_name(),
            added.join(", ")
        ));
        Ok(())
    }

    /// The items a list of references names in `backend` (objects found by their data).
    pub(super) fn resolve_refs(&self, values: &[Value], backend: Backend) -> Vec<Row> {
        let mut rows = Vec::new();
        for v in values {
            let row = match v {
                // An identity's persistent reference names its certificate row.
                Value::PersistentRef(p) if PersistentRef::class_raw(p) == Some(Class::Identity.raw()) => {
                    PersistentRef::parse(p)
                        .and_then(PersistentRef::identity_cert)
                        .filter(|r| self.store.get(*r).is_some_and(|i| i.backend == backend))
                        .map(|cert| self.identity_row(backend, cert))
                }
                Value::ItemRef(p) | Value::PersistentRef(p) => {
                    self.store.by_persistent_ref(p).filter(|i| i.backend == backend).map(|i| Row::Item(i.rowid))
                }
                Value::Certificate(c) => self.find_object(backend, Class::Certificate, &c.der).map(Row::Item),
                // A SecIdentity is found by its certificate, and stays an identity (SecItem.cpp,
                // FilterCandidateItem keeps it for kSecReturnRef; its persistent reference is
                // the identity's, SecKeychainItemCreatePersistentReference on the identity).
                Value::Identity(c, _) => {
                    self.find_object(backend, Class::Certificate, &c.der).map(|cert| self.identity_row(backend, cert))
                }
                Value::Key(k) => self.find_object(backend, Class::Key, &k.data).map(Row::Item),
                _ => None,
            };
            if let Some(row) = row.filter(|r| !rows.contains(r)) {
                rows.push(row);
            }
        }
        rows
    }

    /// A certificate row as an identity, with the first private key that pairs with it
    /// (kSecAttrApplicationLabel = the certificate's kSecAttrPublicKeyHash); the bare
    /// certificate when no key does.
    fn identity_row(&self, backend: Backend, cert: u64) -> Row {
        let hash = self.store.get(cert).and_then(|c| c.attrs.get("pkhh"));
        let key = self.store.rows_of(backend, Class::Key).into_iter().find(|r| {
            self.store.get(*r).is_some_and(|k| {
                matches!(k.attrs.get("kcls"), Some(Value::Int(1))) && hash.is_some() && k.attrs.get("klbl") == hash
            })
        });
        key.map_or(Row::Item(cert), |key| Row::Identity { cert, key })
    }

    fn find_object(&self, backend: Backend, class: Class, data: &[u8]) -> Option<u64> {
        self.store.rows_of(backend, class).into_iter().find(|r| {
            self.store.get(*r).is_some_and(|i| match &i.object {
                Some(ItemObject::Certificate(c)) => c.der == data,
                Some(ItemObject::Key(k)) => k.data == data,
                None => i.data.as_deref() == Some(data),
            })
        })
    }

    /// The file-based keychain's by-reference lookup: the listed items (kSecValueRef,
    /// kSecValuePersistentRef, kSecUseItemList), whatever the query's attributes say.
    pub(super) fn file_ref_candidates(&self, q: &Query) -> Option<Vec<Row>> {
        let mut listed: Vec<Value> = q.use_items.clone();
        listed.extend(q.value_ref.iter().cloned());
        listed.extend(q.persistent_ref.iter().map(|p| Value::PersistentRef(p.clone())));
        (!listed.is_empty()).then(|| self.resolve_refs(&listed, Backend::File))
    }
}

/// The two halves of a query naming a SecIdentity: the same dictionary with the
/// certificate, then with the private key (class replaced, no persistent ref asked of the key).
pub(super) fn identity_parts(dict: &Dict, cert: &CertificateObject, key: &KeyObject) -> (Dict, Dict) {
    let part = |class: &str, object: Value, key_part: bool| {
        let mut entries: Vec<Entry> = dict
            .0
            .iter()
            .filter(|e| {
                let replaced = matches!(e.key.name, "kSecValueRef" | "kSecClass")
                    || (key_part && e.key.name == "kSecReturnPersistentRef");
                !replaced
            })
            .cloned()
            .collect();
        let mut push = |name: &str, value: Value| {
            if let Some(k) = key_by_name(name) {
                entries.push(Entry { key: k, value });
            }
        };
        push("kSecClass", Value::Str(class.into()));
        push("kSecValueRef", object);
        if key_part && dict.has("kSecReturnPersistentRef") {
            push("kSecReturnPersistentRef", Value::Bool(false));
        }
        Dict(entries)
    };
    (
        part("cert", Value::Certificate(Box::new(cert.clone())), false),
        part("keys", Value::Key(Box::new(key.clone())), true),
    )
}

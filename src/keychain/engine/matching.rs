//! Which rows a parsed query selects: class, backend, visible access groups, the hidden
//! synchronizable filter, and SQL-like equality on every attribute given.

use super::query::{Query, SyncFilter};
use super::Keychain;
use crate::keychain::pref::PersistentRef;
use crate::keychain::schema::Class;
use crate::keychain::store::{cmp_key, Backend, Item, Store};

/// A selected row: one item, or an identity (certificate row and key row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Item(u64),
    Identity { cert: u64, key: u64 },
}

impl Row {
    /// The row the persistent reference and uniqueness speak of.
    pub fn primary(self) -> u64 {
        match self {
            Row::Item(r) => r,
            Row::Identity { cert, .. } => cert,
        }
    }
}

/// Options that widen a search (used to explain why something was not found).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Widen {
    pub all_groups: bool,
    pub any_sync: bool,
}

impl Keychain {
    /// Rows matching `q` in `backend`, in rowid order.
    pub fn select(&self, q: &Query, backend: Backend, widen: Widen) -> Vec<Row> {
        if backend == Backend::File {
            // The file-based keychain takes referenced items as they are (SecItemSearchCopyNext).
            if let Some(rows) = self.file_ref_candidates(q) {
                return rows.into_iter().filter(|row| self.passes_search_keys(*row, q, backend)).collect();
            }
        }
        let rows = self.select_by_query(q, backend, widen);
        match (backend, q.match_value("kSecMatchItemList")) {
            // FilterCandidateItem: a search result must also be on kSecMatchItemList.
            (Backend::File, Some(crate::keychain::value::Value::Array(list))) => {
                let listed = self.resolve_refs(list, backend);
                rows.into_iter().filter(|r| listed.iter().any(|l| l.primary() == r.primary())).collect()
            }
            _ => rows,
        }
    }

    fn select_by_query(&self, q: &Query, backend: Backend, widen: Widen) -> Vec<Row> {
        let Some(class) = q.class.or_else(|| self.class_of_persistent_ref(q)) else {
            return Vec::new();
        };
        if class == Class::Identity {
            return self.select_identities(q, backend, widen);
        }
        let candidates = self.candidates(q, backend, class);
        let groups = self.access_groups();
        candidates
            .into_iter()
            .filter(|rowid| self.store.get(*rowid).is_some_and(|item| self.item_matches(item, q, widen, &groups, None)))
            .map(Row::Item)
            .filter(|row| self.passes_search_keys(*row, q, backend))
            .collect()
    }

    fn class_of_persistent_ref(&self, q: &Query) -> Option<Class> {
        let p = q.persistent_ref.as_deref()?;
        if PersistentRef::class_raw(p) == Some(Class::Identity.raw()) {
            return Some(Class::Identity);
        }
        self.store.by_persistent_ref(p).map(|i| i.class)
    }

    /// Rows worth testing: the primary-key bucket when the query names the whole user
    /// primary key, else the smallest bucket of an indexed attribute the query gives, else
    /// every row of the class. Every candidate is still tested against the whole query.
    fn candidates(&self, q: &Query, backend: Backend, class: Class) -> Vec<u64> {
        if let Some(p) = q.persistent_ref.as_deref() {
            return self.store.by_persistent_ref(p).map(|i| vec![i.rowid]).unwrap_or_default();
        }
        if q.case_insensitive {
            return self.store.rows_of(backend, class);
        }
        let key = Store::pk_key(backend, class, |raw| {
            q.attrs.iter().find(|a| a.column.raw == raw).map(|a| cmp_key(a.column.stored, &a.value))
        });
        if let Some(key) = key {
            return self.store.rows_with_pk(&key);
        }
        let narrowest = q
            .attrs
            .iter()
            .filter_map(|a| Some((self.store.count_with(backend, class, a.column.raw, &a.value)?, a)))
            .min_by_key(|(count, _)| *count);
        narrowest
            .and_then(|(_, a)| self.store.rows_with(backend, class, a.column.raw, &a.value))
            .unwrap_or_else(|| self.store.rows_of(backend, class))
    }

    /// Whether one item satisfies the query. `only` restricts attributes to those of a
    /// given set of raw names (used for the halves of an identity).
    pub fn item_matches(
        &self,
        item: &Item,
        q: &Query,
        widen: Widen,
        groups: &[String],
        only: Option<&dyn Fn(&str) -> bool>,
    ) -> bool {
        if let Some(p) = q.persistent_ref.as_deref() {
            if item.persistent_ref() != p {
                return false;
            }
        }
        if item.backend == Backend::DataProtection {
            if !widen.all_groups && !groups.iter().any(|g| g == item.access_group()) {
                return false;
            }
            if let Some(group) = &q.access_group {
                if group != item.access_group() {
                    return false;
                }
            }
            let sync = if q.persistent_ref.is_some() { Some(SyncFilter::Any) } else { q.sync };
            let wanted = if widen.any_sync { SyncFilter::Any } else { sync.unwrap_or(SyncFilter::Local) };
            match wanted {
                SyncFilter::Local if item.synchronizable() => return false,
                SyncFilter::Synchronized if !item.synchronizable() => return false,
                _ => {}
            }
            if let Some(pdmn) = q.accessible {
                if pdmn != item.protection() {
                    return false;
                }
            }
        }
        q.attrs.iter().filter(|a| only.is_none_or(|f| f(a.column.raw))).all(|a| {
            item.attrs.get(a.column.raw).is_some_and(|stored| {
                let (left, right) = (cmp_key(a.column.stored, stored), cmp_key(a.column.stored, &a.value));
                if q.case_insensitive && item.backend == Backend::File {
                    left.eq_ignoring_case(&right)
                } else {
                    left == right
                }
            })
        })
    }

    /// Identities: certificate × private key rows with pkhh == klbl, both visible.
    fn select_identities(&self, q: &Query, backend: Backend, widen: Widen) -> Vec<Row> {
        let cert_attr = |raw: &str| {
            Class::Certificate.column(raw).is_some() && !matches!(raw, "agrp" | "sync" | "pdmn" | "cdat" | "mdat")
        };
        let key_attr = |raw: &str| !cert_attr(raw);
        // A persistent reference to an identity names its certificate row.
        let only_cert: Option<u64> =
            q.persistent_ref.as_deref().and_then(PersistentRef::parse).and_then(PersistentRef::identity_cert);
        if q.persistent_ref.is_some() && only_cert.is_none() {
            return Vec::new();
        }
        let halves = Query { persistent_ref: None, sync: q.sync.or(only_cert.map(|_| SyncFilter::Any)), ..q.clone() };
        let q = &halves;
        let groups = self.access_groups();
        let mut rows = Vec::new();
        for cert_row in self.store.rows_of(backend, Class::Certificate) {
            if only_cert.is_some_and(|r| r != cert_row) {
                continue;
            }
            let Some(cert) = self.store.get(cert_row) else { continue };
            if !self.item_matches(cert, q, widen, &groups, Some(&cert_attr)) {
                continue;
            }
            let Some(hash) = cert.attrs.get("pkhh") else { continue };
            // The keys whose application label is the certificate's public key hash, from
            // the label's index.
            let keys = self.store.rows_with(backend, Class::Key, "klbl", hash);
            for key_row in keys.unwrap_or_else(|| self.store.rows_of(backend, Class::Key)) {
                let Some(key) = self.store.get(key_row) else { continue };
                let private = matches!(key.attrs.get("kcls"), Some(crate::keychain::value::Value::Int(1)));
                let paired = key.attrs.get("klbl").is_some_and(|l| {
                    cmp_key(crate::keychain::schema::Stored::Data, l)
                        == cmp_key(crate::keychain::schema::Stored::Data, hash)
                });
                if private
                    && paired
                    && self.item_matches(key, q, widen, &groups, Some(&key_attr))
                    && self.passes_search_keys(Row::Item(cert_row), q, backend)
                {
                    rows.push(Row::Identity { cert: cert_row, key: key_row });
                }
            }
        }
        rows
    }
}

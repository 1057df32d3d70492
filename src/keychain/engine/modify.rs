//! SecItemUpdate and SecItemDelete.

use super::add::{check_protection, client_checks};
use super::matching::{Row, Widen};
use super::query::{self, Fail, Limit, Query};
use super::{CallOutcome, Keychain, Trace};
use crate::keychain::choices;
use crate::keychain::document::{Dict, Platform};
use crate::keychain::pitfalls::{found, Id};
use crate::keychain::pref::PersistentRef;
use crate::keychain::protection::Protection;
use crate::keychain::schema::Class;
use crate::keychain::store::{coerce, same_primary_key, Backend};
use crate::keychain::value::Value;
use crate::status::Status;
use serde_json::Value as Json;

/// Pitfalls every lookup query can show. None when the query names its item by reference
/// (kSecValueRef, kSecValuePersistentRef, kSecUseItemList): the reference is the item's
/// unique key. The file-based keychain then fetches the referenced items and ignores the
/// query's attributes (refs.rs, `file_ref_candidates`); the data protection keychain still
/// filters on them, which the reference's own trace line says.
pub(super) fn query_pitfalls(q: &Query, trace: &mut Trace) {
    if q.value_ref.is_some() || q.persistent_ref.is_some() || !q.use_items.is_empty() {
        return;
    }
    // Only what the caller wrote: attributes a reference brought in name one item exactly.
    let written = |a: &&query::AttrValue| q.attribute_keys.contains(&a.column.name);
    let extra: Vec<&str> =
        q.attrs.iter().filter(written).filter(|a| !a.column.pk && !a.column.system).map(|a| a.column.name).collect();
    if !extra.is_empty() {
        trace.pitfall(found(
            Id::QueryNonUniqueAttribute,
            format!("The query filters on {}, outside the uniqueness constraint.", extra.join(", ")),
        ));
    }
    if q.accessible.is_some() {
        trace.pitfall(found(Id::AccessibleAsFilter, "kSecAttrAccessible is in the query."));
    }
    if q.attrs.iter().filter(written).any(|a| a.column.system) {
        trace.pitfall(found(
            Id::ModificationDateInQuery,
            "The query holds kSecAttrCreationDate or kSecAttrModificationDate.",
        ));
    }
}

/// A persistent reference names exactly one item, and its class (its first four bytes): the
/// data protection keychain refuses it together with attributes (errSecItemIllegalQuery, which
/// is errSecParam: `s3dl_copy_matching`, "both row_id and other attributes can't be searched at
/// the same time"). kSecClass is not an attribute there: the same class is accepted, another
/// one is errSecNoSuchClass (`query_set_class` in keychain/securityd/SecDbQuery.c).
pub(super) fn persistent_ref_alone(dict: &Dict, q: &Query, trace: &mut Trace) -> Result<(), Fail> {
    let Some(pref) = q.persistent_ref.as_deref() else { return Ok(()) };
    if q.has_attributes() {
        trace.pitfall(found(
            Id::PersistentRefWithAttributes,
            "kSecValuePersistentRef is combined with other attributes.",
        ));
        return Err(Fail::new(Status::Param, "a persistent reference cannot be combined with attributes"));
    }
    let ref_class = PersistentRef::class_raw(pref);
    let written = dict.get("kSecClass").and_then(Value::as_str).and_then(Class::from_raw);
    if let (Some(written), Some(ref_class)) = (written, ref_class) {
        if written.raw() != ref_class {
            return Err(Fail::new(
                Status::NoSuchClass,
                format!(
                    "kSecClass is {} but the persistent reference names a {ref_class} item: securityd takes the class from both and refuses two different ones",
                    written.name()
                ),
            ));
        }
        trace.say("kSecClass names the persistent reference's own class, which securityd accepts (a class is not an attribute)");
    }
    Ok(())
}

impl Keychain {
    /// `SecItemUpdate(query, attributesToUpdate)`.
    pub fn update(&mut self, query: &Dict, attributes: &Dict) -> CallOutcome {
        let mut trace = Trace::default();
        let answer = self.update_inner(query, attributes, &mut trace).map(|n| {
            trace.say(format!("{n} item(s) updated"));
            (Json::Null, 0)
        });
        super::finish(answer, trace)
    }

    /// `SecItemDelete(query)`.
    pub fn delete(&mut self, query: &Dict) -> CallOutcome {
        let mut trace = Trace::default();
        let answer = self.delete_inner(query, &mut trace).map(|n| {
            trace.say(format!("{n} item(s) deleted"));
            (Json::Null, 0)
        });
        super::finish(answer, trace)
    }

    fn update_inner(&mut self, qdict: &Dict, adict: &Dict, trace: &mut Trace) -> Result<usize, Fail> {
        // 1. Client checks on the attributes (access control, UI Skip in either).
        client_checks(adict, trace, "SecItemUpdate")?;
        client_checks(qdict, trace, "SecItemUpdate")?;
        let backends = self.route(qdict, false);
        self.fan_out(&backends, trace, |kc, backend, t| kc.update_on(qdict, adict, backend, t), |a, b| a + b)
    }

    fn update_on(&mut self, qdict: &Dict, adict: &Dict, backend: Backend, trace: &mut Trace) -> Result<usize, Fail> {
        let dp = backend == Backend::DataProtection;
        let ios = self.platform == Platform::Ios;
        // 3. Writable access groups.
        if dp && self.access_groups().is_empty() {
            trace.pitfall(found(Id::NoEntitlements, "The app has no keychain access group."));
            return Err(Fail::new(Status::MissingEntitlement, "the app has no keychain access group at all"));
        }
        if let (true, Some(Value::Identity(cert, key))) = (dp, qdict.get("kSecValueRef")) {
            // handleUpdateIdentity (SecItem.m): the certificate by reference, then the key; the first failure stops.
            trace.say("a SecIdentity in kSecValueRef: the client updates its certificate, then its private key");
            let (cert_dict, key_dict) = super::refs::identity_parts(qdict, cert, key);
            let n = self.update_on(&cert_dict, adict, backend, trace)?;
            return Ok(n + self.update_on(&key_dict, adict, backend, trace)?);
        }
        // 4.–5. The query: explicit group entitled, then parsed.
        let mut q = self.parse_for(qdict, backend, self.lookup_class_hint(qdict, backend), trace)?;
        self.refs_prologue(&mut q, backend, trace)?;
        if let (true, Some(g)) = (dp, q.access_group.as_deref()) {
            self.resolve_group(Some(g), trace)?;
        }
        // 6. Item lists, return keys, and a group move in the attributes.
        if dp && q.use_item_list {
            return Err(Fail::new(Status::Param, "kSecUseItemList is not supported by the data protection keychain"));
        }
        if q.returns.any() || !q.return_keys.is_empty() {
            trace.pitfall(found(Id::ReturnKeysInUpdateQuery, format!("The query holds {}.", q.return_keys.join(", "))));
            if dp && ios && q.returns.any() {
                return Err(Fail::new(Status::Param, "SecItemUpdate's query must not ask for results"));
            }
            trace.say("macOS strips return keys from an update query");
        }
        // 7. Match keys, persistent reference with attributes.
        let limit = self.modify_limit(&q, backend, trace, "SecItemUpdate")?;
        if dp {
            persistent_ref_alone(qdict, &q, trace)?;
        }
        query_pitfalls(&q, trace);
        // 8. The attributes dictionary.
        let class = q
            .class
            .or_else(|| q.persistent_ref.as_deref().and_then(|p| self.store.by_persistent_ref(p)).map(|i| i.class))
            .unwrap_or(Class::GenericPassword);
        let changes = self.parse_changes(adict, class, backend, trace)?;
        let new_group = match changes.access_group.as_deref() {
            Some(g) if dp => Some(self.resolve_group(Some(g), trace)?),
            _ => None,
        };
        // 9. Every matching row, in one transaction.
        let rows = self.select(&q, backend, Widen::default());
        note_first_only(&rows, limit, backend, "SecItemUpdate", trace);
        let rows: Vec<Row> = rows.into_iter().take(limit.max()).collect();
        if rows.is_empty() {
            self.explain_not_found(&q, backend, trace);
            return Err(Fail::new(Status::ItemNotFound, "no item matched"));
        }
        if dp && q.persistent_ref.is_some() && rows.iter().any(|r| matches!(r, Row::Identity { .. })) {
            return Err(identity_persistent_ref_update(trace));
        }
        if rows.len() > 1 {
            trace.pitfall(found(Id::BroadUpdate, format!("{} items match and all of them change.", rows.len())));
        }
        let mut staged = Vec::new();
        for row in &rows {
            let ids = match *row {
                Row::Item(r) => vec![r],
                Row::Identity { cert, key } if dp => vec![cert, key],
                // _UpdateKeychainItem (OSX/libsecurity_keychain/lib/SecItem.cpp): "since we can't
                // really change the certificate's attributes, assume we want to update the private key".
                Row::Identity { key, .. } => vec![key],
            };
            for rowid in ids {
                let Some(item) = self.store.get(rowid).cloned() else { continue };
                if !dp && self.device.locked {
                    // SecItemUpdate_osx (OSX/libsecurity_keychain/lib/SecItem.cpp): the search finds
                    // the item while the keychain is locked; SecKeychainItemModifyContent then needs it unlocked.
                    let (status, choice) = choices::FILE_KEYCHAIN_LOCKED;
                    trace.say("the login keychain is locked: the update finds the item (searching needs no unlock), but changing it does");
                    trace.say(choice.note);
                    return Err(Fail::new(
                        status,
                        "the keychain is locked and the item cannot be changed without a prompt",
                    ));
                }
                if dp && !self.device.class_key_available(item.protection()) {
                    trace.pitfall(self.locked_read(&item));
                    return Err(Fail::new(
                        Status::InteractionNotAllowed,
                        "the item cannot be decrypted to update it while the device is locked",
                    ));
                }
                if !self.authenticate(&item, &q, trace)? {
                    continue;
                }
                let mut updated = item.clone();
                for a in &changes.attrs {
                    if updated.class.column(a.column.raw).is_some() {
                        updated.attrs.insert(a.column.raw, a.value.clone());
                    }
                }
                if let Some(d) = &changes.data {
                    updated.data = Some(d.clone());
                }
                if let Some(g) = &new_group {
                    updated.attrs.insert("agrp", Value::Str(g.clone()));
                }
                if let Some(p) = changes.accessible {
                    updated.attrs.insert("pdmn", Value::Str(p.raw().to_string()));
                    updated.access_control = None;
                }
                if let Some(ac) = &changes.access_control {
                    if item.attrs.contains_key("tkid") {
                        // SecItem.m, SecTokenCopyUpdatedObjectID: a token item's access control lives in
                        // the token object; the client takes the object's own and drops the new one.
                        trace.say(choices::ACCESS_CONTROL_UPDATE.note);
                        trace.pitfall(found(
                            Id::AccessControlUpdateIgnored,
                            "This key lives in a token (kSecAttrTokenID): the update answers errSecSuccess and the key keeps its old access control.",
                        ));
                    } else {
                        trace.say(choices::ACCESS_CONTROL_UPDATE.note);
                        updated.attrs.insert("pdmn", Value::Str(ac.protection.clone()));
                        updated.access_control = Some(ac.clone());
                        updated.invalidated = false;
                    }
                }
                if let Some(s) = changes.sync {
                    updated.attrs.insert("sync", Value::Int(i64::from(s)));
                }
                updated.attrs.insert("mdat", Value::Date(self.now));
                staged.push(updated);
            }
        }
        // A primary-key collision rolls the whole update back.
        let staged_ids: Vec<u64> = staged.iter().map(|i| i.rowid).collect();
        for (i, item) in staged.iter().enumerate() {
            let collides_with_staged =
                staged.iter().enumerate().any(|(j, other)| j != i && same_primary_key(item, other));
            let collides = self.duplicate_of(item, Some(item.rowid)).filter(|r| !staged_ids.contains(r)).is_some();
            if collides || collides_with_staged {
                trace.say("the new values would give two items the same primary key: nothing is changed");
                return Err(Fail::new(Status::DuplicateItem, "the update would create a duplicate; it is rolled back"));
            }
        }
        let n = staged.len();
        for item in staged {
            self.store.replace(item);
        }
        Ok(n)
    }

    /// The match limit update and delete use, or the error for passing one.
    fn modify_limit(&self, q: &Query, backend: Backend, trace: &mut Trace, call: &str) -> Result<Limit, Fail> {
        let has_match = q.limit.is_some() || !q.match_keys.is_empty();
        match backend {
            Backend::DataProtection => {
                if has_match {
                    if self.platform != Platform::MacosFile {
                        trace.pitfall(found(
                            Id::MatchLimitInUpdateOrDelete,
                            format!("{call}'s query holds a match key."),
                        ));
                    }
                    if self.platform == Platform::Ios {
                        return Err(Fail::new(Status::Param, format!("{call} does not accept kSecMatch… keys on iOS")));
                    }
                    trace.say("macOS strips match keys before the data protection keychain sees them");
                }
                Ok(Limit::All)
            }
            Backend::File => {
                let limit = q.limit.unwrap_or(Limit::One);
                if limit == Limit::One {
                    trace.say(format!("the file-based keychain's {call} acts on the first match only (kSecMatchLimitOne is its default)"));
                }
                Ok(limit)
            }
        }
    }

    fn parse_changes(&self, adict: &Dict, class: Class, backend: Backend, trace: &mut Trace) -> Result<Changes, Fail> {
        let mut changes = Changes::default();
        for entry in &adict.0 {
            let (name, raw, value) = (entry.key.name, entry.key.raw, &entry.value);
            match raw {
                "v_Data" => match value {
                    Value::Data(d) => changes.data = Some(d.clone()),
                    Value::Str(s) if backend == Backend::File => changes.data = Some(s.as_bytes().to_vec()),
                    other => {
                        trace.pitfall(found(Id::WrongValueType, format!("kSecValueData is a {}.", other.type_name())));
                        return Err(Fail::new(
                            Status::Param,
                            format!("kSecValueData must be CFData, not a {}", other.type_name()),
                        ));
                    }
                },
                "nleg" => {}
                "agrp" if backend == Backend::DataProtection => match value {
                    Value::Str(s) => changes.access_group = Some(s.clone()),
                    _ => return Err(Fail::new(Status::Param, "kSecAttrAccessGroup must be a CFString")),
                },
                "pdmn" if backend == Backend::DataProtection => match value.as_str().and_then(Protection::from_raw) {
                    Some(p) => {
                        trace.pitfall(found(Id::ProtectionUpdate, "The update changes kSecAttrAccessible."));
                        trace.say(choices::PROTECTION_UPDATABLE.note);
                        changes.accessible = Some(p);
                    }
                    _ => return Err(Fail::new(Status::Param, "kSecAttrAccessible is not a protection class")),
                },
                "accc" if backend == Backend::DataProtection => match value {
                    Value::AccessControl(ac) => {
                        trace.pitfall(found(
                            Id::ProtectionUpdate,
                            "The update changes kSecAttrAccessControl, which the post calls add-only.",
                        ));
                        changes.access_control = Some(ac.clone());
                    }
                    _ => return Err(Fail::new(Status::Param, "kSecAttrAccessControl must be a SecAccessControl")),
                },
                "sync" if backend == Backend::DataProtection => match value {
                    Value::Bool(b) => changes.sync = Some(*b),
                    _ => return Err(Fail::new(Status::Param, "kSecAttrSynchronizable must be a CFBoolean")),
                },
                "tkid" => {
                    trace.pitfall(found(Id::TokenIdUpdate, "The update tries to change kSecAttrTokenID."));
                    return Err(Fail::new(Status::Param, "kSecAttrTokenID cannot be changed"));
                }
                _ if raw.contains('_') || raw == "class" => {
                    let (status, choice) = choices::NON_ATTRIBUTE_IN_UPDATE;
                    trace.pitfall(found(
                        Id::NonAttributeInUpdateAttributes,
                        format!("{name} is in the attributes to update."),
                    ));
                    trace.say(choice.note);
                    return Err(Fail::new(status, format!("{name} is not an attribute")));
                }
                _ => match class.column(raw) {
                    Some(column) => {
                        let v = coerce(column, value).map_err(|why| Fail::new(Status::Param, why))?;
                        changes.attrs.push(query::AttrValue { column, value: v, written: value.clone() });
                    }
                    None if backend == Backend::File => trace.say(format!("the file-based keychain ignores {name}")),
                    None => {
                        trace.pitfall(found(
                            Id::ErroneousAttribute,
                            format!("{name} is not an attribute of {}.", class.name()),
                        ));
                        return Err(Fail::new(
                            Status::NoSuchAttr,
                            format!("{name} is not an attribute of {}", class.name()),
                        ));
                    }
                },
            }
        }
        if changes.accessible.is_some() && changes.access_control.is_some() {
            let q = Query {
                accessible: changes.accessible,
                access_control: changes.access_control.clone(),
                ..Query::default()
            };
            check_protection(&q, trace)?;
        }
        Ok(changes)
    }

    fn delete_inner(&mut self, qdict: &Dict, trace: &mut Trace) -> Result<usize, Fail> {
        client_checks(qdict, trace, "SecItemDelete")?;
        let backends = self.route(qdict, false);
        self.fan_out(&backends, trace, |kc, backend, t| kc.delete_on(qdict, backend, t), |a, b| a + b)
    }

    fn delete_on(&mut self, qdict: &Dict, backend: Backend, trace: &mut Trace) -> Result<usize, Fail> {
        let dp = backend == Backend::DataProtection;
        if dp && self.access_groups().is_empty() {
            trace.pitfall(found(Id::NoEntitlements, "The app has no keychain access group."));
            return Err(Fail::new(Status::MissingEntitlement, "the app has no keychain access group at all"));
        }
        if let (true, Some(list)) = (dp, qdict.get("kSecUseItemList")) {
            unsendable_item_list(list, trace)?;
        }
        if let (true, Some(Value::Identity(cert, key))) = (dp, qdict.get("kSecValueRef")) {
            return self.delete_identity_by_ref(qdict, cert, key, trace);
        }
        let mut q = self.parse_for(qdict, backend, self.lookup_class_hint(qdict, backend), trace)?;
        self.refs_prologue(&mut q, backend, trace)?;
        if let (true, Some(g)) = (dp, q.access_group.as_deref()) {
            self.resolve_group(Some(g), trace)?;
        }
        if dp && q.use_item_list {
            trace.pitfall(found(
                Id::ItemListIgnored,
                "kSecUseItemList does not restrict this delete: everything the rest of the query matches goes.",
            ));
            trace.say("securityd records kSecUseItemList and never reads it in a delete (SecServerItemDeleteWithCustomDb checks it only for copy and update)");
        }
        let limit = self.modify_limit(&q, backend, trace, "SecItemDelete")?;
        if dp {
            persistent_ref_alone(qdict, &q, trace)?;
        }
        query_pitfalls(&q, trace);
        if q.value_data.is_some() {
            trace.pitfall(found(Id::ValueDataInQuery, "kSecValueData is in the delete query and has no effect."));
        }
        if q.class == Some(Class::Identity) && q.persistent_ref.is_none() {
            return self.delete_identity_class(&q, backend, trace);
        }
        let rows = self.select(&q, backend, Widen::default());
        note_first_only(&rows, limit, backend, "SecItemDelete", trace);
        let rows: Vec<Row> = rows.into_iter().take(limit.max()).collect();
        if rows.is_empty() {
            self.explain_not_found(&q, backend, trace);
            return Err(Fail::new(Status::ItemNotFound, "no item matched"));
        }
        self.note_delete(&q, &rows, trace);
        let mut n = 0;
        for row in rows {
            n += self.delete_row(row, backend);
        }
        Ok(n)
    }

    /// explode_identity (SecItem.m) for a delete: the certificate by reference; then, unless
    /// a certificate with kSecAttrPublicKeyHash equal to the key's kSecAttrApplicationLabel
    /// remains, the private key by reference. The status is the last call's.
    fn delete_identity_by_ref(
        &mut self,
        qdict: &Dict,
        cert: &crate::keychain::objects::CertificateObject,
        key: &crate::keychain::objects::KeyObject,
        trace: &mut Trace,
    ) -> Result<usize, Fail> {
        trace.say("a SecIdentity in kSecValueRef: the client deletes its certificate, then its private key unless another certificate still uses it");
        let (cert_dict, key_dict) = super::refs::identity_parts(qdict, cert, key);
        let cert_answer = self.delete_on(&cert_dict, Backend::DataProtection, trace);
        if let Err(f) = &cert_answer {
            if f.status != Status::ItemNotFound {
                return cert_answer;
            }
        }
        let label = key.application_label();
        let groups = self.access_groups();
        let still_used = self.store.iter().any(|i| {
            i.class == Class::Certificate
                && i.backend == Backend::DataProtection
                && groups.iter().any(|g| g == i.access_group())
                && i.attrs.get("pkhh") == Some(&Value::Data(label.clone()))
        });
        if still_used {
            trace.say("another certificate has the key's public key hash, so another identity still uses the private key: it is kept");
            return cert_answer;
        }
        let n = self.delete_on(&key_dict, Backend::DataProtection, trace)?;
        Ok(cert_answer.unwrap_or(0) + n)
    }

    fn note_delete(&self, q: &Query, rows: &[Row], trace: &mut Trace) {
        if rows.len() > 1 || !q.has_attributes() && q.persistent_ref.is_none() && q.value_ref.is_none() {
            trace.pitfall(found(Id::BroadDelete, format!("{} item(s) match this delete.", rows.len())));
        }
        if self.device.locked || !self.device.unlocked_since_boot {
            trace.say("deleting needs no decryption, so it works while the device is locked");
        }
        let after_failed_read = rows.iter().any(|r| self.history.unreadable_while_locked.contains(&r.primary()));
        if after_failed_read {
            trace.pitfall(found(Id::InteractionNotAllowedIsNotMissing, "This deletes an item that an earlier read could not decrypt because the device was locked: the credential is lost."));
        }
    }

    /// Deletes a row; an identity deletes its certificate, then its key unless another
    /// certificate still pairs with it. The file-based keychain deletes the key whatever
    /// (`_DeleteIdentity`, OSX/libsecurity_keychain/lib/SecItem.cpp).
    fn delete_row(&mut self, row: Row, backend: Backend) -> usize {
        match row {
            Row::Item(r) => usize::from(self.store.remove(r).is_some()),
            Row::Identity { cert, key } => {
                let removed = self.store.remove(cert);
                let hash = removed.as_ref().and_then(|c| c.attrs.get("pkhh").cloned());
                let still_paired = backend == Backend::DataProtection
                    && self.store.iter().any(|i| i.class == Class::Certificate && i.attrs.get("pkhh").cloned() == hash);
                let mut n = usize::from(removed.is_some());
                if !still_paired {
                    n += usize::from(self.store.remove(key).is_some());
                }
                n
            }
        }
    }

    /// `SecItemDelete` with kSecClassIdentity and no reference: every matching certificate,
    /// then every matching key.
    fn delete_identity_class(&mut self, q: &Query, backend: Backend, trace: &mut Trace) -> Result<usize, Fail> {
        trace.pitfall(found(
            Id::IdentityClassDelete,
            "kSecClassIdentity without a reference deletes certificates and keys broadly.",
        ));
        let certs = self.select(&Query { class: Some(Class::Certificate), ..q.clone() }, backend, Widen::default());
        if certs.is_empty() {
            return Err(Fail::new(Status::ItemNotFound, "no certificate matched"));
        }
        let keys = self.select(&Query { class: Some(Class::Key), ..q.clone() }, backend, Widen::default());
        let n = certs.len() + keys.len();
        for row in certs.into_iter().chain(keys) {
            self.delete_row(row, backend);
        }
        Ok(n)
    }
}

#[derive(Debug, Default)]
struct Changes {
    attrs: Vec<query::AttrValue>,
    data: Option<Vec<u8>>,
    access_group: Option<String>,
    accessible: Option<Protection>,
    access_control: Option<crate::keychain::value::AccessControl>,
    sync: Option<bool>,
}

/// kSecUseItemList in a data protection delete. The client sends the query to securityd as
/// a property list, so a list holding objects (SecKeychainItem, SecKey, SecCertificate,
/// SecIdentity) cannot be encoded (`der_sizeof_plist`, OSX/utilities/der_plist.c:
/// kSecDERErrorUnsupportedCFObject, which `osstatus_for_der_error` in OSX/sec/Security/SecItem.m
/// makes errSecParam). A list of persistent references (CFData) reaches securityd, which records
/// it (`query_add_use`, keychain/securityd/SecDbQuery.c) and, unlike copy and update
/// (errSecUseItemListUnsupported, which is errSecParam), never checks it for a delete
/// (`SecServerItemDeleteWithCustomDb`, keychain/securityd/SecItemServer.c): the delete acts on
/// whatever the rest of the query matches.
fn unsendable_item_list(list: &Value, trace: &mut Trace) -> Result<(), Fail> {
    let items = match list {
        Value::Array(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    let object = items.iter().find(|v| {
        matches!(v, Value::Certificate(_) | Value::Key(_) | Value::Identity(..) | Value::ItemRef(_) | Value::Opaque(_))
    });
    if let Some(v) = object {
        trace.say(format!(
            "the client sends the query to securityd as a property list, and a {} in kSecUseItemList is not one (der_sizeof_plist): errSecParam, nothing is deleted",
            v.type_name()
        ));
        return Err(Fail::new(Status::Param, "kSecUseItemList holds objects the client cannot send to securityd"));
    }
    Ok(())
}

/// SecItemUpdate through an identity's persistent reference. The client splits an identity
/// only when it is a SecIdentity in kSecValueRef or the query's kSecClass
/// (`handleUpdateIdentity`, OSX/sec/Security/SecItem.m); unlike SecItemDelete
/// (`explode_persistent_identity_ref`) it leaves an `idnt` persistent reference whole, so
/// securityd runs the update on its identity class, which has no columns of its own
/// (`v_identity_class`, keychain/securityd/SecItemSchema.c). The matched row becomes an item
/// without a primary key, and `SecDbItemUpdate` fails looking for one
/// (`SecDbItemGetPrimaryKey` → `SecDbClassAttrWithKind`, keychain/securityd/SecDbItem.c):
/// errSecInternal, and the transaction rolls back. No item is decrypted on the way, so the
/// answer is the same while the device is locked. Apple's secitemfunctionality.m asserts the
/// status (CheckItemUpdateAccessGroupIdentity, lines 387-396).
fn identity_persistent_ref_update(trace: &mut Trace) -> Fail {
    trace.say("the client splits an identity for SecItemUpdate only when kSecValueRef holds a SecIdentity or kSecClass is kSecClassIdentity (handleUpdateIdentity); an identity's persistent reference reaches securityd whole");
    trace.say("securityd's identity class has no columns of its own, so the matched identity has no primary key to update (SecDbItemUpdate): errSecInternal, and nothing changes");
    trace.say("to update an identity, name it by kSecValueRef (a SecIdentity) or by kSecClassIdentity with attributes; or update its certificate and key by their own persistent references");
    Fail::new(Status::Internal, "securityd cannot update an identity named by its persistent reference")
}

fn note_first_only(rows: &[Row], limit: Limit, backend: Backend, call: &str, trace: &mut Trace) {
    if backend == Backend::File && rows.len() > limit.max() {
        trace.pitfall(found(
            Id::FileKeychainTouchesOne,
            format!("{} items match, but {call} acts on {} of them.", rows.len(), limit.max()),
        ));
    }
}

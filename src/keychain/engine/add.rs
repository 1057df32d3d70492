//! SecItemAdd, in the data protection keychain's validation order (§6.2), and the
//! file-based keychain's more forgiving variant.

use super::matching::Row;
use super::query::{self, Fail, Query};
use super::{CallOutcome, Keychain, Trace};
use crate::keychain::choices;
use crate::keychain::document::{Dict, Platform};
use crate::keychain::objects::{CertificateObject, KeyObject};
use crate::keychain::pitfalls::{found, Id};
use crate::keychain::pref::PersistentRef;
use crate::keychain::protection::Protection;
use crate::keychain::schema::Class;
use crate::keychain::store::{cmp_key, default_value, same_primary_key, Backend, Item, ItemObject, Store};
use crate::keychain::value::{
    Value, FLAG_AND, FLAG_BIOMETRY_ANY, FLAG_BIOMETRY_CURRENT_SET, FLAG_OR, FLAG_USER_PRESENCE,
};
use crate::status::Status;
use serde_json::Value as Json;
use std::collections::BTreeMap;

impl Keychain {
    /// `SecItemAdd(attributes, &result)`.
    pub fn add(&mut self, dict: &Dict) -> CallOutcome {
        let mut trace = Trace::default();
        let answer = self.add_inner(dict, &mut trace);
        super::finish(answer, trace)
    }

    fn add_inner(&mut self, dict: &Dict, trace: &mut Trace) -> Result<(Json, usize), Fail> {
        // 1. A SecIdentity is exploded by the client into a certificate and a private key.
        if let Some(Value::Identity(cert, key)) = dict.get("kSecValueRef") {
            return self.add_identity(dict, cert, key, trace);
        }
        let hint = class_of_ref(dict.get("kSecValueRef"));
        let backend = self.route(dict, true).first().copied().unwrap_or(Backend::DataProtection);
        if self.platform == Platform::MacosFile {
            trace.say(format!("the shim sends this add to the {}", backend.name()));
        }
        match backend {
            Backend::DataProtection => self.add_dp(dict, hint, trace),
            Backend::File => self.add_file(dict, hint, trace),
        }
    }

    fn add_dp(&mut self, dict: &Dict, hint: Option<Class>, trace: &mut Trace) -> Result<(Json, usize), Fail> {
        // 2. Client-side checks: access control type and combination, UI Skip, value ref.
        client_checks(dict, trace, "SecItemAdd")?;
        if let Some(v) = dict.get("kSecValueRef") {
            if !matches!(v, Value::Certificate(_) | Value::Key(_)) {
                return Err(Fail::new(
                    Status::Param,
                    format!(
                        "kSecValueRef must be a SecCertificate, SecKey or SecIdentity here, not a {}",
                        v.type_name()
                    ),
                ));
            }
        }
        // 4. The caller must have at least one access group.
        let groups = self.access_groups();
        if groups.is_empty() {
            trace.pitfall(found(
                Id::NoEntitlements,
                "The app has no application-identifier, keychain-access-groups or app groups.",
            ));
            return Err(Fail::new(Status::MissingEntitlement, "the app has no keychain access group at all"));
        }
        // 5. Parse the dictionary.
        let q = self.parse_for(dict, Backend::DataProtection, hint, trace)?;
        let class = q.class.ok_or_else(|| Fail::new(Status::Param, "the dictionary has no kSecClass"))?;
        if class == Class::Identity {
            return Err(Fail::new(
                Status::Param,
                "kSecClassIdentity can only be added through kSecValueRef = a SecIdentity",
            ));
        }
        if class.is_password() && q.value_ref.is_some() {
            return Err(Fail::new(
                Status::Param,
                "password items cannot be added by kSecValueRef on the data protection keychain",
            ));
        }
        check_protection(&q, trace)?;
        if let Some(v) = &q.value_data {
            if !matches!(v, Value::Data(_)) {
                trace.pitfall(found(Id::WrongValueType, format!("kSecValueData is a {}, not CFData.", v.type_name())));
                return Err(Fail::new(Status::Param, format!("kSecValueData must be CFData, not a {}", v.type_name())));
            }
        }
        // 6. The access group: explicit and entitled, or the first of the list.
        let group = self.resolve_group(q.access_group.as_deref(), trace)?;
        // 7. Default protection.
        // (SecDbQuery.c, query_infer_keyclass: certificates default to AlwaysPrivate, the rest to WhenUnlocked.)
        let explicit = q.access_control.as_ref().and_then(|ac| ac.protection_class()).or(q.accessible);
        let protection = match explicit {
            Some(p) => p,
            None if class == Class::Certificate => {
                let (p, choice) = choices::CERTIFICATE_DEFAULT_PROTECTION;
                trace.say(choice.note);
                p
            }
            None => Protection::WhenUnlocked,
        };
        // 8. A persistent reference cannot be added.
        if q.persistent_ref.is_some() {
            return Err(Fail::new(Status::Param, "kSecValuePersistentRef has no place in an add"));
        }
        // 9. Match keys in an add.
        if q.limit.is_some() || !q.match_keys.is_empty() || q.use_item_list {
            trace.pitfall(found(Id::MatchKeysInAdd, "This add dictionary holds match keys, as if built from a query."));
            if self.platform == Platform::Ios {
                trace.say(choices::MATCH_KEYS_IN_IOS_ADD.note);
                return Ok((Json::Null, 0));
            }
            trace.say("macOS strips the match keys before the add");
        }
        // 10. The class key must be available to encrypt the item.
        if protection == Protection::WhenPasscodeSetThisDeviceOnly && !self.device.passcode {
            let (status, choice) = choices::PASSCODE_NOT_SET;
            trace.say(choice.note);
            trace.pitfall(found(
                Id::PasscodeRequired,
                "The device has no passcode, so a WhenPasscodeSetThisDeviceOnly item cannot be created.",
            ));
            return Err(Fail::new(status, "no passcode is set"));
        }
        if !self.device.class_key_available(protection) {
            trace.pitfall(found(
                Id::LockedRead,
                format!("The device is {} and the item's protection class is {protection}.", self.device.lock_phrase()),
            ));
            return Err(Fail::new(
                Status::InteractionNotAllowed,
                format!("the {protection} class key is unavailable while the device is {}", self.device.lock_phrase()),
            ));
        }
        let item = self.build_item(&q, class, Backend::DataProtection, &group, protection, trace)?;
        // 11. Uniqueness.
        let rowid = self.insert_unique(item, trace)?;
        // 12. The result.
        Ok(self.add_result(&q, Row::Item(rowid), false, trace))
    }

    fn add_file(&mut self, dict: &Dict, hint: Option<Class>, trace: &mut Trace) -> Result<(Json, usize), Fail> {
        let q = self.parse_for(dict, Backend::File, hint, trace)?;
        let class = q.class.ok_or_else(|| Fail::new(Status::Param, "the dictionary has no kSecClass"))?;
        if class == Class::Identity {
            return Err(Fail::new(
                Status::Param,
                "kSecClassIdentity with the file-based keychain: add the SecIdentity as kSecValueRef without kSecClass",
            ));
        }
        if !q.ignored.is_empty() {
            self.note_file_ignored(&q, trace);
        }
        if q.limit.is_some() || !q.match_keys.is_empty() {
            trace.say("the shim strips match keys before the add");
        }
        if self.device.locked {
            let (status, choice) = choices::FILE_KEYCHAIN_LOCKED;
            trace.say(choice.note);
            return Err(Fail::new(status, "the login keychain is locked and the add cannot prompt to unlock it"));
        }
        let item = self.build_item(&q, class, Backend::File, "", Protection::WhenUnlocked, trace)?;
        let rowid = self.insert_unique(item, trace)?;
        // The file-based keychain returns the item's reference by default, and an array
        // when the item was added by reference.
        Ok(self.add_result(&q, Row::Item(rowid), q.value_ref.is_some(), trace))
    }

    /// Parses for a backend, raising the pitfalls of a failed parse.
    pub(super) fn parse_for(
        &self,
        dict: &Dict,
        backend: Backend,
        hint: Option<Class>,
        trace: &mut Trace,
    ) -> Result<Query, Fail> {
        let q = query::parse(dict, backend, hint).inspect_err(|fail| {
            if fail.status == Status::NoSuchAttr {
                trace.pitfall(found(Id::ErroneousAttribute, fail.why.clone()));
            } else if fail.status == Status::Param {
                trace.pitfall(found(Id::WrongValueType, fail.why.clone()));
            }
        })?;
        if q.class.is_none() && q.persistent_ref.is_none() {
            return Err(Fail::new(Status::Param, "the dictionary has no kSecClass"));
        }
        Ok(q)
    }

    pub(super) fn note_file_ignored(&self, q: &Query, trace: &mut Trace) {
        let list = q.ignored.join(", ");
        trace.say(format!("the file-based keychain silently ignores {list}"));
        let protection_like = q
            .ignored
            .iter()
            .any(|n| matches!(*n, "kSecAttrAccessible" | "kSecAttrAccessGroup" | "kSecAttrSynchronizable"));
        if protection_like {
            trace.pitfall(found(Id::FileKeychainIgnoresAttributes, format!("Ignored here: {list}.")));
        }
        if q.ignored
            .iter()
            .any(|n| !matches!(*n, "kSecAttrAccessible" | "kSecAttrAccessGroup" | "kSecAttrSynchronizable"))
        {
            trace.pitfall(found(
                Id::ErroneousAttribute,
                format!("{list}: not attributes of this class; the file-based keychain drops them without an error."),
            ));
        }
    }

    /// The access group for an add (or an update's move), checked against the entitlements.
    pub(super) fn resolve_group(&self, explicit: Option<&str>, trace: &mut Trace) -> Result<String, Fail> {
        let groups = self.access_groups();
        match explicit {
            Some(g) if groups.iter().any(|x| x == g) && g != "com.apple.token" => Ok(g.to_string()),
            Some(g) => {
                let prefixed = groups.iter().find(|x| x.split_once('.').is_some_and(|(_, rest)| rest == g));
                let unvalidated_app_group = self.platform.is_macos()
                    && self.app.provisioning_profile == Some(false)
                    && self.app.application_groups.as_ref().is_some_and(|list| list.iter().any(|x| x == g));
                if unvalidated_app_group {
                    trace.pitfall(found(
                        Id::AppGroupNeedsProfile,
                        format!("{g} is an app group, but no provisioning profile validates this Mac app's entitlements, so it is not an access group."),
                    ));
                    return Err(Fail::new(
                        Status::MissingEntitlement,
                        format!("the app is not entitled to the access group {g} (app groups count on macOS only with a provisioning profile)"),
                    ));
                }
                let message = match prefixed {
                    Some(full) => format!("{g} is missing its team prefix: the entitlement is {full}."),
                    None => format!("{g} is not among the app's access groups ({}).", groups.join(", ")),
                };
                trace.pitfall(found(Id::AccessGroupNotEntitled, message));
                Err(Fail::new(Status::MissingEntitlement, format!("the app is not entitled to the access group {g}")))
            }
            None => {
                let first = groups.first().cloned().unwrap_or_default();
                trace.say(format!("no kSecAttrAccessGroup: the item goes to the first access group, {first}"));
                Ok(first)
            }
        }
    }

    fn build_item(
        &self,
        q: &Query,
        class: Class,
        backend: Backend,
        group: &str,
        protection: Protection,
        trace: &mut Trace,
    ) -> Result<Item, Fail> {
        let mut attrs: BTreeMap<&'static str, Value> = BTreeMap::new();
        let mut data = match &q.value_data {
            Some(Value::Data(d)) => Some(d.clone()),
            Some(Value::Str(s)) if backend == Backend::File => Some(s.as_bytes().to_vec()),
            Some(other) => {
                return Err(Fail::new(
                    Status::Param,
                    format!("kSecValueData must be CFData, not a {}", other.type_name()),
                ))
            }
            None => None,
        };
        let mut object = None;
        match &q.value_ref {
            Some(Value::Certificate(c)) if class == Class::Certificate => {
                derive_certificate(&mut attrs, c, backend);
                data = Some(c.der.clone());
                object = Some(ItemObject::Certificate(c.clone()));
            }
            Some(Value::Key(k)) if class == Class::Key => {
                derive_key(&mut attrs, k);
                data = Some(k.data.clone());
                object = Some(ItemObject::Key(k.clone()));
            }
            Some(Value::Certificate(_) | Value::Key(_)) => {
                return Err(Fail::new(Status::Param, format!("the kSecValueRef object does not fit {}", class.name())));
            }
            _ => {}
        }
        if class == Class::Certificate && q.value_ref.is_none() {
            trace.pitfall(found(
                Id::CertificateAddedByData,
                "The certificate has no issuer, serial number or type: it was added as data.",
            ));
        }
        if class == Class::Key && q.value_ref.is_some() && q.attr("klbl").is_some() {
            trace.pitfall(found(
                Id::ApplicationLabelOverride,
                "kSecAttrApplicationLabel replaces the SHA-1 of the public key the system would set.",
            ));
        }
        // Explicit attributes override derived ones.
        for a in &q.attrs {
            attrs.insert(a.column.raw, a.value.clone());
        }
        let mut missing = Vec::new();
        for column in class.primary_key() {
            if matches!(column.raw, "agrp" | "sync" | "tkid") {
                continue;
            }
            if !attrs.contains_key(column.raw) {
                attrs.insert(column.raw, default_value(column));
                if class.is_password() {
                    missing.push(column.name);
                }
            }
        }
        if !missing.is_empty() && class == Class::GenericPassword {
            trace.pitfall(found(
                Id::MissingPrimaryKeyAttribute,
                format!("{} not set: stored as empty.", missing.join(" and ")),
            ));
        }
        if backend == Backend::DataProtection {
            attrs.insert("agrp", Value::Str(group.to_string()));
            attrs.insert("sync", Value::Int(i64::from(q.sync_add.unwrap_or(false))));
            attrs.insert("pdmn", Value::Str(protection.raw().to_string()));
        }
        attrs.insert("cdat", Value::Date(self.now));
        attrs.insert("mdat", Value::Date(self.now));
        Ok(Item {
            rowid: 0,
            class,
            backend,
            attrs,
            data,
            access_control: if backend == Backend::DataProtection { q.access_control.clone() } else { None },
            invalidated: false,
            object,
        })
    }

    /// Inserts unless an item with the same primary key exists.
    pub(super) fn insert_unique(&mut self, item: Item, trace: &mut Trace) -> Result<u64, Fail> {
        if let Some(existing) = self.duplicate_of(&item, None) {
            let other = self.store.get(existing);
            let same_type_note = other.and_then(|o| type_mismatch(o, &item));
            if let Some(note) = same_type_note {
                trace.pitfall(found(Id::StringVsData, note));
            }
            trace.say(format!("an item with the same primary key already exists (row {existing})"));
            return Err(Fail::new(Status::DuplicateItem, "an item with the same primary key exists"));
        }
        let rowid = self.store.insert(item);
        trace.say(format!("stored as row {rowid}"));
        Ok(rowid)
    }

    /// The row that `item` would collide with, ignoring `except`.
    pub(super) fn duplicate_of(&self, item: &Item, except: Option<u64>) -> Option<u64> {
        let key = Store::pk_key(item.backend, item.class, |raw| {
            let column = item.class.column(raw)?;
            item.attrs.get(raw).map(|v| cmp_key(column.stored, v))
        })?;
        // The index narrows to rows with the same user-visible key; the whole constraint decides.
        self.store.rows_with_pk(&key).into_iter().find(|rowid| {
            Some(*rowid) != except && self.store.get(*rowid).is_some_and(|other| same_primary_key(other, item))
        })
    }

    fn add_result(&self, q: &Query, row: Row, array: bool, trace: &mut Trace) -> (Json, usize) {
        if q.returns.any() {
            trace.pitfall(found(Id::ReturnKeysInAdd, format!("The add asks for {}.", q.return_keys.join(", "))));
        }
        let file = self.store.get(row.primary()).is_some_and(|i| i.backend == Backend::File);
        let mut returns = q.returns;
        if file && !returns.any() {
            returns.reference = true;
        }
        if returns.any() {
            let limit = if array { super::Limit::All } else { super::Limit::One };
            return self.shape(&[row], returns, limit, false);
        }
        (Json::Null, 0)
    }

    fn add_identity(
        &mut self,
        dict: &Dict,
        cert: &CertificateObject,
        key: &KeyObject,
        trace: &mut Trace,
    ) -> Result<(Json, usize), Fail> {
        trace.say(
            "a SecIdentity is added as its certificate, then its private key, each with the same extra attributes",
        );
        if dict.has("kSecAttrLabel") {
            trace.pitfall(found(Id::IdentityLabelConfusion, "The label goes to both the certificate and the key."));
        }
        let mut part = |object: Value, class: &str| -> CallOutcome {
            let mut entries: Vec<_> =
                dict.0.iter().filter(|e| !matches!(e.key.name, "kSecValueRef" | "kSecClass")).cloned().collect();
            if let (Some(class_key), Some(ref_key)) = (
                crate::keychain::constants::key_by_name("kSecClass"),
                crate::keychain::constants::key_by_name("kSecValueRef"),
            ) {
                entries.push(crate::keychain::document::Entry { key: class_key, value: Value::Str(class.into()) });
                entries.push(crate::keychain::document::Entry { key: ref_key, value: object });
            }
            self.add(&Dict(entries))
        };
        // explode_identity (OSX/sec/Security/SecItem.m, lines 487-590): the certificate first;
        // errSecDuplicateItem there counts as success, any other failure stops before the key.
        let cert_outcome = part(Value::Certificate(Box::new(cert.clone())), "cert");
        let cert_status = cert_outcome.status;
        let cert_ok = matches!(cert_status, Status::Success | Status::DuplicateItem);
        let key_outcome = cert_ok.then(|| part(Value::Key(Box::new(key.clone())), "keys"));
        for (what, outcome) in [("certificate", Some(&cert_outcome)), ("private key", key_outcome.as_ref())] {
            let Some(outcome) = outcome else {
                trace.say("private key: not added, the certificate's failure stops the identity add");
                continue;
            };
            trace.say(format!("{what}: {}", outcome.status.name()));
            trace.lines.extend(outcome.explanation.iter().map(|l| format!("  {l}")));
            for p in &outcome.pitfalls {
                trace.pitfall(p.clone());
            }
        }
        let Some(key_outcome) = key_outcome else {
            return Err(Fail::new(cert_status, "adding the identity's certificate failed"));
        };
        match (cert_status, key_outcome.status) {
            (Status::DuplicateItem, Status::DuplicateItem) => {
                Err(Fail::new(Status::DuplicateItem, "both the certificate and the key already exist"))
            }
            (_, Status::Success | Status::DuplicateItem) => {
                // The identity's persistent reference is made from the certificate add's result,
                // which exists only when the certificate was new and only a persistent reference
                // was asked for (any other result does not parse as one).
                let returns = query::parse(dict, Backend::DataProtection, Some(Class::Certificate))
                    .map(|q| q.returns)
                    .unwrap_or_default();
                if !(returns.persistent_ref && returns.count() == 1) {
                    return Ok((Json::Null, 0));
                }
                if cert_status == Status::DuplicateItem {
                    trace.say("the certificate was already in the keychain, so its add gave no result: the identity add succeeds with no persistent reference (explode_identity)");
                    return Ok((Json::Null, 0));
                }
                let cert_row = self
                    .store
                    .iter()
                    .filter(|i| i.class == Class::Certificate && i.data.as_deref() == Some(&cert.der[..]))
                    .map(|i| i.rowid)
                    .last();
                match cert_row {
                    Some(cert_row) => Ok((
                        Value::PersistentRef(PersistentRef::Identity { cert: cert_row }.to_string()).to_json(None),
                        1,
                    )),
                    None => Ok((Json::Null, 0)),
                }
            }
            (_, failed) => Err(Fail::new(failed, "adding the identity's private key failed")),
        }
    }
}

/// The checks the client library makes before the daemon sees the dictionary.
pub(super) fn client_checks(dict: &Dict, trace: &mut Trace, call: &str) -> Result<(), Fail> {
    if let Some(v) = dict.get("kSecAttrAccessControl") {
        let Value::AccessControl(ac) = v else {
            trace.pitfall(found(Id::WrongValueType, format!("kSecAttrAccessControl is a {}.", v.type_name())));
            return Err(Fail::new(
                Status::Param,
                format!("kSecAttrAccessControl must be a SecAccessControl, not a {}", v.type_name()),
            ));
        };
        let bits = ac.bits();
        let invalid = if bits & FLAG_OR != 0 && bits & FLAG_AND != 0 {
            Some("kSecAccessControlOr and kSecAccessControlAnd together")
        } else if bits & FLAG_BIOMETRY_ANY != 0 && bits & FLAG_BIOMETRY_CURRENT_SET != 0 {
            Some("BiometryAny and BiometryCurrentSet together")
        } else if bits & FLAG_USER_PRESENCE != 0
            && ac.has_constraints()
            && ac.bits() & !FLAG_USER_PRESENCE & !(FLAG_OR | FLAG_AND | (1 << 30) | (1 << 31)) != 0
        {
            Some("UserPresence with another constraint")
        } else if ac.protection_class().is_none() {
            Some("an unknown protection class")
        } else {
            None
        };
        if let Some(why) = invalid {
            trace.pitfall(found(
                Id::InvalidAccessControl,
                format!("SecAccessControlCreateWithFlags returns NULL for {why}."),
            ));
            return Err(Fail::new(Status::Param, format!("the access control is invalid: {why}")));
        }
        if dict.get("kSecAttrSynchronizable") == Some(&Value::Bool(true)) {
            trace.pitfall(found(
                Id::AccessControlWithSynchronizable,
                "kSecAttrAccessControl with kSecAttrSynchronizable = true.",
            ));
            return Err(Fail::new(Status::Param, "an access-controlled item cannot be synchronizable"));
        }
    }
    if let Some(Value::Str(s)) = dict.get("kSecUseAuthenticationUI") {
        if s == "u_AuthUIS" {
            trace.pitfall(found(Id::AuthUiSkipOutsideCopy, format!("kSecUseAuthenticationUISkip in {call}.")));
            return Err(Fail::new(
                Status::Param,
                format!("kSecUseAuthenticationUISkip is only allowed in SecItemCopyMatching, not {call}"),
            ));
        }
    }
    Ok(())
}

/// kSecAttrAccessible and kSecAttrAccessControl together are refused.
pub(super) fn check_protection(q: &Query, trace: &mut Trace) -> Result<(), Fail> {
    if q.accessible.is_some() && q.access_control.is_some() {
        trace.pitfall(found(
            Id::AccessibleWithAccessControl,
            "Both kSecAttrAccessible and kSecAttrAccessControl are set.",
        ));
        return Err(Fail::new(Status::Param, "kSecAttrAccessible and kSecAttrAccessControl together"));
    }
    Ok(())
}

fn class_of_ref(v: Option<&Value>) -> Option<Class> {
    match v {
        Some(Value::Certificate(_)) => Some(Class::Certificate),
        Some(Value::Key(_)) => Some(Class::Key),
        Some(Value::Identity(..)) => Some(Class::Identity),
        _ => None,
    }
}

fn type_mismatch(existing: &Item, new: &Item) -> Option<String> {
    existing.class.user_primary_key().iter().find_map(|c| {
        let (a, b) = (existing.attrs.get(c.raw)?, new.attrs.get(c.raw)?);
        let differs = matches!((a, b), (Value::Str(_), Value::Data(_)) | (Value::Data(_), Value::Str(_)));
        differs.then(|| {
            format!(
                "{} is stored as a {} and given as a {}: the bytes are equal, so they collide.",
                c.name,
                a.type_name(),
                b.type_name()
            )
        })
    })
}

pub(super) fn derive_certificate(attrs: &mut BTreeMap<&'static str, Value>, c: &CertificateObject, backend: Backend) {
    attrs.insert("ctyp", Value::Int(c.certificate_type));
    attrs.insert("cenc", Value::Int(3));
    attrs.insert("subj", Value::Data(c.subject_content.clone()));
    let issuer = if backend == Backend::File { c.issuer_der.clone() } else { c.issuer_content.clone() };
    attrs.insert("issr", Value::Data(issuer));
    attrs.insert("slnr", Value::Data(c.serial.clone()));
    if let Some(skid) = &c.subject_key_id {
        attrs.insert("skid", Value::Data(skid.clone()));
    }
    attrs.insert("pkhh", Value::Data(c.public_key_hash.clone()));
    attrs.insert("labl", Value::Str(c.summary.clone()));
}

pub(super) fn derive_key(attrs: &mut BTreeMap<&'static str, Value>, k: &KeyObject) {
    let private = k.private;
    attrs.insert("kcls", Value::Int(i64::from(private)));
    attrs.insert("klbl", Value::Data(k.application_label()));
    attrs.insert("type", Value::Int(if k.key_type_raw() == "73" { 73 } else { 42 }));
    attrs.insert("bsiz", Value::Int(k.size_bits));
    attrs.insert("esiz", Value::Int(k.size_bits));
    attrs.insert("perm", Value::Int(1));
    attrs.insert("sens", Value::Int(0));
    attrs.insert("extr", Value::Int(1));
    for (raw, for_private) in
        [("decr", true), ("sign", true), ("unwp", true), ("encr", false), ("vrfy", false), ("wrap", false)]
    {
        attrs.insert(raw, Value::Int(i64::from(for_private == private)));
    }
    attrs.insert("drve", Value::Int(1));
}

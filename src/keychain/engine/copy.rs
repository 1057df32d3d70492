//! SecItemCopyMatching.

use super::matching::{Row, Widen};
use super::query::{Fail, Limit, Query};
use super::{CallOutcome, Keychain, Trace};
use crate::keychain::choices;
use crate::keychain::document::{Dict, Platform};
use crate::keychain::objects::{CertificateObject, KeyObject};
use crate::keychain::pitfalls::{found, Id};
use crate::keychain::pref::PersistentRef;
use crate::keychain::schema::Class;
use crate::keychain::store::Backend;
use crate::keychain::value::Value;
use crate::status::Status;
use serde_json::Value as Json;

impl Keychain {
    /// `SecItemCopyMatching(query, &result)`.
    pub fn copy_matching(&mut self, dict: &Dict) -> CallOutcome {
        self.copy_matching_as(dict, Trace::default())
    }

    /// `SecItemCopyMatching` for a caller that needs the status, count, pitfalls and
    /// explanation but not the result, without building it: the result is a stand-in, an
    /// empty array where the call returns several items, `true` where it returns one, null
    /// where it returns nothing (as for [`Keychain::copy_matching`]). Everything else is as
    /// `copy_matching` answers (`counting_gives_the_whole_call_without_its_result`).
    pub fn count_matching(&mut self, dict: &Dict) -> CallOutcome {
        self.copy_matching_as(dict, Trace { counting: true, ..Trace::default() })
    }

    fn copy_matching_as(&mut self, dict: &Dict, mut trace: Trace) -> CallOutcome {
        let mut answer = self.copy_inner(dict, &mut trace);
        if let (true, Ok((result, _))) = (trace.counting, &mut answer) {
            // Most of a counted copy's result was never built (`shape`); what was is replaced.
            *result = match result {
                Json::Array(_) => Json::Array(Vec::new()),
                Json::Null => Json::Null,
                _ => Json::Bool(true),
            };
        }
        if let Err(fail) = &answer {
            if fail.status == Status::ItemNotFound {
                self.remember_not_found(dict);
            }
        }
        super::finish(answer, trace)
    }

    fn copy_inner(&mut self, dict: &Dict, trace: &mut Trace) -> Result<(Json, usize), Fail> {
        let backends = self.route(dict, false);
        self.fan_out(&backends, trace, |kc, backend, t| kc.copy_on(dict, backend, t), merge_results)
    }

    fn copy_on(&mut self, dict: &Dict, backend: Backend, trace: &mut Trace) -> Result<(Json, usize), Fail> {
        let groups = self.access_groups();
        if backend == Backend::DataProtection && groups.is_empty() {
            trace.pitfall(found(Id::NoEntitlements, "The app has no keychain access group."));
            // SecTaskCopyAccessGroups adds the implicit token group unless an application
            // identifier was dropped for want of a provisioning profile ("entitlementsFailure").
            let entitlements_failure = self.app.application_identifier.is_some();
            if self.platform.is_macos() && entitlements_failure {
                trace.pitfall(found(
                    Id::AppGroupNeedsProfile,
                    "No provisioning profile validates this Mac app's entitlements: its application identifier and app groups are ignored.",
                ));
            } else if self.platform.is_macos() {
                trace.say("on macOS an entitlement-less process can still search the token group, so the search finds nothing");
                return Err(Fail::new(Status::ItemNotFound, "no access group to search"));
            }
            return Err(Fail::new(Status::MissingEntitlement, "the app has no keychain access group at all"));
        }
        if let (Backend::DataProtection, Some(Value::Identity(cert, key))) = (backend, dict.get("kSecValueRef")) {
            return self.copy_identity_by_ref(dict, cert, key, trace);
        }
        let mut q = self.parse_for(dict, backend, self.lookup_class_hint(dict, backend), trace)?;
        self.refs_prologue(&mut q, backend, trace)?;
        if backend == Backend::File && !q.ignored.is_empty() {
            self.note_file_ignored(&q, trace);
        }
        if let Some(g) = q.access_group.as_deref() {
            if backend == Backend::DataProtection && !groups.iter().any(|x| x == g) {
                self.resolve_group(Some(g), trace)?;
            }
        }
        let class = q.class.unwrap_or(Class::GenericPassword);
        if backend == Backend::DataProtection {
            if q.use_item_list {
                return Err(Fail::new(
                    Status::Param,
                    "kSecUseItemList is not supported by the data protection keychain",
                ));
            }
            let cert_like = matches!(class, Class::Certificate | Class::Identity);
            if !cert_like && q.match_keys.iter().any(|k| matches!(*k, "kSecMatchIssuers" | "kSecMatchPolicy")) {
                return Err(Fail::new(
                    Status::Unimplemented,
                    "kSecMatchIssuers and kSecMatchPolicy apply to certificates and identities only",
                ));
            }
            if class != Class::InternetPassword && q.match_keys.contains(&"kSecMatchHostOrSubdomainOfHost") {
                return Err(Fail::new(
                    Status::Unimplemented,
                    "kSecMatchHostOrSubdomainOfHost applies to internet passwords only",
                ));
            }
            super::modify::persistent_ref_alone(dict, &q, trace)?;
        }
        self.copy_pitfalls(&q, trace);
        let mut returns = q.returns;
        if backend == Backend::File && !returns.any() {
            trace.say("with no return keys the file-based keychain returns the item's reference");
            returns.reference = true;
        }
        let limit = q.limit.unwrap_or(Limit::One);
        if backend == Backend::File && class.is_password() && returns.data && limit == Limit::All {
            trace.pitfall(found(
                Id::ReturnDataLimitAllFile,
                "kSecReturnData with kSecMatchLimitAll on a password class.",
            ));
            return Err(Fail::new(
                Status::Param,
                "the file-based keychain does not return password data for several items at once",
            ));
        }
        if backend == Backend::DataProtection && class.is_password() && returns.data && limit == Limit::All {
            trace.say(choices::RETURN_DATA_LIMIT_ALL_DP.note);
        }
        let matches = self.select(&q, backend, Widen::default());
        trace.say(format!("{} item(s) match in the {}", matches.len(), backend.name()));
        let mut chosen: Vec<Row> = Vec::new();
        for row in &matches {
            if chosen.len() >= limit.max() {
                break;
            }
            let Some(item) = self.store.get(row.primary()) else { continue };
            if backend == Backend::File {
                if self.device.locked && returns.data {
                    let (status, choice) = choices::FILE_KEYCHAIN_LOCKED;
                    trace.say("the login keychain is locked: the item is found, but reading its data needs the keychain unlocked");
                    trace.say(choice.note);
                    return Err(Fail::new(
                        status,
                        "the keychain is locked and the data cannot be read without a prompt",
                    ));
                }
            } else if !self.rows_readable(*row) {
                let item = item.clone();
                self.history.unreadable_while_locked.push(item.rowid);
                if let Some(class) = q.class {
                    self.history.locked_read_queries.push((class, fingerprint(&q)));
                }
                trace.pitfall(self.locked_read(&item));
                trace.say("the item exists; it just cannot be decrypted now (a delete or a fresh add after this answer would lose it)");
                return Err(Fail::new(
                    Status::InteractionNotAllowed,
                    format!(
                        "the item's {} class key is unavailable while the device is {}",
                        item.protection(),
                        self.device.lock_phrase()
                    ),
                ));
            }
            let readable = match *row {
                Row::Identity { key, .. } => self.store.get(key).map_or(Ok(true), |k| self.authenticate(k, &q, trace)),
                Row::Item(_) => self.authenticate(item, &q, trace),
            }?;
            if readable {
                chosen.push(*row);
            }
        }
        if chosen.is_empty() {
            if !matches.is_empty() {
                trace.say("every matching item needs authentication and was skipped");
            }
            self.explain_not_found(&q, backend, trace);
            return Err(Fail::new(Status::ItemNotFound, "no item matched"));
        }
        if limit.single() && matches.len() > 1 {
            trace.pitfall(found(
                Id::SingleResultOfMany,
                format!("{} items match; the result holds the first.", matches.len()),
            ));
        }
        if returns.reference && returns.count() == 1 && class.is_password() && self.platform == Platform::Ios {
            trace.pitfall(found(Id::ReturnRefOnPassword, "iOS has no object to return for a password item."));
        }
        Ok(self.shape(&chosen, returns, limit, trace.counting))
    }

    /// explode_identity (SecItem.m) for a copy: the certificate by reference, then (if it
    /// was found or not) the private key by reference. The status is the key's; the only
    /// result is an identity persistent reference, made from the certificate's.
    fn copy_identity_by_ref(
        &mut self,
        dict: &Dict,
        cert: &CertificateObject,
        key: &KeyObject,
        trace: &mut Trace,
    ) -> Result<(Json, usize), Fail> {
        trace.say("a SecIdentity in kSecValueRef is split by the client: the certificate is looked up by reference, then the private key");
        let (cert_dict, key_dict) = super::refs::identity_parts(dict, cert, key);
        let mut sub = Trace::default();
        let cert_answer = self.copy_on(&cert_dict, Backend::DataProtection, &mut sub);
        let cert_status = cert_answer.as_ref().err().map_or(Status::Success, |f| f.status);
        trace.lines.extend(sub.lines.drain(..).map(|l| format!("certificate: {l}")));
        if !matches!(cert_status, Status::Success | Status::ItemNotFound) {
            sub.pitfalls.drain(..).for_each(|p| trace.pitfall(p));
            return cert_answer;
        }
        let key_answer = self.copy_on(&key_dict, Backend::DataProtection, &mut sub);
        trace.lines.extend(sub.lines.drain(..).map(|l| format!("private key: {l}")));
        sub.pitfalls.drain(..).for_each(|p| trace.pitfall(p));
        key_answer?;
        let pref = cert_answer.ok().and_then(|(json, _)| {
            json.get("persistentRef").and_then(|p| p.as_str()).and_then(PersistentRef::parse).and_then(|r| match r {
                PersistentRef::Item { class: Class::Certificate, row } => Some(row),
                _ => None,
            })
        });
        match pref {
            Some(row) => {
                trace.say("the certificate's persistent reference becomes the identity's");
                Ok((Value::PersistentRef(PersistentRef::Identity { cert: row }.to_string()).to_json(None), 1))
            }
            None => {
                trace.say("only kSecReturnPersistentRef gives a result for a SecIdentity in kSecValueRef (explode_identity keeps nothing else): the call succeeds with no result");
                Ok((Json::Null, 0))
            }
        }
    }

    /// What every lookup does with references before matching: the data protection
    /// keychain expands kSecValueRef and ignores kSecMatchItemList; the file-based keychain
    /// looks referenced items up directly.
    pub(super) fn refs_prologue(&self, q: &mut Query, backend: Backend, trace: &mut Trace) -> Result<(), Fail> {
        match backend {
            Backend::DataProtection => {
                self.item_ref_to_persistent_ref(q, trace)?;
                self.expand_value_ref(q, trace)?;
                if q.match_value("kSecMatchItemList").is_some() {
                    trace.pitfall(found(Id::ItemListIgnored, "kSecMatchItemList does not restrict this query."));
                    trace.say("the data protection keychain records kSecMatchItemList and never reads it (SecDbQuery.c, query_add_match)");
                }
            }
            Backend::File => {
                if self.file_ref_candidates(q).is_some() && q.has_attributes() {
                    trace.say("the file-based keychain fetches the referenced item itself and ignores the query's attributes (SecItemSearchCopyNext, FilterCandidateItem)");
                }
            }
        }
        Ok(())
    }

    /// Whether a row's key material is available (both halves of an identity).
    pub(super) fn rows_readable(&self, row: Row) -> bool {
        let rows = match row {
            Row::Item(r) => vec![r],
            Row::Identity { cert, key } => vec![cert, key],
        };
        rows.iter()
            .filter_map(|r| self.store.get(*r))
            .all(|i| i.backend == Backend::File || self.device.class_key_available(i.protection()))
    }

    fn copy_pitfalls(&self, q: &Query, trace: &mut Trace) {
        super::modify::query_pitfalls(q, trace);
        if q.value_data.is_some() {
            trace.pitfall(found(Id::ValueDataInQuery, "kSecValueData is in the query and has no effect."));
        }
    }

    /// After errSecItemNotFound: would the item have been found in another group, or
    /// with kSecAttrSynchronizableAny?
    pub(super) fn explain_not_found(&self, q: &Query, backend: Backend, trace: &mut Trace) {
        if backend != Backend::DataProtection {
            return;
        }
        let visible = self.access_groups();
        let hidden: Vec<String> = self
            .select(q, backend, Widen { all_groups: true, any_sync: false })
            .iter()
            .filter_map(|r| self.store.get(r.primary()))
            .map(|i| i.access_group().to_string())
            .filter(|g| !visible.contains(g))
            .collect();
        if !hidden.is_empty() {
            trace.pitfall(found(
                Id::LostItemsGroup,
                format!("A matching item exists in {}, which the app can no longer see.", hidden.join(", ")),
            ));
        }
        let synced = self
            .select(q, backend, Widen { all_groups: false, any_sync: true })
            .iter()
            .filter_map(|r| self.store.get(r.primary()))
            .any(|i| i.synchronizable());
        if q.sync.is_none() && synced {
            trace.pitfall(found(
                Id::SynchronizableInvisible,
                "A synchronizable item matches, but the query lacks kSecAttrSynchronizable.",
            ));
        }
        if q.attrs.iter().any(|a| !a.column.pk) || q.accessible.is_some() {
            let pk_only = Query {
                attrs: q.attrs.iter().filter(|a| a.column.pk).cloned().collect(),
                accessible: None,
                ..q.clone()
            };
            if !self.select(&pk_only, backend, Widen::default()).is_empty() {
                trace.say("an item with the same primary-key attributes exists: the other attributes in the query filtered it out");
            }
        }
    }

    fn remember_not_found(&mut self, dict: &Dict) {
        if let Ok(q) = super::query::parse(dict, Backend::DataProtection, None) {
            if let Some(class) = q.class {
                self.history.not_found_queries.push((class, fingerprint(&q)));
            }
        }
    }
}

/// Two successful copies through the shim (SecItemMergeResults): arrays are folded (data
/// protection first); otherwise the data protection keychain's single result wins unless it
/// had nothing to return. The counts are added, not taken from the arrays, so that a counting
/// call's stand-ins merge alike.
fn merge_results(dp: (Json, usize), fb: (Json, usize)) -> (Json, usize) {
    match (dp, fb) {
        ((Json::Array(mut a), m), (Json::Array(b), n)) => {
            a.extend(b);
            (Json::Array(a), m + n)
        }
        ((_, 0), fb) => fb,
        (dp, _) => dp,
    }
}

/// The primary-key attributes of a query, as comparable text.
pub fn fingerprint(q: &Query) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = q
        .attrs
        .iter()
        .filter(|a| a.column.pk)
        .map(|a| {
            (a.column.raw.to_string(), format!("{:?}", crate::keychain::store::cmp_key(a.column.stored, &a.value)))
        })
        .collect();
    v.sort();
    v
}

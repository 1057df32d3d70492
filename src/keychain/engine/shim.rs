//! The macOS shim between SecItem and the two keychains: which keychain a call goes to
//! (`SecItemCategorizeQuery`) and how the two answers become one (`SecItemMergeResults`),
//! both in OSX/libsecurity_keychain/lib/SecItem.cpp. Copy, update and delete share the one
//! fan-out below.

use super::query::Fail;
use super::{Keychain, Trace};
use crate::keychain::document::{Dict, Platform};
use crate::keychain::pref::PersistentRef;
use crate::keychain::store::Backend;
use crate::keychain::value::Value;
use crate::status::Status;

/// Keys whose presence makes a query file-based only (`osx_only_items` in SecItemCategorizeQuery).
const FILE_ONLY_KEYS: [&str; 13] = [
    "kSecMatchItemList",
    "kSecMatchSearchList",
    "kSecMatchSubjectStartsWith",
    "kSecMatchSubjectEndsWith",
    "kSecMatchSubjectWholeString",
    "kSecMatchDiacriticInsensitive",
    "kSecMatchWidthInsensitive",
    "kSecUseItemList",
    "kSecUseKeychain",
    "kSecAttrAccess",
    "kSecAttrPRF",
    "kSecAttrSalt",
    "kSecAttrRounds",
];

impl Keychain {
    /// Which keychain a call goes to on this platform: iOS and `macos` use the data
    /// protection keychain; `macos-file` routes like the shim (SecItemCategorizeQuery).
    pub fn route(&self, dict: &Dict, is_add: bool) -> Vec<Backend> {
        let use_dp = match dict.get("kSecUseDataProtectionKeychain") {
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::Int(i)) => Some(*i != 0),
            _ => None,
        };
        match self.platform {
            Platform::Ios => vec![Backend::DataProtection],
            Platform::Macos => match use_dp {
                Some(false) => vec![Backend::File],
                _ => vec![Backend::DataProtection],
            },
            Platform::MacosFile => {
                match use_dp {
                    Some(true) => return vec![Backend::DataProtection],
                    Some(false) => return vec![Backend::File],
                    None => {}
                }
                let (mut dp, mut fb) = (true, true);
                match dict.get("kSecValueRef") {
                    // A SecKey made by SecKeyCreateWithData is a modern key: data protection only.
                    Some(Value::Key(_)) => fb = false,
                    // A SecKeychainItem reaches the data protection keychain only with its persistent ref.
                    Some(Value::ItemRef(p)) => {
                        let in_dp =
                            self.store.by_persistent_ref(p).is_some_and(|i| i.backend == Backend::DataProtection);
                        dp &= in_dp;
                        fb &= !in_dp;
                    }
                    _ => {}
                }
                let sync_true = matches!(dict.get("kSecAttrSynchronizable"), Some(Value::Bool(true) | Value::Int(1)));
                let token_group = dict.get("kSecAttrAccessGroup").and_then(Value::as_str) == Some("com.apple.token");
                if dict.has("kSecAttrAccessControl") || dict.has("kSecAttrTokenID") || token_group || sync_true {
                    fb = false;
                }
                // A data-protection-format persistent reference goes there only; any other to the file-based keychain.
                if let Some(Value::PersistentRef(p)) = dict.get("kSecValuePersistentRef") {
                    // An identity's persistent reference names its certificate's row.
                    let named = match PersistentRef::parse(p).and_then(PersistentRef::identity_cert) {
                        Some(cert) => self.store.get(cert),
                        None => self.store.by_persistent_ref(p),
                    };
                    let in_fb = named.is_some_and(|i| i.backend == Backend::File);
                    fb &= in_fb;
                    dp &= !in_fb;
                }
                if FILE_ONLY_KEYS.iter().any(|k| dict.has(k)) {
                    dp = false;
                }
                if !dict.has("kSecClass") && !dict.has("kSecValuePersistentRef") && !dict.has("kSecValueRef") {
                    dp = false;
                }
                match (dp, fb) {
                    (true, true) if is_add => vec![Backend::File],
                    (true, true) => vec![Backend::DataProtection, Backend::File],
                    (true, false) => vec![Backend::DataProtection],
                    (false, true) => vec![Backend::File],
                    (false, false) => Vec::new(),
                }
            }
        }
    }

    /// Runs a call on each keychain it targets and merges the answers as the shim does.
    /// With two keychains each keychain's reasoning is shown under its name.
    pub(super) fn fan_out<T>(
        &mut self,
        backends: &[Backend],
        trace: &mut Trace,
        mut run: impl FnMut(&mut Keychain, Backend, &mut Trace) -> Result<T, Fail>,
        combine: impl FnOnce(T, T) -> T,
    ) -> Result<T, Fail> {
        match backends {
            [] => Err(Fail::new(Status::Param, "the query can target neither keychain (SecItemCategorizeQuery)")),
            [one] => run(self, *one, trace),
            [first, second, ..] => {
                trace.say("without kSecUseDataProtectionKeychain the shim sends the call to both keychains and merges the answers");
                let mut answers = Vec::with_capacity(2);
                for backend in [*first, *second] {
                    let mut sub = Trace { counting: trace.counting, ..Trace::default() };
                    let answer = run(self, backend, &mut sub);
                    trace.lines.extend(sub.lines.into_iter().map(|l| format!("{}: {l}", backend.name())));
                    for p in sub.pitfalls {
                        trace.pitfall(p);
                    }
                    answers.push(answer);
                }
                let fb = answers.pop().unwrap_or_else(|| Err(Fail::new(Status::ItemNotFound, "no answer")));
                let dp = answers.pop().unwrap_or_else(|| Err(Fail::new(Status::ItemNotFound, "no answer")));
                merge(dp, fb, combine, trace)
            }
        }
    }
}

/// `SecItemMergeResults` for a call that targeted both keychains: a data protection
/// failure (any status, errSecMissingEntitlement included) leaves the file-based answer,
/// whatever it is; a file-based failure after a data protection success is dropped; two
/// successes are combined.
fn merge<T>(
    dp: Result<T, Fail>,
    fb: Result<T, Fail>,
    combine: impl FnOnce(T, T) -> T,
    trace: &mut Trace,
) -> Result<T, Fail> {
    match (dp, fb) {
        (Ok(a), Ok(b)) => Ok(combine(a, b)),
        (Ok(a), Err(_)) => {
            trace.say(
                "the shim keeps the data protection keychain's success and drops the file-based keychain's failure",
            );
            Ok(a)
        }
        (Err(dp), fb) => {
            let fb_status = fb.as_ref().err().map_or(Status::Success, |f| f.status);
            trace.say(format!(
                "the data protection keychain failed with {} and the file-based keychain answered {}: the shim returns the file-based keychain's answer (SecItemMergeResults)",
                dp.status.name(),
                fb_status.name()
            ));
            if dp.status == Status::InteractionNotAllowed && fb_status == Status::ItemNotFound {
                trace.say("so a locked data protection item reads as missing through the shim (r. 143405965): errSecItemNotFound here does not mean the item is gone");
            }
            fb
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(s: Status) -> Result<usize, Fail> {
        Err(Fail::new(s, "x"))
    }

    #[test]
    fn merge_follows_sec_item_merge_results() {
        let mut t = Trace::default();
        let sum = |a: usize, b: usize| a + b;
        assert_eq!(merge(Ok(1), Ok(2), sum, &mut t), Ok(3));
        assert_eq!(merge(Ok(1), fail(Status::AuthFailed), sum, &mut t), Ok(1));
        assert_eq!(merge(fail(Status::MissingEntitlement), Ok(2), sum, &mut t), Ok(2));
        let locked = merge(fail(Status::InteractionNotAllowed), fail(Status::ItemNotFound), sum, &mut t);
        assert_eq!(locked.map_err(|f| f.status), Err(Status::ItemNotFound));
        let both = merge(fail(Status::ItemNotFound), fail(Status::AuthFailed), sum, &mut t);
        assert_eq!(both.map_err(|f| f.status), Err(Status::AuthFailed));
        assert!(t.lines.iter().any(|l| l.contains("143405965")));
    }
}

#![no_main]
//! Structure-aware keychain fuzzing: `arbitrary` builds well-formed keychain documents from a
//! small vocabulary (so that calls collide), runs them through the engine step by step and as
//! a whole document, and checks the engine's invariants after every step:
//! - nothing panics, and a well-formed document is always understood (never exit 2);
//! - the uniqueness constraint is never violated: no two items of a class in one keychain
//!   share their primary key;
//! - persistent references are stable: an update keeps every item's rowid, class and
//!   persistent reference, and each reference finds its item;
//! - the whole-document run gives the same statuses as the step-by-step one.
use arbitrary::Arbitrary;
use keyplay::keychain::document::{App, DevicePatch, Dict, Platform};
use keyplay::keychain::engine::{Device, Keychain};
use keyplay::keychain::store::{cmp_key, default_value, Backend, Cmp};
use keyplay::Instant;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Class {
    Generic,
    Internet,
    Key,
}

#[derive(Arbitrary, Debug, Clone)]
struct Attrs {
    class: Option<Class>,
    service: Option<u8>,
    account: Option<u8>,
    server: Option<u8>,
    group: Option<u8>,
    sync: Option<u8>,
    accessible: Option<u8>,
    label: Option<u8>,
    data: Option<u8>,
    application_tag: Option<u8>,
    file_keychain: Option<bool>,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct Returns {
    data: bool,
    attributes: bool,
    persistent_ref: bool,
    all: bool,
}

#[derive(Arbitrary, Debug, Clone)]
enum Op {
    Add(Attrs),
    Copy(Attrs, Returns),
    Update(Attrs, Attrs),
    Delete(Attrs),
    Lock(bool),
    Reboot,
}

#[derive(Arbitrary, Debug)]
struct Doc {
    platform: u8,
    ops: Vec<Op>,
}

const GROUPS: [&str; 3] = ["TEAMID1234.com.example.app", "TEAMID1234.shared", "OTHER12345.elsewhere"];
const ACCESSIBLE: [&str; 4] = [
    "kSecAttrAccessibleWhenUnlocked",
    "kSecAttrAccessibleAfterFirstUnlock",
    "kSecAttrAccessibleWhenUnlockedThisDeviceOnly",
    "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly",
];

fn dict(a: &Attrs, with_class: bool) -> Value {
    let mut m = Map::new();
    if with_class {
        let class = match a.class {
            Some(Class::Generic) | None => "kSecClassGenericPassword",
            Some(Class::Internet) => "kSecClassInternetPassword",
            Some(Class::Key) => "kSecClassKey",
        };
        m.insert("kSecClass".into(), json!(class));
    }
    let small = |n: u8| format!("v{}", n % 3);
    if let Some(n) = a.service {
        m.insert("kSecAttrService".into(), json!(small(n)));
    }
    if let Some(n) = a.account {
        m.insert("kSecAttrAccount".into(), json!(small(n)));
    }
    if let Some(n) = a.server {
        m.insert("kSecAttrServer".into(), json!(format!("s{}.example.com", n % 2)));
    }
    if let Some(n) = a.group {
        m.insert("kSecAttrAccessGroup".into(), json!(GROUPS[usize::from(n) % GROUPS.len()]));
    }
    if let Some(n) = a.sync {
        let v = match n % 3 {
            0 => json!(true),
            1 => json!(false),
            _ => json!("kSecAttrSynchronizableAny"),
        };
        m.insert("kSecAttrSynchronizable".into(), v);
    }
    if let Some(n) = a.accessible {
        m.insert("kSecAttrAccessible".into(), json!(ACCESSIBLE[usize::from(n) % ACCESSIBLE.len()]));
    }
    if let Some(n) = a.label {
        m.insert("kSecAttrLabel".into(), json!(small(n)));
    }
    if let Some(n) = a.data {
        m.insert("kSecValueData".into(), json!({"utf8": small(n)}));
    }
    if let Some(n) = a.application_tag {
        m.insert("kSecAttrApplicationTag".into(), json!({"utf8": small(n)}));
    }
    if a.file_keychain == Some(false) {
        m.insert("kSecUseDataProtectionKeychain".into(), json!(true));
    }
    Value::Object(m)
}

fn step(op: &Op) -> Value {
    match op {
        Op::Add(a) => json!({"SecItemAdd": dict(a, true)}),
        Op::Copy(a, r) => {
            let mut q = dict(a, true);
            q["kSecReturnData"] = json!(r.data);
            q["kSecReturnAttributes"] = json!(r.attributes);
            q["kSecReturnPersistentRef"] = json!(r.persistent_ref);
            if r.all {
                q["kSecMatchLimit"] = json!("kSecMatchLimitAll");
            }
            json!({"SecItemCopyMatching": q})
        }
        Op::Update(q, a) => json!({"SecItemUpdate": {"query": dict(q, true), "attributes": dict(a, false)}}),
        Op::Delete(a) => json!({"SecItemDelete": dict(a, true)}),
        Op::Lock(locked) => json!({"device": {"locked": locked}}),
        Op::Reboot => json!({"reboot": {}}),
    }
}

fn parse(v: &Value) -> Option<Dict> {
    Dict::from_json(v, "").ok()
}

/// Panics when two items of one class in one keychain share their primary key.
fn assert_unique(kc: &Keychain, after: &Value) {
    let mut seen: HashSet<(Backend, &'static str, Vec<Cmp>)> = HashSet::new();
    for item in kc.store.iter() {
        let columns = match item.backend {
            Backend::DataProtection => item.class.primary_key(),
            Backend::File => item.class.file_primary_key(),
        };
        let key: Vec<Cmp> = columns
            .iter()
            .map(|c| cmp_key(c.stored, &item.attrs.get(c.raw).cloned().unwrap_or_else(|| default_value(c))).into_owned())
            .collect();
        assert!(
            seen.insert((item.backend, item.class.raw(), key)),
            "uniqueness violated by item {} after {after}",
            item.persistent_ref()
        );
        assert_eq!(kc.store.by_persistent_ref(&item.persistent_ref()).map(|i| i.rowid), Some(item.rowid));
    }
}

fn refs(kc: &Keychain) -> BTreeMap<u64, (String, &'static str)> {
    kc.store.iter().map(|i| (i.rowid, (i.persistent_ref(), i.class.raw()))).collect()
}

fuzz_target!(|doc: Doc| {
    let platform = Platform::ALL[usize::from(doc.platform) % 3];
    let ops: Vec<&Op> = doc.ops.iter().take(64).collect();
    let app = App {
        application_identifier: Some(GROUPS[0].into()),
        keychain_access_groups: Some(vec![GROUPS[1].into()]),
        application_groups: None,
        provisioning_profile: None,
    };
    let mut kc = Keychain::new(platform, app.clone(), Device::from_patch(&DevicePatch::default()), Instant(0));
    let mut statuses = Vec::new();
    let steps: Vec<Value> = ops.iter().map(|op| step(op)).collect();
    for (op, step) in ops.iter().zip(&steps) {
        let status = match op {
            Op::Add(a) => parse(&dict(a, true)).map(|d| kc.add(&d).status),
            Op::Copy(..) => parse(&step["SecItemCopyMatching"]).map(|d| kc.copy_matching(&d).status),
            Op::Update(q, a) => {
                let before = refs(&kc);
                let out = match (parse(&dict(q, true)), parse(&dict(a, false))) {
                    (Some(q), Some(a)) => Some(kc.update(&q, &a).status),
                    _ => None,
                };
                assert_eq!(refs(&kc), before, "an update keeps every item and its persistent reference: {step}");
                out
            }
            Op::Delete(a) => parse(&dict(a, true)).map(|d| kc.delete(&d).status),
            Op::Lock(locked) => {
                kc.device_event(&DevicePatch { locked: Some(*locked), ..DevicePatch::default() });
                None
            }
            Op::Reboot => {
                kc.device.locked = true;
                kc.device.unlocked_since_boot = false;
                None
            }
        };
        statuses.push(status.map(|s| s.name()));
        assert_unique(&kc, step);
    }
    let text = json!({"keyplay": 1, "kind": "keychain", "platform": platform.name(),
        "app": {"application-identifier": GROUPS[0], "keychain-access-groups": [GROUPS[1]]}, "steps": steps})
    .to_string();
    let out = keyplay::run_text(&text, Instant(0)).printed();
    assert_ne!(out.exit, 2, "a well-formed document is understood: {}", out.report);
    let reported: Vec<Option<&str>> =
        out.report["steps"].as_array().map(|s| s.iter().map(|s| s["status"].as_str()).collect()).unwrap_or_default();
    for (direct, whole) in statuses.iter().zip(&reported) {
        if let Some(direct) = direct {
            assert_eq!(Some(*direct), *whole, "step-by-step and whole-document runs agree");
        }
    }
});

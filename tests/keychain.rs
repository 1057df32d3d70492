//! The keychain engine, tested through documents with expected results. Runs natively
//! and in headless browsers (wasm-bindgen-test); property tests run natively.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::report::Printed;
use keyplay::Instant;
use serde_json::{json, Value};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

const NOW: Instant = Instant(1_767_225_600); // 2026-01-01T00:00:00Z

fn run(doc: &Value) -> (Value, u8) {
    let out = run_text(&doc.to_string(), NOW);
    (out.report, out.exit)
}

fn statuses(report: &Value) -> Vec<String> {
    report["steps"]
        .as_array()
        .map(|steps| steps.iter().filter_map(|s| s["status"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The text of a shipped keychain example, by file name.
fn example_text(name: &str) -> &'static str {
    keyplay::gallery::of_kind("keychain").find(|(n, _)| *n == name).map_or("{}", |(_, text)| text)
}

fn keychain_doc(platform: &str, steps: Value) -> Value {
    json!({ "keyplay": 1, "kind": "keychain", "platform": platform, "steps": steps })
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_keychain_example_meets_its_expectations() {
    let mut n = 0;
    for (name, text) in keyplay::gallery::of_kind("keychain") {
        let out = run_text(text, NOW);
        assert_eq!(out.exit, 0, "{name}: {}", serde_json::to_string_pretty(&out.report).unwrap_or_default());
        n += 1;
    }
    assert!(n >= 40, "only {n} keychain examples");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_unmet_expectation_exits_1_and_says_what_differed() {
    let doc = keychain_doc(
        "ios",
        json!([
            { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword" }, "expect": { "status": "errSecSuccess" } }
        ]),
    );
    let (report, exit) = run(&doc);
    assert_eq!(exit, 1);
    assert_eq!(report["ok"], json!(false));
    assert_eq!(report["steps"][0]["expect"], json!("unmet"));
    assert_eq!(report["steps"][0]["unmet"][0], json!("status: expected errSecSuccess, got errSecItemNotFound"));
    assert_eq!(report["steps"][0]["code"], json!(-25300));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn document_errors_name_the_path_and_suggest_a_fix() {
    let cases = [
        (
            json!([{ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrServce": "x" } }]),
            "/steps/0/SecItemAdd/kSecAttrServce",
            "unknown key kSecAttrServce; did you mean kSecAttrService?",
        ),
        (
            json!([{ "SecItemAdd": { "kSecClass": "kSecClassGenericPasword" } }]),
            "/steps/0/SecItemAdd/kSecClass",
            "unknown constant kSecClassGenericPasword; did you mean kSecClassGenericPassword?",
        ),
        (
            json!([{ "SecItemCopy": {} }]),
            "/steps/0/SecItemCopy",
            "unknown action SecItemCopy; did you mean SecItemCopyMatching?",
        ),
        (
            json!([{ "SecItemDelete": {}, "reboot": {} }]),
            "/steps/0/reboot",
            "a step has exactly one action; SecItemDelete is already given",
        ),
        (
            json!([{ "device": { "lockd": true } }]),
            "/steps/0/device/lockd",
            "unknown field lockd; did you mean locked?",
        ),
        (
            json!([{ "SecItemAdd": { "kSecValueData": { "utf16": "x" } } }]),
            "/steps/0/SecItemAdd/kSecValueData/utf16",
            "utf16 maps to no CF type; did you mean utf8?",
        ),
        (
            json!([{ "SecItemAdd": { "kSecValueData": { "hex": "zz" } } }]),
            "/steps/0/SecItemAdd/kSecValueData/hex",
            "not valid hex: Invalid character 'z' at position 0",
        ),
        (
            json!([{ "SecItemAdd": {}, "expect": { "status": "errSecItemNotFnd" } }]),
            "/steps/0/expect/status",
            "unknown status errSecItemNotFnd; did you mean errSecItemNotFound?",
        ),
        (
            json!([{ "SecItemAdd": { "kSecAttrService": null } }]),
            "/steps/0/SecItemAdd/kSecAttrService",
            "null maps to no CF value; leave the key out instead",
        ),
    ];
    for (steps, path, message) in cases {
        let (report, exit) = run(&keychain_doc("ios", steps));
        assert_eq!(exit, 2, "{report}");
        assert_eq!(report["error"]["path"], json!(path), "{report}");
        assert_eq!(report["error"]["message"], json!(message), "{report}");
    }
    let (report, exit) = run(&json!({ "keyplay": 1, "kind": "keychain", "steps": {} }));
    assert_eq!((exit, report["error"]["path"].clone()), (2, json!("/steps")));
    let (report, exit) = run(&json!({ "keyplay": 1, "kind": "keychain", "platfrom": "ios" }));
    assert_eq!(
        (exit, report["error"]["message"].clone()),
        (2, json!("unknown field platfrom; did you mean platform?"))
    );
}

/// A value of the wrong CF type is what the code passed, not a document error
/// (Apple's si-11 and testBadTypeInParams: errSecParam).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn wrong_cf_types_are_errsecparam_not_document_errors() {
    let doc = keychain_doc(
        "ios",
        json!([
            { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecValueData": "text" } },
            { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": ["S"] } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecReturnData": 1 } },
            { "SecItemAdd": { "kSecClass": 7 } }
        ]),
    );
    let (report, exit) = run(&doc);
    assert_eq!(exit, 0);
    assert_eq!(statuses(&report), ["errSecParam"; 4]);
}

/// The same steps answer differently per platform (research notes §11.2, pitfall 33/9).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn cross_platform_answers_differ_where_documented() {
    let steps = json!([
        { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a", "kSecValueData": {"utf8": "1"} } },
        { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "b", "kSecValueData": {"utf8": "2"} } },
        { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecReturnData": true, "kSecMatchLimit": "kSecMatchLimitAll" } },
        { "SecItemUpdate": { "query": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecMatchLimit": "kSecMatchLimitOne" }, "attributes": { "kSecAttrLabel": "L" } } },
        { "SecItemDelete": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S" } },
        { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecMatchLimit": "kSecMatchLimitAll" } }
    ]);
    let answers: Vec<Vec<String>> =
        ["ios", "macos", "macos-file"].iter().map(|p| statuses(&run(&keychain_doc(p, steps.clone())).0)).collect();
    assert_eq!(
        answers[0],
        ["errSecSuccess", "errSecSuccess", "errSecSuccess", "errSecParam", "errSecSuccess", "errSecItemNotFound"]
    );
    assert_eq!(
        answers[1],
        ["errSecSuccess", "errSecSuccess", "errSecSuccess", "errSecSuccess", "errSecSuccess", "errSecItemNotFound"]
    );
    // File-based: bulk password data refused; delete removes only the first match, so one is left.
    assert_eq!(
        answers[2],
        ["errSecSuccess", "errSecSuccess", "errSecParam", "errSecSuccess", "errSecSuccess", "errSecSuccess"]
    );
}

/// Identity formation uses the certificate's public key hash computed from its DER, not
/// anything the document claims (research notes §10.1).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn certificate_attributes_are_derived_from_the_der() {
    let text = example_text("identity-forms-from-cert-and-key.json");
    let doc: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let cert = doc["steps"][0]["SecItemAdd"]["kSecValueRef"].clone();
    let key = doc["steps"][2]["SecItemAdd"]["kSecValueRef"].clone();
    let steps = json!([
        { "SecItemAdd": { "kSecClass": "kSecClassCertificate", "kSecValueRef": cert } },
        { "SecItemAdd": { "kSecClass": "kSecClassKey", "kSecValueRef": key } },
        { "SecItemCopyMatching": { "kSecClass": "kSecClassCertificate", "kSecReturnAttributes": true } },
        { "SecItemCopyMatching": { "kSecClass": "kSecClassKey", "kSecReturnAttributes": true } },
        { "SecItemCopyMatching": { "kSecClass": "kSecClassIdentity", "kSecReturnRef": true } }
    ]);
    let (report, exit) = run(&keychain_doc("ios", steps));
    assert_eq!(exit, 0);
    let cert_attrs = &report["steps"][2]["result"];
    let key_attrs = &report["steps"][3]["result"];
    assert_eq!(cert_attrs["kSecAttrCertificateType"], json!(3));
    assert_eq!(cert_attrs["kSecAttrLabel"], json!("Alice Example"));
    assert_eq!(cert_attrs["kSecAttrPublicKeyHash"], key_attrs["kSecAttrApplicationLabel"]);
    assert_eq!(key_attrs["kSecAttrKeyType"], json!(73));
    assert_eq!(key_attrs["kSecAttrKeyClass"], json!(1));
    assert_eq!(key_attrs["kSecAttrKeySizeInBits"], json!(256));
    assert!(report["steps"][4]["result"]["identity"]["certificate"].is_object(), "{}", report["steps"][4]);
    assert_eq!(report["steps"][4]["status"], json!("errSecSuccess"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_bad_certificate_or_key_is_a_document_error() {
    let (report, exit) = run(&keychain_doc(
        "ios",
        json!([
            { "SecItemAdd": { "kSecClass": "kSecClassCertificate", "kSecValueRef": { "certificate": { "base64": "AAAA" } } } }
        ]),
    ));
    assert_eq!(exit, 2);
    assert!(report["error"]["message"]
        .as_str()
        .unwrap_or("")
        .starts_with("SecCertificateCreateWithData would return NULL"));
    let (report, exit) = run(&keychain_doc(
        "ios",
        json!([
            { "SecItemAdd": { "kSecClass": "kSecClassKey", "kSecValueRef": { "key": { "kSecAttrKeyType": "kSecAttrKeyTypeECSECPrimeRandom", "kSecAttrKeyClass": "kSecAttrKeyClassPublic", "kSecValueData": { "hex": "0401" } } } } }
        ]),
    ));
    assert_eq!(exit, 2);
    assert_eq!(report["error"]["path"], json!("/steps/0/SecItemAdd/kSecValueRef/key/kSecValueData"));
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use keyplay::keychain::document::DevicePatch;
    use keyplay::keychain::document::{App, Dict, Platform};
    use keyplay::keychain::engine::{Device, Keychain};
    use keyplay::status::Status;
    use proptest::prelude::*;
    use serde_json::json;

    fn dict(v: serde_json::Value) -> Dict {
        Dict::from_json(&v, "").expect("test dictionaries are well-formed")
    }

    fn keychain(platform: Platform) -> Keychain {
        Keychain::new(platform, App::default_app(), Device::from_patch(&DevicePatch::default()), super::NOW)
    }

    fn platform() -> impl Strategy<Value = Platform> {
        prop_oneof![Just(Platform::Ios), Just(Platform::Macos), Just(Platform::MacosFile)]
    }

    proptest! {
        /// Whatever is added can be read back, with the same data.
        #[test]
        fn add_then_copy_round_trips(p in platform(), svc in "[a-z]{0,6}", acct in "[a-z]{0,6}", data in proptest::collection::vec(any::<u8>(), 0..40)) {
            let mut kc = keychain(p);
            let hexed = hex::encode(&data);
            let added = kc.add(&dict(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": svc, "kSecAttrAccount": acct, "kSecValueData": {"hex": hexed}})));
            prop_assert_eq!(added.status, Status::Success);
            let copied = kc.copy_matching(&dict(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": svc, "kSecAttrAccount": acct, "kSecReturnData": true})));
            prop_assert_eq!(copied.status, Status::Success);
            prop_assert_eq!(copied.result, keyplay::data::Bytes(data).to_json());
        }

        /// No sequence of adds and updates leaves two items with the same primary key.
        #[test]
        fn uniqueness_is_never_violated(p in platform(), ops in proptest::collection::vec((0u8..3, "[ab]", "[xy]", "[ab]"), 1..25)) {
            let mut kc = keychain(p);
            for (op, svc, acct, new_acct) in ops {
                let q = json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": svc, "kSecAttrAccount": acct});
                match op {
                    0 => { kc.add(&dict(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": svc, "kSecAttrAccount": acct, "kSecValueData": {"utf8": "v"}}))); }
                    1 => { kc.update(&dict(q), &dict(json!({"kSecAttrAccount": new_acct}))); }
                    _ => { kc.update(&dict(json!({"kSecClass": "kSecClassGenericPassword"})), &dict(json!({"kSecAttrService": svc}))); }
                }
            }
            let mut keys: Vec<String> = kc.store.iter().map(|i| format!("{:?}{:?}{:?}{}", i.backend, i.attrs.get("svce"), i.attrs.get("acct"), i.access_group())).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            prop_assert_eq!(keys.len(), n);
        }

        /// A delete removes exactly the items a copy with the same query and kSecMatchLimitAll returns.
        #[test]
        fn delete_removes_exactly_what_copy_all_finds(items in proptest::collection::vec(("[ab]", "[xyz]", "[lm]"), 0..12), svc in "[ab]", label in proptest::option::of("[lm]")) {
            let mut kc = keychain(Platform::Ios);
            for (s, a, l) in &items {
                kc.add(&dict(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": s, "kSecAttrAccount": a, "kSecAttrLabel": l})));
            }
            let mut q = json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": svc});
            if let Some(l) = &label { q["kSecAttrLabel"] = json!(l); }
            let mut copy_q = q.clone();
            copy_q["kSecMatchLimit"] = json!("kSecMatchLimitAll");
            copy_q["kSecReturnPersistentRef"] = json!(true);
            let found = kc.copy_matching(&dict(copy_q));
            let before = kc.store.len();
            let deleted = kc.delete(&dict(q));
            prop_assert_eq!(before - kc.store.len(), found.count);
            prop_assert_eq!(deleted.status == Status::Success, found.count > 0);
            for r in found.result.as_array().into_iter().flatten() {
                let pref = r["persistentRef"].as_str().unwrap_or_default();
                prop_assert!(kc.store.by_persistent_ref(pref).is_none());
            }
        }

        /// Mutated documents never panic: they run or answer with a document error.
        #[test]
        fn mutated_examples_never_panic(index in 0usize..200, cut in 0usize..4000, byte in any::<u8>()) {
            let examples = keyplay::gallery::EXAMPLES;
            let (_, text) = examples[index % examples.len()];
            let mut bytes = text.as_bytes().to_vec();
            if !bytes.is_empty() {
                let at = cut % bytes.len();
                bytes[at] = byte;
                bytes.truncate(bytes.len().max(at + 1));
            }
            let mutated = String::from_utf8_lossy(&bytes);
            let out = super::run_text(&mutated, super::NOW);
            prop_assert!(out.exit <= 2);
            prop_assert!(out.report.is_object());
        }
    }
}

/// The data protection keychain stores the issuer's content without its outer SEQUENCE;
/// the file-based keychain keeps the whole DER Name (research notes §11.2, open question 9).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn issuer_encoding_differs_between_the_two_keychains() {
    let text = example_text("identity-forms-from-cert-and-key.json");
    let doc: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let cert = doc["steps"][0]["SecItemAdd"]["kSecValueRef"].clone();
    let steps = json!([
        { "SecItemAdd": { "kSecClass": "kSecClassCertificate", "kSecValueRef": cert } },
        { "SecItemCopyMatching": { "kSecClass": "kSecClassCertificate", "kSecReturnAttributes": true } }
    ]);
    let issuer = |platform: &str| {
        let (report, _) = run(&keychain_doc(platform, steps.clone()));
        // Reports show bytes as {"utf8"} when they happen to be valid UTF-8, else {"base64"}.
        keyplay::data::Bytes::from_json(&report["steps"][1]["result"]["kSecAttrIssuer"])
            .map(|b| b.0)
            .unwrap_or_default()
    };
    let (dp, file) = (issuer("ios"), issuer("macos-file"));
    assert!(!dp.is_empty());
    assert_eq!(file.first(), Some(&0x30), "the file-based form starts with a SEQUENCE tag");
    assert!(file.ends_with(&dp) && file.len() > dp.len());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn compare_marks_the_steps_that_differ_across_platforms() {
    let text = example_text("return-data-limit-all-macos-file.json");
    let comparison = keyplay::run::compare_text(text, NOW).map_err(|e| e.to_string());
    let Ok(comparison) = comparison else { panic!("{comparison:?}") };
    // Bulk password data: an array on the data protection keychain, errSecParam on the file-based one.
    assert_eq!(comparison.differing, vec![0]);
    let statuses: Vec<_> = comparison.steps[0].answers.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some("errSecSuccess"), Some("errSecSuccess"), Some("errSecParam")]);
    assert!(keyplay::run::compare_text(r#"{"keyplay":1,"kind":"jwt"}"#, NOW).is_err());
}

// ---- Fidelity: queries by reference and the places the post and Apple's code were checked ----

/// A shipped example as JSON, with every `expect` removed so that a tampered copy runs.
fn example_without_expect(name: &str) -> Value {
    let mut doc: Value = serde_json::from_str(example_text(name)).unwrap_or(Value::Null);
    if let Some(steps) = doc["steps"].as_array_mut() {
        for step in steps {
            if let Some(map) = step.as_object_mut() {
                map.remove("expect");
            }
        }
    }
    doc
}

fn pitfall_ids(report: &Value, step: usize) -> Vec<String> {
    report["steps"][step]["pitfalls"]
        .as_array()
        .map(|ps| ps.iter().filter_map(|p| p["id"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn explanation(report: &Value, step: usize) -> String {
    report["steps"][step]["explanation"].as_array().map(|l| format!("{l:?}")).unwrap_or_default()
}

fn status(report: &Value, step: usize) -> &str {
    report["steps"][step]["status"].as_str().unwrap_or("")
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_shim_answers_item_not_found_for_a_locked_item_in_copy_and_update_alike() {
    let doc = example_without_expect("shim-locked-item-reads-as-missing.json");
    let (report, exit) = run(&doc);
    assert_eq!(exit, 0, "{report}");
    assert_eq!((status(&report, 1), status(&report, 2)), ("errSecItemNotFound", "errSecItemNotFound"));
    assert!(explanation(&report, 1).contains("143405965"), "{report}");
    assert_eq!(status(&report, 3), "errSecInteractionNotAllowed");
    // Tampered: unlocked, both keychains answer and the data protection item is found.
    let mut unlocked = doc.clone();
    unlocked["steps"][0] = json!({ "device": { "locked": false } });
    let (report, _) = run(&unlocked);
    assert_eq!((status(&report, 1), status(&report, 2)), ("errSecSuccess", "errSecSuccess"), "{report}");
    // On iOS there is no shim: the lock is reported as it is.
    let mut ios = doc;
    ios["platform"] = json!("ios");
    let (report, _) = run(&ios);
    assert_eq!(status(&report, 1), "errSecInteractionNotAllowed");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn access_control_updates_change_database_items_but_not_token_keys() {
    let (report, exit) = run(&example_without_expect("access-control-update.json"));
    assert_eq!(exit, 0, "{report}");
    let table = report["keychain"].as_array().cloned().unwrap_or_default();
    let flags = |class: &str| {
        table
            .iter()
            .find(|i| i["kSecClass"] == json!(class))
            .map(|i| i["kSecAttrAccessControl"]["accessControl"]["flags"].clone())
    };
    assert_eq!(flags("kSecClassGenericPassword"), Some(json!(["kSecAccessControlUserPresence"])));
    assert_eq!(flags("kSecClassKey"), Some(json!(["kSecAccessControlPrivateKeyUsage"])), "the token key keeps its own");
    assert!(explanation(&report, 0).contains("won't work"), "the note names the post's sentence: {report}");
    assert!(pitfall_ids(&report, 2).contains(&"access-control-update-ignored".to_string()));
    assert!(!pitfall_ids(&report, 0).contains(&"access-control-update-ignored".to_string()));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn certificates_default_to_always_and_the_user_is_told() {
    let doc = example_without_expect("certificate-default-protection.json");
    let (report, _) = run(&doc);
    assert!(explanation(&report, 0).contains("query_infer_keyclass"), "{report}");
    assert_eq!(report["keychain"][0]["kSecAttrAccessible"], json!("kSecAttrAccessibleAlways"));
    assert_eq!(report["keychain"][1]["kSecAttrAccessible"], json!("kSecAttrAccessibleWhenUnlocked"));
    assert_eq!(status(&report, 3), "errSecSuccess");
    // Tampered: an explicit WhenUnlocked certificate is unreadable while locked, and no note is given.
    let mut explicit = doc;
    explicit["steps"][0]["SecItemAdd"]["kSecAttrAccessible"] = json!("kSecAttrAccessibleWhenUnlocked");
    let (report, _) = run(&explicit);
    assert!(!explanation(&report, 0).contains("query_infer_keyclass"));
    assert_eq!(status(&report, 3), "errSecInteractionNotAllowed");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn mac_app_groups_need_a_provisioning_profile_ios_ones_do_not() {
    let doc = example_without_expect("mac-app-group-needs-profile.json");
    let (report, _) = run(&doc);
    assert_eq!((status(&report, 0), status(&report, 2)), ("errSecMissingEntitlement", "errSecSuccess"));
    assert_eq!(pitfall_ids(&report, 0), vec!["app-group-needs-profile".to_string()]);
    let mut ios = doc;
    ios["platform"] = json!("ios");
    let (report, _) = run(&ios);
    assert_eq!(status(&report, 0), "errSecSuccess", "{report}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn interaction_not_allowed_is_raised_on_the_destructive_step_not_the_read() {
    let doc = example_without_expect("locked-read-then-add.json");
    let (report, _) = run(&doc);
    let bad = "interaction-not-allowed-is-not-missing".to_string();
    assert!(!pitfall_ids(&report, 1).contains(&bad));
    assert!(pitfall_ids(&report, 2).contains(&bad));
    // Tampered: without the locked read the same add is a plain duplicate.
    let mut no_read = doc;
    if let Some(steps) = no_read["steps"].as_array_mut() {
        steps.remove(1);
    }
    let (report, _) = run(&no_read);
    assert_eq!(status(&report, 1), "errSecDuplicateItem");
    assert!(!pitfall_ids(&report, 1).contains(&bad));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_passcode_alternative_survives_a_biometry_change_and_an_and_does_not() {
    let doc = example_without_expect("biometry-current-set-or-passcode.json");
    let (report, _) = run(&doc);
    assert_eq!((status(&report, 1), status(&report, 2)), ("errSecSuccess", "errSecAuthFailed"));
    let mut and = doc;
    and["keychain"][0]["kSecAttrAccessControl"]["accessControl"]["flags"][1] = json!("kSecAccessControlAnd");
    let (report, _) = run(&and);
    assert_eq!(status(&report, 1), "errSecAuthFailed", "{report}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_key_reference_names_only_the_stored_key() {
    let doc = example_without_expect("query-by-key-reference.json");
    let (report, _) = run(&doc);
    assert_eq!(report["steps"][0]["result"]["kSecAttrApplicationTag"], json!({ "utf8": "mine" }), "{report}");
    assert_eq!(report["keychain"].as_array().map(Vec::len), Some(1), "only the referenced key was deleted");
    // Tampered: with the referenced key gone, the reference matches nothing (the other key is not it).
    let mut gone = doc;
    if let Some(items) = gone["keychain"].as_array_mut() {
        items.remove(0);
    }
    let (report, _) = run(&gone);
    assert_eq!(status(&report, 0), "errSecItemNotFound", "{report}");
    assert_eq!(status(&report, 4), "errSecItemNotFound");
}

/// The whole uniqueness constraint decides a duplicate, token included (the old check
/// ended in a stub that always said "equal").
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_token_is_part_of_a_keys_primary_key() {
    let mut doc = example_without_expect("access-control-update.json");
    let key = doc["keychain"][1].clone();
    let mut plain = key.clone();
    if let Some(map) = plain.as_object_mut() {
        map.remove("kSecAttrTokenID");
        map.remove("kSecAttrAccessControl");
    }
    doc["steps"] = json!([{ "SecItemAdd": plain }, { "SecItemAdd": plain }, { "SecItemAdd": key }]);
    let (report, _) = run(&doc);
    assert_eq!(statuses(&report), ["errSecSuccess", "errSecDuplicateItem", "errSecDuplicateItem"], "{report}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn deleting_an_identity_keeps_a_key_another_identity_uses() {
    let doc = example_without_expect("identity-shared-key-delete.json");
    let (report, _) = run(&doc);
    assert_eq!(status(&report, 2), "errSecSuccess", "the key survives the first delete: {report}");
    assert_eq!(status(&report, 5), "errSecItemNotFound", "and goes with the second");
    // Tampered: without the second certificate, the first delete takes the key.
    let mut single = doc;
    if let Some(items) = single["keychain"].as_array_mut() {
        items.remove(1);
    }
    let (report, _) = run(&single);
    assert_eq!(status(&report, 2), "errSecItemNotFound", "{report}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_identity_has_one_persistent_reference_however_it_is_found() {
    let (report, _) = run(&example_without_expect("identity-by-reference.json"));
    let pref = json!({ "persistentRef": "idnt:1" });
    for step in 0..3 {
        assert_eq!(report["steps"][step]["result"], pref, "step {step}: {report}");
    }
    assert_eq!(report["steps"][3]["result"], Value::Null, "only a persistent ref comes back for an identity ref");
    // Adding an identity whose certificate already exists gives no persistent ref (the certificate add failed).
    let mut again = example_without_expect("identity-by-reference.json");
    if let Some(steps) = again["steps"].as_array_mut() {
        let first = steps[0].clone();
        steps.insert(1, first);
        steps.truncate(2);
    }
    let (report, _) = run(&again);
    assert_eq!(status(&report, 1), "errSecDuplicateItem", "{report}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_file_based_keychain_honours_item_lists_and_ignores_attributes_by_reference() {
    let doc = example_without_expect("query-by-reference-macos-file.json");
    let (report, _) = run(&doc);
    assert_eq!(status(&report, 0), "errSecSuccess");
    // The reference is the whole query there: the label filters nothing, so no filter pitfall.
    assert!(pitfall_ids(&report, 0).is_empty(), "{report}");
    assert_eq!(pitfall_ids(&report, 1), vec!["query-non-unique-attribute".to_string()]);
    assert_eq!(report["steps"][2]["count"], json!(1));
    assert_eq!(report["steps"][2]["result"][0]["kSecAttrLabel"], json!("Bob Example"), "{report}");
    // Tampered: on the data protection keychain the list is ignored and both certificates come back.
    let mut dp = doc;
    dp["platform"] = json!("ios");
    let (report, _) = run(&dp);
    assert_eq!(report["steps"][2]["count"], json!(2), "{report}");
    assert!(pitfall_ids(&report, 2).contains(&"item-list-ignored".to_string()));
    // And a certificate reference there filters on the caller's label: no match.
    assert_eq!(status(&report, 0), "errSecItemNotFound", "{report}");
    assert!(pitfall_ids(&report, 0).is_empty(), "the reference is the unique key: {report}");
    assert!(explanation(&report, 0).contains("the query's own attributes still filter"), "{report}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_unknown_pitfall_id_in_a_document_is_a_document_error_with_a_suggestion() {
    let doc = keychain_doc(
        "ios",
        json!([{ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword" },
                 "expect": { "pitfalls": ["check-then-ad"] } }]),
    );
    let (report, exit) = run(&doc);
    assert_eq!(exit, 2);
    assert_eq!(report["error"]["path"], json!("/steps/0/expect/pitfalls/0"));
    assert_eq!(report["error"]["message"], json!("unknown pitfall check-then-ad; did you mean check-then-add?"));
}

/// explode_identity (OSX/sec/Security/SecItem.m, lines 487-590) for SecItemAdd: the identity's
/// persistent reference is made from the certificate add's result, so an add whose certificate
/// already exists succeeds with none (errSecDuplicateItem there counts as success, lines 512-516,
/// and leaves no result, lines 558-577); and a certificate add that fails otherwise stops before
/// the key is added (line 518).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_identity_add_returns_a_persistent_ref_only_when_its_certificate_is_new() {
    let mut doc = example_without_expect("identity-add-when-half-exists.json");
    for step in 0..3 {
        doc["steps"][step]["SecItemAdd"]["kSecReturnPersistentRef"] = json!(true);
    }
    let (report, _) = run(&doc);
    assert_eq!(status(&report, 0), "errSecSuccess", "{report}");
    let pref = &report["steps"][0]["result"]["persistentRef"];
    assert!(pref.as_str().is_some_and(|p| p.starts_with("idnt:")), "the key existed, the certificate is new: {report}");
    assert_eq!(status(&report, 1), "errSecSuccess");
    assert_eq!(report["steps"][1]["result"], Value::Null, "the certificate existed: no persistent ref: {report}");
    assert!(explanation(&report, 1).contains("no persistent reference"), "{report}");
    assert_eq!((status(&report, 2), &report["steps"][2]["result"]), ("errSecDuplicateItem", &Value::Null));

    // A certificate add that fails (a certificate has no kSecAttrApplicationTag: errSecNoSuchAttr)
    // leaves the key unadded, although the key alone would take the tag.
    let mut tagged = example_without_expect("identity-add-when-half-exists.json");
    tagged["keychain"] = json!([]);
    tagged["steps"] = json!([tagged["steps"][0].clone()]);
    tagged["steps"][0]["SecItemAdd"]["kSecAttrApplicationTag"] = json!({ "utf8": "user1" });
    let (report, _) = run(&tagged);
    assert_eq!(status(&report, 0), "errSecNoSuchAttr", "{report}");
    assert_eq!(report["keychain"].as_array().map(Vec::len), Some(0), "nothing is added: {report}");
}

/// kSecUseItemList in a data protection delete: securityd records it and never checks it for a
/// delete (keychain/securityd/SecItemServer.c, SecServerItemDeleteWithCustomDb, which rejects
/// it only in copy and update), so a list of persistent refs restricts nothing; a list of
/// objects cannot be sent to securityd at all (OSX/utilities/der_plist.c, der_sizeof_plist:
/// kSecDERErrorUnsupportedCFObject, errSecParam by osstatus_for_der_error in SecItem.m).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_data_protection_delete_ignores_a_use_item_list_of_persistent_refs_and_refuses_objects() {
    let seed = json!([
        { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a" },
        { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "b" }
    ]);
    let delete = |list: Value| {
        let mut doc = keychain_doc(
            "ios",
            json!([{ "SecItemDelete": { "kSecClass": "kSecClassGenericPassword", "kSecUseItemList": list } }]),
        );
        doc["keychain"] = seed.clone();
        run(&doc).0
    };
    let report = delete(json!([{ "persistentRef": "genp:1" }]));
    assert_eq!(status(&report, 0), "errSecSuccess", "{report}");
    assert_eq!(
        report["keychain"].as_array().map(Vec::len),
        Some(0),
        "both items go, not only the listed one: {report}"
    );
    assert!(pitfall_ids(&report, 0).contains(&"item-list-ignored".to_string()), "{report}");
    let alice = serde_json::from_str::<Value>(example_text("identity-add-when-half-exists.json"))
        .unwrap_or(Value::Null)["steps"][0]["SecItemAdd"]["kSecValueRef"]["identity"]["certificate"]
        .clone();
    let report = delete(json!([alice]));
    assert_eq!(status(&report, 0), "errSecParam", "{report}");
    assert_eq!(report["keychain"].as_array().map(Vec::len), Some(2), "nothing is deleted: {report}");
    // Without kSecClass the list gives securityd no class (query_get_class in SecDbQuery.c):
    // errSecParam, and nothing is deleted.
    let mut classless =
        keychain_doc("ios", json!([{ "SecItemDelete": { "kSecUseItemList": [{ "persistentRef": "genp:1" }] } }]));
    classless["keychain"] = seed;
    let (report, _) = run(&classless);
    assert_eq!(status(&report, 0), "errSecParam", "{report}");
    assert_eq!(report["keychain"].as_array().map(Vec::len), Some(2), "nothing is deleted: {report}");
}

/// The file-based keychain while locked: SecItemUpdate_osx (OSX/libsecurity_keychain/lib/SecItem.cpp,
/// lines 5405-5450) searches first, which needs no unlock, then changes each item through
/// SecKeychainItemModifyContent, which needs the keychain's secrets (securityd kcdatabase.cpp,
/// makeUnlocked); a caller that may not prompt gets errSecAuthFailed, as Apple's
/// kc-05-find-existing-items-locked.c asserts for reading data.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_locked_file_based_keychain_finds_items_but_does_not_change_them() {
    let doc = example_without_expect("update-while-locked-macos-file.json");
    let (report, _) = run(&doc);
    assert_eq!(
        statuses(&report),
        ["errSecSuccess", "errSecAuthFailed", "errSecItemNotFound", "errSecAuthFailed", "errSecSuccess"],
        "{report}"
    );
    assert!(explanation(&report, 2).contains("SecKeychainSetUserInteractionAllowed"), "the choice is shown: {report}");
    let data = |r: &Value| r["keychain"][0]["kSecValueData"].clone();
    assert_eq!(data(&report), json!({ "utf8": "new" }), "{report}");
    // Tampered: the refused update changed nothing; without the final unlocked update the old data stays.
    let mut refused = doc.clone();
    if let Some(steps) = refused["steps"].as_array_mut() {
        steps.truncate(3);
    }
    let (report, _) = run(&refused);
    assert_eq!(data(&report), json!({ "utf8": "secret" }), "{report}");
    // Tampered: unlocked throughout, the update succeeds at once.
    let mut unlocked = doc;
    unlocked["steps"][0] = json!({ "device": { "locked": false } });
    let (report, _) = run(&unlocked);
    assert_eq!(status(&report, 2), "errSecSuccess", "{report}");
}

/// A SecIdentity on the file-based keychain (OSX/libsecurity_keychain/lib/SecItem.cpp):
/// SecItemUpdate changes its private key (`_UpdateKeychainItem`: "assume we want to update the
/// private key"), SecItemDelete removes key and certificate (`_DeleteIdentity`).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_file_based_identity_updates_its_key_and_deletes_both_halves() {
    let apple: Value = serde_json::from_str(include_str!("apple/kc-20-identity-persistent-refs.macos-file.json"))
        .unwrap_or(Value::Null);
    let identity = apple["steps"][4]["SecItemCopyMatching"]["kSecValueRef"].clone();
    let mut doc = keychain_doc(
        "macos-file",
        json!([
            { "SecItemUpdate": { "query": { "kSecValueRef": identity }, "attributes": { "kSecAttrLabel": "K" } } },
            { "SecItemDelete": { "kSecValueRef": identity } }
        ]),
    );
    doc["keychain"] = apple["keychain"].clone();
    let mut update_only = doc.clone();
    if let Some(steps) = update_only["steps"].as_array_mut() {
        steps.truncate(1);
    }
    let (report, _) = run(&update_only);
    assert_eq!(status(&report, 0), "errSecSuccess", "{report}");
    let label = |class: &str| {
        report["keychain"]
            .as_array()
            .and_then(|t| t.iter().find(|i| i["kSecClass"] == json!(class)))
            .map(|i| i["kSecAttrLabel"].clone())
    };
    assert_eq!(label("kSecClassKey"), Some(json!("K")), "{report}");
    assert_ne!(label("kSecClassCertificate"), Some(json!("K")), "the certificate keeps its label: {report}");
    let (report, _) = run(&doc);
    assert_eq!(status(&report, 1), "errSecSuccess", "{report}");
    let said = report["steps"][1]["explanation"].as_array().cloned().unwrap_or_default();
    assert!(said.contains(&json!("2 item(s) deleted")), "the delete counts both halves: {said:?}");
    assert_eq!(report["keychain"].as_array().map(Vec::len), Some(0), "{report}");
}

/// A counted copy (`Keychain::count_matching`, which a run uses once its result budget is
/// spent) answers as the copy itself does but for the result: the same status, count,
/// pitfalls, explanation and history, and a stand-in that is null exactly where the result
/// is. Checked at every copy of every keychain example (and of Apple's translated tests),
/// with a copy of each class for every combination of return keys and match limit added.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn counting_gives_the_whole_call_without_its_result() {
    use keyplay::keychain::document::Action;
    let returns = ["kSecReturnData", "kSecReturnAttributes", "kSecReturnRef", "kSecReturnPersistentRef"];
    let classes = [
        "kSecClassGenericPassword",
        "kSecClassInternetPassword",
        "kSecClassCertificate",
        "kSecClassKey",
        "kSecClassIdentity",
    ];
    let mut extra = Vec::new();
    for class in classes {
        for mask in 0..16 {
            for limit in ["kSecMatchLimitOne", "kSecMatchLimitAll"] {
                let mut query = json!({ "kSecClass": class, "kSecMatchLimit": limit });
                for (bit, key) in returns.iter().enumerate() {
                    if mask & (1 << bit) != 0 {
                        query[*key] = json!(true);
                    }
                }
                extra.push(json!({ "SecItemCopyMatching": query }));
            }
        }
    }
    let (mut copies, mut several, mut one) = (0, 0, 0);
    for (name, text) in keyplay::gallery::of_kind("keychain") {
        let Ok(mut value) = serde_json::from_str::<Value>(text) else { continue };
        if let Some(steps) = value["steps"].as_array_mut() {
            steps.extend(extra.iter().cloned());
        }
        let Ok(split) = keyplay::document::split(value, NOW) else { continue };
        let Ok(doc) = keyplay::keychain::document::parse(split.body) else { continue };
        let Ok(mut keychain) = keyplay::keychain::run::initial_keychain(&doc, NOW) else { continue };
        for (i, step) in doc.steps.iter().enumerate() {
            if let Action::CopyMatching(dict) = &step.action {
                let (mut a, mut b) = (keychain.clone(), keychain.clone());
                let (whole, counted) = (a.copy_matching(dict), b.count_matching(dict));
                let at = format!("{name}, step {i}");
                assert_eq!(whole.status, counted.status, "{at}");
                assert_eq!(whole.count, counted.count, "{at}");
                assert_eq!(whole.pitfalls, counted.pitfalls, "{at}");
                assert_eq!(whole.explanation, counted.explanation, "{at}");
                assert_eq!(a.history, b.history, "{at}");
                assert_eq!(
                    whole.result.is_null(),
                    counted.result.is_null(),
                    "{at}: {} / {}",
                    whole.result,
                    counted.result
                );
                match &whole.result {
                    Value::Array(_) => {
                        assert_eq!(counted.result, json!([]), "{at}");
                        several += 1;
                    }
                    Value::Null => {}
                    _ => {
                        assert_eq!(counted.result, json!(true), "{at}");
                        one += 1;
                    }
                }
                copies += 1;
            }
            keyplay::keychain::run::run_steps(&mut keychain, std::slice::from_ref(step));
        }
    }
    assert!(copies > 1_000 && several > 100 && one > 100, "{copies} copies, {several} of several items, {one} of one");
}

/// The report's keychain table builds its rows when asked: every row, in the report JSON's
/// order, and the certificates and keys (what the identity picture draws) each at its
/// position among them, on every keychain example.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_keychain_table_shows_its_rows_and_finds_certificates_and_keys_in_place() {
    use keyplay::keychain::schema::Class;
    let (mut parts, mut tables) = (0, 0);
    for (name, text) in keyplay::gallery::of_kind("keychain") {
        let report = keyplay::run_text(text, NOW);
        let keyplay::report::Report::Keychain(keychain) = &report else { continue };
        let table = &keychain.keychain;
        let rows = table.to_rows();
        assert_eq!(rows.len(), table.len(), "{name}");
        let json = serde_json::to_value(&report).expect("serialises");
        let printed: Vec<Value> = rows.iter().map(|r| serde_json::to_value(r).expect("row")).collect();
        assert_eq!(json["keychain"], Value::Array(printed), "{name}");
        let wanted: Vec<usize> = (0..rows.len())
            .filter(|i| ["kSecClassCertificate", "kSecClassKey"].contains(&rows[*i].class().as_str()))
            .collect();
        let found = table.rows_of(&[Class::Certificate, Class::Key]);
        assert_eq!(found.iter().map(|(i, _)| *i).collect::<Vec<_>>(), wanted, "{name}");
        for (i, row) in &found {
            assert_eq!(row, &rows[*i], "{name}: row {i}");
        }
        parts += found.len();
        tables += usize::from(!table.is_empty());
    }
    assert!(parts >= 4 && tables >= 20, "{parts} certificates and keys in {tables} tables");
}

/// The page reads a document from its text's outline, a keychain document a step at a time
/// (`run::run_outline`): the same report as `keyplay run` of the same text, for every example
/// and for broken copies of each keychain one (each error at the same place), and the same
/// answers after an edit resumed from what the outline run kept.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_document_read_from_its_outline_gives_the_report_of_its_text() {
    use keyplay::run::{outline, run_outline};
    let same = |text: &str, what: &str| {
        let held = outline(text.into());
        let report = match &held {
            Ok(o) => run_outline(o, NOW, None).0,
            Err(e) => keyplay::report::Report::NotUnderstood(e.clone()),
        };
        let (by_outline, by_text) = (report.printed(), run_text(text, NOW));
        assert_eq!(by_outline.report, by_text.report, "{what}");
        assert_eq!(by_outline.exit, by_text.exit, "{what}");
    };
    type Break = (&'static str, fn(&mut Value));
    let breaks: [Break; 9] = [
        ("an unknown field", |d| d["platfrom"] = json!("ios")),
        ("steps not an array", |d| d["steps"] = json!({"reboot": {}})),
        ("keychain not an array", |d| d["keychain"] = json!(3)),
        ("extension fields", |d| {
            d["x-note"] = json!("kept out");
            d["steps"][0]["x-why"] = json!(1);
        }),
        ("an unknown action", |d| d["steps"][0] = json!({"SecItemAd": {}})),
        ("a bad initial item", |d| d["keychain"] = json!([{"kSecClass": "kSecClassGenericPassword"}, {"kSecNope": 1}])),
        ("an expect at the top", |d| d["expect"] = json!({"status": "errSecSuccess"})),
        ("a bad envelope", |d| d["keyplay"] = json!(2)),
        ("a bad now", |d| d["now"] = json!("yesterday")),
    ];
    let mut keychains = 0;
    for (name, text) in keyplay::gallery::EXAMPLES {
        same(text, name);
        let Ok(doc) = serde_json::from_str::<Value>(text) else { continue };
        if doc["kind"] != "keychain" {
            continue;
        }
        keychains += 1;
        for (what, break_it) in &breaks {
            let mut broken = doc.clone();
            break_it(&mut broken);
            same(&serde_json::to_string_pretty(&broken).unwrap_or_default(), &format!("{name}: {what}"));
        }
        // An edit of the last step, resumed from what the first outline run kept.
        let Some(last) = doc["steps"].as_array().map(Vec::len).filter(|n| *n > 0) else { continue };
        let first = outline(text.to_string().into()).expect("an example is JSON");
        let (report, memo) = run_outline(&first, NOW, None);
        let mut edited = doc.clone();
        edited["steps"][last - 1] = json!({"reboot": {}});
        let edited = serde_json::to_string(&edited).unwrap_or_default();
        let second = outline(edited.clone().into()).expect("JSON");
        let keyplay::report::Report::Keychain(report) = &report else { panic!("{name}: {report:?}") };
        let previous = memo.as_ref().map(|m| (m, report));
        assert_eq!(run_outline(&second, NOW, previous).0.printed().report, run_text(&edited, NOW).report, "{name}");
    }
    assert!(keychains >= 40, "{keychains} keychain examples");
    for text in [
        "",
        "[1, 2]",
        "{\"keyplay\": 1, \"kind\": \"keychain\"",
        "\"keychain\"",
        "{\"kind\": \"keychain\"} x",
        r#"{"keyplay": 1, "kind": "keychain", "steps": [{"reboot": {"n": 1e400}}]}"#,
        r#"{"keyplay": 1, "kind": "keychain", "title": 1e400, "steps": []}"#,
        r#"{"keyplay": 1, "kind": "keychain", "kind": "jwt", "steps": []}"#,
        r#"{"keyplay": 1, "kind": "jwt", "kind": "keychain", "steps": [], "steps": [{"reboot": {}}]}"#,
        // Found by the fuzzer: two unknown fields, envelope fields between them, the arrays after
        // (the envelope's removals reorder the fields; both readings must name the same one).
        r#"{"keyplay": 1, "kind": "keychain", "title": "t", "forms": "x", "now": "2026-01-01T00:00:00Z",
            "platform": "ios", "2-gallery": "y", "keychain": [], "steps": []}"#,
        r#"{"keyplay": 1, "steps": [], "kind": "keychain", "a": 1, "notes": "n", "b": 2, "keychain": []}"#,
    ] {
        same(text, text);
    }
}

/// `kSecMatchLimit` is one of its two constants or a count: any other value is errSecParam
/// (a raw string the document lets through is not taken for "all").
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_match_limit_that_is_no_constant_is_a_parameter_error() {
    let copy = |limit: Value| json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecMatchLimit": limit}});
    let doc = keychain_doc(
        "ios",
        json!([
            {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a", "kSecAttrService": "s"}},
            copy(json!("m_LimitFew")),
            copy(json!("kSecMatchLimitAll")),
            copy(json!(1)),
        ]),
    );
    let (report, _) = run(&doc);
    assert_eq!(statuses(&report), ["errSecSuccess", "errSecParam", "errSecSuccess", "errSecSuccess"], "{report}");
}

/// The deprecated `kSecUseNoAuthenticationUI`: true fails where a prompt would show, false
/// prompts as usual.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn no_authentication_ui_true_fails_instead_of_prompting() {
    let mut doc: Value = serde_json::from_str(example_text("existence-check-prompts.json")).expect("an example");
    let copy = |no_ui: bool| {
        json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S",
            "kSecAttrAccount": "a", "kSecUseNoAuthenticationUI": no_ui}})
    };
    doc["steps"] = json!([copy(true), copy(false)]);
    let (report, _) = run(&doc);
    assert_eq!(statuses(&report), ["errSecInteractionNotAllowed", "errSecSuccess"], "{report}");
}

/// A delete by an identity's persistent reference deletes its certificate and its key: two
/// items, and the keychain is empty after it.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn deleting_an_identity_by_reference_deletes_both_halves() {
    let mut doc: Value = serde_json::from_str(example_text("identity-by-reference.json")).expect("an example");
    let add = doc["steps"][0].clone();
    doc["steps"] = json!([add, {"SecItemDelete": {"kSecValuePersistentRef": {"persistentRef": "idnt:1"}}}]);
    let (report, _) = run(&doc);
    assert_eq!(statuses(&report), ["errSecSuccess", "errSecSuccess"], "{report}");
    let said = report["steps"][1]["explanation"].to_string();
    assert!(said.contains("2 item(s) deleted"), "{said}");
    assert_eq!(report["keychain"], json!([]), "{report}");
}

/// A delete whose query names attributes warns only when it matches more than one item.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_delete_warns_when_it_matches_more_than_one_item() {
    let add = |a: &str| json!({"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s", "kSecAttrAccount": a}});
    let delete = |q: Value| json!({"SecItemDelete": q});
    let doc = keychain_doc(
        "ios",
        json!([
            add("a"),
            add("b"),
            add("c"),
            delete(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a"})),
            delete(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s"})),
        ]),
    );
    let (report, _) = run(&doc);
    assert!(!pitfall_ids(&report, 3).contains(&"broad-delete".to_owned()), "{report}");
    assert!(pitfall_ids(&report, 4).contains(&"broad-delete".to_owned()), "{report}");
}

/// How the macOS shim routes calls with no kSecUseDataProtectionKeychain (SecItemCategorizeQuery):
/// an add that syncs goes to the data protection keychain and one that does not to the
/// file-based keychain; a query with a class searches both; a SecKeychainItemRef reaches the
/// keychain its item is in.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_shim_routes_by_what_a_call_carries() {
    let add = |a: &str, extra: Value| {
        let mut q = json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s", "kSecAttrAccount": a});
        if let (Some(q), Some(extra)) = (q.as_object_mut(), extra.as_object()) {
            q.extend(extra.clone());
        }
        json!({"SecItemAdd": q})
    };
    let copy = |q: Value| json!({"SecItemCopyMatching": q});
    let doc = keychain_doc(
        "macos-file",
        json!([
            add("synced", json!({"kSecAttrSynchronizable": true})),
            add("file", json!({})),
            add("modern", json!({"kSecUseDataProtectionKeychain": true})),
            add(
                "controlled",
                json!({"kSecAttrAccessControl": {"accessControl": {"accessible": "kSecAttrAccessibleWhenUnlocked", "flags": ["kSecAccessControlUserPresence"]}}})
            ),
            copy(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "modern"})),
            copy(json!({"kSecValueRef": {"keychainItem": {"persistentRef": "genp:3"}}, "kSecReturnAttributes": true})),
            copy(json!({"kSecValuePersistentRef": {"persistentRef": "genp:3"}, "kSecReturnAttributes": true})),
        ]),
    );
    let (report, _) = run(&doc);
    let marks: Vec<(String, bool)> = report["keychain"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| (r["kSecAttrAccount"].as_str().unwrap_or("").to_owned(), r["x-keychain"] == "file-based"))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        marks,
        [
            ("synced".to_owned(), false),
            ("file".to_owned(), true),
            ("modern".to_owned(), false),
            ("controlled".to_owned(), false)
        ],
        "{report}"
    );
    assert_eq!(statuses(&report)[4..], ["errSecSuccess", "errSecSuccess", "errSecSuccess"], "{report}");
    // A persistent reference without a class still reaches the data protection keychain.
    assert_eq!(report["steps"][6]["result"]["kSecAttrAccount"], "modern", "{report}");
    assert_eq!(report["steps"][5]["result"]["kSecAttrAccount"], "modern", "{report}");
    // The SecKeychainItemRef names a data protection item: the call goes there alone.
    let said = report["steps"][5]["explanation"].to_string();
    assert!(said.contains("in the data protection keychain") && !said.contains("both keychains"), "{said}");
}

/// Certificate search keys: kSecMatchValidOnDate takes the validity's first and last second,
/// and kSecMatchIssuers the issuer's name as its DER or as the name's content.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn certificate_search_keys_take_the_validity_bounds_and_both_issuer_forms() {
    use x509_cert::der::{Decode, Encode};
    let mut doc: Value = serde_json::from_str(example_text("identity-by-reference.json")).expect("an example");
    let add = doc["steps"][0].clone();
    let cert_b64 =
        add["SecItemAdd"]["kSecValueRef"]["identity"]["certificate"]["certificate"]["base64"].as_str().unwrap_or("");
    let der = keyplay::data::decode_base64(cert_b64).expect("base64");
    let cert = x509_cert::Certificate::from_der(&der).expect("a certificate");
    let issuer = cert.tbs_certificate.issuer.to_der().expect("DER");
    let header = 2; // a short-form SEQUENCE header: the name is under 128 bytes
    let (first, last) = (&cert.tbs_certificate.validity.not_before, &cert.tbs_certificate.validity.not_after);
    let rfc3339 = |t: &x509_cert::time::Time| {
        let s = t.to_date_time().to_string();
        s.replace(' ', "T") + if s.ends_with('Z') { "" } else { "Z" }
    };
    let copy = |key: &str, value: Value| json!({"SecItemCopyMatching": {"kSecClass": "kSecClassCertificate", key: value, "kSecMatchLimit": "kSecMatchLimitAll"}});
    let date = |t: String| json!({"date": t});
    let data = |b: &[u8]| json!([{"hex": hex::encode(b)}]);
    doc["steps"] = json!([
        add,
        copy("kSecMatchValidOnDate", date(rfc3339(first))),
        copy("kSecMatchValidOnDate", date(rfc3339(last))),
        copy("kSecMatchValidOnDate", date("2025-12-31T23:59:59Z".into())),
        copy("kSecMatchIssuers", data(&issuer)),
        copy("kSecMatchIssuers", data(&issuer[header..])),
        copy("kSecMatchIssuers", data(b"0\x00")),
    ]);
    let (report, _) = run(&doc);
    assert_eq!(
        statuses(&report)[1..],
        [
            "errSecSuccess",
            "errSecSuccess",
            "errSecItemNotFound",
            "errSecSuccess",
            "errSecSuccess",
            "errSecItemNotFound"
        ],
        "{} / {} {report}",
        rfc3339(first),
        rfc3339(last)
    );
}

/// kSecAttrSynchronizable in a query: true finds the item that syncs, absent finds only items
/// that do not, kSecAttrSynchronizableAny finds both.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_query_for_synced_items_finds_the_item_that_syncs() {
    let query = |sync: Option<Value>| {
        let mut q = json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a",
            "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnAttributes": true});
        if let Some(s) = sync {
            q["kSecAttrSynchronizable"] = s;
        }
        json!({"SecItemCopyMatching": q})
    };
    let doc = keychain_doc(
        "ios",
        json!([
            {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a", "kSecAttrService": "synced", "kSecAttrSynchronizable": true}},
            {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a", "kSecAttrService": "local"}},
            query(Some(json!(true))),
            query(None),
            query(Some(json!("kSecAttrSynchronizableAny"))),
        ]),
    );
    let (report, _) = run(&doc);
    let counts: Vec<Value> = (2..5).map(|i| report["steps"][i]["count"].clone()).collect();
    assert_eq!(counts, [json!(1), json!(1), json!(2)], "{report}");
    assert_eq!(report["steps"][2]["result"][0]["kSecAttrService"], "synced", "{report}");
}

/// With no biometry enrolled, only an item that biometry alone can open fails: user presence,
/// or biometry with a passcode alternative (`.or`), prompts for the passcode.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn without_biometry_only_an_item_biometry_alone_opens_fails() {
    let item = |account: &str, flags: Value| {
        json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s", "kSecAttrAccount": account,
            "kSecAttrAccessControl": {"accessControl": {"accessible": "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly", "flags": flags}},
            "kSecValueData": {"utf8": "x"}})
    };
    let read = |account: &str| {
        json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s",
            "kSecAttrAccount": account, "kSecReturnData": true}})
    };
    let mut doc = keychain_doc("ios", json!([read("presence"), read("either"), read("biometry")]));
    doc["device"] = json!({"biometry": "none"});
    doc["keychain"] = json!([
        item("presence", json!(["kSecAccessControlUserPresence"])),
        item(
            "either",
            json!(["kSecAccessControlBiometryAny", "kSecAccessControlOr", "kSecAccessControlDevicePasscode"])
        ),
        item("biometry", json!(["kSecAccessControlBiometryAny"])),
    ]);
    let (report, _) = run(&doc);
    assert_eq!(statuses(&report), ["errSecSuccess", "errSecSuccess", "errSecAuthFailed"], "{report}");
}

/// The initial keychain is the keychain as the document finds it, whatever the device's state:
/// an item that needs a passcode is there on a device without one, and items are there on a
/// device that has not been unlocked since it started.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_initial_keychain_holds_its_items_whatever_the_device() {
    let item = |account: &str, accessible: &str| json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": account, "kSecAttrAccessible": accessible});
    for device in [json!({"passcode": false}), json!({"unlocked-since-boot": false, "locked": true})] {
        let mut doc = keychain_doc("ios", json!([]));
        doc["device"] = device.clone();
        doc["keychain"] = json!([
            item("p", "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly"),
            item("f", "kSecAttrAccessibleAfterFirstUnlock")
        ]);
        let (report, _) = run(&doc);
        let accounts: Vec<&str> = report["keychain"]
            .as_array()
            .map(|r| r.iter().filter_map(|i| i["kSecAttrAccount"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(accounts, ["p", "f"], "{device}: {report}");
    }
}

/// The file-based keychain ignores kSecAttrAccessGroup: a copy naming a group the app does not
/// have still finds the item there (the data protection keychain would refuse the group).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_file_based_keychain_ignores_an_access_group_the_app_lacks() {
    let doc = keychain_doc(
        "macos-file",
        json!([
            {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a", "kSecAttrService": "s",
                "kSecUseDataProtectionKeychain": false}},
            {"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a",
                "kSecAttrAccessGroup": "OTHER.group", "kSecUseDataProtectionKeychain": false}},
        ]),
    );
    let (report, _) = run(&doc);
    assert_eq!(statuses(&report), ["errSecSuccess", "errSecSuccess"], "{report}");
    assert!(report["steps"][1]["explanation"].to_string().contains("silently ignores kSecAttrAccessGroup"), "{report}");
}

/// kSecClass with a persistent reference: the same class is accepted (a class is not an
/// attribute to securityd), another class is errSecNoSuchClass, an attribute is errSecParam.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_persistent_reference_takes_its_own_class_but_no_attribute() {
    let pref = json!({"persistentRef": "genp:1"});
    let doc = keychain_doc(
        "ios",
        json!([
            { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a", "kSecValueData": {"utf8": "x"} } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecValuePersistentRef": pref, "kSecReturnData": true } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassInternetPassword", "kSecValuePersistentRef": pref, "kSecReturnData": true } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecValuePersistentRef": pref, "kSecAttrAccount": "a" } },
            { "SecItemUpdate": { "query": { "kSecClass": "kSecClassGenericPassword", "kSecValuePersistentRef": pref }, "attributes": { "kSecValueData": {"utf8": "y"} } } },
            { "SecItemDelete": { "kSecClass": "kSecClassGenericPassword", "kSecValuePersistentRef": pref } }
        ]),
    );
    let (report, _) = run(&doc);
    assert_eq!(
        statuses(&report),
        ["errSecSuccess", "errSecSuccess", "errSecNoSuchClass", "errSecParam", "errSecSuccess", "errSecSuccess"],
        "{report}"
    );
    assert_eq!(report["steps"][1]["result"], json!({"utf8": "x"}));
    assert!(explanation(&report, 2).contains("names a genp item"), "{}", explanation(&report, 2));
    assert_eq!(pitfall_ids(&report, 3), ["persistent-ref-with-attributes"]);
}

/// A SecKeychainItemRef as kSecValueRef on the data protection keychain: on macOS the shim
/// puts the item's persistent reference in its place, so it names that one item (not every
/// item of the class); iOS has no such object and a file-based keychain item has no data
/// protection persistent reference, so both are errSecParam (errSecValueRefUnsupported).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_keychain_item_reference_names_its_item_on_the_data_protection_keychain() {
    let item = json!({"keychainItem": {"persistentRef": "genp:1"}});
    let steps = |dp: Value| {
        json!([
            { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a", "kSecValueData": {"utf8": "1"}, "kSecUseDataProtectionKeychain": dp } },
            { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "b", "kSecValueData": {"utf8": "2"}, "kSecUseDataProtectionKeychain": dp } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecValueRef": item, "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnData": true, "kSecUseDataProtectionKeychain": true } },
            { "SecItemDelete": { "kSecClass": "kSecClassGenericPassword", "kSecValueRef": item, "kSecUseDataProtectionKeychain": true } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnAttributes": true, "kSecUseDataProtectionKeychain": dp } }
        ])
    };
    for platform in ["macos", "macos-file"] {
        let (report, _) = run(&keychain_doc(platform, steps(json!(true))));
        assert_eq!(statuses(&report), ["errSecSuccess"; 5], "{platform}: {report}");
        assert_eq!(report["steps"][2]["result"], json!([{"utf8": "1"}]), "{platform}: one item, not both");
        assert!(explanation(&report, 2).contains("by its persistent reference genp:1"), "{platform}");
        let left = report["steps"][4]["result"]
            .as_array()
            .map(|r| r.iter().map(|i| i["kSecAttrAccount"].clone()).collect::<Vec<_>>());
        assert_eq!(left, Some(vec![json!("b")]), "{platform}: the delete removed the referenced item alone");
    }
    // The items in the file-based keychain: their SecKeychainItemRef has no data protection
    // persistent reference to stand for it.
    let (report, _) = run(&keychain_doc("macos-file", steps(json!(false))));
    assert_eq!(status(&report, 2), "errSecParam", "{report}");
    assert!(explanation(&report, 2).contains("errSecValueRefUnsupported"), "{}", explanation(&report, 2));
    let ios = keychain_doc(
        "ios",
        json!([
            { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a", "kSecValueData": {"utf8": "1"} } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecValueRef": item, "kSecReturnData": true } }
        ]),
    );
    let (report, _) = run(&ios);
    assert_eq!(statuses(&report), ["errSecSuccess", "errSecParam"], "{report}");
    assert!(explanation(&report, 1).contains("iOS has no SecKeychainItem"), "{}", explanation(&report, 1));
}

//! Edges of the keychain engine that mutation testing found unguarded (`docs/reliability.md`):
//! each test is a document whose answer a one-token change of the engine would alter.
//! Runs natively and in headless browsers.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::Instant;
use serde_json::{json, Value};

const NOW: Instant = Instant(1_767_225_600); // 2026-01-01T00:00:00Z

/// Each step's report, from a document of `platform` with a starting `keychain`, `device`
/// and `steps`.
fn steps_of(platform: &str, keychain: Value, device: Value, steps: Value) -> Vec<Value> {
    let doc = json!({ "keyplay": 1, "kind": "keychain", "platform": platform, "keychain": keychain,
                      "device": device, "steps": steps });
    let printed = keyplay::run_text(&doc.to_string(), NOW).printed();
    printed.report["steps"].as_array().cloned().unwrap_or_else(|| panic!("no steps: {}", printed.report))
}

fn status(step: &Value) -> &str {
    step["status"].as_str().unwrap_or("")
}

fn pitfalls(step: &Value) -> Vec<&str> {
    step["pitfalls"].as_array().map(|ps| ps.iter().filter_map(|p| p["id"].as_str()).collect()).unwrap_or_default()
}

fn guarded(service: &str, flags: &[&str]) -> Value {
    json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": service, "kSecAttrAccount": "a",
            "kSecValueData": { "utf8": "secret" },
            "kSecAttrAccessControl": { "accessControl": {
                "accessible": "kSecAttrAccessibleWhenUnlockedThisDeviceOnly", "flags": flags } } })
}

fn read(service: &str) -> Value {
    json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": service,
                                     "kSecReturnData": true } })
}

const ALICE: &str = "MIIBYDCCAQegAwIBAgICA+kwCgYIKoZIzj0EAwIwHTEbMBkGA1UEAwwSS2V5cGxheSBFeGFtcGxlIENBMB4XDTI2MDEwMTAwMDAwMFoXDTM2MDEwMTAwMDAwMFowMzEWMBQGA1UEAwwNQWxpY2UgRXhhbXBsZTEZMBcGA1UECgwQS2V5cGxheSBFeGFtcGxlczBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABPnr5GQUfMEC2SMk0JnZJ8GlDkLVegihFv/sCimBnYxlcLr30SiIkCpqDB1nrdEDEjyFmrab+OlDHJOEkw1Lfu6jITAfMB0GA1UdDgQWBBQzWClrVCbLEr4KK0PrXPr9jM3sTzAKBggqhkjOPQQDAgNHADBEAiBcN7PDSq8PhzkGk08z6iYOIKbtb0++Tc2vyBheiBYqXgIgc277v5etGWiPk7ZyO67dyoF1cUx/wgdiAG9b/pk3icI=";

fn alice_certificate() -> Value {
    json!({ "kSecClass": "kSecClassCertificate", "kSecValueRef": { "certificate": { "base64": ALICE } } })
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn or_with_a_single_biometric_constraint_is_that_constraint() {
    // kSecAccessControlOr with nothing else to choose: after an enrolment change the item is
    // lost, as with the biometric flag alone; the passcode opens only what names it.
    let keychain = json!([
        guarded("lone-or", &["kSecAccessControlBiometryCurrentSet", "kSecAccessControlOr"]),
        guarded(
            "or-passcode",
            &["kSecAccessControlBiometryCurrentSet", "kSecAccessControlOr", "kSecAccessControlDevicePasscode"]
        )
    ]);
    let steps =
        steps_of("ios", keychain, json!({}), json!([{ "biometry": "changed" }, read("lone-or"), read("or-passcode")]));
    assert_eq!(status(&steps[1]), "errSecAuthFailed", "{}", steps[1]);
    assert!(pitfalls(&steps[1]).contains(&"biometry-current-set-invalidated"), "{}", steps[1]);
    assert_eq!(status(&steps[2]), "errSecSuccess", "{}", steps[2]);
    // Without enrolled biometry, a biometric flag with a lone Or cannot authenticate either.
    let keychain = json!([
        guarded("any-or", &["kSecAccessControlBiometryAny", "kSecAccessControlOr"]),
        guarded(
            "any-or-passcode",
            &["kSecAccessControlBiometryAny", "kSecAccessControlOr", "kSecAccessControlDevicePasscode"]
        )
    ]);
    let steps =
        steps_of("ios", keychain, json!({ "biometry": "none" }), json!([read("any-or"), read("any-or-passcode")]));
    assert_eq!(status(&steps[0]), "errSecAuthFailed", "{}", steps[0]);
    assert_eq!(status(&steps[1]), "errSecSuccess", "{}", steps[1]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_persistent_reference_on_the_file_based_keychain_makes_the_attributes_no_filter() {
    // The file-based keychain fetches the referenced item and ignores the query's attributes,
    // so the non-unique-attribute pitfall does not apply; a plain query by label does get it.
    let steps = steps_of(
        "macos-file",
        json!([]),
        json!({}),
        json!([
            { "SecItemAdd": alice_certificate() },
            { "SecItemCopyMatching": { "kSecValuePersistentRef": { "persistentRef": "cert:1" },
                                       "kSecAttrLabel": "not this label", "kSecReturnAttributes": true } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassCertificate", "kSecAttrLabel": "Alice Example" } }
        ]),
    );
    assert_eq!(status(&steps[1]), "errSecSuccess", "{}", steps[1]);
    assert!(pitfalls(&steps[1]).is_empty(), "{}", steps[1]);
    assert!(pitfalls(&steps[2]).contains(&"query-non-unique-attribute"), "{}", steps[2]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn only_the_file_based_keychain_takes_a_string_as_an_items_data() {
    let add = json!([{ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S",
                                       "kSecValueData": "a CFString" } }]);
    assert_eq!(status(&steps_of("macos-file", json!([]), json!({}), add.clone())[0]), "errSecSuccess");
    assert_eq!(status(&steps_of("ios", json!([]), json!({}), add)[0]), "errSecParam");
    // So does a starting keychain: on iOS the item cannot be stored, which is a document error.
    let starting = |platform: &str| {
        let doc = json!({ "keyplay": 1, "kind": "keychain", "platform": platform, "now": "2026-01-01T00:00:00Z",
                          "keychain": [{ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S",
                                         "kSecValueData": "a CFString" }], "steps": [] });
        keyplay::run_text(&doc.to_string(), NOW).printed().report
    };
    let ios = starting("ios");
    assert_eq!(ios["error"]["path"], "/keychain/0", "{ios}");
    assert!(ios["error"]["message"].as_str().is_some_and(|m| m.contains("must be CFData")), "{ios}");
    assert_eq!(starting("macos-file")["keychain"].as_array().map(Vec::len), Some(1));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_shim_folds_both_keychains_results_and_a_false_data_protection_flag_keeps_to_the_file() {
    let item = |service: &str, dp: bool| {
        json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": service,
                                "kSecAttrAccount": "a", "kSecUseDataProtectionKeychain": dp } })
    };
    let all = |dp: Option<bool>| {
        let mut q = json!({ "kSecClass": "kSecClassGenericPassword", "kSecMatchLimit": "kSecMatchLimitAll",
                            "kSecReturnAttributes": true });
        if let Some(dp) = dp {
            q["kSecUseDataProtectionKeychain"] = json!(dp);
        }
        json!({ "SecItemCopyMatching": q })
    };
    let steps = steps_of(
        "macos-file",
        json!([]),
        json!({}),
        json!([item("in-dp", true), item("in-file", false), all(None), all(Some(false)), all(Some(true))]),
    );
    assert_eq!((status(&steps[0]), status(&steps[1])), ("errSecSuccess", "errSecSuccess"));
    let services = |step: &Value| -> Vec<String> {
        let mut s: Vec<String> = step["result"]
            .as_array()
            .map(|r| r.iter().filter_map(|i| i["kSecAttrService"].as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        s.sort();
        s
    };
    assert_eq!((steps[2]["count"].clone(), services(&steps[2])), (json!(2), vec!["in-dp".into(), "in-file".into()]));
    assert_eq!(services(&steps[3]), ["in-file"], "{}", steps[3]);
    assert_eq!(services(&steps[4]), ["in-dp"], "{}", steps[4]);
    // On macOS without the shim a false flag is the one way to the file-based keychain.
    let steps = steps_of("macos", json!([]), json!({}), json!([item("in-file", false), all(None), all(Some(false))]));
    assert_eq!(status(&steps[0]), "errSecSuccess", "{}", steps[0]);
    assert_eq!(status(&steps[1]), "errSecItemNotFound", "{}", steps[1]);
    assert_eq!(services(&steps[2]), ["in-file"], "{}", steps[2]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_update_to_an_attribute_the_class_lacks_is_refused_except_by_the_file_based_keychain() {
    let steps = |platform: &str| {
        steps_of(
            platform,
            json!([{ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a" }]),
            json!({}),
            json!([{ "SecItemUpdate": { "query": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S" },
                                        "attributes": { "kSecAttrServer": "example.com" } } }]),
        )
    };
    let ios = steps("ios");
    assert_eq!(status(&ios[0]), "errSecNoSuchAttr", "{}", ios[0]);
    assert!(pitfalls(&ios[0]).contains(&"erroneous-attribute"), "{}", ios[0]);
    let file = steps("macos-file");
    assert_eq!(status(&file[0]), "errSecSuccess", "{}", file[0]);
    assert!(file[0]["explanation"].to_string().contains("ignores kSecAttrServer"), "{}", file[0]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_passcode_class_key_is_missing_while_no_passcode_is_set_even_unlocked() {
    let item = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecValueData": { "utf8": "x" },
                       "kSecAttrAccessible": "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly" });
    let copy = json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecReturnData": true } });
    let steps = steps_of("ios", json!([item]), json!({ "passcode": false, "locked": false }), json!([copy]));
    assert_eq!(status(&steps[0]), "errSecInteractionNotAllowed", "{}", steps[0]);
    let steps = steps_of("ios", json!([item]), json!({ "locked": false }), json!([copy]));
    assert_eq!(status(&steps[0]), "errSecSuccess", "{}", steps[0]);
}

/// `CN=Keyplay Example CA`, the issuer of [`ALICE`], as a whole DER Name.
const ISSUER_DER: &str = "301d311b301906035504030c124b6579706c6179204578616d706c65204341";

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn only_the_data_protection_keychain_turns_a_queried_issuer_into_its_content() {
    let by_issuer = |hex: &str| json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassCertificate", "kSecAttrIssuer": { "hex": hex } } });
    let content = &ISSUER_DER[4..];
    for platform in ["ios", "macos-file"] {
        let steps = steps_of(
            platform,
            json!([]),
            json!({}),
            json!([{ "SecItemAdd": alice_certificate() }, by_issuer(ISSUER_DER), by_issuer(content)]),
        );
        assert_eq!(status(&steps[1]), "errSecSuccess", "{platform}, the whole Name: {}", steps[1]);
        // The file-based keychain stores and compares the whole Name; the data protection
        // keychain stores the content, which a query may also give as it is.
        let want = if platform == "ios" { "errSecSuccess" } else { "errSecItemNotFound" };
        assert_eq!(status(&steps[2]), want, "{platform}, the content: {}", steps[2]);
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_synced_identity_is_found_by_its_persistent_reference() {
    let example = keyplay::gallery::of_kind("keychain")
        .find(|(name, _)| *name == "identity-forms-from-cert-and-key.json")
        .map(|(_, text)| serde_json::from_str::<Value>(text).expect("JSON"))
        .expect("the example ships");
    let mut cert = example["steps"][0].clone();
    let mut key = example["steps"][2].clone();
    cert["SecItemAdd"]["kSecAttrSynchronizable"] = json!(true);
    key["SecItemAdd"]["kSecAttrSynchronizable"] = json!(true);
    let find = |query: Value| json!({ "SecItemCopyMatching": query });
    let mut calls = vec![
        cert,
        key,
        find(json!({ "kSecClass": "kSecClassIdentity", "kSecAttrSynchronizable": "kSecAttrSynchronizableAny",
                     "kSecReturnPersistentRef": true })),
        find(json!({ "kSecClass": "kSecClassIdentity" })),
    ];
    let steps = steps_of("ios", json!([]), json!({}), Value::Array(calls.clone()));
    assert_eq!(status(&steps[2]), "errSecSuccess", "{}", steps[2]);
    assert_eq!(status(&steps[3]), "errSecItemNotFound", "a query without the flag sees no synced identity");
    let pref = steps[2]["result"].clone();
    assert!(pref["persistentRef"].as_str().is_some_and(|p| p.starts_with("idnt:")), "{pref}");
    // The reference names the identity whatever it syncs: no kSecAttrSynchronizable needed.
    calls.push(find(json!({ "kSecValuePersistentRef": pref, "kSecReturnAttributes": true })));
    let steps = steps_of("ios", json!([]), json!({}), Value::Array(calls));
    assert_eq!(status(&steps[4]), "errSecSuccess", "{}", steps[4]);
    assert_eq!(steps[4]["count"], json!(1), "{}", steps[4]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn user_presence_with_private_key_usage_is_a_valid_access_control() {
    // .userPresence with .privateKeyUsage is the usual Secure Enclave key's; only another
    // authentication constraint beside user presence is refused.
    let add = |flags: &[&str]| json!({ "SecItemAdd": guarded("S", flags) });
    let steps = steps_of(
        "ios",
        json!([]),
        json!({}),
        json!([
            add(&["kSecAccessControlUserPresence", "kSecAccessControlPrivateKeyUsage"]),
            add(&["kSecAccessControlUserPresence", "kSecAccessControlDevicePasscode"])
        ]),
    );
    assert_eq!(status(&steps[0]), "errSecSuccess", "{}", steps[0]);
    assert_eq!(status(&steps[1]), "errSecParam", "{}", steps[1]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_query_by_persistent_reference_alone_misses_for_no_class() {
    let doc = json!({ "keychain": [{ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S" }],
                      "app": { "application-identifier": "SKMME9E2Y8.com.example.app" } });
    let misses = keyplay::import::dump::explain_miss(
        &doc,
        &json!({ "kSecValuePersistentRef": { "persistentRef": "genp:1" } }),
        NOW,
    )
    .expect("explains");
    assert_eq!(misses.len(), 1);
    assert_eq!(misses[0].mismatches, Vec::<String>::new(), "the reference names the item: {misses:?}");
    let misses = keyplay::import::dump::explain_miss(&doc, &json!({ "kSecAttrService": "S" }), NOW).expect("explains");
    assert_eq!(misses[0].mismatches, ["kSecClass: the query has none, so it matches nothing"]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn updates_count_every_item_changed_on_both_keychains_and_both_halves_of_an_identity() {
    let item = |service: &str, dp: bool| {
        json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": service, "kSecAttrAccount": "a",
                "kSecUseDataProtectionKeychain": dp })
    };
    let update = json!({ "SecItemUpdate": { "query": { "kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a" },
                                            "attributes": { "kSecAttrLabel": "both", "kSecUseDataProtectionKeychain": true } } });
    let steps = steps_of(
        "macos-file",
        json!([]),
        json!({}),
        json!([{ "SecItemAdd": item("dp", true) }, { "SecItemAdd": item("file", false) }, update]),
    );
    assert_eq!(status(&steps[2]), "errSecSuccess", "{}", steps[2]);
    assert!(steps[2]["explanation"].to_string().contains("2 item(s) updated"), "{}", steps[2]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn only_a_case_insensitive_match_makes_the_file_based_keychain_ignore_case() {
    let find = |insensitive: bool| {
        let mut q = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrLabel": "alice" });
        if insensitive {
            q["kSecMatchCaseInsensitive"] = json!(true);
        }
        json!({ "SecItemCopyMatching": q })
    };
    let steps = steps_of(
        "macos-file",
        json!([]),
        json!({}),
        json!([{ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrLabel": "Alice" } },
               find(false), find(true)]),
    );
    assert_eq!(status(&steps[1]), "errSecItemNotFound", "{}", steps[1]);
    assert_eq!(status(&steps[2]), "errSecSuccess", "{}", steps[2]);
    // The data protection keychain accepts the key and ignores it.
    let steps = steps_of(
        "ios",
        json!([{ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrLabel": "Alice" }]),
        json!({}),
        json!([find(true)]),
    );
    assert_eq!(status(&steps[0]), "errSecItemNotFound", "{}", steps[0]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_certificate_and_its_public_key_make_no_identity() {
    let example = keyplay::gallery::of_kind("keychain")
        .find(|(name, _)| *name == "identity-forms-from-cert-and-key.json")
        .map(|(_, text)| serde_json::from_str::<Value>(text).expect("JSON"))
        .expect("the example ships");
    let cert = example["steps"][0].clone();
    let mut public = example["steps"][2].clone();
    let key = &mut public["SecItemAdd"]["kSecValueRef"]["key"];
    // The private key's external form is 04‖X‖Y‖D: the public key is its first 65 bytes.
    let hex = key["kSecValueData"]["hex"].as_str().expect("hex").to_string();
    key["kSecValueData"]["hex"] = json!(hex[..130]);
    key["kSecAttrKeyClass"] = json!("kSecAttrKeyClassPublic");
    let identity = json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassIdentity" } });
    let steps = steps_of("ios", json!([]), json!({}), json!([cert, public, identity]));
    assert_eq!((status(&steps[0]), status(&steps[1])), ("errSecSuccess", "errSecSuccess"), "{}", steps[1]);
    assert_eq!(status(&steps[2]), "errSecItemNotFound", "{}", steps[2]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn reports_of_different_keychains_are_not_equal() {
    let report = |service: &str| {
        let doc = json!({ "keyplay": 1, "kind": "keychain", "platform": "ios",
                          "keychain": [{ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": service }],
                          "steps": [] });
        let (doc, now) = keyplay::keychain::parse_document(doc, NOW).expect("parses");
        keyplay::keychain::run(&doc, now).expect("runs")
    };
    assert_eq!(report("S").keychain, report("S").keychain);
    assert_ne!(report("S").keychain, report("T").keychain);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_shim_sends_a_reference_to_the_keychain_that_holds_its_item() {
    let keychain = json!([
        { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "F", "kSecAttrAccount": "a" },
        { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "D", "kSecAttrAccount": "a",
          "kSecUseDataProtectionKeychain": true }
    ]);
    let copy = |query: Value| json!({ "SecItemCopyMatching": query });
    let steps = steps_of(
        "macos-file",
        keychain,
        json!({}),
        json!([
            copy(json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "F",
                         "kSecAttrAccessGroup": "SKMME9E2Y8.other" })),
            copy(json!({ "kSecValuePersistentRef": { "persistentRef": "genp:2" }, "kSecReturnAttributes": true })),
            copy(
                json!({ "kSecValueRef": { "keychainItem": { "persistentRef": "genp:1" } }, "kSecReturnAttributes": true })
            )
        ]),
    );
    // The file-based keychain has no access groups: it ignores the one the query names.
    assert_eq!(status(&steps[0]), "errSecSuccess", "{}", steps[0]);
    assert!(steps[0]["explanation"].to_string().contains("silently ignores kSecAttrAccessGroup"), "{}", steps[0]);
    let explanation = |step: &Value| step["explanation"].as_array().map(Vec::len).unwrap_or(0);
    for (step, keychain) in [(&steps[1], "data protection"), (&steps[2], "file-based")] {
        assert_eq!(status(step), "errSecSuccess", "{step}");
        assert_eq!(explanation(step), 1, "one keychain answers: {step}");
        assert!(step["explanation"][0].as_str().is_some_and(|l| l.contains(keychain)), "{step}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_update_of_an_identity_changes_its_certificate_and_its_key() {
    let example = keyplay::gallery::of_kind("keychain")
        .find(|(name, _)| *name == "identity-by-reference.json")
        .map(|(_, text)| serde_json::from_str::<Value>(text).expect("JSON"))
        .expect("the example ships");
    let identity = example["steps"][0]["SecItemAdd"]["kSecValueRef"].clone();
    let steps = steps_of(
        "ios",
        json!([]),
        json!({}),
        json!([example["steps"][0].clone(),
               { "SecItemUpdate": { "query": { "kSecValueRef": identity }, "attributes": { "kSecAttrLabel": "Renamed" } } }]),
    );
    assert_eq!(status(&steps[1]), "errSecSuccess", "{}", steps[1]);
    assert!(steps[1]["explanation"].to_string().contains("2 item(s) updated"), "{}", steps[1]);
}

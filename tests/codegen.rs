//! Import of pasted Swift / Objective-C SecItem code and export of documents as Swift.
//! Runs natively and in headless browsers (wasm-bindgen-test); property tests run natively.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::codegen::swift::{document_to_swift, step_to_swift};
use keyplay::codegen::{import, Import, Problem};
use keyplay::report::Printed;
use keyplay::Instant;
use serde_json::{json, Value};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

const NOW: Instant = Instant(1_767_225_600); // 2026-01-01T00:00:00Z

fn problem(line: usize, column: usize, snippet: &str, message: &str) -> Problem {
    Problem { line, column, snippet: snippet.into(), message: message.into() }
}

/// Runs imported steps as an iOS document; returns the exit status (0 or 1 means it ran).
fn run_steps(steps: &[Value]) -> u8 {
    let doc = json!({ "keyplay": 1, "kind": "keychain", "steps": steps });
    let out = run_text(&doc.to_string(), NOW);
    assert_ne!(out.exit, 2, "{}", out.report);
    out.exit
}

fn assumed(line: usize, column: usize, snippet: &str, key: &str, name: &str, what: &str) -> Problem {
    problem(line, column, snippet, &format!("{key}: `{name}` cannot be evaluated here: assumed {what}"))
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn keychain_wrapper_in_swift() {
    let got = import(include_str!("codegen/keychain-wrapper.swift"));
    let query = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "com.example.app.auth",
                        "kSecAttrAccount": "<account>" });
    assert_eq!(
        got.steps,
        vec![
            json!({ "SecItemDelete": query }),
            json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "com.example.app.auth",
                "kSecAttrAccount": "<account>", "kSecValueData": { "utf8": "<data>" },
                "kSecAttrAccessible": "kSecAttrAccessibleAfterFirstUnlock" } }),
            json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword",
                "kSecAttrService": "com.example.app.auth", "kSecAttrAccount": "<account>", "kSecReturnData": true,
                "kSecMatchLimit": "kSecMatchLimitOne" } }),
            json!({ "SecItemDelete": query }),
        ]
    );
    let account = r#"the string "<account>""#;
    assert_eq!(
        got.problems,
        vec![
            assumed(9, 40, "account", "kSecAttrAccount", "account", account),
            assumed(13, 47, "data", "kSecValueData", "data", r#"the data {"utf8": "<data>"}"#),
            assumed(23, 30, "account", "kSecAttrAccount", "account", account),
            assumed(34, 117, "account", "kSecAttrAccount", "account", account),
        ]
    );
    // `SecItemDelete(query)` then the add of a copy with the same service and account.
    let flags: Vec<(&str, usize)> = got.flags.iter().map(|f| (f.id, f.step)).collect();
    assert_eq!(flags, vec![("delete-then-add", 1)]);
    assert_eq!(run_steps(&got.steps), 0);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn swift_keychain_wrapper_with_key_aliases_and_a_query_helper() {
    let got = import(include_str!("codegen/swift-keychain-wrapper.swift"));
    let id = json!({ "utf8": "<encodedIdentifier>" });
    let base = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "SwiftKeychainWrapper",
                       "kSecAttrGeneric": id, "kSecAttrAccount": id });
    let mut copy = base.clone();
    copy["kSecMatchLimit"] = json!("kSecMatchLimitOne");
    copy["kSecReturnData"] = json!(true);
    let mut add = base;
    add["kSecValueData"] = json!({ "utf8": "<value>" });
    add["kSecAttrAccessible"] = json!("kSecAttrAccessibleWhenUnlocked");
    assert_eq!(got.steps, vec![json!({ "SecItemCopyMatching": copy }), json!({ "SecItemAdd": add })]);
    let data = r#"the data {"utf8": "<encodedIdentifier>"}"#;
    assert_eq!(
        got.problems,
        vec![
            assumed(26, 49, "value", "kSecValueData", "value", r#"the data {"utf8": "<value>"}"#),
            assumed(
                27,
                54,
                "KeychainItemAccessibility.whenUnlocked.keychainAttrValue",
                "kSecAttrAccessible",
                "keychainAttrValue",
                "\"kSecAttrAccessibleWhenUnlocked\""
            ),
            assumed(41, 51, "encodedIdentifier", "kSecAttrGeneric", "encodedIdentifier", data),
            assumed(42, 51, "encodedIdentifier", "kSecAttrAccount", "encodedIdentifier", data),
        ]
    );
    assert_eq!(run_steps(&got.steps), 0);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn apple_internet_password_sample() {
    let got = import(include_str!("codegen/apple-internet-password.swift"));
    let server = json!({ "kSecClass": "kSecClassInternetPassword", "kSecAttrServer": "www.example.com" });
    assert_eq!(
        got.steps,
        vec![
            json!({ "SecItemAdd": { "kSecClass": "kSecClassInternetPassword", "kSecAttrAccount": "<account>",
                "kSecAttrServer": "www.example.com", "kSecValueData": { "utf8": "<password>" },
                "kSecAttrLabel": "Example sign-in" } }),
            json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassInternetPassword",
                "kSecAttrServer": "www.example.com", "kSecMatchLimit": "kSecMatchLimitOne",
                "kSecReturnAttributes": true, "kSecReturnData": true } }),
            json!({ "SecItemUpdate": { "query": server, "attributes": { "kSecAttrAccount": "<account>",
                "kSecValueData": { "utf8": "<password>" } } } }),
            json!({ "SecItemDelete": server }),
        ]
    );
    let account = r#"the string "<account>""#;
    let password = r#"the data {"utf8": "<password>"}"#;
    assert_eq!(
        got.problems,
        vec![
            assumed(20, 60, "account", "kSecAttrAccount", "account", account),
            assumed(22, 58, "password", "kSecValueData", "password", password),
            assumed(53, 65, "account", "kSecAttrAccount", "account", account),
            assumed(54, 63, "password", "kSecValueData", "password", password),
        ]
    );
    assert_eq!(run_steps(&got.steps), 0);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn sam_keychain_style_objective_c() {
    let got = import(include_str!("codegen/sam-keychain.m"));
    assert_eq!(
        got.steps,
        vec![
            json!({ "SecItemDelete": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "com.example.sync",
                "kSecAttrAccount": "<account>" } }),
            json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "com.example.sync",
                "kSecAttrAccount": "<account>", "kSecValueData": { "utf8": "<passwordData>" },
                "kSecAttrAccessible": "kSecAttrAccessibleWhenUnlocked" } }),
            json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword",
                "kSecAttrService": "com.example.sync", "kSecAttrAccount": "mrgumby", "kSecReturnData": true,
                "kSecMatchLimit": "kSecMatchLimitOne" } }),
        ]
    );
    assert_eq!(
        got.problems,
        vec![
            assumed(7, 22, "account", "kSecAttrAccount", "account", r#"the string "<account>""#),
            assumed(11, 22, "passwordData", "kSecValueData", "passwordData", r#"the data {"utf8": "<passwordData>"}"#),
        ]
    );
    // The same mutable dictionary deleted, then added with kSecValueData: delete-then-add.
    let flags: Vec<(&str, usize)> = got.flags.iter().map(|f| (f.id, f.step)).collect();
    assert_eq!(flags, vec![("delete-then-add", 1)]);
    assert_eq!(run_steps(&got.steps), 0);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn access_control_with_face_id() {
    let got = import(include_str!("codegen/face-id.swift"));
    assert_eq!(
        got.steps,
        vec![
            json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "vault",
                "kSecAttrAccount": "master-key",
                "kSecAttrAccessControl": { "accessControl": {
                    "accessible": "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly",
                    "flags": ["kSecAccessControlBiometryCurrentSet", "kSecAccessControlOr",
                              "kSecAccessControlDevicePasscode"] } },
                "kSecValueData": { "utf8": "<secret>" } } }),
            json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "vault",
                "kSecAttrAccount": "master-key", "kSecReturnData": true,
                "kSecUseOperationPrompt": "Access your vault" } }),
        ]
    );
    assert_eq!(
        got.problems,
        vec![
            problem(
                18,
                49,
                "context",
                "kSecUseAuthenticationContext: `context` cannot be evaluated here and Keyplay has no stand-in for this kind of object: entry left out"
            ),
            assumed(19, 34, "Data(secret.utf8)", "kSecValueData", "secret", r#"the data {"utf8": "<secret>"}"#),
        ]
    );
    assert_eq!(run_steps(&got.steps), 0);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn inline_dictionaries_updates_and_assertions() {
    let src = r#"
        let service = "api.example.com" // tracked: a simple constant
        // Internet password, as NSDictionary
        let query = [kSecClass: kSecClassInternetPassword,
                     kSecAttrServer: service,
                     kSecAttrAccount: "bob",
                     kSecAttrPort: 443,] as NSDictionary
        let attributes = [kSecValueData: "n3w-pa55".data(using: .utf8)!] as CFDictionary
        let status = SecItemUpdate(query, attributes)
        XCTAssertEqual(status, errSecItemNotFound)
        XCTAssertEqual(SecItemAdd([kSecClass: kSecClassInternetPassword, kSecAttrServer: service,
                                   kSecAttrAccount: "bob", kSecValueData: Data([0x01, 0xff])] as CFDictionary, nil), noErr)
        assert(SecItemDelete(query) == errSecSuccess)
    "#;
    let got = import(src);
    let query = json!({ "kSecClass": "kSecClassInternetPassword", "kSecAttrServer": "api.example.com",
                        "kSecAttrAccount": "bob", "kSecAttrPort": 443 });
    assert_eq!(
        got.steps,
        vec![
            json!({ "SecItemUpdate": { "query": query, "attributes": { "kSecValueData": { "utf8": "n3w-pa55" } } },
                    "expect": { "status": "errSecItemNotFound" } }),
            json!({ "SecItemAdd": { "kSecClass": "kSecClassInternetPassword", "kSecAttrServer": "api.example.com",
                    "kSecAttrAccount": "bob", "kSecValueData": { "hex": "01ff" } },
                    "expect": { "status": "errSecSuccess" } }),
            json!({ "SecItemDelete": query, "expect": { "status": "errSecSuccess" } }),
        ]
    );
    assert_eq!(got.problems, vec![]);
    // The add has no port, so the delete (which names port 443) finds nothing: an unmet expectation.
    assert_eq!(run_steps(&got.steps), 1);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn objective_c_literals_and_mutations() {
    let src = r#"
        NSMutableDictionary *query = [@{
            (__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword,
            (__bridge id)kSecAttrService: @"AYS",
            (__bridge id)kSecAttrAccount: @"mrgumby",
            (__bridge id)kSecAttrIsInvisible: @NO,
            (__bridge id)kSecAttrType: @(42),
        } mutableCopy];
        query[(__bridge id)kSecValueData] = [@"opendoor" dataUsingEncoding:NSUTF8StringEncoding];
        SecAccessControlRef access = SecAccessControlCreateWithFlags(kCFAllocatorDefault,
            kSecAttrAccessibleWhenUnlockedThisDeviceOnly, kSecAccessControlBiometryAny | kSecAccessControlOr | kSecAccessControlDevicePasscode, NULL);
        [query setObject:(__bridge_transfer id)access forKey:(__bridge id)kSecAttrAccessControl];
        OSStatus status = SecItemAdd((__bridge CFDictionaryRef)query, NULL);
        [query removeObjectForKey:(__bridge id)kSecValueData];
        [query removeObjectForKey:(__bridge id)kSecAttrAccessControl];
        query[(__bridge id)kSecReturnAttributes] = (__bridge id)kCFBooleanTrue;
        CFDictionaryRef result = NULL;
        status = SecItemCopyMatching((__bridge CFDictionaryRef)query, (CFTypeRef *)&result);
        NSDictionary *unused = @{ (__bridge id)kSecClass: (__bridge id)kSecClassKey };
        SecKeyRef key = SecKeyCreateRandomKey((__bridge CFDictionaryRef)unused, NULL);
    "#;
    let got = import(src);
    let base = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS", "kSecAttrAccount": "mrgumby",
                       "kSecAttrIsInvisible": false, "kSecAttrType": 42 });
    let mut add = base.clone();
    add["kSecValueData"] = json!({ "utf8": "opendoor" });
    add["kSecAttrAccessControl"] = json!({ "accessControl": { "accessible": "kSecAttrAccessibleWhenUnlockedThisDeviceOnly",
        "flags": ["kSecAccessControlBiometryAny", "kSecAccessControlOr", "kSecAccessControlDevicePasscode"] } });
    let mut copy = base;
    copy["kSecReturnAttributes"] = json!(true);
    assert_eq!(got.steps, vec![json!({ "SecItemAdd": add }), json!({ "SecItemCopyMatching": copy })]);
    assert_eq!(
        got.problems,
        vec![problem(20, 25, "SecKeyCreateRandomKey", "SecKeyCreateRandomKey is not simulated by Keyplay: no step")]
    );
    assert_eq!(run_steps(&got.steps), 0);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn raw_keys_dictionary_methods_core_foundation_and_helper_methods() {
    let swift = r#"
        var q = ["svce": "S", kSecClass: kSecClassGenericPassword] as [String: Any]
        q.updateValue("a", forKey: kSecAttrAccount as String)
        q.updateValue(Date(timeIntervalSinceReferenceDate: 0), forKey: kSecAttrModificationDate as String)
        SecItemCopyMatching(q as CFDictionary, nil)
        q.removeValue(forKey: kSecAttrModificationDate as String)
        SecItemDelete(q as CFDictionary)
    "#;
    let got = import(swift);
    let q = json!({ "kSecAttrService": "S", "kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a" });
    let mut dated = q.clone();
    dated["kSecAttrModificationDate"] = json!({ "date": "2001-01-01T00:00:00Z" });
    assert_eq!(got.steps, vec![json!({ "SecItemCopyMatching": dated }), json!({ "SecItemDelete": q })]);
    assert_eq!(got.problems, vec![]);
    let objc = r#"
        - (NSDictionary *)baseQuery {
            return [NSDictionary dictionaryWithObjectsAndKeys:
                (__bridge id)kSecClassGenericPassword, (__bridge id)kSecClass,
                @"S", (__bridge id)kSecAttrService, nil];
        }
        - (void)wipe {
            CFMutableDictionaryRef q = CFDictionaryCreateMutable(kCFAllocatorDefault, 0, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
            CFDictionaryAddValue(q, kSecClass, kSecClassInternetPassword);
            CFDictionarySetValue(q, kSecAttrServer, CFSTR("example.com"));
            SecItemDelete(q);
            SecItemDelete((__bridge CFDictionaryRef)[self baseQuery]);
        }
    "#;
    let computed = r#"
        private var baseQuery: [String: Any] {
            [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: service]
        }
        func query(for account: String) -> [String: Any] {
            var query = baseQuery
            query[kSecAttrAccount as String] = account
            return query
        }
        func read(_ account: String) { SecItemCopyMatching(query(for: account) as CFDictionary, nil) }
        let service = "S"
    "#;
    let got = import(computed);
    // `service` is declared outside any function (after its use): the helper sees it.
    assert_eq!(
        got.steps,
        vec![json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword",
            "kSecAttrService": "S", "kSecAttrAccount": "<account>" } })]
    );
    assert_eq!(got.problems.len(), 1, "{:?}", got.problems);
    let got = import(objc);
    assert_eq!(
        got.steps,
        vec![
            json!({ "SecItemDelete": { "kSecClass": "kSecClassInternetPassword", "kSecAttrServer": "example.com" } }),
            json!({ "SecItemDelete": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S" } }),
        ]
    );
    assert_eq!(got.problems, vec![]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn what_is_not_understood_is_pointed_at() {
    let src = r#"let query: [String: Any] = [
    kSecClass as String: kSecClassGenericPasword,
    kSecAttrSyncViewHint as String: "x",
    kSecAttrService as String: "\(bundleID).tokens",
    kSecAttrSynchronizable as String: isSynced ? kCFBooleanTrue : kCFBooleanFalse,
    kSecMatchLimit as String: nil,
]
let leftover = [kSecClass: kSecClassGenericPassword]
SecItemCopyMatching(query as CFDictionary, nil)
SecItemDelete(someQuery)
"#;
    let got = import(src);
    assert_eq!(
        got.steps,
        vec![
            json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "<bundleID>",
                "kSecAttrSynchronizable": true } }),
            json!({ "SecItemDelete": {} }),
        ]
    );
    assert_eq!(
        got.problems,
        vec![
            problem(2, 26, "kSecClassGenericPasword", "kSecClass: kSecClassGenericPasword is not a constant Keyplay knows: assumed \"kSecClassGenericPassword\""),
            problem(3, 5, "kSecAttrSyncViewHint as String", "kSecAttrSyncViewHint is not a key Keyplay simulates: entry left out"),
            assumed(4, 32, r#""\(bundleID).tokens""#, "kSecAttrService", "bundleID", r#"the string "<bundleID>""#),
            assumed(5, 39, "isSynced ? kCFBooleanTrue : kCFBooleanFalse", "kSecAttrSynchronizable", "isSynced", "true"),
            problem(6, 31, "nil", "kSecMatchLimit: nil is no CF value (Swift would not compile it, Objective-C would crash): entry left out"),
            problem(8, 5, "leftover = [kSecClass: kSecClassGenericPassword]", "`leftover` is never passed to a SecItem call: no step for it"),
            problem(10, 15, "someQuery", "`someQuery` is not a dictionary the importer can see: SecItemDelete gets an empty query dictionary"),
        ]
    );
    assert_ne!(run_steps(&got.steps), 2);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn oversized_input_is_refused() {
    let big = "// padding\n".repeat(keyplay::codegen::MAX_SOURCE_BYTES / 10);
    let got = import(&big);
    assert!(got.steps.is_empty());
    assert_eq!(got.problems.len(), 1);
    let deep = format!("SecItemAdd({}{}, nil)", "[".repeat(5000), "]".repeat(5000));
    let got = import(&deep);
    assert_eq!(got.steps.len(), 1);
    assert!(got.problems.iter().any(|p| p.message.contains("nested deeper")));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn export_of_one_step() {
    let step = json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS",
        "kSecAttrAccount": "mr \"gumby\"", "kSecReturnData": true, "kSecMatchLimit": "kSecMatchLimitOne" },
        "expect": { "status": "errSecItemNotFound", "count": 0 } });
    assert_eq!(
        step_to_swift(&step),
        r#"let query: [String: Any] = [
    kSecClass as String: kSecClassGenericPassword,
    kSecAttrService as String: "AYS",
    kSecAttrAccount as String: "mr \"gumby\"",
    kSecReturnData as String: true,
    kSecMatchLimit as String: kSecMatchLimitOne,
]
var result: CFTypeRef?
let status = SecItemCopyMatching(query as CFDictionary, &result)
assert(status == errSecItemNotFound)
// Keyplay expects 0 item(s) or value(s) in the result
"#
    );
    let step = json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a",
        "kSecAttrModificationDate": { "date": "2026-01-01T00:00:00Z" },
        "kSecAttrAccessControl": { "accessControl": { "accessible": "kSecAttrAccessibleWhenUnlockedThisDeviceOnly",
            "flags": ["kSecAccessControlBiometryCurrentSet"] } },
        "kSecValueData": { "utf8": "pa55" } } });
    assert_eq!(
        step_to_swift(&step),
        r#"let accessControl = SecAccessControlCreateWithFlags(nil, kSecAttrAccessibleWhenUnlockedThisDeviceOnly, .biometryCurrentSet, nil)!
let query: [String: Any] = [
    kSecClass as String: kSecClassGenericPassword,
    kSecAttrAccount as String: "a",
    kSecAttrModificationDate as String: Date(timeIntervalSince1970: 1767225600),
    kSecAttrAccessControl as String: accessControl,
    kSecValueData as String: Data("pa55".utf8),
]
let status = SecItemAdd(query as CFDictionary, nil)
print("SecItemAdd:", status)
"#
    );
    assert_eq!(import(&step_to_swift(&step)).steps, vec![step]);
    let event = json!({ "device": { "locked": true } });
    assert_eq!(
        step_to_swift(&event),
        "// By hand: Lock the device (press the side button) and wait for it to lock, then run the next call (from a background task if the device is locked).\n// keyplay-step: {\"device\":{\"locked\":true}}\n"
    );
    assert_eq!(import(&step_to_swift(&event)).steps, vec![event]);
}

/// Replaces what the export cannot carry (identities, persistent references) in a step list,
/// and keeps only the expected status of each `expect`.
fn comparable(steps: &[Value]) -> Vec<Value> {
    fn scrub(v: &Value) -> Value {
        match v {
            Value::Object(m) if m.contains_key("persistentRef") => json!({ "persistentRef": "*" }),
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(_, x)| x.get("identity").is_none())
                    .map(|(k, x)| (k.clone(), if k == "expect" { json!({ "status": x["status"] }) } else { scrub(x) }))
                    .map(|(k, x)| if k == "expect" && x["status"].is_null() { (k, Value::Null) } else { (k, x) })
                    .filter(|(_, x)| !x.is_null())
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(scrub).collect()),
            other => other.clone(),
        }
    }
    steps
        .iter()
        .map(|s| {
            let mut s = scrub(s);
            if let Some(m) = s.as_object_mut() {
                m.remove("note");
            }
            s
        })
        .collect()
}

/// The parsed actions (so that hex and base64 of the same bytes compare equal) and statuses.
fn semantic(steps: &[Value]) -> Vec<String> {
    match keyplay::keychain::document::parse(json!({ "steps": steps })) {
        Ok(doc) => {
            doc.steps.iter().map(|s| format!("{:?} {:?}", s.action, s.expect.as_ref().and_then(|e| e.status))).collect()
        }
        Err(e) => vec![format!("document error {} {}", e.path, e.message)],
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_gallery_example_round_trips_through_swift() {
    let mut n = 0;
    let mut skipped = Vec::new();
    for (name, text) in keyplay::gallery::of_kind("keychain") {
        let doc: Value = serde_json::from_str(text).unwrap_or_default();
        let swift = document_to_swift(&doc);
        let back: Import = import(&swift);
        let mut expected: Vec<Value> = doc["keychain"]
            .as_array()
            .map(|items| items.iter().map(|i| json!({ "SecItemAdd": i })).collect())
            .unwrap_or_default();
        expected.extend(doc["steps"].as_array().cloned().unwrap_or_default());
        let unsupported = text.contains("\"identity\"") || text.contains("\"persistentRef\"");
        // References to items of the simulated keychain (`{"keychainItem": …}`, item lists) have
        // no Swift literal: the export names them in a comment, so they cannot come back.
        if ["\"keychainItem\"", "kSecMatchItemList", "kSecUseItemList"].iter().any(|k| text.contains(k)) {
            skipped.push(name);
            continue;
        }
        assert_eq!(semantic(&comparable(&back.steps)), semantic(&comparable(&expected)), "{name}\n{swift}");
        if !unsupported {
            assert_eq!(back.problems, vec![], "{name}\n{swift}");
        }
        n += 1;
    }
    assert!(n >= 40);
    assert!(skipped.len() <= 6, "too many examples cannot round-trip: {skipped:?}");
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    const STRING_KEYS: [&str; 5] =
        ["kSecAttrService", "kSecAttrAccount", "kSecAttrLabel", "kSecAttrComment", "kSecAttrAccessGroup"];
    const OTHER_KEYS: [&str; 10] = [
        "kSecAttrModificationDate",
        "kSecAttrAccessControl",
        "kSecAttrPort",
        "kSecReturnData",
        "kSecReturnAttributes",
        "kSecValueData",
        "kSecAttrGeneric",
        "kSecAttrIsInvisible",
        "kSecAttrCreator",
        "kSecUseDataProtectionKeychain",
    ];
    const CONSTANTS: [(&str, &str); 6] = [
        ("kSecClass", "kSecClassGenericPassword"),
        ("kSecClass", "kSecClassInternetPassword"),
        ("kSecMatchLimit", "kSecMatchLimitAll"),
        ("kSecAttrAccessible", "kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly"),
        ("kSecUseAuthenticationUI", "kSecUseAuthenticationUISkip"),
        ("kSecAttrSynchronizable", "kSecAttrSynchronizableAny"),
    ];

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<String>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            (-1e12f64..1e12).prop_map(|f| json!(f)),
            any::<String>().prop_map(|s| json!({ "utf8": s })),
            "kSec[A-Za-z]{0,4}".prop_map(|s| json!({ "utf8": s })),
            (0i64..4_000_000_000).prop_map(|t| json!({ "date": Instant(t).to_rfc3339() })),
            (
                proptest::sample::select(vec![
                    "kSecAttrAccessibleWhenUnlocked",
                    "kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly",
                    "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly",
                ]),
                proptest::sample::subsequence(
                    vec![
                        "kSecAccessControlUserPresence",
                        "kSecAccessControlBiometryAny",
                        "kSecAccessControlBiometryCurrentSet",
                        "kSecAccessControlOr",
                        "kSecAccessControlDevicePasscode",
                        "kSecAccessControlPrivateKeyUsage",
                    ],
                    0..4
                )
            )
                .prop_map(|(a, f)| json!({ "accessControl": { "accessible": a, "flags": f } })),
        ]
    }

    fn entry() -> impl Strategy<Value = (String, Value)> {
        prop_oneof![
            (proptest::sample::select(STRING_KEYS.to_vec()), scalar()).prop_map(|(k, v)| (k.to_string(), v)),
            (proptest::sample::select(OTHER_KEYS.to_vec()), scalar()).prop_map(|(k, v)| (k.to_string(), v)),
            proptest::sample::select(CONSTANTS.to_vec()).prop_map(|(k, v)| (k.to_string(), json!(v))),
        ]
    }

    fn dict() -> impl Strategy<Value = Value> {
        proptest::collection::vec(entry(), 0..6).prop_map(|entries| {
            let mut map = serde_json::Map::new();
            for (k, v) in entries {
                // A string that looks like a constant name is a document error under a constant key.
                if v.as_str().is_some_and(|s| s.starts_with("kSec")) {
                    continue;
                }
                map.insert(k, v);
            }
            Value::Object(map)
        })
    }

    fn step() -> impl Strategy<Value = Value> {
        let status = proptest::option::of(proptest::sample::select(vec![
            "errSecSuccess",
            "errSecItemNotFound",
            "errSecDuplicateItem",
            "errSecParam",
        ]));
        let action = prop_oneof![
            dict().prop_map(|d| json!({ "SecItemAdd": d })),
            dict().prop_map(|d| json!({ "SecItemCopyMatching": d })),
            dict().prop_map(|d| json!({ "SecItemDelete": d })),
            (dict(), dict()).prop_map(|(q, a)| json!({ "SecItemUpdate": { "query": q, "attributes": a } })),
            any::<bool>().prop_map(|b| json!({ "device": { "locked": b } })),
            Just(json!({ "reboot": {} })),
            Just(json!({ "biometry": "changed" })),
        ];
        (action, status, proptest::option::of(any::<String>())).prop_map(|(mut a, status, note)| {
            let call = a.as_object().is_some_and(|m| m.keys().any(|k| k.starts_with("SecItem")));
            if let (true, Some(s), Some(m)) = (call, status, a.as_object_mut()) {
                m.insert("expect".into(), json!({ "status": s }));
            }
            if let (Some(n), Some(m)) = (note, a.as_object_mut()) {
                m.insert("note".into(), json!(n));
            }
            a
        })
    }

    fn without_notes(steps: &[Value]) -> Vec<Value> {
        steps
            .iter()
            .map(|s| {
                let mut s = s.clone();
                if let Some(m) = s.as_object_mut() {
                    m.remove("note");
                }
                s
            })
            .collect()
    }

    const SNIPPETS: [&str; 11] = [
        include_str!("codegen/keychain-wrapper.swift"),
        include_str!("codegen/sam-keychain.m"),
        include_str!("codegen/face-id.swift"),
        include_str!("codegen/swift-keychain-wrapper.swift"),
        include_str!("codegen/apple-internet-password.swift"),
        include_str!("import/wrappers/keychain-swift.swift"),
        include_str!("import/wrappers/keychain-access.swift"),
        include_str!("import/wrappers/simple-keychain.swift"),
        include_str!("import/wrappers/valet.swift"),
        include_str!("import/wrappers/swift-keychain-wrapper.swift"),
        include_str!("import/wrappers/sam-keychain.m"),
    ];

    proptest! {
        /// Export then import gives back the same steps, exactly, with no problems (also for
        /// dates and access control).
        #[test]
        fn swift_export_round_trips(steps in proptest::collection::vec(step(), 0..6)) {
            let doc = json!({ "keyplay": 1, "kind": "keychain", "steps": steps });
            let swift = document_to_swift(&doc);
            let back = import(&swift);
            prop_assert_eq!(&back.problems, &vec![], "{}", swift);
            prop_assert_eq!(back.steps, without_notes(&steps), "{}", swift);
        }

        /// Arbitrary text never panics, and whatever is imported runs (never a document error).
        #[test]
        fn import_never_panics_on_noise(src in prop_oneof!["[\\[\\](){}@:;,.!?&|*=\"'\\\\/ \na-zA-Z0-9_#$-]{0,300}", any::<String>()]) {
            let got = import(&src);
            let doc = json!({ "keyplay": 1, "kind": "keychain", "steps": got.steps });
            prop_assert_ne!(run_text(&doc.to_string(), NOW).exit, 2);
        }

        /// Mutated real snippets (cut, duplicated or spliced at random places) never panic and still run.
        #[test]
        fn import_never_panics_on_mutated_snippets(which in 0usize..11, cuts in proptest::collection::vec((any::<proptest::sample::Index>(), any::<proptest::sample::Index>(), 0u8..3), 1..6)) {
            let mut src: Vec<char> = SNIPPETS[which].chars().collect();
            for (a, b, op) in cuts {
                if src.is_empty() { break; }
                let (i, j) = (a.index(src.len()), b.index(src.len()));
                let (lo, hi) = (i.min(j), i.max(j));
                match op {
                    0 => { src.drain(lo..hi); }
                    1 => { let piece: Vec<char> = src[lo..hi].to_vec(); src.splice(lo..lo, piece); }
                    _ => { src.insert(lo, ['[', '(', '{', '"', '@', '}', ')', ']'][hi % 8]); }
                }
            }
            let text: String = src.into_iter().collect();
            let got = import(&text);
            let doc = json!({ "keyplay": 1, "kind": "keychain", "steps": got.steps });
            prop_assert_ne!(run_text(&doc.to_string(), NOW).exit, 2);
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn conditions_in_wrapper_code() {
    let src = r#"
        let useICloud = false
        func baseQuery(account: String? = nil) -> [String: Any] {
            var query = [String: Any]()
            query[kSecClass as String] = kSecClassGenericPassword
            query[kSecAttrService as String] = "S"
            if let account = account { query[kSecAttrAccount as String] = account }
            if useICloud { query[kSecAttrSynchronizable as String] = true }
            if shouldHide { query[kSecAttrIsInvisible as String] = true }
            query[kSecAttrAccessible as String] = useICloud ? kSecAttrAccessibleAfterFirstUnlock : kSecAttrAccessibleWhenUnlockedThisDeviceOnly
            return query
        }
        func wipe() {
            if shouldWipe { SecItemDelete(baseQuery() as CFDictionary) }
            SecItemDelete(baseQuery(account: "ada") as CFDictionary)
        }
    "#;
    let got = import(src);
    let base = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S",
                       "kSecAttrAccessible": "kSecAttrAccessibleWhenUnlockedThisDeviceOnly" });
    let mut ada = base.clone();
    ada["kSecAttrAccount"] = json!("ada");
    assert_eq!(got.steps, vec![json!({ "SecItemDelete": base }), json!({ "SecItemDelete": ada })]);
    assert_eq!(
        got.problems,
        vec![problem(
            9,
            16,
            "shouldHide",
            "`shouldHide` cannot be evaluated here: the code under `if shouldHide` is left out (taken as false)"
        )]
    );
    assert_eq!(got.flags, vec![]);
    assert_eq!(got.placeholders, vec![]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn constant_aliases_in_enums_structs_and_lets() {
    let src = r#"
        enum Keys {
            static let service = kSecAttrService as String
            static let account = String(kSecAttrAccount)
        }
        struct Constants {
            static var klass: String { kSecClass as String }
        }
        let kSecReturnDataValue = kSecReturnData as String
        func read() {
            let query: [String: Any] = [Constants.klass: kSecClassGenericPassword, Keys.service: "S",
                                        Keys.account: "ada", kSecReturnDataValue: true]
            SecItemCopyMatching(query as CFDictionary, nil)
        }
    "#;
    let got = import(src);
    assert_eq!(
        got.steps,
        vec![json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S",
            "kSecAttrAccount": "ada", "kSecReturnData": true } })]
    );
    assert_eq!(got.problems, vec![]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn tuples_and_ambiguous_computed_properties() {
    // KeychainAccess-style: attributes(…) returns `(attributes, nil)`, and two enums both have
    // a computed `rawValue` (which one `itemClass.rawValue` reads is not known here).
    let src = r#"
        enum ItemClass {
            case genericPassword, internetPassword
            var rawValue: String {
                switch self {
                case .genericPassword: return String(kSecClassGenericPassword)
                case .internetPassword: return String(kSecClassInternetPassword)
                }
            }
        }
        enum Accessibility {
            case afterFirstUnlock
            var rawValue: String { String(kSecAttrAccessibleAfterFirstUnlock) }
        }
        struct Options {
            func attributes(key: String, value: Data) -> ([String: Any], Error?) {
                var attributes: [String: Any] = [kSecClass as String: itemClass.rawValue, kSecAttrService as String: "S"]
                attributes[kSecAttrAccount as String] = key
                return (attributes, nil)
            }
        }
        func save(_ value: Data, key: String) {
            var (attributes, error) = options.attributes(key: key, value: value)
            SecItemAdd(attributes as CFDictionary, nil)
        }
    "#;
    let got = import(src);
    assert_eq!(
        got.steps,
        vec![json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S",
            "kSecAttrAccount": "<key>" } })]
    );
    let messages: Vec<&str> = got.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "kSecClass: `itemClass` cannot be evaluated here: assumed \"kSecClassGenericPassword\"",
            "kSecAttrAccount: `key` cannot be evaluated here: assumed the string \"<key>\"",
        ]
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_query_started_from_a_property_says_so() {
    let src = r#"
        func baseQuery() -> [String: Any] {
            var query = self.attributes
            query[kSecClass as String] = kSecClassGenericPassword
            query[kSecAttrService as String] = "S"
            return query
        }
        func wipe() { SecItemDelete(baseQuery() as CFDictionary) }
    "#;
    let got = import(src);
    assert_eq!(
        got.steps,
        vec![json!({ "SecItemDelete": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S" } })]
    );
    assert_eq!(
        got.problems,
        vec![problem(
            3,
            17,
            "query = self.attributes",
            "`query` starts from `attributes`, which the importer cannot see (a property, or code not pasted): taken as empty, only the keys set on it later are known"
        )]
    );
}

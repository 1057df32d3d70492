//! Tests out: every gallery keychain example exported as an XCTestCase re-imports, through the
//! Swift importer, into the same steps with the statuses Keyplay predicts.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::codegen::{import, xctest::document_to_xctest};
use keyplay::report::Printed;
use keyplay::Instant;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}
use serde_json::{json, Value};

const NOW: Instant = Instant(1_767_225_600);

/// The parsed actions and expected statuses (hex and base64 of the same bytes compare equal).
fn semantic(steps: &[Value]) -> Vec<String> {
    match keyplay::keychain::document::parse(json!({ "steps": steps })) {
        Ok(doc) => {
            doc.steps.iter().map(|s| format!("{:?} {:?}", s.action, s.expect.as_ref().and_then(|e| e.status))).collect()
        }
        Err(e) => vec![format!("document error {} {}", e.path, e.message)],
    }
}

/// Steps with only `expect.status` kept; identities and persistent references (which Swift
/// export cannot carry, see docs/codegen.md) scrubbed as the Swift round trip does.
fn scrub(v: &Value) -> Value {
    match v {
        Value::Object(m) if m.contains_key("persistentRef") => json!({ "persistentRef": "*" }),
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, x)| x.get("identity").is_none() && *k != "note")
                .map(|(k, x)| (k.clone(), if k == "expect" { json!({ "status": x["status"] }) } else { scrub(x) }))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(scrub).collect()),
        other => other.clone(),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_gallery_example_round_trips_through_xctest() {
    let mut n = 0;
    for (name, text) in keyplay::gallery::of_kind("keychain") {
        // References to items of the simulated keychain have no Swift literal (see tests/codegen.rs).
        if ["\"keychainItem\"", "kSecMatchItemList", "kSecUseItemList"].iter().any(|k| text.contains(k)) {
            continue;
        }
        let doc: Value = serde_json::from_str(text).unwrap_or_default();
        let report = run_text(text, NOW).report;
        let swift = document_to_xctest(text, NOW).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(swift.contains("final class KeyplayScenarioTests: XCTestCase"), "{name}");
        let back = import(&swift);
        let mut expected: Vec<Value> = doc["keychain"]
            .as_array()
            .map(|items| {
                items.iter().map(|i| json!({ "SecItemAdd": i, "expect": {"status": "errSecSuccess"} })).collect()
            })
            .unwrap_or_default();
        for (i, step) in doc["steps"].as_array().cloned().unwrap_or_default().into_iter().enumerate() {
            let mut step = step;
            let is_call = step.as_object().is_some_and(|m| m.keys().any(|k| k.starts_with("SecItem")));
            if is_call && step["expect"]["status"].is_null() {
                step["expect"] = json!({ "status": report["steps"][i]["status"] });
            }
            expected.push(step);
        }
        let expected: Vec<Value> = expected.iter().map(scrub).collect();
        let got: Vec<Value> = back.steps.iter().map(scrub).collect();
        assert_eq!(semantic(&got), semantic(&expected), "{name}\n{swift}");
        let unsupported = text.contains("\"identity\"") || text.contains("\"persistentRef\"");
        if !unsupported {
            assert_eq!(back.problems, vec![], "{name}\n{swift}");
        }
        n += 1;
    }
    assert!(n >= 40);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn xctest_asserts_status_and_shape_and_skips_events() {
    let doc = json!({
        "keyplay": 1, "kind": "keychain", "platform": "macos",
        "steps": [
            { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS", "kSecAttrAccount": "a" } },
            { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS", "kSecAttrAccount": "b" } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS",
                                       "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnAttributes": true } },
            { "device": { "locked": true } },
            { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecReturnData": true },
              "expect": { "status": "errSecInteractionNotAllowed" } }
        ]
    });
    let swift = document_to_xctest(&doc.to_string(), NOW).expect("exports");
    assert!(swift.contains("XCTAssertEqual(items?.count, 2)"), "{swift}");
    assert!(swift.contains("XCTAssertEqual(status, errSecInteractionNotAllowed)"), "{swift}");
    assert!(swift.contains("try skip(\"step 4 (device) cannot be performed by a test"), "{swift}");
    assert!(swift.contains("private let useDataProtectionKeychain = true"), "{swift}");
    assert!(swift.contains("let services: [String] = [\"AYS\"]"), "{swift}");
    assert_eq!(swift.matches("scoped(&query)").count(), 4, "{swift}");
    let file = doc.to_string().replace("\"macos\"", "\"macos-file\"");
    assert!(document_to_xctest(&file, NOW).expect("exports").contains("useDataProtectionKeychain = false"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn xctest_refuses_what_it_cannot_export() {
    assert!(document_to_xctest("{", NOW).expect_err("not JSON").contains("JSON"));
    let jwt = r#"{"keyplay": 1, "kind": "jwt"}"#;
    assert!(document_to_xctest(jwt, NOW).expect_err("not keychain").contains("keychain"));
    let broken = r#"{"keyplay": 1, "kind": "keychain", "steps": [{"SecItemAd": {}}]}"#;
    assert!(document_to_xctest(broken, NOW).expect_err("bad step").contains("/steps/0"));
}

//! The keychain workspace's edit model (`keyplay::keychain::edit`), its catalogue of keys
//! (`keychain::catalog`) and the keychain after a step, natively and in the browser.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::keychain::catalog;
use keyplay::keychain::edit::{self, DocEdit, Part, Section, Target, ValueEdit};
use keyplay::keychain::schema::Class;
use keyplay::Instant;
use serde_json::{json, Value};

const DOC: &str = r#"{"keyplay": 1, "kind": "keychain", "now": "2026-01-01T00:00:00Z", "steps": [
    {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a",
                    "kSecValueData": {"utf8": "x"}}},
    {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "T", "kSecAttrAccount": "a"}},
    {"SecItemDelete": {"kSecClass": "kSecClassGenericPassword"}}]}"#;

fn doc_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The document's text after `edit`, as the page's reducer makes it (`None`: not applied).
fn apply(text: &str, edit: &DocEdit) -> Option<String> {
    let mut doc: Value = serde_json::from_str(text).ok()?;
    edit::apply(&mut doc, edit)?;
    serde_json::to_string_pretty(&doc).ok()
}

fn keychain_at(text: &str, n: usize, now: Instant) -> Result<usize, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    keyplay::keychain::keychain_after(&doc, n, now).map(|rows| rows.len()).map_err(|e| e.message)
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_keychain_at_each_step() {
    let now = Instant(1_764_400_000);
    assert_eq!(keychain_at(DOC, 0, now), Ok(1));
    assert_eq!(keychain_at(DOC, 1, now), Ok(2));
    assert_eq!(keychain_at(DOC, 2, now), Ok(0));
    assert_eq!(keychain_at(DOC, 99, now), Ok(0));
    assert!(keychain_at("{", 0, now).is_err());
    let jwt = r#"{"keyplay": 1, "kind": "jwt", "token": ""}"#;
    assert!(keychain_at(jwt, 0, now).is_err(), "only keychain documents have a keychain");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn edits_change_the_text() {
    let text = apply(DOC, &DocEdit::SetPlatform("macos-file".into())).unwrap_or_default();
    assert_eq!(doc_of(&text)["platform"], "macos-file");
    let text = apply(&text, &DocEdit::AddStep).unwrap_or_default();
    assert_eq!(doc_of(&text)["steps"].as_array().map(Vec::len), Some(4));
    let text = apply(&text, &DocEdit::MoveStep { step: 3, up: true }).unwrap_or_default();
    assert!(doc_of(&text)["steps"][2].get("SecItemCopyMatching").is_some());
    let text = apply(&text, &DocEdit::RemoveStep(2)).unwrap_or_default();
    assert!(doc_of(&text)["steps"][2].get("SecItemDelete").is_some());
    let edit =
        DocEdit::RenameKey { step: 0, part: Part::Main, from: "kSecAttrService".into(), to: "kSecAttrLabel".into() };
    let text = apply(&text, &edit).unwrap_or_default();
    let keys: Vec<String> =
        doc_of(&text)["steps"][0]["SecItemAdd"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    assert_eq!(keys, ["kSecClass", "kSecAttrLabel", "kSecAttrAccount", "kSecValueData"]);
    let edit = DocEdit::SetValue {
        step: 0,
        part: Part::Main,
        key: "kSecValueData".into(),
        edit: ValueEdit::DataEncoding("hex".into()),
    };
    let text = apply(&text, &edit).unwrap_or_default();
    assert_eq!(doc_of(&text)["steps"][0]["SecItemAdd"]["kSecValueData"], json!({"hex": "x"}));
    let edit = DocEdit::AddRow { step: 0, part: Part::Main, key: "kSecAttrAccessControl".into() };
    let text = apply(&text, &edit).unwrap_or_default();
    let edit = DocEdit::SetValue {
        step: 0,
        part: Part::Main,
        key: "kSecAttrAccessControl".into(),
        edit: ValueEdit::Flag("kSecAccessControlBiometryAny".into(), true),
    };
    let text = apply(&text, &edit).unwrap_or_default();
    assert_eq!(
        doc_of(&text)["steps"][0]["SecItemAdd"]["kSecAttrAccessControl"]["accessControl"]["flags"],
        json!(["kSecAccessControlBiometryAny"])
    );
    let flag = |text: &str, name: &str, on: bool| {
        let edit = DocEdit::SetValue {
            step: 0,
            part: Part::Main,
            key: "kSecAttrAccessControl".into(),
            edit: ValueEdit::Flag(name.into(), on),
        };
        apply(text, &edit).unwrap_or_default()
    };
    let flags =
        |text: &str| doc_of(text)["steps"][0]["SecItemAdd"]["kSecAttrAccessControl"]["accessControl"]["flags"].clone();
    let both = flag(&text, "kSecAccessControlOr", true);
    assert_eq!(flags(&both), json!(["kSecAccessControlBiometryAny", "kSecAccessControlOr"]));
    let or_only = flag(&both, "kSecAccessControlBiometryAny", false);
    assert_eq!(flags(&or_only), json!(["kSecAccessControlOr"]), "off takes only that flag");
    let again = flag(&or_only, "kSecAccessControlBiometryAny", true);
    assert_eq!(flags(&again), json!(["kSecAccessControlBiometryAny", "kSecAccessControlOr"]), "in the catalog's order");
    let text = apply(&text, &DocEdit::SetCall { step: 1, call: "SecItemUpdate".into() }).unwrap_or_default();
    assert_eq!(doc_of(&text)["steps"][1]["SecItemUpdate"]["query"]["kSecAttrService"], "T");
    let text =
        apply(&text, &DocEdit::SetExpectStatus { step: 1, status: Some("errSecSuccess".into()) }).unwrap_or_default();
    assert_eq!(doc_of(&text)["steps"][1]["expect"]["status"], "errSecSuccess");
    let edit = DocEdit::SetField {
        target: Target::Document,
        section: Section::Device,
        field: "locked".into(),
        value: Some(json!(true)),
    };
    let text = apply(&text, &edit).unwrap_or_default();
    assert_eq!(doc_of(&text)["device"]["locked"], true);
    assert_eq!(apply("not json", &DocEdit::AddStep), None);
    assert_eq!(apply(DOC, &DocEdit::RemoveStep(9)), None);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn keys_fit_the_call_and_class() {
    let names = |call, part, class| catalog::key_choices(call, part, class).iter().map(|k| k.name).collect::<Vec<_>>();
    let copy = names("SecItemCopyMatching", Part::Main, Some(Class::GenericPassword));
    assert!(copy.contains(&"kSecAttrService") && copy.contains(&"kSecReturnData") && copy.contains(&"kSecMatchLimit"));
    assert!(!copy.contains(&"kSecAttrServer") && !copy.contains(&"kSecAttrApplicationTag"));
    let update = names("SecItemUpdate", Part::Query, Some(Class::InternetPassword));
    assert!(update.contains(&"kSecAttrServer") && !update.contains(&"kSecReturnData"));
    let delete = names("SecItemDelete", Part::Main, Some(Class::Key));
    assert!(delete.contains(&"kSecAttrApplicationTag") && !delete.contains(&"kSecReturnAttributes"));
    let groups = keyplay::gallery::keychain_groups();
    assert!(groups.iter().any(|(g, e)| g == "lookups" && !e.is_empty()), "{groups:?}");
    assert!(groups.iter().flat_map(|(_, e)| e).any(|e| !e.pitfalls.is_empty()));
}

/// The keychain around a step (one run) is the keychain after the step before and after the
/// step itself (two runs), for every step of every keychain example, and past the last one.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_keychain_around_a_step_is_the_keychain_after_its_neighbours() {
    let now = Instant(1_764_400_000);
    let mut checked = 0;
    for (path, text) in keyplay::gallery::EXAMPLES.iter().filter(|(p, _)| p.starts_with("keychain/")) {
        let doc = doc_of(text);
        let steps = doc["steps"].as_array().map_or(0, Vec::len);
        for n in 0..=steps {
            let Ok((before, after)) = keyplay::keychain::keychain_around(&doc, n, now) else { continue };
            let expected_after = keyplay::keychain::keychain_after(&doc, n, now).expect("runs as around did");
            assert_eq!(after, expected_after, "{path}: after step {n}");
            if n > 0 {
                let expected_before = keyplay::keychain::keychain_after(&doc, n - 1, now).expect("runs");
                assert_eq!(before, expected_before, "{path}: before step {n}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} steps checked");
}

/// Every call the step editor offers makes a step the document parser takes, a row added for
/// any key starts with a value the parser takes for that key, and an edit finds a step's call
/// after its note.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_call_and_every_first_value_is_one_the_parser_takes() {
    let parses =
        |doc: &Value| keyplay::keychain::parse_document(doc.clone(), Instant(0)).map(|_| ()).map_err(|e| e.message);
    for call in catalog::CALLS {
        let mut doc = doc_of(DOC);
        // Step 2 is a delete: setting the call it has already changes nothing.
        let changed = edit::apply(&mut doc, &DocEdit::SetCall { step: 2, call: call.into() });
        assert_eq!(changed.is_some(), call != "SecItemDelete", "{call}");
        assert_eq!(edit::action_of(&doc["steps"][2]).map(|(c, _)| c), Some(call), "{call}");
        assert_eq!(parses(&doc), Ok(()), "{call}: {}", doc["steps"][2]);
    }
    let mut checked = 0;
    for key in keyplay::keychain::constants::KEYS {
        let value = edit::default_value(key.name);
        if key.value == keyplay::keychain::constants::ValueKind::Date {
            assert!(value["date"].is_string(), "{}: a date starts as a date, not {value}", key.name);
        }
        if key.value == keyplay::keychain::constants::ValueKind::Bool {
            assert_eq!(value, json!(true), "{}: a boolean starts as true", key.name);
        }
        if key.value == keyplay::keychain::constants::ValueKind::Number {
            assert_eq!(value, json!(0), "{}: a number starts as 0", key.name);
        }
        let dict = json!({ key.name: value });
        if keyplay::keychain::document::Dict::from_json(&dict, "").is_ok() {
            checked += 1;
        } else {
            // Only the kinds without a first value of their own (references) may be refused.
            assert!(
                matches!(
                    key.value,
                    keyplay::keychain::constants::ValueKind::Ref | keyplay::keychain::constants::ValueKind::Opaque
                ),
                "{}: {value}",
                key.name
            );
        }
    }
    assert!(checked > 60, "{checked} keys");
    // A step whose note comes first: the edit goes to its call.
    let mut doc = json!({"keyplay": 1, "kind": "keychain", "steps": [
        {"note": "first", "SecItemAdd": {"kSecClass": "kSecClassGenericPassword"}}]});
    let row = DocEdit::AddRow { step: 0, part: Part::Main, key: "kSecAttrAccount".into() };
    edit::apply(&mut doc, &row).expect("added");
    assert_eq!(doc["steps"][0]["SecItemAdd"]["kSecAttrAccount"], "", "{doc}");
    assert_eq!(doc["steps"][0]["note"], "first", "{doc}");
    let step = json!({"note": "n", "expect": {"status": "errSecSuccess"}, "SecItemDelete": {}});
    assert_eq!(edit::action_of(&step).map(|(call, _)| call), Some("SecItemDelete"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_step_moves_one_place_and_never_past_either_end() {
    let calls = |text: &str| -> Vec<String> {
        doc_of(text)["steps"]
            .as_array()
            .map(|s| s.iter().filter_map(|s| edit::action_of(s).map(|(c, _)| c.to_string())).collect())
            .unwrap_or_default()
    };
    let down = apply(DOC, &DocEdit::MoveStep { step: 0, up: false }).expect("moved");
    assert_eq!(doc_of(&down)["steps"][0]["SecItemAdd"]["kSecAttrService"], "T");
    assert_eq!(doc_of(&down)["steps"][1]["SecItemAdd"]["kSecAttrService"], "S");
    let up = apply(DOC, &DocEdit::MoveStep { step: 2, up: true }).expect("moved");
    assert_eq!(calls(&up), ["SecItemAdd", "SecItemDelete", "SecItemAdd"]);
    assert_eq!(apply(DOC, &DocEdit::MoveStep { step: 2, up: false }), None, "the last step cannot go down");
    assert_eq!(apply(DOC, &DocEdit::MoveStep { step: 0, up: true }), None, "the first step cannot go up");
    assert_eq!(apply(DOC, &DocEdit::MoveStep { step: 3, up: true }), None, "no step 3");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn adding_a_row_keeps_a_key_already_there_and_a_steps_fields_go_to_its_own_section() {
    let add = DocEdit::AddRow { step: 0, part: Part::Main, key: "kSecAttrAccount".into() };
    let text = apply(DOC, &add).expect("applies");
    assert_eq!(doc_of(&text)["steps"][0]["SecItemAdd"]["kSecAttrAccount"], "a", "the value written stays");
    let text = apply(DOC, &DocEdit::AddRow { step: 0, part: Part::Main, key: String::new() }).expect("applies");
    assert_eq!(doc_of(&text), doc_of(DOC), "an empty key adds nothing");
    let with_device = r#"{"keyplay": 1, "kind": "keychain", "steps": [{"device": {"locked": false}},
        {"SecItemDelete": {"kSecClass": "kSecClassGenericPassword"}}]}"#;
    let lock = |step: usize| DocEdit::SetField {
        target: Target::Step(step),
        section: Section::Device,
        field: "locked".into(),
        value: Some(json!(true)),
    };
    let text = apply(with_device, &lock(0)).expect("a device step takes device fields");
    assert_eq!(doc_of(&text)["steps"][0]["device"]["locked"], true);
    assert_eq!(apply(with_device, &lock(1)), None, "a delete step has no device section");
}

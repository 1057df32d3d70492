//! Browser tests of "Start from your evidence" and "Export as XCTest": paste or open what a
//! developer has (signed entitlements, a provisioning profile file, a keychain dump, Swift
//! code), see what the engine read, fold it into the document, and export the document as
//! an XCTest file. The fixtures are the native importer tests' own (tests/import/).
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_evidence`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::ui::share::Startup;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlButtonElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{click, find, fire, fresh_root, text};

const ENTITLEMENTS: &str = include_str!("import/codesign-xml-macos.txt");
const DUMP: &str = include_str!("import/dump-swift.txt");
const PROFILE: &[u8] = include_bytes!("import/waffle-der.mobileprovision");
const KEYCHAIN: &str = r#"{"keyplay": 1, "kind": "keychain", "title": "Evidence test", "platform": "ios", "steps": [
  {"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS",
                           "kSecReturnAttributes": true}}]}"#;

async fn open(doc: &str) -> (Element, yew::AppHandle<keyplay::ui::App>) {
    let root = fresh_root();
    let app = keyplay::ui::mount_with(root.clone(), Startup { text: Some(doc.into()), ..Startup::default() });
    yew::scheduler::flush().await;
    (root, app)
}

fn document(root: &Element) -> Value {
    let text = find(root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the document is not JSON ({e}): {text}"))
}

async fn choose(root: &Element, source: &str) {
    let select = find(root, "select#import-kind");
    select.unchecked_ref::<HtmlSelectElement>().set_value(source);
    fire(&select, "change");
    yew::scheduler::flush().await;
}

async fn paste(root: &Element, selector: &str, value: &str) {
    let area = find(root, selector);
    area.unchecked_ref::<HtmlTextAreaElement>().set_value(value);
    fire(&area, "input");
    yew::scheduler::flush().await;
}

fn add_enabled(root: &Element) -> bool {
    !find(root, "#import-add").unchecked_into::<HtmlButtonElement>().disabled()
}

#[wasm_bindgen_test]
async fn pasted_entitlements_become_the_app_block() {
    let (root, app) = open(KEYCHAIN).await;
    assert!(!add_enabled(&root));
    choose(&root, "entitlements").await;
    paste(&root, "#import-source", ENTITLEMENTS).await;
    let preview = text(&find(&root, ".import-preview"));
    assert!(preview.contains("SKMME9E2Y8.com.example.varnish"), "{preview}");
    assert!(preview.contains("team id SKMME9E2Y8"), "{preview}");
    let notes = text(&find(&root, ".import-notes"));
    assert!(notes.contains("ignored com.apple.security.app-sandbox"), "{notes}");
    assert_eq!(text(&find(&root, "#import-add")), "Use as the app's entitlements");
    click(&root, "#import-add").await;
    let doc = document(&root);
    assert_eq!(doc["app"]["application-identifier"], "SKMME9E2Y8.com.example.varnish", "{doc}");
    assert_eq!(doc["platform"], "macos");
    // The steps the document had are kept; the evidence is recorded beside them.
    assert_eq!(doc["steps"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["x-evidence"]["from"], "entitlements");
    assert_eq!(find(&root, "#report").get_attribute("data-kind").as_deref(), Some("keychain"));
    // The panel is cleared for the next piece of evidence.
    assert!(!add_enabled(&root));
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_pasted_dump_becomes_the_starting_keychain() {
    let (root, app) = open(KEYCHAIN).await;
    choose(&root, "dump").await;
    paste(&root, "#import-source", DUMP).await;
    let preview = text(&find(&root, ".import-preview"));
    assert!(preview.contains("items") && preview.contains("kSecClassGenericPassword"), "{preview}");
    click(&root, "#import-add").await;
    let doc = document(&root);
    let items = doc["keychain"].as_array().expect("a starting keychain");
    assert_eq!(items.len(), 3, "{doc}");
    assert_eq!(items.iter().filter(|i| i["kSecAttrService"] == "AYS").count(), 2, "{doc}");
    // What the printout could not carry over is said, never invented.
    assert!(items.iter().all(|i| i.get("kSecValueData").is_none()), "{doc}");
    // The copy now runs against the imported items: the dump's items sit in access groups
    // this app is not entitled to, and the report says so instead of a bare "not found".
    let report = text(&find(&root, "#report"));
    assert!(report.contains("errSecItemNotFound") && report.contains("lost-items-group"), "{report}");
    assert!(report.contains("SKMME9E2Y8.groupA"), "{report}");
    app.destroy();
}

#[wasm_bindgen_test]
async fn input_that_cannot_be_read_says_why_and_adds_nothing() {
    let (root, app) = open(KEYCHAIN).await;
    choose(&root, "entitlements").await;
    paste(&root, "#import-source", "this is not a plist").await;
    let error = text(&find(&root, ".import-error"));
    assert!(!error.is_empty());
    assert!(!add_enabled(&root));
    choose(&root, "swift").await;
    paste(&root, "#import-source", "let x = 1").await;
    assert!(text(&find(&root, ".import-error")).contains("no SecItem call found"));
    assert!(!add_enabled(&root));
    assert_eq!(document(&root)["title"], "Evidence test");
    app.destroy();
}

/// Puts `bytes` in the file input as the file `name` (a DataTransfer, as a drop would) and
/// waits for the page to read it.
async fn open_file(root: &Element, name: &str, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let file = web_sys::File::new_with_u8_array_sequence(&parts, name).expect("a file");
    let transfer = web_sys::DataTransfer::new().expect("a DataTransfer");
    transfer.items().add_with_file(&file).expect("added");
    let input = find(root, "input#import-file");
    input.unchecked_ref::<HtmlInputElement>().set_files(transfer.files().as_ref());
    fire(&input, "change");
    for _ in 0..200 {
        gloo_timers::future::TimeoutFuture::new(10).await;
        yew::scheduler::flush().await;
        if root.query_selector(".import-file").expect("selector").is_some() {
            return;
        }
    }
    panic!("the file was not read: {}", text(&find(root, ".code-import")));
}

#[wasm_bindgen_test]
async fn an_opened_profile_shows_its_team_expiry_devices_and_differences() {
    let (root, app) = open(KEYCHAIN).await;
    choose(&root, "profile").await;
    open_file(&root, "embedded.mobileprovision", PROFILE).await;
    let preview = text(&find(&root, ".import-preview"));
    assert!(preview.contains("team SKMME9E2Y8"), "{preview}");
    assert!(preview.contains("2027-01-05T10:00:00Z") && preview.contains("3 devices"), "{preview}");
    // Compared with signed entitlements of another app: the differences are listed.
    paste(&root, "#import-signed", ENTITLEMENTS).await;
    let notes = text(&find(&root, ".import-notes"));
    assert!(notes.contains("difference ("), "{notes}");
    click(&root, "#import-add").await;
    let doc = document(&root);
    assert_eq!(doc["app"]["application-identifier"], "SKMME9E2Y8.com.example.waffle-varnisher", "{doc}");
    assert_eq!(doc["x-evidence"]["from"], "profile");
    app.destroy();
}

#[wasm_bindgen_test]
async fn evidence_opened_on_a_validator_document_starts_a_keychain_document() {
    let jwt = keyplay::gallery::EXAMPLES.iter().find(|(p, _)| p.contains("jwt/")).map(|(_, t)| *t).expect("a jwt");
    let (root, app) = open(jwt).await;
    choose(&root, "entitlements").await;
    paste(&root, "#import-source", ENTITLEMENTS).await;
    assert_eq!(text(&find(&root, "#import-add")), "Start a keychain document from it");
    click(&root, "#import-add").await;
    let doc = document(&root);
    assert_eq!(doc["kind"], "keychain", "{doc}");
    assert_eq!(doc["app"]["keychain-access-groups"][1], "SKMME9E2Y8.com.example.shared");
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_keychain_document_exports_as_an_xctest_file() {
    let (root, app) = open(KEYCHAIN).await;
    assert!(root.query_selector("#xctest-code").expect("selector").is_none(), "generated only when asked");
    click(&root, "#xctest-show").await;
    let swift = text(&find(&root, "#xctest-code"));
    assert!(swift.contains("XCTestCase") && swift.contains("SecItemCopyMatching("), "{swift}");
    assert!(swift.contains("XCTAssertEqual(status, errSecItemNotFound)"), "{swift}");
    // An edit regenerates it: the prediction follows the document.
    choose(&root, "dump").await;
    paste(&root, "#import-source", DUMP).await;
    click(&root, "#import-add").await;
    let swift = text(&find(&root, "#xctest-code"));
    assert!(swift.contains("// Starting item 3") && swift.contains("SKMME9E2Y8.groupA"), "{swift}");
    // Not a keychain document: the button is off.
    click(&root, "button.start[data-kind='jwt']").await;
    assert!(find(&root, "#xctest-show").unchecked_into::<HtmlButtonElement>().disabled());
    assert!(root.query_selector("#xctest-code").expect("selector").is_none());
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_validator_document_exports_its_negatives_as_test_fixtures() {
    let (root, app) = open(KEYCHAIN).await;
    assert!(root.query_selector("#fixtures-show").expect("selector").is_none(), "a keychain document has none");
    app.destroy();
    let attest = keyplay::gallery::EXAMPLES
        .iter()
        .find(|(p, _)| p.ends_with("app-attest/ios14-development.json"))
        .map(|(_, t)| *t)
        .expect("the example");
    let (root, app) = open(attest).await;
    assert!(root.query_selector(".fixtures").expect("selector").is_none(), "derived only when asked");
    click(&root, "#fixtures-show").await;
    let count = text(&find(&root, ".fixtures-count"));
    assert!(count.contains("negatives for this app-attest document"), "{count}");
    let rows = root.query_selector_all(".fixtures tbody tr").expect("selector").length();
    let set = keyplay::fixtures::derive(attest).expect("derives");
    assert_eq!(rows as usize, set.negatives.len());
    let wrong_app = text(&find(&root, ".fixtures tr[data-id='wrong-app-id']"));
    assert!(wrong_app.contains("rp-id"), "{wrong_app}");
    app.destroy();
}

const WRAPPER: &str = include_str!("import/wrappers/keychain-swift.swift");

#[wasm_bindgen_test]
async fn wrapper_code_asks_for_its_missing_values_once_and_flags_its_pitfalls() {
    let (root, app) = open(KEYCHAIN).await;
    choose(&root, "swift").await;
    paste(&root, "#import-source", WRAPPER).await;
    let preview = text(&find(&root, ".import-preview"));
    assert!(preview.contains("values to fill in: <prefixedKey>"), "{preview}");
    let notes = text(&find(&root, ".import-notes"));
    assert!(notes.contains("(delete-then-add)") && notes.contains("(missing-primary-key-attribute)"), "{notes}");
    // Filled once, the value is in every step that used it.
    let field = find(&root, "#fill-prefixedKey");
    field.unchecked_ref::<HtmlInputElement>().set_value("alice");
    fire(&field, "input");
    yew::scheduler::flush().await;
    let steps = text(&find(&root, ".import-steps"));
    assert!(!steps.contains("<prefixedKey>") && steps.contains("alice"), "{steps}");
    assert!(!text(&find(&root, ".import-found")).contains("<prefixedKey>"));
    click(&root, "#import-add").await;
    let doc = document(&root);
    let steps = doc["steps"].to_string();
    assert!(steps.contains("alice") && !steps.contains("<prefixedKey>"), "{steps}");
    assert_eq!(doc["x-evidence"]["flags"].as_array().map(|f| !f.is_empty()), Some(true));
    app.destroy();
}

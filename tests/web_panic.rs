//! Browser test: a panic in an engine call cannot blank the page. The app is mounted, the user's
//! document is in the editor, and the engine is called on a document carrying the test-only
//! trigger field (`limits::TEST_PANIC_FIELD`, honoured in debug builds only): the banner must
//! show the panic, the editor must still hold the document, and the autosave must hold it too.
//!
//! A panic in wasm ends in a trap (a JavaScript `RuntimeError`). The engine call is made from
//! a small JavaScript wrapper that catches it, as the browser does for an event handler, so
//! that the test can look at the page afterwards. This file has one test: the trap leaves the
//! module's panic state behind, which other tests must not inherit.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_panic`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::limits::TEST_PANIC_FIELD;
use keyplay::share;
use keyplay::ui;
use keyplay::ui::share::{Startup, AUTOSAVE_KEY};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlTextAreaElement;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{find, fresh_root, text};

#[wasm_bindgen_test]
async fn a_panic_in_an_engine_call_shows_the_banner_and_keeps_the_document() {
    let window = web_sys::window().expect("a window");
    let storage = window.local_storage().ok().flatten().expect("localStorage");
    storage.remove_item(AUTOSAVE_KEY).expect("cleared");
    let root = fresh_root();
    let _app = ui::mount_with(root.clone(), Startup::default());
    yew::scheduler::flush().await;
    ui::install_panic_hook();

    let doc = format!(
        r#"{{"keyplay": 1, "kind": "keychain", "title": "About to panic", "{TEST_PANIC_FIELD}": true,
  "steps": [{{"SecItemAdd": {{"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "kept"}}}}]}}"#
    );
    let area = find(&root, "textarea#document").unchecked_into::<HtmlTextAreaElement>();
    area.set_value(&doc);

    let input = doc.clone();
    let call = Closure::<dyn Fn()>::new(move || {
        let _ = keyplay::run_text(&input, keyplay::Instant(0));
    });
    let guard =
        js_sys::Function::new_with_args("f", "try { f(); return 'returned'; } catch (e) { return 'threw ' + e; }");
    let outcome = guard.call1(&JsValue::NULL, call.as_ref().unchecked_ref()).expect("the wrapper returns");
    let outcome = outcome.as_string().unwrap_or_default();
    assert!(outcome.starts_with("threw"), "the engine call should have panicked: {outcome}");

    let banner = window.document().and_then(|d| d.get_element_by_id("keyplay-panic")).expect("the banner");
    assert!(!banner.has_attribute("hidden"), "the banner is shown");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let message = text(&banner);
    assert!(message.contains("the test-only panic trigger"), "{message}");
    assert!(message.contains("autosave"), "{message}");

    // The page is not blank: the app's tree and the document are still there.
    assert_eq!(find(&root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value(), doc);
    assert!(root.query_selector("#report").ok().flatten().is_some(), "the report is still shown");

    // And the document (with the edit that panicked) is in the autosave.
    let stored = storage.get_item(AUTOSAVE_KEY).ok().flatten().expect("an autosave was written");
    let saved = share::load(&stored).expect("the autosave reads back");
    let want: serde_json::Value = serde_json::from_str(&doc).expect("the test document is JSON");
    let got: serde_json::Value = serde_json::from_str(&saved.document).expect("the saved document is JSON");
    assert_eq!(got, want);
    storage.remove_item(AUTOSAVE_KEY).expect("cleared");
}

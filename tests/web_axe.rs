//! The accessibility audit in both browsers: axe-core (the npm package `scripts/install-tools`
//! puts in `.tools/`) runs on the app, styled by the page's own stylesheet, for the default
//! page, a validator with its pictures, a stepper, the identity and JWT pictures, the device
//! timeline and an embed; no serious or critical violation may be found. `scripts/ux-check.js`
//! runs the same audit on the release build in light and dark in Chromium; this one covers
//! Firefox too (light only: a test page cannot switch the colour scheme).
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_axe`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::ui::share::Startup;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::fresh_root;

const AXE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/.tools/node_modules/axe-core/axe.min.js"));
const STYLE: &str = include_str!("../www/style.css");

/// Adds axe-core and the page's stylesheet to the test page, once.
fn prepare() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    if document.get_element_by_id("axe-source").is_some() {
        return;
    }
    let head = document.head().expect("a head");
    let style = document.create_element("style").expect("style");
    style.set_text_content(Some(STYLE));
    head.append_child(&style).expect("appended");
    let script = document.create_element("script").expect("script");
    script.set_id("axe-source");
    script.set_text_content(Some(AXE));
    head.append_child(&script).expect("appended");
}

/// The serious and critical violations axe finds under `root`, as `id: targets`.
async fn serious(root: &Element) -> Vec<String> {
    let global = js_sys::global();
    let axe = js_sys::Reflect::get(&global, &"axe".into()).expect("axe is loaded");
    let run: js_sys::Function =
        js_sys::Reflect::get(&axe, &"run".into()).expect("axe.run").dyn_into().expect("a function");
    let promise: js_sys::Promise = run.call1(&axe, root).expect("axe.run starts").dyn_into().expect("a promise");
    let result = wasm_bindgen_futures::JsFuture::from(promise).await.expect("axe.run finishes");
    let json: String = js_sys::JSON::stringify(&result).expect("JSON").into();
    let result: serde_json::Value = serde_json::from_str(&json).expect("axe's result");
    result["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| {
            let targets: Vec<String> =
                v["nodes"].as_array().into_iter().flatten().take(3).map(|n| n["target"].to_string()).collect();
            format!("{}: {}", v["id"].as_str().unwrap_or("?"), targets.join(", "))
        })
        .collect()
}

fn example(path: &str) -> &'static str {
    keyplay::gallery::EXAMPLES.iter().find(|(p, _)| p.ends_with(path)).map(|(_, t)| *t).expect("the example")
}

async fn audit(what: &str, startup: Startup) {
    prepare();
    let root = fresh_root();
    let app = keyplay::ui::mount_with(root.clone(), startup);
    yew::scheduler::flush().await;
    assert!(root.query_selector("#report").ok().flatten().is_some(), "{what}: no report");
    let found = serious(&root).await;
    assert!(found.is_empty(), "{what}: {found:?}");
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_default_page_has_no_serious_violation() {
    audit("default page", Startup::default()).await;
}

#[wasm_bindgen_test]
async fn validators_steppers_and_pictures_have_no_serious_violation() {
    for path in [
        "app-attest/apple-sample-production.json",
        "app-attest/ios14-expired-today.json",
        "webauthn/registration-apple-2021.json",
        "jwt/client-secret-valid.json",
        "privacy/att-testflight-stuck-not-determined.json",
        "keychain/identity-add-when-half-exists.json",
        "keychain/reboot-before-first-unlock.json",
    ] {
        audit(path, Startup { text: Some(example(path).into()), ..Startup::default() }).await;
    }
}

#[wasm_bindgen_test]
async fn an_embed_has_no_serious_violation() {
    let text = Some(example("keychain/check-then-add.json").into());
    audit("embed", Startup { text, embed: true, ..Startup::default() }).await;
}

#[wasm_bindgen_test]
async fn the_audit_finds_a_planted_violation() {
    // The audit itself can fail: an unlabelled button and input are critical violations.
    prepare();
    let root = fresh_root();
    root.set_inner_html(r#"<button></button><input type="text">"#);
    let found = serious(&root).await;
    assert!(found.iter().any(|v| v.starts_with("button-name")), "{found:?}");
    assert!(found.iter().any(|v| v.starts_with("label")), "{found:?}");
    root.remove();
}

//! Browser tests of the pictures drawn from the engine's typed data: the identity picture
//! (certificate and private key joined when pkhh = klbl, or why not) and a JWT part by part
//! with its times as dates.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_pictures`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::ui::share::Startup;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{find, fresh_root, text};

fn example(path: &str) -> &'static str {
    keyplay::gallery::EXAMPLES.iter().find(|(p, _)| p.ends_with(path)).map(|(_, t)| *t).expect("the example")
}

async fn open(doc: &str) -> (Element, yew::AppHandle<keyplay::ui::App>) {
    let root = fresh_root();
    let app = keyplay::ui::mount_with(root.clone(), Startup { text: Some(doc.into()), ..Startup::default() });
    yew::scheduler::flush().await;
    (root, app)
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).expect("selector").length()
}

#[wasm_bindgen_test]
async fn identities_are_drawn_with_the_link_that_forms_them() {
    // Two certificates, two private keys, each pair with equal pkhh and klbl.
    let (root, app) = open(example("keychain/identity-add-when-half-exists.json")).await;
    let picture = find(&root, "#report .identity-picture");
    assert_eq!(count(&picture, "g.identity.formed"), 2, "{}", text(&picture));
    assert_eq!(count(&picture, "g.identity.not-formed"), 0);
    let why = text(&find(&picture, ".identity-why"));
    assert!(why.contains("Alice Example: forms an identity with") && why.contains("(pkhh = klbl)"), "{why}");
    app.destroy();

    // A certificate alone: no identity, and the picture says why.
    let (root, app) = open(example("keychain/identity-forms-from-cert-and-key.json")).await;
    let picture = find(&root, "#report .identity-picture");
    assert_eq!(count(&picture, "g.identity.not-formed"), 1, "{}", text(&picture));
    assert!(text(&picture).contains("no private key has klbl = its pkhh"), "{}", text(&picture));
    app.destroy();

    // No certificate: no picture.
    let (root, app) = open(example("keychain/check-then-add.json")).await;
    assert_eq!(count(&root, ".identity-picture"), 0);
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_jwt_is_drawn_as_its_three_parts_with_its_times_in_dates() {
    let source = example("jwt/client-secret-valid.json");
    let doc: serde_json::Value = serde_json::from_str(source).expect("JSON");
    let token = doc["token"].as_str().expect("a token");
    let (root, app) = open(source).await;
    let picture = find(&root, "#report .jwt-picture");
    let parts: Vec<String> = [".jwt-header", ".jwt-payload", ".jwt-signature"]
        .iter()
        .map(|s| text(&find(&picture, &format!(".jwt-parts {s}"))))
        .collect();
    assert_eq!(parts.join("."), token, "the parts are the token, in order");
    let legend = text(&find(&picture, ".jwt-legend"));
    assert!(legend.contains("signature: 64 bytes decoded"), "{legend}");
    let times = text(&find(&picture, ".jwt-times"));
    assert!(times.contains("issued (iat)") && times.contains("2026-11-28T11:50:00Z"), "{times}");
    assert!(times.contains("10 minutes ago") && times.contains("expires (exp)"), "{times}");
    assert!(times.contains("lifetime (exp − iat)") && times.contains("1 d (87000 s)"), "{times}");
    app.destroy();

    // No token, no picture.
    for other in ["app-attest/ios14-development.json", "keychain/check-then-add.json"] {
        let (root, app) = open(example(other)).await;
        assert_eq!(count(&root, ".jwt-picture"), 0, "{other}");
        app.destroy();
    }
}

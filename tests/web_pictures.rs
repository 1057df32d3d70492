//! Browser tests of the pictures drawn from the engine's typed data: the identity picture
//! (certificate and private key joined when pkhh = klbl, or why not), a JWT part by part
//! with its times as dates, certificate chains with validity bars, byte maps that highlight a
//! field's bytes when it is pointed at, and the device timeline of a keychain run.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_pictures`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::ui::share::Startup;
use wasm_bindgen::JsCast;
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

/// Fires a bubbling `mouseover` on `target`, as the pointer entering it does.
fn point_at(target: &Element) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("mouseover", &init).expect("an event");
    target.dispatch_event(&event).expect("dispatched");
}

#[wasm_bindgen_test]
async fn an_attestation_draws_its_chains_and_its_byte_maps() {
    let (root, app) = open(example("app-attest/apple-sample-production.json")).await;
    let chains = root.query_selector_all("#report .chain-picture").expect("selector");
    assert_eq!(chains.length(), 2, "the x5c chain and the receipt's chain");
    let x5c: Element = chains.get(0).expect("one").dyn_into().expect("an element");
    let roles: Vec<String> = (0..count(&x5c, "g.chain-cert"))
        .map(|i| {
            dom::attr(&x5c.query_selector_all("g.chain-cert").unwrap().get(i).unwrap().dyn_into().unwrap(), "data-role")
        })
        .collect();
    assert_eq!(roles, ["leaf", "intermediate", "trust anchor"]);
    assert_eq!(count(&x5c, "rect.bar"), 3, "one validity bar per certificate");
    assert_eq!(count(&x5c, "line.now"), 1);
    assert_eq!(count(&x5c, ".invalid, .broken"), 0);
    assert!(text(&find(&x5c, ".chain-verdict")).starts_with("Every link is signed"), "{}", text(&x5c));

    // Two byte maps: authenticator data, then the nonce extension.
    let maps = root.query_selector_all("#report .byte-map").expect("selector");
    assert_eq!(maps.length(), 2);
    let auth: Element = maps.get(0).expect("one").dyn_into().expect("an element");
    let fields = text(&find(&auth, ".byte-fields"));
    for name in
        ["rpIdHash", "flags", "signCount", "aaguid", "credentialIdLength", "credentialId", "credentialPublicKey"]
    {
        assert!(fields.contains(name), "{name} in {fields}");
    }
    assert!(fields.contains("bit 6 AT = 1") && fields.contains("bit 0 UP = 0"), "{fields}");
    assert!(text(&auth).contains("0000") && text(&auth).contains("0010"), "the offset ruler");
    // Pointing at the flags row lights exactly the flags byte; pointing at a byte lights its field.
    assert_eq!(count(&auth, "g.byte.lit"), 0);
    point_at(&find(&auth, ".byte-fields tr[data-field='1'] th"));
    yew::scheduler::flush().await;
    assert_eq!(count(&auth, "g.byte.lit"), 1, "the one flags byte");
    assert_eq!(count(&auth, ".byte-fields tr.lit"), 1);
    point_at(&find(&auth, "g.byte[data-field='0'] text"));
    yew::scheduler::flush().await;
    assert_eq!(count(&auth, "g.byte.lit"), 32, "the 32 bytes of rpIdHash");
    assert_eq!(dom::attr(&find(&auth, ".byte-fields tr.lit"), "data-field"), "0");
    dom::fire(&auth, "mouseleave");
    yew::scheduler::flush().await;
    assert_eq!(count(&auth, "g.byte.lit"), 0);

    let nonce: Element = maps.get(1).expect("two").dyn_into().expect("an element");
    assert!(text(&nonce).contains("nonce") && text(&find(&nonce, ".byte-note")).starts_with("equals SHA-256"));
    app.destroy();

    // Judged after the leaf expired: the leaf is marked, in words too.
    let (root, app) = open(example("app-attest/ios14-expired-today.json")).await;
    let x5c = find(&root, "#report .chain-picture");
    assert_eq!(count(&x5c, "g.chain-cert.invalid"), 1, "{}", text(&x5c));
    assert_eq!(dom::attr(&find(&x5c, "g.chain-cert.invalid"), "data-role"), "leaf");
    assert!(text(&find(&x5c, ".chain-verdict")).contains("Fails at the leaf"), "{}", text(&x5c));
    app.destroy();

    // A packed registration under the wrong root: the top's link is broken.
    let (root, app) = open(example("webauthn/registration-packed-wrong-root.json")).await;
    let chain = find(&root, "#report .chain-picture");
    assert_eq!(count(&chain, "g.chain-cert.broken"), 1, "{}", text(&chain));
    assert!(text(&chain).contains("✗ its signature by the certificate below fails"), "{}", text(&chain));
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_keychain_run_draws_the_device_across_its_steps() {
    let (root, app) = open(example("keychain/reboot-before-first-unlock.json")).await;
    let timeline = find(&root, "#report .device-timeline");
    let lock = find(&timeline, "g.lane[data-lane='Lock']");
    assert!(text(&lock).contains("before first unlock"), "{}", text(&lock));
    assert!(count(&lock, "g.cell.closed") >= 1 && count(&lock, "g.cell.open") >= 1, "{}", text(&lock));
    let steps = count(&find(&root, "#report ol.steps"), "li.step");
    assert_eq!(count(&lock, "g.cell"), steps, "one cell per step");
    app.destroy();

    let (root, app) = open(example("keychain/biometry-current-set-invalidated.json")).await;
    let biometry = find(&root, "#report .device-timeline g.lane[data-lane='Biometry']");
    assert!(text(&biometry).contains("enrolment changed"), "{}", text(&biometry));
    app.destroy();

    // A long run is drawn a window of steps at a time, paged.
    let steps: Vec<String> = (0..100).map(|i| format!(r#"{{"device": {{"locked": {}}}}}"#, i % 2 == 0)).collect();
    let doc = format!(r#"{{"keyplay": 1, "kind": "keychain", "platform": "ios", "steps": [{}]}}"#, steps.join(","));
    let (root, app) = open(&doc).await;
    let lock = || find(&root, "#report .device-timeline g.lane[data-lane='Lock']");
    let range = || text(&find(&root, "#report .timeline-range"));
    assert_eq!(count(&lock(), "g.cell"), 48, "one window of steps");
    assert_eq!(range(), "Steps 0–47 of 100");
    let earlier = find(&root, "#report .timeline-earlier");
    assert!(earlier.has_attribute("disabled"), "no steps before the first");
    dom::click(&root, "#report .timeline-later").await;
    assert_eq!(range(), "Steps 48–95 of 100");
    assert_eq!(count(&lock(), "g.cell"), 48);
    assert!(text(&lock()).contains("locked"), "{}", text(&lock()));
    let heads = text(&find(&root, "#report .device-timeline svg"));
    assert!(heads.contains("/steps/48") && !heads.contains("/steps/47"), "{heads}");
    dom::click(&root, "#report .timeline-later").await;
    assert_eq!(range(), "Steps 96–99 of 100");
    assert_eq!(count(&lock(), "g.cell"), 4, "the last window ends at the last step");
    assert!(find(&root, "#report .timeline-later").has_attribute("disabled"));
    dom::click(&root, "#report .timeline-earlier").await;
    assert_eq!(range(), "Steps 48–95 of 100");
    app.destroy();

    // No device step and no change: no timeline.
    let (root, app) = open(example("keychain/check-then-add.json")).await;
    assert_eq!(count(&root, ".device-timeline"), 0);
    app.destroy();
}

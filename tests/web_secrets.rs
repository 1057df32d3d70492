//! Browser tests of the page's promise about secrets: after each validator form is used with
//! a private key, a token, an attestation or an assertion, and "keep secrets" is off, none of
//! them is in `localStorage`, in the page's URL, or in the share link. With the switch on, the
//! autosave keeps them (the user asked).
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_secrets`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::share;
use keyplay::ui::share::{Startup, AUTOSAVE_KEY};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement, Storage};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{click, find, fire, fresh_root, text, type_into};

fn storage() -> Storage {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("localStorage")
}

/// Everything the browser keeps for this origin: every localStorage entry.
fn stored() -> String {
    let storage = storage();
    let n = storage.length().expect("length");
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .map(|k| format!("{k}={}", storage.get_item(&k).ok().flatten().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn example(path: &str) -> Value {
    let text = keyplay::gallery::EXAMPLES.iter().find(|(p, _)| p.ends_with(path)).map(|(_, t)| *t);
    serde_json::from_str(text.unwrap_or_else(|| panic!("no example {path}"))).expect("JSON")
}

/// A piece of the secret long enough to be unmistakable, short enough to survive any
/// re-encoding of the text around it (the body of a PEM, the middle of a token).
fn marker(secret: &str) -> String {
    let line = secret.lines().filter(|l| !l.starts_with("-----")).max_by_key(|l| l.len()).unwrap_or("");
    let start = line.len().saturating_sub(24) / 2;
    line.chars().skip(start).take(24).collect()
}

/// Opens the share panel and returns the link it offers (secrets switch as it is).
async fn share_link(root: &Element) -> String {
    if root.query_selector("#share-link").expect("selector").is_none() {
        click(root, "#share-open").await;
    }
    find(root, "#share-link").unchecked_into::<HtmlInputElement>().value()
}

fn assert_nowhere(root: &Element, form: &str, secret: &str, link: &str) {
    let mark = marker(secret);
    assert!(mark.len() >= 16, "{form}: the secret is too short to check: {secret}");
    let kept = stored();
    assert!(!kept.contains(&mark), "{form}: the secret is in localStorage: {kept}");
    let url = web_sys::window().expect("window").location().href().expect("href");
    assert!(!url.contains(&mark), "{form}: the secret is in the URL: {url}");
    let (_, fragment) = link.split_once('#').expect("a fragment");
    let linked = share::open_permalink(fragment).expect("a readable link");
    assert!(!linked.contains(&mark), "{form}: the secret is in the share link: {linked}");
    assert!(linked.contains("<redacted>"), "{form}: {linked}");
    // The form still shows what the user pasted: redaction is for what leaves the form.
    assert!(text(&find(root, "#report")).len() > 10);
}

#[wasm_bindgen_test]
async fn secrets_pasted_into_each_form_stay_out_of_storage_the_url_and_links() {
    // (start button kind, form field, example, JSON pointer of the secret in the example)
    let cases = [
        ("jwt", "#jwt-token", "jwt/client-secret-valid.json", "/token"),
        ("apple-client-secret-request", "#secret-p8", "jwt/apple-client-secret-request.json", "/p8"),
        ("app-attest", "#attest-attestation", "app-attest/ios14-development.json", "/attestation"),
        ("app-attest-assertion", "#assert-assertion", "app-attest/assertion-ios14.json", "/assertion"),
        (
            "webauthn-registration",
            "#registration-response",
            "webauthn/registration-apple-2021.json",
            "/response/response/attestationObject",
        ),
    ];
    for (kind, field, path, pointer) in cases {
        storage().remove_item(AUTOSAVE_KEY).expect("removed");
        let root = fresh_root();
        let app = keyplay::ui::mount_with(root.clone(), Startup { autosave: true, ..Startup::default() });
        yew::scheduler::flush().await;
        click(&root, &format!("button.start[data-kind='{kind}']")).await;
        let doc = example(path);
        let secret = doc.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("{path}: no {pointer}"));
        let value = if field == "#registration-response" {
            serde_json::to_string_pretty(&doc["response"]).expect("JSON")
        } else {
            secret.to_string()
        };
        type_into(&root, field, &value).await;
        gloo_timers::future::TimeoutFuture::new(keyplay::ui::share::AUTOSAVE_DELAY_MS + 100).await;
        // The form put the secret into the document, and the edit was autosaved.
        let document = find(&root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value();
        assert!(document.contains(&marker(secret)), "{kind}: the form did not take the secret: {document}");
        assert!(storage().get_item(AUTOSAVE_KEY).expect("read").is_some(), "{kind}: nothing autosaved");
        let link = share_link(&root).await;
        assert_nowhere(&root, kind, secret, &link);

        // The user asks to keep secrets: the autosave holds them, the link still does not.
        let keep = find(&root, "#keep-secrets");
        keep.unchecked_ref::<HtmlInputElement>().set_checked(true);
        fire(&keep, "change");
        yew::scheduler::flush().await;
        gloo_timers::future::TimeoutFuture::new(keyplay::ui::share::AUTOSAVE_DELAY_MS + 100).await;
        assert!(stored().contains(&marker(secret)), "{kind}: keep secrets did not keep it");
        let link = share_link(&root).await;
        let (_, fragment) = link.split_once('#').expect("a fragment");
        let linked = share::open_permalink(fragment).expect("a readable link");
        assert!(!linked.contains(&marker(secret)), "{kind}: keeping secrets in this browser put them in the link");
        app.destroy();
        storage().remove_item(AUTOSAVE_KEY).expect("removed");
    }
}

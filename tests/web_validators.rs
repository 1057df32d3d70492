//! Browser tests of the validator forms: mount the app, fill the forms as a user would (set
//! the real inputs' values and fire `input` / `change`, click buttons), wait for yew to
//! render, and read the verdict. Nothing sleeps: `yew::scheduler::flush()` resolves when
//! rendering is done.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_validators`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{click, find, fire, fresh_root, text};

async fn mounted() -> (Element, yew::AppHandle<keyplay::ui::App>) {
    let root = fresh_root();
    let app = keyplay::ui::mount(root.clone());
    yew::scheduler::flush().await;
    (root, app)
}

/// Types `value` into the input, textarea or select `selector`.
async fn fill(root: &Element, selector: &str, value: &str) {
    let element = find(root, selector);
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
        fire(&element, "input");
    } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(value);
        fire(&element, "input");
    } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
        select.set_value(value);
        fire(&element, "change");
    }
    yew::scheduler::flush().await;
}

fn document(root: &Element) -> Value {
    let text = find(root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the document is not JSON ({e}): {text}"))
}

fn example(path: &str) -> Value {
    let text = keyplay::gallery::EXAMPLES.iter().find(|(p, _)| p.ends_with(path)).map(|(_, t)| *t);
    serde_json::from_str(text.unwrap_or_else(|| panic!("no example {path}"))).expect("the example is JSON")
}

fn field<'a>(doc: &'a Value, pointer: &str) -> &'a str {
    doc.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("no {pointer} in {doc}"))
}

/// The verdict says valid, every check passed, and the report is of `kind`.
fn assert_valid(root: &Element, kind: &str) {
    let report = find(root, "#report");
    assert_eq!(report.get_attribute("data-kind").as_deref(), Some(kind), "{}", text(&report));
    let verdict = text(&find(root, ".verdict"));
    assert!(verdict.contains("Valid") && !verdict.contains("Not valid"), "{verdict}: {}", text(&report));
    assert!(root.query_selector(".checks tr.failure").expect("selector").is_none(), "{}", text(&report));
    assert!(root.query_selector_all(".checks tr").expect("selector").length() > 3, "too few checks");
}

#[wasm_bindgen_test]
async fn a_pasted_token_and_key_give_the_verdict() {
    let (root, _app) = mounted().await;
    let valid = example("jwt/client-secret-valid.json");
    click(&root, "button.start[data-kind='jwt']").await;
    assert!(root.query_selector("[data-form='jwt']").expect("selector").is_some());

    fill(&root, "#jwt-token", field(&valid, "/token")).await;
    fill(&root, "#jwt-key", field(&valid, "/keys/pem")).await;
    fill(&root, "#jwt-profile", "apple-client-secret").await;
    fill(&root, "#jwt-team-id", field(&valid, "/expected/team-id")).await;
    fill(&root, "#jwt-client-id", field(&valid, "/expected/client-id")).await;
    fill(&root, "#jwt-key-id", field(&valid, "/expected/key-id")).await;
    fill(&root, "#jwt-now", field(&valid, "/now")).await;

    let doc = document(&root);
    assert_eq!(doc["keys"]["pem"], valid["keys"]["pem"], "the SPKI PEM is detected: {doc}");
    assert_valid(&root, "jwt");
    let times = text(&find(&root, "table.times"));
    assert!(times.contains("exp") && times.contains("2026-11-"), "{times}");

    // A wrong client id fails `sub`, and says so.
    fill(&root, "#jwt-client-id", "com.example.other").await;
    assert!(text(&find(&root, ".checks tr.failure")).contains("sub"));

    // A JWKS is detected as one.
    fill(&root, "#jwt-key", r#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}]}"#).await;
    assert!(document(&root)["keys"]["keys"].is_array());
    assert!(text(&root).contains("Sign in with Apple") || root.query_selector(".explainer").expect("s").is_some());
}

#[wasm_bindgen_test]
async fn a_client_secret_signed_in_the_page_verifies() {
    let (root, _app) = mounted().await;
    let request = example("jwt/apple-client-secret-request.json");
    click(&root, "button.start[data-kind='apple-client-secret-request']").await;
    fill(&root, "#secret-p8", field(&request, "/p8")).await;
    fill(&root, "#secret-team-id", "SKMME9E2Y8").await;
    fill(&root, "#secret-key-id", "ABC123DEFG").await;
    fill(&root, "#secret-client-id", "com.example.service").await;
    fill(&root, "#secret-lifetime", "3600").await;

    assert_valid(&root, "apple-client-secret-request");
    let token = text(&find(&root, "pre.token"));
    assert_eq!(token.split('.').count(), 3, "{token}");

    click(&root, "button.verify-secret").await;
    let doc = document(&root);
    assert_eq!(doc["kind"], "jwt");
    assert_eq!(doc["token"], token.as_str());
    assert!(doc["keys"]["p8"].is_string(), "{doc}");
    assert_eq!(doc["expected"]["client-id"], "com.example.service");
    assert_valid(&root, "jwt");
    // The p8 the form holds stays out of a permalink.
    let link = keyplay::share::permalink(&doc.to_string(), false).expect("a permalink");
    let opened = keyplay::share::open_permalink(&link).expect("it opens");
    assert!(!opened.contains("PRIVATE KEY"), "{opened}");
}

#[wasm_bindgen_test]
async fn a_real_attestation_passes_every_step() {
    let vector: Value =
        serde_json::from_str(include_str!("vectors/appattest-att-veehaitch-ios14.4-dev.json")).expect("the vector");
    let inputs = &vector["inputs"];
    let (root, _app) = mounted().await;
    click(&root, "button.start[data-kind='app-attest']").await;
    fill(&root, "#attest-attestation", field(inputs, "/attestation_b64")).await;
    fill(&root, "#attest-key-id", field(inputs, "/key_id_b64")).await;
    fill(&root, "#attest-challenge", field(inputs, "/client_data_utf8")).await;
    fill(&root, "#attest-team-id", field(inputs, "/team_id")).await;
    fill(&root, "#attest-bundle-id", field(inputs, "/bundle_id")).await;
    fill(&root, "#attest-environment", field(inputs, "/environment")).await;
    fill(&root, "#attest-now", field(&vector, "/verification_time/use")).await;

    assert_eq!(field(&document(&root), "/app-id"), field(inputs, "/app_id"));
    assert_valid(&root, "app-attest");
    assert!(text(&find(&root, "table.dcerror-matrix")).contains("invalidKey"));
    assert!(root.query_selector(".evidence.community").expect("selector").is_some());

    // The challenge given as its hash instead passes too.
    fill(&root, "#attest-client-data-hash", field(inputs, "/client_data_hash_b64")).await;
    assert!(document(&root).get("client-data").is_none());
    assert_valid(&root, "app-attest");

    click(&root, "button.use-key").await;
    let doc = document(&root);
    assert_eq!(doc["kind"], "app-attest-assertion");
    assert_eq!(field(&doc, "/public-key/pem"), field(&vector, "/expected_result/public_key_pem"));
    assert_eq!(field(&doc, "/app-id"), field(inputs, "/app_id"));
}

#[wasm_bindgen_test]
async fn a_webauthn_registration_verifies_and_gives_a_credential() {
    let registration = example("webauthn/registration-none.json");
    let (root, _app) = mounted().await;
    click(&root, "button.start[data-kind='webauthn-registration']").await;
    fill(&root, "#registration-response", &registration["response"].to_string()).await;
    fill(&root, "#registration-challenge", field(&registration, "/expected/challenge")).await;
    fill(&root, "#registration-origin", field(&registration, "/expected/origin")).await;
    fill(&root, "#registration-rp-id", field(&registration, "/expected/rp-id")).await;
    if let Some(uv) = registration.pointer("/expected/user-verification").and_then(Value::as_str) {
        fill(&root, "#registration-uv", uv).await;
    }
    fill(&root, "#registration-now", field(&registration, "/now")).await;
    assert_valid(&root, "webauthn-registration");

    click(&root, "button.use-credential").await;
    let doc = document(&root);
    assert_eq!(doc["kind"], "webauthn-authentication");
    assert!(doc["public-key"]["cose"].is_string(), "{doc}");
    assert_eq!(doc["expected"]["origin"], registration["expected"]["origin"]);

    // The provider stepper: a suggested passkey is provided without UI.
    let stepper = find(&root, ".provider-stepper");
    let buttons = stepper.query_selector_all("button").expect("selector");
    let first = buttons.item(1).expect("a button").unchecked_into::<HtmlElement>();
    first.click();
    yew::scheduler::flush().await;
    assert_eq!(text(&find(&root, ".provider-state")), "providing-without-ui");
}

#[wasm_bindgen_test]
async fn webauthn_options_are_linted_from_the_form() {
    let options = example("webauthn/options-creation-clean.json");
    let (root, _app) = mounted().await;
    click(&root, "button.start[data-kind='webauthn-options']").await;
    fill(&root, "#options-json", &options["options"].to_string()).await;
    fill(&root, "#options-origin", field(&options, "/origin")).await;
    assert_valid(&root, "webauthn-options");
    fill(&root, "#options-origin", "http://login.example.com").await;
    assert!(text(&find(&root, ".checks tr.failure")).contains("origin"));
}

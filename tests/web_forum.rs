//! Browser tests of the forum threads' views: every privacy, sign-in, Sign in with Apple
//! server and DeviceCheck example opens in the page with its own view (a stepper card per
//! event with the state after it, the error explainer's entries, the check-by-check verdict),
//! and the error explainer is searchable from its form by number, name or pasted log.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_forum`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::ui::share::Startup;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{click, find, fresh_root, text, type_into};

async fn open(doc: &str) -> (Element, yew::AppHandle<keyplay::ui::App>) {
    let root = fresh_root();
    let app = keyplay::ui::mount_with(root.clone(), Startup { text: Some(doc.into()), ..Startup::default() });
    yew::scheduler::flush().await;
    (root, app)
}

fn examples_under(folder: &str) -> Vec<(&'static str, &'static str)> {
    let list: Vec<_> = keyplay::gallery::EXAMPLES.iter().filter(|(path, _)| path.contains(folder)).copied().collect();
    assert!(!list.is_empty(), "no examples under {folder}");
    list
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

/// The report shows the document's kind, and every expectation the document states is shown met.
fn assert_report_of(root: &Element, path: &str, doc: &Value) {
    let report = find(root, "#report");
    let kind = doc["kind"].as_str().expect("a kind");
    assert_eq!(report.get_attribute("data-kind").as_deref(), Some(kind), "{path}: {}", text(&report));
    assert!(all(root, "#report .expect.unmet").is_empty(), "{path}: an expectation is shown unmet: {}", text(&report));
}

#[wasm_bindgen_test]
async fn every_state_model_example_shows_a_card_per_event_with_the_state_after_it() {
    for folder in ["privacy/", "signin/platform-sso"] {
        for (path, source) in examples_under(folder) {
            let doc: Value = serde_json::from_str(source).expect("JSON");
            let (root, app) = open(source).await;
            assert_report_of(&root, path, &doc);
            let cards = all(&root, "#report .stepper-step");
            let events = doc["steps"].as_array().map_or(0, Vec::len);
            assert_eq!(cards.len(), events, "{path}: one card per event");
            for (n, card) in cards.iter().enumerate() {
                let state = all(card, ".stepper-state dt");
                assert!(!state.is_empty(), "{path}: card {n} shows no state: {}", text(card));
                assert!(!all(card, ".explanation li").is_empty(), "{path}: card {n} does not say why");
            }
            // Something changes after the first event, and the change is marked in words.
            if events > 1 {
                let marks = all(&root, "#report .stepper-step .change-mark");
                assert!(!marks.is_empty(), "{path}: no state change marked");
                assert!(marks.iter().all(|m| text(m) == "changed"));
                // The first card has nothing to compare with: no mark.
                assert!(all(&cards[0], ".change-mark").is_empty(), "{path}");
            }
            app.destroy();
        }
    }
}

#[wasm_bindgen_test]
async fn the_att_thread_answers_why_the_status_stays_not_determined() {
    let (path, source) = examples_under("att-testflight-stuck-not-determined")[0];
    let (root, app) = open(source).await;
    let report = text(&find(&root, "#report"));
    assert!(report.contains("notDetermined"), "{path}: {report}");
    app.destroy();
}

fn entry_ids(root: &Element) -> Vec<String> {
    all(root, "#report .error-entry h3 code").iter().map(text).collect()
}

fn document(root: &Element) -> Value {
    let text = find(root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the document is not JSON ({e}): {text}"))
}

#[wasm_bindgen_test]
async fn the_error_explainer_is_searchable_by_number_name_and_log() {
    let (root, app) = open(examples_under("jwt/")[0].1).await;
    click(&root, "button.start[data-kind='error-explainer']").await;
    assert!(root.query_selector("[data-form='error-explainer']").expect("selector").is_some());
    assert_eq!(find(&root, "#report").get_attribute("data-kind").as_deref(), Some("error-explainer"));

    type_into(&root, "#explain-query", "1003").await;
    assert_eq!(entry_ids(&root), ["ASAuthorizationError.notHandled"], "{}", text(&find(&root, "#report")));
    assert_eq!(document(&root)["query"], "1003");

    type_into(&root, "#explain-query", "canceled").await;
    let ids = entry_ids(&root);
    assert!(ids.iter().any(|id| id == "ASAuthorizationError.canceled"), "{ids:?}");

    type_into(&root, "#explain-query", "-54").await;
    let ids = entry_ids(&root);
    assert!(ids.iter().any(|id| id.contains("54") || id.contains("permErr")), "{ids:?}");
    let report = text(&find(&root, "#report"));
    assert!(report.contains("What to do"), "{report}");

    // A pasted log replaces the query: the document keeps one of the two, never both.
    let log = "Error Domain=com.apple.AuthenticationServices.AuthorizationError Code=1000 \"(null)\"";
    type_into(&root, "#explain-log", log).await;
    let doc = document(&root);
    assert!(doc.get("query").is_none(), "{doc}");
    assert_eq!(doc["log"], log);
    assert_eq!(entry_ids(&root), ["ASAuthorizationError.unknown"], "{}", text(&find(&root, "#report")));

    // Nothing known: the report says so and how to search.
    type_into(&root, "#explain-log", "").await;
    type_into(&root, "#explain-query", "no such error at all").await;
    assert!(entry_ids(&root).is_empty());
    assert!(text(&find(&root, "#report")).contains("No known error matches"));
    app.destroy();
}

#[wasm_bindgen_test]
async fn every_sign_in_error_example_shows_its_entries() {
    for (path, source) in examples_under("signin/") {
        let doc: Value = serde_json::from_str(source).expect("JSON");
        if doc["kind"] != "error-explainer" {
            continue;
        }
        let (root, app) = open(source).await;
        assert_report_of(&root, path, &doc);
        let ids = entry_ids(&root);
        if let Some(expected) = doc.pointer("/expect/matches").and_then(Value::as_array) {
            for id in expected {
                assert!(ids.iter().any(|i| i == id.as_str().unwrap_or("")), "{path}: {id} not shown in {ids:?}");
            }
        }
        app.destroy();
    }
}

#[wasm_bindgen_test]
async fn siwa_server_and_devicecheck_examples_show_their_checks() {
    for folder in ["siwa/", "devicecheck/"] {
        for (path, source) in examples_under(folder) {
            let doc: Value = serde_json::from_str(source).expect("JSON");
            let (root, app) = open(source).await;
            assert_report_of(&root, path, &doc);
            let rows = all(&root, "#report .checks tr");
            assert!(rows.len() > 1, "{path}: no check rows: {}", text(&find(&root, "#report")));
            // A document that expects a failure shows the failing check, not only the verdict.
            let expects_invalid = doc.pointer("/expect/valid") == Some(&Value::Bool(false));
            if expects_invalid {
                assert!(!all(&root, "#report .checks tr.failure").is_empty(), "{path}: no failing check shown");
            }
            app.destroy();
        }
    }
}

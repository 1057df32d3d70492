//! Browser tests of the web app: mount it into the test page, act as a user would (edit
//! the document, pick an example), wait for yew to finish rendering, and read the DOM.
//! Nothing sleeps: `yew::scheduler::flush()` resolves when rendering is done.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web`
//! (or `GECKODRIVER=…` for Firefox).
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(all(target_arch = "wasm32", not(target_os = "wasi")))]

use std::rc::Rc;

use keyplay::report::Printed;
use keyplay::ui::report::{ReportPanel, ReportPanelProps};
use keyplay::ui::{self, Example, Run};
use keyplay::Instant;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{attr, find, fire, fresh_root, text};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

async fn type_document(root: &Element, document: &str) {
    let editor = find(root, "textarea#document");
    editor.unchecked_ref::<HtmlTextAreaElement>().set_value(document);
    fire(&editor, "input");
    yew::scheduler::flush().await;
}

/// The statuses the engine gives `document`: each must be on the page once it renders.
fn engine_statuses(document: &str) -> (u8, Vec<String>) {
    let outcome = run_text(document, Instant(1_764_400_000));
    let statuses = outcome.report["steps"]
        .as_array()
        .map(|steps| steps.iter().filter_map(|s| s["status"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    (outcome.exit, statuses)
}

fn assert_report_shows(root: &Element, document: &str) {
    let report = find(root, "#report");
    let (exit, statuses) = engine_statuses(document);
    assert_eq!(attr(&report, "data-kind"), "keychain", "{}", root.inner_html());
    assert_eq!(attr(&report, "data-exit"), exit.to_string());
    let shown = text(&report);
    for status in statuses {
        assert!(shown.contains(&status), "{status} missing from the report: {shown}");
    }
    assert!(root.query_selector(".problem").expect("selector").is_none(), "a problem is shown");
}

/// The text of a shipped example (the tests build with the `examples` feature: every text is in).
fn example_text(example: &Example) -> &'static str {
    example.text().expect("the tests carry every example's text")
}

fn default_example() -> (usize, Example) {
    let index = Example::default_index();
    let example = Example::get(index).expect("the default example");
    assert_eq!(example.path, keyplay::ui::DEFAULT_EXAMPLE_PATH);
    (index, example)
}

#[wasm_bindgen_test]
async fn the_default_example_is_run_and_shown() {
    let root = fresh_root();
    let _app = ui::mount(root.clone());
    yew::scheduler::flush().await;

    let (index, example) = default_example();
    assert_eq!(find(&root, "h1").text_content().as_deref(), Some("Keyplay"));
    assert_eq!(
        find(&root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value(),
        example_text(&example)
    );
    assert_eq!(find(&root, "select#example").unchecked_into::<HtmlSelectElement>().value(), index.to_string());
    assert!(text(&root).contains("Lost items after an entitlement change"));
    assert_report_shows(&root, example_text(&example));
    assert!(text(&find(&root, ".summary")).contains("every expectation met"));
}

#[wasm_bindgen_test]
async fn edits_rerun_the_document_and_show_where_it_went_wrong() {
    let root = fresh_root();
    let _app = ui::mount(root.clone());
    yew::scheduler::flush().await;

    type_document(&root, r#"{"keyplay": 1, "kind": "keychian", "steps": []}"#).await;
    let report = find(&root, "#report");
    assert_eq!(attr(&report, "data-kind"), "error");
    assert_eq!(attr(&report, "data-exit"), "2");
    assert_eq!(find(&root, ".problem-path code").text_content().as_deref(), Some("/kind"));
    assert!(text(&find(&root, ".problem-message")).contains("did you mean keychain?"));
    // The rest of the page stays: the editor keeps the text, the picker says it was edited.
    assert!(find(&root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value().contains("keychian"));
    assert_eq!(find(&root, "select#example").unchecked_into::<HtmlSelectElement>().value(), "");

    type_document(&root, "{\"keyplay\": 1, \"kind\": \"keychain\",").await;
    assert_eq!(find(&root, ".problem-path code").text_content().as_deref(), Some("/"));
    assert!(text(&find(&root, ".problem-message")).contains("not valid JSON"));

    let another = r#"{"keyplay": 1, "kind": "keychain", "steps": [
        {"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "none"},
         "expect": {"status": "errSecItemNotFound"}}]}"#;
    type_document(&root, another).await;
    assert_report_shows(&root, another);
}

async fn pick(root: &Element, index: usize) {
    let picker = find(root, "select#example");
    picker.unchecked_ref::<HtmlSelectElement>().set_value(&index.to_string());
    fire(&picker, "change");
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn picking_an_example_replaces_the_document() {
    let root = fresh_root();
    let _app = ui::mount(root.clone());
    yew::scheduler::flush().await;

    let (default, _) = default_example();
    let (index, other) =
        Example::all().find(|(i, e)| *i != default && e.group() == "keychain").expect("a second keychain example");
    pick(&root, index).await;
    assert_eq!(find(&root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value(), example_text(&other));
    assert_report_shows(&root, example_text(&other));

    // Edited, then picked again: the example comes back whole.
    type_document(&root, "{}").await;
    assert_eq!(attr(&find(&root, "#report"), "data-kind"), "error");
    pick(&root, index).await;
    assert_eq!(find(&root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value(), example_text(&other));

    // A validator example gets the verdict view.
    if let Some((index, validator)) = Example::all().find(|(_, e)| e.group() != "keychain") {
        pick(&root, index).await;
        let kind =
            run_text(example_text(&validator), Instant(1_764_400_000)).report["kind"].as_str().map(str::to_owned);
        assert_eq!(Some(attr(&find(&root, "#report"), "data-kind")), kind, "{}", validator.path);
        assert!(root.query_selector(".verdict").expect("selector").is_some(), "{}: no verdict", validator.path);
    }
}

fn render_report(text: &str) -> Element {
    let root = fresh_root();
    let run = Run::of(text.into(), Instant(1_764_400_000));
    yew::Renderer::<ReportPanel>::with_root_and_props(root.clone(), ReportPanelProps { run: Rc::new(run) }).render();
    root
}

/// A keychain report renders as step cards (call, status name and number, meaning, result,
/// expectation) and the keychain table.
#[wasm_bindgen_test]
async fn a_keychain_report_gets_step_cards_and_the_keychain_table() {
    let root = render_report(
        &json!({
            "keyplay": 1, "kind": "keychain", "platform": "ios",
            "app": { "application-identifier": "SKMME9E2Y8.com.example.app" },
            "steps": [
                { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS",
                                  "kSecAttrAccount": "mrgumby", "kSecValueData": {"utf8": "opendoor"} },
                  "expect": { "status": "errSecSuccess" } },
                { "device": { "locked": true } },
                { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS",
                                           "kSecReturnData": true },
                  "expect": { "status": "errSecSuccess" } }
            ]
        })
        .to_string(),
    );
    yew::scheduler::flush().await;

    let steps = root.query_selector_all(".steps > li").expect("selector");
    assert_eq!(steps.length(), 3);
    let first = find(&root, ".steps > li:nth-child(1)");
    assert!(first.class_list().contains("success"));
    let first_text = text(&first);
    for part in [
        "/steps/0",
        "SecItemAdd",
        "errSecSuccess",
        "(0)",
        "No error.",
        "null",
        "SKMME9E2Y8.com.example.app",
        "expect met",
    ] {
        assert!(first_text.contains(part), "{part} missing from {first_text}");
    }
    assert!(find(&root, ".steps > li:nth-child(2)").class_list().contains("event"));
    let third = find(&root, ".steps > li:nth-child(3)");
    assert!(third.class_list().contains("failure"));
    assert!(text(&third).contains("errSecInteractionNotAllowed (-25308)"));
    assert!(text(&third).contains("expect unmet"));

    let table = text(&find(&root, ".keychain table"));
    for part in [
        "GenericPassword",
        "SKMME9E2Y8.com.example.app",
        "service",
        "AYS",
        "account",
        "mrgumby",
        "kSecAttrAccessible",
        "kSecAttrAccessibleWhenUnlocked",
        r#"{"utf8":"opendoor"}"#,
    ] {
        assert!(table.contains(part), "{part} missing from {table}");
    }
    assert!(text(&find(&root, ".summary")).contains("not met"));
    // The report JSON is built only when it is opened.
    assert!(root.query_selector("details.raw pre").expect("selector").is_none());
    find(&root, "details.raw summary").unchecked_into::<web_sys::HtmlElement>().click();
    yew::scheduler::flush().await;
    assert!(text(&find(&root, "details.raw pre")).contains("\"kind\": \"keychain\""));
}

/// A validator report renders as a verdict, its checks (expected, found, cause) and details.
#[wasm_bindgen_test]
async fn a_validator_report_gets_a_verdict_and_a_checks_table() {
    let example = |path: &str| Example::all().find(|(_, e)| e.path == path).map(|(_, e)| example_text(&e)).expect(path);
    let root = render_report(example("jwt/identity-token-wrong-audience.json"));
    yew::scheduler::flush().await;

    assert_eq!(attr(&find(&root, "#report"), "data-kind"), "jwt");
    assert!(text(&find(&root, ".verdict")).contains("Not valid"));
    assert!(text(&find(&root, ".verdict")).contains("expect met"));
    let failed = text(&find(&root, ".checks tr.failure"));
    for part in ["aud", "expected", "found"] {
        assert!(failed.contains(part), "{part} missing from {failed}");
    }
    assert!(text(&root).contains("header"), "details missing");

    let root = render_report(example("jwt/apple-client-secret-request.json"));
    yew::scheduler::flush().await;
    let token = find(&root, "pre.token").text_content().unwrap_or_default();
    assert_eq!(token.split('.').count(), 3, "the signed token is shown on its own: {token}");
}

#[wasm_bindgen_test]
fn a_panic_message_is_shown_in_the_page() {
    ui::show_panic("index out of bounds");
    let banner = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("keyplay-panic"))
        .expect("the banner");
    assert_eq!(attr(&banner, "role"), "alert");
    assert!(text(&banner).contains("index out of bounds"));
}

#[wasm_bindgen_test]
async fn the_page_refuses_a_document_over_a_limit_before_running_it() {
    let root = fresh_root();
    let _app = ui::mount(root.clone());
    yew::scheduler::flush().await;

    let step = json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword"}});
    let steps: Vec<_> = (0..=keyplay::limits::STEPS).map(|_| step.clone()).collect();
    let document = json!({"keyplay": 1, "kind": "keychain", "steps": steps}).to_string();
    type_document(&root, &document).await;
    let report = find(&root, "#report");
    assert_eq!(attr(&report, "data-kind"), "error", "{}", text(&report));
    assert_eq!(
        find(&root, ".problem-path code").text_content().as_deref(),
        Some(format!("/steps/{}", keyplay::limits::STEPS).as_str())
    );
    assert!(text(&find(&root, ".problem-message")).contains("limit steps exceeded"), "{}", text(&report));
}

#[wasm_bindgen_test]
async fn a_long_result_shows_its_first_items_and_counts_the_rest() {
    let root = fresh_root();
    let _app = ui::mount(root.clone());
    yew::scheduler::flush().await;

    let items: Vec<_> = (0..150)
        .map(|i| json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s", "kSecAttrAccount": format!("acct-{i}")}))
        .collect();
    let document = json!({"keyplay": 1, "kind": "keychain", "keychain": items, "steps": [
        {"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecMatchLimit": "kSecMatchLimitAll",
            "kSecReturnAttributes": true}}]})
    .to_string();
    type_document(&root, &document).await;
    let result = text(&find(&root, "#report .result"));
    assert!(result.contains("(150 items)"), "{result}");
    assert!(result.contains("\"acct-99\"") && !result.contains("\"acct-100\""), "{result}");
    assert!(result.contains("… 50 more items not shown here"), "{result}");
}

//! The UI benchmark: the time from an edit of the document to the updated report on the
//! page, for a 50-step keychain document over a 1 000-item keychain. Mounts the real app,
//! sets the editor's text, fires `input`, and waits (yew's scheduler, then the DOM) until the
//! report shows the new document. Prints figures; asserts nothing about time.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown
//! --test web_bench -- --nocapture`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::report::Printed;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlTextAreaElement};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn fresh_root() -> Element {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&root).expect("appended");
    root
}

fn fire(target: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict(kind, &init).expect("an event");
    target.dispatch_event(&event).expect("dispatched");
}

/// A keychain of `items` generic passwords and 50 mixed steps; `run` goes into the title so
/// each edit gives a report the page can be seen to show.
fn document(items: usize, run: usize) -> String {
    let keychain: Vec<Value> = (0..items)
        .map(|i| {
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": format!("svc{}", i % 97),
                   "kSecAttrAccount": format!("user{i}"), "kSecAttrLabel": format!("label{}", i % 13),
                   "kSecValueData": {"utf8": "pw"}})
        })
        .collect();
    let steps: Vec<Value> = (0..50)
        .map(|i| match i % 5 {
            0 => json!({"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "bench",
                                       "kSecAttrAccount": format!("new{i}"), "kSecValueData": {"utf8": "x"}}}),
            1 => json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword",
                        "kSecAttrService": format!("svc{}", i % 97), "kSecAttrAccount": format!("user{i}"),
                        "kSecReturnData": true}}),
            2 => json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrLabel": "label5",
                        "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnAttributes": true}}),
            3 => {
                json!({"SecItemUpdate": {"query": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "bench",
                        "kSecAttrAccount": format!("new{}", i - 3)}, "attributes": {"kSecAttrLabel": "updated"}}})
            }
            _ => json!({"SecItemDelete": {"kSecClass": "kSecClassGenericPassword",
                        "kSecAttrAccount": format!("user{}", i * 7)}}),
        })
        .collect();
    json!({"keyplay": 1, "kind": "keychain", "platform": "ios", "title": format!("bench run {run}"),
           "keychain": keychain, "steps": steps})
    .to_string()
}

/// Sets the editor's text as a paste would and returns the milliseconds until the report
/// shows `marker`.
async fn edit_and_wait(root: &Element, text: &str, marker: &str) -> f64 {
    let editor = root.query_selector("textarea#document").ok().flatten().expect("the editor");
    let start = now_ms();
    editor.unchecked_ref::<HtmlTextAreaElement>().set_value(text);
    fire(&editor, "input");
    for _ in 0..1000 {
        yew::scheduler::flush().await;
        let shown = root.query_selector("#report").ok().flatten().and_then(|r| r.text_content()).unwrap_or_default();
        if shown.contains(marker) {
            return now_ms() - start;
        }
    }
    panic!("the report never showed {marker}");
}

fn summary(mut figures: Vec<f64>) -> (f64, f64, f64) {
    figures.sort_by(|a, b| a.total_cmp(b));
    (figures[0], figures[figures.len() / 2], figures[figures.len() - 1])
}

#[wasm_bindgen_test]
async fn edit_to_view_for_a_50_step_document_over_1000_items() {
    let root = fresh_root();
    let _app = keyplay::ui::mount(root.clone());
    yew::scheduler::flush().await;

    let texts: Vec<String> = (0..7).map(|run| document(1000, run)).collect();
    console_log!("document: 1000 items + 50 steps, {} bytes", texts[0].len());
    let mut figures = Vec::new();
    for (run, text) in texts.iter().enumerate() {
        let ms = edit_and_wait(&root, text, &format!("bench run {run}")).await;
        console_log!("edit {run}: {ms:.1} ms from input to the updated report");
        if run > 0 {
            figures.push(ms); // the first edit warms up
        }
    }
    let report = root.query_selector("#report").ok().flatten().expect("the report");
    assert_eq!(report.get_attribute("data-kind").as_deref(), Some("keychain"));
    let (min, median, max) = summary(figures);
    console_log!("edit to view, 6 runs after a warm-up: min {min:.1} ms, median {median:.1} ms, max {max:.1} ms");

    let start = now_ms();
    let outcome = run_text(&texts[0], keyplay::Instant(1_764_400_000));
    console_log!("engine alone (run_text): {:.1} ms, exit {}", now_ms() - start, outcome.exit);
}

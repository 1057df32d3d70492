//! Long documents: lists render a window (the first 50 step cards, report and workspace, and
//! keychain rows, with how many are shown and buttons for more and for all), and typing in a
//! document over 64 KiB runs when typing pauses.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_window`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::ui::share::Startup;
use keyplay::ui::window::PAGE;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{click, find, fresh_root, text};

fn count(root: &Element, selector: &str) -> usize {
    root.query_selector_all(selector).expect("selector").length() as usize
}

/// `adds` adds of distinct items, then one lookup.
fn document(adds: usize) -> String {
    let mut steps: Vec<serde_json::Value> = (0..adds)
        .map(|i| {
            serde_json::json!({"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s",
                "kSecAttrAccount": format!("a{i}"), "kSecValueData": {"utf8": "x"}}})
        })
        .collect();
    steps.push(
        serde_json::json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "a0"}}),
    );
    serde_json::json!({"keyplay": 1, "kind": "keychain", "title": "Many", "steps": steps}).to_string()
}

#[wasm_bindgen_test]
async fn long_lists_show_a_window_and_more_on_request() {
    let total = 2 * PAGE + 20;
    let root = fresh_root();
    let app = keyplay::ui::mount_with(root.clone(), Startup { text: Some(document(total - 1)), ..Startup::default() });
    yew::scheduler::flush().await;
    let report = find(&root, "#report");
    assert_eq!(count(&report, "ol.steps > li.step"), PAGE);
    let line = text(&find(&report, ".steps + .show-more"));
    assert!(line.contains(&format!("{PAGE} of {total} steps shown")), "{line}");
    click(&report, ".steps + .show-more button.more").await;
    assert_eq!(count(&report, "ol.steps > li.step"), 2 * PAGE);
    click(&report, ".steps + .show-more button.all").await;
    assert_eq!(count(&report, "ol.steps > li.step"), total);
    assert_eq!(count(&report, ".steps + .show-more"), 0, "nothing left to show");
    // The last step's card is the real last step.
    assert!(text(&find(&report, "ol.steps > li.step:last-child")).contains("SecItemCopyMatching"));

    // The keychain table: the first rows, then all.
    let table = find(&report, ".keychain");
    assert_eq!(count(&table, "tbody tr"), PAGE);
    assert!(text(&find(&table, ".show-more")).contains(&format!("{PAGE} of {} items shown", total - 1)));
    click(&table, ".show-more button.all").await;
    assert_eq!(count(&table, "tbody tr"), total - 1);

    // The workspace's step cards too.
    let cards = find(&root, ".ws-steps");
    assert_eq!(count(&cards, "li.ws-card"), PAGE);
    click(&cards, ".show-more button.all").await;
    assert_eq!(count(&cards, "li.ws-card"), total);
    app.destroy();

    // A short document has no window line.
    let root = fresh_root();
    let app = keyplay::ui::mount_with(root.clone(), Startup { text: Some(document(3)), ..Startup::default() });
    yew::scheduler::flush().await;
    assert_eq!(count(&root, ".show-more"), 0);
    app.destroy();
}

/// Types into the editor as a key press does: the new text, then an `input` event whose
/// `inputType` is `insertText`.
fn type_key(root: &Element, text: &str) {
    use wasm_bindgen::JsCast;
    let area: web_sys::HtmlTextAreaElement = find(root, "textarea#document").unchecked_into();
    area.set_value(text);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    init.set_input_type("insertText");
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("an event");
    area.dispatch_event(&event).expect("dispatched");
}

#[wasm_bindgen_test]
async fn typing_in_a_long_document_runs_when_typing_pauses() {
    let long = document(600);
    assert!(long.len() > keyplay::ui::LONG_DOCUMENT_BYTES, "{} bytes", long.len());
    let root = fresh_root();
    let app = keyplay::ui::mount_with(root.clone(), Startup { text: Some(long.clone()), ..Startup::default() });
    yew::scheduler::flush().await;
    let title = || text(&find(&root, "#report h2"));
    type_key(&root, &long.replace("\"Many\"", "\"Typed\""));
    yew::scheduler::flush().await;
    assert!(title().contains("Many"), "ran at the key: {}", title());
    gloo_timers::future::TimeoutFuture::new(keyplay::ui::PAUSE_MS + 100).await;
    yew::scheduler::flush().await;
    assert!(title().contains("Typed"), "did not run after the pause: {}", title());

    // Replacing the whole text (a paste, a script) runs at once, long or not.
    dom::type_into(&root, "textarea#document", &long.replace("\"Many\"", "\"Pasted\"")).await;
    assert!(title().contains("Pasted"), "{}", title());
    // And a short document runs at every key.
    type_key(&root, &document(3).replace("\"Many\"", "\"Short\""));
    yew::scheduler::flush().await;
    assert!(title().contains("Short"), "{}", title());
    app.destroy();
}

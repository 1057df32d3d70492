//! Browser tests of the page's habits: the shortcuts (and their `?` overlay, drawn from the
//! same table the handler reads), undo and redo of document changes, and the Back button
//! walking through the examples opened.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_keys`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::ui::keys::{shortcut_for, Shortcut, SHORTCUTS};
use keyplay::ui::share::Startup;
use keyplay::ui::Example;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlSelectElement, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{click, find, fire, fresh_root, text};

async fn open() -> (Element, yew::AppHandle<keyplay::ui::App>) {
    let root = fresh_root();
    let app = keyplay::ui::mount_with(root.clone(), Startup::default());
    yew::scheduler::flush().await;
    (root, app)
}

/// Presses `key` on `target` (the page's body unless given) as the keyboard would.
async fn press(target: Option<&Element>, key: &str, ctrl: bool, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("an event");
    let body: Element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()).expect("a body").into();
    target.unwrap_or(&body).dispatch_event(&event).expect("dispatched");
    yew::scheduler::flush().await;
}

fn example(root: &Element) -> String {
    find(root, "select#example").unchecked_into::<HtmlSelectElement>().value()
}

fn document_text(root: &Element) -> String {
    find(root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value()
}

fn blur() {
    let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    if let Some(active) = active.and_then(|a| a.dyn_into::<HtmlElement>().ok()) {
        active.blur().expect("blurred");
    }
}

#[wasm_bindgen_test]
fn the_table_reads_keys_as_typed() {
    assert_eq!(shortcut_for("?", false, true, false, false), Some(Shortcut::Help));
    assert_eq!(shortcut_for("n", false, false, false, false), Some(Shortcut::NextExample));
    assert_eq!(shortcut_for("N", false, true, false, false), Some(Shortcut::NextExample));
    assert_eq!(shortcut_for("n", false, false, false, true), None, "typing an n types an n");
    assert_eq!(shortcut_for("Escape", false, false, false, true), Some(Shortcut::Close));
    assert_eq!(shortcut_for("z", true, false, false, false), Some(Shortcut::Undo));
    assert_eq!(shortcut_for("Z", true, true, false, false), Some(Shortcut::Redo));
    assert_eq!(shortcut_for("z", true, false, false, true), None, "a text field keeps its own undo");
    assert_eq!(shortcut_for("n", false, false, true, false), None, "Alt+n is the keyboard's, not ours");
    assert_eq!(shortcut_for("2", false, false, false, false), Some(Shortcut::Platform("macos")));
    assert_eq!(shortcut_for("x", false, false, false, false), None);
}

#[wasm_bindgen_test]
async fn question_mark_shows_every_shortcut_and_escape_closes() {
    let (root, app) = open().await;
    blur();
    assert!(root.query_selector(".help-overlay").expect("selector").is_none());
    press(None, "?", false, true).await;
    let overlay = text(&find(&root, ".help-overlay"));
    for k in SHORTCUTS {
        assert!(overlay.contains(k.shown) && overlay.contains(k.what), "{} missing: {overlay}", k.shown);
    }
    press(None, "Escape", false, false).await;
    assert!(root.query_selector(".help-overlay").expect("selector").is_none());
    click(&root, "#help-open").await;
    assert!(root.query_selector(".help-overlay").expect("selector").is_some());
    click(&root, "#help-close").await;
    assert!(root.query_selector(".help-overlay").expect("selector").is_none());
    app.destroy();
}

#[wasm_bindgen_test]
async fn next_previous_and_back_walk_the_examples() {
    let (root, app) = open().await;
    blur();
    let first = example(&root);
    let start: usize = first.parse().expect("an example is open");
    press(None, "n", false, false).await;
    assert_eq!(example(&root), (start + 1).to_string());
    press(None, "n", false, false).await;
    assert_eq!(example(&root), (start + 2).to_string());
    press(None, "p", false, false).await;
    assert_eq!(example(&root), (start + 1).to_string());
    // Typing an "n" in the editor, or in any field, types it.
    for field in ["textarea#document", "select#example"] {
        press(Some(&find(&root, field)), "n", false, false).await;
    }
    assert_eq!(example(&root), (start + 1).to_string(), "n in a text field is not a shortcut");
    blur();

    // Back returns to the example before, as the browser's history holds them.
    web_sys::window().expect("window").history().expect("history").back().expect("back");
    for _ in 0..100 {
        gloo_timers::future::TimeoutFuture::new(10).await;
        yew::scheduler::flush().await;
        if example(&root) == (start + 2).to_string() {
            break;
        }
    }
    assert_eq!(example(&root), (start + 2).to_string(), "Back did not return to the example before");
    assert_eq!(Example::neighbour(None, -1), keyplay::gallery::EXAMPLES.len() - 1);
    app.destroy();
}

#[wasm_bindgen_test]
async fn undo_and_redo_walk_document_changes() {
    let (root, app) = open().await;
    let original = document_text(&root);
    assert!(find(&root, "#undo").unchecked_into::<web_sys::HtmlButtonElement>().disabled());
    // A workspace change (the platform) and a typed edit.
    blur();
    press(None, "2", false, false).await;
    let macos = document_text(&root);
    assert!(macos.contains("\"platform\": \"macos\""), "{macos}");
    let editor = find(&root, "textarea#document");
    let edited = macos.replace("Lost items", "Found items");
    editor.unchecked_ref::<HtmlTextAreaElement>().set_value(&edited);
    fire(&editor, "input");
    yew::scheduler::flush().await;
    assert!(text(&find(&root, "#report")).contains("Found items"));

    click(&root, "#undo").await;
    assert_eq!(document_text(&root), macos);
    blur();
    press(None, "z", true, false).await;
    assert_eq!(document_text(&root), original);
    assert!(find(&root, "#undo").unchecked_into::<web_sys::HtmlButtonElement>().disabled());
    press(None, "z", true, true).await;
    assert_eq!(document_text(&root), macos);
    click(&root, "#redo").await;
    assert_eq!(document_text(&root), edited);
    assert!(find(&root, "#redo").unchecked_into::<web_sys::HtmlButtonElement>().disabled());
    // A new change after an undo drops what was undone.
    click(&root, "#undo").await;
    press(None, "1", false, false).await;
    assert!(find(&root, "#redo").unchecked_into::<web_sys::HtmlButtonElement>().disabled());
    app.destroy();
}

#[wasm_bindgen_test]
async fn every_problem_button_opens_the_example_that_answers_it() {
    let (root, app) = open().await;
    assert_eq!(
        root.query_selector_all("button.problem-pick").expect("selector").length() as usize,
        keyplay::ui::PROBLEMS.len()
    );
    for (problem, path) in keyplay::ui::PROBLEMS {
        let index = Example::index_of(path).unwrap_or_else(|| panic!("{problem}: no example {path}"));
        click(&root, &format!("button.problem-pick[data-example='{path}']")).await;
        assert_eq!(example(&root), index.to_string(), "{problem}");
        let pressed = find(&root, &format!("button.problem-pick[data-example='{path}']"));
        assert_eq!(pressed.get_attribute("aria-pressed").as_deref(), Some("true"), "{problem}");
        let title = Example::get(index).expect("the example").title();
        assert!(text(&find(&root, "#report")).contains(title), "{problem}: the report is not {title}'s");
    }
    app.destroy();
}

/// Undo keeps at most about [`UNDO_BYTES`] of old versions: edits of large documents forget the
/// oldest first, but the last change can always be undone.
#[wasm_bindgen_test]
fn undo_forgets_the_oldest_large_versions_first_and_always_keeps_the_last() {
    use keyplay::ui::{Action, History, Snapshot, UNDO_BYTES, UNDO_DEPTH};
    let version = |n: usize, size: usize| Snapshot { text: format!("{n}{}", " ".repeat(size)).into(), example: None };
    let large = UNDO_BYTES / 3 + 1;
    let mut history = History::default();
    for n in 0..5 {
        history.record(version(n, large));
    }
    let kept: Vec<String> = history.past.iter().map(|s| s.text.trim().to_owned()).collect();
    assert_eq!(kept, ["3", "4"], "two large versions fit, a third does not");
    history.record(version(5, UNDO_BYTES * 2));
    assert_eq!(history.past.len(), 1, "a version over the budget alone is still kept");
    for n in 0..UNDO_DEPTH + 5 {
        history.record(version(n, 1));
    }
    assert_eq!(history.past.len(), UNDO_DEPTH);
    assert_eq!(history.past.first().map(|s| s.text.trim().to_owned()), Some("5".to_owned()));
    // Through the page's reducer: each edit of a large text is one version.
    use yew::Reducible;
    let mut page = std::rc::Rc::new(keyplay::ui::Playground::open(keyplay::Instant(0)));
    for n in 0..4 {
        page = page.reduce(Action::Edit { text: format!("{n}{}", "x".repeat(large)), now: keyplay::Instant(0) });
    }
    assert_eq!(page.history.past.len(), 2, "the default example and the first large one are gone");
}

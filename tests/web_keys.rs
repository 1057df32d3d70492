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

/// Undo keeps at most about [`UNDO_BYTES`] of changed text: edits that replace large documents
/// forget the oldest first, but the last change can always be undone.
#[wasm_bindgen_test]
fn undo_forgets_the_oldest_large_versions_first_and_always_keeps_the_last() {
    use keyplay::ui::{Action, History, Snapshot, UNDO_BYTES, UNDO_DEPTH};
    let version = |n: usize, size: usize| Snapshot { text: format!("{n}{}", " ".repeat(size)).into(), example: None };
    let large = UNDO_BYTES / 3 + 1;
    let mut history = History::default();
    // Each version is replaced whole by an empty text: each change keeps all of it.
    for n in 0..5 {
        history.record(version(n, large), "");
    }
    let kept: Vec<String> = history.past.iter().filter_map(|c| c.apply("")).map(|s| s.text.trim().to_owned()).collect();
    assert_eq!(kept, ["3", "4"], "two large versions fit, a third does not");
    history.record(version(5, UNDO_BYTES * 2), "");
    assert_eq!(history.past.len(), 1, "a version over the budget alone is still kept");
    for n in 0..UNDO_DEPTH + 5 {
        history.record(version(n, 1), "");
    }
    assert_eq!(history.past.len(), UNDO_DEPTH);
    let oldest = history.past.first().and_then(|c| c.apply("")).map(|s| s.text.trim().to_owned());
    assert_eq!(oldest.as_deref(), Some("5"));
    // Through the page's reducer: an edit that replaces a large text keeps it whole, one that
    // changes a character of it keeps that character.
    use yew::Reducible;
    let mut page = std::rc::Rc::new(keyplay::ui::Playground::open(keyplay::Instant(0)));
    for c in ["a", "b", "c", "d"] {
        page = page.reduce(Action::Edit { text: c.repeat(large), now: keyplay::Instant(0) });
    }
    assert_eq!(page.history.past.len(), 2, "the default example and the first large one are gone");
    for n in 0..UNDO_DEPTH {
        page = page.reduce(Action::Edit { text: format!("{}{n:03}", "d".repeat(large)), now: keyplay::Instant(0) });
    }
    assert_eq!(page.history.past.len(), UNDO_DEPTH, "small changes of a large text all fit");
}

/// A change keeps only the text an edit touched, and leads back to the version before it
/// exactly, wherever the edit is and whatever characters it cuts through.
#[wasm_bindgen_test]
fn a_change_keeps_what_the_edit_touched_and_leads_back_exactly() {
    use keyplay::ui::{Change, Snapshot};
    let texts = [
        "",
        "a",
        "ab",
        "abc",
        "aXc",
        "aé",
        "aê",
        "é",
        "ê",
        "ééé",
        "éêé",
        "a🔑b",
        "a🔐b",
        "🔑",
        "🔑🔑",
        "x🔑🔑x",
        "{\"kind\": \"keychain\"}",
        "{\"kind\": \"keychains\"}",
        "{\"kind\": \"\"}",
    ];
    for from in texts {
        for to in texts {
            let change = Change::between(from, Snapshot { text: to.into(), example: Some(3) });
            let back = change.apply(from).expect("a change applies to the text it came from");
            assert_eq!(&*back.text, to, "from {from:?}");
            assert_eq!(back.example, Some(3));
            assert!(change.bytes() <= to.len(), "from {from:?} to {to:?}: {} bytes kept", change.bytes());
        }
    }
    // One key typed into a large document keeps nothing; one deleted keeps that key.
    let large = format!("{{\"kind\": \"keychain\", \"notes\": \"{}\"}}", "n".repeat(100_000));
    let typed = large.replacen("keychain", "keychainx", 1);
    assert_eq!(Change::between(&typed, Snapshot { text: large.as_str().into(), example: None }).bytes(), 0);
    assert_eq!(Change::between(&large, Snapshot { text: typed.as_str().into(), example: None }).bytes(), 1);
    assert_eq!(
        Change::between("abcdef", Snapshot { text: "abXYZdef".into(), example: None }).apply("ab"),
        None,
        "a text too short for it"
    );
}

/// Undo walks back through every edit and redo forward again, to the same texts, with only
/// the changes kept.
#[wasm_bindgen_test]
fn undo_and_redo_walk_the_edits_back_and_forth() {
    use keyplay::ui::{Action, Playground};
    use yew::Reducible;
    let now = keyplay::Instant(0);
    let mut page = std::rc::Rc::new(Playground::open(now));
    let mut versions = vec![page.text.to_string()];
    for edit in ["\n", "é", "🔑", "x"] {
        let at = versions.last().map_or(0, |t| t.find("\"steps\"").unwrap_or(t.len()));
        let mut text = versions.last().cloned().unwrap_or_default();
        text.insert_str(at, edit);
        page = page.reduce(Action::Edit { text: text.clone(), now });
        versions.push(text);
    }
    let kept: usize = page.history.past.iter().map(|c| c.bytes()).sum();
    assert_eq!(kept, 0, "insertions keep no text");
    for expected in versions.iter().rev().skip(1) {
        page = page.reduce(Action::Undo { now });
        assert_eq!(&*page.text, expected.as_str());
    }
    assert!(page.history.past.is_empty());
    assert_eq!(page.example, Some(Example::default_index()), "back to the example");
    for expected in versions.iter().skip(1) {
        page = page.reduce(Action::Redo { now });
        assert_eq!(&*page.text, expected.as_str());
    }
    assert!(page.history.future.is_empty());
}

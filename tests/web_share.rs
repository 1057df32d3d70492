//! Browser tests of sharing and keeping: permalinks (and the raw fragment `embed.js`
//! writes), the share panel's redaction, the autosave and what happens to a corrupt one,
//! code import and Swift export, the embed mode and the embed build's page. Nothing sleeps:
//! `yew::scheduler::flush()` resolves when rendering is done.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_share`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::share;
use keyplay::ui::share::{fragment_text, raw_fragment, Notice, Startup, AUTOSAVE_KEY, CORRUPT_KEY};
use keyplay::ui::{self, Example};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement, Storage};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{click, find, fire, fresh_root, text};

const TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl";

const KEYCHAIN: &str = r#"{"keyplay": 1, "kind": "keychain", "title": "Shared scenario", "steps": [
  {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS", "kSecAttrAccount": "mrgumby",
                  "kSecValueData": {"utf8": "opendoor"}}, "expect": {"status": "errSecSuccess"}}]}"#;

fn with_token() -> String {
    format!(r#"{{"keyplay": 1, "kind": "keychain", "title": "With a token", "x-note": "{TOKEN}", "steps": []}}"#)
}

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

fn storage() -> Storage {
    window().local_storage().ok().flatten().expect("localStorage")
}

/// Sets the page's query and fragment without reloading it.
fn set_url(search_and_hash: &str) {
    let path = window().location().pathname().expect("a path");
    window()
        .history()
        .expect("history")
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{search_and_hash}")))
        .expect("replaceState");
}

fn has(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).expect("a valid selector").is_some()
}

fn document_text(root: &Element) -> String {
    find(root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value()
}

async fn type_into(root: &Element, selector: &str, value: &str) {
    let area = find(root, selector);
    area.unchecked_ref::<HtmlTextAreaElement>().set_value(value);
    fire(&area, "input");
    yew::scheduler::flush().await;
}

async fn check(root: &Element, selector: &str, on: bool) {
    let input = find(root, selector);
    input.unchecked_ref::<HtmlInputElement>().set_checked(on);
    fire(&input, "change");
    yew::scheduler::flush().await;
}

async fn mount(startup: Startup) -> (Element, yew::AppHandle<ui::App>) {
    let root = fresh_root();
    let app = ui::mount_with(root.clone(), startup);
    yew::scheduler::flush().await;
    (root, app)
}

fn steps_shown(root: &Element) -> u32 {
    root.query_selector_all("#report .steps > li").expect("selector").length()
}

#[wasm_bindgen_test]
async fn a_permalink_restores_the_document() {
    let fragment = share::permalink(KEYCHAIN, false).expect("a permalink");
    set_url(&format!("#{fragment}"));
    let startup = Startup::read();
    set_url("");
    assert!(!startup.embed);
    let (root, app) = mount(startup).await;
    let shown = document_text(&root);
    let parsed: serde_json::Value = serde_json::from_str(&shown).expect("JSON");
    assert_eq!(parsed, serde_json::from_str::<serde_json::Value>(KEYCHAIN).expect("JSON"));
    assert_eq!(find(&root, "#report").get_attribute("data-exit").as_deref(), Some("0"));
    assert!(text(&root).contains("Shared scenario"));
    assert!(!has(&root, ".share-notice"));
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_raw_fragment_opens_too_and_a_damaged_one_is_reported() {
    set_url(&format!("#{}", raw_fragment(KEYCHAIN)));
    let startup = Startup::read();
    assert_eq!(startup.text.as_deref(), Some(KEYCHAIN));

    set_url("#v1.!!!not-a-link");
    let startup = Startup::read();
    set_url("");
    assert!(matches!(startup.notice, Some(Notice::DamagedLink(_))), "{startup:?}");
    let (root, app) = mount(startup).await;
    let notice = text(&find(&root, ".share-notice"));
    assert!(notice.contains("could not be opened"), "{notice}");
    let default = Example::get(Example::default_index()).expect("the default example");
    assert_eq!(Some(document_text(&root).as_str()), default.text());
    assert!(has(&root, "#report"));
    click(&root, ".share-notice .dismiss").await;
    assert!(!has(&root, ".share-notice"));
    app.destroy();
}

fn link_document(root: &Element) -> String {
    let link = find(root, "#share-link").unchecked_into::<HtmlInputElement>().value();
    let (_, fragment) = link.split_once('#').expect("a fragment");
    share::open_permalink(fragment).expect("a readable link")
}

#[wasm_bindgen_test]
async fn the_share_link_leaves_secrets_out_unless_asked() {
    let (root, app) = mount(Startup { text: Some(with_token()), ..Startup::default() }).await;
    click(&root, "#share-open").await;
    let panel = find(&root, "#share-panel");
    assert!(!find(&root, "#share-secrets").unchecked_into::<HtmlInputElement>().checked());
    let linked = link_document(&root);
    assert!(!linked.contains(TOKEN), "{linked}");
    assert!(linked.contains("<redacted>"));
    assert!(text(&panel).contains("/x-note"), "the redacted path is not named: {}", text(&panel));

    check(&root, "#share-secrets", true).await;
    assert!(link_document(&root).contains(TOKEN));

    // The embed snippets follow the same choice.
    check(&root, "#share-secrets", false).await;
    click(&root, "#embed-open").await;
    let script = find(&root, "#embed-script").unchecked_into::<HtmlTextAreaElement>().value();
    assert!(script.contains("application/keyplay+json") && script.contains("embed.js"), "{script}");
    assert!(!script.contains(TOKEN));
    let iframe = find(&root, "#embed-iframe").unchecked_into::<HtmlTextAreaElement>().value();
    assert!(iframe.starts_with("<iframe src=\"") && iframe.contains("/embed.html#v1."), "{iframe}");
    app.destroy();
}

/// Waits past the autosave's delay.
async fn pause() {
    gloo_timers::future::TimeoutFuture::new(keyplay::ui::share::AUTOSAVE_DELAY_MS + 100).await;
}

#[wasm_bindgen_test]
async fn edits_are_autosaved_without_secrets_and_restored() {
    storage().remove_item(AUTOSAVE_KEY).expect("removed");
    set_url("#v1.opened-from-a-link");
    let (root, app) = mount(Startup { autosave: true, ..Startup::default() }).await;
    // Opening saves nothing: only edits do.
    assert_eq!(storage().get_item(AUTOSAVE_KEY).expect("read"), None);
    type_into(&root, "textarea#document", &with_token()).await;
    // Typing does not write at every key: the save waits for a pause.
    assert_eq!(storage().get_item(AUTOSAVE_KEY).expect("read"), None, "saved before the pause");
    pause().await;
    let stored = storage().get_item(AUTOSAVE_KEY).expect("read").expect("an autosave");
    assert!(!stored.contains(TOKEN), "{stored}");
    assert!(window().location().hash().expect("a hash").len() <= 1, "the link's fragment stays after an edit");
    let saved = share::load(&stored).expect("a readable save");
    assert!(saved.document.contains("With a token"));

    check(&root, "#keep-secrets", true).await;
    pause().await;
    let stored = storage().get_item(AUTOSAVE_KEY).expect("read").expect("an autosave");
    assert!(stored.contains(TOKEN));
    // An edit just before the app goes away (or the page hides) is written then, not lost.
    type_into(&root, "textarea#document", KEYCHAIN).await;
    app.destroy();
    yew::scheduler::flush().await;

    set_url("");
    let startup = Startup::read();
    assert_eq!(startup.text.as_deref(), Some(KEYCHAIN));
    assert!(startup.keep_secrets);
    let (root, app) = mount(startup).await;
    assert_eq!(document_text(&root), KEYCHAIN);
    assert!(find(&root, "#keep-secrets").unchecked_into::<HtmlInputElement>().checked());
    app.destroy();
    storage().remove_item(AUTOSAVE_KEY).expect("removed");
}

#[wasm_bindgen_test]
async fn a_corrupt_or_newer_save_is_set_aside_and_reported() {
    for stored in ["{garbage", r#"{"keyplay-save": 9, "document": "{}"}"#] {
        storage().set_item(AUTOSAVE_KEY, stored).expect("stored");
        storage().remove_item(CORRUPT_KEY).expect("removed");
        set_url("");
        let startup = Startup::read();
        assert!(matches!(startup.notice, Some(Notice::SetAside(_))), "{stored}: {startup:?}");
        assert_eq!(storage().get_item(AUTOSAVE_KEY).expect("read"), None);
        assert_eq!(storage().get_item(CORRUPT_KEY).expect("read").as_deref(), Some(stored));
        let (root, app) = mount(startup).await;
        assert!(text(&find(&root, ".share-notice")).contains(CORRUPT_KEY));
        assert!(has(&root, "#report"), "no report");
        click(&root, ".share-notice .dismiss").await;
        assert!(!has(&root, ".share-notice"));
        app.destroy();
    }
    storage().remove_item(CORRUPT_KEY).expect("removed");
}

const SWIFT: &str = r#"
let query: [String: Any] = [
    kSecClass as String: kSecClassGenericPassword,
    kSecAttrService as String: "imported",
    kSecAttrAccount as String: "pasted",
    kSecValueData as String: "s3cret".data(using: .utf8)!,
]
let status = SecItemAdd(query as CFDictionary, nil)
assert(status == errSecSuccess)
let again = SecItemAdd(query as CFDictionary, nil)
XCTAssertEqual(again, errSecDuplicateItem)
let lookup: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: someService]
SecItemDelete(lookup as CFDictionary)
"#;

#[wasm_bindgen_test]
async fn pasted_swift_becomes_steps_that_run() {
    let (root, app) = mount(Startup { text: Some(KEYCHAIN.into()), ..Startup::default() }).await;
    assert_eq!(steps_shown(&root), 1);
    assert!(find(&root, "#import-add").unchecked_into::<web_sys::HtmlButtonElement>().disabled());
    type_into(&root, "#import-source", SWIFT).await;
    let preview = text(&find(&root, ".import-preview"));
    assert!(preview.contains("3 steps"), "{preview}");
    let problems = text(&find(&root, ".import-problems"));
    assert!(problems.contains("someService"), "{problems}");
    let place = text(&find(&root, ".import-problems .where"));
    assert!(
        place.split_once(':').is_some_and(|(l, c)| l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok()),
        "{place}"
    );
    click(&root, "#import-add").await;
    let doc = document_text(&root);
    assert!(doc.contains("\"imported\""), "{doc}");
    assert_eq!(steps_shown(&root), 4);
    let report = text(&find(&root, "#report"));
    assert!(report.contains("errSecDuplicateItem"), "{report}");

    click(&root, "#swift-show").await;
    let swift = text(&find(&root, "#swift-code"));
    assert!(swift.contains("SecItemAdd(") && swift.contains("\"imported\""), "{swift}");
    assert!(swift.contains("import Security") && swift.contains("mrgumby"), "{swift}");
    // One step alone: the third (the duplicate add).
    let part = find(&root, "select#swift-part");
    part.unchecked_ref::<web_sys::HtmlSelectElement>().set_value("2");
    fire(&part, "change");
    yew::scheduler::flush().await;
    let step = text(&find(&root, "#swift-code"));
    assert!(step.contains("SecItemAdd(") && !step.contains("import Security") && !step.contains("mrgumby"), "{step}");
    app.destroy();
}

#[wasm_bindgen_test]
async fn embed_mode_is_compact_and_read_only_until_edit() {
    set_url(&format!("?embed#{}", raw_fragment(KEYCHAIN)));
    let startup = Startup::read();
    set_url("");
    assert!(startup.embed && !startup.autosave);
    let (root, app) = mount(startup).await;
    assert!(has(&root, ".embed"));
    assert!(!has(&root, "textarea"), "embed mode is read-only");
    assert!(!has(&root, ".masthead") && !has(&root, ".share-bar"));
    assert_eq!(find(&root, "#report").get_attribute("data-exit").as_deref(), Some("0"));
    assert!(text(&find(&root, ".embed-document")).contains("mrgumby"));
    click(&root, "#embed-edit").await;
    assert!(!has(&root, ".embed"));
    assert_eq!(document_text(&root), KEYCHAIN);
    app.destroy();
}

async fn mount_embed(startup: Startup) -> (Element, yew::AppHandle<keyplay::ui::share::EmbedApp>) {
    let root = fresh_root();
    let app = ui::mount_embed(root.clone(), startup);
    yew::scheduler::flush().await;
    (root, app)
}

#[wasm_bindgen_test]
async fn the_embed_page_shows_the_report_and_edits_in_the_full_page() {
    // embed.html is embed mode without `?embed`.
    set_url(&format!("#{}", raw_fragment(KEYCHAIN)));
    let startup = Startup::read_embed();
    set_url("");
    assert!(startup.embed && !startup.autosave && startup.notice.is_none());
    let (root, app) = mount_embed(startup.clone()).await;
    assert!(has(&root, ".embed") && has(&root, "#embed-edit"));
    assert!(!has(&root, "textarea") && !has(&root, ".masthead") && !has(&root, ".share-bar"));
    assert!(!has(&root, ".embed-notice"));
    let report = find(&root, "#report");
    assert_eq!(report.get_attribute("data-kind").as_deref(), Some("keychain"));
    assert_eq!(report.get_attribute("data-exit").as_deref(), Some("0"));
    assert!(text(&find(&root, ".embed-document")).contains("mrgumby"));
    assert!(text(&report).contains("Shared scenario"), "{}", text(&report));
    // "Open in Keyplay" is the full page beside it, with the document.
    let folder = {
        let path = window().location().pathname().expect("a path");
        format!("{}{}", window().location().origin().expect("an origin"), &path[..=path.rfind('/').expect("a slash")])
    };
    let open = find(&root, ".embed-bar a").get_attribute("href").expect("an href");
    let (page, fragment) = open.split_once('#').expect("a fragment");
    assert_eq!(page, folder);
    assert_eq!(fragment_text(&format!("#{fragment}")).expect("readable").as_deref(), Some(KEYCHAIN));
    app.destroy();
    // "Edit" opens the full page with the document, where the autosave is neither read nor written.
    let edit = keyplay::ui::share::EmbedPage::open(&startup, keyplay::Instant(0)).edit_href();
    let (page, fragment) = edit.split_once('#').expect("a fragment");
    assert_eq!(page, format!("{folder}?from-embed"));
    set_url(&format!("?from-embed#{fragment}"));
    storage().set_item(AUTOSAVE_KEY, &share::save("{}", &serde_json::json!({}), false)).expect("saved");
    let opened = Startup::read();
    set_url("");
    assert!(!opened.embed && !opened.autosave, "{opened:?}");
    assert_eq!(opened.text.as_deref(), Some(KEYCHAIN));
    let before = storage().get_item(AUTOSAVE_KEY).expect("read");
    let (root, app) = mount(opened).await;
    assert_eq!(document_text(&root), KEYCHAIN);
    type_into(&root, "textarea#document", &KEYCHAIN.replace("mrgumby", "edited")).await;
    gloo_timers::future::TimeoutFuture::new(keyplay::ui::share::AUTOSAVE_DELAY_MS + 100).await;
    yew::scheduler::flush().await;
    assert_eq!(storage().get_item(AUTOSAVE_KEY).expect("read"), before, "an edit from an embed wrote the autosave");
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_embed_page_says_when_its_link_is_damaged() {
    set_url("#v1.%%%not-a-permalink");
    let startup = Startup::read_embed();
    set_url("");
    assert!(matches!(startup.notice, Some(Notice::DamagedLink(_))), "{startup:?}");
    let (root, app) = mount_embed(startup).await;
    let notice = text(&find(&root, ".embed-notice"));
    assert!(notice.contains("could not be opened"), "{notice}");
    // The default example's report, as the full page shows.
    assert_eq!(find(&root, "#report").get_attribute("data-kind").as_deref(), Some("keychain"));
    app.destroy();
}

/// Messages a parent page (or anyone holding the window) might post to drive the embed.
fn hostile_messages() -> Vec<wasm_bindgen::JsValue> {
    let object = |pairs: &[(&str, wasm_bindgen::JsValue)]| {
        let o = js_sys::Object::new();
        for (k, v) in pairs {
            js_sys::Reflect::set(&o, &(*k).into(), v).expect("set");
        }
        wasm_bindgen::JsValue::from(o)
    };
    vec![
        object(&[("keyplay", "document".into()), ("text", with_token().into())]),
        object(&[("keyplay", "edit".into())]),
        object(&[("keyplay", "height".into()), ("height", 1.into())]),
        object(&[("type", "navigate".into()), ("url", "https://example.com/".into())]),
        with_token().into(),
        KEYCHAIN.replace("mrgumby", "intruder").into(),
    ]
}

/// Posts [`hostile_messages`] to the window and waits until they, and any render they could
/// cause, are done (messages are delivered as tasks).
async fn post_hostile_messages() {
    for message in hostile_messages() {
        window().post_message(&message, "*").expect("posted");
    }
    for _ in 0..5 {
        gloo_timers::future::TimeoutFuture::new(20).await;
        yew::scheduler::flush().await;
    }
}

#[wasm_bindgen_test]
async fn an_embed_cannot_be_driven_by_messages() {
    set_url(&format!("?embed#{}", raw_fragment(KEYCHAIN)));
    let startup = Startup::read();
    set_url("");
    storage().remove_item(AUTOSAVE_KEY).expect("removed");
    let (root, app) = mount(startup).await;
    let before = root.inner_html();
    post_hostile_messages().await;
    assert_eq!(root.inner_html(), before, "a message changed the embed");
    assert!(has(&root, ".embed") && !has(&root, "textarea"), "a message left embed mode");
    assert!(!text(&root).contains("intruder"));
    assert_eq!(storage().get_item(AUTOSAVE_KEY).expect("read"), None, "a message made the embed save");
    assert!(window().location().hash().expect("a hash").len() <= 1, "a message changed the address");
    app.destroy();
    // The embed build's page, the same.
    set_url(&format!("#{}", raw_fragment(KEYCHAIN)));
    let startup = Startup::read_embed();
    set_url("");
    let (root, app) = mount_embed(startup).await;
    let before = root.inner_html();
    post_hostile_messages().await;
    assert_eq!(root.inner_html(), before, "a message changed the embed page");
    assert!(!text(&root).contains("intruder"));
    assert_eq!(storage().get_item(AUTOSAVE_KEY).expect("read"), None, "a message made the embed page save");
    app.destroy();
}

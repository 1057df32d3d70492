//! Browser tests of the keychain workspace: mount the app, drive the step cards, panels,
//! platform switch and compare view through the real DOM, wait for yew, read the DOM.
//! Nothing sleeps: `yew::scheduler::flush()` resolves when rendering is done.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_workspace`
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::ui;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{attr, click, find, fire, fresh_root, text};

async fn set_input(root: &Element, selector: &str, value: &str) {
    let input = find(root, selector);
    input.unchecked_ref::<HtmlInputElement>().set_value(value);
    fire(&input, "change");
    yew::scheduler::flush().await;
}

async fn set_select(root: &Element, selector: &str, value: &str) {
    let select = find(root, selector);
    select.unchecked_ref::<HtmlSelectElement>().set_value(value);
    fire(&select, "change");
    yew::scheduler::flush().await;
}

async fn mount_with(document: &str) -> (Element, yew::AppHandle<ui::App>) {
    let root = fresh_root();
    let app = ui::mount(root.clone());
    yew::scheduler::flush().await;
    let editor = find(&root, "textarea#document");
    editor.unchecked_ref::<HtmlTextAreaElement>().set_value(document);
    fire(&editor, "input");
    yew::scheduler::flush().await;
    (root, app)
}

fn raw(root: &Element) -> Value {
    let text = find(root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn card_status(root: &Element, step: usize) -> String {
    attr(&find(root, &format!("li.ws-card[data-step=\"{step}\"]")), "data-status")
}

const ONE_ITEM: &str = r#"{"keyplay": 1, "kind": "keychain", "platform": "ios", "now": "2026-01-01T00:00:00Z",
  "steps": [
    {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a",
                    "kSecValueData": {"utf8": "x"}}, "expect": {"status": "errSecSuccess"}}]}"#;

#[wasm_bindgen_test]
async fn a_new_step_is_edited_through_its_card_and_rerun() {
    let (root, _app) = mount_with(ONE_ITEM).await;
    assert_eq!(card_status(&root, 0), "errSecSuccess");

    click(&root, ".ws-add-step").await;
    // The new card looks up service AYS: nothing there.
    assert_eq!(card_status(&root, 1), "errSecItemNotFound", "{}", root.inner_html());
    assert_eq!(raw(&root)["steps"].as_array().map(Vec::len), Some(2), "the raw JSON follows");

    // Pick a key (with its meaning shown) and change a value: now it finds the item.
    set_input(&root, "li.ws-card[data-step=\"1\"] #ws-add-1-dictionary", "kSecAttrAccount").await;
    let row = find(&root, "li.ws-card[data-step=\"1\"] li.ws-row[data-key=\"kSecAttrAccount\"]");
    assert!(text(&row).contains("account name"), "{}", text(&row));
    set_input(&root, "li.ws-card[data-step=\"1\"] li.ws-row[data-key=\"kSecAttrAccount\"] input.ws-value", "a").await;
    set_input(&root, "li.ws-card[data-step=\"1\"] li.ws-row[data-key=\"kSecAttrService\"] input.ws-value", "S").await;
    assert_eq!(card_status(&root, 1), "errSecSuccess");
    assert_eq!(raw(&root)["steps"][1]["SecItemCopyMatching"]["kSecAttrAccount"], "a");
    let card = text(&find(&root, "li.ws-card[data-step=\"1\"]"));
    assert!(card.contains("errSecSuccess (0)") && card.contains("No error."), "{card}");

    // The expected status is editable, and an unmet one shows.
    set_select(&root, "#ws-expect-1", "errSecItemNotFound").await;
    assert_eq!(raw(&root)["steps"][1]["expect"]["status"], "errSecItemNotFound");
    assert!(text(&find(&root, "li.ws-card[data-step=\"1\"]")).contains("expect unmet"));

    // A call switch keeps the dictionary; a removed step is gone from the text.
    set_select(&root, "#ws-call-1", "SecItemDelete").await;
    assert_eq!(raw(&root)["steps"][1]["SecItemDelete"]["kSecAttrService"], "S");
    click(&root, "li.ws-card[data-step=\"1\"] .ws-remove-step").await;
    assert_eq!(raw(&root)["steps"].as_array().map(Vec::len), Some(1));
}

#[wasm_bindgen_test]
async fn a_raw_edit_rerenders_the_cards_and_bad_json_disables_them() {
    let (root, _app) = mount_with(ONE_ITEM).await;
    assert!(root.query_selector("li.ws-card[data-step=\"0\"]").expect("selector").is_some());
    let editor = find(&root, "textarea#document");
    editor.unchecked_ref::<HtmlTextAreaElement>().set_value("{\"keyplay\": 1,");
    fire(&editor, "input");
    yew::scheduler::flush().await;
    assert!(root.query_selector("li.ws-card").expect("selector").is_none());
    assert!(text(&find(&root, ".ws-invalid")).contains("not valid JSON"));
}

const THREE_STEPS: &str = r#"{"keyplay": 1, "kind": "keychain", "now": "2026-01-01T00:00:00Z",
  "app": {"application-identifier": "T.com.example.app", "keychain-access-groups": ["T.one", "T.two"]},
  "steps": [
    {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a"}},
    {"SecItemAdd": {"kSecClass": "kSecClassInternetPassword", "kSecAttrServer": "example.com", "kSecAttrAccount": "a",
                    "kSecAttrAccessGroup": "T.two"}},
    {"SecItemDelete": {"kSecClass": "kSecClassGenericPassword"}}]}"#;

#[wasm_bindgen_test]
async fn a_clicked_step_shows_the_keychain_it_left() {
    let (root, _app) = mount_with(THREE_STEPS).await;
    click(&root, "li.ws-card[data-step=\"1\"] .ws-show-keychain").await;
    let panel = find(&root, ".ws-keychain[data-step=\"1\"]");
    assert_eq!(panel.query_selector_all("table.ws-items tbody tr").expect("selector").length(), 2);
    assert!(text(&panel).contains("example.com") && text(&panel).contains("T.two"));

    set_select(&root, "#ws-filter-group", "T.two").await;
    let panel = find(&root, ".ws-keychain[data-step=\"1\"]");
    assert_eq!(panel.query_selector_all("table.ws-items tbody tr").expect("selector").length(), 1);
    assert!(
        text(&panel).contains("1 of 2 rows shown; 2 in the keychain after this step (1 added by it)"),
        "{}",
        text(&panel)
    );
    set_select(&root, "#ws-filter-group", "").await;
    set_select(&root, "#ws-filter-class", "kSecClassGenericPassword").await;
    assert!(text(&find(&root, ".ws-keychain")).contains("1 of 2 rows shown"));
    // The password was there before this step: unchanged by it. The internet password is new.
    assert_eq!(text(&find(&root, ".ws-item .change-word")), "unchanged");
    set_select(&root, "#ws-filter-class", "").await;

    click(&root, "li.ws-card[data-step=\"0\"] .ws-show-keychain").await;
    assert!(text(&find(&root, ".ws-keychain[data-step=\"0\"]"))
        .contains("1 of 1 row shown; 1 in the keychain after this step (1 added by it)"));
    click(&root, "li.ws-card[data-step=\"2\"] .ws-show-keychain").await;
    let panel = find(&root, ".ws-keychain[data-step=\"2\"]");
    assert!(
        text(&panel).contains("1 in the keychain after this step (1 removed by it)"),
        "the delete took the password: {}",
        text(&panel)
    );
    let removed = text(&find(&panel, ".ws-item.removed"));
    assert!(removed.contains("removed") && removed.contains("GenericPassword"), "{removed}");

    // The app panel edits the document's app; the device panel its device.
    set_input(&root, "#ws-doc-keychain-access-groups", "T.one").await;
    assert_eq!(raw(&root)["app"]["keychain-access-groups"], serde_json::json!(["T.one"]));
    assert_eq!(card_status(&root, 1), "errSecMissingEntitlement", "{}", text(&root));
    set_select(&root, "#ws-doc-locked", "yes").await;
    assert_eq!(raw(&root)["device"]["locked"], true);
    assert_eq!(card_status(&root, 0), "errSecInteractionNotAllowed");
}

const WRONG_CLASS: &str = r#"{"keyplay": 1, "kind": "keychain", "platform": "ios", "now": "2026-01-01T00:00:00Z",
  "steps": [
    {"SecItemAdd": {"kSecClass": "kSecClassInternetPassword", "kSecAttrServer": "example.com", "kSecAttrAccount": "a",
                    "kSecAttrService": "x", "kSecValueData": {"utf8": "p"}}}]}"#;

#[wasm_bindgen_test]
async fn the_platform_switch_and_the_comparison() {
    let (root, _app) = mount_with(WRONG_CLASS).await;
    assert_eq!(card_status(&root, 0), "errSecNoSuchAttr");
    let radio = find(&root, "input[name=\"ws-platform\"][value=\"macos-file\"]");
    radio.unchecked_ref::<HtmlInputElement>().set_checked(true);
    fire(&radio, "change");
    yew::scheduler::flush().await;
    assert_eq!(raw(&root)["platform"], "macos-file");
    assert_eq!(card_status(&root, 0), "errSecSuccess");

    click(&root, ".ws-compare-toggle").await;
    let row = find(&root, ".ws-compare-table tr[data-step=\"0\"]");
    assert!(row.class_list().contains("differs"), "{}", row.outer_html());
    assert!(text(&row).contains("errSecNoSuchAttr") && text(&row).contains("errSecSuccess"));
    assert!(text(&find(&root, ".ws-compare")).contains("1 step answers differently"));
}

#[wasm_bindgen_test]
async fn the_gallery_loads_an_example() {
    let (root, _app) = mount_with(ONE_ITEM).await;
    let group = find(&root, ".ws-gallery-group[data-group=\"lookups\"]");
    let button = group.query_selector("button.ws-load").expect("selector").expect("an example");
    let index: usize = attr(&button, "data-example").parse().expect("an index");
    button.unchecked_into::<HtmlElement>().click();
    yew::scheduler::flush().await;
    let expected = keyplay::gallery::EXAMPLES[index].1;
    assert_eq!(find(&root, "textarea#document").unchecked_into::<HtmlTextAreaElement>().value(), expected);
    assert!(text(&find(&root, ".ws-gallery")).contains("lost-items-group") || !text(&root).is_empty());
}

#[wasm_bindgen_test]
async fn the_keychain_at_an_update_marks_the_attributes_it_changed() {
    let doc = r#"{"keyplay": 1, "kind": "keychain", "now": "2026-01-01T00:00:00Z", "steps": [
      {"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a",
                      "kSecAttrLabel": "old"}},
      {"SecItemUpdate": {"query": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S"},
                         "attributes": {"kSecAttrLabel": "new"}}}]}"#;
    let (root, _app) = mount_with(doc).await;
    click(&root, "li.ws-card[data-step=\"1\"] .ws-show-keychain").await;
    let panel = find(&root, ".ws-keychain[data-step=\"1\"]");
    let item = text(&find(&panel, ".ws-item.changed"));
    assert!(item.contains("changed: ") && item.contains("kSecAttrModificationDate"), "{item}");
    assert!(text(&panel).contains("(1 changed by it)"), "{}", text(&panel));
    // The protection class has its own column.
    assert!(text(&panel).contains("WhenUnlocked"), "{}", text(&panel));
}

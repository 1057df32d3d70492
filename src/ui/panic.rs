//! A panic shows a visible message instead of a blank or frozen page.

use wasm_bindgen::{JsCast, JsValue};

/// The id of the fixed banner a panic writes into (created when the page has none).
const BANNER_ID: &str = "keyplay-panic";

/// Makes every panic log to the console and show [`show_panic`]'s banner.
///
/// Goes through `yew::set_custom_panic_hook` (which calls `std::panic::set_hook`): a hook
/// set directly would be replaced by yew's console-only one when the app renders.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&message));
        keep_document();
        show_panic(&message);
    }));
}

/// Saves the editor's text into the autosave, so that the edit that led to the panic is not
/// lost either. Follows the autosave's rules: nothing in embed mode or in a playground opened
/// from an embed, secrets redacted unless the current autosave says the user asked to keep
/// them. Never panics itself.
fn keep_document() {
    let Some(window) = web_sys::window() else { return };
    use super::share::{browser, FROM_EMBED};
    if browser::search_has("embed") || browser::search_has(FROM_EMBED) {
        return;
    }
    let text = window
        .document()
        .and_then(|d| d.get_element_by_id("document"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .map(|area| area.value());
    let Some(text) = text.filter(|t| !t.is_empty()) else { return };
    let Some(storage) = window.local_storage().ok().flatten() else { return };
    let key = super::share::AUTOSAVE_KEY;
    let keep_secrets = storage
        .get_item(key)
        .ok()
        .flatten()
        .and_then(|stored| crate::share::load(&stored).ok())
        .and_then(|saved| saved.view.get("keep-secrets").and_then(serde_json::Value::as_bool))
        .unwrap_or(false);
    let view = serde_json::json!({ "keep-secrets": keep_secrets });
    let _ = storage.set_item(key, &crate::share::save(&text, &view, keep_secrets));
}

/// Writes `message` into the page's fixed alert banner, outside the app's own tree so it
/// shows whatever state the app was left in.
pub fn show_panic(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let banner = document.get_element_by_id(BANNER_ID).or_else(|| {
        let banner = document.create_element("div").ok()?;
        banner.set_id(BANNER_ID);
        document.body()?.append_child(&banner).ok()?;
        Some(banner)
    });
    let Some(banner) = banner else { return };
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("class", "panic");
    let _ = banner.remove_attribute("hidden");
    banner.set_text_content(Some(&format!(
        "Keyplay stopped because of a bug: {message}. Reload the page to start again \
         (your document, with your last edit, is in this browser's autosave; copy it first to be sure)."
    )));
}

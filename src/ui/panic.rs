//! A panic shows a visible message instead of a blank or frozen page.

use wasm_bindgen::JsValue;

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
        show_panic(&message);
    }));
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
         (your last edit is in this browser's autosave; copy the document first to be sure)."
    )));
}

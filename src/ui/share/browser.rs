//! The few browser facilities sharing needs, each failing quietly: a browser that refuses
//! storage or the clipboard still gets a working page.

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{HtmlInputElement, Storage, Window};

fn window() -> Option<Window> {
    web_sys::window()
}

pub fn hash() -> String {
    window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Empties the address's fragment (once the user edits, a reload restores the autosave,
/// not the link the page was opened with). Leaves a bare `#`; does not reload.
pub fn drop_fragment() {
    if let Some(location) = window().map(|w| w.location()) {
        if location.hash().is_ok_and(|h| h.len() > 1) {
            let _ = location.set_hash("");
        }
    }
}

pub fn search() -> String {
    window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// Whether the page's query has the parameter `name` (bare, or with a value).
pub fn search_has(name: &str) -> bool {
    search()
        .split(['?', '&'])
        .any(|p| p.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with('=')))
}

/// Opens `href` in this window (a step in its history).
pub fn open(href: &str) {
    if let Some(location) = window().map(|w| w.location()) {
        let _ = location.assign(href);
    }
}

/// The app's address without query or fragment, e.g. `https://host/keyplay/`.
pub fn base() -> String {
    let Some(location) = window().map(|w| w.location()) else { return String::new() };
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

/// The folder the app is served from (ends in `/`): where `embed.js` is.
pub fn folder() -> String {
    let base = base();
    match base.rfind('/') {
        Some(i) => base[..=i].to_string(),
        None => base,
    }
}

// Raw strings, not gloo-storage's JSON values: autosaves written by earlier versions stay readable.
fn storage() -> Option<Storage> {
    use gloo_storage::Storage as _;
    // `raw()` panics where the browser refuses storage; ask web-sys first.
    window().and_then(|w| w.local_storage().ok().flatten())?;
    Some(gloo_storage::LocalStorage::raw())
}

pub fn storage_get(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Copies `text` with the Clipboard API when there is one; always selects the field
/// `field_id` too, so that the user can copy by hand.
pub fn copy(text: &str, field_id: &str) -> bool {
    let document = window().and_then(|w| w.document());
    if let Some(field) = document.and_then(|d| d.get_element_by_id(field_id)) {
        if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
            input.select();
        } else if let Some(area) = field.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            area.select();
        }
    }
    let Some(navigator) = window().map(|w| w.navigator()) else { return false };
    // `navigator.clipboard` is undefined outside secure contexts.
    let has = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).is_ok_and(|c| !c.is_undefined());
    if has {
        let _ = navigator.clipboard().write_text(text);
    }
    has
}

/// Offers `text` as a JSON file download named `name`.
pub fn download(name: &str, text: &str) {
    download_as(name, text, "application/json");
}

/// Offers `text` as a file download named `name` of media type `mime`.
pub fn download_as(name: &str, text: &str, mime: &str) {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Registers `sw.js` (beside the page), which keeps this origin's files for offline use.
/// Quietly does nothing where service workers are unavailable (not a secure context, a
/// browser that refuses them).
pub fn register_service_worker() {
    let Some(navigator) = window().map(|w| w.navigator()) else { return };
    let has = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).is_ok_and(|c| !c.is_undefined());
    if has {
        let _ = navigator.service_worker().register("sw.js");
    }
}

/// Records the example opened as a step of the browser's history, so that Back returns to
/// the one before. The address is not changed.
pub fn push_example(index: usize) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.push_state(&JsValue::from(index as f64), "");
    }
}

/// The example a history step (a `popstate` event) returns to, if it is one of ours.
pub fn example_of(event: &web_sys::Event) -> Option<usize> {
    let state = event.dyn_ref::<web_sys::PopStateEvent>()?.state();
    state.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0).map(|n| n as usize)
}

/// Whether `event` happened in a field that takes typing (its target, or else the focus).
pub fn typing(event: &web_sys::Event) -> bool {
    let target = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let element = target.or_else(|| window().and_then(|w| w.document()).and_then(|d| d.active_element()));
    element.is_some_and(|e| {
        matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || e.has_attribute("contenteditable")
    })
}

/// Focuses the element with `id`.
pub fn focus(id: &str) {
    let element = window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// The first file chosen in `input`, if any.
pub fn chosen_file(input: &HtmlInputElement) -> Option<gloo_file::File> {
    input.files().and_then(|files| files.get(0)).map(gloo_file::File::from)
}

/// Reads the first file chosen in `input` as text and passes it to `done`.
pub fn read_file(input: &HtmlInputElement, done: impl FnOnce(Result<String, String>) + 'static) {
    let Some(file) = chosen_file(input) else { return };
    yew::platform::spawn_local(async move {
        let text = gloo_file::futures::read_as_text(&file).await;
        done(text.map_err(|e| format!("the file cannot be read as text: {e}")));
    });
}

/// Reads the first file chosen in `input` as bytes and passes its name and bytes to `done`.
pub fn read_file_bytes(input: &HtmlInputElement, done: impl FnOnce(Result<(String, Vec<u8>), String>) + 'static) {
    let Some(file) = chosen_file(input) else { return };
    yew::platform::spawn_local(async move {
        let bytes = gloo_file::futures::read_as_bytes(&file).await;
        done(bytes.map(|b| (file.name(), b)).map_err(|e| format!("the file cannot be read: {e}")));
    });
}

/// Tells the embedding page how tall the app is (`{keyplay: "height", height}`).
pub fn post_height() {
    let Some(window) = window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if js_sys::Object::is(&parent, &window) {
        return;
    }
    // The body's own height (the page has no margins): the content, not the frame's viewport.
    let height = window.document().and_then(|d| d.body()).map(|b| b.offset_height()).unwrap_or(0);
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"keyplay".into(), &"height".into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &JsValue::from(height));
    let _ = parent.post_message(&message, "*");
}

/// Calls [`post_height`] whenever the page's size changes; drop the result to stop.
pub struct HeightWatch {
    observer: Option<web_sys::ResizeObserver>,
    _callback: Closure<dyn FnMut()>,
}

impl HeightWatch {
    pub fn start() -> HeightWatch {
        let callback = Closure::<dyn FnMut()>::new(post_height);
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
        let body = window().and_then(|w| w.document()).and_then(|d| d.body());
        if let (Some(observer), Some(body)) = (&observer, body) {
            observer.observe(&body);
        }
        HeightWatch { observer, _callback: callback }
    }
}

impl Drop for HeightWatch {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}

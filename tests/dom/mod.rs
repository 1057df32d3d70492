//! DOM helpers shared by the browser tests: mount points, lookups, and user-like events.
//! Nothing sleeps: after an event, `yew::scheduler::flush()` resolves when rendering is done.
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventInit, HtmlElement};

/// A fresh element in the test page to mount into.
pub fn fresh_root() -> Element {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&root).expect("appended");
    root
}

/// The element `selector` finds under `root`, or a panic that shows what is there.
pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("no {selector} in {}", root.inner_html()))
}

pub fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

pub fn attr(element: &Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}

/// Fires a bubbling DOM event, as the browser does when the user types or picks.
pub fn fire(target: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict(kind, &init).expect("an event");
    target.dispatch_event(&event).expect("dispatched");
}

/// Clicks the element `selector` finds and waits for the render.
pub async fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
    yew::scheduler::flush().await;
}

/// Types `value` into the input or textarea `selector` finds (sets it and fires `input`, as
/// typing does) and waits for the render.
pub async fn type_into(root: &Element, selector: &str, value: &str) {
    let element = find(root, selector);
    if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    }
    fire(&element, "input");
    yew::scheduler::flush().await;
}

//! "Copy as Swift": the whole keychain document, or one of its steps, as Swift, in a
//! read-only code block with a copy button.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::{component, html, use_state, Callback, Event, Html, Properties, TargetCast};

use crate::codegen::swift::{document_to_swift, step_to_swift};

#[derive(Debug, Properties, PartialEq)]
pub struct SwiftExportProps {
    pub text: Rc<str>,
}

#[component]
pub fn SwiftExport(props: &SwiftExportProps) -> Html {
    let shown = use_state(|| false);
    let copied = use_state(|| false);
    // Which part: `None` the whole document, `Some(i)` step i.
    let part = use_state(|| None::<usize>);
    let doc = serde_json::from_str::<serde_json::Value>(&props.text).ok();
    let keychain = doc.as_ref().is_some_and(|d| d.get("kind").and_then(|k| k.as_str()) == Some("keychain"));
    let steps = doc.as_ref().and_then(|d| d.get("steps")).and_then(|s| s.as_array()).map_or(0, Vec::len);
    let ontoggle = {
        let (shown, copied) = (shown.clone(), copied.clone());
        Callback::from(move |_: yew::MouseEvent| {
            copied.set(false);
            shown.set(!*shown);
        })
    };
    let onpart = {
        let (part, copied) = (part.clone(), copied.clone());
        Callback::from(move |e: Event| {
            copied.set(false);
            part.set(e.target_unchecked_into::<HtmlSelectElement>().value().parse::<usize>().ok());
        })
    };
    let swift = doc.filter(|_| *shown && keychain).map(|d| match (*part).and_then(|i| d.get("steps")?.get(i)) {
        Some(step) => step_to_swift(step),
        None => document_to_swift(&d),
    });
    let oncopy = {
        let (swift, copied) = (swift.clone().unwrap_or_default(), copied.clone());
        Callback::from(move |_: yew::MouseEvent| copied.set(crate::ui::share::copy_text(&swift, "swift-code")))
    };
    html! {
        <div class="code-export">
            <button type="button" id="swift-show" aria-expanded={shown.to_string()} disabled={!keychain}
                    onclick={ontoggle}>{ if *shown { "Hide Swift" } else { "Copy as Swift" } }</button>
            if let Some(swift) = swift {
                <div class="swift-part">
                    <label for="swift-part">{ "Swift for" }</label>
                    <select id="swift-part" onchange={onpart}>
                        <option value="" selected={part.is_none()}>{ "the whole document" }</option>
                        for i in 0..steps {
                            <option value={i.to_string()} selected={*part == Some(i)}>{ format!("step {}", i + 1) }</option>
                        }
                    </select>
                </div>
                <div class="swift-block">
                    <button type="button" id="swift-copy" onclick={oncopy}>{ if *copied { "Copied" } else { "Copy" } }</button>
                    <pre id="swift-code" tabindex="0" aria-label="The document as Swift"><code>{ swift }</code></pre>
                </div>
            }
        </div>
    }
}

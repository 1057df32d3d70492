//! "Copy as Swift": the whole keychain document as Swift, in a read-only code block.

use std::rc::Rc;

use yew::{component, html, use_state, Callback, Html, Properties};

use crate::codegen::swift::document_to_swift;

#[derive(Debug, Properties, PartialEq)]
pub struct SwiftExportProps {
    pub text: Rc<str>,
}

#[component]
pub fn SwiftExport(props: &SwiftExportProps) -> Html {
    let shown = use_state(|| false);
    let copied = use_state(|| false);
    let doc = serde_json::from_str::<serde_json::Value>(&props.text).ok();
    let keychain = doc.as_ref().is_some_and(|d| d.get("kind").and_then(|k| k.as_str()) == Some("keychain"));
    let ontoggle = {
        let (shown, copied) = (shown.clone(), copied.clone());
        Callback::from(move |_: yew::MouseEvent| {
            copied.set(false);
            shown.set(!*shown);
        })
    };
    let swift = doc.filter(|_| *shown && keychain).map(|d| document_to_swift(&d));
    let oncopy = {
        let (swift, copied) = (swift.clone().unwrap_or_default(), copied.clone());
        Callback::from(move |_: yew::MouseEvent| copied.set(crate::ui::share::copy_text(&swift, "swift-code")))
    };
    html! {
        <div class="code-export">
            <button type="button" id="swift-show" aria-expanded={shown.to_string()} disabled={!keychain}
                    onclick={ontoggle}>{ if *shown { "Hide Swift" } else { "Copy as Swift" } }</button>
            if let Some(swift) = swift {
                <div class="swift-block">
                    <button type="button" id="swift-copy" onclick={oncopy}>{ if *copied { "Copied" } else { "Copy" } }</button>
                    <pre id="swift-code" tabindex="0" aria-label="The document as Swift"><code>{ swift }</code></pre>
                </div>
            }
        </div>
    }
}

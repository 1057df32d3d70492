//! "Copy as Swift": the whole keychain document, or one of its steps, as Swift, in a
//! read-only code block with a copy button.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::{component, html, use_memo, use_state, Callback, Event, Html, Properties, TargetCast};

use crate::codegen::swift::{document_to_swift, step_to_swift};
use crate::document::Kind;
use crate::ui::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct SwiftExportProps {
    pub run: Rc<Run>,
}

/// The run a memo is keyed on: the same `Rc`, not an equal value (no deep comparison).
#[derive(Debug, Clone)]
struct Same(Rc<Run>);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
pub fn SwiftExport(props: &SwiftExportProps) -> Html {
    let shown = use_state(|| false);
    let copied = use_state(|| false);
    // Which part: `None` the whole document, `Some(i)` step i.
    let part = use_state(|| None::<usize>);
    let keychain = props.run.kind() == Some(Kind::Keychain);
    let steps = props.run.doc.as_ref().map_or(0, crate::document::Outline::step_count);
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
    // Generated only while shown, and again only when the run or the part changes.
    let swift = use_memo((Same(props.run.clone()), *part, *shown && keychain), |(run, part, wanted)| {
        let doc = run.0.doc.as_ref().ok().filter(|_| *wanted)?;
        Some(match part.and_then(|i| doc.step(i)) {
            Some(step) => step_to_swift(&step),
            None => document_to_swift(&doc.parse()),
        })
    });
    let swift = (*swift).clone();
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

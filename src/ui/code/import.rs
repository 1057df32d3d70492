//! The "Paste Swift / Objective-C" panel: the code, what it imports as, and a button that
//! adds the steps to the document.

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::{component, html, use_memo, use_state, Callback, Html, InputEvent, Properties, TargetCast};

use crate::codegen::{import, Import};

#[derive(Debug, Properties, PartialEq)]
pub struct ImportPanelProps {
    /// Whether the document is a keychain document (steps can be added).
    pub keychain: bool,
    /// Add these steps to the document.
    pub onadd: Callback<Vec<serde_json::Value>>,
}

#[component]
pub fn ImportPanel(props: &ImportPanelProps) -> Html {
    let source = use_state(String::new);
    let imported: Rc<Import> = use_memo((*source).clone(), |source| import(source));
    let oninput = {
        let source = source.clone();
        Callback::from(move |e: InputEvent| source.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let onadd = {
        let (onadd, steps, source) = (props.onadd.clone(), imported.steps.clone(), source.clone());
        Callback::from(move |_: yew::MouseEvent| {
            onadd.emit(steps.clone());
            source.set(String::new());
        })
    };
    let can_add = props.keychain && !imported.steps.is_empty();
    html! {
        <details class="code-import">
            <summary>{ "Paste Swift / Objective-C" }</summary>
            <label for="import-source">{ "SecItem code" }</label>
            <textarea id="import-source" class="import-source" rows="8" spellcheck="false" wrap="off"
                      aria-describedby="import-help" value={(*source).clone()} {oninput} />
            <p id="import-help" class="muted">
                { "SecItemAdd, SecItemCopyMatching, SecItemUpdate and SecItemDelete calls become steps; \
                   nothing is run or sent anywhere." }
            </p>
            if !source.is_empty() {
                <div class="import-preview" aria-live="polite">
                    <h3>{ format!("{} step{}", imported.steps.len(), if imported.steps.len() == 1 { "" } else { "s" }) }</h3>
                    <ol class="import-steps">
                        for step in imported.steps.iter() {
                            <li><code>{ step.to_string() }</code></li>
                        }
                    </ol>
                    if !imported.problems.is_empty() {
                        <h3>{ format!("{} problem{}", imported.problems.len(), if imported.problems.len() == 1 { "" } else { "s" }) }</h3>
                        <ul class="import-problems">
                            for p in imported.problems.iter() {
                                <li>
                                    <span class="where">{ format!("{}:{}", p.line, p.column) }</span>{ " " }
                                    <code>{ p.snippet.clone() }</code>{ " " }
                                    <span>{ p.message.clone() }</span>
                                </li>
                            }
                        </ul>
                    }
                </div>
            }
            <button type="button" id="import-add" disabled={!can_add} onclick={onadd}>{ "Add these steps" }</button>
            if !props.keychain {
                <p class="muted">{ "Steps can only be added to a keychain document." }</p>
            }
        </details>
    }
}

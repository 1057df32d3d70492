//! The document editor and the example picker. Each turns its DOM event into plain data
//! for its callback; what that data means is the reducer's business.

use std::rc::Rc;

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::{
    component, html, use_effect_with, use_mut_ref, use_node_ref, Callback, Event, FocusEvent, Html, InputEvent,
    Properties, TargetCast,
};

use super::examples::Example;
use super::state::About;

#[derive(Debug, Properties, PartialEq)]
pub struct EditorProps {
    pub text: Rc<str>,
    pub onedit: Callback<String>,
}

/// Documents over this many bytes are run once typing pauses for [`PAUSE_MS`], not at every
/// key, so that typing stays smooth in a long document. Pasting, dropping or replacing the text
/// (and any edit of a shorter document) runs at once.
pub const LONG_DOCUMENT_BYTES: usize = 64 * 1024;
/// The pause, in milliseconds.
pub const PAUSE_MS: u32 = 150;

/// Whether an input event is a key typed or deleted (the `inputType` of an `InputEvent`), as
/// opposed to a paste, a drop or a script setting the text.
fn typed_key(e: &InputEvent) -> bool {
    let kind = js_sys::Reflect::get(e, &"inputType".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    (kind.starts_with("insert") && !matches!(kind.as_str(), "insertFromPaste" | "insertFromDrop"))
        || kind.starts_with("delete")
}

/// The JSON document, editable; every edit is passed on whole (typing in a long document, once
/// it pauses or the editor loses focus). The textarea's text is set only when the document
/// changed elsewhere (an example, a form, the workspace, undo): text the user typed is never
/// written back, which would make the browser lay out the whole text again at every key.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let node = use_node_ref();
    // The text the textarea holds because the user typed it, and typing not yet passed on.
    let typed = use_mut_ref(String::new);
    let waiting = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    {
        let (node, typed, waiting) = (node.clone(), typed.clone(), waiting.clone());
        use_effect_with(props.text.clone(), move |text| {
            if *typed.borrow() != **text {
                // The document changed elsewhere: it replaces any typing not passed on yet.
                waiting.borrow_mut().take();
                if let Some(area) = node.cast::<HtmlTextAreaElement>() {
                    area.set_value(text);
                }
                *typed.borrow_mut() = text.to_string();
            }
        });
    }
    let oninput = {
        let (onedit, typed, waiting) = (props.onedit.clone(), typed.clone(), waiting.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            typed.borrow_mut().clone_from(&text);
            if text.len() > LONG_DOCUMENT_BYTES && typed_key(&e) {
                let onedit = onedit.clone();
                *waiting.borrow_mut() = Some(gloo_timers::callback::Timeout::new(PAUSE_MS, move || onedit.emit(text)));
            } else {
                waiting.borrow_mut().take();
                onedit.emit(text);
            }
        })
    };
    let onblur = {
        let (onedit, typed, waiting) = (props.onedit.clone(), typed.clone(), waiting.clone());
        Callback::from(move |_: FocusEvent| {
            if waiting.borrow_mut().take().is_some() {
                onedit.emit(typed.borrow().clone());
            }
        })
    };
    html! {
        <div class="editor">
            <label for="document">{ "Document (JSON)" }</label>
            <textarea id="document" class="document-text" aria-describedby="document-help" ref={node}
                      spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                      {oninput} {onblur} />
            <p id="document-help" class="muted">
                { "The report updates as you type. Tab leaves the editor. Nothing you paste leaves this page." }
            </p>
        </div>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct ExamplePickerProps {
    /// The example the document is, while unedited.
    pub selected: Option<usize>,
    pub onpick: Callback<usize>,
}

/// A choice of the shipped examples, grouped by kind.
#[component]
pub fn ExamplePicker(props: &ExamplePickerProps) -> Html {
    let onpick = props.onpick.clone();
    let onchange = Callback::from(move |e: Event| {
        if let Ok(index) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<usize>() {
            onpick.emit(index);
        }
    });
    let mut groups: Vec<&str> = Example::all().map(|(_, e)| e.group()).collect();
    groups.dedup();
    // The options' `selected` attributes are not enough: when yew clears the old option's
    // after setting the new one's, Firefox falls back to the first option. The select's value
    // is set after every render that changes the choice.
    let select = use_node_ref();
    {
        let select = select.clone();
        use_effect_with(props.selected, move |selected| {
            if let Some(element) = select.cast::<HtmlSelectElement>() {
                element.set_value(&selected.map(|i| i.to_string()).unwrap_or_default());
            }
        });
    }
    html! {
        <div class="picker">
            <label for="example">{ "Example" }</label>
            <select id="example" ref={select} {onchange}>
                if props.selected.is_none() {
                    <option value="" selected=true disabled=true>{ "Your document (edited)" }</option>
                }
                for group in groups {
                    <optgroup label={group}>
                        for (index, example) in Example::all().filter(|(_, e)| e.group() == group) {
                            <option value={index.to_string()} selected={props.selected == Some(index)}>
                                { example.title() }
                            </option>
                        }
                    </optgroup>
                }
            </select>
        </div>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct AboutDocumentProps {
    pub about: About,
}

/// The document's notes (as plain text; the title heads the report).
#[component]
pub fn AboutDocument(props: &AboutDocumentProps) -> Html {
    match &props.about.notes {
        Some(notes) => html! { <p class="about-notes">{ notes.clone() }</p> },
        None => html! {},
    }
}

/// The gallery by problem: one button per thing a developer would say, opening the example
/// that answers it.
#[component]
pub fn ProblemPicker(props: &ExamplePickerProps) -> Html {
    html! {
        <nav class="problems" aria-label="Start from your problem">
            <span class="problems-label">{ "Start from your problem:" }</span>
            <ul>
                for (problem, path) in super::examples::PROBLEMS.iter() {
                    if let Some(index) = Example::index_of(path) {
                        <li>
                            <button type="button" class="problem-pick" data-example={*path}
                                    aria-pressed={(props.selected == Some(index)).to_string()}
                                    onclick={props.onpick.reform(move |_| index)}>
                                { *problem }
                            </button>
                        </li>
                    }
                }
            </ul>
        </nav>
    }
}

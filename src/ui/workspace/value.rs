//! The value editor of a dictionary row: a control that fits the key's value kind.

use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::{component, html, Callback, Event, Html, Properties, TargetCast};

use crate::keychain::constants::Family;
use crate::keychain::constants::{family_names, ValueKind, ACCESS_CONTROL_FLAGS};
use crate::keychain::edit::{self as doc, DocEdit, Part, ValueEdit};

#[derive(Debug, Properties, PartialEq)]
pub struct ValueEditorProps {
    pub step: usize,
    pub part: Part,
    /// The key's constant name.
    pub name: String,
    pub kind: Option<ValueKind>,
    pub value: Value,
    pub onedit: Callback<DocEdit>,
}

fn text_of(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn choice_of(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The value of one row, edited in the control its kind calls for.
#[component]
pub fn ValueEditor(props: &ValueEditorProps) -> Html {
    let (step, part, key) = (props.step, props.part, props.name.clone());
    let edit = {
        let onedit = props.onedit.clone();
        move |f: fn(&Event) -> ValueEdit| {
            let key = key.clone();
            onedit.reform(move |e: Event| DocEdit::SetValue { step, part, key: key.clone(), edit: f(&e) })
        }
    };
    let id = format!("ws-value-{step}-{}-{}", part.name(), props.name);
    let label =
        html! { <label class="visually-hidden" for={id.clone()}>{ format!("Value of {}", props.name) }</label> };
    let value = &props.value;
    let control = match props.kind {
        Some(ValueKind::Constant(family)) if value.is_string() || family != Family::MatchLimit => {
            let current = value.as_str().unwrap_or_default().to_owned();
            let names = family_names(family);
            let known = names.contains(&current.as_str());
            html! {
                <select id={id.clone()} class="ws-value" onchange={edit(|e| ValueEdit::Text(choice_of(e)))}>
                    if !known {
                        <option value={current.clone()} selected=true>{ value.to_string() }</option>
                    }
                    for name in names {
                        <option value={name} selected={current == name}>{ name }</option>
                    }
                </select>
            }
        }
        Some(ValueKind::Bool) if value.is_boolean() => html! {
            <input id={id.clone()} class="ws-value" type="checkbox" checked={value.as_bool().unwrap_or_default()}
                   onchange={edit(|e| ValueEdit::Bool(e.target_unchecked_into::<HtmlInputElement>().checked()))} />
        },
        Some(ValueKind::Number | ValueKind::Constant(Family::MatchLimit)) if value.is_number() => html! {
            <input id={id.clone()} class="ws-value" type="number" value={value.to_string()}
                   onchange={edit(|e| ValueEdit::Number(text_of(e)))} />
        },
        Some(ValueKind::String) if value.is_string() => html! {
            <input id={id.clone()} class="ws-value" type="text" value={value.as_str().unwrap_or_default().to_owned()}
                   spellcheck="false" onchange={edit(|e| ValueEdit::Text(text_of(e)))} />
        },
        Some(ValueKind::Data) if doc::data_parts(value).is_some() => {
            let (encoding, text) = doc::data_parts(value).unwrap_or(("utf8", ""));
            let encoding = encoding.to_owned();
            html! {
                <span class="ws-data">
                    <select aria-label={format!("Encoding of {}", props.name)}
                            onchange={edit(|e| ValueEdit::DataEncoding(choice_of(e)))}>
                        for name in ["utf8", "hex", "base64"] {
                            <option value={name} selected={encoding == name}>{ name }</option>
                        }
                    </select>
                    <input id={id.clone()} class="ws-value" type="text" value={text.to_owned()} spellcheck="false"
                           onchange={edit(|e| ValueEdit::DataText(text_of(e)))} />
                </span>
            }
        }
        Some(ValueKind::Date) if value.get("date").is_some_and(Value::is_string) => html! {
            <input id={id.clone()} class="ws-value" type="text" placeholder="2026-01-01T00:00:00Z"
                   value={value.get("date").and_then(Value::as_str).unwrap_or_default().to_owned()}
                   onchange={edit(|e| ValueEdit::Date(text_of(e)))} />
        },
        Some(ValueKind::AccessControl) if doc::access_control_parts(value).is_some() => {
            let (accessible, flags) = doc::access_control_parts(value).unwrap_or_default();
            let onedit = props.onedit.clone();
            html! {
                <span class="ws-access-control">
                    <select id={id.clone()} class="ws-value" onchange={edit(|e| ValueEdit::Accessible(choice_of(e)))}>
                        for name in family_names(Family::Accessible) {
                            <option value={name} selected={accessible == name}>{ name }</option>
                        }
                    </select>
                    <span class="ws-flags" role="group" aria-label="Access control flags">
                        for (flag, _) in ACCESS_CONTROL_FLAGS.iter() {
                            <label class="ws-flag">
                                <input type="checkbox" checked={flags.iter().any(|f| f == flag)}
                                       onchange={{
                                           let (key, flag) = (props.name.clone(), (*flag).to_owned());
                                           onedit.reform(move |e: Event| DocEdit::SetValue {
                                               step, part, key: key.clone(),
                                               edit: ValueEdit::Flag(flag.clone(), e.target_unchecked_into::<HtmlInputElement>().checked()),
                                           })
                                       }} />
                                { flag.trim_start_matches("kSecAccessControl") }
                            </label>
                        }
                    </span>
                </span>
            }
        }
        // Anything else (refs, arrays, a value of another type than the key takes) as JSON.
        _ => html! {
            <input id={id.clone()} class="ws-value ws-json" type="text" value={value.to_string()} spellcheck="false"
                   onchange={edit(|e| ValueEdit::Json(text_of(e)))} />
        },
    };
    html! { <>{ label }{ control }</> }
}

//! Labelled inputs for the forms. Each passes its new text on; nothing else.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::{component, html, AttrValue, Callback, Event, Html, InputEvent, Properties, TargetCast};

#[derive(Debug, Properties, PartialEq)]
pub struct FieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub onedit: Callback<String>,
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub help: Option<AttrValue>,
}

/// A one-line text input.
#[component]
pub fn Field(props: &FieldProps) -> Html {
    let onedit = props.onedit.clone();
    let oninput =
        Callback::from(move |e: InputEvent| onedit.emit(e.target_unchecked_into::<HtmlInputElement>().value()));
    let help = props.help.as_ref().map(|_| format!("{}-help", props.id));
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input id={props.id.clone()} type="text" spellcheck="false" autocomplete="off"
                   value={props.value.clone()} placeholder={props.placeholder.clone()}
                   aria-describedby={help.clone()} {oninput} />
            if let (Some(help), Some(id)) = (&props.help, help) {
                <p class="muted" id={id}>{ help.clone() }</p>
            }
        </div>
    }
}

/// A multi-line text input (tokens, keys, pasted JSON).
#[component]
pub fn Area(props: &FieldProps) -> Html {
    let onedit = props.onedit.clone();
    let oninput =
        Callback::from(move |e: InputEvent| onedit.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()));
    let help = props.help.as_ref().map(|_| format!("{}-help", props.id));
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <textarea id={props.id.clone()} rows="4" spellcheck="false" autocomplete="off" wrap="soft"
                      value={props.value.clone()} placeholder={props.placeholder.clone()}
                      aria-describedby={help.clone()} {oninput} />
            if let (Some(help), Some(id)) = (&props.help, help) {
                <p class="muted" id={id}>{ help.clone() }</p>
            }
        </div>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct ChoiceProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub options: &'static [&'static str],
    pub onedit: Callback<String>,
}

/// A choice among fixed values.
#[component]
pub fn Choice(props: &ChoiceProps) -> Html {
    let onedit = props.onedit.clone();
    let onchange = Callback::from(move |e: Event| onedit.emit(e.target_unchecked_into::<HtmlSelectElement>().value()));
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <select id={props.id.clone()} {onchange}>
                if !props.options.contains(&props.value.as_str()) {
                    <option value="" selected=true>{ "(not set)" }</option>
                }
                for option in props.options.iter() {
                    <option value={*option} selected={props.value == *option}>{ *option }</option>
                }
            </select>
        </div>
    }
}

//! The platform switch, and the device and app panels (for the document's own `device` /
//! `app`, and for `device` / `app` steps), edited in place.

use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::{component, html, Callback, Event, Html, Properties, TargetCast};

use crate::keychain::catalog::PLATFORMS;
use crate::keychain::edit::{DocEdit, Section, Target};

/// A yes / no choice as the document's JSON (`None` leaves the field out).
fn tri(choice: &str) -> Option<Value> {
    match choice {
        "yes" => Some(Value::Bool(true)),
        "no" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// Comma-separated groups as a JSON list (`None` when blank: the field is left out).
fn list(text: &str) -> Option<Value> {
    let items: Vec<Value> =
        text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| Value::String(s.to_owned())).collect();
    (!text.trim().is_empty()).then_some(Value::Array(items))
}

fn text(text: &str) -> Option<Value> {
    (!text.trim().is_empty()).then(|| Value::String(text.trim().to_owned()))
}

fn prefix(target: Target) -> String {
    match target {
        Target::Document => "ws-doc".into(),
        Target::Step(n) => format!("ws-step{n}"),
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct PlatformProps {
    pub platform: String,
    pub onedit: Callback<DocEdit>,
}

/// Which keychain the document runs on.
#[component]
pub fn PlatformSwitch(props: &PlatformProps) -> Html {
    html! {
        <fieldset class="ws-platform">
            <legend>{ "Platform" }</legend>
            for name in PLATFORMS {
                <label class="ws-radio">
                    <input type="radio" name="ws-platform" value={name} checked={props.platform == name}
                           onchange={props.onedit.reform(move |_| DocEdit::SetPlatform(name.to_owned()))} />
                    { name }
                </label>
            }
        </fieldset>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct PanelProps {
    pub target: Target,
    /// The `device` or `app` object (anything else reads as empty).
    pub value: Value,
    pub onedit: Callback<DocEdit>,
}

/// The device's state: locked, unlocked since boot, passcode, biometry.
#[component]
pub fn DevicePanel(props: &PanelProps) -> Html {
    let target = props.target;
    let unset = if target == Target::Document { "default" } else { "unchanged" };
    let field = |name: &'static str, label: &'static str| {
        let id = format!("{}-{name}", prefix(target));
        let current = match props.value.get(name) {
            Some(Value::Bool(true)) => "yes",
            Some(Value::Bool(false)) => "no",
            _ => "",
        };
        let onchange = props.onedit.reform(move |e: Event| DocEdit::SetField {
            target,
            section: Section::Device,
            field: name.to_owned(),
            value: tri(&e.target_unchecked_into::<HtmlSelectElement>().value()),
        });
        html! {
            <div class="ws-field">
                <label for={id.clone()}>{ label }</label>
                <select {id} {onchange} data-field={name}>
                    <option value="" selected={current.is_empty()}>{ format!("({unset})") }</option>
                    <option value="yes" selected={current == "yes"}>{ "yes" }</option>
                    <option value="no" selected={current == "no"}>{ "no" }</option>
                </select>
            </div>
        }
    };
    let biometry_id = format!("{}-biometry", prefix(target));
    let biometry = props.value.get("biometry").and_then(Value::as_str).unwrap_or_default().to_owned();
    let onbiometry = props.onedit.reform(move |e: Event| DocEdit::SetField {
        target,
        section: Section::Device,
        field: "biometry".into(),
        value: text(&e.target_unchecked_into::<HtmlSelectElement>().value()),
    });
    html! {
        <fieldset class="ws-panel ws-device">
            <legend>{ if target == Target::Document { "Device at the start" } else { "Device changes" } }</legend>
            { field("locked", "Locked") }
            { field("unlocked-since-boot", "Unlocked since boot") }
            { field("passcode", "Passcode set") }
            <div class="ws-field">
                <label for={biometry_id.clone()}>{ "Biometry" }</label>
                <select id={biometry_id} onchange={onbiometry}>
                    <option value="" selected={biometry.is_empty()}>{ format!("({unset})") }</option>
                    for name in ["enrolled", "none"] {
                        <option value={name} selected={biometry == name}>{ name }</option>
                    }
                </select>
            </div>
        </fieldset>
    }
}

/// The app's entitlements: application identifier, keychain access groups, app groups.
#[component]
pub fn AppPanel(props: &PanelProps) -> Html {
    let target = props.target;
    let field = |name: &'static str, label: &'static str, is_list: bool| {
        let id = format!("{}-{name}", prefix(target));
        let current = match props.value.get(name) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        let onchange = props.onedit.reform(move |e: Event| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            DocEdit::SetField {
                target,
                section: Section::App,
                field: name.to_owned(),
                value: if is_list { list(&typed) } else { text(&typed) },
            }
        });
        html! {
            <div class="ws-field">
                <label for={id.clone()}>{ label }</label>
                <input {id} type="text" value={current} spellcheck="false" autocomplete="off" {onchange}
                       placeholder={if is_list { "TEAMID.group, …" } else { "TEAMID.com.example.app" }} />
            </div>
        }
    };
    let note = if target == Target::Document && props.value.is_null() {
        "No app given: the app has only TEAMID1234.com.example.app. Fill a field to give the whole set."
    } else if target == Target::Document {
        "The whole set: a field left blank is an entitlement the app does not have."
    } else {
        "The app was updated: the fields given replace those entitlements."
    };
    html! {
        <fieldset class="ws-panel ws-app">
            <legend>{ if target == Target::Document { "App entitlements" } else { "App update" } }</legend>
            { field("application-identifier", "application-identifier", false) }
            { field("keychain-access-groups", "keychain-access-groups (comma-separated)", true) }
            { field("application-groups", "application-groups (comma-separated)", true) }
            <p class="muted ws-note">{ note }</p>
        </fieldset>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct BiometryProps {
    pub step: usize,
    pub value: String,
    pub onedit: Callback<DocEdit>,
}

/// A `biometry` step's event.
#[component]
pub fn BiometryPicker(props: &BiometryProps) -> Html {
    let step = props.step;
    let id = format!("ws-step{step}-biometry-event");
    let onchange = props.onedit.reform(move |e: Event| DocEdit::SetBiometry {
        step,
        event: e.target_unchecked_into::<HtmlSelectElement>().value(),
    });
    html! {
        <div class="ws-field">
            <label for={id.clone()}>{ "Biometry event" }</label>
            <select {id} {onchange}>
                for name in ["changed", "none", "enrolled"] {
                    <option value={name} selected={props.value == name}>{ name }</option>
                }
            </select>
        </div>
    }
}
